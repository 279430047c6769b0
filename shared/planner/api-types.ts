/**
 * What the planner's API carries: plain JSON views of a plan (times as ISO 8601 UTC strings), the
 * night's candidates and the plan-versus-observed comparison.
 */
import type { BlockKind, BlockStatus, CalibratorSource, LeftOut, PlanSettings, PlanStats } from './types';
import type { DecStrip } from './selection';
import type { FinalPriority } from '../nss/rules';

/** One block of a plan as the UI shows it. */
export interface PlanBlockView {
  id: string;
  sequenceId: string;
  kind: BlockKind;
  /** Store id of the star (or its name outside the store). */
  starKey: string;
  name: string;
  raDeg: number;
  decDeg: number;
  vmag: number | null;
  startUtc: string;
  endUtc: string;
  pops: string;
  /** Names of the calibrators bracketing a SCI block. */
  calibrators: string[];
  /** Names of the science targets a CAL block calibrates. */
  calibrates: string[];
  status: BlockStatus;
  isPinned: boolean;
  violations: string[];
  /** Final priority of the science target of the sequence (colour of the block). */
  finalPriority: number;
  calibratorSource: CalibratorSource;
  /** For CAL blocks: the other calibrators of its science target, for a swap. */
  calibratorOptions: Array<{ key: string; name: string }>;
  /** CAL blocks: false when the star is not vetted by the Calibrators service (only with `allowUnvetted`). Added in #10. */
  isVetted?: boolean;
  /** The science target of the sequence is no longer in the survey (deleted since the plan was made). Added in #10. */
  targetRemoved?: boolean;
  /** SCI blocks: the model's predicted V² over this block (#16), when the plan used models. Added in #10. */
  vis2?: BlockVis2 | null;
}

/** Predicted V² of a science block's model at its own instants (block card). */
export interface BlockVis2 {
  vis2Min: number;
  vis2Max: number;
  /** Share of (baseline × instant × channel) samples within the bounds. */
  fractionWithin: number;
  baselinesOk: number;
  baselines: number;
  bounds: { vis2Min: number; vis2Max: number };
  /** Where the model comes from (local, SPICA-DB, fallback UD …). */
  modelNote: string;
}

/** The plan in four numbers plus the objective (Tonight's summary; CLI `summary`). */
export interface PlanSummaryView {
  science: number;
  /** Minutes of the dark window with no block (PoP changes included). */
  idleMin: number;
  popChanges: number;
  /** Objective value of the plan. */
  value: number;
  /** Upper bound on the value over the same candidates and time grid (null for plans saved before #10). */
  bound: number | null;
  /** Sum of NSS weights of the placed targets (P1 1000, P2 100, P3 10, P4 1; ×1.2 started). */
  nssWeight: number;
}

/** Sun events of the night, ISO UTC (null when the event does not happen). */
export interface NightEventsView {
  sunsetUtc: string | null;
  sunriseUtc: string | null;
  nauticalDuskUtc: string | null;
  nauticalDawnUtc: string | null;
  astroDuskUtc: string | null;
  astroDawnUtc: string | null;
}

/** Elevation of the planned stars over the night grid. */
export interface ElevationCurves {
  timesUtc: string[];
  series: Array<{ name: string; kind: BlockKind; finalPriority: number; altDeg: number[] }>;
}

/** Observability settings of a plan (the configuration). */
export interface PlanConfigView {
  stations: string[];
  /** 'auto' or one digit per station. */
  pops: string;
  minElevationDeg: number;
  twilightDeg: number;
  minMoonSepDeg: number;
  useDelayLines: boolean;
}

/** A plan as the UI and the CLI see it. */
export interface PlanView {
  id: string;
  night: string;
  name: string;
  config: PlanConfigView;
  settings: PlanSettings;
  /** Dark window of the night. */
  windowStartUtc: string;
  windowEndUtc: string;
  /** Where the last (re-)plan started. */
  fromUtc: string;
  events: NightEventsView;
  blocks: PlanBlockView[];
  leftOut: LeftOut[];
  skipped: string[];
  stats: PlanStats;
  curves: ElevationCurves;
  createdAtMs: number;
  updatedAtMs: number;
  /** Added in #10: the summary, the objective in words and "why this order" (one line per sequence). */
  summary?: PlanSummaryView;
  objective?: string;
  order?: string[];
  /** Why the plan no longer matches the survey, calibrators or models (empty when current). Added in #10. */
  stale?: string[];
  /** How the plan used calibrators and models (absent for plans saved before #10). */
  options?: { allowUnvetted: boolean; modelPolicy: 'off' | 'prefer' | 'filter' };
}

/** A saved plan in a list. */
export interface PlanSummary {
  id: string;
  night: string;
  name: string;
  configuration: string;
  scienceBlocks: number;
  doneBlocks: number;
  updatedAtMs: number;
}

/** One survey target as a candidate for the night. */
export interface CandidateRow {
  targetId: string;
  name: string;
  raDeg: number;
  decDeg: number;
  vmag: number | null;
  mode: string | null;
  programmes: string[];
  /** NSS final priority; null when NSS cannot rank the target (then `filteredOut` says so). */
  finalPriority: FinalPriority | null;
  completionRate: number;
  /** Minutes observable tonight with its best PoPs (0 = not observable). */
  observableMin: number;
  pops: string;
  /** Why the selection filter drops it (null = selected). */
  filteredOut: string | null;
}

/** The night's candidates and the declination-strip histogram. */
export interface CandidatesView {
  night: string;
  events: NightEventsView;
  rows: CandidateRow[];
  strips: DecStrip[];
  bestStrip: DecStrip | null;
}

/** One planned block against what the log says happened. */
export interface CompareRow {
  blockId: string;
  kind: BlockKind;
  name: string;
  plannedStartUtc: string;
  plannedEndUtc: string;
  status: BlockStatus;
  observedStartUtc: string | null;
  observedEndUtc: string | null;
  outcome: string | null;
}

/** Plan versus observed. */
export interface CompareView {
  planId: string;
  rows: CompareRow[];
  planned: number;
  done: number;
  failed: number;
  skipped: number;
  notObserved: number;
}
