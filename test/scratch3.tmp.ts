import { computeNightObservability, defaultObservabilityOptions } from '../shared/astro/observability';
const targets = Array.from({length: 1000}, (_, i) => ({ raDeg: (i * 137.5) % 360, decDeg: -20 + (i * 7.3) % 100 }));
for (const o of [{useDelayLines: false}, {pops: '123455'}, {pops: 'auto'}]) for (let rep = 0; rep < 5; rep++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  computeNightObservability(targets, defaultObservabilityOptions('2024-05-15', o));
  const c = process.cpuUsage(c0);
  console.log(JSON.stringify(o), 'wall', (performance.now() - t0).toFixed(1), 'cpu', ((c.user + c.system) / 1000).toFixed(1));
}
