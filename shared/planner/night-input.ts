/**
 * From targets to scheduler input, in stages a service can interleave with its calibrator
 * look-ups: (1) the science targets' observability with their own best PoPs, the night's pool of
 * PoP sets (the sets best for the most valuable targets) and every target's windows with each
 * set of the pool; (2) the plausible targets, those among the few most valuable ones that could
 * start a sequence at some slot with some PoP set (only those need calibrators); (3) candidates:
 * each target's PoP variants with its calibrators' windows computed with the same PoPs (no PoP
 * change inside a sequence).
 */
import { computeNightObservability, computePopSetIntervals } from '../astro/observability';
import { Why, type NightGrid, type ObservabilityOptions } from '../astro/types';
import { separationDeg, startsInside } from './intervals';
import { visitDays } from './layout';
import { sequenceValue } from './options';
import type { CalibratorSource, MjdInterval, PlanCandidate, PlanSettings, PlanStar, SiderealTable } from './types';

/** What the planner needs to know about a science target besides its observability. */
export interface TargetMeta {
  key: string;
  name: string;
  raDeg: number;
  decDeg: number;
  vmag?: number | null;
  /** NSS final priority, 1 = observe first. */
  finalPriority: number;
  /** PI priority: 0 high, 1 low. */
  piPriority: number;
  isStarted: boolean;
  preferredHaH?: number | null;
  /** Multiplies the target's value (predicted-V² preference); 1 when absent. */
  valueFactor?: number;
}

/** A calibrator star. */
export interface CalibratorMeta {
  key: string;
  name: string;
  raDeg: number;
  decDeg: number;
  vmag?: number | null;
  /** False for a star the Calibrators service rejects (only with the explicit unvetted option). */
  isVetted?: boolean;
}

/** Calibrators chosen for one science target and where they came from. */
export interface CalibratorChoice {
  source: CalibratorSource;
  calibrators: CalibratorMeta[];
  /** Why there are none (the Calibrators service's refusal), when it says. */
  note?: string;
}

/** One PoP variant of a target: its windows with that PoP set. */
export interface PopVariant {
  pops: string;
  intervals: MjdInterval[];
}

/** Stage 1: the science targets on the night. */
export interface ScienceNight {
  options: ObservabilityOptions;
  grid: NightGrid;
  /** Dark window: first to last grid sample with the Sun below the twilight altitude. */
  window: MjdInterval;
  sidereal: SiderealTable;
  targets: readonly TargetMeta[];
  /** Each target's own best (or the fixed) PoPs, in input order ('' without delay lines). */
  ownPops: string[];
  /** Per target: own PoPs first, then every pool set it is observable with (none = not observable). */
  variants: PopVariant[][];
  /** The night's PoP sets, most valuable first (empty with fixed PoPs or without delay lines). */
  popPool: string[];
}

/** How stage 1 explores PoPs. */
export interface PrepareOptions {
  /** PoP sets in the night's pool (default 12): each target is also tried on every one of them. */
  popPoolSize?: number;
}

/** First to last grid sample with the Sun at or below `twilightDeg`. */
export function darkWindow(grid: NightGrid, twilightDeg: number): MjdInterval {
  let first = -1;
  let last = -1;
  for (let k = 0; k < grid.timesMjd.length; k++) {
    if (grid.sunAltDeg[k] <= twilightDeg) {
      if (first < 0) first = k;
      last = k;
    }
  }
  if (first < 0) throw new Error(`night ${grid.night}: the Sun never goes below ${twilightDeg}°`);
  return { startMjd: grid.timesMjd[first], endMjd: grid.timesMjd[last] };
}

/**
 * Nearest stars of `pool` within `maxSepDeg` of `science` (and `maxDeltaV` magnitudes when both
 * have V), closest first, never the science target itself. Only for calibrators the user gave
 * explicitly (CLI `--calibrators csv`): the app's calibrators come from the Calibrators service.
 */
export function nearestCalibrators(
  science: CalibratorMeta,
  pool: readonly CalibratorMeta[],
  opts: { maxSepDeg: number; maxDeltaV: number; count: number },
): CalibratorMeta[] {
  const scored: Array<{ c: CalibratorMeta; sepDeg: number }> = [];
  for (const c of pool) {
    if (c.key === science.key) continue;
    const sepDeg = separationDeg(science.raDeg, science.decDeg, c.raDeg, c.decDeg);
    if (sepDeg > opts.maxSepDeg) continue;
    if (science.vmag != null && c.vmag != null && Math.abs(science.vmag - c.vmag) > opts.maxDeltaV) continue;
    scored.push({ c, sepDeg });
  }
  scored.sort((a, b) => a.sepDeg - b.sepDeg || a.c.key.localeCompare(b.c.key));
  return scored.slice(0, opts.count).map((s) => s.c);
}

const sky = (t: { name?: string; raDeg: number; decDeg: number }) => ({ name: t.name, raDeg: t.raDeg, decDeg: t.decDeg });

/** Whether PoP sets are chosen per target (best PoPs, delay lines on). */
function explorePops(options: ObservabilityOptions): boolean {
  return options.useDelayLines && options.pops === 'auto';
}

/**
 * Stage 1. With best PoPs per target, the pool holds the `popPoolSize` sets that are the own best
 * set of the most NSS weight among observable targets; every target that is above the limits at
 * some dark time is then also computed on each pool set (the sky part once, see
 * `computePopSetIntervals`), so the optimiser can group sequences on few sets.
 */
export function observeScience(
  targets: readonly TargetMeta[],
  options: ObservabilityOptions,
  prepare: PrepareOptions = {},
  progress?: (done: number, total: number) => void,
): ScienceNight {
  // In chunks, so a caller can show progress and cancel between them; same grid for all.
  const CHUNK = 500;
  const first = computeNightObservability(targets.slice(0, CHUNK).map(sky), options);
  const grid = first.grid;
  const bounds = { gridStartMjd: grid.timesMjd[0], gridEndMjd: grid.timesMjd[grid.timesMjd.length - 1] + grid.stepMin / 2880 };
  const science = { grid, targets: [...first.targets] };
  progress?.(Math.min(CHUNK, targets.length), targets.length);
  for (let from = CHUNK; from < targets.length; from += CHUNK) {
    science.targets.push(...computeNightObservability(targets.slice(from, from + CHUNK).map(sky), { ...options, ...bounds }).targets);
    progress?.(Math.min(from + CHUNK, targets.length), targets.length);
  }
  const window = darkWindow(grid, options.twilightDeg);
  const variants: PopVariant[][] = science.targets.map((t) => (t.intervals.length ? [{ pops: t.pops, intervals: t.intervals }] : []));
  let popPool: string[] = [];
  if (explorePops(options)) {
    const score = new Map<string, number>();
    targets.forEach((t, i) => {
      const o = science.targets[i];
      if (o.intervals.length === 0) return;
      score.set(o.pops, (score.get(o.pops) ?? 0) + sequenceValue(asCandidate(t), NaN, undefined));
    });
    popPool = [...score.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, prepare.popPoolSize ?? 12)
      .map(([p]) => p);
    // Every target the sky allows at some dark time (delay lines aside) is tried on the pool.
    const skyOk = targets.map((_, i) => science.targets[i].intervals.length > 0 || science.targets[i].why.some((w) => w === Why.delayLine));
    const tried = targets.map((_, i) => i).filter((i) => skyOk[i]);
    if (tried.length > 0 && popPool.length > 0) {
      const alt = computePopSetIntervals(tried.map((i) => sky(targets[i])), { ...options, ...bounds }, popPool);
      tried.forEach((i, n) => {
        popPool.forEach((pops, p) => {
          if (pops === science.targets[i].pops) return;
          const intervals = alt.intervals[n][p];
          if (intervals.length > 0) variants[i].push({ pops, intervals });
        });
      });
    }
  }
  return { options, grid, window, sidereal: { timesMjd: grid.timesMjd, lstH: grid.lstH }, targets, ownPops: science.targets.map((t) => t.pops), variants, popPool };
}

function asCandidate(t: TargetMeta, science?: PlanStar): PlanCandidate {
  return {
    science: science ?? { key: t.key, name: t.name, raDeg: t.raDeg, decDeg: t.decDeg, vmag: t.vmag ?? null, intervals: [], pops: '' },
    calibrators: [],
    calibratorSource: 'none',
    finalPriority: t.finalPriority,
    piPriority: t.piPriority,
    isStarted: t.isStarted,
    preferredHaH: t.preferredHaH ?? null,
    ...(t.valueFactor !== undefined ? { valueFactor: t.valueFactor } : {}),
  };
}

/**
 * Stage 2: the targets worth asking calibrators for. A sequence of target i on PoP set p can start
 * at slot k when its science visit fits i's window there; at each (p, k) only the `perSlot` most
 * valuable targets are kept (a plan holds a dozen sequences, and a target beaten at every start by
 * that many others is very unlikely to be needed). Returns target indices, most valuable first,
 * skipping `exclude`.
 */
export function plausibleTargets(
  night: ScienceNight,
  settings: PlanSettings,
  opts: { perSlot: number; stepMin?: number; exclude?: ReadonlySet<number> },
): number[] {
  const stepDays = (opts.stepMin ?? 5) / 1440;
  const { sciDays, calDays } = visitDays(settings);
  const offset = settings.bracket === 'none' ? 0 : calDays;
  const t0 = night.window.startMjd;
  const slots = Math.max(1, Math.floor((night.window.endMjd - t0) / stepDays + 1e-6));
  const value = night.targets.map((t) => sequenceValue(asCandidate(t), NaN, undefined));
  const popIds = new Map<string, number>();
  // best[(pop, slot)]: up to perSlot target indices, best value first.
  const best = new Map<number, number[]>();
  const keep = new Set<number>();
  night.variants.forEach((vars, i) => {
    if (opts.exclude?.has(i)) return;
    for (const v of vars) {
      // Pool sets compete per set; a target's own set outside the pool would need PoP changes of
      // its own, so all of those compete together, for fewer places.
      const inPool = night.popPool.includes(v.pops) || night.popPool.length === 0;
      const key = inPool ? v.pops : '\u0000other';
      let p = popIds.get(key);
      if (p === undefined) popIds.set(key, (p = popIds.size));
      const limit = inPool ? opts.perSlot : Math.max(1, Math.floor(opts.perSlot / 2));
      for (const iv of startsInside(v.intervals, offset, sciDays)) {
        const lo = Math.max(0, Math.ceil((iv.startMjd - t0) / stepDays - 1e-6));
        const hi = Math.min(slots - 1, Math.floor((iv.endMjd - t0) / stepDays + 1e-6));
        for (let k = lo; k <= hi; k++) {
          const cell = p * slots + k;
          const list = best.get(cell) ?? [];
          if (list.includes(i)) continue;
          if (list.length < limit || value[i] > value[list[list.length - 1]]) {
            list.push(i);
            list.sort((a, b) => value[b] - value[a] || a - b);
            if (list.length > limit) list.pop();
            best.set(cell, list);
          }
        }
      }
    }
  });
  for (const list of best.values()) for (const i of list) keep.add(i);
  return [...keep].sort((a, b) => value[b] - value[a] || a - b);
}

/** Windows of calibrator stars with each PoP set they are needed for (one sky pass per star). */
export type CalibratorWindows = Map<string, Map<string, MjdInterval[]>>;

/**
 * Stage 3a: windows of the calibrators of `targets` with the PoP sets of those targets' variants.
 * Without delay lines (or with fixed PoPs) one ordinary engine run. With `cache` (one per night:
 * the same night, options and grid), stars and PoP sets already computed are not computed again.
 */
export function calibratorWindows(
  night: ScienceNight,
  indices: readonly number[],
  choices: ReadonlyMap<number, CalibratorChoice>,
  cache?: Map<string, Map<string, MjdInterval[]>>,
): CalibratorWindows {
  const stars = new Map<string, CalibratorMeta>();
  const needs = new Map<string, Set<string>>();
  for (const i of indices) {
    const choice = choices.get(i);
    if (!choice) continue;
    for (const c of choice.calibrators) {
      stars.set(c.key, c);
      const set = needs.get(c.key) ?? new Set<string>();
      for (const v of night.variants[i]) set.add(v.pops);
      needs.set(c.key, set);
    }
  }
  const list = [...stars.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out: CalibratorWindows = new Map();
  if (list.length === 0) return out;
  // A star's windows depend on its position only (the night is the cache's): keyed by both.
  const cacheKey = (c: CalibratorMeta) => `${c.key}|${c.raDeg}|${c.decDeg}`;
  const explore = explorePops(night.options);
  const missing = (c: CalibratorMeta): string[] => {
    const hit = cache?.get(cacheKey(c));
    if (!hit) return [...needs.get(c.key)!];
    return explore ? [...needs.get(c.key)!].filter((p) => !hit.has(p)) : [];
  };
  const todo = list.map((c) => ({ c, pops: missing(c) })).filter((x) => x.pops.length > 0);
  const computed = new Map<string, Map<string, MjdInterval[]>>();
  const grid = night.grid;
  const gridBounds = { gridStartMjd: grid.timesMjd[0], gridEndMjd: grid.timesMjd[grid.timesMjd.length - 1] + grid.stepMin / 2880 };
  if (todo.length > 0 && !explore) {
    const obs = computeNightObservability(todo.map((x) => sky(x.c)), { ...night.options, ...gridBounds });
    todo.forEach((x, n) => computed.set(x.c.key, new Map([[obs.targets[n].pops, obs.targets[n].intervals]])));
  } else if (todo.length > 0) {
    const pops = [...new Set(todo.flatMap((x) => x.pops))].sort();
    const index = new Map(pops.map((p, n) => [p, n]));
    const res = computePopSetIntervals(todo.map((x) => sky(x.c)), { ...night.options, ...gridBounds }, pops, (n) => todo[n].pops.map((p) => index.get(p)!));
    todo.forEach((x, n) => {
      const m = new Map<string, MjdInterval[]>();
      for (const p of x.pops) m.set(p, res.intervals[n][index.get(p)!]);
      computed.set(x.c.key, m);
    });
  }
  for (const c of list) {
    const fresh = computed.get(c.key);
    let m = cache?.get(cacheKey(c));
    if (cache && fresh) {
      if (!m) cache.set(cacheKey(c), (m = new Map()));
      for (const [p, w] of fresh) m.set(p, w);
    }
    m ??= fresh!;
    const own = new Map<string, MjdInterval[]>();
    if (explore) for (const p of needs.get(c.key)!) own.set(p, m.get(p)!);
    else for (const [p, w] of m) own.set(p, w);
    out.set(c.key, own);
  }
  return out;
}

/**
 * Stage 3b: the scheduler candidates of `indices`: one per PoP variant, with the calibrators of
 * `choices` (their windows with the variant's PoPs). A target without a choice gets none.
 */
export function buildCandidates(
  night: ScienceNight,
  indices: readonly number[],
  choices: ReadonlyMap<number, CalibratorChoice>,
  windows: CalibratorWindows,
): PlanCandidate[] {
  const out: PlanCandidate[] = [];
  for (const i of indices) {
    const t = night.targets[i];
    const choice = choices.get(i) ?? { source: 'none' as const, calibrators: [] };
    const vars = night.variants[i].length ? night.variants[i] : [{ pops: night.ownPops[i], intervals: [] }];
    for (const v of vars) {
      const calibrators: PlanStar[] = [];
      for (const c of choice.calibrators) {
        const w = windows.get(c.key)?.get(v.pops);
        if (!w) continue;
        calibrators.push({
          key: c.key, name: c.name, raDeg: c.raDeg, decDeg: c.decDeg, vmag: c.vmag ?? null, intervals: w, pops: v.pops,
          ...(c.isVetted === false ? { isVetted: false } : {}),
        });
      }
      const science: PlanStar = { key: t.key, name: t.name, raDeg: t.raDeg, decDeg: t.decDeg, vmag: t.vmag ?? null, intervals: v.intervals, pops: v.pops };
      out.push({ ...asCandidate(t, science), calibrators, calibratorSource: choice.source, ...(choice.note ? { calibratorNote: choice.note } : {}) });
    }
  }
  return out;
}

/** Targets examined without calibrators (`PlanInput.shadows`): one candidate per PoP variant. */
export function shadowCandidates(night: ScienceNight, indices: readonly number[]): PlanCandidate[] {
  return buildCandidates(night, indices, new Map(), new Map());
}

/** The prepared night: scheduler candidates plus what the UI and checks need. */
export interface PreparedNight {
  candidates: PlanCandidate[];
  window: MjdInterval;
  sidereal: SiderealTable;
  grid: NightGrid;
  popPreference: string[];
}

/**
 * All stages for every observable target (tests, the CLI's CSV mode, the benchmark):
 * `calibratorsOf(i)` gives the calibrators of science target i; it is only called for targets
 * observable tonight. A target may yield several candidates (same key, different PoPs).
 */
export function prepareNight(
  science: readonly TargetMeta[],
  options: ObservabilityOptions,
  calibratorsOf: (index: number) => CalibratorChoice,
  prepare: PrepareOptions = {},
): PreparedNight {
  const night = observeScience(science, options, prepare);
  const all = science.map((_, i) => i);
  const choices = new Map<number, CalibratorChoice>();
  for (const i of all) if (night.variants[i].length > 0) choices.set(i, calibratorsOf(i));
  const candidates = buildCandidates(night, all, choices, calibratorWindows(night, all, choices));
  return { candidates, window: night.window, sidereal: night.sidereal, grid: night.grid, popPreference: night.popPool };
}
