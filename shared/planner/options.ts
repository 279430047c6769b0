/**
 * From scheduler candidates to the optimiser's options and back: every (target, PoP set,
 * calibrator pair, start slot) at which a CAL–SCI–CAL sequence fits its stars' windows, and every
 * chain of two sequences that share the calibrator between them (SCI–CAL–SCI), on the night's
 * time grid; then the blocks of the chosen options.
 */
import { SECONDS_PER_DAY, separationDeg, startsInside } from './intervals';
import { buildLayout, visitDays, type Layout } from './layout';
import type { OptOption } from './optimiser';
import { hourAngleH } from './sidereal';
import type { MjdInterval, PlanCandidate, PlanSettings, PlanStar, PlannedBlock, SiderealTable } from './types';
import { hourAngleFactor, nssWeight } from './weights';

/** The slot grid of one planning run. */
export interface SlotGrid {
  /** Time of slot 0 (MJD). */
  t0: number;
  stepDays: number;
  slots: number;
  /** The window end (MJD): a sequence must end by it. */
  endMjd: number;
  /** The night's grid origin (MJD): slot k is instant `k0 + k` of the grid through it. */
  originMjd: number;
  k0: number;
}

/**
 * Slots of `stepMin` from the first grid instant at or after `window.startMjd`, on the grid through `originMjd`.
 * Every time and slot index is counted from the origin, so a later window on the same grid (a
 * re-plan) sees bit-identical instants, masks and values (see `deriveOptions`).
 */
export function slotGrid(window: MjdInterval, stepMin: number, originMjd: number): SlotGrid {
  const stepDays = stepMin / 1440;
  const k0 = Math.ceil((window.startMjd - originMjd) / stepDays - 1e-6);
  const t0 = originMjd + k0 * stepDays;
  const slots = Math.max(0, Math.floor((window.endMjd - originMjd) / stepDays + 1e-6) - k0);
  return { t0, stepDays, slots, endMjd: window.endMjd, originMjd, k0 };
}

/** The instant (MJD) of slot k of `grid`. */
export function slotMjd(grid: SlotGrid, k: number): number {
  return grid.originMjd + (grid.k0 + k) * grid.stepDays;
}

/** The last slot at which something `durationDays` long still ends by the window end. */
export function lastStartSlot(grid: SlotGrid, durationDays: number): number {
  return Math.min(grid.slots - 1, Math.floor((grid.endMjd - durationDays - grid.originMjd) / grid.stepDays + 1e-6) - grid.k0);
}

/**
 * What an option places, kept to build its blocks: the candidates (PoP variants) in time order,
 * the calibrators (opening, closing; and the shared one between two sequences of a chain).
 */
export interface OptionPlan {
  parts: PlanCandidate[];
  /** Opening and closing calibrator (null without brackets). */
  opening: PlanStar | null;
  closing: PlanStar | null;
  /** Tails only: the calibrator shared with the option before (its closing block). */
  shared: PlanStar | null;
  startMjd: number;
  durationDays: number;
}

/** The layout of an option (its star visits and offsets). */
export function optionLayout(plan: OptionPlan, settings: PlanSettings): { layout: Layout; partStarts: number[] } {
  const [first] = plan.parts;
  if (plan.shared) {
    // A tail: its opening calibrator is the closing block of the option before it.
    return { layout: buildLayout(first.science, plan.shared, plan.closing, settings, plan.shared, null), partStarts: [0] };
  }
  return { layout: buildLayout(first.science, plan.opening, plan.closing, settings), partStarts: [0] };
}

/** The options of a run plus what is needed to read the solution. */
export interface OptionSet {
  grid: SlotGrid;
  popSets: string[];
  /** Science keys, by target index. */
  keys: string[];
  options: OptOption[];
  plans: OptionPlan[];
  /** Options of each target (singles and chains). */
  byTarget: number[][];
  /** Option indices by value, best first, ties by index (when known; else the caller sorts). */
  byValue?: Int32Array;
  /**
   * Read off a whole night's options (`deriveOptions`): option o is the night's option
   * `optionOf[o]`, target j the night's target `targetOf[j]` (a re-plan's search starts from the
   * night's solve through them: `OptWarmStart`).
   */
  fromNight?: { optionOf: Int32Array; targetOf: Int32Array };
  /**
   * A run from "now" held on the whole night's options (`holdOptions`): the options it may use
   * (1) — those `deriveOptions` would keep — on the night's grid, from slot `firstSlot` on; its
   * targets (`inRun`, by the night's target index). Absent: every option and target is the run's.
   */
  held?: { usable: Uint8Array; inRun: Uint8Array; firstSlot: number };
}

/** Candidates grouped by science key (PoP variants together), groups and variants in a fixed order. */
export function groupCandidates(candidates: readonly PlanCandidate[]): PlanCandidate[][] {
  const groups = new Map<string, PlanCandidate[]>();
  for (const c of candidates) {
    const g = groups.get(c.science.key);
    if (g) g.push(c);
    else groups.set(c.science.key, [c]);
  }
  const byPops = (a: PlanCandidate, b: PlanCandidate) => (a.science.pops < b.science.pops ? -1 : a.science.pops > b.science.pops ? 1 : 0);
  return [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, g]) => g.sort(byPops));
}

/** Option indices by value, best first, ties by index. */
export function orderByValue(options: readonly OptOption[]): Int32Array {
  const values = new Float64Array(options.length);
  const order = new Int32Array(options.length);
  for (let o = 0; o < order.length; o++) {
    values[o] = options[o].value;
    order[o] = o;
  }
  return order.sort((a, b) => values[b] - values[a] || a - b);
}

/** Calibrator pairs (opening, closing) from the first `maxCalibratorsTried`, best ranks first, two different stars before one star twice. */
export function calibratorPairs(cals: readonly PlanStar[], settings: PlanSettings): Array<[PlanStar, PlanStar]> {
  const list = cals.slice(0, Math.max(1, settings.maxCalibratorsTried));
  const pairs: Array<{ a: number; b: number }> = [];
  for (let a = 0; a < list.length; a++) for (let b = 0; b < list.length; b++) pairs.push({ a, b });
  pairs.sort((x, y) => x.a + x.b - (y.a + y.b) || Number(x.a === x.b) - Number(y.a === y.b) || x.a - y.a);
  return pairs.map(({ a, b }) => [list[a], list[b]]);
}

/**
 * Slew reserved after a sequence ending on `last`, in days: the longest slew from it to any star
 * of the run (so whatever follows fits); 0 without slews. Cached per star.
 */
function slewAllowance(settings: PlanSettings, stars: readonly PlanStar[]): (last: PlanStar) => number {
  if (!(settings.slewRateDegPerS > 0)) return () => 0;
  const cache = new Map<string, number>();
  return (last) => {
    let days = cache.get(last.key);
    if (days === undefined) {
      let maxDeg = 0;
      for (const s of stars) maxDeg = Math.max(maxDeg, separationDeg(last.raDeg, last.decDeg, s.raDeg, s.decDeg));
      days = maxDeg / settings.slewRateDegPerS / SECONDS_PER_DAY;
      cache.set(last.key, days);
    }
    return days;
  };
}

/** Slots a layout occupies from a start: itself, plus the largest slew to whatever follows (cut at the window end). */
function footprint(grid: SlotGrid, startSlot: number, durationDays: number, allowanceDays: number): number {
  const withSlew = Math.ceil((durationDays + allowanceDays) / grid.stepDays - 1e-6);
  return Math.max(1, Math.min(withSlew, grid.slots - startSlot));
}

/** Value of a science visit of `c` whose middle is at `midMjd`. */
export function sequenceValue(c: PlanCandidate, midMjd: number, sidereal: SiderealTable | undefined): number {
  const ha = sidereal && c.preferredHaH != null ? hourAngleH(sidereal, midMjd, c.science.raDeg) : null;
  return nssWeight(c.finalPriority, c.isStarted) * hourAngleFactor(ha, c.preferredHaH) * (c.valueFactor ?? 1);
}

/** Inputs of `buildOptions`. */
export interface OptionsInput {
  grid: SlotGrid;
  /** Candidates by target: each target's PoP variants. */
  groups: ReadonlyArray<readonly PlanCandidate[]>;
  settings: PlanSettings;
  sidereal?: SiderealTable;
  /** PoP-set index of a variant's PoPs (every variant's PoPs must be listed). */
  popIndex: ReadonlyMap<string, number>;
  /** Free PoP changes: every option gets PoP set 0. */
  ignorePops: boolean;
}

/** Feasible start slots as a mask: slot k is set when `[t_k + offset, t_k + offset + duration]` lies in one interval. */
export function slotMask(grid: SlotGrid, intervals: readonly MjdInterval[], offsetDays: number, durationDays: number): Uint8Array {
  const mask = new Uint8Array(grid.slots);
  for (const iv of startsInside(intervals, offsetDays, durationDays)) {
    const lo = Math.max(0, Math.ceil((iv.startMjd - grid.originMjd) / grid.stepDays - 1e-6) - grid.k0);
    const hi = Math.min(grid.slots - 1, Math.floor((iv.endMjd - grid.originMjd) / grid.stepDays + 1e-6) - grid.k0);
    for (let k = lo; k <= hi; k++) mask[k] = 1;
  }
  return mask;
}

/** Every single-sequence and two-sequence-chain option of the candidates on the grid. */
export function buildOptions(input: OptionsInput): Omit<OptionSet, 'popSets'> {
  const { grid, groups, settings, sidereal, popIndex, ignorePops } = input;
  const bracketed = settings.bracket !== 'none';
  const stars = new Map<string, PlanStar>();
  for (const g of groups) for (const c of g) for (const s of [c.science, ...c.calibrators]) stars.set(s.key, s);
  const allowance = slewAllowance(settings, [...stars.values()]);
  const options: OptOption[] = [];
  const plans: OptionPlan[] = [];
  const byTarget: number[][] = groups.map(() => []);
  const keys = groups.map((g) => g[0].science.key);
  const popOf = (c: PlanCandidate) => (ignorePops ? 0 : popIndex.get(c.science.pops)!);
  const tried = Math.max(1, settings.maxCalibratorsTried);
  // Slots at which a layout of this duration still ends inside the window.
  const lastStart = (durationDays: number) => lastStartSlot(grid, durationDays);

  // Masks are cached per star (with its PoPs) and visit position: calibrators serve many targets.
  const positions: Array<[number, number]> = [];
  const position = (offsetDays: number, durationDays: number) => {
    let pos = positions.findIndex(([o, d]) => o === offsetDays && d === durationDays);
    if (pos < 0) pos = positions.push([offsetDays, durationDays]) - 1;
    return pos;
  };
  // Keyed by the windows themselves: each candidate has its own calibrator objects, but a
  // calibrator's windows with one PoP set are one array shared by every target it serves.
  const masks = new Map<readonly MjdInterval[], Uint8Array[]>();
  const maskAt = (star: PlanStar, pos: number) => {
    let byPos = masks.get(star.intervals);
    if (!byPos) masks.set(star.intervals, (byPos = []));
    let m = byPos[pos];
    if (!m) byPos[pos] = m = slotMask(grid, star.intervals, positions[pos][0], positions[pos][1]);
    return m;
  };

  // Values without an hour-angle wish do not depend on the start: computed once per candidate.
  const flatValue = new Map<PlanCandidate, number>();
  const valueAt = (c: PlanCandidate, midMjd: number) => {
    if (c.preferredHaH != null && sidereal) return sequenceValue(c, midMjd, sidereal);
    let v = flatValue.get(c);
    if (v === undefined) flatValue.set(c, (v = sequenceValue(c, midMjd, undefined)));
    return v;
  };
  const noSlew = !(settings.slewRateDegPerS > 0);
  const push = (members: number[], parts: PlanCandidate[], k: number, opening: PlanStar | null, closing: PlanStar | null, shared: PlanStar | null, durationDays: number, sciMidOffsets: number[]) => {
    const startMjd = slotMjd(grid, k);
    let value = 0;
    for (let i = 0; i < parts.length; i++) value += valueAt(parts[i], startMjd + sciMidOffsets[i]);
    const index = options.length;
    const len = footprint(grid, k, durationDays, noSlew ? 0 : allowance(closing ?? parts[parts.length - 1].science));
    const option: OptOption = { members, pop: popOf(parts[0]), start: k, len, value };
    if (bracketed && closing && settings.shareCalibrators && noSlew && settings.pointsPerTarget === 1) option.closes = starId(closing);
    if (shared) option.requires = starId(shared);
    options.push(option);
    plans.push({ parts, opening, closing, shared, startMjd, durationDays });
    for (const j of members) byTarget[j].push(index);
  };
  const starIds = new Map<string, number>();
  const idOfObject = new Map<PlanStar, number>();
  const starId = (s: PlanStar) => {
    let id = idOfObject.get(s);
    if (id !== undefined) return id;
    const key = `${s.key}|${s.pops}`;
    id = starIds.get(key);
    if (id === undefined) starIds.set(key, (id = starIds.size));
    idOfObject.set(s, id);
    return id;
  };
  const alone = groups.map((_, j) => [j]);

  // With no slews the visits' offsets do not depend on the stars: feasibility is a product of
  // per-star masks. Otherwise every calibrator pair gets its own layout.
  const fixedOffsets = !(settings.slewRateDegPerS > 0);

  const generic = (j: number, c: PlanCandidate) => {
    const claimed = new Uint8Array(grid.slots);
    const pairs: Array<[PlanStar, PlanStar] | null> = bracketed ? calibratorPairs(c.calibrators, settings) : [null];
    for (const p of pairs) {
      const layout = buildLayout(c.science, p?.[0] ?? null, p?.[1] ?? null, settings);
      let mask: Uint8Array | null = null;
      for (const v of layout.visits) {
        const m = slotMask(grid, v.star.intervals, v.offsetDays, v.durationDays);
        if (mask) for (let k = 0; k < grid.slots; k++) mask[k] &= m[k];
        else mask = m;
      }
      if (!mask) continue;
      const sci = layout.visits.find((v) => v.kind === 'SCI')!;
      const last = lastStart(layout.durationDays);
      for (let k = 0; k <= last; k++) {
        if (!mask[k] || claimed[k]) continue;
        claimed[k] = 1;
        push(alone[j], [c], k, p?.[0] ?? null, p?.[1] ?? null, null, layout.durationDays, [sci.offsetDays + sci.durationDays / 2]);
      }
    }
  };

  // Single sequences.
  // Offsets of the visits of one sequence (placeholder stars: only the offsets are read).
  const placeholder: PlanStar = { key: '', name: '', raDeg: 0, decDeg: 0, intervals: [], pops: '' };
  const single = bracketed ? buildLayout(placeholder, placeholder, placeholder, settings) : null;
  const sciPositions = single ? single.visits.filter((v) => v.kind === 'SCI').map((v) => position(v.offsetDays, v.durationDays)) : [];
  const calPositions = single ? single.visits.filter((v) => v.kind === 'CAL').map((v) => position(v.offsetDays, v.durationDays)) : [];
  const sciVisit = single?.visits.find((v) => v.kind === 'SCI');
  const mid = sciVisit ? [sciVisit.offsetDays + sciVisit.durationDays / 2] : [];
  groups.forEach((group, j) => {
    for (const c of group) {
      if (!fixedOffsets || !bracketed || !single) {
        generic(j, c);
        continue;
      }
      const cals = c.calibrators.slice(0, tried);
      if (cals.length === 0) continue;
      // Science visits (several with more points), then for each slot the best-ranked pair.
      let sciMask: Uint8Array | null = null;
      for (const pos of sciPositions) {
        const m = maskAt(c.science, pos);
        sciMask = sciMask ? sciMask.map((x, k) => x & m[k]) : m;
      }
      // Calibrator visits alternate a, b, a … as `buildLayout` lays them out; a pair fits at k
      // when every one of its visits' masks is set there (read only at the science's slots).
      const pairs = calibratorPairs(cals, settings).map(([a, b]) => ({ a, b, ms: calPositions.map((pos, n) => maskAt(n % 2 === 0 ? a : b, pos)) }));
      const parts = [c];
      const last = lastStart(single.durationDays);
      for (let k = 0; k <= last; k++) {
        if (!sciMask![k]) continue;
        for (const p of pairs) {
          let fits = true;
          for (const m of p.ms) if (m[k] !== 1) fits = false;
          if (!fits) continue;
          push(alone[j], parts, k, p.a, p.b, null, single.durationDays, mid);
          break;
        }
      }
    }
  });

  // Tails: SCI–CAL after a sequence (or tail) that closes on one of the target's calibrators, which
  // they share (SCI–CAL–SCI–CAL… chains; points = 1, no slews). The optimiser links them.
  if (bracketed && settings.shareCalibrators && fixedOffsets && settings.pointsPerTarget === 1) {
    const { sciDays, calDays } = visitDays(settings);
    const sciPos = position(0, sciDays);
    const closePos = position(sciDays, calDays);
    const durationDays = sciDays + calDays;
    const tailMid = [sciDays / 2];
    const last = lastStart(durationDays);
    // Only where something can precede them: walk the slots in order, from the ends of the
    // sequences (and of the tails already made) on each PoP set and calibrator.
    const variants: Array<{ j: number; parts: PlanCandidate[]; pop: number; sci: Uint8Array; cals: Array<{ x: PlanStar; id: number }>; closes: Array<{ b: PlanStar; m: Uint8Array }> }> = [];
    groups.forEach((group, j) => {
      for (const c of group) {
        const cals = c.calibrators.slice(0, tried);
        if (cals.length === 0) continue;
        variants.push({
          j,
          parts: [c],
          pop: popOf(c),
          sci: maskAt(c.science, sciPos),
          cals: cals.map((x) => ({ x, id: starId(x) })),
          closes: cals.map((b) => ({ b, m: maskAt(b, closePos) })),
        });
      }
    });
    // Every star id is known now (the variants' calibrators have theirs), so the key is exact and
    // small enough to stay a small integer (no heap numbers in the set).
    const S = Math.max(1, starIds.size);
    const P = ignorePops ? 1 : popIndex.size + 1;
    const endKey = (slot: number, pop: number, star: number) => (slot * P + pop) * S + star;
    const ends = new Set<number>();
    for (const o of options) if (o.closes !== undefined) ends.add(endKey(o.start + o.len, o.pop, o.closes));
    for (let k = 0; k <= last; k++) {
      for (const v of variants) {
        if (!v.sci[k]) continue;
        let b: { b: PlanStar; m: Uint8Array } | undefined;
        for (const { x, id } of v.cals) {
          if (!ends.has(endKey(k, v.pop, id))) continue;
          b ??= v.closes.find((o) => o.m[k] === 1);
          if (!b) break;
          push(alone[v.j], v.parts, k, null, b.b, x, durationDays, tailMid);
          const o = options[options.length - 1];
          ends.add(endKey(o.start + o.len, o.pop, o.closes!));
        }
      }
    }
  }
  return { grid, keys, options, plans, byTarget };
}

/**
 * The options `buildOptions` lists for a later window of the same night grid and some of the
 * targets (a re-plan: targets observed, pinned or skipped are out), read off the options of the
 * whole night (`full`, built on every candidate from the grid origin) instead of built again:
 * the same options in the same order, with the same values and plans. A single sequence depends
 * on its own windows and start instant only; a tail (calibrator sharing) exists where a kept
 * option closes on its calibrator, which is checked again in the order `buildOptions` makes them.
 * Only without slews (a slew allowance depends on every star of the run) and with the same PoP
 * rule; null when `full` cannot give the answer (then build).
 */
export function deriveOptions(
  full: Omit<OptionSet, 'popSets'> & { popSets: readonly string[]; ignorePops: boolean },
  input: OptionsInput,
): Omit<OptionSet, 'popSets'> | null {
  const { grid, groups, popIndex, ignorePops } = input;
  const shift = slotsIntoNight(full, input);
  if (shift === null) return null;
  // Target and PoP-set indices of the whole night → this run's (the caller checks that the
  // candidates are the same objects).
  const fullIndex = new Map(full.keys.map((k, j) => [k, j]));
  const jOf = new Int32Array(full.keys.length).fill(-1);
  for (let j = 0; j < groups.length; j++) {
    const f = fullIndex.get(groups[j][0].science.key);
    if (f === undefined) return null;
    jOf[f] = j;
  }
  const popOf = new Int32Array(full.popSets.length);
  for (let p = 0; p < full.popSets.length; p++) popOf[p] = ignorePops ? 0 : (popIndex.get(full.popSets[p]) ?? -1);
  const byValue = full.byValue ?? orderByValue(full.options);
  let same = shift === 0 && groups.length === full.keys.length;
  for (let f = 0; same && f < jOf.length; f++) same = jOf[f] === f;
  for (let p = 0; same && p < popOf.length; p++) same = popOf[p] === p;
  // The whole night itself (a warm plan): its options as they are (nobody changes them).
  if (same) {
    const optionOf = new Int32Array(full.options.length);
    for (let o = 0; o < optionOf.length; o++) optionOf[o] = o;
    const targetOf = new Int32Array(full.keys.length);
    for (let j = 0; j < targetOf.length; j++) targetOf[j] = j;
    return { grid, keys: full.keys, options: full.options, plans: full.plans, byTarget: full.byTarget, byValue, fromNight: { optionOf, targetOf } };
  }
  let maxStar = 0;
  for (const o of full.options) maxStar = Math.max(maxStar, o.closes ?? 0, o.requires ?? 0);
  const P = Math.max(1, full.popSets.length);
  const endKey = (slot: number, pop: number, star: number) => (slot * P + pop) * (maxStar + 1) + star;
  const ends = new Set<number>();
  const options: OptOption[] = [];
  const plans: OptionPlan[] = [];
  const byTarget: number[][] = groups.map(() => []);
  const alone = groups.map((_, j) => [j]);
  const kept = new Int32Array(full.options.length).fill(-1);
  const optionOf: number[] = [];
  for (let o = 0; o < full.options.length; o++) {
    const opt = full.options[o];
    if (opt.start < shift) continue;
    const j = jOf[opt.members[0]];
    if (j < 0) continue;
    if (opt.requires !== undefined && !ends.has(endKey(opt.start, opt.pop, opt.requires))) continue;
    const pop = popOf[opt.pop];
    if (pop < 0) return null;
    const next: OptOption = { members: alone[j], pop, start: opt.start - shift, len: opt.len, value: opt.value };
    if (opt.closes !== undefined) {
      next.closes = opt.closes;
      ends.add(endKey(opt.start + opt.len, opt.pop, opt.closes));
    }
    if (opt.requires !== undefined) next.requires = opt.requires;
    kept[o] = options.length;
    optionOf.push(o);
    byTarget[j].push(options.length);
    options.push(next);
    plans.push(full.plans[o]);
  }
  // Kept options keep their order and values, so the whole night's value order, filtered, is theirs.
  const order = new Int32Array(options.length);
  let n = 0;
  for (const o of byValue) if (kept[o] >= 0) order[n++] = kept[o];
  const targetOf = new Int32Array(groups.length);
  for (let f = 0; f < jOf.length; f++) if (jOf[f] >= 0) targetOf[jOf[f]] = f;
  return { grid, keys: groups.map((g) => g[0].science.key), options, plans, byTarget, byValue: order, fromNight: { optionOf: Int32Array.from(optionOf), targetOf } };
}

/**
 * Where a run's grid starts in the whole night's (slots), or null when the run's options cannot be
 * read off the night's: slews (an allowance depends on every star of the run), another PoP rule,
 * or a grid that is not the night's from some slot on.
 */
function slotsIntoNight(full: { grid: SlotGrid; ignorePops: boolean }, input: OptionsInput): number | null {
  const { grid, settings, ignorePops } = input;
  const shift = grid.k0 - full.grid.k0;
  const onNight =
    !(settings.slewRateDegPerS > 0) &&
    ignorePops === full.ignorePops &&
    shift >= 0 &&
    grid.originMjd === full.grid.originMjd &&
    grid.stepDays === full.grid.stepDays &&
    grid.endMjd === full.grid.endMjd &&
    grid.slots === full.grid.slots - shift;
  // `| 0`: the grids' first slots come out of floating-point arithmetic; as a small integer the
  // shift (a re-plan's first slot) keeps the left-out judge and the timeline, which a plan of the
  // whole night (shift 0) optimised for small integers, from being deoptimised on a first re-plan.
  return onNight ? shift | 0 : null;
}

/**
 * A run from "now" on the whole night's options themselves, nothing copied: the night's set with
 * the options `deriveOptions` would keep marked usable (starting at or after the run's first slot,
 * of the run's targets, tails whose preceding option is usable, checked in the order
 * `buildOptions` makes them), on the night's grid. The caller holds the slots before `firstSlot`
 * (a fixed stretch): with the same options in the same order, the same values and the same PoP
 * sets, the optimiser's search and every tie go as on the derived set, without making, bucketing
 * and allocating for thousands of options per re-plan. Null when the run's PoP sets, targets or
 * grid are not the night's (then derive).
 */
export function holdOptions(
  full: Omit<OptionSet, 'popSets'> & { popSets: readonly string[]; ignorePops: boolean },
  input: OptionsInput,
): OptionSet['held'] | null {
  const { groups, popIndex } = input;
  const shift = slotsIntoNight(full, input);
  if (shift === null || popIndex.size !== full.popSets.length) return null;
  for (let p = 0; p < full.popSets.length; p++) if (popIndex.get(full.popSets[p]) !== p) return null;
  const links = linksOf(full);
  const inRun = new Uint8Array(full.keys.length);
  for (const g of groups) {
    const f = links.targetOfKey.get(g[0].science.key);
    if (f === undefined) return null;
    inRun[f] = 1;
  }
  const { start, member, endAt, requiresAt } = links;
  const isEnd = new Uint8Array(links.ends);
  const usable = new Uint8Array(full.options.length);
  for (let o = 0; o < usable.length; o++) {
    if (start[o] < shift || inRun[member[o]] === 0) continue;
    if (requiresAt[o] >= 0 && isEnd[requiresAt[o]] === 0) continue;
    if (endAt[o] >= 0) isEnd[endAt[o]] = 1;
    usable[o] = 1;
  }
  return { usable, inRun, firstSlot: shift };
}

/**
 * What `holdOptions` reads of a night's options, as typed arrays made once per night: each
 * option's start and target, and the (slot, PoP set, calibrator) where it ends on a calibrator a
 * tail may share (`endAt`) or that a tail needs just before it (`requiresAt`), as dense ids (−1:
 * none), so that marking a re-plan's options is one pass with no allocation per option.
 */
interface NightLinks {
  targetOfKey: Map<string, number>;
  start: Int32Array;
  member: Int32Array;
  endAt: Int32Array;
  requiresAt: Int32Array;
  ends: number;
}

const linksKept = new WeakMap<readonly OptOption[], NightLinks>();

function linksOf(full: Pick<OptionSet, 'options' | 'keys'>): NightLinks {
  const kept = linksKept.get(full.options);
  if (kept) return kept;
  const n = full.options.length;
  const ids = new Map<string, number>();
  const id = (slot: number, pop: number, star: number) => {
    const key = `${slot}|${pop}|${star}`;
    let x = ids.get(key);
    if (x === undefined) ids.set(key, (x = ids.size));
    return x;
  };
  const links: NightLinks = {
    targetOfKey: new Map(full.keys.map((k, j) => [k, j])),
    start: new Int32Array(n),
    member: new Int32Array(n),
    endAt: new Int32Array(n).fill(-1),
    requiresAt: new Int32Array(n).fill(-1),
    ends: 0,
  };
  for (let o = 0; o < n; o++) {
    const opt = full.options[o];
    links.start[o] = opt.start;
    links.member[o] = opt.members[0];
    if (opt.closes !== undefined) links.endAt[o] = id(opt.start + opt.len, opt.pop, opt.closes);
    if (opt.requires !== undefined) links.requiresAt[o] = id(opt.start, opt.pop, opt.requires);
  }
  links.ends = ids.size;
  linksKept.set(full.options, links);
  return links;
}

/** The blocks of one chosen option (ids `<sequence>:<visit>@<start minute>`, as before). Brackets are wired by the caller. */
export function materialise(plan: OptionPlan, settings: PlanSettings): PlannedBlock[] {
  const c = plan.parts[0];
  const seq = c.science.key;
  const { layout } = optionLayout(plan, settings);
  const minute = Math.round(plan.startMjd * 1440);
  return layout.visits.map((v, i) => ({
    id: `${seq}:${i}@${minute}`,
    sequenceId: seq,
    kind: v.kind,
    starKey: v.star.key,
    name: v.star.name,
    raDeg: v.star.raDeg,
    decDeg: v.star.decDeg,
    vmag: v.star.vmag ?? null,
    startMjd: plan.startMjd + v.offsetDays,
    endMjd: plan.startMjd + v.offsetDays + v.durationDays,
    pops: c.science.pops,
    status: 'planned' as const,
    isPinned: false,
    violations: [],
    ...(v.kind === 'CAL' ? { calibrates: [seq] } : {}),
    ...(v.kind === 'CAL' && v.star.isVetted === false ? { isVetted: false } : {}),
  }));
}

/**
 * Brackets of newly placed science blocks: each SCI block's calibrators are the CAL blocks right
 * before and after it, and those CAL blocks calibrate it (a shared one calibrates two targets).
 */
export function wireBrackets(sorted: PlannedBlock[], isNew: (b: PlannedBlock) => boolean): void {
  sorted.forEach((b, i) => {
    if (b.kind !== 'SCI' || !isNew(b)) return;
    const around = [sorted[i - 1], sorted[i + 1]].filter((x): x is PlannedBlock => x !== undefined && x.kind === 'CAL');
    b.calibratorKeys = around.map((x) => x.starKey);
    b.calibratorNames = around.map((x) => x.name);
    for (const x of around) {
      const list = x.calibrates ?? [];
      if (!list.includes(b.sequenceId)) x.calibrates = x === sorted[i - 1] ? [...list, b.sequenceId] : [b.sequenceId, ...list.filter((k) => k !== b.sequenceId)];
    }
  });
}
