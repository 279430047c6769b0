/**
 * The planner domain service: implements `plannerMethods` of the contract. A plan is a document
 * saved whole after every change (plans repo); the night's observability and candidates are
 * kept in memory per plan and rebuilt from the store when missing. Priorities are re-read from
 * the store at every re-plan, so a block logged done changes what comes next.
 */
import { ApiError } from '../../../shared/contract/define';
import type { planConfigSchema, plannerMethods, planSettingsSchema, selectionSchema } from '../../../shared/contract/planner';
import { computeNightObservability, defaultObservabilityOptions } from '../../../shared/astro/observability';
import { localSiderealTimeH, wrapHourAngleH } from '../../../shared/astro/frame';
import { CHARA_SITE } from '../../../shared/astro/site';
import { isoFromMjd, mjdFromIso, mjdFromMs } from '../../../shared/astro/time';
import type { ObservabilityOptions, StationName } from '../../../shared/astro/types';
import type { CandidatesView, PlanSummary, PlanView } from '../../../shared/planner/api-types';
import type { PlanLogEntry } from '../../../shared/contract/planner';
import { prepareNight, type PreparedNight, type TargetMeta } from '../../../shared/planner/night-input';
import { moveSequence, pinSequence, replanFrom, swapCalibrator, type Explain } from '../../../shared/planner/replan';
import { decStrips, selectionReason, type SelectionFilter } from '../../../shared/planner/selection';
import { hhmmUtc } from '../../../shared/planner/scheduler';
import type { LeftOut, PlanSettings, PlanStats, PlannedBlock } from '../../../shared/planner/types';
import { blockViews, elevationCurves, nightEventsView, sequenceInfo, type SequenceInfo } from '../../../shared/planner/view';
import { Why } from '../../../shared/astro/types';
import type { TargetSummary } from '../../../shared/model/survey';
import { isSelectableByCompletion, type FinalPriority } from '../../../shared/nss/rules';
import { effectiveCompletion } from '../../../shared/sync/provisional';
import type { z } from 'zod';
import { completionAround, correctObservation, insertObservation, recordObservation, undoObservation, type CompletionChange } from '../../db/repos/observations';
import { getPlan, listPlans, savePlan, type PlanRow } from '../../db/repos/plans';
import type { Store } from '../../db/store';
import type { DomainService, PlannerApi, ServiceContext } from '../context';
import { SummaryCache } from '../survey/summaries';
import { CalibratorSource, storeAssociations } from './calibrator-source';

type PlanConfig = z.output<typeof planConfigSchema>;
type Selection = z.output<typeof selectionSchema>;
type Settings = z.output<typeof planSettingsSchema>;

/** The saved document of a plan (plans.options_json + plans.blocks_json). */
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
}

interface LivePlan {
  id: string;
  night: string;
  name: string;
  createdAtMs: number;
  updatedAtMs: number;
  doc: PlanDoc;
  prepared: PreparedNight | null;
}

/** Observable targets per plan that get a calibrator-engine proposal (the rest: nearest bright stars). */
const PROPOSAL_BUDGET = 40;

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

/** Mean hour angle (h) of each target's done observations, from the log. */
function preferredHourAngles(store: Store): Map<string, number> {
  const rows = store.sqlite
    .prepare("select target_id, ut_start, ut_end from observations where deleted = 0 and outcome = 'done'")
    .all() as Array<{ target_id: string; ut_start: string; ut_end: string }>;
  const ra = new Map(
    (store.sqlite.prepare('select id, ra_deg from targets where deleted = 0').all() as Array<{ id: string; ra_deg: number }>).map((r) => [r.id, r.ra_deg]),
  );
  const sums = new Map<string, { x: number; y: number }>();
  for (const r of rows) {
    const raDeg = ra.get(r.target_id);
    if (raDeg === undefined) continue;
    let mid: number;
    try {
      mid = (mjdFromIso(r.ut_start) + mjdFromIso(r.ut_end)) / 2;
    } catch {
      continue;
    }
    const ha = wrapHourAngleH(localSiderealTimeH(mid, CHARA_SITE.lonDeg) - raDeg / 15);
    const s = sums.get(r.target_id) ?? { x: 0, y: 0 };
    // Averaged on the circle so +11.9 h and −11.9 h do not average to 0.
    s.x += Math.cos((ha * Math.PI) / 12);
    s.y += Math.sin((ha * Math.PI) / 12);
    sums.set(r.target_id, s);
  }
  return new Map([...sums].map(([id, s]) => [id, (Math.atan2(s.y, s.x) * 12) / Math.PI]));
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
    isStarted: t.completionRate > 0 && t.completionRate < 1,
    preferredHaH: preferredHaH ?? null,
  };
}

function selectionFilter(s: Selection): SelectionFilter {
  return { ...s };
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
  const summaries = new SummaryCache(store);
  const calibrators = new CalibratorSource(ctx.paths.resourcesDir);
  const live = new Map<string, LivePlan>();

  /** Selected, unfinished survey targets as scheduler metadata. */
  const scienceTargets = (selection: Selection): TargetMeta[] => {
    const ha = preferredHourAngles(store);
    const filter = selectionFilter(selection);
    return summaries
      .all()
      .filter((t): t is RankedTarget => t.finalPriority !== null && isSelectableByCompletion(t.completionRate))
      .filter((t) => selectionReason({ ...t, programmes: t.programmes.map((p) => p.programme) }, filter) === null)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((t) => toMeta(t, ha.get(t.id)));
  };

  const prepare = (night: string, config: PlanConfig, selection: Selection): PreparedNight => {
    // Objective order, so the proposal budget goes to the targets most likely to be placed.
    const science = scienceTargets(selection).sort(
      (a, b) => Number(b.isStarted) - Number(a.isStarted) || a.finalPriority - b.finalPriority || a.piPriority - b.piPriority || a.key.localeCompare(b.key),
    );
    const associations = storeAssociations(store);
    let proposals = 0;
    const chooseFor = (t: TargetMeta) => {
      const mayPropose = proposals < PROPOSAL_BUDGET;
      const choice = calibrators.choose(t, associations.get(t.key), mayPropose);
      if (mayPropose && choice.source !== 'store') proposals++;
      return choice;
    };
    try {
      return prepareNight(science, observabilityOptions(night, config), (i) => chooseFor(science[i]));
    } catch (e) {
      throw new ApiError('invalid-input', `night ${night}: ${(e as Error).message}`);
    }
  };

  /** Candidates with priorities re-read from the store (they move when blocks are logged). */
  const refreshedCandidates = (p: LivePlan) => {
    const prepared = ensurePrepared(p);
    const ha = preferredHourAngles(store);
    return prepared.candidates.map((c) => {
      const t = summaries.get(c.science.key);
      if (!t || t.finalPriority === null) return c;
      const m = toMeta({ ...t, finalPriority: t.finalPriority }, ha.get(t.id));
      return { ...c, finalPriority: m.finalPriority, piPriority: m.piPriority, isStarted: m.isStarted, preferredHaH: m.preferredHaH };
    });
  };

  const ensurePrepared = (p: LivePlan): PreparedNight => {
    if (!p.prepared) p.prepared = prepare(p.night, p.doc.config, p.doc.selection);
    return p.prepared;
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
    const options = JSON.parse(row.optionsJson) as Omit<PlanDoc, 'blocks' | 'leftOut' | 'stats' | 'info'>;
    const blocks = JSON.parse(row.blocksJson) as Pick<PlanDoc, 'blocks' | 'leftOut' | 'stats' | 'info'>;
    return { id: row.id, night: row.night, name: row.name, createdAtMs: row.createdAtMs, updatedAtMs: row.updatedAtMs, doc: { ...options, ...blocks }, prepared: null };
  };

  const persist = (p: LivePlan): void => {
    const { blocks, leftOut, stats, info, ...options } = p.doc;
    const id = savePlan(store, {
      id: p.id || undefined,
      night: p.night,
      name: p.name,
      configuration: p.doc.config.stations.join('-'),
      options,
      blocks: { blocks, leftOut, stats, info },
    });
    const row = getPlan(store, id)!;
    p.id = id;
    p.createdAtMs = row.createdAtMs;
    p.updatedAtMs = row.updatedAtMs;
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
      blocks: blockViews(p.doc.blocks, info),
      leftOut: p.doc.leftOut,
      skipped: p.doc.skipped,
      stats: p.doc.stats,
      curves: p.doc.blocks.length ? elevationCurves(p.doc.blocks, options, info) : { timesUtc: [], series: [] },
      createdAtMs: p.createdAtMs,
      updatedAtMs: p.updatedAtMs,
    };
  };

  /** Re-plan the rest of `p` from `fromMjd` with current priorities; updates the document. */
  const replan = (p: LivePlan, fromMjd: number): void => {
    const prepared = ensurePrepared(p);
    const candidates = refreshedCandidates(p);
    const result = replanFrom({
      blocks: p.doc.blocks,
      night: prepared.window,
      fromMjd,
      candidates,
      settings: p.doc.settings,
      skippedKeys: p.doc.skipped,
      sidereal: prepared.sidereal,
    });
    p.doc.blocks = result.blocks;
    p.doc.leftOut = result.leftOut;
    p.doc.stats = result.stats;
    p.doc.fromMjd = Math.max(fromMjd, prepared.window.startMjd);
    // Observed sequences keep the priority they were observed with; the others show today's.
    const observed = new Set(p.doc.blocks.filter((b) => b.status === 'done' || b.status === 'failed').map((b) => b.sequenceId));
    const kept = Object.entries(p.doc.info).filter(([k]) => observed.has(k));
    p.doc.info = { ...p.doc.info, ...Object.fromEntries(sequenceInfo(candidates)), ...Object.fromEntries(kept) };
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

  const candidateOf = (p: LivePlan, sequenceId: string) => {
    const c = refreshedCandidates(p).find((x) => x.science.key === sequenceId);
    if (!c) throw new ApiError('not-found', `no candidate "${sequenceId}" in plan ${p.id}`);
    return c;
  };

  return {
    api: { view: (planId) => view(load(planId)) },
    handlers: {
      'planner.candidates': ({ night, config, selection }) => {
        const filter = selectionFilter(selection);
        const all = summaries.all().filter((t) => isSelectableByCompletion(t.completionRate));
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

      'planner.plan': ({ night, config, settings, selection, fromUtc, name }) => {
        const prepared = prepare(night, config, selection);
        const p: LivePlan = {
          id: '',
          night,
          name: name ?? `Night of ${night}`,
          createdAtMs: 0,
          updatedAtMs: 0,
          prepared,
          doc: {
            config,
            settings: settings as Settings,
            selection,
            skipped: [],
            fromMjd: prepared.window.startMjd,
            windowStartMjd: prepared.window.startMjd,
            windowEndMjd: prepared.window.endMjd,
            blocks: [],
            leftOut: [],
            stats: { scienceBlocks: 0, calibratorBlocks: 0, prioritySum: 0, idleS: 0, popChanges: 0, sharedCalibrators: 0 },
            info: {},
          },
        };
        replan(p, fromUtc ? fromOf(p, fromUtc) : prepared.window.startMjd);
        persist(p);
        return view(p);
      },

      'planner.get': ({ planId }) => view(load(planId)),

      'planner.latest': ({ night }) => {
        const row = listPlans(store, night)[0];
        return row ? view(load(row.id)) : null;
      },

      'planner.replan': ({ planId, fromUtc }) => {
        const p = load(planId);
        replan(p, fromOf(p, fromUtc));
        persist(p);
        return view(p);
      },

      'planner.override': ({ planId, action, sequenceId, blockId, startUtc, calibratorKey, force, fromUtc }) => {
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
            replan(p, from);
            break;
          case 'unskip':
            p.doc.skipped = p.doc.skipped.filter((k) => k !== need(sequenceId, 'sequenceId'));
            replan(p, from);
            break;
          case 'move': {
            const c = candidateOf(p, need(sequenceId, 'sequenceId'));
            let startMjd: number;
            try {
              startMjd = mjdFromIso(need(startUtc, 'startUtc'));
            } catch (e) {
              throw new ApiError('invalid-input', `startUtc: ${(e as Error).message}`);
            }
            const prepared = ensurePrepared(p);
            const moved = moveSequence(p.doc.blocks, c, startMjd, p.doc.settings, prepared.window, explainFor(p));
            violations = moved.violations;
            if (violations.length && !force) return { isApplied: false, violations, plan: view(p) };
            p.doc.blocks = moved.blocks;
            replan(p, from);
            break;
          }
          case 'swapCalibrator': {
            const id = need(blockId, 'blockId');
            let swapped;
            try {
              swapped = swapCalibrator(p.doc.blocks, id, need(calibratorKey, 'calibratorKey'), refreshedCandidates(p), explainFor(p));
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

      'planner.logBlock': ({ planId, blockId, outcome, seeingArcsec, conditions, notes, observer, replan: doReplan }) => {
        const p = load(planId);
        const block = p.doc.blocks.find((b) => b.id === blockId);
        if (!block) throw new ApiError('not-found', `no block ${blockId} in plan ${planId}`);
        let observationId: string | null = null;
        let completionRate: number | null = null;
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
        p.doc.blocks = p.doc.blocks.map((b) => (b.id === blockId ? { ...b, status: outcome } : b));
        if (outcome === 'skipped' && block.kind === 'SCI') p.doc.skipped = [...new Set([...p.doc.skipped, block.sequenceId])];
        if (doReplan) replan(p, block.endMjd);
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
        if (o) change = store.write((w) => undoObservation(w, o.id));
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
