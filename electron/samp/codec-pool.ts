/**
 * Large XML-RPC bodies are decoded and encoded on a worker thread (`codec-worker.ts`), small ones
 * inline: a 6 MB message must not hold up the hub's answers to pings and other clients, while a
 * round trip to the worker costs more than decoding a few kilobytes. One worker, started on first
 * need, never keeping the process alive; if it cannot start, the work is done inline.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CodecJob, CodecReply } from './codec-worker';
import { decodeCall, decodeResponse, type DecodeOptions, type DecodedCall, type DecodedResponse } from './xmlrpc-decode';
import { encodeCall, encodeResponse } from './xmlrpc-encode';
import { SampFault, type SampValue } from './values';

/** Bodies (or values) at least this large go to the worker. */
export const OFF_THREAD_BYTES = 128 * 1024;

type Job = CodecJob extends infer J ? (J extends unknown ? Omit<J, 'id'> : never) : never;

/** Jobs run on the worker, and large jobs run inline because it could not start (for diagnostics). */
export const codecStats = { offThread: 0, inlineFallback: 0 };

let worker: Worker | null = null;
let workerFailed = false;
let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

/** The worker's entry: the TypeScript source through tsx, or the bundled file next to main.js (or the CLI bundle's .mjs). */
function workerEntry(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./codec-worker-boot.mjs', import.meta.url);
  for (const rel of ['./samp-codec-worker.js', '../samp-codec-worker.js', './samp-codec-worker.mjs']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error('samp-codec-worker.js is missing from the build');
}

function failAll(error: Error): void {
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

function getWorker(): Worker | null {
  if (worker || workerFailed) return worker;
  try {
    const w = new Worker(workerEntry());
    w.unref();
    w.on('message', (reply: CodecReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(reply.faultCode === null ? new Error(reply.message) : new SampFault(reply.message, reply.faultCode));
    });
    w.on('error', (e) => failAll(new Error(`SAMP codec worker failed: ${e.message}`)));
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(new Error('SAMP codec worker stopped'));
    });
    worker = w;
  } catch (e) {
    workerFailed = true;
    console.warn(`SAMP: large messages are decoded on the main thread (${(e as Error).message})`);
  }
  return worker;
}

function offThread<T>(job: Job, inline: () => T): Promise<T> {
  const w = getWorker();
  if (!w) {
    codecStats.inlineFallback++;
    return Promise.resolve().then(inline);
  }
  codecStats.offThread++;
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    w.postMessage({ ...job, id } as CodecJob);
  });
}

/** Rough size of a value's XML, stopping once it is known to be at least `limit`. */
export function approxXmlBytes(v: SampValue, limit = OFF_THREAD_BYTES): number {
  let total = 0;
  const stack: SampValue[] = [v];
  while (stack.length && total < limit) {
    const x = stack.pop() as SampValue;
    if (typeof x === 'string') total += x.length + 32;
    else if (Array.isArray(x)) {
      total += 32;
      for (const y of x) stack.push(y);
    } else {
      total += 32;
      for (const k of Object.keys(x)) {
        total += k.length + 40;
        stack.push(x[k]);
      }
    }
  }
  return total;
}

/**
 * Maps come back from the worker with Object.prototype (structured clone); give them back the null
 * prototype the decoder uses, so a key like `constructor` is never found by inheritance.
 */
function restoreMaps(v: SampValue): SampValue {
  const stack: SampValue[] = [v];
  while (stack.length) {
    const x = stack.pop() as SampValue;
    if (typeof x === 'string') continue;
    if (Array.isArray(x)) for (const y of x) stack.push(y);
    else {
      Object.setPrototypeOf(x, null);
      for (const k of Object.keys(x)) stack.push(x[k]);
    }
  }
  return v;
}

function text(body: Uint8Array): string {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

/** Decode a `<methodCall>` body, off the thread when it is large. */
export function decodeCallBody(body: Buffer, opts: DecodeOptions = {}): Promise<DecodedCall> {
  const strictStrings = opts.strictStrings ?? true;
  if (body.length < OFF_THREAD_BYTES) return Promise.resolve().then(() => decodeCall(text(body), { strictStrings }));
  return offThread<DecodedCall>({ op: 'decodeCall', body, strictStrings }, () => decodeCall(text(body), { strictStrings })).then((c) => {
    restoreMaps(c.params);
    return c;
  });
}

/** Decode a `<methodResponse>` body, off the thread when it is large. */
export async function decodeResponseBody(body: Buffer): Promise<DecodedResponse> {
  if (body.length < OFF_THREAD_BYTES) return decodeResponse(text(body));
  const r = await offThread<DecodedResponse | { ok: false; fault: { message: string; faultCode: number } }>({ op: 'decodeResponse', body }, () => decodeResponse(text(body)));
  if (r.ok) return { ok: true, value: restoreMaps(r.value) };
  if (r.fault instanceof SampFault) return r as DecodedResponse;
  return { ok: false, fault: new SampFault(r.fault.message, r.fault.faultCode) };
}

/** `<methodCall>` bytes, encoded off the thread when the params are large. */
export async function encodeCallBody(method: string, params: SampValue[]): Promise<Buffer> {
  if (approxXmlBytes(params) < OFF_THREAD_BYTES) return Buffer.from(encodeCall(method, params), 'latin1');
  const bytes = await offThread<Uint8Array>({ op: 'encodeCall', method, params }, () => Buffer.from(encodeCall(method, params), 'latin1'));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `<methodResponse>` text for `value`, encoded off the thread when it is large. */
export async function encodeResponseBody(value: SampValue): Promise<Buffer> {
  if (approxXmlBytes(value) < OFF_THREAD_BYTES) return Buffer.from(encodeResponse(value), 'latin1');
  const bytes = await offThread<Uint8Array>({ op: 'encodeResponse', value }, () => Buffer.from(encodeResponse(value), 'latin1'));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
