import { mkdtempSync } from 'node:fs'; import { tmpdir } from 'node:os'; import { join } from 'node:path';
import { createServices } from '../electron/services/registry'; import { resolvePaths } from '../electron/services/paths';
import { parseImport } from '../shared/survey/import-rows';
import { importTargets } from '../electron/db/repos/targets';
const src = createServices({ paths: resolvePaths(mkdtempSync(join(tmpdir(), 'p-'))), transport: 'cli' });
await src.call('survey.demo.generate', { count: 3000, seed: 2026 });
const csv = await src.call('survey.export', { filter: {}, format: 'csv' });
const vot = await src.call('survey.export', { filter: {}, format: 'votable' });
for (let i = 0; i < 3; i++) {
  let t = performance.now(); const p = parseImport('a.csv', csv.content); const tp = performance.now() - t;
  t = performance.now(); parseImport('a.vot', vot.content); const tv = performance.now() - t;
  const s = createServices({ paths: resolvePaths(mkdtempSync(join(tmpdir(), 'p-'))), transport: 'cli' });
  t = performance.now(); importTargets(s.store, p.targets, { source: 'x' }); const tw = performance.now() - t;
  t = performance.now(); await s.call('survey.list', {filter: {}}); const tl = performance.now() - t;
  t = performance.now(); await s.call('survey.list', {filter: {programmes: ['S02']}}); const tl2 = performance.now() - t;
  console.log({ parseCsv: tp.toFixed(1), parseVot: tv.toFixed(1), write: tw.toFixed(1), listCold: tl.toFixed(1), listWarm: tl2.toFixed(1) });
}
