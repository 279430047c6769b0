/**
 * One long-lived worker thread that runs a service's jobs off the thread answering the UI: the
 * survey import, the calibrator catalogue import and the planner each own one. The parent side
 * (`JobWorker`) numbers the jobs, forwards their progress, settles each with its result or error,
 * keeps the thread unreferenced while idle (it never holds the process open) and fails every job
 * in flight when the thread dies. The worker side (`serveJobs`) runs the handler of each request
 * and posts back the same messages. Cancellation is a shared flag the job polls.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { ApiError, type ErrorCode } from '../../shared/contract/define';
import { closeWorker, type workerEntry } from './worker-entry';

/** What a job worker is asked: run one job of a kind (with its cancel flag), or close. */
export type JobRequest = { type: 'run'; id: number; kind: string; job: unknown; cancel: SharedArrayBuffer } | { type: 'close' };

/** What a job worker posts back, per job. */
export type JobMessage =
  | { type: 'progress'; id: number; phase: string; done: number; total: number }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number; code: ErrorCode; message: string };

/** Progress of a job: its phase and how far it is. */
export type JobProgress = (phase: string, done: number, total: number) => void;

export interface JobWorkerOptions {
  /** Names the thread in the errors of a dead worker ("survey import worker failed: …"). */
  label: string;
  workerData?: unknown;
  /** Prefix of the messages of jobs that failed inside the worker. */
  errorPrefix?: string;
  /** The error a cancelled job rejects with. */
  cancelledError?: () => Error;
  /** Called when any job settles, before its promise (e.g. to let the main store see a commit). */
  onSettled?: () => void;
}

interface Running {
  onProgress: JobProgress;
  resolve(value: unknown): void;
  reject(e: Error): void;
}

/** The parent side: a worker thread started on the first job and kept for the next ones. */
export class JobWorker {
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, Running>();
  private nextId = 1;

  constructor(
    private readonly entry: NonNullable<ReturnType<typeof workerEntry>>,
    private readonly options: JobWorkerOptions,
  ) {}

  /** Run one job of `kind`; resolves to the handler's result, rejects with `ApiError` (or the cancelled error). */
  run<R>(kind: string, job: unknown, cancel: SharedArrayBuffer, onProgress: JobProgress): Promise<R> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.jobs.set(id, { onProgress, resolve: resolve as (v: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ type: 'run', id, kind, job, cancel } satisfies JobRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const { label, workerData, errorPrefix = '', cancelledError, onSettled } = this.options;
    const worker = new Worker(this.entry.code, { workerData, eval: this.entry.isEval });
    const failAll = (message: string) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, job] of this.jobs) {
        this.jobs.delete(id);
        job.reject(new ApiError('internal', message));
      }
    };
    worker.on('message', (m: JobMessage) => {
      const job = this.jobs.get(m.id);
      if (!job) return;
      if (m.type === 'progress') {
        job.onProgress(m.phase, m.done, m.total);
        return;
      }
      this.jobs.delete(m.id);
      if (this.jobs.size === 0) worker.unref();
      onSettled?.();
      if (m.type === 'done') job.resolve(m.result);
      else if (m.type === 'cancelled') job.reject(cancelledError?.() ?? new ApiError('conflict', `${label}: cancelled`));
      else job.reject(new ApiError(m.code, `${errorPrefix}${m.message}`));
    });
    worker.on('error', (e) => failAll(`${label} failed: ${e.message}`));
    worker.on('exit', (code) => failAll(`${label} exited (code ${code}) before finishing`));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Stop the thread (asking it to close, then terminating it after a grace period). */
  close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return Promise.resolve();
    this.worker = null;
    return closeWorker(worker);
  }
}

/** What a job handler gets besides its job. */
export interface JobContext {
  progress: JobProgress;
  isCancelled(): boolean;
}

/**
 * The worker side: run each request's handler (by kind) one after the other, posting progress and
 * then the result, `cancelled` (when `isCancellation` says the thrown error is one) or the error
 * with its `ApiError` code. `onClose` releases what the handlers hold (a store connection).
 */
export function serveJobs(
  handlers: Record<string, (job: never, context: JobContext) => unknown>,
  options: { onClose?: () => void; isCancellation?: (e: unknown) => boolean } = {},
): void {
  const post = (m: JobMessage) => parentPort?.postMessage(m);
  parentPort?.on('message', (request: JobRequest) => {
    if (request.type === 'close') {
      options.onClose?.();
      parentPort?.close();
      return;
    }
    const { id, kind, job } = request;
    const flag = new Int32Array(request.cancel);
    try {
      const handler = handlers[kind];
      if (!handler) throw new ApiError('internal', `no job of kind ${kind}`);
      const result = handler(job as never, {
        progress: (phase, done, total) => post({ type: 'progress', id, phase, done, total }),
        isCancelled: () => Atomics.load(flag, 0) === 1,
      });
      post({ type: 'done', id, result });
    } catch (e) {
      if (options.isCancellation?.(e)) post({ type: 'cancelled', id });
      else post({ type: 'error', id, code: e instanceof ApiError ? e.code : 'internal', message: e instanceof Error ? e.message : String(e) });
    }
  });
}
