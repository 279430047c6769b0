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
import { EPS_DAYS, SECONDS_PER_DAY, clip, totalDays } from './intervals';
import { buildLayout, feasibleStarts, visitDays } from './layout';
import { buildOptions, calibratorPairs, deriveOptions, lastStartSlot, materialise, orderByValue, sequenceValue, slotGrid, slotMask, slotMjd, wireBrackets, type OptionSet, type OptionsInput, type SlotGrid } from './options';
import { DEFAULT_OPT_SETTINGS, optimise, type OptFixed, type OptMemo, type OptProblem, type OptSettings, type OptSolution, type OptWarmStart } from './optimiser';
import { hourAngleH } from './sidereal';
import { Timeline, hhmmUtc, type Occupant } from './timeline';
import type { LeftOut, LeftOutCode, MjdInterval, OptionsCache, PlanCandidate, PlanInput, PlanResult, PlanStats, PlannedBlock } from './types';
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

/** Why a target has no option at all (nothing to do with other targets), from its variants alone. */
function noOptionReason(group: readonly PlanCandidate[], input: PlanInput): { code: LeftOutCode; reason: string } {
  const { window, settings } = input;
  const bracketed = settings.bracket !== 'none';
  let best: { rank: number; code: LeftOutCode; reason: string } = {
    rank: 0,
    code: 'not-observable',
    reason: `not observable between ${hhmmUtc(window.startMjd)} and ${hhmmUtc(window.endMjd)} UTC`,
  };
  const note = (rank: number, code: LeftOutCode, reason: string) => {
    if (rank > best.rank) best = { rank, code, reason };
  };
  for (const v of group) {
    const sciDays = clip(v.science.intervals, window.startMjd, window.endMjd);
    if (sciDays.length === 0) continue;
    const visit = buildLayout(v.science, null, null, { ...settings, bracket: 'none', pointsPerTarget: 1 }).durationDays;
    if (!sciDays.some((iv) => iv.endMjd - iv.startMjd >= visit - EPS_DAYS)) {
      note(1, 'too-short', `observable for ${Math.round(totalDays(sciDays) * 1440)} min only, shorter than one visit`);
      continue;
    }
    if (bracketed && v.calibrators.length === 0) {
      note(2, 'no-vetted-calibrator', `no vetted calibrator: the Calibrators service rejects every star near it${v.calibratorNote ? ` (${v.calibratorNote})` : ''}`);
      continue;
    }
    const pairs = bracketed ? calibratorPairs(v.calibrators, settings) : [null];
    const fitsSomewhere = pairs.some((p) => clip(feasibleStarts(buildLayout(v.science, p?.[0] ?? null, p?.[1] ?? null, settings)), window.startMjd, window.endMjd).length > 0);
    if (!fitsSomewhere) {
      note(
        3,
        bracketed ? 'calibrators-not-observable' : 'too-short',
        bracketed
          ? `no calibrator observable just before and after it${v.science.pops ? ` with PoPs ${v.science.pops}` : ''}`
          : 'its observable window is shorter than the block',
      );
    } else {
      note(3, 'too-short', 'its observable window in the remaining night is shorter than a sequence');
    }
  }
  return { code: best.code, reason: best.reason };
}

/** What an `OptionsCache` holds: the whole night's options for one key of the other inputs. */
interface WholeNight {
  key: string;
  sidereal: PlanInput['sidereal'];
  members: Set<PlanCandidate>;
  full: Parameters<typeof deriveOptions>[0];
  /** Science-visit masks of shadows on the whole night's grid, by their windows (settings are in the key). */
  shadowMasks: Map<readonly MjdInterval[], Uint8Array>;
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
    entry = { key, sidereal, members: new Set(cache.candidates), full: { ...built, popSets, ignorePops, byValue: orderByValue(built.options) }, shadowMasks: new Map() };
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

  const leftOut: LeftOut[] = [];
  groups.forEach((group, j) => {
    if (placedTargets[j]) return;
    const c = group[0];
    const base = { key: c.science.key, name: c.science.name, finalPriority: c.finalPriority };
    const why = set.byTarget[j].length === 0 ? noOptionReason(group, input) : (judgeOptions(set, set.byTarget[j], grid, popSets, timeline) ?? chainOnly);
    leftOut.push({ ...base, ...why });
  });

  // Shadows: targets examined without calibrators; those that would fit go back to the caller.
  const wouldFit: string[] = [];
  if (input.shadows?.length) {
    const taken = new Set([...set.keys, ...fixedSequences]);
    const shadowGroups = groupCandidates(input.shadows.filter((c) => !taken.has(c.science.key)));
    const durationDays = sequenceDays(settings);
    const { offsetDays, sciDays } = scienceVisit(settings);
    const lenSlots = Math.ceil(durationDays / grid.stepDays - 1e-6);
    const lastStart = lastStartSlot(grid, durationDays);
    // A shadow's own PoP set may be none of the night's: it gets an index of its own (a change).
    const shadowPop = (pops: string) => (ignorePops ? 0 : (popIndex.get(pops) ?? popSets.length));
    // On the whole night's grid once, then read from this run's first slot (the same instants).
    const shadowMask = (intervals: readonly MjdInterval[]): Uint8Array => {
      if (!wholeNight) return slotMask(grid, intervals, offsetDays, sciDays);
      let m = wholeNight.shadowMasks.get(intervals);
      if (!m) wholeNight.shadowMasks.set(intervals, (m = slotMask(wholeNight.full.grid, intervals, offsetDays, sciDays)));
      return m.subarray(grid.k0 - wholeNight.full.grid.k0);
    };
    for (const group of shadowGroups) {
      const c = group[0];
      const base = { key: c.science.key, name: c.science.name, finalPriority: c.finalPriority };
      // Every start of every variant, in order; a probe's value is only worked out when a verdict needs it.
      const judge = new LeftOutJudge(grid, popSets, timeline);
      variants: for (const v of group) {
        const mask = shadowMask(v.science.intervals);
        const pop = shadowPop(v.science.pops);
        for (let k = 0; k <= lastStart; k++) {
          if (!mask[k]) continue;
          const step = judge.probe(k, Math.min(lenSlots, grid.slots - k), pop, v.science.pops);
          if (step === Step.fits) break variants;
          if (step === Step.weigh) judge.weigh(sequenceValue(v, slotMjd(grid, k) + offsetDays + sciDays / 2, input.sidereal));
        }
      }
      const why = judge.verdict();
      if (!why) {
        leftOut.push({ ...base, ...noOptionReason(group, input) });
        continue;
      }
      if (why.code === 'not-examined') wouldFit.push(c.science.key);
      leftOut.push({ ...base, ...why });
    }
  }

  leftOut.sort((a, b) => a.finalPriority - b.finalPriority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const stats = planStats(blocks, input);
  stats.value = value;
  stats.bound = Math.max(solution.bound, value);
  return { blocks, leftOut, stats, wouldFit, order: orderLines(chosen, set, input) };
}

/** Length of one unshared sequence, in days. */
function sequenceDays(settings: PlanInput['settings']): number {
  const { sciDays, calDays } = visitDays(settings);
  const points = Math.max(1, settings.pointsPerTarget);
  return settings.bracket === 'none' ? sciDays : points * sciDays + (points + 1) * calDays;
}

/** Offset and length of the (first) science visit of a sequence, in days. */
function scienceVisit(settings: PlanInput['settings']): { offsetDays: number; sciDays: number } {
  const { sciDays, calDays } = visitDays(settings);
  return { offsetDays: settings.bracket === 'none' ? 0 : calDays, sciDays };
}

/** Candidates grouped by science key (PoP variants together), groups and variants in a fixed order. */
function groupCandidates(candidates: readonly PlanCandidate[]): PlanCandidate[][] {
  const groups = new Map<string, PlanCandidate[]>();
  for (const c of candidates) {
    const g = groups.get(c.science.key);
    if (g) g.push(c);
    else groups.set(c.science.key, [c]);
  }
  const byPops = (a: PlanCandidate, b: PlanCandidate) => (a.science.pops < b.science.pops ? -1 : a.science.pops > b.science.pops ? 1 : 0);
  return [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, g]) => g.sort(byPops));
}

/** A start a verdict names: its slot, length and PoP set. */
interface Probe {
  start: number;
  len: number;
  pops: string;
}

/** The verdict on a target's options (see `LeftOutJudge`), or null when it has none that stands alone. */
function judgeOptions(set: OptionSet, options: readonly number[], grid: SlotGrid, popSets: readonly string[], timeline: Timeline): { code: LeftOutCode; reason: string } | null {
  const judge = new LeftOutJudge(grid, popSets, timeline);
  for (const o of options) {
    const opt = set.options[o];
    // A chain whose partner is placed elsewhere is not a way in.
    if (opt.requires !== undefined) continue;
    const step = judge.probe(opt.start, opt.len, opt.pop, set.plans[o].parts[0].science.pops);
    if (step === Step.fits) break;
    if (step === Step.weigh) judge.weigh(opt.value / opt.members.length);
  }
  return judge.verdict();
}

const chainOnly = {
  code: 'calibrators-not-observable' as const,
  reason: 'no calibrator observable just before it: it could only follow a sequence closing on one of its calibrators, and none is placed where it fits',
};

/** What `LeftOutJudge.probe` needs next. */
const enum Step {
  /** Nothing: go on to the next start. */
  next,
  /** The start fits: the verdict is final, stop. */
  fits,
  /** The start's value, through `weigh`, before the next start. */
  weigh,
}

/**
 * Why a target is not in the finished plan, judged against the plan from its possible starts
 * (fed one by one to `probe`, in order): a free stretch too short once a PoP change is added; the
 * stretch taken by sequences worth at least as much, on the same PoPs; only PoPs other than the
 * night's there; else no free slot. `not-examined` when a probe fits (only shadows: real
 * candidates that fit were placed). The verdict is null when there was no probe at all.
 *
 * Thousands of left-out targets are judged on every plan and re-plan, each from every start of
 * its window: a start costs two array reads unless a verdict still needs it, and its value is
 * only worked out then (most starts land on taken slots after the deciding one was found).
 */
class LeftOutJudge {
  private any = false;
  private fits: Probe | null = null;
  private tooShort: { p: Probe; run: [number, number] } | null = null;
  private lower: { p: Probe; by: Occupant[] } | null = null;
  private noSlot: { p: Probe; by: Occupant[] } | null = null;
  private incompatible: { p: Probe; by: Occupant[] } | null = null;
  /** The start waiting for its value (`Step.weigh`) and what it would displace. */
  private pending: { p: Probe; by: Occupant[] } | null = null;

  constructor(
    private readonly grid: SlotGrid,
    private readonly popSets: readonly string[],
    private readonly timeline: Timeline,
  ) {}

  /** Judge one start (see `Step`). */
  probe(start: number, len: number, pop: number, pops: string): Step {
    this.any = true;
    const fit = this.timeline.fit(start, len, pop);
    if (fit === 'fits') {
      this.fits = { start, len, pops };
      return Step.fits;
    }
    if (fit === 'too-short') {
      this.tooShort ??= { p: { start, len, pops }, run: this.timeline.freeRun(start)! };
      return Step.next;
    }
    if (this.lower) return Step.next;
    const by = this.timeline.overlapping(start, len);
    if (!by.some((x) => x.pop === pop || x.pop < 0)) {
      this.incompatible ??= { p: { start, len, pops }, by };
      return Step.next;
    }
    this.pending = { p: { start, len, pops }, by };
    return Step.weigh;
  }

  /** The value of the start `probe` asked it for: lower than what it displaces, or not. */
  weigh(value: number): void {
    const pending = this.pending!;
    this.pending = null;
    const displaced = pending.by.reduce((s, x) => s + x.value, 0);
    if (displaced >= value - 1e-9) this.lower = pending;
    else this.noSlot ??= pending;
  }

  verdict(): { code: LeftOutCode; reason: string } | null {
    const { timeline } = this;
    if (this.fits) {
      return { code: 'not-examined', reason: `not examined: it would fit at ${hhmmUtc(this.slotTime(this.fits.start))} UTC, but it was outside the candidates the planner asked calibrators for` };
    }
    if (!this.any) return null;
    if (this.tooShort) {
      const [a, b] = this.tooShort.run;
      const needMin = Math.round((this.tooShort.p.len + timeline.changeSlots) * this.grid.stepDays * 1440);
      return {
        code: 'pop-change',
        reason: `window too short once a PoP change is added: ${hhmmUtc(this.slotTime(a))}–${hhmmUtc(this.slotTime(b))} UTC is free, but it needs PoPs ${this.tooShort.p.pops} and ${needMin} min with the change`,
      };
    }
    if (this.lower) return { code: 'lower-value', reason: `lower value than what was placed in its window (${this.span(this.lower.p)}): ${names(this.lower.by)}` };
    if (this.noSlot) return { code: 'no-slot', reason: `no free slot in its window (${this.span(this.noSlot.p)}): taken by ${names(this.noSlot.by)}, which the best plan keeps` };
    if (!this.incompatible) return chainOnly;
    const nightPops = [...new Set(this.incompatible.by.map((x) => (x.pop >= 0 ? (this.popSets[x.pop] ?? '?') : 'any')))].join(', ');
    return {
      code: 'pops-incompatible',
      reason: `PoPs incompatible with the night's sets: it needs PoPs ${this.incompatible.p.pops} (${this.span(this.incompatible.p)}), the night uses ${nightPops} then`,
    };
  }

  private slotTime(k: number): number {
    return this.grid.t0 + k * this.grid.stepDays;
  }

  private span(p: Probe): string {
    return `${hhmmUtc(this.slotTime(p.start))}–${hhmmUtc(this.slotTime(p.start + p.len))} UTC`;
  }
}

/** The sequences a verdict names, with their times. */
function names(by: readonly Occupant[]): string {
  return by.map((x) => `${x.label} ${hhmmUtc(x.startMjd)}–${hhmmUtc(x.endMjd)}`).join(', ');
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
