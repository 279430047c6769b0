/**
 * The Tonight screen's elevation curves kept across views (`elevationCurves` with a memo): the
 * same curves as computed afresh, and a re-plan that keeps most stars computes only the new ones.
 * On the 6T bench night's plan (real engine).
 */
import { describe, expect, it } from 'vitest';
import { computeNightObservability } from '../../../shared/astro/observability';
import { replanFrom } from '../../../shared/planner/replan';
import { DEFAULT_PLAN_SETTINGS } from '../../../shared/planner/types';
import { elevationCurves, type SequenceInfo } from '../../../shared/planner/view';
import { sixTNight } from './bench-fixture';

describe('elevation curves kept across views', () => {
  const { options, prepared } = sixTNight();
  const base = { night: prepared.window, candidates: prepared.candidates, settings: DEFAULT_PLAN_SETTINGS, sidereal: prepared.sidereal, stepMin: 5 };
  const plan = replanFrom({ ...base, blocks: [], fromMjd: -Infinity });
  const later = replanFrom({ ...base, blocks: plan.blocks, fromMjd: prepared.window.startMjd + 3 / 24 });
  const info = new Map<string, SequenceInfo>();

  it('gives the curves computed afresh, from the memo as well', () => {
    const memo = new Map<string, { timesUtc: string[]; altDeg: number[] }>();
    const fresh = elevationCurves(plan.blocks, options, info);
    expect(elevationCurves(plan.blocks, options, info, memo)).toEqual(fresh);
    expect(elevationCurves(plan.blocks, options, info, memo)).toEqual(fresh);
    expect(elevationCurves(later.blocks, options, info, memo)).toEqual(elevationCurves(later.blocks, options, info));
    // Against the engine itself for one star: its altitude on the 10-min grid, rounded to 0.1°.
    const first = [...plan.blocks].sort((a, b) => a.startMjd - b.startMjd)[0];
    const obs = computeNightObservability([{ name: first.name, raDeg: first.raDeg, decDeg: first.decDeg }], { ...options, useDelayLines: false, stepMin: 10 });
    expect(fresh.series[0].altDeg).toEqual(Array.from(obs.targets[0].altDeg, (a) => Math.round(a * 10) / 10));
    expect(fresh.timesUtc.length).toBe(obs.grid.timesMjd.length);
  });

  it('computes only the stars it has not seen', () => {
    const memo = new Map<string, { timesUtc: string[]; altDeg: number[] }>();
    elevationCurves(plan.blocks, options, info, memo);
    const seen = memo.size;
    expect(seen).toBe(new Set(plan.blocks.map((b) => b.starKey)).size);
    elevationCurves(later.blocks, options, info, memo);
    const added = new Set(later.blocks.filter((b) => !plan.blocks.some((p) => p.raDeg === b.raDeg && p.decDeg === b.decDeg)).map((b) => `${b.raDeg}|${b.decDeg}`)).size;
    expect(memo.size).toBe(seen + added);
  });
});
