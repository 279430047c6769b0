/**
 * Types of the night planner core. Times are UTC MJD inside the planner; the contract converts
 * them to ISO strings. Everything here is plain data so a plan can be saved and re-planned.
 */

/** A closed time interval in UTC MJD. */
export interface MjdInterval {
  startMjd: number;
  endMjd: number;
}

/** One star as the scheduler sees it: where it is and when it may be observed tonight. */
export interface PlanStar {
  /** Unique key of the star (store id, or name when there is no store). */
  key: string;
  name: string;
  raDeg: number;
  decDeg: number;
  vmag?: number | null;
  /**
   * Maximal runs where every constraint holds, from the first to the last good grid sample.
   * A sub-block is feasible when it lies wholly inside one of them.
   */
  intervals: MjdInterval[];
  /** PoPs the intervals were computed with, one digit per station ('' without delay lines). */
  pops: string;
  /** Calibrators only: false for a star the Calibrators service rejects, used by explicit request. */
  isVetted?: boolean;
}

/**
 * Where a science target's calibrators came from: the Calibrators service (`assigned` by the team,
 * `proposed` by its engine, both, or `unvetted` stars asked for explicitly), `nearest` rows of a
 * CSV file (CLI `--calibrators csv`), or `none`. `store` is what plans saved before #10 say.
 */
export type CalibratorSource = 'assigned' | 'proposed' | 'assigned+proposed' | 'unvetted' | 'nearest' | 'none' | 'store';

/** A science target offered to the scheduler, with what the objective needs to rank it. */
export interface PlanCandidate {
  science: PlanStar;
  /** Calibrators in order of preference, with intervals computed for the science target's PoPs. */
  calibrators: PlanStar[];
  calibratorSource: CalibratorSource;
  /** NSS final priority (1 = observe first); any positive number works (the bench uses 1..1000). */
  finalPriority: number;
  /** PI priority of the first programme: 0 high, 1 low. */
  piPriority: number;
  /** Started but not finished (0 < completion < 1): NSS finishes these first. */
  isStarted: boolean;
  /** Mean hour angle (hours) of this target's earlier observations, for a stable (u,v) coverage. */
  preferredHaH?: number | null;
  /** Multiplies the target's value (the predicted-V² preference, 0.75..1); 1 when absent. */
  valueFactor?: number;
  /** Why there are no calibrators, from the Calibrators service (e.g. a refused NSS list). */
  calibratorNote?: string;
}

/** Kind of a block on the timeline. */
export type BlockKind = 'SCI' | 'CAL';

/** Life cycle of a block during the night. */
export type BlockStatus = 'planned' | 'done' | 'failed' | 'skipped';

/** One star visit on the timeline: acquisition plus integration. */
export interface PlannedBlock {
  /** `<sequenceId>:<visit index>@<start minute (MJD·1440)>`: the same placement keeps its id. */
  id: string;
  /** The CAL–SCI–CAL sequence this block belongs to (the science target's key). */
  sequenceId: string;
  kind: BlockKind;
  starKey: string;
  name: string;
  raDeg: number;
  decDeg: number;
  vmag?: number | null;
  startMjd: number;
  endMjd: number;
  pops: string;
  /** For SCI blocks: the calibrator keys bracketing it (before, after). */
  calibratorKeys?: string[];
  /** Names of those calibrators (kept here: a re-plan may drop a bracketing block in the past). */
  calibratorNames?: string[];
  /** For CAL blocks: the science keys it calibrates (two when shared between neighbours). */
  calibrates?: string[];
  status: BlockStatus;
  isPinned: boolean;
  /** Constraint violations accepted by a forced manual override; empty when feasible. */
  violations: string[];
  /** CAL blocks: false when the star is not vetted by the Calibrators service (explicit option only). */
  isVetted?: boolean;
}

/** Why a candidate is not in the plan, as a code (the `reason` text says it in words). */
export type LeftOutCode =
  | 'not-observable'
  | 'too-short'
  | 'no-vetted-calibrator'
  | 'calibrators-not-observable'
  | 'pop-change'
  | 'pops-incompatible'
  | 'lower-value'
  | 'no-slot'
  | 'model'
  | 'skipped'
  | 'not-examined';

/** A candidate the planner did not place, and why. */
export interface LeftOut {
  key: string;
  name: string;
  finalPriority: number;
  reason: string;
  /** The reason as a code (absent in plans saved before #10). */
  code?: LeftOutCode;
}

/** Time budget of one star visit and the bracketing rule. */
export interface PlanSettings {
  /** Integration time per point, seconds (SPICA default 600 s). */
  pointS: number;
  /** Points (SCI visits) per science target in one sequence. */
  pointsPerTarget: number;
  /** Points per calibrator visit. */
  calPointsPerVisit: number;
  /** Acquisition and slew overhead per star visit, seconds. */
  acquisitionS: number;
  /** 'CAL-SCI-CAL' brackets every science visit; 'none' schedules science blocks alone. */
  bracket: 'CAL-SCI-CAL' | 'none';
  /** Let neighbouring sequences share the calibrator between them (SCI–CAL–SCI chains). */
  shareCalibrators: boolean;
  /** Extra slew between consecutive stars at this rate (deg/s); 0 = included in acquisitionS. */
  slewRateDegPerS: number;
  /** Time lost when consecutive blocks use different PoPs, seconds. */
  popChangeS: number;
  /** Calibrators tried per science target (first N in its list). */
  maxCalibratorsTried: number;
}

/** Defaults: SPICA 600 s per point, ≈10 min acquisition, CAL–SCI–CAL ≈ 60 min. */
export const DEFAULT_PLAN_SETTINGS: PlanSettings = {
  pointS: 600,
  pointsPerTarget: 1,
  calPointsPerVisit: 1,
  acquisitionS: 600,
  bracket: 'CAL-SCI-CAL',
  shareCalibrators: true,
  slewRateDegPerS: 0,
  popChangeS: 900,
  maxCalibratorsTried: 3,
};

/** Local sidereal time samples used to turn a time into an hour angle. */
export interface SiderealTable {
  timesMjd: ArrayLike<number>;
  lstH: ArrayLike<number>;
}

/** Everything one planning run needs. */
export interface PlanInput {
  /** Usable window: from dusk (or "now") to dawn, UTC MJD. */
  window: MjdInterval;
  candidates: readonly PlanCandidate[];
  settings: PlanSettings;
  /** Blocks kept as they are: done/failed ones and pinned ones. */
  fixedBlocks?: readonly PlannedBlock[];
  /** For the hour-angle preference; without it the preference is ignored. */
  sidereal?: SiderealTable;
  /** PoP sets to prefer when all else is equal, best first (ties only). */
  popPreference?: readonly string[];
  /** Grid step of the planner's time slots in minutes (default 5, the observability grid). */
  stepMin?: number;
  /** Slots are `gridOriginMjd + k·step` (default the window start), so re-plans keep the night's grid. */
  gridOriginMjd?: number;
  /** PoPs in use when the window starts (a re-plan after blocks were observed); null = free choice. */
  initialPops?: string | null;
  /**
   * Targets examined without calibrators (the service had not asked for theirs): never placed,
   * only classified; those that would fit in the finished plan are returned in `wouldFit`.
   */
  shadows?: readonly PlanCandidate[];
  /** Search limits (iterations, gap); defaults in optimiser.ts. */
  search?: { maxIterations?: number; gapTolerance?: number };
  /** The whole night's options, kept by the caller across runs on the same candidates (see `OptionsCache`). */
  optionsCache?: OptionsCache;
}

/**
 * A holder the caller keeps with one list of candidates (the night's): the planner fills it with
 * the options of the whole night on first use, and later runs on some of those candidates (a warm
 * plan, a re-plan from "now") read their options off it instead of building them again.
 */
export interface OptionsCache {
  /** Every candidate of the night; a run's candidates must be some of these objects. */
  candidates: readonly PlanCandidate[];
  /**
   * Filled by the planner (opaque to the caller). A caller whose list changed for a few targets
   * may hand the entry of the list before on (the pipeline after a log): runs that plan none of
   * the changed targets and keep blocks read their options off it, the others rebuild it.
   */
  entry?: unknown;
}

/** Quality figures of a plan. */
export interface PlanStats {
  scienceBlocks: number;
  calibratorBlocks: number;
  /** Sum of the final priorities of the placed science targets. */
  prioritySum: number;
  /** Time inside the window not covered by blocks, seconds. */
  idleS: number;
  popChanges: number;
  sharedCalibrators: number;
  /** Objective value of the plan (docs/planner.md "Objective"); absent in plans saved before #10. */
  value?: number;
  /** Upper bound on the objective over the same candidates and grid (Lagrangian dual); ≥ value. */
  bound?: number;
  /** Sum of the NSS weights of the placed science targets (priority weight, ×1.2 started). */
  nssWeight?: number;
}

/** The scheduler's answer. */
export interface PlanResult {
  blocks: PlannedBlock[];
  leftOut: LeftOut[];
  stats: PlanStats;
  /** Shadow targets (`PlanInput.shadows`) that would fit in this plan: give them calibrators and plan again. */
  wouldFit?: string[];
  /** One line per sequence, in time order: why it is there (priority, value, PoP stretch, hour angle). */
  order?: string[];
}
