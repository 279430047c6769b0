/** Contract of the calibrators domain: methods and events. */
import { z } from 'zod';
import { calibratorPolicySchema, type CalibratorPolicy } from '../calibrators/policy';
import type { CalibratorFlag, CalibratorProposal, DiameterTier, ObservableWindow } from '../calibrators/types';
import type { CalibratorAssociation as SurveyCalibratorAssociation } from '../model/survey';
import { defineEvent, defineMethod, type EventMap, type MethodMap } from './define';

/** A calibrator assigned to a science target (row of `calibrator_associations`), with its catalogue key. */
export interface CalibratorAssociation extends SurveyCalibratorAssociation {
  /** Catalogue key of the star ("HIP 1234"), kept in `source` as "calibrators: HIP 1234, …". */
  key: string | null;
  notes: string | null;
  updatedAtMs: number;
}

/** An entry of the bad-calibrator list (the team's or JMMC's). */
export interface BadCalibrator {
  id: string;
  name: string;
  hd: string | null;
  hip: string | null;
  raDeg: number | null;
  decDeg: number | null;
  night: string | null;
  reason: string;
  source: string;
  updatedAtMs: number;
}

/** What an import did, row by row summarised. */
export interface CalibratorImportReport {
  kind: CalibratorImportKind;
  file: string;
  total: number;
  added: number;
  updated: number;
  unchanged: number;
  skipped: Array<{ row: number; name: string; reason: string }>;
}

/** Kinds of files `calibrators.import` reads. */
export const calibratorImportKinds = ['jsdc', 'searchcal', 'badcal', 'spica-primary'] as const;
/** One of `calibratorImportKinds`. */
export type CalibratorImportKind = (typeof calibratorImportKinds)[number];

/** State of the calibrator service, for the provenance footer and the settings screen. */
export interface CalibratorStatus {
  starCount: number;
  backboneBuiltAt: string;
  importedRowCount: number;
  imports: Array<{ kind: string; file: string; importedAtMs: number; rows: number }>;
  badCalCount: number;
  isWarm: boolean;
  /** What the first open moved from the legacy imports.json / exclusions setting, or why it could not. */
  legacyMigration: string | null;
}

/** A catalogue star found by name. */
export interface ResolvedStar {
  key: string;
  name: string;
  hd: number | null;
  hip: number | null;
  raDeg: number;
  decDeg: number;
  vmag: number | null;
  spType: string;
  /** Canonical names it answers to. */
  names: string[];
}

/** One calibrator chosen for a science target by `calibrators.forTargets`. */
export interface CalibratorPick {
  key: string;
  name: string;
  hd: number | null;
  hip: number | null;
  raDeg: number;
  decDeg: number;
  vmag: number | null;
  rmag: number | null;
  tier: DiameterTier | null;
  udMas: number | null;
  eUdMas: number | null;
  /** V² at SPICA's bluest channel and the night's longest baseline. */
  vis2: number | null;
  score: number | null;
  isPrimary: boolean;
  isAssigned: boolean;
  isPinned: boolean;
  /** False only when `allowUnvetted` asked for stars that failed a veto; `flags` then says which. */
  isVetted: boolean;
  flags: CalibratorFlag[];
  observable: ObservableWindow | null;
}

/** The calibrators of one science target for a night. */
export interface TargetCalibrators {
  /** The caller's key for the target (e.g. its id). */
  key: string;
  targetId: string | null;
  /** Where the picks came from: team assignments, the engine, unvetted fill-ins, or nothing. */
  source: 'assigned' | 'proposed' | 'assigned+proposed' | 'unvetted' | 'none';
  calibrators: CalibratorPick[];
  baselineM: number;
  /** The preset refused a list (NSS: more than 50 secondaries), with why. */
  refusal: string | null;
  /** The target's own observable window on the night (MJD), null when never observable. */
  windowMjd: [number, number] | null;
}

/** Result of `calibrators.forTargets`. */
export interface CalibratorsForTargets {
  night: string;
  stations: string[];
  pops: string;
  preset: 'spica-companion' | 'nss-2025';
  targets: TargetCalibrators[];
  /** Wall time spent (ms), for the planner's log. */
  elapsedMs: number;
}

/** Parameters of `calibrators.forTargets` (also the registry API the planner calls). */
export const forTargetsParams = z.object({
  targets: z
    .array(
      z.object({
        key: z.string().min(1),
        targetId: z.string().optional(),
        name: z.string().default(''),
        raDeg: z.number().min(0).lt(360),
        decDeg: z.number().min(-90).max(90),
        vmag: z.number().nullable().optional(),
        rmag: z.number().nullable().optional(),
        spType: z.string().nullable().optional(),
      }),
    )
    .max(20000),
  night: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  stations: z.array(z.string()).min(2).max(6),
  /** 'auto' (best per star) or one digit per station. */
  pops: z.string().regex(/^(auto|[1-5]{2,6})$/).default('auto'),
  minElevationDeg: z.number().min(0).max(90).optional(),
  twilightDeg: z.number().min(-20).max(0).optional(),
  useDelayLines: z.boolean().optional(),
  /** How many calibrators per target (assigned ones first). */
  count: z.number().int().min(1).max(20).default(3),
  /** Fill targets that lack vetted calibrators with the nearest stars that failed a veto, marked `isVetted: false`. */
  allowUnvetted: z.boolean().default(false),
});

const starRef = z.object({
  key: z.string().min(1),
  name: z.string().min(1),
  hd: z.number().int().nullable().optional(),
  hip: z.number().int().nullable().optional(),
  raDeg: z.number().min(0).max(360),
  decDeg: z.number().min(-90).max(90),
  vmag: z.number().nullable().optional(),
  udMas: z.number().nullable().optional(),
  eUdMas: z.number().nullable().optional(),
  tier: z.string().optional(),
});

/** Methods of the calibrators domain. */
export const calibratorsMethods = {
  'calibrators.propose': defineMethod<CalibratorProposal>()({
    doc: 'Rank calibrators for a survey target (targetId) or a position (raDeg/decDeg, vmag/rmag): candidates with tier, θ_UD, V² per SPICA channel at the night\'s longest baseline, score terms and warnings; vetoed stars with their rule; provenance.',
    params: z
      .object({
        targetId: z.string().optional(),
        name: z.string().optional(),
        raDeg: z.number().min(0).lt(360).optional(),
        decDeg: z.number().min(-90).max(90).optional(),
        vmag: z.number().optional(),
        rmag: z.number().optional(),
        spType: z.string().optional(),
        /** Local date of the evening, YYYY-MM-DD: enables the observable window and projected baselines. */
        night: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
        /** CHARA stations of the configuration, e.g. ["S1","E1"]; default all six. */
        stations: z.array(z.string()).min(2).max(6).optional(),
        /** PoPs: 'auto' (best per star) or one digit per station; used for the calibrators' observable windows. */
        pops: z.string().regex(/^(auto|[1-5]{2,6})$/).optional(),
        /** Largest number of rejected stars listed (nearest first; user-marked stars always listed). */
        maxRejected: z.number().int().min(0).max(100000).optional(),
        /** Longest baseline (m) to use when no night is given. */
        baselineM: z.number().positive().max(400).optional(),
      })
      .refine((p) => p.targetId !== undefined || (p.raDeg !== undefined && p.decDeg !== undefined), {
        message: 'give targetId, or raDeg and decDeg',
      }),
  }),
  'calibrators.associations': defineMethod<CalibratorAssociation[]>()({
    doc: 'Calibrators assigned to a target (not deleted), pinned first.',
    params: z.object({ targetId: z.string().min(1) }),
  }),
  'calibrators.assign': defineMethod<CalibratorAssociation>()({
    doc: 'Assign a proposed star as calibrator of a target; assigning the same star twice returns the existing association.',
    params: z.object({
      targetId: z.string().min(1),
      star: starRef,
      kind: z.enum(['primary', 'secondary']).default('secondary'),
      isPinned: z.boolean().default(false),
      notes: z.string().optional(),
    }),
  }),
  'calibrators.unassign': defineMethod<{ id: string }>()({
    doc: 'Remove an association (tombstoned for sync).',
    params: z.object({ id: z.string().min(1) }),
  }),
  'calibrators.pin': defineMethod<CalibratorAssociation>()({
    doc: 'Pin or unpin an assigned calibrator: pinned ones rank first in proposals.',
    params: z.object({ id: z.string().min(1), isPinned: z.boolean() }),
  }),
  'calibrators.exclude': defineMethod<{ targetId: string; excludedKeys: string[] }>()({
    doc: 'Exclude (or re-include) a star for one target; excluded stars appear under Rejected with rule "excluded".',
    params: z.object({ targetId: z.string().min(1), key: z.string().min(1), isExcluded: z.boolean() }),
  }),
  'calibrators.forTargets': defineMethod<CalibratorsForTargets>()({
    doc: 'Ranked, vetted calibrators with their observable windows for many science targets of one night, configuration and PoPs (assignments first, BadCal, policy/preset, imports and exclusions honoured). Unvetted stars only with allowUnvetted, marked isVetted: false.',
    params: forTargetsParams,
  }),
  'calibrators.resolve': defineMethod<ResolvedStar>()({
    doc: 'The catalogue star a name designates (HD/HIP/HR numbers, SIMBAD names, Bayer and Flamsteed designations, GCVS names); not-found when none.',
    params: z.object({ name: z.string().min(1).max(200) }),
  }),
  'calibrators.markBad': defineMethod<BadCalibrator>()({
    doc: 'Add a star to the team\'s bad-calibrator list, with the night and the reason. Without hd/hip/ra/dec the name is resolved to its catalogue star; a name that matches none is refused.',
    params: z.object({
      name: z.string().min(1),
      hd: z.number().int().nullable().optional(),
      hip: z.number().int().nullable().optional(),
      raDeg: z.number().min(0).max(360).nullable().optional(),
      decDeg: z.number().min(-90).max(90).nullable().optional(),
      night: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().optional(),
      reason: z.string().min(1),
    }),
  }),
  'calibrators.unmarkBad': defineMethod<{ id: string }>()({
    doc: 'Remove an entry of the local bad-calibrator list (tombstoned).',
    params: z.object({ id: z.string().min(1) }),
  }),
  'calibrators.badList': defineMethod<BadCalibrator[]>()({
    doc: 'The bad-calibrator list: local entries and the imported JMMC BadCal snapshot.',
    params: z.object({}),
  }),
  'calibrators.import': defineMethod<CalibratorImportReport>()({
    doc: 'Import a JSDC VOTable, a SearchCal .scvot, the JMMC BadCal list (CSV or VOTable) or a SPICA primary-calibrator CSV, from a path or from its text; idempotent: re-importing reports rows as unchanged.',
    params: z
      .object({
        kind: z.enum(calibratorImportKinds),
        path: z.string().optional(),
        content: z.string().optional(),
        fileName: z.string().optional(),
      })
      .refine((p) => p.path !== undefined || p.content !== undefined, { message: 'give path or content' }),
  }),
  'calibrators.policy.get': defineMethod<CalibratorPolicy>()({
    doc: 'The saved calibrator-selection policy (defaults from the calibrator note §6).',
    params: z.object({}),
  }),
  'calibrators.policy.set': defineMethod<CalibratorPolicy>()({
    doc: 'Change some policy fields (validated) and save them; returns the whole policy. `reset: true` restores the defaults.',
    params: z.object({ patch: calibratorPolicySchema.partial().default({}), reset: z.boolean().default(false) }),
  }),
  'calibrators.status': defineMethod<CalibratorStatus>()({
    doc: 'Size and provenance of the calibrator catalogue (backbone, imports, BadCal).',
    params: z.object({}),
  }),
} satisfies MethodMap;

/** Events of the calibrators domain. */
export const calibratorsEvents = {
  'calibrators.importProgress': defineEvent<{ fileName: string; kind: CalibratorImportKind; phase: 'parsing' | 'writing' | 'done'; done: number; total: number }>(
    'Progress of a running catalogue import (JSDC, SearchCal, SPICA primary list), sent while the rows are written in the import worker.',
  ),
  'calibrators.changed': defineEvent<{ what: 'associations' | 'badcal' | 'imports' | 'policy' | 'exclusions'; targetId?: string }>(
    'Associations, the bad-calibrator list, imported catalogues, exclusions or the policy changed.',
  ),
} satisfies EventMap;
