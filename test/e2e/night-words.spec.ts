/**
 * Truthful words and real progress (issue #11), in Chromium against browser mode:
 * - the Target view names the LIMITING constraint: eps Ori with manual PoPs 111 on S1-E1-W1 is out
 *   of the delay lines' reach (not "below the horizon" at dusk), and says what the best PoPs give;
 * - the Moon is given lit and up or down, not "Moon 0 %";
 * - the navigation's target count follows an import made by another process (the CLI);
 * - an OIFITS file dropped on the Survey is named a FITS file and opens in Review;
 * - a large SearchCal import shows "Writing n / N rows" while the worker writes.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bigSearchCal } from '../fixtures/calibrators/big-searchcal';
import { expect, REPO_ROOT, shot, test } from './fixtures';

test.use({ demoCount: 0 });

test('the Target view names the limiting constraint and the Moon as it is', async ({ page, app }) => {
  await app.services.call('survey.import', { fileName: 'stars.csv', content: 'name,ra_deg,dec_deg,vmag\neps Ori,84.05333,-1.20194,1.7\n' });
  await page.getByRole('dialog', { name: 'Import finished' }).waitFor({ state: 'visible', timeout: 5_000 }).then(() => page.keyboard.press('Escape'), () => undefined);
  await page.getByTestId('nav-target').click();
  await page.getByTestId('target-select').click();
  await page.getByRole('option', { name: 'eps Ori', exact: true }).click();
  await page.getByTestId('target-screen').getByTestId('night-input').fill('2026-12-07');
  for (const s of ['S2', 'E2', 'W2']) await page.getByTestId(`station-${s}`).click();
  await page.getByText('manual', { exact: true }).click();
  await page.getByTestId('pops-input').fill('111');
  const words = page.getByTestId('intervals');
  await expect(words).toContainText("Not observable: out of the delay lines' reach with PoPs 111 (S1 E1 W1)", { timeout: 60_000 });
  await expect(words).toContainText('while it is above 30°');
  await expect(words).not.toContainText('below the horizon');
  await expect(page.getByTestId('best-pops-hint')).toContainText(/with the best PoPs \(\d{3}\) it is observable \d+ min/);
  // The Moon: 0.6 % lit at midnight (astroplan agrees, test/interop/astro) and down until just before dawn.
  await expect(page.getByTestId('moon-words')).toHaveText(/^Moon 1 % lit, (below the horizon all night|up 14:4\d–14:4\d UT)$/);
  await shot(page, 'night-target-limiting');
});

test('the navigation count follows another process\'s import; an OIFITS dropped on the Survey opens in Review', async ({ page, app }) => {
  await expect(page.getByTestId('nav-target-count')).toContainText('0 targets');
  await expect(page.getByTestId('survey-empty')).toBeVisible();
  await shot(page, 'night-survey-empty');
  const csv = join(app.dataDir, 'from-cli.csv');
  writeFileSync(csv, 'name,ra_deg,dec_deg,vmag\nstar A,10,20,5\nstar B,11,21,6\nstar C,12,22,7\n');
  const cli = spawnSync(process.execPath, [join(REPO_ROOT, 'electron/cli/bin.mjs'), 'import', csv, '--data-dir', app.dataDir], { encoding: 'utf8', timeout: 60_000 });
  expect(cli.status, cli.stderr).toBe(0);
  await expect(page.getByTestId('nav-target-count')).toContainText('3 targets', { timeout: 15_000 });

  // Drop the real ASPRO2 SPICA OIFITS on the Survey.
  const bytes = [...(await import('node:fs')).readFileSync(join(REPO_ROOT, 'test/fixtures/samp/Aspro2_zet_Oph_CHARA_SPICA.fits'))];
  await page.evaluate(async (data) => {
    const file = new File([new Uint8Array(data)], 'zet_Oph_night.fits', { type: 'application/fits' });
    const dt = new DataTransfer();
    dt.items.add(file);
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, bytes);
  const offer = page.getByTestId('import-fits');
  await expect(offer).toContainText('zet_Oph_night.fits is a FITS file');
  await expect(page.getByTestId('import-error')).toBeHidden();
  await shot(page, 'night-survey-fits');
  await offer.getByTestId('import-fits-review').click();
  await expect(page.getByTestId('nav-review')).toHaveAttribute('data-active', 'true');
  await expect(page.getByText('zet_Oph_night.fits').first()).toBeVisible({ timeout: 30_000 });
});

test('a large SearchCal import shows "Writing n / N rows" while the worker writes', async ({ page, app }) => {
  test.setTimeout(240_000);
  const file = join(app.dataDir, 'searchcal-big.scvot');
  writeFileSync(file, bigSearchCal(40));
  await page.getByTestId('nav-calibrators').click();
  await page.getByTestId('calibrators-import').click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('import-searchcal').click();
  await (await chooser).setFiles(file);
  const progress = page.getByTestId('calibrators-import-progress');
  const seen: Array<[number, number]> = [];
  await expect
    .poll(
      async () => {
        const text = (await progress.textContent().catch(() => null)) ?? '';
        const m = /Writing (\d+) \/ (\d+) rows/.exec(text);
        if (m) seen.push([Number(m[1]), Number(m[2])]);
        return seen.filter(([n, total]) => n > 0 && n < total).length;
      },
      { timeout: 180_000, intervals: [100] },
    )
    .toBeGreaterThanOrEqual(2);
  await shot(page, 'night-calibrators-import-progress');
  const report = page.getByTestId('calibrators-import-report');
  await expect(report).toContainText('searchcal-big.scvot (searchcal):', { timeout: 180_000 });
  const total = seen[0][1];
  await expect(report).toContainText(`${total} added`);
  const partial = seen.filter(([n, t]) => n > 0 && n < t);
  expect(new Set(partial.map(([n]) => n)).size).toBeGreaterThanOrEqual(2);
});
