/**
 * A SAMP peer pushes the file that froze the app (issue #18): the OIFITS whose negative PCOUNT
 * made the reader loop for ever. A real JSAMP `messagesender` sends it with `table.load.fits` to
 * the real server (its embedded hub, isolated with SAMP_HUB), the Review screen opens it on its
 * own as it does every received file, shows a one-line error, and the app keeps answering. A good
 * file received the same way may then get a verdict: received files are inside the write scope.
 * Only the public API is used (samp.connect, review.*), not the hub or client internals.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loopingFits } from '../unit/hardening/hostile';
import { expect, REPO_ROOT, shot, test } from './fixtures';

const JAR = '/usr/share/java/jsamp.jar';
const jsampMissing = !existsSync(JAR) || spawnSync('java', ['-version']).status !== 0;
const work = mkdtempSync(join(tmpdir(), 'samp-hostile-'));
const SAMP_HUB = `std-lockurl:file://${join(work, 'lockfile')}`;

test.use({ demoCount: 0, serverEnv: { SAMP_HUB } });
test.skip(jsampMissing, 'JSAMP not installed (apt-get install jsamp)');
test.afterAll(() => rmSync(work, { recursive: true, force: true }));

function sendFits(path: string, name: string): string {
  const r = spawnSync(
    'java',
    ['-Djava.awt.headless=true', '-cp', JAR, 'org.astrogrid.samp.JSamp', 'messagesender', '-mtype', 'table.load.fits', '-param', 'url', pathToFileURL(path).href, '-param', 'name', name, '-targetname', 'SPICA Companion', '-mode', 'sync'],
    { env: { ...process.env, SAMP_HUB }, encoding: 'utf8', timeout: 60_000 },
  );
  return `${r.stdout}\n${r.stderr}`;
}

test('a peer pushing the freezing OIFITS file is told why it was declined, and the app keeps answering', async ({ page, app }) => {
  test.setTimeout(150_000);
  await app.services.call('samp.connect', {});
  await page.getByTestId('nav-review').click();

  // The SAMP bridge reads the file's structure (sizes checked against the file before any loop)
  // and declines it with the reader's reason; nothing reaches the Review queue.
  const hostile = loopingFits(join(work, 'freezing.fits'));
  const reply = sendFits(hostile, 'freezing.fits');
  expect(reply).toContain('samp.error');
  expect(reply).toMatch(/PCOUNT = -\d+ is negative/);
  // The services still answer, and the UI still moves.
  expect((await app.services.call('app.info', {})).transport).toBe('browser');
  expect(await app.services.call('review.queue', {})).toMatchObject({ items: [] });
  expect(await app.services.call('samp.receivedFiles', {})).toEqual([]);
  await page.getByTestId('nav-survey').click();
  await page.getByTestId('nav-review').click();

  // A good file received over SAMP waits in the inbox, opens when chosen, and may be flagged:
  // received files are writable.
  const good = join(work, 'received-good.fits');
  copyFileSync(join(REPO_ROOT, 'test/fixtures/samp/Aspro2_zet_Oph_CHARA_SPICA.fits'), good);
  expect(sendFits(good, 'received-good.fits')).toContain('samp.ok');
  const inbox = page.getByTestId('review-samp-inbox');
  await expect(inbox.getByTestId('review-samp-file')).toHaveCount(1);
  await inbox.getByTestId('review-samp-file').getByRole('button').first().click();
  await expect(page.locator('[data-testid="plot-review-frequency"][data-plotted="true"]')).toBeVisible({ timeout: 30_000 });
  await shot(page, 'review-samp-hostile-file');
  const written = await app.services.call('review.setQuality', { path: good, level: 4, reviewer: 'SAMP test' });
  expect(written.item.qualityLevel).toBe(4);
});
