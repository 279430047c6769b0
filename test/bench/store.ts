/**
 * npm run bench:store — the survey store's speed on a 3000-target survey:
 * import (VOTable and CSV, NSS columns), filtered list queries, and the first render of the
 * Survey table in Debian Chromium. Goals (issue #2): import ≤ 300 ms, filtered list ≤ 5 ms,
 * first render ≤ 1 s; each figure is printed with its ratio to the goal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startBrowserServer } from '../../electron/server/browser-server';
import { createServices } from '../../electron/services/registry';
import { resolvePaths } from '../../electron/services/paths';

const ROOT = resolve(import.meta.dirname, '../..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const line = (what: string, ms: number, goalMs: number) =>
  console.log(`${what.padEnd(46)} ${ms.toFixed(2).padStart(9)} ms   goal ≤ ${goalMs} ms   ratio ${(ms / goalMs).toFixed(3)}`);

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'spica-bench-'));
  dirs.push(d);
  return d;
};

// Source files: the demo survey exported with the NSS/SPICA-DB column names.
const source = createServices({ paths: resolvePaths(temp()), transport: 'cli' });
await source.call('survey.demo.generate', { count: 3000, seed: 2026 });
const vot = await source.call('survey.export', { filter: {}, format: 'votable' });
const csv = await source.call('survey.export', { filter: {}, format: 'csv' });
await source.close();
console.log(`survey: ${vot.count} targets; VOTable ${(vot.content.length / 1e6).toFixed(2)} MB, CSV ${(csv.content.length / 1e6).toFixed(2)} MB`);

for (const [label, file] of [['VOTable', vot], ['CSV', csv]] as const) {
  const times: number[] = [];
  for (let run = 0; run < 3; run++) {
    const s = createServices({ paths: resolvePaths(temp()), transport: 'cli' });
    const t0 = performance.now();
    const r = await s.call('survey.import', { fileName: file.fileName, content: file.content });
    times.push(performance.now() - t0);
    if (r.added !== 3000) throw new Error(`import added ${r.added}`);
    await s.close();
  }
  line(`import 3000 targets (${label}, fresh store, median of 3)`, median(times), 300);
}

const s = createServices({ paths: resolvePaths(temp()), transport: 'browser' });
await s.call('survey.import', { fileName: vot.fileName, content: vot.content });
const filters = [
  { text: 'hd 1' },
  { programmes: ['S02', 'S05'], finalPriorities: [1, 2] },
  { modes: ['DIA'], vmagMax: 6, decMinDeg: 10, decMaxDeg: 40 },
  { pis: ['Demo PI Boreal'] },
];
const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < 30; i++) {
  s.store.write((w) => w.setSetting('bench.touch', i));
  s.store.write((w) => w.update('targets', (s.store.sqlite.prepare('select id from targets limit 1').get() as { id: string }).id, { sp_type: `G${i % 9}V` }));
  const t0 = performance.now();
  await s.call('survey.list', { filter: filters[i % filters.length] });
  cold.push(performance.now() - t0);
  for (const f of filters) {
    const t1 = performance.now();
    await s.call('survey.list', { filter: f, sort: { key: 'vmag', direction: 'desc' } });
    warm.push(performance.now() - t1);
  }
}
line('filtered list query (median, cache warm)', median(warm), 5);
line('filtered list query after a write (rebuild)', median(cold), 5);

const server = await startBrowserServer({ services: s, rendererDir: join(ROOT, 'out', 'renderer') });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
const renders: number[] = [];
for (let i = 0; i < 3; i++) {
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  await page.goto(server.openUrl);
  await page.waitForSelector('[data-testid=survey-row]');
  renders.push(await page.evaluate(() => performance.now()));
  await page.close();
}
line('first render of the Survey table, 3000 rows', median(renders), 1000);
await browser.close();
await server.close();
await s.close();
for (const d of dirs) rmSync(d, { recursive: true, force: true });
