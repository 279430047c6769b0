/**
 * The planner domain service: implements `plannerMethods` of the contract. A plan is a document
 * saved whole after every change (plans repo). Planning a night runs in stages
 * (`orchestrate.ts`): the night's observability and plausible targets on the planner's worker
 * thread, their calibrators from the store's one Calibrators service (`ctx.peers.calibrators`,
 * batched and cached), then the optimisation on the worker again — with `planner.progress` events
 * and `planner.cancel`. The survey comes from the survey service's summary cache
 * (`ctx.peers.survey`). A plan records what it was made from and says when it is stale.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../../../shared/contract/define';
import type { PlanProgress, planConfigSchema, planOptionsSchema, plannerMethods, planSettingsSchema, selectionSchema } from '../../../shared/contract/planner';
import { computeNightObservability, defaultObservabilityOptions } from '../../../shared/astro/observability';
import { isoFromMjd, mjdFromIso, mjdFromMs } from '../../../shared/astro/time';
import type { ObservabilityOptions, StationName } from '../../../shared/astro/types';
import { DEFAULT_VIS2_BOUNDS, type ObjectModel, type Vis2Bounds } from '../../../shared/models';
import type { BlockVis2, CandidatesView, PlanSummary, PlanView } from '../../../shared/planner/api-types';
import { vis2Over } from '../../../shared/planner/model-fit';
import type { CalibratorChoice, TargetMeta } from '../../../shared/planner/night-input';
import type { ModelPolicy, PrepareJob } from '../../../shared/planner/pipeline';
import { moveSequence, pinSequence, replanInput, swapCalibrator, type Explain } from '../../../shared/planner/replan';
import type { PlanLogEntry } from '../../../shared/contract/planner';
import { decStrips, selectionReason, type SelectionFilter } from '../../../shared/planner/selection';
import { hhmmUtc, planProblem } from '../../../shared/planner/scheduler';
import { lpModel } from '../../../shared/planner/ip-model';
import type { LeftOut, MjdInterval, PlanCandidate, PlanSettings, PlanStats, PlannedBlock, SiderealTable } from '../../../shared/planner/types';
import { blockViews, elevationCurves, nightEventsView, sequenceInfo, summaryView, type SequenceInfo } from '../../../shared/planner/view';
import { objectiveText } from '../../../shared/planner/objective';
import { Why } from '../../../shared/astro/types';
import type { TargetSummary } from '../../../shared/model/survey';
import { isSelectableByCompletion, type FinalPriority } from '../../../shared/nss/rules';
import { effectiveCompletion } from '../../../shared/sync/provisional';
import type { z } from 'zod';
import { completionAround, correctObservation, insertObservation, recordObservation, undoObservation, type CompletionChange } from '../../db/repos/observations';
import { getPlan, listPlans, planTimes, savePlan, type PlanRow } from '../../db/repos/plans';
import { readSetting } from '../../db/repos/settings';
import { resolveRowModel, targetModelRow, type TargetModelRow } from '../../db/repos/target-models';
import type { DomainService, PlannerApi, ServiceContext } from '../context';
import { CalibratorCache, type CalibratorQuery } from './calibrator-cache';
import { HourAngleCache } from './hour-angles';
import { orchestrate } from './orchestrate';
import { packLeftOut, unpackLeftOut, type PackedLeftOut } from './plan-doc';
import { PlanRunner, type JobHandle } from './plan-runner';
import { basisNow, staleReasons, WATCHED_ENTITIES, type PlanBasis } from './staleness';

type PlanConfig = z.output<typeof planConfigSchema>;
type Selection = z.output<typeof selectionSchema>;
type Settings = z.output<typeof planSettingsSchema>;
type PlanOptions = z.output<typeof planOptionsSchema>;

/** Plausible targets kept per (PoP set, slot) before asking calibrators (see `plausibleTargets`). */
const PER_SLOT = 6;
/** PoP sets in the night's pool. */
const POP_POOL = 12;
/** Wavelength of the models' fallback uniform disk (µm): the middle of SPICA's band. */
const MODEL_LAMBDA_UM = 0.75;

/** The saved document of a plan (plans.options_json + plans.blocks_json; `leftOut` saved packed, see plan-doc.ts). */
interface PlanDoc {
  config: PlanConfig;
  settings: PlanSettings;
  selection: Selection;
  skipped: string[];
  fromMjd: number;
  windowStartMjd: number;
  windowEndMjd: number;
  blocks: PlannedBlock[];
  leftOut: LeftOut[];
  stats: PlanStats;
  info: Record<string, SequenceInfo>;
  /** Since #10: calibrator and model options, what the plan was made from, "why this order", block V². */
  options?: PlanOptions;
  basis?: PlanBasis;
  order?: string[];
  blockVis2?: Record<string, BlockVis2>;
}

/** What a plan was prepared from, kept in memory for re-plans and overrides. */
interface Prepared {
  job: PrepareJob;
  choices: Array<[number, CalibratorChoice]>;
  models: Array<[number, ObjectModel]>;
  modelNotes: Map<string, string>;
  candidates: PlanCandidate[];
  /** Names `candidates` in the planner's thread: a re-plan on the same ones does not get them back. */
  candidatesId: string;
  window: MjdInterval;
  sidereal: SiderealTable;
}

interface LivePlan {
  id: string;
  night: string;
  name: string;
  createdAtMs: number;
  updatedAtMs: number;
  doc: PlanDoc;
  prepared: Prepared | null;
  /** Stale reasons last announced (so `planner.stale` fires once per change). */
  announced: string;
}

const WHY_TEXT: Array<[number, string]> = [
  [Why.twilight, 'Sun above the twilight limit'],
  [Why.minElevation, 'below the minimum elevation'],
  [Why.maxElevation, 'above the maximum elevation'],
  [Why.horizon, 'behind a telescope horizon'],
  [Why.moon, 'too close to the Moon'],
  [Why.delayLine, 'out of delay-line reach with these PoPs'],
];

function observabilityOptions(night: string, config: PlanConfig): ObservabilityOptions {
  return defaultObservabilityOptions(night, {
    stations: config.stations as StationName[],
    pops: config.pops,
    minElevationDeg: config.minElevationDeg,
    twilightDeg: config.twilightDeg,
    minMoonSepDeg: config.minMoonSepDeg,
    useDelayLines: config.useDelayLines,
  });
}

/** A survey target NSS ranks. */
type RankedTarget = TargetSummary & { finalPriority: FinalPriority };

function toMeta(t: RankedTarget, preferredHaH: number | undefined): TargetMeta {
  return {
    key: t.id,
    name: t.name,
    raDeg: t.raDeg,
    decDeg: t.decDeg,
    vmag: t.vmag,
    finalPriority: t.finalPriority,
    piPriority: t.programmes[0]?.piPriority ?? 1,
    isStarted: isStarted(t.completionRate),
    preferredHaH: preferredHaH ?? null,
  };
}

/** A target is started once some but not all of it is done. */
function isStarted(completionRate: number): boolean {
  return completionRate > 0 && completionRate < 1;
}

function summaryOf(row: { id: string; night: string; name: string; configuration: string; updatedAtMs: number }, doc: PlanDoc): PlanSummary {
  return {
    id: row.id,
    night: row.night,
    name: row.name,
    configuration: row.configuration,
    scienceBlocks: doc.blocks.filter((b) => b.kind === 'SCI').length,
    doneBlocks: doc.blocks.filter((b) => b.status === 'done').length,
    updatedAtMs: row.updatedAtMs,
  };
}

export function createPlannerService(ctx: ServiceContext): DomainService<typeof plannerMethods> & { api: PlannerApi } {
  const { store } = ctx;
  const summaries = () => {
    const s = ctx.peers.survey?.summaries;
    if (!s) throw new ApiError('unavailable', 'the survey service is not available to the planner');
    return s;
  };
  const calibrators = new CalibratorCache(() => ctx.peers.calibrators);
  const runner = new PlanRunner(ctx.transport === 'cli' ? 'inline' : 'worker');
  const live = new Map<string, LivePlan>();
  const running = new Map<string, { cancel(): void }>();

  const vis2Bounds = (): Vis2Bounds => readSetting(store, 'models.vis2Bounds', DEFAULT_VIS2_BOUNDS);

  // The log's mean hour angles, read again only after the log or the targets change, and then
  // only for the targets a small write of this process touched (as the survey's summary cache
  // does): every plan and re-plan asks for them.
  const hourAngles = new HourAngleCache(store);
  const preferredHa = (): ReadonlyMap<string, number> => hourAngles.current();

  /** Selected, unfinished, ranked survey targets as scheduler metadata, in id order. */
  const scienceTargets = (selection: Selection): TargetMeta[] => {
    const ha = preferredHa();
    const filter: SelectionFilter = { ...selection };
    return summaries()
      .all()
      .filter((t): t is RankedTarget => t.finalPriority !== null && isSelectableByCompletion(t.completionRate))
      .filter((t) => selectionReason({ ...t, programmes: t.programmes.map((p) => p.programme) }, filter) === null)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((t) => toMeta(t, ha.get(t.id)));
  };

  // Resolved models by target id (null: no live row). A model lives on its target's row, so the
  // cache holds until the store reports a change to targets (from any process); every plan asks
  // for the models of its few hundred plausible targets.
  const resolvedModels = new Map<string, ReturnType<typeof resolveRowModel> | null>();
  const offModels = store.onDidChange((entities) => {
    if (entities.has('targets')) resolvedModels.clear();
  });
  const resolvedModel = (id: string) => {
    let hit = resolvedModels.get(id);
    if (hit === undefined) {
      const row: TargetModelRow | undefined = targetModelRow(store, id);
      hit = row ? resolveRowModel(row, MODEL_LAMBDA_UM) : null;
      resolvedModels.set(id, hit);
    }
    return hit;
  };

  const emitProgress = (requestId: string | null, night: string, p: Omit<PlanProgress, 'requestId' | 'night'>) =>
    ctx.emit('planner.progress', { requestId, night, ...p });

  /** Build (or rebuild) a plan's preparation and plan it from `fromMjd`. */
  const planFresh = async (p: LivePlan, fromMjd: number | null, requestId: string | null): Promise<void> => {
    const { night, doc } = p;
    const options = observabilityOptions(night, doc.config);
    const targets = scienceTargets(doc.selection);
    const basis = basisNow(store);
    const job: PrepareJob = {
      // The targets' content, not the store's change sequence: saving a plan moves the sequence,
      // and a warm plan must find the night's observability in the job cache.
      key: `${night}|${JSON.stringify(doc.config)}|${JSON.stringify(doc.selection)}|${createHash('sha1').update(JSON.stringify(targets)).digest('hex')}|${targets.length}`,
      targets,
      options,
      prepare: { popPoolSize: POP_POOL },
      settings: doc.settings,
      perSlot: PER_SLOT,
    };
    const planOptions = doc.options ?? { allowUnvetted: false, modelPolicy: 'prefer' as ModelPolicy };
    let isCancelled = false;
    let current: JobHandle<unknown> | null = null;
    const handle = { cancel: () => ((isCancelled = true), current?.cancel()) };
    if (requestId) running.set(requestId, handle);
    const modelNotes = new Map<string, string>();
    const bracketed = doc.settings.bracket !== 'none';
    try {
      const result = await orchestrate({
        prepare: job,
        runner,
        everyTarget: !bracketed,
        fetch: async (indices, progress) => {
          if (!bracketed) return new Map(indices.map((i) => [i, { source: 'none' as const, calibrators: [] }]));
          const queries: CalibratorQuery[] = indices.map((i) => {
            const t = targets[i];
            const s = summaries().get(t.key);
            return { key: t.key, targetId: t.key, name: t.name, raDeg: t.raDeg, decDeg: t.decDeg, vmag: t.vmag ?? null, spType: s?.spType ?? null };
          });
          const got = await calibrators.choices(
            // The Calibrators screen's own night context (its default limits), so a star is
            // accepted here exactly when that screen accepts it for the night and stations.
            {
              night,
              stations: doc.config.stations,
              useDelayLines: doc.config.useDelayLines,
              count: doc.settings.maxCalibratorsTried,
              allowUnvetted: planOptions.allowUnvetted,
            },
            queries,
            progress,
            () => isCancelled,
          );
          const index = new Map(targets.map((t, i) => [t.key, i]));
          return new Map([...got].map(([key, c]) => [index.get(key)!, c]));
        },
        models:
          planOptions.modelPolicy === 'off'
            ? undefined
            : (indices) => {
                const out: Array<[number, ObjectModel]> = [];
                for (const i of indices) {
                  const id = targets[i].key;
                  const resolved = resolvedModel(id);
                  if (!resolved) continue;
                  modelNotes.set(id, resolved.note);
                  if (resolved.model) out.push([i, resolved.model]);
                }
                return out;
              },
        plan: {
          modelPolicy: planOptions.modelPolicy,
          vis2Bounds: vis2Bounds(),
          blocks: fromMjd === null ? [] : p.doc.blocks,
          fromMjd: fromMjd ?? -Infinity,
          settings: doc.settings,
          skippedKeys: doc.skipped,
          withShadows: bracketed,
        },
        progress: (x) => emitProgress(requestId, night, x),
        isCancelled: () => isCancelled,
        onJob: (h) => (current = h),
      });
      const { out } = result;
      p.prepared = {
        job,
        choices: result.choices,
        models: result.models,
        modelNotes,
        candidates: out.candidates,
        candidatesId: out.candidatesId,
        window: out.window,
        sidereal: out.sidereal,
      };
      doc.basis = basis;
      applyResult(p, out.result, fromMjd ?? out.window.startMjd, out.candidates);
      emitProgress(requestId, night, { phase: 'done', done: out.result.stats.scienceBlocks, total: out.result.stats.scienceBlocks, message: `${out.result.stats.scienceBlocks} science sequences planned` });
    } catch (e) {
      const wasCancelled = isCancelled || (e instanceof ApiError && e.message === 'planning was cancelled');
      emitProgress(requestId, night, { phase: wasCancelled ? 'cancelled' : 'failed', done: 0, total: 0, message: wasCancelled ? 'cancelled' : (e as Error).message });
      if (e instanceof ApiError) throw e;
      throw new ApiError('invalid-input', `night ${night}: ${(e as Error).message}`);
    } finally {
      if (requestId) running.delete(requestId);
    }
  };

  /** Whether `p` is current (nothing it was made from changed since). */
  const isCurrent = (p: LivePlan): boolean => staleReasons(store, p.doc.basis).length === 0;

  /**
   * The plan's own log, its undo and its corrections do not make it stale when it was current
   * before (a re-plan reads the new priorities anyway): its basis moves past them. Without this,
   * an observer who undid a stray log saw the plan marked stale, and the next re-plan prepared
   * the night again (calibrators and all, ~0.7 s on the 3000-target survey instead of ~0.1 s).
   */
  const keepCurrent = (p: LivePlan, wasCurrent: boolean): void => {
    if (wasCurrent && p.doc.basis) p.doc.basis = { ...p.doc.basis, seq: basisNow(store).seq };
  };

  /** Fresh priorities of the prepared targets (they move when blocks are logged). */
  const freshPriorities = (prep: Prepared) => {
    const ha = preferredHa();
    const cache = summaries();
    const out: Array<[number, Pick<TargetMeta, 'finalPriority' | 'piPriority' | 'isStarted' | 'preferredHaH'>]> = [];
    // Every prepared target on every re-plan: the four fields as `toMeta` makes them, without copying the summary.
    prep.job.targets.forEach((t, i) => {
      const s = cache.get(t.key);
      if (!s || s.finalPriority === null) return;
      const m = { finalPriority: s.finalPriority, piPriority: s.programmes[0]?.piPriority ?? 1, isStarted: isStarted(s.completionRate), preferredHaH: ha.get(s.id) ?? null };
      if (m.finalPriority !== t.finalPriority || m.isStarted !== t.isStarted || m.piPriority !== t.piPriority || m.preferredHaH !== t.preferredHaH) out.push([i, m]);
    });
    return out;
  };

  /** Re-plan the rest of `p` from `fromMjd` on its preparation, with current priorities. */
  const replanPrepared = async (p: LivePlan, fromMjd: number): Promise<void> => {
    const prep = p.prepared!;
    const planOptions = p.doc.options ?? { allowUnvetted: false, modelPolicy: 'prefer' as ModelPolicy };
    const out = await runner.plan(
      {
        prepare: prep.job,
        choices: prep.choices,
        models: prep.models,
        priorities: freshPriorities(prep),
        modelPolicy: planOptions.modelPolicy,
        vis2Bounds: vis2Bounds(),
        blocks: p.doc.blocks,
        fromMjd,
        settings: p.doc.settings,
        skippedKeys: p.doc.skipped,
        withShadows: p.doc.settings.bracket !== 'none',
        heldCandidatesId: prep.candidatesId,
      },
      () => undefined,
    ).promise;
    if (out.candidates) prep.candidates = out.candidates;
    prep.candidatesId = out.candidatesId;
    applyResult(p, out.result, fromMjd, prep.candidates);
  };

  /** A re-plan: on the kept preparation when the plan is current, else rebuilt from the store. */
  const replan = async (p: LivePlan, fromMjd: number, requestId: string | null = null): Promise<void> => {
    if (!p.prepared || staleReasons(store, p.doc.basis).length > 0 || !p.doc.basis) await planFresh(p, fromMjd, requestId);
    else await replanPrepared(p, fromMjd);
  };

  const applyResult = (p: LivePlan, result: { blocks: PlannedBlock[]; leftOut: LeftOut[]; stats: PlanStats; order?: string[] }, fromMjd: number, candidates: PlanCandidate[]) => {
    const prepared = p.prepared!;
    p.doc.blocks = result.blocks;
    p.doc.leftOut = result.leftOut;
    p.doc.stats = result.stats;
    p.doc.order = result.order ?? [];
    p.doc.fromMjd = Math.max(fromMjd, prepared.window.startMjd);
    p.doc.windowStartMjd = prepared.window.startMjd;
    p.doc.windowEndMjd = prepared.window.endMjd;
    // Observed sequences keep the priority they were observed with; the others show today's.
    const observed = new Set(p.doc.blocks.filter((b) => b.status === 'done' || b.status === 'failed').map((b) => b.sequenceId));
    const kept = Object.entries(p.doc.info).filter(([k]) => observed.has(k));
    p.doc.info = { ...p.doc.info, ...Object.fromEntries(sequenceInfo(candidates)), ...Object.fromEntries(kept) };
    p.doc.blockVis2 = blockVis2Of(p);
  };

  /** The model's predicted V² over each planned SCI block (block card). */
  const blockVis2Of = (p: LivePlan): Record<string, BlockVis2> => {
    const prep = p.prepared;
    if (!prep || prep.models.length === 0) return p.doc.blockVis2 ?? {};
    const models = new Map(prep.models.map(([i, m]) => [prep.job.targets[i].key, m]));
    const bounds = vis2Bounds();
    const out: Record<string, BlockVis2> = {};
    for (const b of p.doc.blocks) {
      if (b.kind !== 'SCI') continue;
      const model = models.get(b.starKey);
      if (!model) continue;
      const n = 4;
      const times = Array.from({ length: n }, (_, k) => b.startMjd + ((k + 0.5) / n) * (b.endMjd - b.startMjd));
      const v = vis2Over(model, p.doc.config.stations, b.raDeg, b.decDeg, times, prep.sidereal, bounds);
      if (v) out[b.id] = { ...v, bounds, modelNote: prep.modelNotes.get(b.starKey) ?? '' };
    }
    return out;
  };

  const explainFor = (p: LivePlan): Explain => (star, startMjd, endMjd) => {
    const base = `${star.name} is not observable over ${hhmmUtc(startMjd)}–${hhmmUtc(endMjd)} UTC`;
    try {
      const obs = computeNightObservability([{ name: star.name, raDeg: star.raDeg, decDeg: star.decDeg }], {
        ...observabilityOptions(p.night, p.doc.config),
        pops: p.doc.config.useDelayLines && star.pops ? star.pops : p.doc.config.pops,
        stepMin: Math.max(1, Math.min(60, (endMjd - startMjd) * 1440)),
        gridStartMjd: startMjd,
        gridEndMjd: endMjd + 1e-6,
      });
      let why = 0;
      for (const w of obs.targets[0].why) why |= w;
      const reasons = WHY_TEXT.filter(([bit]) => why & bit).map(([, text]) => text);
      return reasons.length ? `${base}: ${reasons.join(', ')}` : base;
    } catch {
      return base;
    }
  };

  const load = (planId: string): LivePlan => {
    const cached = live.get(planId);
    if (cached) return cached;
    const row = getPlan(store, planId);
    if (!row) throw new ApiError('not-found', `no plan with id ${planId}`);
    const p = fromRow(row);
    live.set(planId, p);
    return p;
  };

  const fromRow = (row: PlanRow): LivePlan => {
    const options = JSON.parse(row.optionsJson) as Omit<PlanDoc, 'blocks' | 'leftOut' | 'stats' | 'info' | 'order' | 'blockVis2'>;
    const { leftOutPacked, ...saved } = JSON.parse(row.blocksJson) as Pick<PlanDoc, 'blocks' | 'leftOut' | 'stats' | 'info' | 'order' | 'blockVis2'> & { leftOutPacked?: PackedLeftOut };
    const blocks = leftOutPacked ? { ...saved, leftOut: unpackLeftOut(leftOutPacked) } : saved;
    return { id: row.id, night: row.night, name: row.name, createdAtMs: row.createdAtMs, updatedAtMs: row.updatedAtMs, doc: { ...options, ...blocks }, prepared: null, announced: '' };
  };

  const persist = (p: LivePlan): void => {
    const { blocks, leftOut, stats, info, order, blockVis2, ...options } = p.doc;
    const id = savePlan(store, {
      id: p.id || undefined,
      night: p.night,
      name: p.name,
      configuration: p.doc.config.stations.join('-'),
      options,
      blocks: { blocks, leftOutPacked: packLeftOut(leftOut), stats, info, order, blockVis2 },
    });
    // Only the times: reading the whole document back (half a megabyte with the left-out list) cost more than writing it.
    const row = planTimes(store, id)!;
    p.id = id;
    p.createdAtMs = row.createdAtMs;
    p.updatedAtMs = row.updatedAtMs;
    p.announced = staleReasons(store, p.doc.basis).join('\n');
    live.set(id, p);
    ctx.emit('planner.changed', { planId: id, night: p.night });
  };

  /** The live observation of each logged SCI block of a plan, by block id (the latest if several). */
  const observationsOf = (planId: string) => {
    const rows = store.sqlite
      .prepare('select id, block_id, ut_start, ut_end, seeing_arcsec, notes from observations where deleted = 0 and plan_id = ? order by created_at_ms, id')
      .all(planId) as Array<{ id: string; block_id: string | null; ut_start: string; ut_end: string; seeing_arcsec: number | null; notes: string | null }>;
    return new Map(rows.filter((r) => r.block_id).map((r) => [r.block_id as string, r]));
  };

  /** A block of `p` that has been logged; the log cannot change a block that was never logged. */
  const loggedBlock = (p: LivePlan, blockId: string): PlannedBlock => {
    const block = p.doc.blocks.find((b) => b.id === blockId);
    if (!block) throw new ApiError('not-found', `no block ${blockId} in plan ${p.id}`);
    if (block.status === 'planned') throw new ApiError('invalid-input', `${block.kind} ${block.name} has not been logged`);
    return block;
  };

  /** The current completion of a SCI block's target (null for CAL blocks or a removed target). */
  const completionOf = (block: PlannedBlock): number | null => {
    if (block.kind !== 'SCI') return null;
    const row = store.sqlite
      .prepare('select completion_rate as rate, completion_provisional as provisional, completion_provisional_from as "from" from targets where id = ?')
      .get(block.starKey) as { rate: number; provisional: number | null; from: number | null } | undefined;
    return row ? effectiveCompletion(row.rate, row.provisional, row.from) : null;
  };

  const checkedIso = (iso: string | undefined, what: string): string | undefined => {
    if (iso === undefined) return undefined;
    const ms = Date.parse(iso);
    if (!Number.isFinite(ms)) throw new ApiError('invalid-input', `${what}: "${iso}" is not an ISO 8601 time`);
    return new Date(ms).toISOString();
  };

  const view = (p: LivePlan): PlanView => {
    const info = new Map(Object.entries(p.doc.info));
    const options = observabilityOptions(p.night, p.doc.config);
    const cache = summaries();
    const stats = p.doc.stats;
    const blocks = blockViews(p.doc.blocks, info).map((b) => ({
      ...b,
      // A block of a target deleted from the survey since: say so (CSV plans have no store targets).
      ...(!cache.get(b.sequenceId) && p.doc.basis ? { targetRemoved: true } : {}),
      ...(b.kind === 'SCI' ? { vis2: p.doc.blockVis2?.[b.id] ?? null } : {}),
    }));
    return {
      id: p.id,
      night: p.night,
      name: p.name,
      config: { ...p.doc.config },
      settings: p.doc.settings,
      windowStartUtc: isoFromMjd(p.doc.windowStartMjd),
      windowEndUtc: isoFromMjd(p.doc.windowEndMjd),
      fromUtc: isoFromMjd(p.doc.fromMjd),
      events: nightEventsView(p.night),
      blocks,
      leftOut: p.doc.leftOut,
      skipped: p.doc.skipped,
      stats,
      curves: p.doc.blocks.length ? elevationCurves(p.doc.blocks, options, info, curvesMemo()) : { timesUtc: [], series: [] },
      createdAtMs: p.createdAtMs,
      updatedAtMs: p.updatedAtMs,
      summary: summaryView(stats),
      objective: objectiveText(p.doc.settings, p.doc.options?.modelPolicy ?? 'off'),
      order: p.doc.order ?? [],
      stale: staleReasons(store, p.doc.basis),
      ...(p.doc.options ? { options: p.doc.options } : {}),
    };
  };

  /** The stars' elevation curves already computed (`elevationCurves`), emptied when it holds many nights' stars. */
  const curves = new Map<string, { timesUtc: string[]; altDeg: number[] }>();
  const curvesMemo = () => {
    if (curves.size > 5000) curves.clear();
    return curves;
  };

  /** "Now" for a re-plan: the given time, else the clock when it is inside the night, else where the plan last started. */
  const fromOf = (p: LivePlan, fromUtc: string | undefined): number => {
    if (fromUtc !== undefined) {
      try {
        return mjdFromIso(fromUtc);
      } catch (e) {
        throw new ApiError('invalid-input', `fromUtc: ${(e as Error).message}`);
      }
    }
    const now = mjdFromMs(Date.now());
    return now >= p.doc.windowStartMjd && now <= p.doc.windowEndMjd ? now : p.doc.fromMjd;
  };

  /** The plan's preparation, rebuilt (a full plan from where it last started) when missing after a restart. */
  const ensurePrepared = async (p: LivePlan): Promise<Prepared> => {
    if (!p.prepared) await planFresh(p, p.doc.fromMjd, null);
    return p.prepared!;
  };

  const candidateOf = async (p: LivePlan, sequenceId: string) => {
    const c = (await ensurePrepared(p)).candidates.find((x) => x.science.key === sequenceId);
    if (!c) throw new ApiError('not-found', `no candidate "${sequenceId}" in plan ${p.id}`);
    return c;
  };

  // Stale plans: any change to the survey, the calibrators or the policy, from any process.
  const announce = () => {
    for (const p of live.values()) {
      if (!p.id || !p.doc.basis) continue;
      const reasons = staleReasons(store, p.doc.basis);
      const key = reasons.join('\n');
      if (key === p.announced) continue;
      p.announced = key;
      if (reasons.length) ctx.emit('planner.stale', { planId: p.id, night: p.night, reasons });
    }
  };
  const offStore = store.onDidChange((entities) => {
    if ([...entities].some((e) => WATCHED_ENTITIES.has(e))) announce();
  });

  return {
    close: async () => {
      offStore();
      hourAngles.close();
      offModels();
      calibrators.close();
      for (const h of running.values()) h.cancel();
      await runner.close();
    },
    api: { view: (planId) => view(load(planId)) },
    handlers: {
      'planner.candidates': ({ night, config, selection }) => {
        const filter: SelectionFilter = { ...selection };
        const all = summaries().all().filter((t) => isSelectableByCompletion(t.completionRate));
        let obs;
        try {
          obs = computeNightObservability(all.map((t) => ({ name: t.name, raDeg: t.raDeg, decDeg: t.decDeg })), observabilityOptions(night, config));
        } catch (e) {
          throw new ApiError('invalid-input', `night ${night}: ${(e as Error).message}`);
        }
        const rows = all.map((t, i) => {
          const o = obs.targets[i];
          const minutes = o.intervals.reduce((s, iv) => s + (iv.endMjd - iv.startMjd) * 1440, 0);
          return {
            targetId: t.id,
            name: t.name,
            raDeg: t.raDeg,
            decDeg: t.decDeg,
            vmag: t.vmag,
            mode: t.mode,
            programmes: t.programmes.map((m) => m.programme),
            finalPriority: t.finalPriority,
            completionRate: t.completionRate,
            observableMin: Math.round(minutes),
            pops: o.pops,
            filteredOut: selectionReason({ ...t, programmes: t.programmes.map((m) => m.programme) }, filter),
          };
        });
        const { strips, best } = decStrips(
          rows.filter((r) => r.filteredOut === null).map((r) => ({ decDeg: r.decDeg, finalPriority: r.finalPriority, isObservable: r.observableMin > 0 })),
        );
        const result: CandidatesView = { night, events: nightEventsView(night), rows, strips, bestStrip: best };
        return result;
      },

      'planner.plan': async ({ night, config, settings, selection, fromUtc, name, options, requestId }) => {
        const p: LivePlan = {
          id: '',
          night,
          name: name ?? `Night of ${night}`,
          createdAtMs: 0,
          updatedAtMs: 0,
          prepared: null,
          announced: '',
          doc: {
            config,
            settings: settings as Settings,
            selection,
            skipped: [],
            fromMjd: 0,
            windowStartMjd: 0,
            windowEndMjd: 0,
            blocks: [],
            leftOut: [],
            stats: { scienceBlocks: 0, calibratorBlocks: 0, prioritySum: 0, idleS: 0, popChanges: 0, sharedCalibrators: 0 },
            info: {},
            options,
          },
        };
        let fromMjd: number | null = null;
        if (fromUtc) {
          try {
            fromMjd = mjdFromIso(fromUtc);
          } catch (e) {
            throw new ApiError('invalid-input', `fromUtc: ${(e as Error).message}`);
          }
        }
        await planFresh(p, fromMjd, requestId ?? null);
        persist(p);
        return view(p);
      },

      'planner.cancel': ({ requestId }) => {
        const h = running.get(requestId);
        h?.cancel();
        return { cancelled: h !== undefined };
      },

      'planner.get': ({ planId }) => view(load(planId)),

      'planner.latest': ({ night }) => {
        const row = listPlans(store, night)[0];
        return row ? view(load(row.id)) : null;
      },

      'planner.replan': async ({ planId, fromUtc, requestId }) => {
        const p = load(planId);
        await replan(p, fromOf(p, fromUtc), requestId ?? null);
        persist(p);
        return view(p);
      },

      'planner.override': async ({ planId, action, sequenceId, blockId, startUtc, calibratorKey, force, fromUtc }) => {
        const p = load(planId);
        const need = <T>(value: T | undefined, what: string): T => {
          if (value === undefined || value === '') throw new ApiError('invalid-input', `planner.override ${action}: ${what} is required`);
          return value;
        };
        let violations: string[] = [];
        const from = fromOf(p, fromUtc);
        switch (action) {
          case 'pin':
          case 'unpin':
            try {
              p.doc.blocks = pinSequence(p.doc.blocks, need(sequenceId, 'sequenceId'), action === 'pin');
            } catch (e) {
              throw new ApiError('not-found', (e as Error).message);
            }
            break;
          case 'skip':
            p.doc.skipped = [...new Set([...p.doc.skipped, need(sequenceId, 'sequenceId')])];
            p.doc.blocks = p.doc.blocks.filter((b) => b.status !== 'planned' || b.sequenceId !== sequenceId);
            p.doc.blocks = p.doc.blocks.map((b) => (b.sequenceId === sequenceId && b.isPinned ? { ...b, isPinned: false } : b));
            await replan(p, from);
            break;
          case 'unskip':
            p.doc.skipped = p.doc.skipped.filter((k) => k !== need(sequenceId, 'sequenceId'));
            await replan(p, from);
            break;
          case 'move': {
            const c = await candidateOf(p, need(sequenceId, 'sequenceId'));
            let startMjd: number;
            try {
              startMjd = mjdFromIso(need(startUtc, 'startUtc'));
            } catch (e) {
              throw new ApiError('invalid-input', `startUtc: ${(e as Error).message}`);
            }
            const prepared = await ensurePrepared(p);
            const moved = moveSequence(p.doc.blocks, c, startMjd, p.doc.settings, prepared.window, explainFor(p));
            violations = moved.violations;
            if (violations.length && !force) return { isApplied: false, violations, plan: view(p) };
            p.doc.blocks = moved.blocks;
            await replan(p, from);
            break;
          }
          case 'swapCalibrator': {
            const id = need(blockId, 'blockId');
            let swapped;
            try {
              swapped = swapCalibrator(p.doc.blocks, id, need(calibratorKey, 'calibratorKey'), (await ensurePrepared(p)).candidates, explainFor(p));
            } catch (e) {
              throw new ApiError('not-found', (e as Error).message);
            }
            violations = swapped.violations;
            if (violations.length && !force) return { isApplied: false, violations, plan: view(p) };
            p.doc.blocks = swapped.blocks;
            break;
          }
        }
        persist(p);
        return { isApplied: true, violations, plan: view(p) };
      },

      'planner.logBlock': async ({ planId, blockId, outcome, seeingArcsec, conditions, notes, observer, replan: doReplan }) => {
        const p = load(planId);
        const block = p.doc.blocks.find((b) => b.id === blockId);
        if (!block) throw new ApiError('not-found', `no block ${blockId} in plan ${planId}`);
        let observationId: string | null = null;
        let completionRate: number | null = null;
        const wasCurrent = isCurrent(p);
        if (block.kind === 'SCI' && outcome !== 'skipped') {
          try {
            const r = recordObservation(store, {
              targetId: block.starKey,
              night: p.night,
              utStart: isoFromMjd(block.startMjd),
              utEnd: isoFromMjd(block.endMjd),
              configuration: p.doc.config.stations.join('-'),
              pops: block.pops || null,
              outcome,
              seeingArcsec: seeingArcsec ?? null,
              conditions: conditions ?? null,
              notes: notes ?? null,
              planId: p.id,
              blockId: block.id,
              observer: observer ?? null,
            });
            observationId = r.id;
            completionRate = r.completionRate;
          } catch (e) {
            throw new ApiError('invalid-input', `log ${block.name}: ${(e as Error).message}`);
          }
        }
        keepCurrent(p, wasCurrent);
        p.doc.blocks = p.doc.blocks.map((b) => (b.id === blockId ? { ...b, status: outcome } : b));
        if (outcome === 'skipped' && block.kind === 'SCI') p.doc.skipped = [...new Set([...p.doc.skipped, block.sequenceId])];
        if (doReplan) await replan(p, block.endMjd);
        persist(p);
        return { plan: view(p), observationId, completionRate };
      },

      'planner.savePlan': ({ planId, name }) => {
        const p = load(planId);
        p.name = name;
        persist(p);
        return summaryOf({ ...p, configuration: p.doc.config.stations.join('-') }, p.doc);
      },

      'planner.listPlans': ({ night }) =>
        listPlans(store, night).map((row) => {
          const p = live.get(row.id) ?? fromRow(row);
          return summaryOf(row, p.doc);
        }),

      'planner.model': async ({ planId }) => {
        const p = load(planId);
        const prep = await ensurePrepared(p);
        const { problem } = planProblem(
          replanInput({
            blocks: p.doc.blocks,
            night: prep.window,
            fromMjd: p.doc.fromMjd,
            candidates: prep.candidates,
            settings: p.doc.settings,
            skippedKeys: p.doc.skipped,
            sidereal: prep.sidereal,
            stepMin: prep.job.options.stepMin,
          }),
        );
        return { lp: lpModel(problem), options: problem.options.length, slots: problem.slots, popSets: problem.pops, stepMin: prep.job.options.stepMin, value: p.doc.stats.value ?? 0, bound: p.doc.stats.bound ?? null };
      },

      'planner.log': ({ planId }) => {
        const p = load(planId);
        const observations = observationsOf(planId);
        return p.doc.blocks
          .filter((b) => b.status !== 'planned')
          .sort((a, b) => b.startMjd - a.startMjd)
          .map((b): PlanLogEntry => {
            const o = b.kind === 'SCI' ? observations.get(b.id) : undefined;
            const around = o ? completionAround(store.sqlite, o.id) : null;
            const counted = around && around.after !== around.before ? around : null;
            return {
              blockId: b.id,
              kind: b.kind,
              name: b.name,
              starKey: b.starKey,
              status: b.status as PlanLogEntry['status'],
              plannedStartUtc: isoFromMjd(b.startMjd),
              plannedEndUtc: isoFromMjd(b.endMjd),
              observationId: o?.id ?? null,
              utStartUtc: o?.ut_start ?? null,
              utEndUtc: o?.ut_end ?? null,
              seeingArcsec: o?.seeing_arcsec ?? null,
              notes: o?.notes ?? null,
              completionBefore: counted?.before ?? null,
              completionAfter: counted?.after ?? null,
            };
          });
      },

      'planner.undoLog': ({ planId, blockId }) => {
        const p = load(planId);
        const block = loggedBlock(p, blockId);
        const o = block.kind === 'SCI' ? observationsOf(planId).get(blockId) : undefined;
        let change: CompletionChange | null = null;
        const wasCurrent = isCurrent(p);
        if (o) change = store.write((w) => undoObservation(w, o.id));
        keepCurrent(p, wasCurrent);
        p.doc.blocks = p.doc.blocks.map((b) => (b.id === blockId ? { ...b, status: 'planned' } : b));
        if (block.status === 'skipped' && block.kind === 'SCI') p.doc.skipped = p.doc.skipped.filter((k) => k !== block.sequenceId);
        persist(p);
        return { plan: view(p), completionRate: change?.completionRate ?? completionOf(block), isRecomputed: change?.isRecomputed ?? true };
      },

      'planner.correctLog': ({ planId, blockId, outcome, utStartUtc, utEndUtc, seeingArcsec, notes }) => {
        const p = load(planId);
        const block = loggedBlock(p, blockId);
        const status = outcome ?? (block.status as 'done' | 'failed' | 'skipped');
        const times = { utStart: checkedIso(utStartUtc, 'utStartUtc'), utEnd: checkedIso(utEndUtc, 'utEndUtc') };
        let change: CompletionChange | null = null;
        const wasCurrent = isCurrent(p);
        if (block.kind === 'SCI') {
          const o = observationsOf(planId).get(blockId);
          try {
            change = store.write((w): CompletionChange | null => {
              if (o && status === 'skipped') return undoObservation(w, o.id);
              if (o) return correctObservation(w, o.id, { outcome: status === 'skipped' ? undefined : status, ...times, seeingArcsec, notes });
              if (status === 'skipped') return null;
              const r = insertObservation(w, {
                targetId: block.starKey,
                night: p.night,
                utStart: times.utStart ?? isoFromMjd(block.startMjd),
                utEnd: times.utEnd ?? isoFromMjd(block.endMjd),
                configuration: p.doc.config.stations.join('-'),
                pops: block.pops || null,
                outcome: status,
                seeingArcsec: seeingArcsec ?? null,
                notes: notes ?? null,
                planId: p.id,
                blockId: block.id,
              });
              return { targetId: block.starKey, completionRate: r.completionRate, isRecomputed: true };
            });
          } catch (e) {
            throw new ApiError('invalid-input', `correct ${block.name}: ${(e as Error).message}`);
          }
          if (status === 'skipped') p.doc.skipped = [...new Set([...p.doc.skipped, block.sequenceId])];
          else p.doc.skipped = p.doc.skipped.filter((k) => k !== block.sequenceId);
        }
        keepCurrent(p, wasCurrent);
        p.doc.blocks = p.doc.blocks.map((b) => (b.id === blockId ? { ...b, status } : b));
        persist(p);
        return { plan: view(p), completionRate: change?.completionRate ?? completionOf(block), isRecomputed: change?.isRecomputed ?? true };
      },

      'planner.compare': ({ planId }) => {
        const p = load(planId);
        const obs = store.sqlite
          .prepare('select block_id, ut_start, ut_end, outcome from observations where deleted = 0 and plan_id = ?')
          .all(planId) as Array<{ block_id: string | null; ut_start: string; ut_end: string; outcome: string }>;
        const byBlock = new Map(obs.filter((o) => o.block_id).map((o) => [o.block_id as string, o]));
        const rows = [...p.doc.blocks]
          .sort((a, b) => a.startMjd - b.startMjd)
          .map((b) => {
            const o = byBlock.get(b.id);
            return {
              blockId: b.id,
              kind: b.kind,
              name: b.name,
              plannedStartUtc: isoFromMjd(b.startMjd),
              plannedEndUtc: isoFromMjd(b.endMjd),
              status: b.status,
              observedStartUtc: o?.ut_start ?? null,
              observedEndUtc: o?.ut_end ?? null,
              outcome: o?.outcome ?? null,
            };
          });
        const count = (s: string) => rows.filter((r) => r.status === s).length;
        return {
          planId,
          rows,
          planned: rows.length,
          done: count('done'),
          failed: count('failed'),
          skipped: count('skipped'),
          notObserved: count('planned'),
        };
      },
    },
  };
}
