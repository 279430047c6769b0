/**
 * Runs survey imports off the thread that answers the UI. In the desktop app and browser mode an
 * import runs in a worker thread (its own SQLite connection, the same `runImportJob`), so
 * "Writing n/N" progress events reach the UI while the write runs, and a cancel request (a shared
 * flag the write polls) rolls the transaction back. The CLI has no UI to keep alive and runs the
 * job inline. Either way the main store hears about the commit through `Store.refresh()`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ApiError, type ErrorCode } from '../../../shared/contract/define';
import type { ImportReport } from '../../../shared/model/survey';
import type { Store } from '../../db/store';
import type { AppPaths } from '../context';
import { brightStarCrossIds, runImportJob, type ImportJob, type ImportPhase } from './import-job';

/** What the worker receives. */
export interface ImportWorkerData {
  paths: AppPaths;
  job: ImportJob;
  /** Int32 flag: 1 asks the worker to cancel. */
  cancel: SharedArrayBuffer;
}

/** What the worker posts back. */
export type ImportWorkerMessage =
  | { type: 'progress'; phase: ImportPhase; done: number; total: number }
  | { type: 'done'; report: ImportReport }
  | { type: 'error'; code: ErrorCode; message: string };

/** Path of tsx's ESM register API (`tsx/esm/api`, its "import" export), read from tsx's own exports map. */
function tsxEsmApi(): string {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return join(dirname(pkgFile), pkg.exports['./esm/api'].import.default);
}

/**
 * The worker's entry file: the TypeScript source beside this module when running from the
 * checkout (loaded through tsx), else `import-worker.js` of a build (next to this chunk or one
 * folder up). Null when there is none; imports then run inline.
 */
export function importWorkerEntry(): { code: string; isEval: boolean } | null {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    // From the checkout: a bootstrap registers tsx's loader in the worker thread (a worker does not
    // inherit the loader bin.mjs registered), then loads the TypeScript entry.
    const tsxApi = pathToFileURL(tsxEsmApi()).href;
    const entry = pathToFileURL(join(dir, 'import-worker.ts')).href;
    return { code: `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, isEval: true };
  }
  for (const file of [join(dir, 'import-worker.js'), join(dir, '..', 'import-worker.js')]) {
    if (existsSync(file)) return { code: file, isEval: false };
  }
  return null;
}

export type ProgressListener = (phase: ImportPhase, done: number, total: number) => void;

export class ImportRunner {
  private readonly cancelFlags = new Set<Int32Array>();
  private readonly entry: ReturnType<typeof importWorkerEntry>;

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
    const entry = this.entry;
    return new Promise<ImportReport>((resolve, reject) => {
      const data: ImportWorkerData = { paths: this.paths, job, cancel };
      const worker = new Worker(entry.code, { workerData: data, eval: entry.isEval });
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        finish();
        fn();
      };
      worker.on('message', (m: ImportWorkerMessage) => {
        if (m.type === 'progress') onProgress(m.phase, m.done, m.total);
        else if (m.type === 'done') settle(() => resolve(m.report));
        else settle(() => reject(new ApiError(m.code, m.message)));
      });
      worker.on('error', (e) => settle(() => reject(new ApiError('internal', `import worker failed: ${e.message}`))));
      worker.on('exit', (code) => settle(() => reject(new ApiError('internal', `import worker exited (code ${code}) before finishing`))));
    });
  }

  /** Ask every running import to stop; returns how many were asked. */
  cancelAll(): number {
    for (const flag of this.cancelFlags) Atomics.store(flag, 0, 1);
    return this.cancelFlags.size;
  }
}
