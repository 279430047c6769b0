/**
 * The SAMP bridge from the UI, with a real JSAMP peer: connect (the app starts its embedded hub),
 * see a JSAMP snooper named Aspro2 in the header indicator, send survey targets to it, receive a
 * table from JSAMP's messagesender and add it to the survey, read the log. The server's hub is
 * isolated with SAMP_HUB in a temp folder.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JSAMP_JAR, peerMissing } from '../interop/require-peer';
import { expect, shot, test } from './fixtures';

const JAR = JSAMP_JAR;
const jsampMissing = peerMissing('jsamp');
const FIXTURES = join(import.meta.dirname, '../fixtures/samp');
const hubDir = mkdtempSync(join(tmpdir(), 'samp-e2e-'));
const SAMP_HUB = `std-lockurl:file://${join(hubDir, 'lockfile')}`;
const jsamp = (...args: string[]) => ['-Djava.awt.headless=true', '-cp', JAR, 'org.astrogrid.samp.JSamp', ...args];

test.use({ demoCount: 120, serverEnv: { SAMP_HUB } });
test.skip(jsampMissing !== null, jsampMissing ?? '');

let snooper: ChildProcess | null = null;
let snooperOut = '';
test.afterAll(() => {
  snooper?.kill('SIGTERM');
  rmSync(hubDir, { recursive: true, force: true });
});

test('connects, sends targets to Aspro2, receives a table and logs both', async ({ page, app }) => {
  await expect(page.getByTestId('samp-status')).toContainText('SAMP off');
  await page.getByTestId('samp-status').click();
  await page.getByTestId('samp-toggle').click();
  await expect(page.getByTestId('samp-status')).toContainText('SAMP: 0 apps');
  await shot(page, 'samp-status-popover');
  await page.keyboard.press('Escape');

  snooper = spawn('java', jsamp('snooper', '-clientname', 'Aspro2', '-mtype', 'table.load.votable'), { env: { ...process.env, SAMP_HUB }, stdio: ['ignore', 'pipe', 'pipe'] });
  snooper.stdout?.on('data', (d: Buffer) => (snooperOut += d.toString()));
  await expect(page.getByTestId('samp-status')).toContainText('SAMP: Aspro2', { timeout: 30_000 });

  await page.getByTestId('nav-samp').click();
  await expect(page.getByTestId('samp-screen')).toBeVisible();
  const { rows } = await app.services.call('survey.list', { filter: { text: 'HD 1' } });
  await page.getByTestId('samp-send-filter').fill('HD 1');
  await expect(page.getByTestId('samp-send')).toContainText(`${rows.length} target`);
  await page.getByTestId('send-aspro2').click();
  await page.getByTestId('send-night').fill('2026-09-14');
  await shot(page, 'samp-send-modal');
  await page.getByTestId('send-aspro2-submit').click();
  // Sent as a call: success is only shown when the peer answered (JSAMP's snooper answers a warning).
  await expect(page.getByText(new RegExp(`^Aspro2 received ${rows.length} targets and \\d+ calibrators? \\(warning from Aspro2: Message logged, not acted on\\)\\.$`))).toBeVisible();
  await expect.poll(() => /\/files\/[0-9a-f]+\/spica-2026-09-14\.vot/.test(snooperOut), { timeout: 15_000 }).toBe(true);

  const sender = spawnSync('java', jsamp('messagesender', '-mtype', 'table.load.votable', '-param', 'url', pathToFileURL(join(FIXTURES, 'Aspro2_exported_targets.vot')).href, '-param', 'name', 'ASPRO2 targets', '-targetname', 'SPICA Companion', '-mode', 'sync'), { env: { ...process.env, SAMP_HUB }, encoding: 'utf8', timeout: 30_000 });
  expect(sender.stdout).toContain('samp.ok');
  const received = page.getByTestId('samp-received-table');
  await expect(received).toContainText('ASPRO2 targets');
  await received.getByRole('button', { name: 'Preview' }).click();
  await shot(page, 'samp-screen-received');
  const before = (await app.services.call('survey.list', { filter: {} })).total;
  await page.getByTestId('samp-accept').click();
  await expect(page.getByText(/added,/)).toBeVisible();
  expect((await app.services.call('survey.list', { filter: {} })).total).toBeGreaterThan(before);
  await expect(received).toHaveCount(0);

  const target = rows[0];
  const point = spawnSync('java', jsamp('messagesender', '-mtype', 'coord.pointAt.sky', '-param', 'ra', `"${target.raDeg}"`, '-param', 'dec', `"${target.decDeg}"`, '-targetname', 'SPICA Companion', '-mode', 'sync'), { env: { ...process.env, SAMP_HUB }, encoding: 'utf8', timeout: 30_000 });
  expect(point.stdout).toContain('samp.ok');
  const pointed = page.getByText(`Nearest survey target: ${target.name}`);
  await expect(pointed).toBeVisible();
  await shot(page, 'samp-point-at');
  await pointed.click();
  await expect(page.getByTestId('nav-target')).toHaveAttribute('data-active', 'true');
  await page.getByTestId('nav-samp').click();

  const log = page.getByTestId('samp-log');
  await expect(log.getByTestId('samp-log-row').filter({ hasText: 'to Aspro2' })).toHaveCount(1);
  await expect(log.getByTestId('samp-log-row').filter({ hasText: 'table.load.votable' })).toHaveCount(2);
  await expect(log.getByTestId('samp-log-row').filter({ hasText: 'coord.pointAt.sky' })).toHaveCount(1);
  await page.keyboard.press('n');
  await shot(page, 'samp-screen-night');

  await page.getByTestId('samp-connect').click();
  await expect(page.getByTestId('samp-status')).toContainText('SAMP off');
  // Our hub says samp.hub.event.shutdown to the snooper, then removes its lockfile.
  await expect.poll(() => existsSync(join(hubDir, 'lockfile')), { timeout: 10_000 }).toBe(false);
});
