/**
 * Entry of the import worker thread: runs import jobs (the same `runImportJob` the CLI runs
 * inline) one after the other on its own connection to the store, posting progress and then the
 * report or the error of each. It stays alive between imports, so only the first one pays for
 * starting it; the main thread keeps answering the UI and sees each commit through `Store.refresh()`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '../../../shared/contract/define';
import { Store } from '../../db/store';
import type { AppPaths } from '../context';
import { brightStarCrossIds, runImportJob } from './import-job';
import type { ImportWorkerRequest, ImportWorkerMessage } from './import-runner';

const paths = (workerData as { paths: AppPaths }).paths;
const post = (m: ImportWorkerMessage) => parentPort?.postMessage(m);
let store: Store | null = null;

parentPort?.on('message', (request: ImportWorkerRequest) => {
  if (request.type === 'close') {
    store?.close();
    store = null;
    parentPort?.close();
    return;
  }
  const { id, job } = request;
  const cancelFlag = new Int32Array(request.cancel);
  try {
    store ??= Store.open({ dataDir: paths.dataDir, migrationsDir: paths.migrationsDir });
    const report = runImportJob(store, brightStarCrossIds(paths.resourcesDir), job, {
      onProgress: (phase, done, total) => post({ type: 'progress', id, phase, done, total }),
      isCancelled: () => Atomics.load(cancelFlag, 0) === 1,
    });
    post({ type: 'done', id, report });
  } catch (e) {
    post({ type: 'error', id, code: e instanceof ApiError ? e.code : 'internal', message: e instanceof Error ? e.message : String(e) });
  }
});
