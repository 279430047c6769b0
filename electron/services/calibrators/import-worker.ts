/**
 * Entry of the calibrator import worker thread: runs catalogue imports one after the other on its
 * own connection to the store, posting progress and then the result or the error of each, so the
 * main thread keeps answering the UI (and forwards the progress) while a large SearchCal or JSDC
 * file is written. The main store sees each commit through `Store.refresh()`.
 */
import { workerData } from 'node:worker_threads';
import { Store } from '../../db/store';
import type { AppPaths } from '../context';
import { serveJobs, type JobContext } from '../job-worker';
import { runCatalogImport, type CatalogImportJob } from './import-job';

const paths = (workerData as { paths: AppPaths }).paths;
let store: Store | null = null;

serveJobs(
  {
    import: (job: CatalogImportJob, { progress }: JobContext) => {
      store ??= Store.open({ dataDir: paths.dataDir, migrationsDir: paths.migrationsDir });
      return runCatalogImport(store, job, progress);
    },
  },
  {
    onClose: () => {
      store?.close();
      store = null;
    },
  },
);
