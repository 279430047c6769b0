/**
 * Sync with SPICA-DB end to end in browser mode, against the JMMC stand-in (test/sync/jmmc-fake.ts)
 * running in this test process: configure a local test pair, pull 3000 rows, sign in, go offline,
 * edit a PI priority and a comment in the target drawer (pending), come back online and push, see
 * a co-I's concurrent edit as a conflict and resolve it, see a row the user does not own refused
 * with the server's reason. Screenshots (dark and night, 1600 and 1280 px) go to
 * test-results/screens/sync-*.png; the pull time and push round trip to test-results/sync-figures.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { COI, ME, spicaRows, startFake } from '../sync/fixtures';
import type { JmmcFake } from '../sync/jmmc-fake';
import { expect, REPO_ROOT, shot, test } from './fixtures';

test.use({ demoCount: 0, serverEnv: { SPICA_SYNC_RETRY_DELAYS_MS: '50,100' } });

let fake: JmmcFake;
test.beforeEach(async () => {
  fake = await startFake(3000);
});
test.afterEach(async () => {
  await fake.close();
});

const rows = spicaRows(3000);
// Four-digit ids, so the name filter "* synthetic 1234" finds exactly one target.
const firstOf = (pi: string) => rows.find((r) => (r.spicadb_id as number) >= 1000 && r.piname === pi && r.progname2 === null) as Record<string, unknown>;

async function openTarget(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-survey').click();
  await page.getByTestId('filter-text').fill(name);
  // The filter is debounced: wait until the one row shown is this target, not the last one.
  const row = page.getByTestId('survey-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(name);
  await row.click();
  // The drawer's other panels (observability) compute on the same loaded server: allow for it.
  await expect(page.getByTestId('pi-fields')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('target-drawer').getByRole('heading', { name, exact: true })).toBeVisible();
}

async function shots(page: Page, name: string): Promise<void> {
  for (const width of [1600, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await shot(page, `sync-${name}-dark-${width}`);
  }
  await page.keyboard.press('n');
  await expect(page.locator('html')).toHaveAttribute('data-theme-mode', 'night');
  for (const width of [1600, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await shot(page, `sync-${name}-night-${width}`);
  }
  await page.keyboard.press('n');
  await expect(page.locator('html')).toHaveAttribute('data-theme-mode', 'dark');
  await page.setViewportSize({ width: 1500, height: 900 });
}

test('configure a test pair, pull 3000 rows, edit offline, push, resolve a conflict, see a refusal', async ({ page, app }) => {
  test.setTimeout(240_000);
  // 1. Configure the local pair in the Sync panel and pull.
  await expect(page.getByTestId('sync-indicator')).toContainText('not synced');
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('sync-env').getByText('Custom pair').click();
  await page.getByTestId('sync-tap-url').fill(fake.tapUrl);
  await page.getByTestId('sync-api-url').fill(fake.apiUrl);
  await page.getByTestId('sync-login').fill(ME.email);
  await page.getByTestId('sync-save').click();
  await expect(page.getByTestId('sync-indicator-details').or(page.getByTestId('sync-status-card'))).toContainText('custom (127.0.0.1');
  const pullStarted = Date.now();
  await page.getByTestId('sync-pull').click();
  await expect(page.getByTestId('sync-rows')).toContainText('3000 rows (COUNT(*) 3000) · complete', { timeout: 90_000 });
  const pullWallMs = Date.now() - pullStarted;
  await expect(page.getByTestId('sync-indicator')).toContainText('Synced');
  const [pullReport] = await app.services.call('sync.runs', { limit: 1 });
  expect(pullReport.pull).toMatchObject({ rows: 3000, added: 3000, complete: true });

  // 2. Sign in (the password goes to the main process and never comes back).
  await page.getByTestId('sync-password').fill(ME.password);
  await page.getByTestId('sync-sign-in').click();
  await expect(page.getByTestId('sync-credentials')).toContainText(`Password of ${ME.email} kept in: file`);
  expect(JSON.stringify(await app.services.call('sync.status', {}))).not.toContain(ME.password);

  // 3. Offline: JMMC unreachable. Edits go on in the target drawer.
  await fake.suspend();
  const mine = firstOf('PI_A');
  const delegated = firstOf('PI_C');
  const notMine = firstOf('PI_B');
  await openTarget(page, mine.target_main_id as string);
  const drawer = page.getByTestId('pi-fields');
  const newPriority = mine.priority_pi === 0 ? '1 · low' : '0 · high';
  await drawer.getByTestId('edit-priority_pi').getByText(newPriority).click();
  await drawer.getByTestId('edit-comments').fill('Observe  before\nmidnight');
  await expect(drawer).toContainText('SPICA-DB stores comments on one line');
  await drawer.getByTestId('save-pi-rank1').click();
  await expect(drawer.getByTestId('pending-priority_pi')).toHaveText('pending until pushed');
  await expect(drawer.getByTestId('pending-comments')).toBeVisible();
  await shots(page, 'drawer-pending');
  await page.keyboard.press('Escape');

  await openTarget(page, delegated.target_main_id as string);
  await page.getByTestId('pi-fields').getByTestId('edit-comments').fill('mine: needs a PoP check');
  await page.getByTestId('pi-fields').getByTestId('save-pi-rank1').click();
  await expect(page.getByTestId('pi-fields').getByTestId('pending-comments')).toBeVisible();
  await page.keyboard.press('Escape');
  await openTarget(page, notMine.target_main_id as string);
  await page.getByTestId('pi-fields').getByTestId('edit-comments').fill('not my row');
  await page.getByTestId('pi-fields').getByTestId('save-pi-rank1').click();
  await expect(page.getByTestId('pi-fields').getByTestId('pending-comments')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('sync-indicator')).toContainText('3 pending');

  await page.getByTestId('sync-indicator').click();
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-indicator')).toContainText('SPICA-DB offline', { timeout: 30_000 });
  await expect(page.getByTestId('sync-indicator')).toContainText('3 pending');
  await shots(page, 'offline');
  await page.keyboard.press('Escape');

  // Meanwhile a co-I edits the same comment in SPICA-DB.
  fake.writeAs(COI.email, 'spica', [{ spicadb_id: delegated.spicadb_id, comments: 'theirs: observe with W1-W2 only' }]);

  // 4. Back online: push.
  await fake.resume();
  await page.getByTestId('nav-sync').click();
  await page.getByTestId('sync-run').click();
  await expect(page.getByTestId('sync-conflict')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.getByTestId('sync-refused')).toHaveCount(1);
  await expect(page.getByTestId('sync-refused-reason')).toHaveText("HTTP 401: Operation restricted to record's owner(PI_B), delegated users or admins");
  await expect(page.getByTestId('conflict-theirs')).toHaveText('theirs: observe with W1-W2 only');
  await expect(page.getByTestId('conflict-mine')).toHaveText('mine: needs a PoP check');
  await expect(page.getByTestId('conflict-by')).toContainText(`by ${COI.email}`);
  expect(fake.row('spica', mine.spicadb_id as number)).toMatchObject({ priority_pi: mine.priority_pi === 0 ? 1 : 0, comments: 'Observe before midnight' });
  const [pushReport] = await app.services.call('sync.runs', { limit: 1 });
  expect(pushReport.push).toMatchObject({ rows: 1 });
  await shots(page, 'panel-conflict');

  // 5. Resolve: push mine over the co-I's comment.
  await page.getByTestId('conflict-keep-mine').click();
  await expect(page.getByTestId('sync-conflict')).toHaveCount(0);
  await page.getByTestId('sync-run').click();
  await expect(page.getByTestId('sync-pending')).toHaveText('0 edits pending', { timeout: 60_000 });
  expect(fake.row('spica', delegated.spicadb_id as number)?.comments).toBe('mine: needs a PoP check');
  await expect(page.getByTestId('sync-indicator')).toContainText('1 refused');
  const [resolveReport] = await app.services.call('sync.runs', { limit: 1 });

  // The drawer shows the pushed, normalised comment and nothing pending.
  await openTarget(page, mine.target_main_id as string);
  await expect(page.getByTestId('pi-fields').getByTestId('edit-comments')).toHaveValue('Observe before midnight');
  await expect(page.getByTestId('pi-fields').getByTestId('pending-comments')).toHaveCount(0);
  await page.keyboard.press('Escape');

  const figures = {
    pullRows: pullReport.pull?.rows,
    pullMs: pullReport.pull?.durationMs,
    pullWallMsFromClick: pullWallMs,
    pushRoundTripMs: [...(pushReport.push?.roundTripMs ?? []), ...(resolveReport.push?.roundTripMs ?? [])],
    pushDurationMs: pushReport.push?.durationMs,
  };
  mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(REPO_ROOT, 'test-results', 'sync-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`sync e2e figures: ${JSON.stringify(figures)}`);
});

test.describe('provisional completion', () => {
  test.use({ demoCount: 300 });

  test('shows completion logged here as provisional, ranks with it, and keeps demo edits local', async ({ page, app }) => {
    // The demo survey's observing log was "logged here": its completion is provisional.
    const { rows } = await app.services.call('survey.list', { filter: {} });
    const t = rows.find((r) => r.completionDatabase !== undefined && r.completionRate > r.completionDatabase) as (typeof rows)[number];
    expect(t).toBeDefined();
    await page.getByTestId('filter-text').fill(t.name);
    await expect(page.getByTestId('survey-row').first()).toContainText(t.name);
    await expect(page.getByTestId('survey-row').first()).toContainText('*');
    await page.getByTestId('survey-row').first().click();
    await expect(page.getByTestId('drawer-completion')).toContainText(`provisional (SPICA-DB ${Math.round((t.completionDatabase as number) * 100)}%)`);
    await expect(page.getByTestId('pi-fields')).toContainText('demo target: edited here only', { timeout: 60_000 });
    await shots(page, 'drawer-provisional');
  });
});
