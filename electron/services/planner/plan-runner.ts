/**
 * Runs the planner's pure jobs (`shared/planner/pipeline.ts`) off the thread that answers the UI.
 * In the desktop app and browser mode a job runs in a worker thread that keeps its night cache
 * between jobs; progress arrives through messages while it runs, and a cancel request (a shared
 * flag the job polls between steps) stops it. The CLI has no UI to keep alive and runs jobs
 * inline. Either way the same functions run.
 */
import { ApiError } from '../../../shared/contract/define';
import { PlanCancelled, planJob, prepareJob, type PlanJob, type PlanJobResult, type PrepareJob, type PrepareResult, type Progress } from '../../../shared/planner/pipeline';
import { JobWorker } from '../job-worker';
import { workerEntry } from '../worker-entry';

/** A cancellable job in flight. */
export interface JobHandle<T> {
  promise: Promise<T>;
  cancel(): void;
}

export class PlanRunner {
  private readonly worker: JobWorker | null;

  constructor(mode: 'worker' | 'inline') {
    // The TypeScript source through tsx from a checkout, else `plan-worker.js|.mjs` of a build.
    const entry = mode === 'worker' ? workerEntry(import.meta.url, 'plan-worker.ts', 'plan-worker') : null;
    this.worker = entry ? new JobWorker(entry, { label: 'planner worker', errorPrefix: 'planner: ', cancelledError: cancelled }) : null;
  }

  /** Whether jobs run on a worker thread. */
  get usesWorker(): boolean {
    return this.worker !== null;
  }

  prepare(job: PrepareJob, progress: Progress): JobHandle<PrepareResult> {
    return this.run('prepare', job, progress, (isCancelled) => prepareJob(job, progress, isCancelled)) as JobHandle<PrepareResult>;
  }

  plan(job: PlanJob, progress: Progress): JobHandle<PlanJobResult> {
    return this.run('plan', job, progress, (isCancelled) => planJob(job, progress, isCancelled)) as JobHandle<PlanJobResult>;
  }

  private run(kind: 'prepare' | 'plan', job: PrepareJob | PlanJob, progress: Progress, inline: (isCancelled: () => boolean) => unknown): JobHandle<unknown> {
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    const handle = { cancel: () => Atomics.store(flag, 0, 1) };
    if (!this.worker) {
      try {
        return { ...handle, promise: Promise.resolve(inline(() => Atomics.load(flag, 0) === 1)) };
      } catch (e) {
        return { ...handle, promise: Promise.reject(e instanceof PlanCancelled ? cancelled() : e) };
      }
    }
    return { ...handle, promise: this.worker.run(kind, job, cancel, progress as (phase: string, done: number, total: number) => void) };
  }

  close(): Promise<void> {
    return this.worker?.close() ?? Promise.resolve();
  }
}

/** The error a cancelled plan rejects with. */
export function cancelled(): ApiError {
  return new ApiError('conflict', 'planning was cancelled');
}
