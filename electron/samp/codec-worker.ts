/**
 * Worker thread for large XML-RPC bodies: decodes and encodes them so that the thread answering
 * SAMP calls (hub pings, other clients' messages) never stalls on a multi-megabyte message.
 * Started by `codec-pool.ts`; a build entry of its own in the Electron bundle.
 */
import { parentPort } from 'node:worker_threads';
import { decodeCall, decodeResponse } from './xmlrpc-decode';
import { encodeCall, encodeResponse } from './xmlrpc-encode';
import { SampFault, type SampValue } from './values';

/** A job for the worker. Bodies travel as bytes, encoded XML comes back as bytes. */
export type CodecJob =
  | { id: number; op: 'decodeCall'; body: Uint8Array; strictStrings: boolean }
  | { id: number; op: 'decodeResponse'; body: Uint8Array }
  | { id: number; op: 'encodeCall'; method: string; params: SampValue[] }
  | { id: number; op: 'encodeResponse'; value: SampValue };

/** The worker's answer: a value, or the error to rethrow (a SampFault keeps its code). */
export type CodecReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string; faultCode: number | null };

function run(job: CodecJob): unknown {
  switch (job.op) {
    case 'decodeCall':
      return decodeCall(Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength).toString('utf8'), { strictStrings: job.strictStrings });
    case 'decodeResponse': {
      const r = decodeResponse(Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength).toString('utf8'));
      return r.ok ? r : { ok: false, fault: { message: r.fault.message, faultCode: r.fault.faultCode } };
    }
    case 'encodeCall':
      return Buffer.from(encodeCall(job.method, job.params), 'latin1');
    case 'encodeResponse':
      return Buffer.from(encodeResponse(job.value), 'latin1');
  }
}

parentPort?.on('message', (job: CodecJob) => {
  let reply: CodecReply;
  try {
    reply = { id: job.id, ok: true, value: run(job) };
  } catch (e) {
    reply = { id: job.id, ok: false, message: e instanceof Error ? e.message : String(e), faultCode: e instanceof SampFault ? e.faultCode : null };
  }
  parentPort?.postMessage(reply);
});
