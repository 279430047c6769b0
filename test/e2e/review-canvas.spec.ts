/**
 * The Review screen's large figures draw their markers on a canvas (renderer/src/components/
 * canvas-markers.ts) while plotly keeps hover, zoom, legend and box/lasso selection. End to end in
 * Debian Chromium against browser mode on SU Lyn (8,946 points): every point plotly computed is
 * painted where plotly puts it (before and after a zoom), no SVG marker is left visible, a legend
 * click takes its baseline off the canvas, the PNG export has every marker, and a box picks the points inside it, which the
 * screen maps back to rows and channels. Screenshots in the dark and red themes at 1600 and 1280 px.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';

const FIXTURES = join(import.meta.dirname, '../fixtures/oifits');
const SU_LYN = 'ROTIRjl__SU_Lyn.oifits';
const PLOT = '[data-testid="plot-review-frequency"]';

test.use({ demoCount: 0 });

/**
 * What the canvas shows against plotly's own computation of the main plot: the points of the
 * visible canvas traces within the axes' ranges, how many of them have a painted pixel within
 * their marker's radius, the canvas pixels painted in all, and the SVG markers still visible.
 */
async function canvasState(page: Page): Promise<{ inRange: number; painted: number; pixels: number; svgVisible: number; traces: number }> {
  return page.evaluate((sel) => {
    type Axis = { _offset: number; _length: number; range: number[]; c2p(v: unknown): number };
    type Cd = Array<{ x: unknown; y: unknown; trace: { uid: string; visible: unknown; xaxis: string; yaxis: string; marker: { size?: number } } }>;
    const gd = document.querySelector(sel) as HTMLElement & { calcdata: Cd[]; _fullLayout: Record<string, unknown> };
    const canvas = gd.querySelector('canvas.spica-markers') as HTMLCanvasElement | null;
    if (!canvas) return { inRange: 0, painted: 0, pixels: 0, svgVisible: 0, traces: 0 };
    const dpr = canvas.width / canvas.clientWidth;
    const px = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
    let pixels = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) pixels++;
    const paintedNear = (x: number, y: number, r: number) => {
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const cx = Math.round((x + dx) * dpr);
          const cy = Math.round((y + dy) * dpr);
          if (cx < 0 || cy < 0 || cx >= canvas.width || cy >= canvas.height) continue;
          if (px[(cy * canvas.width + cx) * 4 + 3] > 0) return true;
        }
      }
      return false;
    };
    let inRange = 0;
    let painted = 0;
    let traces = 0;
    for (const cd of gd.calcdata) {
      const t = cd[0].trace;
      if (!t.uid.startsWith('spica-cm') || t.visible !== true) continue;
      traces++;
      const xa = gd._fullLayout[`xaxis${t.xaxis.slice(1)}`] as Axis;
      const ya = gd._fullLayout[`yaxis${t.yaxis.slice(1)}`] as Axis;
      const r = Math.ceil((t.marker.size ?? 6) / 2);
      for (const d of cd) {
        const x = xa.c2p(d.x);
        const y = ya.c2p(d.y);
        if (!(x >= 0 && x <= xa._length && y >= 0 && y <= ya._length)) continue;
        inRange++;
        if (paintedNear(xa._offset + x, ya._offset + y, r)) painted++;
      }
    }
    const svgVisible = [...gd.querySelectorAll('path.point')].filter((p) => getComputedStyle(p).display !== 'none').length;
    return { inRange, painted, pixels, svgVisible, traces };
  }, PLOT);
}

test('SU Lyn: every point painted on the canvas where plotly puts it, through zoom and legend clicks; a box picks the points inside it', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.getByTestId('nav-review').click();
  await page.getByTestId('review-path-input').fill(join(FIXTURES, SU_LYN));
  await page.getByTestId('review-path-input').press('Enter');
  await expect(page.getByTestId('review-file-name')).toHaveText(SU_LYN, { timeout: 60_000 });
  await expect(page.locator(`${PLOT}[data-plotted="true"]`)).toBeVisible({ timeout: 60_000 });

  // Every unflagged V² and T3PHI point of the file, each painted, none as an SVG node.
  const drawn = await page.evaluate((sel) => {
    const gd = document.querySelector(sel) as HTMLElement & { data: Array<{ x: unknown[]; name?: string }> };
    return gd.data.filter((t) => t.name !== 'flagged').reduce((n, t) => n + t.x.filter((v) => v !== null).length, 0);
  }, PLOT);
  expect(drawn).toBe(8946);
  const first = await canvasState(page);
  expect(first.inRange).toBe(drawn);
  expect(first.painted).toBe(first.inRange);
  expect(first.svgVisible).toBe(0);
  await shot(page, 'review-canvas-1600-dark');

  // The modebar's PNG export draws every marker (plotly's own export would redraw the div's traces,
  // which keep one SVG marker each): count the pixels of the baselines' exact colours in it.
  const download = page.waitForEvent('download');
  await page.locator(`${PLOT} .modebar-btn[data-title="Download plot as a PNG"]`).click();
  const png = await (await download).path();
  const exported = await page.evaluate(async ({ sel, b64 }) => {
    const gd = document.querySelector(sel) as HTMLElement & { data: Array<{ marker?: { color?: unknown } }> };
    const colours = new Set(gd.data.map((t) => t.marker?.color).filter((c): c is string => typeof c === 'string' && c.startsWith('#')).map((c) => c.toLowerCase()));
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d') as CanvasRenderingContext2D;
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const hex = (v: number) => v.toString(16).padStart(2, '0');
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (colours.has(`#${hex(d[i])}${hex(d[i + 1])}${hex(d[i + 2])}`)) n++;
    return { pixels: n, colours: colours.size };
  }, { sel: PLOT, b64: readFileSync(png).toString('base64') });
  expect(exported.colours).toBeGreaterThan(5);
  // 35 markers (one per trace) and the legend's would be ~2,000 pixels; the 8,946 markers are more.
  expect(exported.pixels).toBeGreaterThan(20_000);

  // Zoom on the V² panel (drag a box in zoom mode): the canvas follows the new ranges.
  const area = await page.locator(`${PLOT} .nsewdrag`).first().boundingBox();
  expect(area).toBeTruthy();
  if (!area) return;
  await page.mouse.move(area.x + area.width * 0.3, area.y + area.height * 0.02);
  await page.mouse.down();
  await page.mouse.move(area.x + area.width * 0.6, area.y + area.height * 0.5, { steps: 6 });
  await page.mouse.move(area.x + area.width * 0.8, area.y + area.height * 0.98, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => (await canvasState(page)).inRange).toBeLessThan(drawn);
  const zoomed = await canvasState(page);
  expect(zoomed.inRange).toBeGreaterThan(0);
  expect(zoomed.painted).toBe(zoomed.inRange);
  // Back to the whole figure (double click autoscales).
  await page.mouse.dblclick(area.x + area.width * 0.5, area.y + area.height * 0.5);
  await expect.poll(async () => (await canvasState(page)).inRange).toBe(drawn);

  // A legend click hides that baseline (the third entry: the modebar covers the first): its points leave the canvas.
  await page.locator(`${PLOT} .legend .traces`).nth(2).click();
  await expect.poll(async () => (await canvasState(page)).traces).toBe(first.traces - 1);
  const hidden = await canvasState(page);
  expect(hidden.pixels).toBeLessThan(first.pixels);
  expect(hidden.painted).toBe(hidden.inRange);

  // A box on the V² panel picks the points plotly has inside it, mapped back to rows/channels.
  await page.getByTestId('review-drag-mode').getByText('Box').click();
  const box = { x0: area.x + area.width * 0.02, y0: area.y + 2, x1: area.x + area.width * 0.45, y1: area.y + area.height * 0.98 };
  // Points within 1.5 px of the box's edges may fall either way (mouse events land on whole pixels).
  const inside = await page.evaluate(({ sel, box }) => {
    type Axis = { _offset: number; c2p(v: unknown): number };
    const gd = document.querySelector(sel) as HTMLElement & { calcdata: Array<Array<{ x: unknown; y: unknown; trace: { visible: unknown; yaxis: string } }>>; _fullLayout: Record<string, unknown> };
    const at = gd.getBoundingClientRect();
    const xa = gd._fullLayout.xaxis as Axis;
    const ya = gd._fullLayout.yaxis as Axis;
    const count = (m: number) => {
      let n = 0;
      for (const cd of gd.calcdata) {
        if (cd[0].trace.visible !== true || cd[0].trace.yaxis !== 'y') continue;
        for (const d of cd) {
          const x = at.left + xa._offset + xa.c2p(d.x);
          const y = at.top + ya._offset + ya.c2p(d.y);
          if (x >= box.x0 - m && x <= box.x1 + m && y >= box.y0 - m && y <= box.y1 + m) n++;
        }
      }
      return n;
    };
    return { atLeast: count(-1.5), atMost: count(1.5) };
  }, { sel: PLOT, box });
  expect(inside.atLeast).toBeGreaterThan(100);
  expect(inside.atMost - inside.atLeast).toBeLessThan(inside.atLeast / 50);
  await page.mouse.move(box.x0, box.y0);
  await page.mouse.down();
  await page.mouse.move((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2, { steps: 6 });
  await page.mouse.move(box.x1, box.y1, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId('review-picked-count')).not.toHaveText('0 picked');
  const picked = Number(/(\d+)/.exec((await page.getByTestId('review-picked-count').textContent()) ?? '')?.[1]);
  expect(picked).toBeGreaterThanOrEqual(inside.atLeast);
  expect(picked).toBeLessThanOrEqual(inside.atMost);

  // How it reads: the red theme, then both themes at 1280 px ('n' toggles it outside inputs).
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('n');
  await expect(page.locator('html')).toHaveAttribute('data-theme-mode', 'night');
  await expect(page.locator(`${PLOT}[data-plotted="true"]`)).toBeVisible();
  await shot(page, 'review-canvas-1600-night');
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect.poll(async () => (await canvasState(page)).painted).toBeGreaterThan(0);
  await page.waitForTimeout(500);
  const night1280 = await canvasState(page);
  expect(night1280.painted).toBe(night1280.inRange);
  await shot(page, 'review-canvas-1280-night');
  await page.keyboard.press('n');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme-mode', 'night');
  await page.waitForTimeout(500);
  await shot(page, 'review-canvas-1280-dark');
});
