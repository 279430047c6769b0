import { computeNightObservability, defaultObservabilityOptions } from '../shared/astro/observability';
import { searchStats } from '../shared/astro/delay';
const targets = Array.from({length: 1000}, (_, i) => ({ raDeg: (i * 137.5) % 360, decDeg: -20 + (i * 7.3) % 100 }));
for (let rep = 0; rep < 3; rep++) { searchStats.nodes = 0; searchStats.searches = 0; searchStats.inner = 0; const t0 = performance.now(); computeNightObservability(targets, defaultObservabilityOptions('2024-05-15', {})); console.log((performance.now() - t0).toFixed(1), searchStats); }
