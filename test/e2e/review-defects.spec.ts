/**
 * The Review defects of issue #17 and the Review parts of #11, end to end in Debian Chromium
 * against browser mode (real server, real store, real files in temp SPICA night folders):
 * a copy picked elsewhere never opens the queue file for saving; j/k walk past an unreadable file
 * and never loop; a multi-target file is plotted one target at a time; closure phases are never
 * joined across the ±180° wrap; the plots keep their size at 1280×800; the red theme stays darker
 * than the dark one while every baseline keeps its own marker; E and W findings differ in shape.
 * Screenshots in test-results/screens/.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { capture, expect, shot, test } from './fixtures';

const FIXTURES = join(import.meta.dirname, '../fixtures/oifits');
const SPICA = 'oimodeler__Aspro2_zet_Oph_CHARA_SPICA_0.60249-0.80749-42ch_S1-S2-E1-E2-W1-W2_2023-05-19.fits';
const BET_ARI = 'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits';
const VISCAL = 'PMOIRED__mircx02330_oifits_viscal.fits';

test.use({ demoCount: 0 });

/** A SPICA data root with `files` in Results/<night>/ (name → fixture), writable copies. */
function nightRoot(files: Record<string, string | Buffer>, night = '2026-11-21'): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'spica-review-e2e-'));
  const dir = join(root, 'Results', night);
  mkdirSync(dir, { recursive: true });
  for (const [name, src] of Object.entries(files)) {
    if (typeof src === 'string') copyFileSync(join(FIXTURES, src), join(dir, name));
    else writeFileSync(join(dir, name), src);
    chmodSync(join(dir, name), 0o644);
  }
  return { root, dir };
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function addFolder(page: Page, root: string): Promise<void> {
  await page.getByTestId('review-folder-input').fill(root);
  await page.getByTestId('review-folder-input').press('Enter');
  await page.getByTestId('review-folder-input').blur();
}

/** The plotly traces of a plot on the page (plotly keeps them on the div as `data`). */
async function traces(page: Page, label: string): Promise<Array<{ mode?: string; yaxis?: string; type?: string; text?: string[]; marker?: { symbol?: string | string[] } }>> {
  return page.evaluate((l) => {
    const el = document.querySelector(`[data-testid="plot-${l}"]`) as (HTMLElement & { data?: unknown[] }) | null;
    return JSON.parse(JSON.stringify(el?.data ?? []));
  }, label);
}

test('a copy picked elsewhere is view only and never enables Save on the queue file', async ({ page }) => {
  const { root, dir } = nightRoot({ [SPICA]: SPICA });
  const elsewhere = mkdtempSync(join(tmpdir(), 'spica-copy-'));
  try {
    const copy = join(elsewhere, SPICA);
    copyFileSync(join(FIXTURES, SPICA), copy);
    const queued = join(dir, SPICA);
    const before = sha(queued);
    await page.getByTestId('nav-review').click();
    await addFolder(page, root);
    await expect(page.getByTestId('review-queue-count')).toHaveText('1 file, 1 to review');

    // Same name, same size, same content, another place: the old name+size match opened the
    // queue file by path with Save enabled.
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('review-pick-file').click();
    await (await chooser).setFiles(copy);
    await expect(page.getByTestId('review-file-name')).toHaveText(SPICA);
    await expect(page.getByTestId('review-same-content')).toContainText(queued);
    await page.getByTestId('review-level-4').click();
    await expect(page.getByTestId('review-save')).toBeDisabled();
    await page.keyboard.press('s');
    expect(sha(queued)).toBe(before);
    await expect(page.locator('[data-testid="plot-review-frequency"][data-plotted="true"]')).toBeVisible({ timeout: 60_000 });
    // Opening the queue file is the user's explicit choice.
    await page.getByTestId('review-open-same').click();
    await expect(page.getByTestId('review-same-content')).toHaveCount(0);
    // The queue file is open (its header names its path) before a level is given: opening a file
    // starts its verdict from the file's own, so a level clicked while it loads is not kept.
    await expect(page.getByTestId('review-file-name')).toHaveAttribute('title', queued);
    await page.getByTestId('review-level-4').click();
    await expect(page.getByTestId('review-save')).toBeEnabled();
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('j/k walk through an unreadable file and stop at the ends', async ({ page }) => {
  const truncated = readFileSync(join(FIXTURES, BET_ARI)).subarray(0, 50_000);
  const { root } = nightRoot({ 'a_first.fits': SPICA, 'b_broken.fits': truncated, 'c_last.fits': BET_ARI });
  try {
    await page.getByTestId('nav-review').click();
    await addFolder(page, root);
    await expect(page.getByTestId('review-queue-count')).toHaveText('3 files, 3 to review');
    const order = await page.getByTestId('review-queue-item').evaluateAll((els) => els.map((e) => (e as HTMLElement).title.split('/').at(-1)));
    const selected = () => page.locator('[data-testid="review-queue-item"][data-selected="true"]').getAttribute('title');
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('j');
      await expect(page.locator('[data-testid="review-queue-item"][data-selected="true"]')).toHaveCount(1);
      await expect(page.getByTestId('review-file-name').or(page.getByTestId('review-open-error')).first()).toBeVisible();
      seen.push(((await selected()) ?? '').split('/').at(-1) as string);
    }
    // Forward through all three (the unreadable one included), then it stays on the last.
    expect(seen).toEqual([order[0], order[1], order[2], order[2], order[2]]);
    await page.keyboard.press('k');
    await expect.poll(async () => ((await selected()) ?? '').split('/').at(-1)).toBe(order[1]);
    await page.keyboard.press('k');
    await expect.poll(async () => ((await selected()) ?? '').split('/').at(-1)).toBe(order[0]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a multi-target file shows one target at a time; phases are never joined across the wrap', async ({ page }) => {
  await page.getByTestId('nav-review').click();
  await page.getByTestId('review-path-input').fill(join(FIXTURES, 'oifitslib__bigtest2.fits'));
  await page.getByTestId('review-path-input').press('Enter');
  await expect(page.locator('[data-testid="plot-review-frequency"][data-plotted="true"]')).toBeVisible({ timeout: 60_000 });
  const texts = (await traces(page, 'review-frequency')).flatMap((t) => (t.text ?? []).filter(Boolean));
  expect(texts.length).toBeGreaterThan(0);
  const targets = new Set(texts.map((t) => t.split(' · ')[0]));
  expect([...targets]).toEqual(['alp_ori']);
  await expect(page.getByTestId('review-filters')).toContainText('alp_ori');
  await page.getByTestId('review-filters').click();
  await expect(page.getByTestId('review-filter-target')).toBeVisible();
  await page.keyboard.press('Escape');

  // SU Lyn (34 channels): the per-wavelength view draws closure phases as markers only.
  await page.getByTestId('review-path-input').fill(join(FIXTURES, 'ROTIRjl__SU_Lyn.oifits'));
  await page.getByTestId('review-path-input').press('Enter');
  await expect(page.getByTestId('review-file-name')).toHaveText('ROTIRjl__SU_Lyn.oifits');
  await expect(page.locator('[data-testid="plot-review-wavelength"][data-plotted="true"]')).toBeVisible({ timeout: 60_000 });
  const wave = await traces(page, 'review-wavelength');
  const phase = wave.filter((t) => t.yaxis === 'y2');
  expect(phase.length).toBeGreaterThan(0);
  for (const t of phase) expect(t.mode ?? 'markers').not.toContain('lines');
  expect(wave.filter((t) => t.yaxis === 'y' && t.mode === 'lines+markers').length).toBeGreaterThan(0);
});

test('at 1280×800 the plots keep their size; the red theme is darker yet every baseline keeps its marker; E and W differ', async ({ page }) => {
  const { root } = nightRoot({ [SPICA]: SPICA, [VISCAL]: VISCAL });
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('nav-review').click();
    await addFolder(page, root);
    await expect(page.getByTestId('review-queue-count')).toHaveText('2 files, 2 to review');
    await page.keyboard.press('j');
    await expect(page.locator('[data-testid="plot-review-frequency"][data-plotted="true"]')).toBeVisible({ timeout: 60_000 });
    const box = await page.getByTestId('plot-review-frequency').boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(440);
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(450);
    await shot(page, 'review-1280-dark');
    const dark = await capture(page);

    await page.keyboard.press('n');
    await expect(page.locator('html')).toHaveAttribute('data-theme-mode', 'night');
    await expect(page.locator('[data-testid="plot-review-frequency"][data-plotted="true"]')).toBeVisible();
    await page.waitForTimeout(500);
    await shot(page, 'review-1280-night');
    const night = await capture(page);
    const lum = (png: Buffer) => page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d') as CanvasRenderingContext2D;
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      let blueGreen = 0;
      for (let i = 0; i < d.length; i += 4) {
        sum += 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
        blueGreen = Math.max(blueGreen, d[i + 1], d[i + 2]);
      }
      return { mean: sum / (d.length / 4), blueGreen };
    }, png.toString('base64'));
    const l = { dark: await lum(dark), night: await lum(night) };
    expect(l.night.mean).toBeLessThan(l.dark.mean);
    // Every baseline of the phase panel has its own marker shape: readable when all hues are red.
    const phase = (await traces(page, 'review-frequency')).filter((t) => t.yaxis === 'y2' && t.marker?.symbol);
    const shapes = new Set(phase.map((t) => (Array.isArray(t.marker?.symbol) ? t.marker?.symbol[0] : t.marker?.symbol)?.replace(/-open|-dot/g, '')));
    expect(shapes.size).toBe(Math.min(phase.length, 20));
    // Validator: errors are filled square badges, warnings outlined round ones.
    await page.keyboard.press('j');
    await expect(page.getByTestId('review-file-name')).toHaveText(VISCAL);
    const w = page.getByTestId('review-finding-warning').first();
    await expect(w).toBeVisible();
    expect(await w.getAttribute('data-variant')).toBe('outline');
    await expect(w).toContainText('W');
    await page.keyboard.press('n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the queue keeps the folder just added while a slow first scan answers late', async ({ page, app }) => {
  // A real slow path: 120 files the first scan must read and hash before it answers.
  const many = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`slow_${String(i).padStart(3, '0')}.fits`, SPICA]));
  const slow = nightRoot(many);
  const fresh = nightRoot({ [BET_ARI]: BET_ARI });
  try {
    await app.services.call('review.addFolder', { root: slow.root });
    // New mtimes: the service forgets what it read, so the page's first `review.queue` re-reads all.
    const now = Date.now() / 1000;
    for (const name of Object.keys(many)) {
      const p = join(slow.dir, name);
      const s = statSync(p);
      utimesSync(p, s.atimeMs / 1000, now + 5);
    }
    await page.getByTestId('nav-review').click();
    await addFolder(page, fresh.root);
    await expect(page.getByTestId('review-queue-count')).toHaveText('121 files, 121 to review', { timeout: 90_000 });
    await expect(page.getByTestId('review-folder')).toHaveCount(2);
    // Stays so once every late answer and event has arrived.
    await page.waitForTimeout(3000);
    await expect(page.getByTestId('review-queue-count')).toHaveText('121 files, 121 to review');
    await page.keyboard.press('j');
    await expect(page.getByTestId('review-file-name')).toBeVisible({ timeout: 60_000 });
  } finally {
    rmSync(slow.root, { recursive: true, force: true });
    rmSync(fresh.root, { recursive: true, force: true });
  }
});
