/**
 * The Review screen end to end: a reviewer adds a SPICA night folder (copies of the shared OIFITS
 * files in a temp dir), walks the queue and grades three files with the keyboard only, and the
 * written files pass astropy's checksum check and carry the levels; the store has the verdicts.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findAstropyPython } from '../interop/oifits/astropy';
import { expect, shot, test } from './fixtures';

const FIXTURES = join(import.meta.dirname, '../fixtures/oifits');
const L2 = [
  'oimodeler__Aspro2_zet_Oph_CHARA_SPICA_0.60249-0.80749-42ch_S1-S2-E1-E2-W1-W2_2023-05-19.fits',
  'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits',
  'PMOIRED__mircx02330_oifits_viscal.fits',
];
const L1 = 'oifitslib__Bin_Ary--MIRC_H.fits';

const ASTROPY_CHECK = String.raw`
import sys, json, warnings
from astropy.io import fits
out = {}
for path in sys.argv[1:]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        with fits.open(path, checksum=True) as hl:
            out[path] = {'level': hl[0].header.get('QUALITY LEVEL'), 'failures': [str(w.message) for w in caught if 'verification failed' in str(w.message)]}
print(json.dumps(out))
`;

test.use({ demoCount: 0 });

test('a reviewer grades a night folder with the keyboard; astropy verifies the files', async ({ page, app }) => {
  const root = mkdtempSync(join(tmpdir(), 'spica-night-'));
  try {
    const results = join(root, 'Results', '2026-11-21');
    const raw = join(root, 'RawOifits', '2026-11-21');
    mkdirSync(results, { recursive: true });
    mkdirSync(raw, { recursive: true });
    for (const f of L2) {
      copyFileSync(join(FIXTURES, f), join(results, f));
      chmodSync(join(results, f), 0o644);
    }
    copyFileSync(join(FIXTURES, L1), join(raw, L1));
    chmodSync(join(raw, L1), 0o644);
    await app.services.call('review.setSettings', { reviewer: 'E2E Reviewer' });

    await page.getByTestId('nav-review').click();
    await page.getByTestId('review-folder-input').fill(root);
    await page.getByTestId('review-folder-input').press('Enter');
    await expect(page.getByTestId('review-queue-count')).toHaveText('4 files, 4 to review');
    await expect(page.getByTestId('review-queue-item').last()).toContainText('L1');
    await page.getByTestId('review-folder-input').blur();

    // File 1 (first L2 in the queue): level 4 with a comment typed after "c", saved with "s".
    await page.keyboard.press('j');
    await expect(page.locator('[data-testid="plot-review-frequency"][data-plotted="true"]')).toBeVisible();
    await expect(page.locator('[data-testid="plot-review-uv"][data-plotted="true"]')).toBeVisible();
    const first = await page.getByTestId('review-file-name').textContent();
    await page.keyboard.press('4');
    await expect(page.getByTestId('review-level-4')).toHaveAttribute('data-active', 'true');
    await page.keyboard.press('c');
    await expect(page.getByTestId('review-comment')).toBeFocused();
    await page.keyboard.type('Closure phases clean; V2 consistent.');
    await page.keyboard.press('Escape');
    await shot(page, 'review-dark');
    await page.keyboard.press('s');
    await expect(page.getByTestId('review-saved-note')).toContainText('Saved Q4');

    // File 2: level 2, comment, saved with Ctrl+Enter from inside the comment.
    await page.keyboard.press('j');
    await expect(page.getByTestId('review-file-name')).not.toHaveText(first ?? '');
    await expect(page.locator('[data-testid="plot-review-frequency"][data-plotted="true"]')).toBeVisible();
    const second = await page.getByTestId('review-file-name').textContent();
    await page.keyboard.press('2');
    await page.keyboard.press('c');
    await page.keyboard.type('Redo: calibrator mismatch on E1 baselines.');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('review-saved-note')).toContainText('Saved Q2');

    // File 3: level 5, flagged points shown, per-wavelength view, red night theme.
    await page.keyboard.press('j');
    await expect(page.getByTestId('review-file-name')).not.toHaveText(second ?? '');
    await expect(page.locator('[data-testid="plot-review-frequency"][data-plotted="true"]')).toBeVisible();
    await page.keyboard.press('5');
    await page.keyboard.press('s');
    await expect(page.getByTestId('review-saved-note')).toContainText('Saved Q5');
    await page.getByTestId('review-flagged').click();
    await page.getByTestId('review-spectro').click();
    await expect(page.locator('[data-testid="plot-review-wavelength"][data-plotted="true"]')).toBeVisible();
    await page.getByTestId('review-spectro').blur();
    await page.keyboard.press('n');
    await expect(page.locator('html')).toHaveAttribute('data-theme-mode', 'night');
    await shot(page, 'review-night');
    await page.keyboard.press('n');

    // The store has the three verdicts, the L1 file is still unreviewed.
    const queue = await app.services.call('review.queue', {});
    const levels = Object.fromEntries(queue.items.map((i) => [i.fileName, i.qualityLevel]));
    expect(Object.values(levels).sort()).toEqual([2, 4, 5, null].sort());
    expect(levels[L1]).toBeNull();
    expect(queue.items.find((i) => i.qualityLevel === 4)?.reviewComment).toBe('Closure phases clean; V2 consistent.');
    expect(queue.items.find((i) => i.qualityLevel === 4)?.reviewer).toBe('E2E Reviewer');

    const python = findAstropyPython();
    test.skip(!python, 'python3 with astropy not installed (apt install python3-astropy)');
    const paths = L2.map((f) => join(results, f));
    const r = spawnSync(python as string, ['-c', ASTROPY_CHECK, ...paths], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const checked = JSON.parse(r.stdout) as Record<string, { level: number; failures: string[] }>;
    for (const p of paths) {
      const name = p.split('/').at(-1) as string;
      expect(checked[p].level, name).toBe(levels[name]);
      expect(checked[p].failures, name).toEqual([]);
    }
  } finally {
    await app.services.call('review.removeFolder', { root }).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
});

test('an unreadable file shows its error; a broken file picked in the browser shows its findings', async ({ page }) => {
  await page.getByTestId('nav-review').click();
  await page.getByTestId('review-path-input').fill(join(FIXTURES, 'oitools__testdata_opt_TRUNC.fits'));
  await page.getByTestId('review-path-input').press('Enter');
  await expect(page.getByTestId('review-open-error')).toContainText('HDU 0 at byte 0');

  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('review-pick-file').click();
  await (await chooser).setFiles(join(FIXTURES, 'oifitslib__bad_missing_target.fits'));
  await expect(page.getByTestId('review-file-name')).toHaveText('oifitslib__bad_missing_target.fits');
  await expect(page.getByTestId('review-error-count')).toHaveText('2 errors');
  await expect(page.getByTestId('review-findings')).toContainText('TARGET_ID 1 not found in OI_TARGET');
  await expect(page.getByTestId('review-save')).toBeDisabled();
  await expect(page.locator('[data-testid="plot-review-frequency"][data-plotted="true"]')).toBeVisible();
  await expect(page.locator('[data-testid="plot-review-uv"][data-plotted="true"]')).toBeVisible();
  await shot(page, 'review-findings');
});
