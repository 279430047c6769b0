/** Scratch: plan + 6 re-plans of a night; prints timings and a fingerprint of each result. */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../../electron/services/registry';
import { resolvePaths } from '../../electron/services/paths';
const night = process.argv[2] ?? '2026-01-15';
const s = createServices({ paths: resolvePaths(mkdtempSync(join(tmpdir(), 'fp-'))), transport: 'cli' });
await s.call('survey.demo.generate', { count: 3000 });
const stations: Array<'S1' | 'S2' | 'E1' | 'E2' | 'W1' | 'W2'> = ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'];
const config = { stations, pops: 'auto', useDelayLines: true };
const B = (bs: Array<{ name: string; kind: string; startUtc: string }>) => bs.map((b) => [b.name, b.kind, b.startUtc]);
const L = (ls: Array<{ name: string; code?: string; reason: string }>) => ls.map((l) => [l.name, l.code, l.reason]);
const h = (x: unknown) => createHash('sha1').update(JSON.stringify(x)).digest('hex').slice(0, 8);
let plan = await s.call('planner.plan', { night, config });
for (let r = 0; r < 2; r++) plan = await s.call('planner.plan', { night, config });
const out: string[] = [`plan ${h(B(plan.blocks))} ${h(L(plan.leftOut))} v${plan.stats.value?.toFixed(1)}`];
const times: number[] = [];
const cpu: number[] = [];
for (let r = 0; r < 6; r++) {
  const fromUtc = new Date(Date.parse(plan.windowStartUtc) + 2 * 3600_000 + r * 600_000).toISOString();
  const t0 = performance.now();
  const u0 = process.cpuUsage();
  const v = await s.call('planner.replan', { planId: plan.id, fromUtc });
  times.push(performance.now() - t0);
  const u = process.cpuUsage(u0);
  cpu.push((u.user + u.system) / 1000);
  out.push(`r${r} ${h(B(v.blocks))} ${h(L(v.leftOut))} v${v.stats.value?.toFixed(1)} b${v.stats.bound?.toFixed(0)}`);
}
console.log(`${night} wall ${times.map((t) => t.toFixed(0)).join(' ')} | cpu ${cpu.map((t) => t.toFixed(0)).join(' ')}`);
console.log(out.join('\n'));
process.exit(0);
