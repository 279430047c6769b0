/**
 * Profile of planner.replan through the service on one bench night (not a benchmark: a CPU
 * profile of the re-plans only, from dusk + 2 h then 10 min later each, after a plan and two warm
 * plans). Usage: npx tsx test/bench/replan-profile.ts [YYYY-MM-DD] [out.cpuprofile]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../../electron/services/registry';
import { resolvePaths } from '../../electron/services/paths';

const night = process.argv[2] ?? '2026-01-15';
const out = process.argv[3] ?? join(tmpdir(), `replan-${night}.cpuprofile`);
const s = createServices({ paths: resolvePaths(mkdtempSync(join(tmpdir(), 'replan-prof-'))), transport: 'cli' });
await s.call('survey.demo.generate', { count: 3000 });
const stations: Array<'S1' | 'S2' | 'E1' | 'E2' | 'W1' | 'W2'> = ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'];
const config = { stations, pops: 'auto', useDelayLines: true };
let plan = await s.call('planner.plan', { night, config });
for (let r = 0; r < 2; r++) plan = await s.call('planner.plan', { night, config });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const times: number[] = [];
for (let r = 0; r < 6; r++) {
  const fromUtc = new Date(Date.parse(plan.windowStartUtc) + 2 * 3600_000 + r * 600_000).toISOString();
  const t0 = performance.now();
  await s.call('planner.replan', { planId: plan.id, fromUtc });
  times.push(performance.now() - t0);
}
const { profile } = await session.post('Profiler.stop');
writeFileSync(out, JSON.stringify(profile));
console.log(`${night}: re-plans ${times.map((t) => t.toFixed(0)).join(', ')} ms; profile ${out}`);
process.exit(0);
