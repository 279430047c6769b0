/**
 * Where the first plot's time goes: opens FILE warm (after another file) or cold in browser mode
 * under a CPU profile and prints the top self-time functions and the page's performance measures.
 * Usage: tsx test/bench/oifits-ui-profile.ts FILE [cold|warm]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startBrowserServer } from '../../electron/server/browser-server';
import { resolvePaths } from '../../electron/services/paths';
import { createServices } from '../../electron/services/registry';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'oifits');
const file = process.argv[2];
const mode = process.argv[3] ?? 'warm';
const OTHER = 'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }

const dataDir = mkdtempSync(join(tmpdir(), 'spica-prof-'));
const services = createServices({ paths: resolvePaths(dataDir), transport: 'browser' });
const server = await startBrowserServer({ services, rendererDir: join(ROOT, process.env.RENDERER ?? 'out/renderer') });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
try {
  const context = await browser.newContext({ viewport: { width: 1500, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.openUrl);
  await page.getByTestId('nav-review').click();
  const open = async (name: string) => {
    await page.getByTestId('review-path-input').fill(join(FIXTURES, name));
    await page.evaluate(() => {
      for (const el of document.querySelectorAll<HTMLElement>('[data-testid^="plot-review-"]')) delete el.dataset.plotted;
      performance.clearMeasures();
    });
    const t0 = await page.evaluate(() => performance.now());
    await page.getByTestId('review-path-input').press('Enter');
    const first = await page.waitForFunction((n) => document.querySelector('[data-testid="review-file-name"]')?.textContent === n && (document.querySelector('[data-testid="plot-review-frequency"]') as HTMLElement | null)?.dataset.plotted === 'true' ? performance.now() : false, name, { timeout: 60000 }).then((h) => h.jsonValue() as Promise<number>);
    const all = await page.waitForFunction(() => {
      const expected = document.querySelector<HTMLElement>('[data-plots]')?.dataset.plots?.split(' ') ?? ['review-frequency'];
      return expected.every((l) => document.querySelector<HTMLElement>(`[data-testid="plot-${l}"]`)?.dataset.plotted === 'true') ? performance.now() : false;
    }, undefined, { timeout: 60000 }).then((h) => h.jsonValue() as Promise<number>);
    const parts = await page.evaluate(() => performance.getEntriesByType('measure').map((m) => `${m.name} ${m.duration.toFixed(0)} (at ${m.startTime.toFixed(0)})`));
    return { first: first - t0, all: all - t0, t0, parts };
  };
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  if (mode === 'again') await open(file);
  if (mode === 'warm' || mode === 'again') await open(OTHER);
  await cdp.send('Profiler.start');
  if (process.env.TRACE) await browser.startTracing(page, { path: process.env.TRACE, categories: ['devtools.timeline', 'blink', 'v8', 'disabled-by-default-devtools.timeline'] });
  const r = await open(file);
  if (process.env.TRACE) await browser.stopTracing();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] } };
  console.log(`${file} ${mode}: first ${r.first.toFixed(0)} ms, all ${r.all.toFixed(0)} ms (t0 ${r.t0.toFixed(0)}, first at ${(r.t0 + r.first).toFixed(0)})`);
  for (const p of r.parts) console.log('  ', p);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + profile.timeDeltas[i] / 1000));
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').at(-1)}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
    byFn.set(k, (byFn.get(k) ?? 0) + (self.get(n.id) ?? 0));
  }
  // Inclusive time per function too.
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const incl = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parentOf.get(x)) {
      const n = byId.get(x)!;
      const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').at(-1)}:${n.callFrame.lineNumber}`;
      if (!seen.has(k)) incl.set(k, (incl.get(k) ?? 0) + t);
      seen.add(k);
    }
  }
  // Who calls a function (env CALLERS=name): the chain of callers above its samples.
  if (process.env.CALLERS) {
    const chains = new Map<string, number>();
    for (const [id, t] of self) {
      const n = byId.get(id)!;
      if (n.callFrame.functionName !== process.env.CALLERS) continue;
      const chain: string[] = [];
      for (let x = parentOf.get(id); x !== undefined && chain.length < 12; x = parentOf.get(x)) chain.push(`${byId.get(x)!.callFrame.functionName || '(anon)'}@${byId.get(x)!.callFrame.url.split('/').at(-1)}`);
      chains.set(chain.join(' < '), (chains.get(chain.join(' < ')) ?? 0) + t);
    }
    for (const [c, t] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`  ${t.toFixed(0)} ms  ${c}`);
  }
  console.log('top self:');
  for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${v.toFixed(0).padStart(6)} ms  ${k}`);
  console.log('top inclusive:');
  for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 40))) console.log(`  ${v.toFixed(0).padStart(6)} ms  ${k}`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
}
