/**
 * The reviewer's tools of issue #17 through the Review screen, in Debian Chromium against browser
 * mode (real server, real store, real files in a temp SPICA night folder):
 * - the quick-look fit of the ASPRO2-simulated SPICA file agrees with oimodeler (recorded
 *   reference, test/fixtures/review/oimodeler_fit_reference.json);
 * - per-point flags by rule and by box selection are written into the file: astropy reads the FLAG
 *   columns and the FLAGEDIT cards, and verifies the checksums; the plot drops the flagged points;
 *   Undo puts the FLAGs back;
 * - the history lists the fit, the flag edits and the undo;
 * - a file of the same target and night joins the plot (multi-file view); a file dropped into the
 *   watched night folder is announced;
 * - the night fit (Shift+F): every file of the night folder, the target's homogeneity, a broken
 *   file listed with its reason.
 * Screenshots (dark and red, 1600 and 1280 px) in test-results/screens/review-tools-*.png and
 * review-night-fit-*.png.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { readFitsStructure } from '../../shared/oifits/fits-file';
import { findAstropyPython } from '../interop/oifits/astropy';
import { expect, shot, test } from './fixtures';

const FIXTURES = join(import.meta.dirname, '../fixtures/oifits');
const SPICA = 'oimodeler__Aspro2_zet_Oph_CHARA_SPICA_0.60249-0.80749-42ch_S1-S2-E1-E2-W1-W2_2023-05-19.fits';
const NIGHT = '2023-05-19';
const REFERENCE = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/review/oimodeler_fit_reference.json'), 'utf8')) as {
  fits: Array<{ file: string; model: string; diameter_mas: number; error_mas: number }>;
};

/** What astropy reads back: flagged V² elements, the blue V² elements, the FLAGEDIT cards, checksum failures. */
const ASTROPY_FLAGS = String.raw`
import sys, json, warnings
import numpy as np
from astropy.io import fits
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    with fits.open(sys.argv[1], checksum=True) as hl:
        waves = {h.header['INSNAME']: h.data['EFF_WAVE'] for h in hl if h.name == 'OI_WAVELENGTH'}
        flagged = 0; blue = 0; blue_flagged = 0; total = 0
        for h in hl:
            if h.name != 'OI_VIS2':
                continue
            f = np.asarray(h.data['FLAG'], dtype=bool)
            w = np.broadcast_to(waves[h.header['INSNAME']], f.shape) < 0.65e-6
            flagged += int(f.sum()); total += f.size; blue += int(w.sum()); blue_flagged += int((f & w).sum())
        p = hl[0].header
        out = {'flagged': flagged, 'total': total, 'blue': blue, 'blueFlagged': blue_flagged,
               'reason': p.get('FLAGEDIT REASON'), 'reviewer': p.get('FLAGEDIT REVIEWER'),
               'history': [str(c) for c in p.get('HISTORY', [])]}
out['failures'] = [str(w.message) for w in caught if 'verification failed' in str(w.message)]
print(json.dumps(out))
`;

interface AstropyFlags {
  flagged: number;
  total: number;
  blue: number;
  blueFlagged: number;
  reason: string | null;
  reviewer: string | null;
  history: string[];
  failures: string[];
}

function astropyFlags(python: string, path: string): AstropyFlags {
  const r = spawnSync(python, ['-c', ASTROPY_FLAGS, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`astropy: ${r.stderr}`);
  return JSON.parse(r.stdout) as AstropyFlags;
}

/** The same file with one MJD byte changed: another version of the observation (same target, night). */
function otherVersion(src: string): Buffer {
  const bytes = Buffer.from(readFileSync(src));
  const vis2 = readFitsStructure(new Uint8Array(bytes)).hdus.find((h) => h.extname === 'OI_VIS2');
  if (!vis2) throw new Error('no OI_VIS2');
  bytes[vis2.dataOffset + 17] ^= 0x01;
  return bytes;
}

/** The number of points of the main plot drawn as valid data (not the grey flagged crosses). */
async function plottedPoints(page: Page): Promise<number> {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid="plot-review-frequency"]') as (HTMLElement & { data?: Array<{ x?: unknown[]; name?: string; mode?: string; marker?: { symbol?: unknown } }> }) | null;
    return (el?.data ?? []).filter((t) => t.mode?.includes('markers') && t.name !== 'flagged' && t.name !== 'model').reduce((n, t) => n + (t.x ?? []).filter((v) => v !== null).length, 0);
  });
}

test.use({ demoCount: 0 });

test('fit against oimodeler, flags by rule and by box written into the file, undo, history, multi-file view, arrivals', async ({ page, app }) => {
  // One long walk through the tools on a shared 2-core machine; well above what it needs.
  test.setTimeout(300_000);
  const python = findAstropyPython();
  expect(python, 'python3 with astropy (apt install python3-astropy)').toBeTruthy();
  const root = mkdtempSync(join(tmpdir(), 'spica-review-tools-'));
  try {
    const dir = join(root, 'Results', NIGHT);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, SPICA);
    copyFileSync(join(FIXTURES, SPICA), file);
    chmodSync(file, 0o644);
    const second = join(dir, 'SPICA_zet_Oph_2023-05-19_MR_v2.fits');
    writeFileSync(second, otherVersion(file));
    chmodSync(second, 0o644);
    // The survey target the files link to (by name).
    await app.services.call('survey.import', { fileName: 'zetoph.csv', content: 'name,ra_deg,dec_deg,vmag\nzet Oph,249.28975,-10.56708,2.56\n' });
    await app.services.call('review.setSettings', { reviewer: 'E2E Reviewer' });

    // The Survey screen reports the import in a dialog.
    await page.getByRole('dialog', { name: 'Import finished' }).getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByTestId('nav-review').click();
    await page.getByTestId('review-folder-input').fill(root);
    await page.getByTestId('review-folder-input').press('Enter');
    await expect(page.getByTestId('review-queue-count')).toContainText('2 files');
    await page.getByTestId('review-folder-input').blur();
    await page.getByTestId('review-queue-item').filter({ hasText: 'Aspro2' }).click();
    await expect(page.getByTestId('review-file-name')).toHaveText(SPICA);
    await expect(page.locator('[data-testid="plot-review-frequency"][data-plotted="true"]')).toBeVisible();

    // Quick-look fit: UD of the selected V² (all of them) against oimodeler on the same file.
    await page.getByTestId('review-fit').click();
    const ud = (await page.getByTestId('review-fit-ud').textContent()) ?? '';
    const ref = REFERENCE.fits.find((f) => f.file === SPICA && f.model === 'ud');
    expect(ref).toBeTruthy();
    const shown = Number(/([\d.]+) ±/.exec(ud)?.[1]);
    // Shown with 4 decimals: within rounding of oimodeler's value (its 1σ is 5e-5 mas).
    expect(Math.abs(shown - (ref?.diameter_mas ?? 0))).toBeLessThanOrEqual(5e-5 + (ref?.error_mas ?? 0));

    // Per-point flags by rule.
    const before = astropyFlags(python as string, file);
    expect(before.failures).toEqual([]);
    const pointsBefore = await plottedPoints(page);
    await page.getByTestId('review-flag-rule').fill('wave < 0.65 um and table = OI_VIS2');
    await page.getByTestId('review-flag-reason').fill('blue edge unreliable');
    await page.getByTestId('review-flag-by-rule').click();
    await expect(page.getByTestId('review-flag-edit')).toHaveCount(1);
    const afterRule = astropyFlags(python as string, file);
    expect(afterRule.failures).toEqual([]);
    expect(afterRule.blueFlagged).toBe(afterRule.blue);
    expect(afterRule.flagged).toBe(before.flagged + (before.blue - before.blueFlagged));
    expect(afterRule.reason).toBe('blue edge unreliable');
    expect(afterRule.reviewer).toBe('E2E Reviewer');
    // HISTORY cards are 72 characters: an edit's line continues on the next card.
    expect(afterRule.history.join('')).toContain('wave < 0.65 um');
    // Every flag count shown says which tables it covers (issue #11): the plotted panels' count,
    // the file's count per table (OI_VIS2's equal to astropy's), and the edit's own count.
    const newlyFlagged = before.blue - before.blueFlagged;
    await expect(page.getByTestId('review-flag-count')).toContainText(`OI_VIS2 ${afterRule.flagged} of ${afterRule.total}`);
    await expect(page.getByTestId('review-flag-count')).toHaveText(/^\d+ of \d+ plotted OI_\w+( \+ OI_\w+)* points flagged · in the file: OI_\w+ \d+ of \d+(, OI_\w+ \d+ of \d+)*$/);
    await expect(page.getByTestId('review-flag-edit')).toContainText(`flagged ${newlyFlagged} point(s) (OI_VIS2 ${newlyFlagged}) where wave < 0.65 um`);
    // The plot honours FLAG: the newly flagged V² left the valid points.
    await expect.poll(() => plottedPoints(page)).toBe(pointsBefore - (before.blue - before.blueFlagged));

    // Per-point flags by a box drawn on the plot.
    await page.getByTestId('review-drag-mode').getByText('Box').click();
    const area = await page.locator('[data-testid="plot-review-frequency"] .nsewdrag').first().boundingBox();
    expect(area).toBeTruthy();
    if (area) {
      await page.mouse.move(area.x + area.width * 0.05, area.y + area.height * 0.05);
      await page.mouse.down();
      await page.mouse.move(area.x + area.width * 0.5, area.y + area.height * 0.5, { steps: 8 });
      await page.mouse.move(area.x + area.width * 0.95, area.y + area.height * 0.95, { steps: 8 });
      await page.mouse.up();
    }
    await expect(page.getByTestId('review-picked-count')).not.toHaveText('0 picked');
    const picked = Number(/(\d+)/.exec((await page.getByTestId('review-picked-count').textContent()) ?? '')?.[1]);
    expect(picked).toBeGreaterThan(0);
    await page.getByTestId('review-flag-reason').fill('box: fringe jumps');
    await page.getByTestId('review-flag-picked').click();
    await expect(page.getByTestId('review-flag-edit')).toHaveCount(2);
    const afterBox = astropyFlags(python as string, file);
    expect(afterBox.failures).toEqual([]);
    expect(afterBox.reason).toBe('box: fringe jumps');
    expect(afterBox.history.filter((c) => c.startsWith('FLAGEDIT'))).toHaveLength(2);
    await shot(page, 'review-tools-flags-dark');

    // Undo the rule's edit (the older one): the blue V² FLAGs are back as they were, the box's stay.
    await page.getByTestId('review-flag-edit').filter({ hasText: 'blue edge' }).getByTestId('review-flag-undo').click();
    await expect(page.getByTestId('review-flag-edit').filter({ hasText: 'blue edge' }).getByTestId('review-flag-undo')).toHaveCount(0);
    const afterUndo = astropyFlags(python as string, file);
    expect(afterUndo.failures).toEqual([]);
    expect(afterUndo.flagged).toBe(afterBox.flagged - (before.blue - before.blueFlagged));

    // History of the product: the fit, two flag edits and the undo.
    const kinds = await page.getByTestId('review-history-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['fit', 'flags', 'flags-undo']));
    expect(kinds.filter((k) => k === 'flags')).toHaveLength(2);

    // Multi-file view: the other file of zet Oph that night joins the plot.
    await expect(page.getByTestId('review-target-nights')).toContainText(NIGHT);
    await page.getByTestId('review-night-file').first().click();
    await expect(page.getByTestId('review-multi-files')).toContainText('SPICA_zet_Oph_2023-05-19_MR_v2.fits');
    await expect
      .poll(() => page.evaluate(() => {
        const el = document.querySelector('[data-testid="plot-review-frequency"]') as (HTMLElement & { data?: Array<{ text?: string[]; name?: string }> }) | null;
        return (el?.data ?? []).some((t) => (t.text ?? []).some((x) => x?.startsWith('SPICA_zet_Oph_2023-05-19_MR_v2.fits · ')));
      }))
      .toBe(true);

    // A file that arrives in the watched night folder is announced.
    const arriving = join(dir, 'SPICA_zet_Oph_2023-05-19_LR.fits');
    copyFileSync(join(FIXTURES, 'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits'), arriving);
    chmodSync(arriving, 0o644);
    await expect(page.getByTestId('review-queue-count')).toContainText('3 files', { timeout: 45_000 });
    await expect(page.getByTestId('review-queue-item').filter({ hasText: 'LR' }).getByTestId('review-queue-arrived')).toBeVisible();

    // Screenshots with the fit, the flag edits and the history, dark and red, at 1600 and 1280 px.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    for (const [width, height] of [[1600, 1000], [1280, 800]]) {
      await page.setViewportSize({ width, height });
      for (const theme of ['dark', 'night']) {
        if ((await page.locator('html').getAttribute('data-theme-mode')) !== theme) await page.keyboard.press('n');
        await expect(page.locator('html')).toHaveAttribute('data-theme-mode', theme);
        await expect(page.locator('[data-testid="plot-review-frequency"][data-plotted="true"]')).toBeVisible();
        await page.waitForTimeout(500);
        await shot(page, `review-tools-${width}-${theme}`);
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('night fit (Shift+F): every file of the night against oimodeler, the target\'s homogeneity, a broken file listed with its reason', async ({ page, app }) => {
  test.setTimeout(180_000);
  const root = mkdtempSync(join(tmpdir(), 'spica-review-night-fit-'));
  try {
    const dir = join(root, 'Results', NIGHT);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, SPICA);
    copyFileSync(join(FIXTURES, SPICA), file);
    writeFileSync(join(dir, 'SPICA_zet_Oph_2023-05-19_MR_v2.fits'), otherVersion(file));
    const pionier = 'oimodeler__PIONI.2014-02-02T02_15_51.790_oidataCalibrated.fits';
    copyFileSync(join(FIXTURES, pionier), join(dir, pionier));
    for (const f of [SPICA, 'SPICA_zet_Oph_2023-05-19_MR_v2.fits', pionier]) chmodSync(join(dir, f), 0o644);
    writeFileSync(join(dir, 'broken.fits'), 'SIMPLE  =                    T / not a whole FITS file');
    await app.services.call('survey.import', { fileName: 'zetoph.csv', content: 'name,ra_deg,dec_deg,vmag\nzet Oph,249.28975,-10.56708,2.56\n' });
    await page.getByRole('dialog', { name: 'Import finished' }).getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByTestId('nav-review').click();
    await page.getByTestId('review-folder-input').fill(root);
    await page.getByTestId('review-folder-input').press('Enter');
    await expect(page.getByTestId('review-queue-count')).toContainText('4 files');
    await page.getByTestId('review-folder-input').blur();
    await page.getByTestId('review-queue-item').filter({ hasText: 'Aspro2' }).click();
    await expect(page.getByTestId('review-file-name')).toHaveText(SPICA);
    await expect(page.getByTestId('review-night-fit-open')).toBeEnabled();
    await page.locator('body').click({ position: { x: 5, y: 5 } });

    await page.keyboard.press('Shift+F');
    const modal = page.getByTestId('review-night-fit');
    await expect(modal.getByTestId('review-night-fit-summary')).toHaveText(/^3 file\(s\) fitted, 1 left out/, { timeout: 60_000 });
    // Each zet Oph file: UD within rounding of oimodeler's on the same data (one byte of MJD differs).
    const ref = REFERENCE.fits.find((f) => f.file === SPICA && f.model === 'ud');
    const zetRows = modal.getByTestId('review-night-fit-files').locator('tbody tr').filter({ hasText: 'zet Oph' });
    await expect(zetRows).toHaveCount(2);
    for (const text of await zetRows.allTextContents()) {
      const ud = Number(/([\d.]+) ±/.exec(text)?.[1]);
      expect(Math.abs(ud - (ref?.diameter_mas ?? 0))).toBeLessThanOrEqual(5e-5 + (ref?.error_mas ?? 0));
    }
    // Per target: zet Oph from its 2 files, CANOPUS from 1; the same data agree (χ²r ≈ 0).
    const zet = modal.getByTestId('review-night-fit-targets').locator('tbody tr').filter({ hasText: 'zet Oph' });
    await expect(zet.locator('td').nth(1)).toHaveText('2');
    expect(Number(await zet.locator('td').nth(3).textContent())).toBeLessThan(3);
    await expect(zet).not.toContainText('files disagree');
    await expect(modal.getByTestId('review-night-fit-targets').locator('tbody tr').filter({ hasText: 'CANOPUS' }).locator('td').nth(1)).toHaveText('1');
    await expect(modal.getByTestId('review-night-fit-failed')).toHaveText(/^left out broken\.fits: \S/);

    for (const [width, height] of [[1600, 1000], [1280, 800]]) {
      await page.setViewportSize({ width, height });
      for (const theme of ['dark', 'night']) {
        if ((await page.locator('html').getAttribute('data-theme-mode')) !== theme) await page.keyboard.press('n');
        await expect(page.locator('html')).toHaveAttribute('data-theme-mode', theme);
        await page.waitForTimeout(300);
        await shot(page, `review-night-fit-${width}-${theme}`);
      }
    }
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
