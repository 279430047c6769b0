/**
 * `planner.model` against an independent solver: HiGHS (npm `highs`, WebAssembly) solves the LP
 * relaxation of the plan's 0–1 program (same candidates, options and grid) on a real store with
 * the demo survey. The relaxation is an upper bound on any plan of those options, so the plan's
 * value may not exceed it; and the optimiser's own Lagrangian bound must not be below the value.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import highsLoader from 'highs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';

let dir: string;
let s: Services;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spica-planner-ip-'));
  s = createServices({ paths: resolvePaths(dir), transport: 'cli' });
  await s.call('survey.demo.generate', { count: 300 });
}, 300_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('planner.model solved by HiGHS', () => {
  it('the LP relaxation bounds the plan value, which comes close to it', async () => {
    const plan = await s.call('planner.plan', { night: '2026-05-15', config: { stations: ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'] } });
    const model = await s.call('planner.model', { planId: plan.id });
    expect(model.value).toBeCloseTo(plan.summary!.value, 6);
    expect(model.options).toBeGreaterThan(0);
    expect(model.lp).toMatch(/^Maximize\n obj: /);
    const highs = await highsLoader();
    const lp = highs.createModel({ format: 'lp', data: model.lp.replace(/\nBinary\n[\s\S]*?\nEnd$/, '\nEnd') });
    try {
      lp.options.set({ output_flag: false });
      lp.run();
      expect(lp.getModelStatus()).toBe(7);
      const relaxation = lp.getObjectiveValue();
      expect(relaxation).toBeGreaterThanOrEqual(model.value - 1e-6 * relaxation);
      // Sanity floor; the 95 % goal is the benchmark's (this night: 94.98 % of the LP bound, 300 targets).
      expect(model.value / relaxation).toBeGreaterThan(0.9);
      expect(model.bound!).toBeGreaterThanOrEqual(model.value - 1e-6);
    } finally {
      lp.dispose();
    }
  }, 600_000);
});
