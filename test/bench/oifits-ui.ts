/**
 * Part of `npm run bench:oifits`: time from asking the Review screen for a file (path typed,
 * Enter) to its first plot drawn, in Debian Chromium against browser mode. "Cold" includes the
 * lazy load of plotly (first plot of the session); "warm" is a second file in the same page.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startBrowserServer } from '../../electron/server/browser-server';
import { resolvePaths } from '../../electron/services/paths';
import { createServices } from '../../electron/services/registry';

const ROOT = resolve(import.meta.dirname, '../..');
const GOAL_MS = 500;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Duration of the last `review.open` request seen by the page (server work + transfer). */
async function lastOpenRequestMs(page: Page): Promise<number> {
  return page.evaluate(() => {
    const entries = performance.getEntriesByType('resource').filter((e) => e.name.includes('review.open'));
    return entries.length ? entries[entries.length - 1].duration : NaN;
  });
}

/** Seconds the page's main thread spent in tasks since `Performance.enable` (CDP TaskDuration). */
async function busyMeter(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return async () => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    return metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
  };
}

async function timeOpen(page: Page, path: string): Promise<number> {
  await page.getByTestId('review-path-input').fill(path);
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="plot-review-frequency"]');
    if (el) delete (el as HTMLElement).dataset.plotted;
  });
  const t0 = await page.evaluate(() => performance.now());
  await page.getByTestId('review-path-input').press('Enter');
  await page.waitForFunction(
    (name) =>
      document.querySelector('[data-testid="review-file-name"]')?.textContent === name &&
      (document.querySelector('[data-testid="plot-review-frequency"]') as HTMLElement | null)?.dataset.plotted === 'true',
    path.split('/').at(-1),
    { timeout: 30_000 },
  );
  return (await page.evaluate(() => performance.now())) - t0;
}

/** Print the first-plot figures for `file` (a ~1.5 MB OIFITS). */
export async function benchFirstPlot(file: string): Promise<void> {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    console.log('first plot in Chromium: SKIPPED, build the UI first (npx electron-vite build)');
    return;
  }
  const other = join(ROOT, 'test', 'fixtures', 'oifits', 'oimodeler__Aspro2_zet_Oph_CHARA_SPICA_0.60249-0.80749-42ch_S1-S2-E1-E2-W1-W2_2023-05-19.fits');
  const dataDir = mkdtempSync(join(tmpdir(), 'spica-bench-oifits-'));
  const services = createServices({ paths: resolvePaths(dataDir), transport: 'browser' });
  const server = await startBrowserServer({ services, rendererDir: join(ROOT, 'out', 'renderer') });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  const cold: number[] = [];
  const warm: number[] = [];
  const warmRequest: number[] = [];
  const warmBusy: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
      await page.goto(server.openUrl);
      await page.getByTestId('nav-review').click();
      cold.push(await timeOpen(page, file));
      await timeOpen(page, other);
      const busy = await busyMeter(page);
      const busyBefore = await busy();
      warm.push(await timeOpen(page, file));
      warmBusy.push((await busy()) - busyBefore);
      warmRequest.push(await lastOpenRequestMs(page));
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
    await services.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const line = (what: string, ms: number) =>
    console.log(`${what.padEnd(48)} ${ms.toFixed(0).padStart(6)} ms   goal ≤ ${GOAL_MS} ms   ratio ${(ms / GOAL_MS).toFixed(2)}`);
  line('first plot on screen, cold (loads plotly), median of 3', median(cold));
  line('first plot on screen, warm (2nd file), median of 3', median(warm));
  console.log(`  of which the review.open request (read, validate, plot data, JSON): ${median(warmRequest).toFixed(0)} ms`);
  console.log(`  page main-thread task time for it (React + plotly; wall time, so machine load counts): ${(median(warmBusy) * 1000).toFixed(0)} ms`);
}
