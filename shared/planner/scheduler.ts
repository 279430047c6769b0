/**
 * The night scheduler: the whole night optimised at once (see optimiser.ts and docs/planner.md).
 *
 * Every PoP variant of every candidate gives options — a CAL–SCI–CAL sequence, or two sequences
 * sharing the calibrator between them, at a slot of the night's grid where every visit is inside
 * its star's window — worth the target's NSS weight (final priority first) times its soft
 * preferences (hour angle of earlier nights, predicted V²). The optimiser picks options that do
 * not overlap, with a PoP change between options of different PoP sets and each target at most
 * once, maximising the total value; what it leaves out is classified against the finished plan,
 * so each left-out target says what really kept it out.
 */
import { EPS_DAYS, SECONDS_PER_DAY } from './intervals';
import { LeftOutJudge, leftOutMemo, type LeftOutMemo } from './left-out';
import { buildOptions, deriveOptions, groupCandidates, materialise, orderByValue, slotGrid, wireBrackets, type OptionSet, type OptionsInput } from './options';
import { DEFAULT_OPT_SETTINGS, optimise, type OptFixed, type OptMemo, type OptProblem, type OptSettings, type OptSolution, type OptWarmStart } from './optimiser';
import { hourAngleH } from './sidereal';
import { Timeline, hhmmUtc } from './timeline';
import type { LeftOut, OptionsCache, PlanCandidate, PlanInput, PlanResult, PlanStats, PlannedBlock } from './types';
import { nssWeight } from './weights';

// The HH:MM format moved to timeline.ts with the timeline; replan.ts and the service import it from here.
export { hhmmUtc };

/** Plan quality figures over `window`. */
export function planStats(blocks: readonly PlannedBlock[], input: Pick<PlanInput, 'window' | 'candidates'>): PlanStats {
  const sorted = [...blocks].sort((a, b) => a.startMjd - b.startMjd);
  const byKey = new Map(input.candidates.map((c) => [c.science.key, c]));
  let busyDays = 0;
  let cursor = input.window.startMjd;
  let popChanges = 0;
  const scienceSeen = new Set<string>();
  let prioritySum = 0;
  let nssWeightSum = 0;
  for (let i = 0; i < sorted.length; i++) {
    const b = sorted[i];
    const lo = Math.max(cursor, b.startMjd, input.window.startMjd);
    const hi = Math.min(b.endMjd, input.window.endMjd);
    if (hi > lo) busyDays += hi - lo;
    cursor = Math.max(cursor, b.endMjd);
    if (i > 0 && sorted[i - 1].pops !== b.pops) popChanges++;
    if (b.kind === 'SCI' && !scienceSeen.has(b.sequenceId)) {
      scienceSeen.add(b.sequenceId);
      const c = byKey.get(b.sequenceId);
      prioritySum += c?.finalPriority ?? 0;
      nssWeightSum += c ? nssWeight(c.finalPriority, c.isStarted) : 0;
    }
  }
  return {
    scienceBlocks: sorted.filter((b) => b.kind === 'SCI').length,
    calibratorBlocks: sorted.filter((b) => b.kind === 'CAL').length,
    prioritySum,
    idleS: Math.max(0, (input.window.endMjd - input.window.startMjd - busyDays) * SECONDS_PER_DAY),
    popChanges,
    sharedCalibrators: sorted.filter((b) => (b.calibrates?.length ?? 0) > 1).length,
    nssWeight: nssWeightSum,
  };
}

/** What an `OptionsCache` holds: the whole night's options for one key of the other inputs. */
interface WholeNight {
  key: string;
  sidereal: PlanInput['sidereal'];
  members: Set<PlanCandidate>;
  full: Parameters<typeof deriveOptions>[0];
  /** What judging the left-out targets keeps across runs (settings are in the key). */
  leftOut: LeftOutMemo;
  /** The last options derived from the whole night, with what they were derived for (see `optionsFromCache`). */
  derived?: { key: string; set: ReturnType<typeof deriveOptions> };
  /** The optimiser's solve of the whole night (from dusk, nothing fixed), made on first use. */
  solve?: OptMemo;
}

/**
 * Where the optimiser starts a run whose options were read off `entry`'s whole night: from that
 * night's solve (`OptWarmStart`). The night is solved here when the cache has no solve yet (or one
 * with other search limits), so a run gets the same start, hence the same plan, whatever ran
 * before it in this process. None for the whole night itself (`isWholeNight`): a plan of the night
 * is searched afresh every time (cold, as a first plan), and its solve is kept (`keepNightSolve`).
 * Only for runs that keep no block (`keptBlocks` 0: a plan, or a re-plan with nothing observed or
 * pinned, e.g. after clouds): a re-plan after a logged block comes with new priorities, hence a
 * new cache whose night was never solved, and solving it there (once per calibrator round) cost
 * more than the warm start saves; such re-plans search cold, as before.
 */
function warmStartOf(entry: WholeNight | null, set: OptionSet, keptBlocks: number, changeSlots: number, settings: OptSettings): OptWarmStart | undefined {
  if (!entry || !set.fromNight || keptBlocks > 0 || isWholeNight(entry, set)) return undefined;
  let memo = entry.solve;
  if (!memo || memo.settings.maxIterations !== settings.maxIterations || memo.settings.gapTolerance !== settings.gapTolerance) {
    const { full } = entry;
    // What `planProblem` makes of the whole night from dusk with nothing fixed (the warm plan's problem).
    const night: OptProblem = {
      slots: full.grid.slots,
      pops: full.ignorePops ? 1 : Math.max(1, full.popSets.length),
      changeSlots,
      targets: full.keys.length,
      options: full.options,
      fixed: [],
      initialPop: null,
      changePenalty: changePenaltyOf(full.options),
    };
    memo = entry.solve = { problem: night, settings, solution: optimise(night, settings) };
  }
  return { night: memo, ...set.fromNight };
}

/** Whether `set` is `entry`'s whole night itself (a plan from dusk, nothing cut). */
function isWholeNight(entry: WholeNight, set: OptionSet): boolean {
  return set.options === entry.full.options;
}

/**
 * Keep the whole night's solve for later re-plans' warm starts, when `problem` is that night with
 * nothing fixed (a plan from dusk). The solve is not handed back to a later plan of the same night:
 * that plan searches again (the search is deterministic, so it finds the same plan).
 */
function keepNightSolve(entry: WholeNight | null, set: OptionSet, problem: OptProblem, settings: OptSettings, solution: OptSolution): void {
  if (!entry || !isWholeNight(entry, set) || (problem.fixed ?? []).length > 0 || (problem.initialPop ?? null) !== null) return;
  entry.solve = { problem, settings, solution };
}

/** Value lost per PoP change: a millionth of the smallest option's, so it only breaks ties. */
function changePenaltyOf(options: OptionSet['options']): number {
  return options.length ? 1e-6 * options.reduce((m, o) => Math.min(m, o.value), Infinity) : 0;
}

/**
 * The options of `input` read off its cache's whole night (built there on first use), or null
 * when the cache cannot give them (none, other candidates, slews: then `buildOptions`). The same
 * options as `buildOptions` would list (see `deriveOptions`).
 */
function optionsFromCache(input: PlanInput, optionsInput: OptionsInput): { entry: WholeNight; set: ReturnType<typeof deriveOptions> } | null {
  const cache: OptionsCache | undefined = input.optionsCache;
  if (!cache || optionsInput.settings.slewRateDegPerS > 0) return null;
  const { grid, settings, sidereal } = optionsInput;
  const stepMin = input.stepMin ?? 5;
  const key = JSON.stringify([settings, stepMin, grid.originMjd, grid.endMjd]);
  let entry = cache.entry as WholeNight | undefined;
  if (!entry || entry.key !== key || entry.sidereal !== sidereal) {
    const fullGrid = slotGrid({ startMjd: grid.originMjd, endMjd: grid.endMjd }, stepMin, grid.originMjd);
    const popSets = [...new Set(cache.candidates.map((c) => c.science.pops))].sort();
    const ignorePops = Math.ceil(settings.popChangeS / 60 / stepMin - 1e-6) === 0 || popSets.every((p) => p === '');
    const groups = groupCandidates(cache.candidates);
    const built = buildOptions({ grid: fullGrid, groups, settings, sidereal, popIndex: new Map(popSets.map((p, i) => [p, i])), ignorePops });
    entry = { key, sidereal, members: new Set(cache.candidates), full: { ...built, popSets, ignorePops, byValue: orderByValue(built.options) }, leftOut: leftOutMemo(fullGrid) };
    cache.entry = entry;
  }
  for (const g of optionsInput.groups) for (const c of g) if (!entry.members.has(c)) return null;
  // What `deriveOptions` reads besides the whole night: the run's first slot, its targets and PoP
  // sets. A re-plan asked again from the same slot (the same "now", or a log or an override
  // before the next slot) takes the options it derived last instead of filtering every option again.
  const derivedKey = JSON.stringify([grid.k0, grid.slots, optionsInput.ignorePops, [...optionsInput.popIndex], optionsInput.groups.map((g) => g[0].science.key)]);
  if (entry.derived?.key !== derivedKey) entry.derived = { key: derivedKey, set: deriveOptions(entry.full, optionsInput) };
  return { entry, set: entry.derived.set };
}

/** The optimiser's problem for `input`, with what `buildPlan` needs to read its solution back. */
export function planProblem(input: PlanInput) {
  const { window, settings } = input;
  if (!(window.endMjd > window.startMjd)) {
    throw new Error(`planner window: end ${window.endMjd} must be after start ${window.startMjd} (MJD)`);
  }
  const fixed = (input.fixedBlocks ?? []).map((b) => ({ ...b, calibrates: b.calibrates && [...b.calibrates] }));
  const fixedSequences = new Set(fixed.filter((b) => b.kind === 'SCI').map((b) => b.sequenceId));
  const stepMin = input.stepMin ?? 5;
  const grid = slotGrid(window, stepMin, input.gridOriginMjd ?? window.startMjd);

  const groups = groupCandidates(input.candidates.filter((c) => !fixedSequences.has(c.science.key)));
  const popSets = [...new Set([...input.candidates.map((c) => c.science.pops), ...fixed.map((b) => b.pops), ...(input.initialPops ? [input.initialPops] : [])])].sort();
  const popIndex = new Map(popSets.map((p, i) => [p, i]));
  const changeSlots = Math.ceil(settings.popChangeS / 60 / stepMin - 1e-6);
  const ignorePops = changeSlots === 0 || popSets.every((p) => p === '');

  const optionsInput: OptionsInput = { grid, groups, settings, sidereal: input.sidereal, popIndex, ignorePops };
  const cached = optionsFromCache(input, optionsInput);
  const set: OptionSet = { ...(cached?.set ?? buildOptions(optionsInput)), popSets };
  const wholeNight = cached?.set ? cached.entry : null;
  const popOfFixed = (pops: string) => (ignorePops ? 0 : (popIndex.get(pops) ?? -1));
  const fixedSegments: OptFixed[] = [];
  const occupied = fixed.filter((b) => b.endMjd > grid.t0 + EPS_DAYS && b.startMjd < window.endMjd - EPS_DAYS);
  for (const b of occupied) {
    const start = Math.max(0, Math.floor((b.startMjd - grid.t0) / grid.stepDays + 1e-6));
    const end = Math.min(grid.slots, Math.ceil((b.endMjd - grid.t0) / grid.stepDays - 1e-6));
    if (end > start) fixedSegments.push({ start, len: end - start, pop: popOfFixed(b.pops) });
  }
  const before = fixed.filter((b) => b.endMjd <= grid.t0 + EPS_DAYS).sort((a, b) => a.endMjd - b.endMjd);
  const initialPops = input.initialPops ?? before[before.length - 1]?.pops ?? null;
  const initialPop = ignorePops || initialPops === null ? null : (popIndex.get(initialPops) ?? null);

  const problem = {
    slots: grid.slots,
    pops: ignorePops ? 1 : Math.max(1, popSets.length),
    changeSlots: Math.max(1, changeSlots),
    targets: groups.length,
    options: set.options,
    fixed: fixedSegments,
    initialPop,
    changePenalty: changePenaltyOf(set.options),
  };
  return { problem: problem as OptProblem, set, grid, groups, popSets, popIndex, ignorePops, fixed, fixedSequences, fixedSegments, initialPop, wholeNight };
}

/**
 * Build a plan: keep `fixedBlocks` where they are and choose the rest of the night with the
 * optimiser. Candidates sharing a science key are PoP variants of one target: at most one of them
 * is placed. Deterministic for the same inputs, whatever their order.
 */
export function buildPlan(input: PlanInput): PlanResult {
  const { settings } = input;
  const { problem, set, grid, groups, popSets, popIndex, ignorePops, fixed, fixedSequences, fixedSegments, initialPop, wholeNight } = planProblem(input);
  const search: OptSettings = { ...DEFAULT_OPT_SETTINGS, ...input.search };
  let solution = optimise(problem, search, warmStartOf(wholeNight, set, fixed.length, problem.changeSlots, search));
  keepNightSolve(wholeNight, set, problem, search, solution);
  if (solution.chosen.length === 0 && fixedSegments.length > 0 && set.options.length > 0) {
    // Fixed blocks the observer forced onto PoP sets that cannot follow each other: plan around them, PoPs free.
    solution = optimise({ ...problem, fixed: fixedSegments.map((f) => ({ ...f, pop: -1 })) }, { ...DEFAULT_OPT_SETTINGS, ...input.search });
  }

  // The timeline of the chosen options, then every option that still fits, best value first.
  const timeline = new Timeline(grid.slots, problem.changeSlots, initialPop);
  const fixedLabel = (s: OptFixed) => `a kept block at ${hhmmUtc(grid.t0 + s.start * grid.stepDays)} UTC`;
  for (const s of fixedSegments) {
    timeline.occupy(s.start, s.len, { option: -1, pop: s.pop, value: Infinity, label: fixedLabel(s), startMjd: grid.t0 + s.start * grid.stepDays, endMjd: grid.t0 + (s.start + s.len) * grid.stepDays });
  }
  const placedTargets = new Uint8Array(groups.length);
  const chosen: number[] = [];
  const place = (o: number) => {
    const opt = set.options[o];
    chosen.push(o);
    for (const j of opt.members) placedTargets[j] = 1;
    const plan = set.plans[o];
    timeline.occupy(opt.start, opt.len, {
      option: o,
      pop: opt.pop,
      value: opt.value,
      label: plan.parts.map((c) => `${c.science.name} (P${c.finalPriority})`).join(' + '),
      startMjd: plan.startMjd,
      endMjd: plan.startMjd + plan.durationDays,
    });
  };
  for (const o of solution.chosen) place(o);
  for (const o of set.byValue ?? orderByValue(set.options)) {
    const opt = set.options[o];
    // A tail only follows the sequence whose calibrator it shares: never placed alone.
    if (opt.requires !== undefined || opt.members.some((j) => placedTargets[j])) continue;
    if (timeline.fit(opt.start, opt.len, opt.pop) === 'fits') place(o);
  }
  const value = chosen.reduce((s, o) => s + set.options[o].value, 0);

  const placed = chosen.flatMap((o) => materialise(set.plans[o], settings));
  const blocks = [...fixed, ...placed].sort((a, b) => a.startMjd - b.startMjd || a.id.localeCompare(b.id));
  const fresh = new Set(placed);
  wireBrackets(blocks, (b) => fresh.has(b));

  // Every left-out target judged against the finished plan (left-out.ts).
  const judge = new LeftOutJudge({ input, grid, popSets, popIndex, ignorePops, timeline, memo: wholeNight?.leftOut ?? null });
  const leftOut: LeftOut[] = [];
  groups.forEach((group, j) => {
    if (placedTargets[j]) return;
    const c = group[0];
    const base = { key: c.science.key, name: c.science.name, finalPriority: c.finalPriority };
    const why = set.byTarget[j].length === 0 ? judge.noOption(group) : judge.options(set, set.byTarget[j]);
    leftOut.push({ ...base, ...why });
  });

  // Shadows: targets examined without calibrators; those that would fit go back to the caller.
  const wouldFit: string[] = [];
  if (input.shadows?.length) {
    const taken = new Set([...set.keys, ...fixedSequences]);
    for (const group of judge.shadowGroups(input.shadows)) {
      const c = group[0];
      if (taken.has(c.science.key)) continue;
      const why = judge.shadow(group);
      if (why.code === 'not-examined') wouldFit.push(c.science.key);
      leftOut.push({ key: c.science.key, name: c.science.name, finalPriority: c.finalPriority, ...why });
    }
  }

  leftOut.sort((a, b) => a.finalPriority - b.finalPriority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const stats = planStats(blocks, input);
  stats.value = value;
  stats.bound = Math.max(solution.bound, value);
  return { blocks, leftOut, stats, wouldFit, order: orderLines(chosen, set, input) };
}

/** "Why this order": one line per chosen option, in time order. */
function orderLines(chosen: readonly number[], set: OptionSet, input: PlanInput): string[] {
  const sorted = [...chosen].sort((a, b) => set.options[a].start - set.options[b].start);
  return sorted.map((o) => {
    const plan = set.plans[o];
    const opt = set.options[o];
    const who = plan.parts
      .map((c) => {
        const bits = [`P${c.finalPriority}`];
        if (c.isStarted) bits.push('started');
        if (c.preferredHaH != null && input.sidereal) {
          const ha = hourAngleH(input.sidereal, plan.startMjd + plan.durationDays / 2, c.science.raDeg);
          bits.push(`HA ${ha >= 0 ? '+' : ''}${ha.toFixed(1)} h (earlier nights ${c.preferredHaH >= 0 ? '+' : ''}${c.preferredHaH.toFixed(1)} h)`);
        }
        if (c.valueFactor !== undefined && c.valueFactor < 1) bits.push(`V² preference ×${c.valueFactor.toFixed(2)}`);
        return `${c.science.name} (${bits.join(', ')})`;
      })
      .join(' + shared calibrator + ');
    const pops = plan.parts[0].science.pops;
    return `${hhmmUtc(plan.startMjd)} ${who}: value ${opt.value.toFixed(opt.value >= 10 ? 0 : 2)}${pops ? `, PoPs ${pops}` : ''}`;
  });
}
