/**
 * Worker threads for OIFITS parsing and writing, so that no file, however slow or hostile, can
 * stop the thread that serves the UI. Each job gets a time budget from the moment a worker starts
 * it; a worker that overruns it (or its heap limit) is ended, the job fails with a one-line error
 * naming the file, and a fresh worker takes the next job.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../../shared/contract/define';
import type { JobFailure, OifitsJob, OifitsJobResults } from './oifits-jobs';

/** Options of the pool. */
export interface OifitsPoolOptions {
  /** Worker threads (default 1: jobs are short, and CPUs are shared with the UI). */
  size?: number;
  /** Time budget of a job in ms; default from SPICA_OIFITS_TIME_LIMIT_MS, else by kind and file size. */
  timeLimitMs?: (job: OifitsJob, sizeBytes: number) => number;
  /** V8 heap limit of each worker in MB (default 1536). */
  heapMb?: number;
}

type Kind = OifitsJob['kind'];

interface Pending {
  id: number;
  job: OifitsJob;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  isReady: boolean;
  current: Pending | null;
  timer: ReturnType<typeof setTimeout> | null;
  /** Set when we end the worker on purpose, so its exit is not reported as a crash. */
  isEnding: boolean;
}

/** Default budget: 30 s to read (60 s to write), plus 1 s per 10 MB (5 MB for writes, which copy the file). */
export function defaultTimeLimitMs(job: OifitsJob, sizeBytes: number): number {
  const fromEnv = Number(process.env.SPICA_OIFITS_TIME_LIMIT_MS);
  if (Number.isFinite(fromEnv) && fromEnv > 0) return fromEnv;
  const mb = sizeBytes / (1024 * 1024);
  return job.kind === 'writeQuality' || job.kind === 'writeFlags' ? 60_000 + 200 * mb : 30_000 + 100 * mb;
}

/**
 * The worker's entry file: the bundled .js next to the Electron main bundle, the CLI bundle's
 * .mjs (out/cli), else the tsx bootstrap beside the TypeScript source.
 */
function workerEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'oifits-worker.js'), join(here, '..', 'oifits-worker.js'), join(here, 'oifits-worker.mjs')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`OIFITS worker entry not found next to ${here}`);
}

function sizeOf(path: string): number {
  try {
    const s = statSync(path);
    return s.isFile() ? s.size : 0;
  } catch {
    return 0;
  }
}

function overrunMessage(job: OifitsJob, limitMs: number): string {
  const budget = limitMs < 1000 ? `${Math.round(limitMs)} ms` : `${(limitMs / 1000).toFixed(limitMs < 10_000 ? 1 : 0)} s`;
  if (job.kind === 'writeQuality' || job.kind === 'writeFlags') {
    return `${job.path}: writing the ${job.kind === 'writeFlags' ? 'flags' : 'verdict'} took longer than ${budget} and was stopped; the file holds either its old or its new header, never a mix`;
  }
  return `${job.path}: reading took longer than ${budget} and was stopped (the file is too large for the budget, corrupt, or hostile)`;
}

/** A small pool of OIFITS worker threads with per-job time budgets. */
export class OifitsWorkerPool {
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private isClosed = false;
  private readonly size: number;
  private readonly heapMb: number;
  private readonly timeLimitMs: (job: OifitsJob, sizeBytes: number) => number;

  constructor(options: OifitsPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? 1);
    this.heapMb = options.heapMb ?? 1536;
    this.timeLimitMs = options.timeLimitMs ?? defaultTimeLimitMs;
  }

  /**
   * Run a job on a worker thread; rejects with an ApiError naming the file. `urgent` jobs (what a
   * user is waiting for) go before queued ones, so opening a file never waits for a folder scan.
   */
  run<K extends Kind>(job: Extract<OifitsJob, { kind: K }>, options: { urgent?: boolean } = {}): Promise<OifitsJobResults[K]> {
    if (this.isClosed) return Promise.reject(new ApiError('unavailable', 'the OIFITS reader is shut down'));
    return new Promise((resolve, reject) => {
      const pending = { id: this.nextId++, job, resolve: resolve as (v: unknown) => void, reject };
      if (options.urgent) this.queue.unshift(pending);
      else this.queue.push(pending);
      this.dispatch();
    });
  }

  /** Start a worker now if none is running, so the next job does not wait for one to start. */
  warm(): void {
    if (!this.isClosed && this.slots.length === 0) this.spawn();
  }

  /** End every worker; queued jobs fail. */
  async close(): Promise<void> {
    this.isClosed = true;
    for (const p of this.queue.splice(0)) p.reject(new ApiError('unavailable', 'the OIFITS reader is shut down'));
    await Promise.all(this.slots.splice(0).map((slot) => this.end(slot, new ApiError('unavailable', 'the OIFITS reader is shut down'))));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.isReady && s.current === null);
      if (!slot) {
        if (this.slots.length < this.size) this.spawn();
        return;
      }
      const pending = this.queue.shift() as Pending;
      this.start(slot, pending);
    }
  }

  private start(slot: Slot, pending: Pending): void {
    slot.current = pending;
    slot.worker.ref();
    const limit = this.timeLimitMs(pending.job, sizeOf(pending.job.path));
    slot.timer = setTimeout(() => {
      void this.end(slot, new ApiError('invalid-input', overrunMessage(pending.job, limit)));
    }, limit);
    slot.worker.postMessage({ id: pending.id, job: pending.job });
  }

  private spawn(): void {
    let entry: string;
    try {
      entry = workerEntry();
    } catch (e) {
      for (const p of this.queue.splice(0)) p.reject(new ApiError('internal', (e as Error).message));
      return;
    }
    const worker = new Worker(entry, {
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 64 },
    });
    const slot: Slot = { worker, isReady: false, current: null, timer: null, isEnding: false };
    this.slots.push(slot);
    worker.on('message', (m: { ready?: boolean; id?: number; ok?: boolean; result?: unknown; error?: JobFailure }) => {
      if (m.ready) {
        slot.isReady = true;
        worker.unref();
        this.dispatch();
        return;
      }
      const pending = slot.current;
      if (!pending || pending.id !== m.id) return;
      this.finish(slot);
      if (m.ok) pending.resolve(m.result);
      else pending.reject(new ApiError(m.error?.code ?? 'internal', m.error?.message ?? `${pending.job.path}: failed`));
      this.dispatch();
    });
    worker.on('error', (e: Error & { code?: string }) => {
      const job = slot.current?.job;
      const message =
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `${job?.path ?? 'OIFITS file'}: reading needs more than the ${this.heapMb} MB memory budget and was stopped`
          : `${job?.path ?? 'OIFITS worker'}: the reader stopped unexpectedly (${e.message.split('\n')[0]})`;
      void this.end(slot, new ApiError(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'invalid-input' : 'internal', message));
    });
    worker.on('exit', () => {
      if (!slot.isEnding) void this.end(slot, new ApiError('internal', `${slot.current?.job.path ?? 'OIFITS worker'}: the reader stopped unexpectedly`));
    });
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.current = null;
    slot.worker.unref();
  }

  /** End a worker, failing its current job with `error`, and let the next job start a fresh one. */
  private async end(slot: Slot, error: Error): Promise<void> {
    if (slot.isEnding) return;
    slot.isEnding = true;
    const pending = slot.current;
    this.finish(slot);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    // A worker that never became ready cannot run the queue either: fail it rather than respawn for ever.
    if (!slot.isReady && !pending) for (const p of this.queue.splice(0)) p.reject(error);
    pending?.reject(error);
    await slot.worker.terminate();
    if (!this.isClosed) this.dispatch();
  }
}
