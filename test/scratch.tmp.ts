import { computeNightObservability, defaultObservabilityOptions } from '../shared/astro/observability';
import { isoFromMjd } from '../shared/astro/time';
import { Why } from '../shared/astro/types';
function delayRuns(r: any, grid: any) {
  const runs: string[] = []; let s = -1; const n = grid.timesMjd.length;
  for (let k = 0; k <= n; k++) { const ok = k < n && (r.why[k] & Why.delayLine) === 0;
    if (ok && s < 0) s = k; if (!ok && s >= 0) { runs.push(isoFromMjd(grid.timesMjd[s]).slice(0,16) + '..' + isoFromMjd(grid.timesMjd[k-1]).slice(11,16)); s = -1; } }
  return runs;
}
for (const night of ['2017-11-30', '2017-12-01']) {
  const o = defaultObservabilityOptions(night, { stations: ['S2','E2','W2'], pops: '215', stepMin: 1, twilightDeg: 90, minElevationDeg: -90, useHorizons: false, maxElevationDeg: 90, minMoonSepDeg: 0 });
  const r = computeNightObservability([{ raDeg: 72.46004, decDeg: 6.96128 }], o);
  console.log(night, delayRuns(r.targets[0], r.grid), r.grid.timesMjd.length);
}
// Vega
const vega = { raDeg: 279.23473, decDeg: 38.78369 };
for (const [st, pops] of [[['S1','S2','E1','E2','W1','W2'], '111111'], [['S1','S2','E1','E2'], '1111'], [['S1','S2','E1','E2'], '1334'], [['S1','S2','E1','E2'], 'auto']] as const) {
  const o = defaultObservabilityOptions('2026-06-21', { stations: [...st], pops, stepMin: 1, twilightDeg: 90, minElevationDeg: -90, useHorizons: false, maxElevationDeg: 90, minMoonSepDeg: 0 });
  const r = computeNightObservability([vega], o);
  const t = r.targets[0]; let c = 0; for (let k = 0; k < t.why.length; k++) if (!(t.why[k] & Why.delayLine)) c++;
  console.log(st.join(''), pops, t.pops, c, 'min of', t.why.length, delayRuns(t, r.grid));
}
const targets = Array.from({length: 1000}, (_, i) => ({ raDeg: (i * 137.5) % 360, decDeg: -20 + (i * 7.3) % 100 }));
for (const pops of ['auto', '123455']) for (let rep = 0; rep < 3; rep++) {
  const t0 = performance.now();
  const r = computeNightObservability(targets, defaultObservabilityOptions('2024-05-15', { pops }));
  console.log(pops, (performance.now() - t0).toFixed(1), 'ms', r.grid.timesMjd.length, r.targets.filter(t => t.intervals.length).length);
}
