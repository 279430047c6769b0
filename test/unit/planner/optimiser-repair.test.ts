/**
 * The optimiser's repair of a relaxed choice that uses a target twice: which occurrence it keeps
 * decides what the refill can place around it, so it tries each (`repairEach` in optimiser.ts).
 * Small problems whose optimum is found here by enumerating every plan.
 */
import { describe, expect, it } from 'vitest';
import { optimise, type OptOption, type OptProblem } from '../../../shared/planner/optimiser';

/** Best value of any set of options with distinct targets and no overlap (one PoP set). */
function bruteForce(problem: OptProblem): number {
  const { options } = problem;
  let best = 0;
  for (let mask = 0; mask < 1 << options.length; mask++) {
    const picked = options.filter((_, i) => mask & (1 << i));
    const targets = picked.flatMap((o) => o.members);
    if (new Set(targets).size !== targets.length) continue;
    const sorted = [...picked].sort((a, b) => a.start - b.start);
    if (sorted.some((o, i) => i > 0 && sorted[i - 1].start + sorted[i - 1].len > o.start)) continue;
    best = Math.max(best, picked.reduce((s, o) => s + o.value, 0));
  }
  return best;
}

describe('optimiser repair of a target chosen twice', () => {
  // Target 0 is worth most early (10) and a little less late (9); target 1 only fits early (8).
  // At zero multipliers the relaxed optimum takes target 0 twice (19). Keeping its more valuable
  // occurrence leaves the late half to nobody (10); keeping the late one lets target 1 in (17).
  const options: OptOption[] = [
    { members: [0], pop: 0, start: 0, len: 5, value: 10 },
    { members: [0], pop: 0, start: 5, len: 5, value: 9 },
    { members: [1], pop: 0, start: 0, len: 5, value: 8 },
  ];
  const problem: OptProblem = { slots: 10, pops: 1, changeSlots: 1, targets: 2, options, fixed: [], initialPop: null, changePenalty: 0, usable: undefined };

  it('keeps the occurrence that lets the refill place most, from the first relaxed choice on', () => {
    expect(bruteForce(problem)).toBe(17);
    // One iteration per search: every search repairs only the relaxed choice at zero multipliers.
    const first = optimise(problem, { maxIterations: 1, gapTolerance: 0 });
    expect(first.value).toBe(17);
    expect(first.chosen).toEqual([2, 1]);
  });

  it('proves that plan optimal: the bound meets it', () => {
    const solved = optimise(problem);
    expect(solved.value).toBe(17);
    expect(solved.bound).toBeCloseTo(17, 6);
  });
});
