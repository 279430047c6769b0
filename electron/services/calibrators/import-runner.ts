/**
 * Runs catalogue imports off the thread that answers the UI: in the desktop app and browser mode
 * on a worker thread (its own SQLite connection, the same `runCatalogImport`), so progress events
 * reach the UI while the rows are written; the CLI has no UI to keep alive and runs them inline.
 */
import type { Store } from '../../db/store';
import type { AppPaths } from '../context';
import { JobWorker } from '../job-worker';
import { workerEntry } from '../worker-entry';
import { runCatalogImport, type CatalogImportJob, type CatalogImportPhase, type CatalogImportResult } from './import-job';

type Progress = (phase: CatalogImportPhase, done: number, total: number) => void;

export class CatalogImportRunner {
  private readonly worker: JobWorker | null;

  constructor(
    private readonly store: Store,
    paths: AppPaths,
    mode: 'worker' | 'inline',
  ) {
    const entry = mode === 'worker' ? workerEntry(import.meta.url, 'import-worker.ts', 'calibrators-import-worker') : null;
    this.worker = entry ? new JobWorker(entry, { label: 'calibrator import worker', workerData: { paths }, onSettled: () => store.refresh() }) : null;
  }

  /** Run one import; resolves to its result (the store has seen the commit), rejects with the parser's or the writer's error. */
  async run(job: CatalogImportJob, onProgress: Progress): Promise<CatalogImportResult> {
    if (!this.worker) return runCatalogImport(this.store, job, onProgress);
    return this.worker.run<CatalogImportResult>('import', job, new SharedArrayBuffer(4), onProgress as (phase: string, done: number, total: number) => void);
  }

  /** Stop the worker. */
  close(): Promise<void> {
    return this.worker?.close() ?? Promise.resolve();
  }
}
