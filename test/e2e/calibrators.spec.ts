/**
 * The Calibrators view end to end: pick calibrators for a survey target (real backbone, real
 * store), assign the best one, see it in the store, look at the Rejected tab, mark a star as bad,
 * and find the compact panel in the survey drawer.
 */
import { join } from 'node:path';
import { expect, SHARED_DIR, shot, test } from './fixtures';

test.use({ demoCount: 0 });

test('picks calibrators for a survey target and assigns one', async ({ page, app }) => {
  await app.services.call('survey.import', {
    fileName: 'targets.csv',
    content: 'name,ra_deg,dec_deg,vmag\nPleiades field,56.87,24.1,5.0\nHD 196275 field,309.31,-28.7,7.9\n',
  });
  const targetId = (await app.services.call('survey.list', { filter: { text: 'Pleiades' } })).rows[0].id;

  // The survey screen may report the import it heard about over events: close that report if it shows.
  const report = page.getByRole('dialog', { name: 'Import finished' });
  await report.waitFor({ state: 'visible', timeout: 5_000 }).then(() => page.keyboard.press('Escape'), () => undefined);
  await expect(report).toBeHidden();
  await page.getByTestId('nav-calibrators').click();
  await expect(page.getByTestId('calibrators-screen')).toBeVisible();
  await page.getByTestId('calibrators-target-select').click();
  await page.getByRole('option', { name: 'Pleiades field' }).click();

  const rows = page.getByTestId('candidate-row');
  await expect(rows.first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('tier-badge').first()).toHaveText(/^[ABCM]$/);
  await expect(page.getByTestId('score-terms').first()).toContainText('sky');
  await expect(page.getByTestId('calibrators-provenance')).toContainText('stellarium-hip');
  await expect(page.getByLabel('calibrator sky map').locator('.main-svg').first()).toBeVisible({ timeout: 60_000 });
  await shot(page, 'calibrators-candidates');

  const key = await rows.first().getAttribute('data-key');
  await page.getByTestId('assign-1').click();
  await expect(rows.first().getByTestId('assigned-badge')).toBeVisible();
  const assoc = await app.services.call('calibrators.associations', { targetId });
  expect(assoc.map((a) => a.key)).toEqual([key]);
  await page.getByTestId('tab-assigned').click();
  await expect(page.getByTestId('assigned-row')).toHaveCount(1);
  await shot(page, 'calibrators-assigned');

  await page.getByTestId('tab-rejected').click();
  await expect(page.getByTestId('rejected-row').first()).toBeVisible();
  await expect(page.getByTestId('rejected-rule').first()).not.toBeEmpty();
  await shot(page, 'calibrators-rejected');

  await page.getByTestId('tab-candidates').click();
  await page.getByTestId('actions-2').click();
  await page.getByTestId('mark-bad').click();
  await page.getByTestId('badcal-reason').fill('V² 5 % low on every baseline');
  await page.getByTestId('badcal-submit').click();
  await expect(page.getByRole('dialog')).toBeHidden();
  const bad = await app.services.call('calibrators.badList', {});
  expect(bad.map((b) => b.reason)).toEqual(['V² 5 % low on every baseline']);
  await page.getByTestId('tab-rejected').click();
  await expect(page.getByTestId('rejected-rule').filter({ hasText: 'badcal' })).toHaveCount(1);

  await page.getByTestId('theme-toggle').click();
  await page.getByTestId('tab-candidates').click();
  await shot(page, 'calibrators-night');
  await page.getByTestId('theme-toggle').click();

  await page.getByTestId('nav-survey').click();
  await page.getByTestId('survey-row').filter({ hasText: 'Pleiades field' }).click();
  const panel = page.getByTestId('calibrators-panel');
  await expect(panel.getByTestId('candidate-row').first()).toBeVisible({ timeout: 60_000 });
  await panel.scrollIntoViewIfNeeded();
  await shot(page, 'calibrators-drawer');
});

test('imports a SearchCal file and edits the policy from the Calibrators screen', async ({ page, app }) => {
  await page.getByTestId('nav-calibrators').click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('calibrators-import').click();
  await page.getByTestId('import-searchcal').click();
  await (await chooser).setFiles(join(SHARED_DIR, 'data/catalogs/jmmc-sclgui/SearchCal-ETA_TAU.scvot'));
  // 394 rows, of which four stars are listed twice: the earlier copies are skipped.
  await expect(page.getByTestId('calibrators-import-report')).toContainText('SearchCal-ETA_TAU.scvot (searchcal): 390 added, 0 updated, 0 unchanged, 4 skipped of 394');
  await shot(page, 'calibrators-import-report');
  await page.keyboard.press('Escape');
  const status = await app.services.call('calibrators.status', {});
  expect(status.importedRowCount).toBe(390);

  await page.getByTestId('calibrators-policy').click();
  const floor = page.getByTestId('policy-minVis2');
  await expect(floor).toHaveValue('0.6');
  await floor.fill('0.75');
  await shot(page, 'calibrators-policy');
  await page.getByTestId('policy-save').click();
  await expect(page.getByRole('dialog', { name: 'Calibrator policy' })).toBeHidden();
  expect((await app.services.call('calibrators.policy.get', {})).minVis2).toBe(0.75);
  const p = await app.services.call('calibrators.propose', { raDeg: 56.87, decDeg: 24.1, vmag: 5 });
  expect(p.candidates.every((c) => c.channels[0].vis2 >= 0.75)).toBe(true);
});
