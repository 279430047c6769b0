import { computeNightObservability, defaultObservabilityOptions } from '../shared/astro/observability';
import { nightSky } from '../shared/astro/night';
import { CHARA_SITE } from '../shared/astro/site';
const targets = Array.from({length: 1000}, (_, i) => ({ raDeg: (i * 137.5) % 360, decDeg: -20 + (i * 7.3) % 100 }));
const g = nightSky('2024-05-15', CHARA_SITE, {stepMin: 5}).grid;
for (const o of [{}, {useHorizons: false}, {useHorizons: false, minMoonSepDeg: 0}]) {
  const opts = defaultObservabilityOptions('2024-05-15', {useDelayLines: false, gridStartMjd: g.timesMjd[0], gridEndMjd: g.timesMjd[0] + 1e-9, ...o});
  const opts2 = defaultObservabilityOptions('2024-05-15', {useDelayLines: false, ...o});
  for (let rep = 0; rep < 4; rep++) { let t0 = performance.now(); computeNightObservability(targets, opts); const a = performance.now() - t0; t0 = performance.now(); computeNightObservability(targets, opts2); console.log(JSON.stringify(o), a.toFixed(1), (performance.now() - t0).toFixed(1)); }
}
