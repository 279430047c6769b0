/**
 * Entry of the import worker thread: runs import jobs (the same `runImportJob` the CLI runs
 * inline) one after the other on its own connection to the store, posting progress and then the
 * report or the error of each. It stays alive between imports, so only the first one pays for
 * starting it; the main thread keeps answering the UI and sees each commit through `Store.refresh()`.
 */
import { workerData } from 'node:worker_threads';
import { Store } from '../../db/store';
import type { AppPaths } from '../context';
import { serveJobs, type JobContext } from '../job-worker';
import { brightStarCrossIds, runImportJob, type ImportJob } from './import-job';

const paths = (workerData as { paths: AppPaths }).paths;
let store: Store | null = null;

serveJobs(
  {
    import: (job: ImportJob, { progress, isCancelled }: JobContext) => {
      store ??= Store.open({ dataDir: paths.dataDir, migrationsDir: paths.migrationsDir });
      return runImportJob(store, brightStarCrossIds(paths.resourcesDir), job, { onProgress: progress, isCancelled });
    },
  },
  {
    onClose: () => {
      store?.close();
      store = null;
    },
  },
);
