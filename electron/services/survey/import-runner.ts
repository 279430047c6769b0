/**
 * Runs survey imports off the thread that answers the UI. In the desktop app and browser mode an
 * import runs in a worker thread (its own SQLite connection, the same `runImportJob`), so
 * "Writing n/N" progress events reach the UI while the write runs, and a cancel request (a shared
 * flag the write polls) rolls the transaction back. The CLI has no UI to keep alive and runs the
 * job inline. Either way the main store hears about the commit through `Store.refresh()`.
 */
import type { ImportReport } from '../../../shared/model/survey';
import type { Store } from '../../db/store';
import type { AppPaths } from '../context';
import { JobWorker } from '../job-worker';
import { workerEntry } from '../worker-entry';
import { brightStarCrossIds, runImportJob, type ImportJob, type ImportPhase } from './import-job';

export type ProgressListener = (phase: ImportPhase, done: number, total: number) => void;

export class ImportRunner {
  private readonly cancelFlags = new Set<Int32Array>();
  private readonly worker: JobWorker | null;

  constructor(
    private readonly store: Store,
    private readonly paths: AppPaths,
    mode: 'worker' | 'inline',
  ) {
    // The TypeScript source through tsx from a checkout, else `import-worker.js|.mjs` of a build;
    // none: imports run inline.
    const entry = mode === 'worker' ? workerEntry(import.meta.url, 'import-worker.ts', 'import-worker') : null;
    this.worker = entry ? new JobWorker(entry, { label: 'import worker', workerData: { paths } }) : null;
  }

  /** Whether imports run in a worker thread. */
  get usesWorker(): boolean {
    return this.worker !== null;
  }

  /** Run one import; resolves to its report, rejects with `ApiError`. */
  async run(job: ImportJob, onProgress: ProgressListener): Promise<ImportReport> {
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    this.cancelFlags.add(flag);
    try {
      if (!this.worker) {
        return runImportJob(this.store, brightStarCrossIds(this.paths.resourcesDir), job, {
          onProgress,
          isCancelled: () => Atomics.load(flag, 0) === 1,
        });
      }
      return await this.worker.run<ImportReport>('import', job, cancel, onProgress as (phase: string, done: number, total: number) => void);
    } finally {
      this.cancelFlags.delete(flag);
      this.store.refresh();
    }
  }

  /** Ask every running import to stop; returns how many were asked. */
  cancelAll(): number {
    for (const flag of this.cancelFlags) Atomics.store(flag, 0, 1);
    return this.cancelFlags.size;
  }

  /** Stop the worker (after asking running imports to cancel). */
  close(): Promise<void> {
    this.cancelAll();
    return this.worker?.close() ?? Promise.resolve();
  }
}
