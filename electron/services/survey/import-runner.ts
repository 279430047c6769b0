/**
 * Runs survey imports off the thread that answers the UI. In the desktop app and browser mode an
 * import runs in a worker thread (its own SQLite connection, the same `runImportJob`), so
 * "Writing n/N" progress events reach the UI while the write runs, and a cancel request (a shared
 * flag the write polls) rolls the transaction back. The CLI has no UI to keep alive and runs the
 * job inline. Either way the main store hears about the commit through `Store.refresh()`.
 */
import { Worker } from 'node:worker_threads';
import { ApiError, type ErrorCode } from '../../../shared/contract/define';
import type { ImportReport } from '../../../shared/model/survey';
import type { Store } from '../../db/store';
import type { AppPaths } from '../context';
import { closeWorker, workerEntry } from '../worker-entry';
import { brightStarCrossIds, runImportJob, type ImportJob, type ImportPhase } from './import-job';

/** What the worker is asked: run one job (with its cancel flag), or close. */
export type ImportWorkerRequest = { type: 'run'; id: number; job: ImportJob; cancel: SharedArrayBuffer } | { type: 'close' };

/** What the worker posts back, per job. */
export type ImportWorkerMessage =
  | { type: 'progress'; id: number; phase: ImportPhase; done: number; total: number }
  | { type: 'done'; id: number; report: ImportReport }
  | { type: 'error'; id: number; code: ErrorCode; message: string };

/**
 * The worker's entry file: the TypeScript source beside this module when running from the
 * checkout (loaded through tsx), else `import-worker.js` of a build or the CLI bundle's
 * `import-worker.mjs`. Null when there is none; imports then run inline.
 */
export function importWorkerEntry(): { code: string; isEval: boolean } | null {
  return workerEntry(import.meta.url, 'import-worker.ts', 'import-worker');
}

export type ProgressListener = (phase: ImportPhase, done: number, total: number) => void;

interface RunningJob {
  onProgress: ProgressListener;
  resolve(report: ImportReport): void;
  reject(e: ApiError): void;
}

export class ImportRunner {
  private readonly cancelFlags = new Set<Int32Array>();
  private readonly entry: ReturnType<typeof importWorkerEntry>;
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, RunningJob>();
  private nextId = 1;

  constructor(
    private readonly store: Store,
    private readonly paths: AppPaths,
    mode: 'worker' | 'inline',
  ) {
    this.entry = mode === 'worker' ? importWorkerEntry() : null;
  }

  /** Whether imports run in a worker thread. */
  get usesWorker(): boolean {
    return this.entry !== null;
  }

  /** Run one import; resolves to its report, rejects with `ApiError`. */
  run(job: ImportJob, onProgress: ProgressListener): Promise<ImportReport> {
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    this.cancelFlags.add(flag);
    const finish = () => {
      this.cancelFlags.delete(flag);
      this.store.refresh();
    };
    if (!this.entry) {
      try {
        const report = runImportJob(this.store, brightStarCrossIds(this.paths.resourcesDir), job, {
          onProgress,
          isCancelled: () => Atomics.load(flag, 0) === 1,
        });
        return Promise.resolve(report);
      } catch (e) {
        return Promise.reject(e);
      } finally {
        finish();
      }
    }
    const worker = this.ensureWorker(this.entry);
    const id = this.nextId++;
    return new Promise<ImportReport>((resolve, reject) => {
      this.jobs.set(id, {
        onProgress,
        resolve: (r) => {
          finish();
          resolve(r);
        },
        reject: (e) => {
          finish();
          reject(e);
        },
      });
      worker.ref();
      worker.postMessage({ type: 'run', id, job, cancel } satisfies ImportWorkerRequest);
    });
  }

  /** The worker, started on the first import and kept for the next ones. */
  private ensureWorker(entry: NonNullable<ReturnType<typeof importWorkerEntry>>): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(entry.code, { workerData: { paths: this.paths }, eval: entry.isEval });
    const failAll = (message: string) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, job] of this.jobs) {
        this.jobs.delete(id);
        job.reject(new ApiError('internal', message));
      }
    };
    worker.on('message', (m: ImportWorkerMessage) => {
      const job = this.jobs.get(m.id);
      if (!job) return;
      if (m.type === 'progress') {
        job.onProgress(m.phase, m.done, m.total);
        return;
      }
      this.jobs.delete(m.id);
      if (this.jobs.size === 0) worker.unref();
      if (m.type === 'done') job.resolve(m.report);
      else job.reject(new ApiError(m.code, m.message));
    });
    worker.on('error', (e) => failAll(`import worker failed: ${e.message}`));
    worker.on('exit', (code) => failAll(`import worker exited (code ${code}) before finishing`));
    this.worker = worker;
    return worker;
  }

  /** Ask every running import to stop; returns how many were asked. */
  cancelAll(): number {
    for (const flag of this.cancelFlags) Atomics.store(flag, 0, 1);
    return this.cancelFlags.size;
  }

  /** Stop the worker (after asking running imports to cancel). */
  close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return Promise.resolve();
    this.cancelAll();
    this.worker = null;
    return closeWorker(worker);
  }
}
