/**
 * The planner's pure work, as two jobs a service runs on a worker thread (or inline in the CLI),
 * with its own calibrator look-ups in between:
 *
 *  1. `prepareJob`: the science targets' observability on the night, the PoP pool and the
 *     plausible targets (those worth asking calibrators for);
 *  2. `planJob`: model preferences, calibrator windows, candidates, the optimised plan (from dusk,
 *     or the rest of the night around kept blocks) and the left-out reasons; `result.wouldFit` names
 *     the targets without calibrators that would fit, for another round.
 *
 * Nights are cached by key (LRU of 3) with their calibrators' windows, and the last job's inputs
 * with the whole night's options (`OptionsCache`), so a warm plan or a re-plan from "now" only
 * reads its options off them and redoes the optimisation and the left-out reasons. A job whose
 * priorities moved for a few targets (a re-plan after a log) keeps the other targets' candidates
 * and that night (`withPriorities`).
 */
import type { ObservabilityOptions } from '../astro/types';
import type { ObjectModel, Vis2Bounds } from '../models';
import { vis2Over, samplesOf, type Vis2Summary } from './model-fit';
import {
  buildCandidates,
  calibratorWindows,
  observeScience,
  plausibleTargets,
  shadowCandidates,
  type CalibratorChoice,
  type PrepareOptions,
  type ScienceNight,
  type TargetMeta,
} from './night-input';
import { replanFrom } from './replan';
import type { LeftOut, MjdInterval, OptionsCache, PlanCandidate, PlanResult, PlanSettings, PlannedBlock } from './types';
import { modelFactor } from './weights';

/** Reports progress: a phase and counts. */
export type Progress = (phase: 'observing' | 'planning', done: number, total: number) => void;

/** Thrown when the caller cancelled the job. */
export class PlanCancelled extends Error {
  constructor() {
    super('planning was cancelled');
  }
}

/** Stage 1 inputs. */
export interface PrepareJob {
  /** Cache key: the same key must mean the same targets (positions), options and pool size. */
  key: string;
  targets: TargetMeta[];
  options: ObservabilityOptions;
  prepare: PrepareOptions;
  settings: PlanSettings;
  /** Plausible targets kept per (PoP set, slot) (see `plausibleTargets`). */
  perSlot: number;
}

/** Stage 1 result. */
export interface PrepareResult {
  key: string;
  window: MjdInterval;
  popPool: string[];
  /** Target indices worth asking calibrators for, most valuable first. */
  plausible: number[];
  /** Targets observable tonight with some PoP set. */
  observable: number;
}

/** How the predicted V² of the targets' models weighs in. */
export type ModelPolicy = 'off' | 'prefer' | 'filter';

/** Stage 2 inputs. */
export interface PlanJob {
  prepare: PrepareJob;
  /** Calibrators of the targets that have them (by index); the other observable targets are shadows. */
  choices: Array<[number, CalibratorChoice]>;
  /** Fresh priorities (index → fields), so a re-plan follows what was logged since. */
  priorities?: Array<[number, Pick<TargetMeta, 'finalPriority' | 'piPriority' | 'isStarted' | 'preferredHaH'>]>;
  /** Models of targets (by index) for the V² preference. */
  models?: Array<[number, ObjectModel]>;
  modelPolicy: ModelPolicy;
  vis2Bounds: Vis2Bounds;
  /** Blocks of the plan so far (done, failed and pinned ones stay), or none for a new plan. */
  blocks: PlannedBlock[];
  fromMjd: number;
  settings: PlanSettings;
  skippedKeys: string[];
  /** Classify the observable targets without calibrators too (honest reasons for everyone). */
  withShadows: boolean;
  /** `candidatesId` of the candidates the caller already holds: when they are still this job's, they are not sent back. */
  heldCandidatesId?: string;
}

/** Stage 2 result. */
export interface PlanJobResult {
  result: PlanResult;
  /**
   * Every candidate of the plan (PoP variants), for overrides and the block views; null when they
   * are those the caller holds (`PlanJob.heldCandidatesId`): a re-plan on the desktop app's worker
   * thread would otherwise copy most of a megabyte back on every call.
   */
  candidates: PlanCandidate[] | null;
  /** Names this job's candidates (the same id for the same candidate objects, in this thread). */
  candidatesId: string;
  window: MjdInterval;
  sidereal: { timesMjd: number[]; lstH: number[] };
  /** Predicted V² per target key (models on). */
  vis2: Array<[string, Vis2Summary]>;
}

const nights = new Map<string, ScienceNight>();
/** Calibrator windows computed on each cached night (see `calibratorWindows`), kept with it. */
const calibratorCache = new WeakMap<ScienceNight, Map<string, Map<string, MjdInterval[]>>>();

function calibratorCacheOf(night: ScienceNight): Map<string, Map<string, MjdInterval[]>> {
  let cache = calibratorCache.get(night);
  if (!cache) calibratorCache.set(night, (cache = new Map()));
  return cache;
}

function nightOf(job: PrepareJob, progress?: Progress, isCancelled?: () => boolean): ScienceNight {
  const hit = nights.get(job.key);
  if (hit) {
    nights.delete(job.key);
    nights.set(job.key, hit);
    return hit;
  }
  const night = observeScience(job.targets, job.options, job.prepare, (done, total) => {
    if (isCancelled?.()) throw new PlanCancelled();
    progress?.('observing', done, total);
  });
  nights.set(job.key, night);
  while (nights.size > 3) nights.delete(nights.keys().next().value as string);
  return night;
}

/** The plausible targets last found on each cached night, with the settings they were found with. */
const plausibleCache = new WeakMap<ScienceNight, { key: string; plausible: number[] }>();

/** Stage 1 (see the file comment). */
export function prepareJob(job: PrepareJob, progress?: Progress, isCancelled?: () => boolean): PrepareResult {
  const night = nightOf(job, progress, isCancelled);
  const key = JSON.stringify([job.settings, job.perSlot, job.options.stepMin]);
  let hit = plausibleCache.get(night);
  if (!hit || hit.key !== key) {
    hit = { key, plausible: plausibleTargets(night, job.settings, { perSlot: job.perSlot, stepMin: job.options.stepMin }) };
    plausibleCache.set(night, hit);
  }
  return {
    key: job.key,
    window: night.window,
    popPool: night.popPool,
    plausible: [...hit.plausible],
    observable: night.variants.filter((v) => v.length > 0).length,
  };
}

/** What a plan job builds from the night before optimising: the same for the same inputs. */
interface JobInputs {
  fingerprint: string;
  /** The fingerprint of everything but the priorities (see `withPriorities`). */
  basis: string;
  /** Names `candidates` (see `PlanJobResult.candidatesId`). */
  id: string;
  targets: TargetMeta[];
  vis2: Array<[string, Vis2Summary]>;
  filtered: LeftOut[];
  choices: Map<number, CalibratorChoice>;
  candidates: PlanCandidate[];
  shadows: PlanCandidate[];
  notObservable: string;
  /** The whole night's options on `candidates` (a warm plan and every re-plan from "now" read theirs off it). */
  optionsCache: OptionsCache;
}

/** The last job inputs built on each cached night: a warm plan or a re-plan with the same calibrators, models and priorities reuses them. */
const inputsCache = new WeakMap<ScienceNight, JobInputs>();
/** Job inputs built so far in this thread; with `THREAD_TOKEN`, ids a restarted worker cannot repeat. */
let inputsBuilt = 0;
const THREAD_TOKEN = Math.random().toString(36).slice(2);

type Priorities = NonNullable<PlanJob['priorities']>;
const PRIORITY_FIELDS = ['finalPriority', 'piPriority', 'isStarted', 'preferredHaH'] as const;

/** The night's targets with `priorities` over their prepared fields. */
function prioritised(night: ScienceNight, priorities: Priorities | undefined): TargetMeta[] {
  const targets = night.targets as TargetMeta[];
  if (!priorities?.length) return targets;
  const fresh = new Map(priorities);
  return targets.map((t, i) => (fresh.has(i) ? { ...t, ...fresh.get(i)! } : t));
}

function jobInputs(night: ScienceNight, job: PlanJob): JobInputs {
  const models = job.modelPolicy === 'off' ? [] : (job.models ?? []);
  const basis = JSON.stringify([job.modelPolicy, job.vis2Bounds, job.withShadows, job.choices, models]);
  const fingerprint = JSON.stringify([job.priorities ?? [], basis]);
  const hit = inputsCache.get(night);
  if (hit && hit.fingerprint === fingerprint) return hit;
  const inputs = hit && hit.basis === basis ? withPriorities(night, hit, job, fingerprint) : freshInputs(night, job, fingerprint, basis);
  inputsCache.set(night, inputs);
  return inputs;
}

/**
 * The inputs of `hit` with new priorities (a re-plan after a log moved the logged target's): the
 * targets whose fields changed get new candidates, every other target keeps its candidate objects,
 * and the options cache keeps its whole night. A re-plan that no longer plans the changed targets
 * (a logged sequence is kept, not planned) then reads its options off that night (the membership
 * check of `optionsFromCache` passes) instead of building ~25,000 options again; one that plans a
 * changed target fails that check and builds its options, as with any other new candidates.
 */
function withPriorities(night: ScienceNight, hit: JobInputs, job: PlanJob, fingerprint: string): JobInputs {
  const wanted = prioritised(night, job.priorities);
  const targets = hit.targets.slice();
  const changed = new Set<number>();
  for (let i = 0; i < targets.length; i++) {
    const was = targets[i];
    const now = wanted[i];
    if (PRIORITY_FIELDS.every((f) => was[f] === now[f])) continue;
    changed.add(i);
    const next = { ...was };
    for (const f of PRIORITY_FIELDS) (next as Record<string, unknown>)[f] = now[f];
    targets[i] = next;
  }
  const withTargets: ScienceNight = { ...night, targets };
  /** Index of each changed target, by key. */
  const changedAt = new Map([...changed].map((i) => [targets[i].key, i]));
  const rebuilt = (list: PlanCandidate[], make: (indices: number[]) => PlanCandidate[]): PlanCandidate[] => {
    if (!list.some((c) => changedAt.has(c.science.key))) return list;
    const out: PlanCandidate[] = [];
    for (let k = 0; k < list.length; k++) {
      const i = changedAt.get(list[k].science.key);
      if (i === undefined) {
        out.push(list[k]);
        continue;
      }
      // A target's candidates (its PoP variants) are contiguous: replace them as one run.
      out.push(...make([i]));
      while (k + 1 < list.length && list[k + 1].science.key === list[k].science.key) k++;
    }
    return out;
  };
  const candidates = rebuilt(hit.candidates, (indices) => buildCandidates(withTargets, indices, hit.choices, calibratorWindows(withTargets, indices, hit.choices, calibratorCacheOf(night))));
  const shadows = rebuilt(hit.shadows, (indices) => shadowCandidates(withTargets, indices));
  const filtered = hit.filtered.map((l) => {
    const i = changedAt.get(l.key);
    return i === undefined ? l : { ...l, finalPriority: targets[i].finalPriority };
  });
  const sameCandidates = candidates === hit.candidates;
  return {
    ...hit,
    fingerprint,
    id: sameCandidates ? hit.id : `${THREAD_TOKEN}:${++inputsBuilt}`,
    targets,
    filtered,
    candidates,
    shadows,
    optionsCache: sameCandidates ? hit.optionsCache : { candidates, entry: hit.optionsCache.entry },
  };
}

/** The inputs of `job` built from the night alone. */
function freshInputs(night: ScienceNight, job: PlanJob, fingerprint: string, basis: string): JobInputs {
  let targets = prioritised(night, job.priorities);
  // Model preference: a factor on the value ('prefer') or out below every bound ('filter').
  const vis2: Array<[string, Vis2Summary]> = [];
  const filtered: LeftOut[] = [];
  const excluded = new Set<number>();
  if (job.modelPolicy !== 'off' && job.models?.length) {
    targets = [...targets];
    for (const [i, model] of job.models) {
      const t = targets[i];
      const own = night.variants[i][0];
      if (!own) continue;
      const summary = vis2Over(model, job.prepare.options.stations, t.raDeg, t.decDeg, samplesOf(own.intervals), night.sidereal, job.vis2Bounds);
      if (!summary) continue;
      vis2.push([t.key, summary]);
      if (job.modelPolicy === 'filter' && summary.fractionWithin === 0) {
        excluded.add(i);
        filtered.push({
          key: t.key,
          name: t.name,
          finalPriority: t.finalPriority,
          code: 'model',
          reason: `predicted V² ${summary.vis2Min.toFixed(3)}–${summary.vis2Max.toFixed(3)} is outside ${job.vis2Bounds.vis2Min}–${job.vis2Bounds.vis2Max} on every baseline tonight (model filter)`,
        });
      } else if (job.modelPolicy === 'prefer') {
        targets[i] = { ...t, valueFactor: modelFactor(summary.fractionWithin) };
      }
    }
  }
  const withTargets: ScienceNight = targets === night.targets ? night : { ...night, targets };
  const choices = new Map(job.choices.filter(([i]) => !excluded.has(i)));
  const indices = [...choices.keys()].sort((a, b) => a - b);
  const candidates = buildCandidates(withTargets, indices, choices, calibratorWindows(withTargets, indices, choices, calibratorCacheOf(night)));
  const hhmm = (mjd: number) => new Date(Math.round((mjd - 40587) * 86400000)).toISOString().slice(11, 16);
  const notObservable = `not observable between ${hhmm(night.window.startMjd)} and ${hhmm(night.window.endMjd)} UTC with any PoP set`;
  const shadowIndices = job.withShadows
    ? night.variants.map((_, i) => i).filter((i) => night.variants[i].length > 0 && !choices.has(i) && !excluded.has(i))
    : [];
  const shadows = shadowCandidates(withTargets, shadowIndices);
  return { fingerprint, basis, id: `${THREAD_TOKEN}:${++inputsBuilt}`, targets, vis2, filtered, choices, candidates, shadows, notObservable, optionsCache: { candidates } };
}

/** Stage 2 (see the file comment). */
export function planJob(job: PlanJob, progress?: Progress, isCancelled?: () => boolean): PlanJobResult {
  const night = nightOf(job.prepare, progress, isCancelled);
  progress?.('planning', 0, 1);
  const { id, targets, choices, candidates, shadows, notObservable, optionsCache, ...made } = jobInputs(night, job);
  // Fresh copies of what the caller may keep or change.
  const vis2 = [...made.vis2];
  const filtered = made.filtered.map((l) => ({ ...l }));
  if (isCancelled?.()) throw new PlanCancelled();
  const result = replanFrom({
    blocks: job.blocks,
    night: night.window,
    fromMjd: job.fromMjd,
    candidates,
    settings: job.settings,
    skippedKeys: job.skippedKeys,
    sidereal: night.sidereal,
    shadows,
    stepMin: job.prepare.options.stepMin,
    optionsCache,
  });
  result.leftOut.push(...filtered);
  // Targets never observable tonight (neither candidates nor shadows) still get their line.
  const listed = new Set(result.leftOut.map((l) => l.key));
  const placed = new Set(result.blocks.map((b) => b.sequenceId));
  targets.forEach((t, i) => {
    if (night.variants[i].length > 0 || choices.has(i) || listed.has(t.key) || placed.has(t.key)) return;
    result.leftOut.push({ key: t.key, name: t.name, finalPriority: t.finalPriority, code: 'not-observable', reason: notObservable });
  });
  result.leftOut.sort((a, b) => a.finalPriority - b.finalPriority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  progress?.('planning', 1, 1);
  return {
    result,
    candidates: job.heldCandidatesId === id ? null : candidates,
    candidatesId: id,
    window: night.window,
    sidereal: { timesMjd: Array.from(night.sidereal.timesMjd), lstH: Array.from(night.sidereal.lstH) },
    vis2,
  };
}
