/** Contract of the calibrators domain: methods and events. */
import { z } from 'zod';
import { calibratorPolicySchema, type CalibratorPolicy } from '../calibrators/policy';
import type { CalibratorProposal } from '../calibrators/types';
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
}

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
  'calibrators.markBad': defineMethod<BadCalibrator>()({
    doc: 'Add a star to the team\'s bad-calibrator list, with the night and the reason.',
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
  'calibrators.changed': defineEvent<{ what: 'associations' | 'badcal' | 'imports' | 'policy' | 'exclusions'; targetId?: string }>(
    'Associations, the bad-calibrator list, imported catalogues, exclusions or the policy changed.',
  ),
} satisfies EventMap;
