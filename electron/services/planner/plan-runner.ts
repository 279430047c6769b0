/**
 * Runs the planner's pure jobs (`shared/planner/pipeline.ts`) off the thread that answers the UI.
 * In the desktop app and browser mode a job runs in a worker thread that keeps its night cache
 * between jobs; progress arrives through messages while it runs, and a cancel request (a shared
 * flag the job polls between steps) stops it. The CLI has no UI to keep alive and runs jobs
 * inline. Either way the same functions run.
 */
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../../shared/contract/define';
import { PlanCancelled, planJob, prepareJob, type PlanJob, type PlanJobResult, type PrepareJob, type PrepareResult, type Progress } from '../../../shared/planner/pipeline';
import { closeWorker, workerEntry } from '../worker-entry';

/** What the worker is asked. */
export type PlanWorkerRequest =
  | { type: 'prepare'; id: number; job: PrepareJob; cancel: SharedArrayBuffer }
  | { type: 'plan'; id: number; job: PlanJob; cancel: SharedArrayBuffer }
  | { type: 'close' };

/** What the worker posts back, per job. */
export type PlanWorkerMessage =
  | { type: 'progress'; id: number; phase: 'observing' | 'planning'; done: number; total: number }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number; message: string };

/** The worker's entry: the TypeScript source through tsx from a checkout, else `plan-worker.js|.mjs` of a build. */
export function planWorkerEntry(): { code: string; isEval: boolean } | null {
  return workerEntry(import.meta.url, 'plan-worker.ts', 'plan-worker');
}

interface Running {
  progress: Progress;
  resolve(value: unknown): void;
  reject(e: Error): void;
}

/** A cancellable job in flight. */
export interface JobHandle<T> {
  promise: Promise<T>;
  cancel(): void;
}

export class PlanRunner {
  private readonly entry: ReturnType<typeof planWorkerEntry>;
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, Running>();
  private nextId = 1;

  constructor(mode: 'worker' | 'inline') {
    this.entry = mode === 'worker' ? planWorkerEntry() : null;
  }

  /** Whether jobs run on a worker thread. */
  get usesWorker(): boolean {
    return this.entry !== null;
  }

  prepare(job: PrepareJob, progress: Progress): JobHandle<PrepareResult> {
    return this.run('prepare', job, progress, (isCancelled) => prepareJob(job, progress, isCancelled)) as JobHandle<PrepareResult>;
  }

  plan(job: PlanJob, progress: Progress): JobHandle<PlanJobResult> {
    return this.run('plan', job, progress, (isCancelled) => planJob(job, progress, isCancelled)) as JobHandle<PlanJobResult>;
  }

  private run(type: 'prepare' | 'plan', job: PrepareJob | PlanJob, progress: Progress, inline: (isCancelled: () => boolean) => unknown): JobHandle<unknown> {
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    const handle = { cancel: () => Atomics.store(flag, 0, 1) };
    if (!this.entry) {
      try {
        return { ...handle, promise: Promise.resolve(inline(() => Atomics.load(flag, 0) === 1)) };
      } catch (e) {
        return { ...handle, promise: Promise.reject(e instanceof PlanCancelled ? cancelled() : e) };
      }
    }
    const worker = this.ensureWorker(this.entry);
    const id = this.nextId++;
    const promise = new Promise<unknown>((resolve, reject) => {
      this.jobs.set(id, { progress, resolve, reject });
      worker.ref();
      worker.postMessage({ type, id, job, cancel } as PlanWorkerRequest);
    });
    return { ...handle, promise };
  }

  private ensureWorker(entry: NonNullable<ReturnType<typeof planWorkerEntry>>): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(entry.code, { eval: entry.isEval });
    const failAll = (message: string) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, job] of this.jobs) {
        this.jobs.delete(id);
        job.reject(new ApiError('internal', message));
      }
    };
    worker.on('message', (m: PlanWorkerMessage) => {
      const job = this.jobs.get(m.id);
      if (!job) return;
      if (m.type === 'progress') {
        job.progress(m.phase, m.done, m.total);
        return;
      }
      this.jobs.delete(m.id);
      if (this.jobs.size === 0) worker.unref();
      if (m.type === 'done') job.resolve(m.result);
      else if (m.type === 'cancelled') job.reject(cancelled());
      else job.reject(new ApiError('internal', `planner: ${m.message}`));
    });
    worker.on('error', (e) => failAll(`planner worker failed: ${e.message}`));
    worker.on('exit', (code) => failAll(`planner worker exited (code ${code}) before finishing`));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return Promise.resolve();
    this.worker = null;
    return closeWorker(worker);
  }
}

/** The error a cancelled plan rejects with. */
export function cancelled(): ApiError {
  return new ApiError('conflict', 'planning was cancelled');
}
