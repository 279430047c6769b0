/**
 * The whole night's options kept across runs (`OptionsCache`): a warm plan and a re-plan from
 * "now" read their options off it instead of building them, and the optimiser starts from the
 * whole night's solve kept with them. Each run on the cache is compared with the same run built
 * afresh (no cache): the same options (a re-plan is held on the night's own list, its options
 * marked usable: those, counted from its first slot, are the fresh build's); the same plan for the whole night; for a re-plan, a plan
 * worth at least as much (its search starts elsewhere), the same whatever the cache held before.
 * On the real engine with CHARA 6T, delay lines, PoP variants, calibrator brackets and shared
 * calibrators.
 */
import { describe, expect, it } from 'vitest';
import { pinSequence, replanFrom, replanInput, type ReplanInput } from '../../../shared/planner/replan';
import type { OptOption } from '../../../shared/planner/optimiser';
import { buildPlan, planProblem } from '../../../shared/planner/scheduler';
import { DEFAULT_PLAN_SETTINGS, type OptionsCache, type PlannedBlock } from '../../../shared/planner/types';
import { sixTNight } from './bench-fixture';
import { expectBrackets, expectNoOverlap } from './invariants';

/**
 * Options with their calibrator ids numbered by first use: ids are only compared for equality
 * (which tail may follow which option), and a run numbers them in the order it meets the stars.
 */
function canonical(options: readonly OptOption[]): OptOption[] {
  const ids = new Map<number, number>();
  const id = (x: number | undefined) => {
    if (x === undefined) return undefined;
    if (!ids.has(x)) ids.set(x, ids.size);
    return ids.get(x);
  };
  return options.map((o) => ({ ...o, closes: id(o.closes), requires: id(o.requires) }));
}

/**
 * What a run held on the night's options (`OptionSet.held`) plans on, as a set of its own: its
 * usable options in order, slots counted from its first slot, targets numbered among its own.
 */
function runOptions({ set }: ReturnType<typeof planProblem>) {
  const held = set.held!;
  expect(held).toBeDefined();
  const targetOf = new Int32Array(set.keys.length).fill(-1);
  const keys: string[] = [];
  set.keys.forEach((k, j) => {
    if (held.inRun[j]) targetOf[j] = keys.push(k) - 1;
  });
  const indexOf = new Int32Array(set.options.length).fill(-1);
  const options: OptOption[] = [];
  const plans: typeof set.plans = [];
  set.options.forEach((o, i) => {
    if (!held.usable[i]) return;
    indexOf[i] = options.length;
    options.push({ ...o, start: o.start - held.firstSlot, members: o.members.map((j) => targetOf[j]) });
    plans.push(set.plans[i]);
  });
  const byTarget = keys.map(() => [] as number[]);
  set.byTarget.forEach((list, j) => {
    if (targetOf[j] >= 0) for (const o of list) if (indexOf[o] >= 0) byTarget[targetOf[j]].push(indexOf[o]);
  });
  return { keys, options, plans, byTarget };
}

describe('whole-night options reused by warm plans and re-plans', () => {
  const { prepared } = sixTNight();
  const settings = DEFAULT_PLAN_SETTINGS;
  const night = prepared.window;
  const base = { night, candidates: prepared.candidates, settings, sidereal: prepared.sidereal, stepMin: 5 };
  const cache: OptionsCache = { candidates: prepared.candidates };
  const plan = replanFrom({ ...base, blocks: [], fromMjd: -Infinity, optionsCache: cache });
  const sequences = [...new Set(plan.blocks.filter((b) => b.kind === 'SCI').map((b) => b.sequenceId))];

  it('plans the whole night as without the cache, and again the same from the cache', () => {
    expect(cache.entry).toBeDefined();
    expect(plan).toEqual(replanFrom({ ...base, blocks: [], fromMjd: -Infinity }));
    const entry = cache.entry;
    expect(replanFrom({ ...base, blocks: [], fromMjd: -Infinity, optionsCache: cache })).toEqual(plan);
    expect(cache.entry).toBe(entry);
    expect(plan.stats.scienceBlocks).toBeGreaterThanOrEqual(5);
    // Chains (calibrator sharing) are among the options, so tails are re-checked on every re-plan.
    expect((entry as { full: { options: OptOption[] } }).full.options.some((o) => o.requires !== undefined)).toBe(true);
  });

  // Done, pinned and skipped sequences; "now" on and off the 5-min grid, early and late.
  const cases: Array<{ label: string; input: () => ReplanInput }> = [
    { label: 'from dusk + 2 h, nothing observed', input: () => ({ ...base, blocks: plan.blocks, fromMjd: night.startMjd + 2 / 24 }) },
    {
      label: 'from 1 h after a done sequence, another pinned, one skipped, off the grid',
      input: () => {
        let blocks: PlannedBlock[] = plan.blocks.map((b) => (b.sequenceId === sequences[0] ? { ...b, status: 'done' as const } : b));
        blocks = pinSequence(blocks, sequences[sequences.length - 1], true);
        const doneEnd = Math.max(...blocks.filter((b) => b.status === 'done').map((b) => b.endMjd));
        return { ...base, blocks, fromMjd: doneEnd + 1 / 24 + 2.5 / 1440, skippedKeys: [sequences[2]] };
      },
    },
    { label: 'late in the night', input: () => ({ ...base, blocks: plan.blocks, fromMjd: night.endMjd - 2.2 / 24 }) },
  ];

  for (const c of cases) {
    it(`re-plans ${c.label} on the same options as a re-plan built afresh, worth as much or more, deterministically`, () => {
      const input = c.input();
      const fresh = replanFrom(input);
      const cached = replanFrom({ ...input, optionsCache: cache });
      expect(cached.stats.value!).toBeGreaterThanOrEqual(fresh.stats.value! - 1e-9);
      // The same plan from a cache that holds nothing yet (the night is solved for the warm start
      // then), and again from the warm cache.
      expect(replanFrom({ ...input, optionsCache: { candidates: prepared.candidates } })).toEqual(cached);
      expect(replanFrom({ ...input, optionsCache: cache })).toEqual(cached);
      expectNoOverlap(cached.blocks);
      expectBrackets(cached.blocks, prepared.candidates);
      // The options themselves: the same list, order, values and plans as `buildOptions` makes.
      const a = planProblem(replanInput(input));
      const b = planProblem({ ...replanInput(input), optionsCache: cache });
      expect(b.wholeNight).not.toBeNull();
      const full = (cache.entry as { full: { options: OptOption[] } }).full.options;
      // Held on the night's options: the same list, nothing copied, the run's marked usable.
      expect(b.set.options).toBe(full);
      const run = runOptions(b);
      expect(run.options.length).toBeLessThan(full.length);
      expect(canonical(run.options)).toEqual(canonical(a.set.options));
      expect(run.plans).toEqual(a.set.plans);
      expect(run.byTarget).toEqual(a.set.byTarget);
      expect(run.keys).toEqual(a.set.keys);
    });
  }

  it('derives a copy of the options when a kept block is on a PoP set no candidate has (not held), the same as built afresh', () => {
    // A done sequence observed on PoPs none of tonight's candidates use: the run's PoP sets are not the night's.
    const blocks = plan.blocks.map((b) => (b.sequenceId === sequences[0] ? { ...b, status: 'done' as const, pops: '999999' } : b));
    const doneEnd = Math.max(...blocks.filter((b) => b.status === 'done').map((b) => b.endMjd));
    const input = { ...base, blocks, fromMjd: doneEnd + 0.5 / 24 };
    const a = planProblem(replanInput(input));
    const b = planProblem({ ...replanInput(input), optionsCache: cache });
    expect(a.popSets).toContain('999999');
    expect(b.wholeNight).not.toBeNull();
    expect(b.set.held).toBeUndefined();
    expect(b.set.options).not.toBe((cache.entry as { full: { options: OptOption[] } }).full.options);
    expect(canonical(b.set.options)).toEqual(canonical(a.set.options));
    expect(b.set.plans).toEqual(a.set.plans);
    expect(b.set.byTarget).toEqual(a.set.byTarget);
    const fresh = replanFrom(input);
    const cached = replanFrom({ ...input, optionsCache: cache });
    expect(cached.stats.value!).toBeGreaterThanOrEqual(fresh.stats.value! - 1e-9);
    expect(replanFrom({ ...input, optionsCache: cache })).toEqual(cached);
    expectNoOverlap(cached.blocks);
  });

  it('builds the whole night again when the settings change, and builds afresh for candidates it does not hold', () => {
    const own: OptionsCache = { candidates: prepared.candidates };
    const fromMjd = night.startMjd + 3 / 24;
    replanFrom({ ...base, blocks: plan.blocks, fromMjd, optionsCache: own });
    const first = own.entry;
    const other = { ...settings, popChangeS: 1800 };
    const withOther = replanFrom({ ...base, settings: other, blocks: plan.blocks, fromMjd, optionsCache: own });
    expect(own.entry).not.toBe(first);
    expect(withOther.stats.value!).toBeGreaterThanOrEqual(replanFrom({ ...base, settings: other, blocks: plan.blocks, fromMjd }).stats.value! - 1e-9);
    // Fresh priorities are new candidate objects: not the cache's, so their options are built.
    const promoted = prepared.candidates.map((c) => (c.science.key === sequences[1] ? c : { ...c, finalPriority: 1 as const }));
    const input = { ...base, candidates: promoted, blocks: plan.blocks, fromMjd };
    expect(planProblem({ ...replanInput(input), optionsCache: own }).wholeNight).toBeNull();
    expect(replanFrom({ ...input, optionsCache: own })).toEqual(replanFrom(input));
  });

  it('gives the same plan as buildPlan on the night without a re-plan window', () => {
    expect(buildPlan({ window: night, candidates: prepared.candidates, settings, sidereal: prepared.sidereal, optionsCache: cache }).blocks).toEqual(
      buildPlan({ window: night, candidates: prepared.candidates, settings, sidereal: prepared.sidereal }).blocks,
    );
  });
});
