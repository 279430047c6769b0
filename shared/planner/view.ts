/**
 * Conversions from the planner's MJD world to the API's JSON views (ISO 8601 UTC strings), and
 * the elevation curves of the planned stars.
 */
import { computeNightObservability } from '../astro/observability';
import { nightEvents } from '../astro/night';
import { CHARA_SITE } from '../astro/site';
import { isoFromMjd } from '../astro/time';
import type { ObservabilityOptions } from '../astro/types';
import type { ElevationCurves, NightEventsView, PlanBlockView, PlanSummaryView } from './api-types';
import type { CalibratorSource, PlanCandidate, PlannedBlock, PlanStats } from './types';

/** ISO string of an MJD, or null when the event does not happen (NaN). */
export function isoOrNull(mjd: number): string | null {
  return Number.isFinite(mjd) ? isoFromMjd(mjd) : null;
}

/** Sun events of the night at CHARA. */
export function nightEventsView(night: string): NightEventsView {
  const e = nightEvents(night, CHARA_SITE);
  return {
    sunsetUtc: isoOrNull(e.sunsetMjd),
    sunriseUtc: isoOrNull(e.sunriseMjd),
    nauticalDuskUtc: isoOrNull(e.nauticalDuskMjd),
    nauticalDawnUtc: isoOrNull(e.nauticalDawnMjd),
    astroDuskUtc: isoOrNull(e.astroDuskMjd),
    astroDawnUtc: isoOrNull(e.astroDawnMjd),
  };
}

/** What a block view needs to know about the sequences of a plan. */
export interface SequenceInfo {
  finalPriority: number;
  calibratorSource: CalibratorSource;
  /** Calibrators the sequence may use, for a swap. */
  calibrators?: Array<{ key: string; name: string }>;
}

/** Sequence info from candidates (the first candidate of a key wins; PoP variants share it). */
export function sequenceInfo(candidates: readonly PlanCandidate[]): Map<string, SequenceInfo> {
  const out = new Map<string, SequenceInfo>();
  for (const c of candidates) {
    if (!out.has(c.science.key)) {
      out.set(c.science.key, {
        finalPriority: c.finalPriority,
        calibratorSource: c.calibratorSource,
        calibrators: c.calibrators.map((s) => ({ key: s.key, name: s.name })),
      });
    }
  }
  return out;
}

/** The API view of blocks, sorted by start. */
export function blockViews(blocks: readonly PlannedBlock[], info: ReadonlyMap<string, SequenceInfo>): PlanBlockView[] {
  const nameOf = new Map(blocks.map((b) => [b.starKey, b.name]));
  return [...blocks]
    .sort((a, b) => a.startMjd - b.startMjd)
    .map((b) => ({
      id: b.id,
      sequenceId: b.sequenceId,
      kind: b.kind,
      starKey: b.starKey,
      name: b.name,
      raDeg: b.raDeg,
      decDeg: b.decDeg,
      vmag: b.vmag ?? null,
      startUtc: isoFromMjd(b.startMjd),
      endUtc: isoFromMjd(b.endMjd),
      pops: b.pops,
      calibrators: b.calibratorNames ?? (b.calibratorKeys ?? []).map((k) => nameOf.get(k) ?? k),
      calibrates: (b.calibrates ?? []).map((k) => nameOf.get(k) ?? k),
      status: b.status,
      isPinned: b.isPinned,
      violations: [...b.violations],
      finalPriority: info.get(b.sequenceId)?.finalPriority ?? 0,
      calibratorSource: info.get(b.sequenceId)?.calibratorSource ?? 'none',
      calibratorOptions:
        b.kind === 'CAL' ? (info.get((b.calibrates ?? [b.sequenceId])[0])?.calibrators ?? []).filter((c) => c.key !== b.starKey) : [],
      ...(b.kind === 'CAL' && b.isVetted === false ? { isVetted: false } : {}),
    }));
}

/**
 * Elevation of every star in `blocks` over the night grid of `options` (delay lines off: geometry
 * only). `memo` (the caller's, kept across views) holds the curves already computed, by options
 * and position.
 */
export function elevationCurves(
  blocks: readonly PlannedBlock[],
  options: ObservabilityOptions,
  info: ReadonlyMap<string, SequenceInfo>,
  memo?: Map<string, { timesUtc: string[]; altDeg: number[] }>,
): ElevationCurves {
  const stars = new Map<string, PlannedBlock>();
  for (const b of [...blocks].sort((x, y) => x.startMjd - y.startMjd)) if (!stars.has(b.starKey)) stars.set(b.starKey, b);
  const list = [...stars.values()];
  const curveOptions = { ...options, useDelayLines: false, stepMin: 10 };
  // A star's curve depends only on its position and the night's options: a re-plan, which keeps
  // most stars, computes only the new ones (the night's sky and each star cost ~3 ms per view).
  const optionsKey = JSON.stringify(curveOptions);
  const keyOf = (b: PlannedBlock) => `${optionsKey}|${b.raDeg}|${b.decDeg}`;
  const kept = memo ?? new Map<string, { timesUtc: string[]; altDeg: number[] }>();
  const missing = list.filter((b) => !kept.has(keyOf(b)));
  if (missing.length > 0) {
    const obs = computeNightObservability(
      missing.map((b) => ({ name: b.name, raDeg: b.raDeg, decDeg: b.decDeg })),
      curveOptions,
    );
    const timesUtc = Array.from(obs.grid.timesMjd, (t) => isoFromMjd(t));
    missing.forEach((b, i) => kept.set(keyOf(b), { timesUtc, altDeg: Array.from(obs.targets[i].altDeg, (a) => Math.round(a * 10) / 10) }));
  }
  const curveOf = (b: PlannedBlock) => kept.get(keyOf(b))!;
  return {
    timesUtc: list.length ? curveOf(list[0]).timesUtc : [],
    series: list.map((b) => ({
      name: b.name,
      kind: b.kind,
      finalPriority: info.get(b.sequenceId)?.finalPriority ?? 0,
      altDeg: curveOf(b).altDeg,
    })),
  };
}

/** A plan's four figures and bound (Tonight's summary, CLI `summary`). */
export function summaryView(stats: PlanStats): PlanSummaryView {
  return {
    science: stats.scienceBlocks,
    idleMin: Math.round(stats.idleS / 60),
    popChanges: stats.popChanges,
    value: stats.value ?? stats.prioritySum,
    bound: stats.bound ?? null,
    nssWeight: stats.nssWeight ?? 0,
  };
}
