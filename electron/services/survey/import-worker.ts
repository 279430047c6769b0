/**
 * Entry of the import worker thread: opens its own connection to the store, runs the import job
 * (the same code the CLI runs inline) and posts progress, then the report or the error. The main
 * thread keeps answering the UI meanwhile; it sees the commit through `Store.refresh()`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '../../../shared/contract/define';
import { Store } from '../../db/store';
import { brightStarCrossIds, runImportJob } from './import-job';
import type { ImportWorkerData, ImportWorkerMessage } from './import-runner';

const data = workerData as ImportWorkerData;
const post = (m: ImportWorkerMessage) => parentPort?.postMessage(m);
const cancelFlag = new Int32Array(data.cancel);
let store: Store | null = null;
try {
  store = Store.open({ dataDir: data.paths.dataDir, migrationsDir: data.paths.migrationsDir });
  const report = runImportJob(store, brightStarCrossIds(data.paths.resourcesDir), data.job, {
    onProgress: (phase, done, total) => post({ type: 'progress', phase, done, total }),
    isCancelled: () => Atomics.load(cancelFlag, 0) === 1,
  });
  post({ type: 'done', report });
} catch (e) {
  post({
    type: 'error',
    code: e instanceof ApiError ? e.code : 'internal',
    message: e instanceof Error ? e.message : String(e),
  });
} finally {
  store?.close();
}
