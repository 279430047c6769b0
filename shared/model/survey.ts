/** Domain types of the survey: targets, programmes, observations, as the API carries them. */
import type { FinalPriority } from '../nss/rules';

/** A target's membership of one programme (SPICA-DB work package). */
export interface Membership {
  /** Programme code, e.g. S01. */
  programme: string;
  pi: string | null;
  /** NSS PI priority: 0 = high, 1 = low, null when SPICA-DB gives none (unranked by the PI). */
  piPriority: number | null;
  mode: string | null;
  comments: string | null;
  /** 1 for the first programme, 2 for the second. */
  rank: number;
}

/** One row of the Survey table. */
export interface TargetSummary {
  id: string;
  name: string;
  spicadbId: string | null;
  raDeg: number;
  decDeg: number;
  vmag: number | null;
  hmag: number | null;
  spType: string | null;
  /** SPICA mode of the first programme (or the target's own). */
  mode: string | null;
  programmes: Membership[];
  /** Completion 0..1 used to rank and plan: SPICA-DB's, or the provisional one while it is ahead (see `completionDatabase`). */
  completionRate: number;
  /**
   * Present when `completionRate` is provisional (observations logged here, not yet counted by the
   * QC): SPICA-DB's own value.
   */
  completionDatabase?: number;
  /** Present when a complete SPICA-DB snapshot no longer lists this target: when that was seen (ISO). */
  withdrawnAt?: string;
  /** NSS final priority 1 (observe first) … 4; null when NSS cannot rank it (a mode NSS does not select). */
  finalPriority: FinalPriority | null;
  observationCount: number;
  /** Night (YYYY-MM-DD) of the latest observation, null if never observed. */
  lastObservedNight: string | null;
  isDemo: boolean;
}

/** One entry of a target's observing log. */
export interface ObservationEntry {
  id: string;
  targetId: string;
  night: string;
  utStart: string;
  utEnd: string;
  configuration: string | null;
  pops: string | null;
  mode: string | null;
  outcome: 'done' | 'failed' | 'partial';
  isValidated: boolean;
  seeingArcsec: number | null;
  conditions: string | null;
  notes: string | null;
  observer: string | null;
}

/** A calibrator associated with a science target. */
export interface CalibratorAssociation {
  id: string;
  targetId: string;
  calibratorName: string;
  hd: string | null;
  hip: string | null;
  raDeg: number;
  decDeg: number;
  vmag: number | null;
  uddMas: number | null;
  uddErrMas: number | null;
  kind: 'primary' | 'secondary';
  source: string | null;
  isPinned: boolean;
}

/** Everything about one target, for the detail drawer. */
export interface TargetDetail extends TargetSummary {
  mainId: string | null;
  hd: string | null;
  hip: string | null;
  gaiaId: string | null;
  pmRaMasYr: number | null;
  pmDecMasYr: number | null;
  parallaxMas: number | null;
  rmag: number | null;
  jmag: number | null;
  kmag: number | null;
  lddMas: number | null;
  lddErrMas: number | null;
  source: string | null;
  extra: Record<string, string>;
  observations: ObservationEntry[];
  calibrators: CalibratorAssociation[];
}

/** Filter of the Survey table; every field optional, all given ones must hold. */
export interface TargetFilter {
  text?: string;
  programmes?: string[];
  pis?: string[];
  modes?: string[];
  finalPriorities?: number[];
  vmagMin?: number;
  vmagMax?: number;
  decMinDeg?: number;
  decMaxDeg?: number;
  isDemo?: boolean;
}

/** How an import found the existing target of a row (see electron/db/repos/targets.ts). */
export type ImportMatchRule = 'spicadb-id' | 'position+identifier';

/** Outcome of one import. */
export interface ImportReport {
  fileName: string;
  format: string;
  added: number;
  updated: number;
  unchanged: number;
  /** Rows refused while reading (bad or implausible values), with the reason. */
  skipped: Array<{ row: number; name: string | null; reason: string }>;
  /** Each updated row: the target it updated and the rule that matched it. */
  matches: Array<{
    row: number;
    name: string;
    targetId: string;
    targetName: string;
    rule: ImportMatchRule;
    /** Separation from the target for a position match, arcsec. */
    separationArcsec: number | null;
    /** The normalised identifier both share, for a position match. */
    identifier: string | null;
  }>;
  /** Matched rows (updated or unchanged) per rule. */
  matchedBy: Record<ImportMatchRule, number>;
  /** Rows not written because they matched several targets, or one another row already matched. */
  ambiguous: Array<{ row: number; name: string; reason: string; candidates: Array<{ id: string; name: string; separationArcsec: number }> }>;
  /** Rows written with a remark (near a demo twin, near another target with no identifier in common). */
  warnings: Array<{ row: number; name: string; message: string }>;
  /** Remarks on the whole file (a truncated TAP result, extra tables). */
  notices: string[];
  /** The recorded batch (`companion imports`), revertible as a whole; null when nothing was written. */
  batchId: string | null;
  durationMs: number;
}

/** One recorded import (or other revertible batch) as `companion imports` lists it. */
export interface ImportBatch {
  id: string;
  kind: 'import' | 'demo' | 'demo-remove' | 'delete' | 'revert';
  /** The imported file's name, or what was done. */
  file: string;
  /** When, ISO 8601. */
  at: string;
  added: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** Whether it has been reverted. */
  reverted: boolean;
  /** Whether it can still be reverted (not reverted, not a revert, change record not compacted). */
  isRevertible: boolean;
}
