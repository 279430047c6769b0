/**
 * Entry of the calibrator import worker thread: runs catalogue imports one after the other on its
 * own connection to the store, posting progress and then the result or the error of each, so the
 * main thread keeps answering the UI (and forwards the progress) while a large SearchCal or JSDC
 * file is written. The main store sees each commit through `Store.refresh()`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Store } from '../../db/store';
import type { AppPaths } from '../context';
import { runCatalogImport } from './import-job';
import type { CatalogWorkerMessage, CatalogWorkerRequest } from './import-runner';

const paths = (workerData as { paths: AppPaths }).paths;
const post = (m: CatalogWorkerMessage) => parentPort?.postMessage(m);
let store: Store | null = null;

parentPort?.on('message', (request: CatalogWorkerRequest) => {
  if (request.type === 'close') {
    store?.close();
    store = null;
    parentPort?.close();
    return;
  }
  const { id, job } = request;
  try {
    store ??= Store.open({ dataDir: paths.dataDir, migrationsDir: paths.migrationsDir });
    const result = runCatalogImport(store, job, (phase, done, total) => post({ type: 'progress', id, phase, done, total }));
    post({ type: 'done', id, result });
  } catch (e) {
    post({ type: 'error', id, message: e instanceof Error ? e.message : String(e) });
  }
});
