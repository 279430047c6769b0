/**
 * Types of the observability engine, shared by the astro engine (producer) and the planner,
 * calibrators and UI (consumers). Typed arrays stay inside one process; anything crossing the
 * API contract is converted to plain arrays / interval lists first.
 */

/** CHARA station names in canonical order. */
export const STATION_NAMES = ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'] as const;
/** One of the six CHARA stations. */
export type StationName = (typeof STATION_NAMES)[number];

/** Bit flags of the constraint(s) that fail at one sample of the night grid. */
export const Why = {
  /** Sun above the chosen twilight altitude. */
  twilight: 1,
  /** Below the user's minimum elevation. */
  minElevation: 2,
  /** Below the horizon profile of at least one telescope (see `horizonStations`). */
  horizon: 4,
  /** Above the telescopes' maximum elevation (85°). */
  maxElevation: 8,
  /** Too close to the Moon. */
  moon: 16,
  /** Delay line out of reach on at least one baseline (see `delayBaselines`). */
  delayLine: 32,
} as const;
/** One constraint flag of `Why`. */
export type WhyFlag = (typeof Why)[keyof typeof Why];

/** A J2000 (ICRS) target for the engine. */
export interface SkyTarget {
  name?: string;
  raDeg: number;
  decDeg: number;
}

/** Options of a night observability computation. */
export interface ObservabilityOptions {
  /** Local calendar date of the evening the night starts, `YYYY-MM-DD` (CHARA, America/Los_Angeles). */
  night: string;
  /** 2 to 6 stations of the configuration. */
  stations: StationName[];
  /** 'auto' (best PoPs per target, W2 on PoP5) or one digit 1-5 per station in `stations` order. */
  pops: 'auto' | string;
  /** Minimum elevation in degrees (all telescopes). */
  minElevationDeg: number;
  /** Sun altitude that ends the night: -18 (astronomical), -12 (nautical). */
  twilightDeg: number;
  /** Minimum Moon separation in degrees (0 disables the Moon rule). */
  minMoonSepDeg: number;
  /** Grid step in minutes. */
  stepMin: number;
  /** Whether delay lines / PoPs are a constraint (false = pure sky observability). */
  useDelayLines: boolean;
  /** Observing site; default CHARA S1 (cross-checks against astroplan use their site). */
  site?: { latDeg: number; lonDeg: number; heightM: number };
  /** First grid sample, UTC MJD; default sunset rounded down to the step. */
  gridStartMjd?: number;
  /** Grid end, UTC MJD, excluded (astroplan's rule); default sunrise rounded up, included. */
  gridEndMjd?: number;
  /** Highest usable elevation in degrees; default the telescopes' 85° (90 disables it). */
  maxElevationDeg?: number;
  /** Whether the per-station horizon profiles apply; default true. */
  useHorizons?: boolean;
  /** Whether the Moon rule applies while the Moon is below the horizon; default false (ASPRO2). */
  moonRuleBelowHorizon?: boolean;
}

/** The time grid of one night, shared by all targets. */
export interface NightGrid {
  night: string;
  stepMin: number;
  /** UTC of each sample as MJD. */
  timesMjd: Float64Array;
  /** Local sidereal time of each sample, hours 0..24. */
  lstH: Float64Array;
  sunAltDeg: Float64Array;
  sunsetMjd: number;
  sunriseMjd: number;
  /** Evening / morning crossing of −12° and −18°. */
  nauticalDuskMjd: number;
  nauticalDawnMjd: number;
  astroDuskMjd: number;
  astroDawnMjd: number;
  moonIllumination: number;
}

/** One target's observability over the grid. */
export interface TargetObservability {
  /** 1 where every constraint holds. */
  observable: Uint8Array;
  /** OR of `Why` flags failing at each sample (0 where observable). */
  why: Uint8Array;
  /** Per sample, bit i set when station `stations[i]` is below its horizon profile. */
  horizonStations: Uint8Array;
  /** Per sample, bit k set when baseline k (pair order of `baselinePairs(stations)`) is out of delay. */
  delayBaselines: Uint16Array;
  altDeg: Float32Array;
  azDeg: Float32Array;
  /** Hour angle in hours, −12..12. */
  haH: Float32Array;
  /** PoPs used, one digit per station (empty when delay lines are off). */
  pops: string;
  /** Maximal runs of `observable`, as [startMjd, endMjd] of the first and last good sample. */
  intervals: Array<{ startMjd: number; endMjd: number }>;
  /** Topocentric Moon–target separation per sample, degrees. */
  moonSepDeg?: Float32Array;
  /** Apparent declination of date, degrees (what the delay and uv geometry use). */
  apparentDecDeg?: number;
}

/** The survey-wide result: one grid, one entry per target in input order. */
export interface NightObservability {
  grid: NightGrid;
  options: ObservabilityOptions;
  targets: TargetObservability[];
}
