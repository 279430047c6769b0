/** Contract of the planner domain: tonight's candidates, the plan, re-planning, overrides and the log. */
import { z } from 'zod';
import type { CandidatesView, CompareView, PlanSummary, PlanView } from '../planner/api-types';
import { defineEvent, defineMethod, type EventMap, type MethodMap } from './define';

const nightSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'night must be YYYY-MM-DD (local date of the evening)');
const isoSchema = z.string().min(16).max(40);

/** Configuration and constraints of the night (observability). */
export const planConfigSchema = z
  .object({
    stations: z.array(z.enum(['S1', 'S2', 'E1', 'E2', 'W1', 'W2'])).min(2).max(6).default(['S1', 'S2', 'E1', 'E2', 'W1', 'W2']),
    /** 'auto' = best PoPs per target (the planner also tries the most common sets), or one digit 1-5 per station. */
    pops: z.string().regex(/^(auto|[1-5]{2,6})$/).default('auto'),
    minElevationDeg: z.number().min(0).max(89).default(30),
    /** Sun altitude ending the night: −18 astronomical (default), −12 nautical. */
    twilightDeg: z.number().min(-24).max(0).default(-18),
    minMoonSepDeg: z.number().min(0).max(90).default(5),
    useDelayLines: z.boolean().default(true),
  })
  .strict();

/** Time budget and bracketing (scheduler settings). */
export const planSettingsSchema = z
  .object({
    pointS: z.number().positive().max(7200).default(600),
    pointsPerTarget: z.number().int().min(1).max(10).default(1),
    calPointsPerVisit: z.number().int().min(1).max(10).default(1),
    acquisitionS: z.number().min(0).max(7200).default(600),
    bracket: z.enum(['CAL-SCI-CAL', 'none']).default('CAL-SCI-CAL'),
    shareCalibrators: z.boolean().default(true),
    slewRateDegPerS: z.number().min(0).max(10).default(0),
    popChangeS: z.number().min(0).max(7200).default(900),
    maxCalibratorsTried: z.number().int().min(1).max(10).default(3),
  })
  .strict();

/** NSS-style selection of the night's targets. */
export const selectionSchema = z
  .object({
    programmes: z.array(z.string()).optional(),
    modes: z.array(z.string()).optional(),
    maxFinalPriority: z.number().int().min(1).max(4).optional(),
    vMin: z.number().optional(),
    vMax: z.number().optional(),
    decMinDeg: z.number().min(-90).max(90).optional(),
    decMaxDeg: z.number().min(-90).max(90).optional(),
  })
  .strict();

/** How the plan uses the Calibrators service and the models (#10, #16). */
export const planOptionsSchema = z
  .object({
    /**
     * Schedule a target whose every nearby star fails a veto with the nearest such star, marked
     * unvetted in the plan. Off by default: such a target is left out ("no vetted calibrator").
     */
    allowUnvetted: z.boolean().default(false),
    /** Predicted V² of the targets' models: 'prefer' (a factor 0.75–1 on the value), 'filter' (out when never within bounds), 'off'. */
    modelPolicy: z.enum(['off', 'prefer', 'filter']).default('prefer'),
  })
  .strict();
/** One logged block of a plan with what the observing log holds for it. */
export interface PlanLogEntry {
  blockId: string;
  kind: 'SCI' | 'CAL';
  name: string;
  /** Survey id of a SCI block's target (a CAL block's star key). */
  starKey: string;
  status: 'done' | 'failed' | 'skipped';
  plannedStartUtc: string;
  plannedEndUtc: string;
  /** The observation of a done/failed SCI block (null for CAL and skipped blocks). */
  observationId: string | null;
  utStartUtc: string | null;
  utEndUtc: string | null;
  seeingArcsec: number | null;
  notes: string | null;
  /** The target's completion just before and after this entry, as the log replays it (null when it did not count or the database's value was rewritten since). */
  completionBefore: number | null;
  completionAfter: number | null;
}

/** What an undo or a correction of the log returns. */
export interface LogChange {
  plan: PlanView;
  /** The target's completion now (null for CAL blocks). */
  completionRate: number | null;
  /** False when an import or a sync rewrote the completion since the entry: it was left as it is. */
  isRecomputed: boolean;
}

export const plannerMethods = {
  'planner.candidates': defineMethod<CandidatesView>()({
    doc: "Survey targets for a night with their observable minutes, why the selection drops them, and the histogram of observable P1–P2 targets per 5° Dec strip with the best strip.",
    params: z.object({ night: nightSchema, config: planConfigSchema.default(planConfigSchema.parse({})), selection: selectionSchema.default({}) }).strict(),
  }),
  'planner.plan': defineMethod<PlanView>()({
    doc: 'Plan a night (CAL–SCI–CAL sequences of the selected survey targets) from dusk, or from `fromUtc`; saves it and returns it.',
    params: z
      .object({
        night: nightSchema,
        config: planConfigSchema.default(planConfigSchema.parse({})),
        settings: planSettingsSchema.default(planSettingsSchema.parse({})),
        selection: selectionSchema.default({}),
        fromUtc: isoSchema.optional(),
        name: z.string().min(1).max(200).optional(),
        options: planOptionsSchema.default(planOptionsSchema.parse({})),
        /** Names this run in `planner.progress` events and for `planner.cancel`. */
        requestId: z.string().min(1).max(100).optional(),
      })
      .strict(),
  }),
  'planner.cancel': defineMethod<{ cancelled: boolean }>()({
    doc: 'Stop a running `planner.plan` (or a re-plan that rebuilds a stale plan) by its requestId; it then fails with "planning was cancelled" and nothing is saved.',
    params: z.object({ requestId: z.string().min(1).max(100) }).strict(),
  }),
  'planner.get': defineMethod<PlanView>()({
    doc: 'One saved plan.',
    params: z.object({ planId: z.string().min(1) }).strict(),
  }),
  'planner.latest': defineMethod<PlanView | null>()({
    doc: 'The most recently changed plan of a night, or null.',
    params: z.object({ night: nightSchema }).strict(),
  }),
  'planner.replan': defineMethod<PlanView>()({
    doc: 'Re-plan the rest of the night from `fromUtc` (default now): done, failed and pinned blocks stay, the rest is planned again with current priorities. A stale plan (see `PlanView.stale`) is first rebuilt from the current survey, calibrators and models (progress on `planner.progress` with `requestId`).',
    params: z.object({ planId: z.string().min(1), fromUtc: isoSchema.optional(), requestId: z.string().min(1).max(100).optional() }).strict(),
  }),
  'planner.override': defineMethod<{ isApplied: boolean; violations: string[]; plan: PlanView }>()({
    doc: 'Manual override: pin/unpin a sequence, skip/unskip a target, move a sequence to a start time, or swap the star of a CAL block. An override that breaks a constraint is refused with its reasons unless `force` is set.',
    params: z
      .object({
        planId: z.string().min(1),
        action: z.enum(['pin', 'unpin', 'skip', 'unskip', 'move', 'swapCalibrator']),
        sequenceId: z.string().optional(),
        blockId: z.string().optional(),
        startUtc: isoSchema.optional(),
        calibratorKey: z.string().optional(),
        force: z.boolean().default(false),
        fromUtc: isoSchema.optional(),
      })
      .strict(),
  }),
  'planner.logBlock': defineMethod<{ plan: PlanView; observationId: string | null; completionRate: number | null }>()({
    doc: 'Log a block as done, failed or skipped (with conditions and notes). Done/failed SCI blocks become observations in the store (done moves completion by the NSS increment of the mode); with `replan` the rest of the night is re-planned from the block end.',
    params: z
      .object({
        planId: z.string().min(1),
        blockId: z.string().min(1),
        outcome: z.enum(['done', 'failed', 'skipped']),
        seeingArcsec: z.number().positive().max(20).optional(),
        conditions: z.string().max(500).optional(),
        notes: z.string().max(2000).optional(),
        observer: z.string().max(200).optional(),
        replan: z.boolean().default(false),
      })
      .strict(),
  }),
  'planner.savePlan': defineMethod<PlanSummary>()({
    doc: 'Rename a plan (every change is saved already).',
    params: z.object({ planId: z.string().min(1), name: z.string().min(1).max(200) }).strict(),
  }),
  'planner.listPlans': defineMethod<PlanSummary[]>()({
    doc: 'Saved plans, newest first, optionally of one night.',
    params: z.object({ night: nightSchema.optional() }).strict(),
  }),
  'planner.model': defineMethod<PlanModelView>()({
    doc: "The optimisation problem of the plan's last (re-)plan as a 0–1 integer program in CPLEX LP text (same candidates, options and time grid), for an independent solver such as HiGHS; `value` is the plan's objective and `bound` the optimiser's own upper bound.",
    params: z.object({ planId: z.string().min(1) }).strict(),
  }),
  'planner.log': defineMethod<PlanLogEntry[]>()({
    doc: "The plan's log: every block logged done, failed or skipped, latest first, with its observation (times, seeing, notes) and the target's completion before and after it.",
    params: z.object({ planId: z.string().min(1) }).strict(),
  }),
  'planner.undoLog': defineMethod<LogChange>()({
    doc: 'Undo the log of one block: it is planned again, its observation is withdrawn and the target\'s completion recomputed as if it had never been logged.',
    params: z.object({ planId: z.string().min(1), blockId: z.string().min(1) }).strict(),
  }),
  'planner.correctLog': defineMethod<LogChange>()({
    doc: "Correct the log of one block (outcome, UT times, seeing, notes) through the same write path; a changed outcome recomputes the target's completion.",
    params: z
      .object({
        planId: z.string().min(1),
        blockId: z.string().min(1),
        outcome: z.enum(['done', 'failed', 'skipped']).optional(),
        utStartUtc: isoSchema.optional(),
        utEndUtc: isoSchema.optional(),
        seeingArcsec: z.number().positive().max(20).nullable().optional(),
        notes: z.string().max(2000).nullable().optional(),
      })
      .strict(),
  }),
  'planner.compare': defineMethod<CompareView>()({
    doc: 'A plan against the observing log: per block, planned times and what was observed.',
    params: z.object({ planId: z.string().min(1) }).strict(),
  }),
} satisfies MethodMap;

/** A plan's optimisation problem for an independent solver (`planner.model`). */
export interface PlanModelView {
  /** CPLEX LP text; variable `x<i>` is option i (one placement of a sequence or a chain). */
  lp: string;
  options: number;
  slots: number;
  popSets: number;
  /** Minutes per slot. */
  stepMin: number;
  value: number;
  bound: number | null;
}

/** Progress of a running plan. */
export interface PlanProgress {
  requestId: string | null;
  night: string;
  phase: 'observing' | 'calibrators' | 'planning' | 'done' | 'cancelled' | 'failed';
  done: number;
  total: number;
  /** One line for the UI ("calibrators for 120 of 253 targets"). */
  message: string;
}

export const plannerEvents = {
  'planner.changed': defineEvent<{ planId: string; night: string }>('A plan was made, re-planned, overridden or logged.'),
  'planner.progress': defineEvent<PlanProgress>('Progress of a running plan, with counts (targets observed, calibrators fetched, plan built).'),
  'planner.stale': defineEvent<{ planId: string; night: string; reasons: string[] }>(
    'A saved plan no longer matches the survey, the calibrators (bad star, policy, imports, assignments) or the models it was made from: re-plan it.',
  ),
} satisfies EventMap;
