/**
 * Sequence layouts: the ordered star visits of one science target (CAL–SCI–CAL, or longer
 * alternating chains when several points are asked), their offsets from the sequence start, and
 * the start times at which every visit stays inside its star's observable intervals.
 */
import { SECONDS_PER_DAY, intersect, separationDeg, startsInside } from './intervals';
import type { MjdInterval, PlanSettings, PlanStar } from './types';

/** One visit of a layout. */
export interface Visit {
  kind: 'SCI' | 'CAL';
  star: PlanStar;
  offsetDays: number;
  durationDays: number;
}

/** A concrete layout of one sequence. */
export interface Layout {
  visits: Visit[];
  durationDays: number;
  /** The opening calibrator is a CAL block already on the timeline (not part of `visits`). */
  sharesBefore: PlanStar | null;
  /** The closing calibrator is a CAL block already on the timeline (not part of `visits`). */
  sharesAfter: PlanStar | null;
}

/** Slew time between two stars at the configured rate, in days (0 when the rate is 0). */
export function slewDays(a: PlanStar, b: PlanStar, settings: PlanSettings): number {
  if (!(settings.slewRateDegPerS > 0) || a.key === b.key) return 0;
  return separationDeg(a.raDeg, a.decDeg, b.raDeg, b.decDeg) / settings.slewRateDegPerS / SECONDS_PER_DAY;
}

/** Time between two consecutive blocks: slew plus a PoP change when the PoPs differ, in days. */
export function transitionDays(
  a: PlanStar,
  aPops: string,
  b: PlanStar,
  bPops: string,
  settings: PlanSettings,
): number {
  const popChange = aPops !== bPops ? settings.popChangeS / SECONDS_PER_DAY : 0;
  return slewDays(a, b, settings) + popChange;
}

/** Durations of a science and a calibrator visit, in days. */
export function visitDays(settings: PlanSettings): { sciDays: number; calDays: number } {
  if (settings.bracket === 'none') {
    const sciS = settings.acquisitionS + settings.pointsPerTarget * settings.pointS;
    return { sciDays: sciS / SECONDS_PER_DAY, calDays: 0 };
  }
  return {
    sciDays: (settings.acquisitionS + settings.pointS) / SECONDS_PER_DAY,
    calDays: (settings.acquisitionS + settings.calPointsPerVisit * settings.pointS) / SECONDS_PER_DAY,
  };
}

/**
 * The layout of a sequence with calibrators `calA` (opening, and every other one after) and
 * `calB`. With `sharesBefore` / `sharesAfter` the first / last calibrator visit is a neighbour's
 * CAL block that this sequence reuses, so it is dropped from `visits`.
 */
export function buildLayout(
  science: PlanStar,
  calA: PlanStar | null,
  calB: PlanStar | null,
  settings: PlanSettings,
  sharesBefore: PlanStar | null = null,
  sharesAfter: PlanStar | null = null,
): Layout {
  const { sciDays, calDays } = visitDays(settings);
  const stars: Array<{ kind: 'SCI' | 'CAL'; star: PlanStar; durationDays: number }> = [];
  if (settings.bracket === 'none' || !calA || !calB) {
    stars.push({ kind: 'SCI', star: science, durationDays: sciDays });
  } else {
    const points = Math.max(1, settings.pointsPerTarget);
    const opening = sharesBefore ?? calA;
    const closingIndex = points;
    for (let i = 0; i <= points; i++) {
      const cal = i === 0 ? opening : i === closingIndex && sharesAfter ? sharesAfter : i % 2 === 0 ? calA : calB;
      stars.push({ kind: 'CAL', star: cal, durationDays: calDays });
      if (i < points) stars.push({ kind: 'SCI', star: science, durationDays: sciDays });
    }
    if (sharesBefore) stars.shift();
    if (sharesAfter) stars.pop();
  }
  const visits: Visit[] = [];
  let t = 0;
  for (let i = 0; i < stars.length; i++) {
    if (i > 0) t += slewDays(stars[i - 1].star, stars[i].star, settings);
    visits.push({ ...stars[i], offsetDays: t });
    t += stars[i].durationDays;
  }
  return { visits, durationDays: t, sharesBefore, sharesAfter };
}

/** Start times at which every visit of `layout` lies inside its star's observable intervals. */
export function feasibleStarts(layout: Layout): MjdInterval[] {
  let starts: MjdInterval[] | null = null;
  for (const v of layout.visits) {
    const own = startsInside(v.star.intervals, v.offsetDays, v.durationDays);
    starts = starts === null ? own : intersect(starts, own);
    if (starts.length === 0) return starts;
  }
  return starts ?? [];
}
