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
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
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

/** CPU time (ms) of this process's child processes (Chromium: browser, renderers, GPU process), from /proc. */
function childrenCpuMs(): number {
  const tickMs = 1000 / 100; // USER_HZ is 100 on Linux
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start at the last ')'.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(f[1]));
      cpu.set(Number(name), (Number(f[11]) + Number(f[12])) * tickMs);
    } catch {
      // The process ended while we read.
    }
  }
  let total = 0;
  for (const [pid, ms] of cpu) {
    let p = parent.get(pid);
    while (p !== undefined && p > 1 && p !== process.pid) p = parent.get(p);
    if (p === process.pid) total += ms;
  }
  return total;
}

const processCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** One open of a file: wall times and CPU time, and where the time went (our build's performance measures). */
interface Open {
  firstMs: number;
  /** Every plot of the file drawn (the main one, the uv plane, the per-λ figure when shown). */
  allMs: number;
  /** CPU of Chromium (all its processes) and of the server (this process: HTTP, services, OIFITS worker) for the whole open, every plot drawn. */
  browserCpuMs: number;
  serverCpuMs: number;
  /** Performance measures of our build (name → ms, summed). */
  parts: Record<string, number>;
}

/**
 * Open `path` by typing it and pressing Enter, and time it in the page itself: from the Enter
 * keydown's timestamp to the frame that painted the plot (a MutationObserver sees data-plotted
 * become true, then the next animation frame and the task after it, i.e. after that frame's
 * style, layout and paint). Timing in the page keeps the harness's round trips out (under load
 * they were hundreds of ms) and cannot be late by a frame the app spent on its next plots.
 */
async function timeOpen(page: Page, path: string): Promise<Open> {
  await page.getByTestId('review-path-input').fill(path);
  const name = path.split('/').at(-1) as string;
  await page.evaluate((name) => {
    // tsx names the functions below with esbuild's __name helper, which the page does not have.
    (window as unknown as { __name?: unknown }).__name ??= (f: unknown) => f;
    type W = Window & { __bench?: { t0?: number; first?: number; all?: number } };
    const w = window as W;
    const bench: NonNullable<W['__bench']> = {};
    w.__bench = bench;
    for (const el of document.querySelectorAll<HTMLElement>('[data-testid^="plot-review-"]')) delete el.dataset.plotted;
    performance.clearMeasures();
    document.querySelector('[data-testid="review-path-input"]')?.addEventListener('keydown', (e) => (bench.t0 ??= e.timeStamp), { once: true, capture: true });
    const afterPaint = (done: (atMs: number) => void) => requestAnimationFrame(() => setTimeout(() => done(performance.now()), 0));
    const plotted = (el: Element | null) => (el as HTMLElement | null)?.dataset.plotted === 'true';
    const check = () => {
      // The first plot: the main figure (V² — |V| without OI_VIS2 — and T3PHI panels) drawn with this file's data.
      if (bench.first === undefined && document.querySelector('[data-testid="review-file-name"]')?.textContent === name && plotted(document.querySelector('[data-testid="plot-review-frequency"]'))) {
        bench.first = -1;
        afterPaint((t) => (bench.first = t));
      }
      // Every plot: those the screen lists in data-plots (ours; deferred plots are listed before
      // they mount), else every plot on the page (the previous build draws them all at once).
      const expected = document.querySelector<HTMLElement>('[data-plots]')?.dataset.plots?.split(' ');
      const els = expected ? expected.map((l) => document.querySelector(`[data-testid="plot-${l}"]`)) : [...document.querySelectorAll('[data-testid^="plot-review-"]')];
      if (bench.first !== undefined && bench.all === undefined && els.every(plotted)) {
        bench.all = -1;
        afterPaint((t) => {
          bench.all = t;
          observer.disconnect();
        });
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-plotted'] });
  }, name);
  const cpu0 = [childrenCpuMs(), processCpuMs()];
  await page.getByTestId('review-path-input').press('Enter');
  const done = (key: 'first' | 'all') =>
    page.waitForFunction((key) => ((window as Window & { __bench?: Record<string, number> }).__bench?.[key] ?? -1) > 0, key, { timeout: 60_000, polling: 100 });
  await done('first');
  await done('all');
  const cpu1 = [childrenCpuMs(), processCpuMs()];
  const { t0, first, all, parts } = await page.evaluate(() => {
    const out: Record<string, number> = {};
    for (const m of performance.getEntriesByType('measure')) out[m.name] = (out[m.name] ?? 0) + m.duration;
    const b = (window as Window & { __bench?: { t0: number; first: number; all: number } }).__bench as { t0: number; first: number; all: number };
    return { ...b, parts: out };
  });
  return { firstMs: first - t0, allMs: all - t0, browserCpuMs: cpu1[0] - cpu0[0], serverCpuMs: cpu1[1] - cpu0[1], parts };
}

interface Figures {
  cold: Open[];
  warm: Open[];
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

const ms = (v: number) => `${Number.isFinite(v) ? v.toFixed(0) : '–'}`.padStart(5);
const ratio = (prev: number, now: number) => (Number.isFinite(prev) ? `×${(prev / now).toFixed(1)}` : '×–');

/** Medians of an open's figures. */
function medians(opens: Open[]) {
  const parts: Record<string, number> = {};
  for (const k of new Set(opens.flatMap((o) => Object.keys(o.parts)))) parts[k] = median(opens.map((o) => o.parts[k] ?? 0));
  return {
    first: median(opens.map((o) => o.firstMs)),
    all: median(opens.map((o) => o.allMs)),
    browserCpu: median(opens.map((o) => o.browserCpuMs)),
    serverCpu: median(opens.map((o) => o.serverCpuMs)),
    parts,
  };
}

function line(kind: string, now: ReturnType<typeof medians>, prev: ReturnType<typeof medians> | null): string {
  const nan = NaN;
  return (
    `  ${kind} first ${ms(now.first)} ms (prev ${ms(prev?.first ?? nan)}, ${ratio(prev?.first ?? nan, now.first)} faster)` +
    ` · all plots ${ms(now.all)} ms (prev ${ms(prev?.all ?? nan)})` +
    ` · CPU of the open: Chromium ${ms(now.browserCpu)} ms (prev ${ms(prev?.browserCpu ?? nan)}), server ${ms(now.serverCpu)} ms (prev ${ms(prev?.serverCpu ?? nan)})`
  );
}

function breakdown(now: ReturnType<typeof medians>): string {
  const names = ['review:fetch', 'review:figure', 'plot:review-frequency:wait', 'plot:review-frequency:react', 'review:uv-figure', 'plot:review-uv:react', 'plot:review-wavelength:react'];
  return `        ${names.filter((n) => n in now.parts).map((n) => `${n.replace('plot:review-', '').replace('review:', '')} ${now.parts[n].toFixed(0)}`).join(' · ')} ms`;
}

/** Print first-plot figures for the test files, this build against the previous one. */
export async function benchFirstPlot(): Promise<void> {
  const ours = join(ROOT, 'out', 'renderer');
  if (!existsSync(join(ours, 'index.html'))) {
    console.log('first plot in Chromium: SKIPPED, build the UI first (npx electron-vite build)');
    return;
  }
  // BENCH_UI_PREVIOUS=0 leaves the previous build out (quick looks while working; report runs keep it).
  const previous = process.env.BENCH_UI_PREVIOUS === '0' ? null : previousRenderer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  let worstCold = 0;
  let worstWarm = 0;
  let worstColdAll = 0;
  let worstWarmAll = 0;
  const load0 = loadavg()[0];
  try {
    // BENCH_UI_FILES=SU_Lyn,GRAVI keeps the files whose name holds one of these (quick looks).
    const only = process.env.BENCH_UI_FILES?.split(',');
    for (const file of UI_FILES.filter((f) => !only || only.some((o) => f.includes(o)))) {
      const now = await measure(browser, ours, file);
      const before = previous ? await measure(browser, previous, file) : null;
      const cold = medians(now.cold);
      const warm = medians(now.warm);
      worstCold = Math.max(worstCold, cold.first);
      worstWarm = Math.max(worstWarm, warm.first);
      worstColdAll = Math.max(worstColdAll, cold.all);
      worstWarmAll = Math.max(worstWarmAll, warm.all);
      console.log(file);
      console.log(line('cold', cold, before ? medians(before.cold) : null));
      console.log(breakdown(cold));
      console.log(line('warm', warm, before ? medians(before.warm) : null));
      console.log(breakdown(warm));
    }
  } finally {
    await browser.close();
  }
  console.log(`first plot = the main figure (V² and T3PHI panels) drawn with the file's data; wall medians of ${RUNS} per file; prev = build of ${PREVIOUS} measured in this run`);
  console.log(`load average ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (${cpus().length} cores)`);
  console.log(`worst cold ${worstCold.toFixed(0)} ms   goal ≤ ${COLD_GOAL_MS} ms   ${worstCold <= COLD_GOAL_MS ? 'met' : 'NOT met'}   (all plots drawn: worst ${worstColdAll.toFixed(0)} ms)`);
  console.log(`worst warm ${worstWarm.toFixed(0)} ms   goal ≤ ${WARM_GOAL_MS} ms   ${worstWarm <= WARM_GOAL_MS ? 'met' : 'NOT met'}   (all plots drawn: worst ${worstWarmAll.toFixed(0)} ms)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await benchFirstPlot();
