/**
 * Issue #10's value goal on its hardest bench night, through the planner service on a real store
 * (the seeded 3000-target demo survey, CHARA 6T with delay lines, automatic PoPs, the Calibrators
 * service): 2026-02-20, where the first subgradient search stalls 6 % below its own bound. The plan
 * must be worth at least 95 % of HiGHS's LP-relaxation bound of the same 0–1 program (13061.0,
 * solved by `npm run bench:planner` on `planner.model`'s text, 2026-12-07; HiGHS's 0–1 search found
 * 12598.7 in 400 s). A re-plan from dusk + 2 h through the service's caches is checked against the
 * rules (kept blocks, nothing before "now") and is the same when asked twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';
import { mjdFromIso } from '../../../shared/astro/time';
import type { PlanView } from '../../../shared/planner/api-types';

const NIGHT = '2026-02-20';
const STATIONS: Array<'S1' | 'S2' | 'E1' | 'E2' | 'W1' | 'W2'> = ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'];
const CONFIG = { stations: STATIONS, pops: 'auto', useDelayLines: true };
/** HiGHS's LP-relaxation bound of this night's 0–1 program (see the file comment). */
const HIGHS_LP_BOUND = 13061.0;

let dir: string;
let s: Services;
let plan: PlanView;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spica-planner-late-winter-'));
  s = createServices({ paths: resolvePaths(dir), transport: 'cli' });
  const demo = await s.call('survey.demo.generate', { count: 3000 });
  expect(demo.targets).toBe(3000);
  plan = await s.call('planner.plan', { night: NIGHT, config: CONFIG });
}, 600_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('2026-02-20 on the whole demo survey', () => {
  it('plans a night worth ≥ 95 % of HiGHS\'s LP bound, below its own bound', async () => {
    const model = await s.call('planner.model', { planId: plan.id });
    expect(model.value).toBeGreaterThanOrEqual(0.95 * HIGHS_LP_BOUND);
    expect(plan.summary!.value).toBeCloseTo(model.value, 6);
    expect(plan.summary!.bound!).toBeGreaterThanOrEqual(model.value - 1e-6);
  });

  it('plans the same night again the same way (warm caches), and re-plans from dusk + 2 h the same way twice', async () => {
    const again = await s.call('planner.plan', { night: NIGHT, config: CONFIG });
    expect(again.blocks).toEqual(plan.blocks);
    expect(again.leftOut).toEqual(plan.leftOut);
    const fromUtc = new Date(Date.parse(plan.windowStartUtc) + 2 * 3600_000).toISOString();
    const first = await s.call('planner.replan', { planId: plan.id, fromUtc });
    const second = await s.call('planner.replan', { planId: plan.id, fromUtc });
    expect(second.blocks).toEqual(first.blocks);
    expect(second.leftOut).toEqual(first.leftOut);
    const from = mjdFromIso(fromUtc);
    const planned = first.blocks.filter((b) => b.status === 'planned');
    expect(planned.length).toBeGreaterThan(0);
    for (const b of planned) expect(mjdFromIso(b.startUtc)).toBeGreaterThanOrEqual(from - 1e-9);
    for (let i = 1; i < first.blocks.length; i++) expect(mjdFromIso(first.blocks[i].startUtc)).toBeGreaterThanOrEqual(mjdFromIso(first.blocks[i - 1].endUtc) - 1e-9);
  });
});
