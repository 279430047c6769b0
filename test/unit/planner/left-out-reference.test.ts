/**
 * The left-out verdicts of `buildPlan` against a plain reference written here from the rules of
 * docs/planner.md ("Left out, with the real reason"), on the CHARA 6T bench night with PoP
 * variants, calibrator brackets and shared calibrators, a third of its targets as shadows (no
 * calibrators), some with an hour-angle wish: a plan from dusk, the same through the whole-night
 * cache, and re-plans with kept blocks.
 *
 * The reference reads the finished plan off its blocks (which option each placed sequence is, and
 * the kept blocks), then tries every start of each left-out target in order, collects what each
 * start meets, and decides: one fits → not examined (shadows only); else the first free stretch too
 * short once a PoP change is added; else the first start taken by sequences worth at least as much
 * on compatible PoPs (lower value); else the first taken on compatible PoPs (no free slot); else
 * the first taken on other PoPs only (PoPs incompatible). A target with no start says why from its
 * own windows. It does not share code with the judge (left-out.ts) or the slot timeline.
 */
import { describe, expect, it } from 'vitest';
import { clip, EPS_DAYS, SECONDS_PER_DAY, totalDays } from '../../../shared/planner/intervals';
import { buildLayout, feasibleStarts } from '../../../shared/planner/layout';
import { calibratorPairs, lastStartSlot, materialise, sequenceValue, slotMask, slotMjd } from '../../../shared/planner/options';
import { pinSequence, replanFrom, replanInput, type ReplanInput } from '../../../shared/planner/replan';
import { buildPlan, planProblem } from '../../../shared/planner/scheduler';
import { DEFAULT_PLAN_SETTINGS, type LeftOut, type LeftOutCode, type OptionsCache, type PlanCandidate, type PlanInput, type PlannedBlock } from '../../../shared/planner/types';
import { sixTNight } from './bench-fixture';

type Verdict = { code: LeftOutCode; reason: string };

/** A placed sequence or kept stretch, as the verdicts name it. */
interface Occupant {
  pop: number;
  value: number;
  label: string;
  startMjd: number;
  endMjd: number;
}

/** One start of a target: slot, length (slots), PoP index and PoPs, and its value there. */
interface Start {
  start: number;
  len: number;
  pop: number;
  pops: string;
  value: number;
}

const hhmm = (mjd: number) => new Date(Math.round((mjd - 40587) * SECONDS_PER_DAY * 1000)).toISOString().slice(11, 16);

/** The left-out list and `wouldFit` the rules give for `input`, whose plan is `blocks`. */
function referenceLeftOut(input: PlanInput, blocks: readonly PlannedBlock[]): { leftOut: LeftOut[]; wouldFit: string[] } {
  const { settings, window } = input;
  const { set, grid, groups, popSets, popIndex, ignorePops, fixedSegments, fixedSequences, initialPop, problem } = planProblem(input);
  const { slots, stepDays, t0 } = grid;
  const slotTime = (k: number) => t0 + k * stepDays;

  // The plan on the slot grid: kept stretches, then each placed sequence as the option it is
  // (the option whose blocks are exactly that sequence's blocks).
  const owner = new Int32Array(slots).fill(-1);
  const occupants: Occupant[] = [];
  const occupy = (start: number, len: number, o: Occupant) => {
    for (let k = Math.max(0, start); k < Math.min(slots, start + len); k++) owner[k] = occupants.length;
    occupants.push(o);
  };
  for (const s of fixedSegments) {
    occupy(s.start, s.len, { pop: s.pop, value: Infinity, label: `a kept block at ${hhmm(slotTime(s.start))} UTC`, startMjd: slotTime(s.start), endMjd: slotTime(s.start + s.len) });
  }
  const fixedIds = new Set((input.fixedBlocks ?? []).map((b) => b.id));
  const fresh = blocks.filter((b) => !fixedIds.has(b.id));
  const placed = new Set(fresh.filter((b) => b.kind === 'SCI').map((b) => b.sequenceId));
  for (const key of placed) {
    const j = set.keys.indexOf(key);
    const own = fresh.filter((b) => b.sequenceId === key);
    const ids = own.map((b) => b.id).sort().join(' ');
    const o = set.byTarget[j].find((o) => {
      const made = materialise(set.plans[o], settings);
      return made.map((b) => b.id).sort().join(' ') === ids && made.every((b) => b.pops === own[0].pops && own.some((x) => x.id === b.id && x.starKey === b.starKey));
    });
    expect(o, `the option placing ${key}`).toBeDefined();
    const opt = set.options[o!];
    const plan = set.plans[o!];
    occupy(opt.start, opt.len, {
      pop: opt.pop,
      value: opt.value,
      label: plan.parts.map((c) => `${c.science.name} (P${c.finalPriority})`).join(' + '),
      startMjd: plan.startMjd,
      endMjd: plan.startMjd + plan.durationDays,
    });
  }

  /** The free run around a free slot: its first slot and one past its last. */
  const freeRun = (k: number): [number, number] => {
    let a = k;
    while (a > 0 && owner[a - 1] < 0) a--;
    let b = k;
    while (b < slots && owner[b] < 0) b++;
    return [a, b];
  };
  const fit = (s: Start): 'fits' | 'too-short' | 'taken' => {
    if (owner[s.start] >= 0) return 'taken';
    const [a, b] = freeRun(s.start);
    if (b < s.start + s.len) return 'taken';
    const left = a > 0 ? occupants[owner[a - 1]].pop : initialPop;
    const right = b < slots ? occupants[owner[b]].pop : null;
    const needsChange = (neighbour: number | null) => neighbour !== null && neighbour >= 0 && s.pop >= 0 && neighbour !== s.pop;
    if (needsChange(left) && s.start - a < problem.changeSlots) return 'too-short';
    if (needsChange(right) && b - (s.start + s.len) < problem.changeSlots) return 'too-short';
    return 'fits';
  };
  const overlapping = (s: Start): Occupant[] => {
    const out: Occupant[] = [];
    for (let k = s.start; k < Math.min(slots, s.start + s.len); k++) if (owner[k] >= 0 && !out.includes(occupants[owner[k]])) out.push(occupants[owner[k]]);
    return out;
  };
  const span = (s: Start) => `${hhmm(slotTime(s.start))}–${hhmm(slotTime(s.start + s.len))} UTC`;
  const names = (by: Occupant[]) => by.map((x) => `${x.label} ${hhmm(x.startMjd)}–${hhmm(x.endMjd)}`).join(', ');
  const chainOnly: Verdict = {
    code: 'calibrators-not-observable',
    reason: 'no calibrator observable just before it: it could only follow a sequence closing on one of its calibrators, and none is placed where it fits',
  };

  /** The verdict on a target's starts, in order (null when there is none). */
  const judge = (starts: Start[]): Verdict | null => {
    if (starts.length === 0) return null;
    const met = starts.map((s) => ({ s, fit: fit(s) }));
    const fits = met.find((m) => m.fit === 'fits');
    if (fits) return { code: 'not-examined', reason: `not examined: it would fit at ${hhmm(slotTime(fits.s.start))} UTC, but it was outside the candidates the planner asked calibrators for` };
    const short = met.find((m) => m.fit === 'too-short');
    if (short) {
      const [a, b] = freeRun(short.s.start);
      const needMin = Math.round((short.s.len + problem.changeSlots) * stepDays * 1440);
      return { code: 'pop-change', reason: `window too short once a PoP change is added: ${hhmm(slotTime(a))}–${hhmm(slotTime(b))} UTC is free, but it needs PoPs ${short.s.pops} and ${needMin} min with the change` };
    }
    const taken = met.filter((m) => m.fit === 'taken').map((m) => ({ s: m.s, by: overlapping(m.s) }));
    const compatible = taken.filter((t) => t.by.some((x) => x.pop === t.s.pop || x.pop < 0));
    const lower = compatible.find((t) => t.by.reduce((sum, x) => sum + x.value, 0) >= t.s.value - 1e-9);
    if (lower) return { code: 'lower-value', reason: `lower value than what was placed in its window (${span(lower.s)}): ${names(lower.by)}` };
    if (compatible.length) return { code: 'no-slot', reason: `no free slot in its window (${span(compatible[0].s)}): taken by ${names(compatible[0].by)}, which the best plan keeps` };
    const first = taken[0];
    const nightPops = [...new Set(first.by.map((x) => (x.pop >= 0 ? (popSets[x.pop] ?? '?') : 'any')))].join(', ');
    return { code: 'pops-incompatible', reason: `PoPs incompatible with the night's sets: it needs PoPs ${first.s.pops} (${span(first.s)}), the night uses ${nightPops} then` };
  };

  /** Why a target has no start at all: the best-ranked reason over its variants. */
  const noOption = (group: readonly PlanCandidate[]): Verdict => {
    const visitDays = (settings.acquisitionS + settings.pointS) / SECONDS_PER_DAY;
    const bracketed = settings.bracket !== 'none';
    const found: Array<{ rank: number } & Verdict> = [];
    for (const v of group) {
      const sci = clip(v.science.intervals, window.startMjd, window.endMjd);
      if (sci.length === 0) continue;
      if (!sci.some((iv) => iv.endMjd - iv.startMjd >= visitDays - EPS_DAYS)) {
        found.push({ rank: 1, code: 'too-short', reason: `observable for ${Math.round(totalDays(sci) * 1440)} min only, shorter than one visit` });
      } else if (bracketed && v.calibrators.length === 0) {
        found.push({ rank: 2, code: 'no-vetted-calibrator', reason: `no vetted calibrator: the Calibrators service rejects every star near it${v.calibratorNote ? ` (${v.calibratorNote})` : ''}` });
      } else {
        const pairs = bracketed ? calibratorPairs(v.calibrators, settings) : [null];
        const fitsSomewhere = pairs.some((p) => clip(feasibleStarts(buildLayout(v.science, p?.[0] ?? null, p?.[1] ?? null, settings)), window.startMjd, window.endMjd).length > 0);
        if (fitsSomewhere) found.push({ rank: 3, code: 'too-short', reason: 'its observable window in the remaining night is shorter than a sequence' });
        else if (bracketed) found.push({ rank: 3, code: 'calibrators-not-observable', reason: `no calibrator observable just before and after it${v.science.pops ? ` with PoPs ${v.science.pops}` : ''}` });
        else found.push({ rank: 3, code: 'too-short', reason: 'its observable window is shorter than the block' });
      }
    }
    const best = found.reduce<({ rank: number } & Verdict) | null>((b, f) => (!b || f.rank > b.rank ? f : b), null);
    return best ? { code: best.code, reason: best.reason } : { code: 'not-observable', reason: `not observable between ${hhmm(window.startMjd)} and ${hhmm(window.endMjd)} UTC` };
  };

  const leftOut: LeftOut[] = [];
  const line = (c: PlanCandidate, v: Verdict): LeftOut => ({ key: c.science.key, name: c.science.name, finalPriority: c.finalPriority, code: v.code, reason: v.reason });
  // A run held on the night's options (a re-plan on the cache) plans some targets and options only.
  const { held } = set;
  groups.forEach((group, j) => {
    if (placed.has(group[0].science.key) || (held && !held.inRun[j])) return;
    const own = held ? set.byTarget[j].filter((o) => held.usable[o] === 1) : set.byTarget[j];
    if (own.length === 0) {
      leftOut.push(line(group[0], noOption(group)));
      return;
    }
    // A tail (a sequence sharing the calibrator of the one before it) is not a way in alone.
    const starts = own
      .filter((o) => set.options[o].requires === undefined)
      .map((o) => ({ ...set.options[o], pops: set.plans[o].parts[0].science.pops, value: set.options[o].value / set.options[o].members.length }));
    leftOut.push(line(group[0], judge(starts) ?? chainOnly));
  });

  // Shadows: every start of every PoP variant where its science visit fits its window.
  const wouldFit: string[] = [];
  const calDays = settings.bracket === 'none' ? 0 : (settings.acquisitionS + settings.calPointsPerVisit * settings.pointS) / SECONDS_PER_DAY;
  const sciDays = (settings.acquisitionS + settings.pointS) / SECONDS_PER_DAY;
  const sequenceDays = sciDays + 2 * calDays;
  const lenSlots = Math.ceil(sequenceDays / stepDays - 1e-6);
  const taken = new Set([...set.keys, ...fixedSequences]);
  const byKey = new Map<string, PlanCandidate[]>();
  for (const c of input.shadows ?? []) if (!taken.has(c.science.key)) byKey.set(c.science.key, [...(byKey.get(c.science.key) ?? []), c]);
  for (const key of [...byKey.keys()].sort()) {
    const group = byKey.get(key)!.sort((a, b) => (a.science.pops < b.science.pops ? -1 : a.science.pops > b.science.pops ? 1 : 0));
    const starts: Start[] = [];
    for (const v of group) {
      const mask = slotMask(grid, v.science.intervals, calDays, sciDays);
      const pop = ignorePops ? 0 : (popIndex.get(v.science.pops) ?? popSets.length);
      for (let k = held?.firstSlot ?? 0; k <= lastStartSlot(grid, sequenceDays); k++) {
        if (!mask[k]) continue;
        starts.push({ start: k, len: Math.min(lenSlots, slots - k), pop, pops: v.science.pops, value: sequenceValue(v, slotMjd(grid, k) + calDays + sciDays / 2, input.sidereal) });
      }
    }
    const v = judge(starts) ?? noOption(group);
    if (v.code === 'not-examined') wouldFit.push(key);
    leftOut.push(line(group[0], v));
  }
  leftOut.sort((a, b) => a.finalPriority - b.finalPriority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { leftOut, wouldFit };
}

describe('left-out verdicts against the rules', () => {
  const { prepared } = sixTNight();
  const settings = { ...DEFAULT_PLAN_SETTINGS, pointsPerTarget: 1 };
  const night = prepared.window;
  // Every third target is a shadow (examined without calibrators); every fifth has an hour-angle wish.
  const keys = [...new Set(prepared.candidates.map((c) => c.science.key))].sort();
  const role = new Map(keys.map((k, i) => [k, { isShadow: i % 3 === 1, haH: i % 5 === 2 ? 1.5 : null }]));
  const withWish = (c: PlanCandidate): PlanCandidate => ({ ...c, preferredHaH: role.get(c.science.key)!.haH });
  const candidates = prepared.candidates.filter((c) => !role.get(c.science.key)!.isShadow).map(withWish);
  const shadows = prepared.candidates.filter((c) => role.get(c.science.key)!.isShadow).map((c) => ({ ...withWish(c), calibrators: [], calibratorSource: 'none' as const }));
  const candidateKeys = [...new Set(candidates.map((c) => c.science.key))];
  const base = { night, candidates, shadows, settings, sidereal: prepared.sidereal, stepMin: 5 };
  const cache: OptionsCache = { candidates };
  const plan = replanFrom({ ...base, blocks: [], fromMjd: -Infinity });
  const sequences = [...new Set(plan.blocks.filter((b) => b.kind === 'SCI').map((b) => b.sequenceId))];
  const kept = () => {
    const blocks = plan.blocks.map((b) => (b.sequenceId === sequences[1] ? { ...b, status: 'done' as const } : b));
    return pinSequence(blocks, sequences[sequences.length - 2], true);
  };

  const cases: Array<{ label: string; input: ReplanInput }> = [
    { label: 'a plan from dusk', input: { ...base, blocks: [], fromMjd: -Infinity } },
    { label: 'a plan from dusk through the whole-night cache', input: { ...base, blocks: [], fromMjd: -Infinity, optionsCache: cache } },
    { label: 'a re-plan from dusk + 2 h 7 min with a done and a pinned sequence, cached', input: { ...base, blocks: kept(), fromMjd: night.startMjd + 127 / 1440, optionsCache: cache } },
    { label: 'a re-plan 3 h before dawn, cached', input: { ...base, blocks: plan.blocks, fromMjd: night.endMjd - 3 / 24, optionsCache: cache } },
    { label: 'a re-plan 1.5 h before dawn with kept blocks, not cached', input: { ...base, blocks: kept(), fromMjd: night.endMjd - 1.5 / 24 } },
    // With most candidates skipped the night has gaps: shadows that would fit, gaps too short for a PoP change.
    { label: 'a plan with three candidates in four skipped', input: { ...base, blocks: [], fromMjd: -Infinity, skippedKeys: candidateKeys.filter((_, i) => i % 4 !== 1) } },
    { label: 'a plan with two candidates in three skipped', input: { ...base, blocks: [], fromMjd: -Infinity, skippedKeys: candidateKeys.filter((_, i) => i % 3 !== 1) } },
    // Four in five skipped: the optimiser fills the gaps of the sparser nights above, here some
    // stay (shadows that would fit, a stretch too short once a PoP change is added).
    { label: 'a plan with four candidates in five skipped', input: { ...base, blocks: [], fromMjd: -Infinity, skippedKeys: candidateKeys.filter((_, i) => i % 5 !== 1) } },
  ];
  const codes = new Set<LeftOutCode>();

  for (const c of cases) {
    it(`gives every left-out target the verdict the rules give, in order, on ${c.label}`, () => {
      const input = replanInput(c.input);
      const result = buildPlan(input);
      const expected = referenceLeftOut(input, result.blocks);
      expect(result.leftOut.length).toBeGreaterThan(30);
      expect(result.leftOut).toEqual(expected.leftOut);
      expect(result.wouldFit).toEqual(expected.wouldFit);
      for (const l of result.leftOut) if (l.code) codes.add(l.code);
    });
  }

  it('met every kind of verdict a plan can give on those runs', () => {
    expect([...codes].sort()).toEqual(
      expect.arrayContaining(['calibrators-not-observable', 'lower-value', 'no-slot', 'no-vetted-calibrator', 'not-examined', 'not-observable', 'pop-change', 'pops-incompatible', 'too-short']),
    );
  });
});
