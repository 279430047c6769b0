/**
 * The Calibrators view end to end: pick calibrators for a survey target (real backbone, real
 * store), assign the best one, see it in the store, look at the Rejected tab, mark a star as bad,
 * and find the compact panel in the survey drawer.
 */
import { join } from 'node:path';
import { expect, REPO_ROOT, shot, test } from './fixtures';

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
  await (await chooser).setFiles(join(REPO_ROOT, 'test/fixtures/calibrators/SearchCal-ETA_TAU.scvot'));
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

/** Right edge of the candidates' action column and the table's scroll overflow, at the current viewport. */
async function tableFit(page: import('@playwright/test').Page) {
  return page.evaluate(() => {
    const table = document.querySelector('[data-testid="candidate-table"]') as HTMLElement;
    let scroller: HTMLElement | null = table.parentElement;
    while (scroller && getComputedStyle(scroller).overflowX !== 'auto' && getComputedStyle(scroller).overflowX !== 'scroll') scroller = scroller.parentElement;
    const action = table.querySelector('[data-testid="assign-1"], [data-testid="unassign-1"]') as HTMLElement;
    const dots = table.querySelector('[data-testid="actions-1"]') as HTMLElement;
    return {
      overflowPx: scroller ? scroller.scrollWidth - scroller.clientWidth : 0,
      actionRight: dots.getBoundingClientRect().right,
      actionLeft: action.getBoundingClientRect().left,
      viewport: window.innerWidth,
      pageOverflowPx: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
  });
}

test('fits 1600 and 1280 px, says what to do when nothing is assigned, keeps a BadCal list with undo, and offers NSS 2025', async ({ page, app }) => {
  // Every BadCal change re-ranks the open proposal on the server: on a loaded 2-core box that is slow.
  test.setTimeout(300_000);
  await app.services.call('survey.import', { fileName: 't.csv', content: 'name,ra_deg,dec_deg,vmag\nHD 89239 field,155.0,27.4,6.5\n' });
  const report = page.getByRole('dialog', { name: 'Import finished' });
  await report.waitFor({ state: 'visible', timeout: 5_000 }).then(() => page.keyboard.press('Escape'), () => undefined);
  await page.getByTestId('nav-calibrators').click();
  await page.getByTestId('calibrators-target-select').click();
  await page.getByRole('option', { name: 'HD 89239 field' }).click();
  // S1-E1 with its PoPs: each candidate says when it is observable tonight with them.
  for (const s of ['S2', 'E2', 'W1', 'W2']) await page.getByTestId('calibrators-screen').locator('label').filter({ hasText: new RegExp(`^${s}$`) }).click();
  await page.getByTestId('calibrators-pops').fill('12');
  const rows = page.getByTestId('candidate-row');
  await expect(rows.first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('observable').first()).toContainText(/UT\d+\.\d h · PoPs 12/);
  await expect(page.getByTestId('veto-lambda-badge')).toHaveText('vetoes at 0.6142 µm');
  await expect(page.getByTestId('tab-rejected')).toContainText(/Rejected \(\d+\)|of/);

  for (const [width, theme] of [[1600, 'dark'], [1280, 'dark'], [1280, 'night'], [1600, 'night']] as const) {
    await page.setViewportSize({ width, height: 900 });
    if (theme === 'night' && width === 1280) await page.getByTestId('theme-toggle').click();
    await page.getByTestId('tab-candidates').click();
    await expect(rows.first()).toBeVisible();
    const fit = await tableFit(page);
    // No hidden horizontal scroll, and the action column inside the window.
    expect(fit.overflowPx, `${width} px`).toBeLessThanOrEqual(0);
    expect(fit.pageOverflowPx, `${width} px`).toBeLessThanOrEqual(0);
    expect(fit.actionRight, `${width} px`).toBeLessThanOrEqual(fit.viewport);
    await shot(page, `calibrators-${width}-${theme}`);
  }
  await page.getByTestId('theme-toggle').click();
  await page.setViewportSize({ width: 1600, height: 900 });

  await page.getByTestId('tab-assigned').click();
  await expect(page.getByTestId('assigned-empty')).toContainText('Use Assign on a candidate');
  await shot(page, 'calibrators-assigned-empty');

  // Mark a candidate bad, then undo from the bar.
  await page.getByTestId('tab-candidates').click();
  const firstKey = await rows.first().getAttribute('data-key');
  await page.getByTestId('actions-1').click();
  await page.getByTestId('mark-bad').click();
  await page.getByTestId('badcal-reason').fill('drift');
  await page.getByTestId('badcal-submit').click();
  await expect(page.getByTestId('badcal-undo-bar')).toBeVisible();
  await expect(rows.first()).not.toHaveAttribute('data-key', firstKey!);
  await page.getByTestId('badcal-undo').click();
  await expect(rows.first()).toHaveAttribute('data-key', firstKey!);
  expect(await app.services.call('calibrators.badList', {})).toEqual([]);

  // The list: add by name (resolved), refuse a name that matches nothing, remove (undo).
  await page.getByTestId('calibrators-badcal').click();
  await expect(page.getByTestId('badcal-empty')).toBeVisible();
  await page.getByTestId('badcal-add-name').fill('alpha Lyrae');
  await page.getByTestId('badcal-add-reason').fill('resolved at 330 m');
  await page.getByTestId('badcal-add').click();
  await expect(page.getByTestId('badcal-message')).toContainText('alpha Lyrae (alf Lyr) marked as a bad calibrator (HD 172167)');
  await page.getByTestId('badcal-add-name').fill('No Such Star 7');
  await page.getByTestId('badcal-add-reason').fill('x');
  await page.getByTestId('badcal-add').click();
  await expect(page.getByTestId('badcal-message')).toContainText('no catalogue star is named "No Such Star 7"');
  await expect(page.getByTestId('badcal-row')).toHaveCount(1);
  await shot(page, 'calibrators-badcal-list');
  await page.getByTestId('badcal-remove').click();
  await expect(page.getByTestId('badcal-empty')).toBeVisible();
  await page.keyboard.press('Escape');

  // NSS 2025 as a preset beside the app's policy.
  await page.getByTestId('calibrators-policy').click();
  await page.getByTestId('policy-preset').getByText('NSS 2025').click();
  await expect(page.getByTestId('policy-nss-secDecRangeDeg')).toHaveValue('2');
  await shot(page, 'calibrators-policy-nss');
  await page.getByTestId('policy-save').click();
  await expect(page.getByTestId('preset-badge')).toHaveText('NSS 2025');
  expect((await app.services.call('calibrators.policy.get', {})).preset).toBe('nss-2025');
  await shot(page, 'calibrators-nss-1600');
});
