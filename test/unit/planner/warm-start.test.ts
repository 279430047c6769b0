/**
 * The optimiser's warm start (`OptWarmStart`): a run on some of a solved night's options starts
 * from that night's multipliers and plan; a plan of the night itself is searched every time.
 * On the 6T bench night (real engine, delay lines, PoP variants, shared calibrators).
 */
import { describe, expect, it } from 'vitest';
import { optimise, type OptMemo, type OptSettings } from '../../../shared/planner/optimiser';
import { replanInput } from '../../../shared/planner/replan';
import { buildPlan, planProblem } from '../../../shared/planner/scheduler';
import { DEFAULT_PLAN_SETTINGS, type OptionsCache } from '../../../shared/planner/types';
import { sixTNight } from './bench-fixture';

describe('optimiser warm start from the whole night', () => {
  const { prepared } = sixTNight();
  const night = prepared.window;
  const settings = DEFAULT_PLAN_SETTINGS;
  const cache: OptionsCache = { candidates: prepared.candidates };
  const whole = planProblem({ window: night, candidates: prepared.candidates, settings, sidereal: prepared.sidereal, optionsCache: cache });
  const search: OptSettings = { maxIterations: 150, gapTolerance: 0.002 };
  const memo: OptMemo = { problem: whole.problem, settings: search, solution: optimise(whole.problem, search) };
  const replan = planProblem({
    ...replanInput({ night, candidates: prepared.candidates, settings, sidereal: prepared.sidereal, blocks: [], fromMjd: night.startMjd + 2 / 24, stepMin: 5 }),
    optionsCache: cache,
  });
  const link = replan.set.fromNight!;

  it('holds the re-plan on the night\'s own options, with their place in it', () => {
    expect(whole.set.fromNight).toBeDefined();
    expect(whole.set.held).toBeUndefined();
    const held = replan.set.held!;
    // The night's list itself, on the night's grid, the slots before "now" held.
    expect(replan.problem.options).toBe(whole.problem.options);
    expect(replan.problem.slots).toBe(whole.problem.slots);
    expect(held.firstSlot).toBe(24);
    expect(replan.problem.fixed?.[0]).toEqual({ start: 0, len: 24, pop: -1, closes: -1, member: -1 });
    replan.problem.options.forEach((o, i) => {
      expect(link.optionOf[i]).toBe(i);
      // Usable: every sequence from "now" on (nothing observed, so every target is the run's).
      if (o.requires === undefined) expect(held.usable[i]).toBe(o.start >= held.firstSlot ? 1 : 0);
      else if (o.start < held.firstSlot) expect(held.usable[i]).toBe(0);
    });
    link.targetOf.forEach((f, j) => expect(f).toBe(j));
  });

  it('searches a plan of the whole night every time (no kept solve handed back), and keeps its solve for re-plans', () => {
    const own: OptionsCache = { candidates: prepared.candidates };
    const input = { window: night, candidates: prepared.candidates, settings, sidereal: prepared.sidereal, optionsCache: own, search };
    const first = buildPlan(input);
    const entry = own.entry as { solve?: OptMemo };
    expect(entry.solve?.solution.chosen).toEqual(memo.solution.chosen);
    // A stand-in solve (the night's first chosen option alone): a later plan of the night must not take it.
    const standIn: OptMemo = { ...memo, solution: { ...memo.solution, chosen: memo.solution.chosen.slice(0, 1) } };
    entry.solve = standIn;
    const again = buildPlan(input);
    expect(again.blocks).toEqual(first.blocks);
    expect(again.stats.scienceBlocks).toBeGreaterThan(1);
    expect(entry.solve).not.toBe(standIn);
    expect(entry.solve?.solution.chosen).toEqual(memo.solution.chosen);
  });

  it('starts a re-plan from the night: a better plan than a cold start within one iteration', () => {
    const one: OptSettings = { maxIterations: 1, gapTolerance: 0.002 };
    const cold = optimise(replan.problem, one);
    const warm = optimise(replan.problem, one, { night: memo, ...link });
    expect(warm.value).toBeGreaterThan(cold.value * 1.05);
  });

  it('re-plans as well as a cold search or better, the same plan every time', () => {
    const cold = optimise(replan.problem, search);
    const warm = optimise(replan.problem, search, { night: memo, ...link });
    expect(warm.value).toBeGreaterThanOrEqual(cold.value - 1e-9);
    expect(warm.bound).toBeGreaterThanOrEqual(warm.value - 1e-9);
    expect(optimise(replan.problem, search, { night: memo, ...link })).toEqual(warm);
    // Every target at most once.
    const members = warm.chosen.flatMap((o) => replan.problem.options[o].members);
    expect(new Set(members).size).toBe(members.length);
    console.log(`6T re-plan: cold ${cold.value.toFixed(1)} (${cold.iterations} it), warm ${warm.value.toFixed(1)} (${warm.iterations} it)`);
  });
});
