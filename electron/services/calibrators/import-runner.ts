/**
 * Runs catalogue imports off the thread that answers the UI: in the desktop app and browser mode
 * on a worker thread (its own SQLite connection, the same `runCatalogImport`), so progress events
 * reach the UI while the rows are written; the CLI has no UI to keep alive and runs them inline.
 */
import { Worker } from 'node:worker_threads';
import type { Store } from '../../db/store';
import type { AppPaths } from '../context';
import { closeWorker, workerEntry } from '../worker-entry';
import { runCatalogImport, type CatalogImportJob, type CatalogImportPhase, type CatalogImportResult } from './import-job';

export type CatalogWorkerRequest = { type: 'run'; id: number; job: CatalogImportJob } | { type: 'close' };

export type CatalogWorkerMessage =
  | { type: 'progress'; id: number; phase: CatalogImportPhase; done: number; total: number }
  | { type: 'done'; id: number; result: CatalogImportResult }
  | { type: 'error'; id: number; message: string };

type Progress = (phase: CatalogImportPhase, done: number, total: number) => void;

export class CatalogImportRunner {
  private readonly entry: ReturnType<typeof workerEntry>;
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, { onProgress: Progress; resolve(r: CatalogImportResult): void; reject(e: Error): void }>();
  private nextId = 1;

  constructor(
    private readonly store: Store,
    private readonly paths: AppPaths,
    mode: 'worker' | 'inline',
  ) {
    this.entry = mode === 'worker' ? workerEntry(import.meta.url, 'import-worker.ts', 'calibrators-import-worker') : null;
  }

  /** Run one import; resolves to its result (the store has seen the commit), rejects with the parser's or the writer's error. */
  run(job: CatalogImportJob, onProgress: Progress): Promise<CatalogImportResult> {
    if (!this.entry) {
      try {
        return Promise.resolve(runCatalogImport(this.store, job, onProgress));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const worker = this.ensureWorker(this.entry);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { onProgress, resolve, reject });
      worker.ref();
      worker.postMessage({ type: 'run', id, job } satisfies CatalogWorkerRequest);
    });
  }

  private ensureWorker(entry: NonNullable<ReturnType<typeof workerEntry>>): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(entry.code, { workerData: { paths: this.paths }, eval: entry.isEval });
    const failAll = (message: string) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, job] of this.jobs) {
        this.jobs.delete(id);
        job.reject(new Error(message));
      }
    };
    worker.on('message', (m: CatalogWorkerMessage) => {
      const job = this.jobs.get(m.id);
      if (!job) return;
      if (m.type === 'progress') {
        job.onProgress(m.phase, m.done, m.total);
        return;
      }
      this.jobs.delete(m.id);
      if (this.jobs.size === 0) worker.unref();
      this.store.refresh();
      if (m.type === 'done') job.resolve(m.result);
      else job.reject(new Error(m.message));
    });
    worker.on('error', (e) => failAll(`calibrator import worker failed: ${e.message}`));
    worker.on('exit', (code) => failAll(`calibrator import worker exited (code ${code}) before finishing`));
    this.worker = worker;
    return worker;
  }

  /** Stop the worker. */
  close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return Promise.resolve();
    this.worker = null;
    return closeWorker(worker);
  }
}
