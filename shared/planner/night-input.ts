/**
 * From targets to scheduler input: one observability run for the science targets, then one run
 * per distinct PoP set for their calibrators, so a CAL block is feasible with the PoPs of the
 * science target it brackets (no PoP change inside a sequence).
 */
import { computeNightObservability } from '../astro/observability';
import type { NightGrid, NightObservability, ObservabilityOptions, TargetObservability } from '../astro/types';
import { separationDeg } from './intervals';
import type { CalibratorSource, MjdInterval, PlanCandidate, PlanStar, SiderealTable } from './types';

/** What the planner needs to know about a star besides its observability. */
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
}

/** A calibrator star (from the store, a proposal or the nearest-star fallback). */
export interface CalibratorMeta {
  key: string;
  name: string;
  raDeg: number;
  decDeg: number;
  vmag?: number | null;
}

/** Calibrators chosen for one science target and where they came from. */
export interface CalibratorChoice {
  source: CalibratorSource;
  calibrators: CalibratorMeta[];
}

/** The prepared night: scheduler candidates plus what the UI and checks need. */
export interface PreparedNight {
  candidates: PlanCandidate[];
  /** Dark window: first to last grid sample with the Sun below the twilight altitude. */
  window: MjdInterval;
  sidereal: SiderealTable;
  grid: NightGrid;
  /** Observability of the science targets, in input order. */
  science: NightObservability;
  /** PoP sets to prefer, most common first (empty unless PoPs are chosen per target). */
  popPreference: string[];
  /** Observability of each calibrator key, per PoP set ('' without delay lines). */
  calibratorObservability: Map<string, Map<string, TargetObservability>>;
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

/** A scheduler star from a target and its observability. */
export function planStar(meta: CalibratorMeta, obs: TargetObservability): PlanStar {
  return {
    key: meta.key,
    name: meta.name,
    raDeg: meta.raDeg,
    decDeg: meta.decDeg,
    vmag: meta.vmag ?? null,
    intervals: obs.intervals.map((iv) => ({ startMjd: iv.startMjd, endMjd: iv.endMjd })),
    pops: obs.pops,
  };
}

/**
 * Nearest-star fallback: up to `count` stars of `pool` within `maxSepDeg` of `science` (and within
 * `maxDeltaV` magnitudes when both have V), closest first, never the science target itself.
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

/** How `prepareNight` explores PoPs. */
export interface PrepareOptions {
  /**
   * With best-per-target PoPs, also try every observable target with the N PoP sets most common
   * among them, so the scheduler can group targets on one PoP set (fewer night-time PoP changes).
   */
  popAlternatives?: number;
}

/**
 * Compute observability for the science targets and their calibrators and build candidates.
 * `calibratorsOf(i)` gives the calibrators of science target i (in preference order); it is only
 * called for targets observable tonight. A target
 * may yield several candidates (same key, different PoPs); the scheduler places at most one.
 */
export function prepareNight(
  science: readonly TargetMeta[],
  options: ObservabilityOptions,
  calibratorsOf: (index: number) => CalibratorChoice,
  prepare: PrepareOptions = {},
): PreparedNight {
  const sky = (t: CalibratorMeta) => ({ name: t.name, raDeg: t.raDeg, decDeg: t.decDeg });
  const sciObs = computeNightObservability(science.map(sky), options);
  const gridBounds = { gridStartMjd: sciObs.grid.timesMjd[0], gridEndMjd: lastGridEnd(sciObs.grid) };
  const observable = science.map((_, i) => i).filter((i) => sciObs.targets[i].intervals.length > 0);
  // Calibrators are only looked for where they can matter: targets observable tonight.
  const none: CalibratorChoice = { source: 'none', calibrators: [] };
  const choices: CalibratorChoice[] = science.map(() => none);
  for (const i of observable) choices[i] = calibratorsOf(i);

  // Science variants: (target index, observability) per PoP set.
  const variants: Array<{ index: number; obs: TargetObservability }> = observable.map((i) => ({ index: i, obs: sciObs.targets[i] }));
  const nAlt = prepare.popAlternatives ?? 4;
  let popPreference: string[] = [];
  if (options.useDelayLines && options.pops === 'auto' && nAlt > 0 && observable.length > 1) {
    const counts = new Map<string, number>();
    for (const i of observable) counts.set(sciObs.targets[i].pops, (counts.get(sciObs.targets[i].pops) ?? 0) + 1);
    const common = [...counts.entries()]
      .filter(([, n]) => n > 1)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, nAlt)
      .map(([pops]) => pops);
    popPreference = common;
    for (const pops of common) {
      const others = observable.filter((i) => sciObs.targets[i].pops !== pops);
      if (others.length === 0) continue;
      const alt = computeNightObservability(others.map((i) => sky(science[i])), { ...options, pops, ...gridBounds });
      others.forEach((i, j) => {
        if (alt.targets[j].intervals.length > 0) variants.push({ index: i, obs: alt.targets[j] });
      });
    }
  }

  const byPops = new Map<string, Map<string, CalibratorMeta>>();
  for (const v of variants) {
    let set = byPops.get(v.obs.pops);
    if (!set) byPops.set(v.obs.pops, (set = new Map()));
    for (const c of choices[v.index].calibrators) set.set(c.key, c);
  }
  const calibratorObservability = new Map<string, Map<string, TargetObservability>>();
  for (const [pops, set] of [...byPops.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const cals = [...set.values()];
    if (cals.length === 0) continue;
    const popsOption = options.useDelayLines && pops !== '' ? pops : options.pops;
    const obs = computeNightObservability(cals.map(sky), { ...options, pops: popsOption, ...gridBounds });
    const map = new Map<string, TargetObservability>();
    cals.forEach((c, j) => map.set(c.key, obs.targets[j]));
    calibratorObservability.set(pops, map);
  }

  const candidateOf = (i: number, obs: TargetObservability): PlanCandidate => {
    const t = science[i];
    const calObs = calibratorObservability.get(obs.pops);
    const calibrators = choices[i].calibrators
      .filter((c) => calObs?.has(c.key))
      .map((c) => planStar(c, calObs!.get(c.key)!));
    return {
      science: planStar(t, obs),
      calibrators,
      calibratorSource: choices[i].source,
      finalPriority: t.finalPriority,
      piPriority: t.piPriority,
      isStarted: t.isStarted,
      preferredHaH: t.preferredHaH ?? null,
    };
  };
  // Own-PoP candidates for every target (so the unobservable ones get a reason), then variants.
  const candidates = science.map((_, i) => candidateOf(i, sciObs.targets[i]));
  for (const v of variants) if (v.obs !== sciObs.targets[v.index]) candidates.push(candidateOf(v.index, v.obs));
  return {
    candidates,
    window: darkWindow(sciObs.grid, options.twilightDeg),
    sidereal: { timesMjd: sciObs.grid.timesMjd, lstH: sciObs.grid.lstH },
    grid: sciObs.grid,
    science: sciObs,
    calibratorObservability,
    popPreference,
  };
}

/** A grid end (excluded) that reproduces the same samples as `grid`. */
function lastGridEnd(grid: NightGrid): number {
  const n = grid.timesMjd.length;
  return grid.timesMjd[n - 1] + (grid.stepMin / 1440) / 2;
}
