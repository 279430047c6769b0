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
import { buildOptions, deriveOptions, groupCandidates, holdOptions, materialise, orderByValue, slotGrid, wireBrackets, type OptionSet, type OptionsInput } from './options';
import { DEFAULT_OPT_SETTINGS, fixedSegment, optimise, type OptFixed, type OptMemo, type OptOption, type OptProblem, type OptSettings, type OptSolution, type OptWarmStart } from './optimiser';
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
  /** The candidate list the night was built from (`OptionsCache.candidates` then). */
  builtFrom: readonly PlanCandidate[];
  members: Set<PlanCandidate>;
  /** The night's options, with its candidates grouped by target (the night's target order). */
  full: Parameters<typeof deriveOptions>[0] & { groups: PlanCandidate[][] };
  /** Option o → o, for the warm start of runs held on the night's options (made on first use). */
  identity?: Int32Array;
  /** What judging the left-out targets keeps across runs (settings are in the key). */
  leftOut: LeftOutMemo;
  /** The last options derived from (or held on) the whole night, with what they were for (see `optionsFromCache`). */
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
 * pinned, e.g. after clouds). A re-plan after a logged block comes with the logged target's new
 * priority: it reads its options off the night built before the log (`optionsFromCache`), whose
 * solve that target's old value shaped, while a process that never saw the old value would solve
 * another night. Searching such re-plans cold keeps their plan a function of their own inputs.
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
      usable: undefined,
    };
    memo = entry.solve = { problem: night, settings, solution: optimise(night, settings) };
  }
  return { night: memo, ...set.fromNight };
}

/** Whether `set` is `entry`'s whole night itself (a plan from dusk, nothing cut). */
function isWholeNight(entry: WholeNight, set: OptionSet): boolean {
  return set.options === entry.full.options && !set.held;
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

/** Value lost per PoP change: a millionth of the smallest (usable) option's, so it only breaks ties. */
function changePenaltyOf(options: OptionSet['options'], usable?: Uint8Array, byValue?: Int32Array): number {
  let least = Infinity;
  if (byValue && byValue.length === options.length) {
    // Best value first: the last usable option holds the least value (a re-plan held on the
    // night's options reads a few from the end instead of every option).
    for (let i = byValue.length - 1; i >= 0 && least === Infinity; i--) if (!usable || usable[byValue[i]] === 1) least = options[byValue[i]].value;
  } else {
    for (let o = 0; o < options.length; o++) if (!usable || usable[o] === 1) least = Math.min(least, options[o].value);
  }
  return least < Infinity ? 1e-6 * least : 0;
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
  // A night built from other candidates (the cache's list changed since: new priorities for a
  // few targets, see the pipeline's `withPriorities`) still serves a run that keeps blocks (a
  // re-plan after a log): such a run searches cold and plans none of the changed targets (the
  // membership check below), so its options and plan are those a night built afresh would give.
  // A run that keeps nothing would start from the night's solve, which the changed targets'
  // old values shaped: it gets the night built afresh.
  const isStale = entry !== undefined && entry.builtFrom !== cache.candidates;
  if (!entry || entry.key !== key || entry.sidereal !== sidereal || (isStale && (input.fixedBlocks ?? []).length === 0)) {
    const fullGrid = slotGrid({ startMjd: grid.originMjd, endMjd: grid.endMjd }, stepMin, grid.originMjd);
    const popSets = [...new Set(cache.candidates.map((c) => c.science.pops))].sort();
    const ignorePops = Math.ceil(settings.popChangeS / 60 / stepMin - 1e-6) === 0 || popSets.every((p) => p === '');
    const groups = groupCandidates(cache.candidates);
    const built = buildOptions({ grid: fullGrid, groups, settings, sidereal, popIndex: new Map(popSets.map((p, i) => [p, i])), ignorePops });
    entry = { key, sidereal, builtFrom: cache.candidates, members: new Set(cache.candidates), full: { ...built, popSets, ignorePops, byValue: orderByValue(built.options), groups }, leftOut: leftOutMemo(fullGrid) };
    cache.entry = entry;
  }
  for (const g of optionsInput.groups) for (const c of g) if (!entry.members.has(c)) return null;
  // What `deriveOptions` reads besides the whole night: the run's first slot, its targets and PoP
  // sets. A re-plan asked again from the same slot (the same "now", or a log or an override
  // before the next slot) takes the options it derived last instead of filtering every option again.
  const derivedKey = JSON.stringify([grid.k0, grid.slots, optionsInput.ignorePops, [...optionsInput.popIndex], optionsInput.groups.map((g) => g[0].science.key)]);
  if (entry.derived?.key !== derivedKey) entry.derived = { key: derivedKey, set: heldOn(entry, optionsInput) ?? deriveOptions(entry.full, optionsInput) };
  return { entry, set: entry.derived.set };
}

/**
 * A run held on the whole night's options (`holdOptions`): the night's set itself, with the
 * options and targets the run may use, and the warm start's links (option o is the night's o;
 * target j the night's j, or none when the run does not plan it). Null when it cannot be held.
 */
function heldOn(entry: WholeNight, input: OptionsInput): OptionSet | null {
  const { full } = entry;
  const held = holdOptions(full, input);
  // The whole night itself (a plan from dusk with every target) is not held: it is the night's set.
  if (!held || (held.firstSlot === 0 && held.inRun.every((x) => x === 1))) return null;
  if (!entry.identity) {
    entry.identity = new Int32Array(full.options.length);
    for (let o = 0; o < full.options.length; o++) entry.identity[o] = o;
  }
  const targetOf = new Int32Array(full.keys.length);
  for (let j = 0; j < targetOf.length; j++) targetOf[j] = held.inRun[j] ? j : -1;
  return {
    grid: full.grid,
    popSets: [...full.popSets],
    keys: full.keys,
    options: full.options,
    plans: full.plans,
    byTarget: full.byTarget,
    byValue: full.byValue,
    fromNight: { optionOf: entry.identity, targetOf },
    held,
  };
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
  // A run held on the night's options (`OptionSet.held`) plans on the night's grid: its own slot
  // k is the night's k + shift, and the slots before it are held.
  const { held } = set;
  const shift = held?.firstSlot ?? 0;
  const fixedSegments: OptFixed[] = [];
  const occupied = fixed.filter((b) => b.endMjd > grid.t0 + EPS_DAYS && b.startMjd < window.endMjd - EPS_DAYS);
  for (const b of occupied) {
    const start = Math.max(0, Math.floor((b.startMjd - grid.t0) / grid.stepDays + 1e-6));
    const end = Math.min(grid.slots, Math.ceil((b.endMjd - grid.t0) / grid.stepDays - 1e-6));
    if (end > start) fixedSegments.push(fixedSegment(start + shift, end - start, popOfFixed(b.pops)));
  }
  const before = fixed.filter((b) => b.endMjd <= grid.t0 + EPS_DAYS).sort((a, b) => a.endMjd - b.endMjd);
  const initialPops = input.initialPops ?? before[before.length - 1]?.pops ?? null;
  const initialPop = ignorePops || initialPops === null ? null : (popIndex.get(initialPops) ?? null);
  // The held slots carry the PoP set in use at "now" (any when free), as the run's first slot would.
  if (shift > 0) fixedSegments.unshift(fixedSegment(0, shift, initialPop ?? -1));
  const planGrid = held ? set.grid : grid;
  const planGroups = held && wholeNight ? wholeNight.full.groups : groups;

  const problem = {
    slots: planGrid.slots,
    pops: ignorePops ? 1 : Math.max(1, popSets.length),
    changeSlots: Math.max(1, changeSlots),
    targets: planGroups.length,
    options: set.options,
    fixed: fixedSegments,
    initialPop,
    changePenalty: changePenaltyOf(set.options, held?.usable, set.byValue),
    // Always present (undefined when every option is usable): one shape of problem for the optimiser.
    usable: held?.usable,
  };
  return { problem: problem as OptProblem, set, grid: planGrid, groups: planGroups, popSets, popIndex, ignorePops, fixed, fixedSequences, fixedSegments, initialPop, wholeNight };
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
  // The held slots before "now" are a segment too, but not a kept block.
  const keptSegments = fixedSegments.length - ((set.held?.firstSlot ?? 0) > 0 ? 1 : 0);
  if (solution.chosen.length === 0 && keptSegments > 0 && set.options.length > 0) {
    // Fixed blocks the observer forced onto PoP sets that cannot follow each other: plan around them, PoPs free.
    solution = optimise({ ...problem, fixed: fixedSegments.map((f) => fixedSegment(f.start, f.len, -1, f.closes, f.member)) }, { ...DEFAULT_OPT_SETTINGS, ...input.search });
  }

  // The timeline of the chosen options, then every option that still fits, best value first.
  const timeline = new Timeline(grid.slots, problem.changeSlots, initialPop);
  const fixedLabel = (s: OptFixed) => `a kept block at ${hhmmUtc(grid.t0 + s.start * grid.stepDays)} UTC`;
  for (const s of fixedSegments) {
    timeline.occupy(s.start, s.len, { option: -1, pop: s.pop, value: Infinity, label: fixedLabel(s), startMjd: grid.t0 + s.start * grid.stepDays, endMjd: grid.t0 + (s.start + s.len) * grid.stepDays });
  }
  const placedTargets = new Uint8Array(groups.length);
  const usable = set.held?.usable;
  const inRun = set.held?.inRun;
  const firstSlot = set.held?.firstSlot ?? 0;
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
  // The fill: nothing fits when no free run holds the shortest sequence (most plans; a tail is
  // never placed alone), and then the pass over every option of the night is skipped.
  const fillable = timeline.longestFreeRun() >= shortestSequence(set.options);
  for (const o of fillable ? (set.byValue ?? orderByValue(set.options)) : []) {
    if (usable && usable[o] === 0) continue;
    const opt = set.options[o];
    // A tail only follows the sequence whose calibrator it shares: never placed alone.
    if (opt.requires !== undefined || isPlaced(opt.members, placedTargets)) continue;
    if (timeline.fit(opt.start, opt.len, opt.pop) === 'fits') place(o);
  }
  const value = chosen.reduce((s, o) => s + set.options[o].value, 0);

  const placed = chosen.flatMap((o) => materialise(set.plans[o], settings));
  const blocks = [...fixed, ...placed].sort((a, b) => a.startMjd - b.startMjd || a.id.localeCompare(b.id));
  const fresh = new Set(placed);
  wireBrackets(blocks, (b) => fresh.has(b));

  // Every left-out target judged against the finished plan (left-out.ts).
  const judge = new LeftOutJudge({ input, grid, popSets, popIndex, ignorePops, timeline, memo: wholeNight?.leftOut ?? null, firstSlot });
  const leftOut: LeftOut[] = [];
  groups.forEach((group, j) => {
    if (placedTargets[j] || (inRun && inRun[j] === 0)) return;
    const c = group[0];
    const base = { key: c.science.key, name: c.science.name, finalPriority: c.finalPriority };
    const own = usable ? set.byTarget[j].filter((o) => usable[o] === 1) : set.byTarget[j];
    const why = own.length === 0 ? judge.noOption(group) : judge.options(set, own);
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

/** Shortest option that is not a tail (slots), kept per options list: a night's is asked by each run. */
const shortestKept = new WeakMap<readonly OptOption[], number>();
function shortestSequence(options: readonly OptOption[]): number {
  let shortest = shortestKept.get(options);
  if (shortest === undefined) {
    shortest = Infinity;
    for (const o of options) if (o.requires === undefined) shortest = Math.min(shortest, o.len);
    shortestKept.set(options, shortest);
  }
  return shortest;
}

/** Whether any of `members` is placed (a loop: the fill asks it of every option of the night). */
function isPlaced(members: readonly number[], placed: Uint8Array): boolean {
  for (let i = 0; i < members.length; i++) if (placed[members[i]] !== 0) return true;
  return false;
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
