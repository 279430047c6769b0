/**
 * Issue #10's "done when" night, through the planner service on a real store (temp SQLite file,
 * real migrations, the seeded 3000-target demo survey, calibrators from the Calibrators service):
 * 2026-12-06 on CHARA 6T S1,S2,E1,E2,W1,W2 with automatic PoPs and the whole survey (no Dec strip
 * chosen by hand) plans at least 9 science sequences and leaves at most 90 minutes of the
 * astronomical night idle. The greedy planner this replaced gave 6 sequences and 300 idle minutes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';
import { computeNightObservability, defaultObservabilityOptions } from '../../../shared/astro/observability';
import { mjdFromIso } from '../../../shared/astro/time';
import type { PlanView } from '../../../shared/planner/api-types';

const NIGHT = '2026-12-06';
const STATIONS = ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'] as const;

let dir: string;
let s: Services;
let plan: PlanView;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spica-planner-winter-'));
  s = createServices({ paths: resolvePaths(dir), transport: 'cli' });
  const demo = await s.call('survey.demo.generate', {});
  expect(demo.targets).toBe(3000);
  plan = await s.call('planner.plan', { night: NIGHT, config: { stations: [...STATIONS], pops: 'auto' } });
}, 600_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the winter night of issue #10 on the whole demo survey', () => {
  it('plans ≥ 9 science sequences with ≤ 90 idle minutes of the astronomical night', () => {
    const sci = plan.blocks.filter((b) => b.kind === 'SCI');
    const nightMin = (mjdFromIso(plan.windowEndUtc) - mjdFromIso(plan.windowStartUtc)) * 1440;
    const busyMin = plan.blocks.reduce((sum, b) => sum + (mjdFromIso(b.endUtc) - mjdFromIso(b.startUtc)) * 1440, 0);
    expect(nightMin).toBeGreaterThan(600);
    expect(plan.config.twilightDeg).toBe(-18);
    expect(sci.length).toBeGreaterThanOrEqual(9);
    expect(plan.summary!.science).toBe(sci.length);
    // The summary's idle time is the window minus the blocks (PoP changes count as idle).
    expect(plan.summary!.idleMin).toBeCloseTo(nightMin - busyMin, 0);
    expect(plan.summary!.idleMin).toBeLessThanOrEqual(90);
    expect(plan.summary!.bound!).toBeGreaterThanOrEqual(plan.summary!.value - 1e-6);
  });

  it('every block lies in the window, none overlap, and the engine confirms each star at both ends with the PoPs used', () => {
    const start = mjdFromIso(plan.windowStartUtc);
    const end = mjdFromIso(plan.windowEndUtc);
    plan.blocks.forEach((b, i) => {
      const b0 = mjdFromIso(b.startUtc);
      const b1 = mjdFromIso(b.endUtc);
      expect(b0).toBeGreaterThanOrEqual(start - 1e-9);
      expect(b1).toBeLessThanOrEqual(end + 1e-9);
      if (i > 0) expect(b0).toBeGreaterThanOrEqual(mjdFromIso(plan.blocks[i - 1].endUtc) - 1e-9);
      const stepMin = (b1 - b0) * 1440;
      const obs = computeNightObservability([{ name: b.name, raDeg: b.raDeg, decDeg: b.decDeg }], {
        ...defaultObservabilityOptions(NIGHT, { stations: [...STATIONS], twilightDeg: -18 }),
        pops: b.pops,
        stepMin,
        gridStartMjd: b0,
        gridEndMjd: b1 + stepMin / 2880,
      });
      expect(Array.from(obs.targets[0].observable.slice(0, 2)), `${b.kind} ${b.name} ${b.startUtc}`).toEqual([1, 1]);
    });
  });

  it('gives a real reason for every target left out, and "no free slot" is not the catch-all', () => {
    const codes = new Map<string, number>();
    for (const l of plan.leftOut) codes.set(l.code ?? 'none', (codes.get(l.code ?? 'none') ?? 0) + 1);
    expect(codes.get('none') ?? 0).toBe(0);
    expect(plan.leftOut.every((l) => l.reason.length > 0)).toBe(true);
    expect((codes.get('no-slot') ?? 0) / plan.leftOut.length).toBeLessThan(0.5);
  });
});
