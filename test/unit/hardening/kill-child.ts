/**
 * The process the kill tests kill: it runs the app's real services over a real store and prints a
 * line at each step, so the parent can aim its `kill -9` at the import transaction, the verdict
 * writes or the backup copy. Bundled by the test (with the OIFITS worker beside it, as in the
 * Electron build) so that one run starts in a fraction of a second.
 *
 *   kill-child import <dataDir> <migrationsDir> <csvPath>
 *   kill-child flag   <dataDir> <migrationsDir> <file>...   (loops over the files until killed)
 *   kill-child once   <dataDir> <migrationsDir> <file>      (one verdict; used for the backup copy)
 *   kill-child scan   <dataDir> <migrationsDir>             (the next start: scan, print the queue as JSON)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../../electron/db/store';
import type { ServiceContext } from '../../../electron/services/context';
import { createReviewService } from '../../../electron/services/review';
import { createSurveyService } from '../../../electron/services/survey';
import { FileSecretStore } from '../../../electron/services/sync/secrets';

const [mode, dataDir, migrationsDir, ...rest] = process.argv.slice(2);
const say = (line: string): void => void process.stdout.write(`${line}\n`);

const store = Store.open({ dataDir, migrationsDir });
const ctx: ServiceContext = {
  store,
  // The bundled resources of the checkout (migrations/../../../resources): imports read the bright-star list.
  paths: { dataDir, migrationsDir, resourcesDir: join(migrationsDir, '..', '..', '..', 'resources') },
  transport: 'cli',
  emit: (event, payload) => {
    const p = payload as { phase?: string; done?: number };
    if (event === 'survey.importProgress' && p.phase === 'writing' && p.done === 0) say('writing');
  },
  on: () => () => undefined,
  peers: {},
  secrets: new FileSecretStore(dataDir),
};

if (mode === 'import') {
  const survey = createSurveyService(ctx, 'kill-test');
  const content = readFileSync(rest[0], 'utf8');
  say('ready');
  const report = await survey.handlers['survey.import']({ fileName: 'kill.csv', content });
  say(`done ${report.added}`);
} else if (mode === 'scan') {
  const review = createReviewService(ctx);
  const queue = await review.handlers['review.queue']({});
  say(`queue ${JSON.stringify(queue.items.map((i) => ({ path: i.path, qualityLevel: i.qualityLevel, readError: i.readError })))}`);
  await review.close?.();
} else {
  const review = createReviewService(ctx);
  say('ready');
  for (let i = 0; ; i++) {
    const path = rest[i % rest.length];
    say(`start ${i}`);
    await review.handlers['review.setQuality']({ path, level: i % 6, comment: `write ${i}`, reviewer: `killer ${process.pid}`, backup: true });
    say(`wrote ${i}`);
    if (mode === 'once') break;
  }
  await review.close?.();
}
store.close();
