/**
 * `npm run bench:oifits-ui` (also the last part of `npm run bench:oifits`): the first plot of the Review screen, in Debian Chromium against
 * browser mode, for several test files, measured for THIS build and for the previous build
 * (main 53977c5: full plotly distribution, SVG only) in the same run, with the same server code
 * and files. "Cold": a fresh browser context (empty cache), the app just loaded, the Review
 * screen opened and the file asked for at once — so plotly's download and parse count. "Warm": a
 * second file in the same page. Goals (issue #17): warm ≤ 500 ms, cold ≤ 1.5 s, any file.
 *
 * The previous build is made once from `git archive 53977c5` into .bench-cache/ (its renderer
 * compiled against this checkout's node_modules; `plotly.js-dist-min` is kept as a dev
 * dependency for that purpose only).
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBrowserServer } from '../../electron/server/browser-server';
import { resolvePaths } from '../../electron/services/paths';
import { createServices } from '../../electron/services/registry';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'oifits');
const PREVIOUS = '53977c5';
const WARM_GOAL_MS = 500;
const COLD_GOAL_MS = 1500;
const RUNS = Number(process.env.BENCH_UI_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Files measured: the largest point count (rho Cas), the most channels (GRAVITY), a spectro CHARA file, multi-target, the SPICA layout. */
export const UI_FILES = [
  'OITOOLSjl__rho_Cas_example.oifits',
  'oitools__GRAVI.2016-06-23T03_10_17.458_singlesciviscalibrated.fits',
  'ROTIRjl__SU_Lyn.oifits',
  'oifitslib__bigtest2.fits',
  'oimodeler__Aspro2_zet_Oph_CHARA_SPICA_0.60249-0.80749-42ch_S1-S2-E1-E2-W1-W2_2023-05-19.fits',
];
const OTHER = 'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits';

/** Build the previous renderer once into .bench-cache/prev-<commit>/out/renderer. */
function previousRenderer(): string | null {
  const dir = join(ROOT, '.bench-cache', `prev-${PREVIOUS}`);
  const out = join(dir, 'out', 'renderer');
  if (existsSync(join(out, 'index.html'))) return out;
  try {
    execSync(`git -C ${JSON.stringify(ROOT)} cat-file -e ${PREVIOUS}`, { stdio: 'ignore' });
  } catch {
    console.log(`previous build: SKIPPED, commit ${PREVIOUS} is not in this repository`);
    return null;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execSync(`git -C ${JSON.stringify(ROOT)} archive ${PREVIOUS} | tar -x -C ${JSON.stringify(dir)}`, { stdio: 'inherit', shell: '/bin/bash' });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  console.log(`previous build: compiling ${PREVIOUS}'s renderer into ${dir} (once)…`);
  execSync('npx electron-vite build', { cwd: dir, stdio: 'ignore' });
  return existsSync(join(out, 'index.html')) ? out : null;
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
    { timeout: 60_000 },
  );
  return (await page.evaluate(() => performance.now())) - t0;
}

interface Figures {
  cold: number[];
  warm: number[];
}

async function measure(browser: Browser, rendererDir: string, file: string): Promise<Figures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spica-bench-oifits-'));
  const services = createServices({ paths: resolvePaths(dataDir), transport: 'browser' });
  const server = await startBrowserServer({ services, rendererDir });
  const figures: Figures = { cold: [], warm: [] };
  try {
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1500, height: 900 } });
      const page = await context.newPage();
      await page.goto(server.openUrl);
      await page.getByTestId('nav-review').click();
      figures.cold.push(await timeOpen(page, join(FIXTURES, file)));
      await timeOpen(page, join(FIXTURES, OTHER));
      figures.warm.push(await timeOpen(page, join(FIXTURES, file)));
      await context.close();
    }
  } finally {
    await server.close();
    await services.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

/** Print first-plot figures for the test files, this build against the previous one. */
export async function benchFirstPlot(): Promise<void> {
  const ours = join(ROOT, 'out', 'renderer');
  if (!existsSync(join(ours, 'index.html'))) {
    console.log('first plot in Chromium: SKIPPED, build the UI first (npx electron-vite build)');
    return;
  }
  const previous = previousRenderer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  const rows: string[] = [];
  let worstCold = 0;
  let worstWarm = 0;
  try {
    for (const file of UI_FILES) {
      const now = await measure(browser, ours, file);
      const before = previous ? await measure(browser, previous, file) : null;
      const c = median(now.cold);
      const w = median(now.warm);
      worstCold = Math.max(worstCold, c);
      worstWarm = Math.max(worstWarm, w);
      const pc = before ? median(before.cold) : NaN;
      const pw = before ? median(before.warm) : NaN;
      rows.push(
        `${file.slice(0, 40).padEnd(40)} cold ${c.toFixed(0).padStart(5)} ms (prev ${pc.toFixed(0).padStart(5)}, ×${(pc / c).toFixed(1)} faster)` +
          `   warm ${w.toFixed(0).padStart(5)} ms (prev ${pw.toFixed(0).padStart(5)}, ×${(pw / w).toFixed(1)} faster)`,
      );
      console.log(rows.at(-1));
    }
  } finally {
    await browser.close();
  }
  console.log(`first plot, medians of ${RUNS} per file; prev = build of ${PREVIOUS} measured in this run`);
  console.log(`worst cold ${worstCold.toFixed(0)} ms   goal ≤ ${COLD_GOAL_MS} ms   ${worstCold <= COLD_GOAL_MS ? 'met' : 'NOT met'}`);
  console.log(`worst warm ${worstWarm.toFixed(0)} ms   goal ≤ ${WARM_GOAL_MS} ms   ${worstWarm <= WARM_GOAL_MS ? 'met' : 'NOT met'}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await benchFirstPlot();
