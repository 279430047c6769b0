/**
 * Interval algebra on sorted, disjoint lists of closed MJD intervals: the scheduler turns
 * "star X observable over [t, t + d]" into "start s inside these intervals" and intersects them.
 */
import type { MjdInterval } from './types';

/** Seconds per day, to move between durations (s) and MJD offsets (d). */
export const SECONDS_PER_DAY = 86400;

/**
 * Slack (days, ≈ 0.1 ms) for float rounding: a 20-min visit in a 20-min window built from
 * 5-min grid samples must fit although `start + 20/1440` is not bit-equal to the window end.
 */
export const EPS_DAYS = 1e-9;

/**
 * Start times `s` such that `[s + offsetDays, s + offsetDays + durationDays]` lies inside one of
 * `intervals` (sorted, disjoint). The result is sorted and disjoint.
 */
export function startsInside(
  intervals: readonly MjdInterval[],
  offsetDays: number,
  durationDays: number,
): MjdInterval[] {
  const out: MjdInterval[] = [];
  for (const iv of intervals) {
    const lastStart = iv.endMjd - durationDays;
    if (lastStart < iv.startMjd - EPS_DAYS) continue;
    out.push({ startMjd: iv.startMjd - offsetDays, endMjd: Math.max(iv.startMjd, lastStart) - offsetDays });
  }
  return out;
}

/** Intersection of two sorted, disjoint interval lists. */
export function intersect(a: readonly MjdInterval[], b: readonly MjdInterval[]): MjdInterval[] {
  const out: MjdInterval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i].startMjd, b[j].startMjd);
    const hi = Math.min(a[i].endMjd, b[j].endMjd);
    if (lo <= hi + EPS_DAYS) out.push({ startMjd: lo, endMjd: Math.max(lo, hi) });
    if (a[i].endMjd < b[j].endMjd) i++;
    else j++;
  }
  return out;
}

/** Intersection of a sorted interval list with one interval. */
export function clip(list: readonly MjdInterval[], lo: number, hi: number): MjdInterval[] {
  const out: MjdInterval[] = [];
  if (lo > hi + EPS_DAYS) return out;
  for (const iv of list) {
    if (iv.endMjd < lo - EPS_DAYS) continue;
    if (iv.startMjd > hi + EPS_DAYS) break;
    const a = Math.max(lo, iv.startMjd);
    out.push({ startMjd: a, endMjd: Math.max(a, Math.min(hi, iv.endMjd)) });
  }
  return out;
}

/** Whether `[startMjd, endMjd]` lies wholly inside one interval of the list. */
export function coversSpan(list: readonly MjdInterval[], startMjd: number, endMjd: number): boolean {
  for (const iv of list) {
    if (iv.startMjd <= startMjd + EPS_DAYS && endMjd <= iv.endMjd + EPS_DAYS) return true;
  }
  return false;
}

/** Total length of a list, in days. */
export function totalDays(list: readonly MjdInterval[]): number {
  let sum = 0;
  for (const iv of list) sum += iv.endMjd - iv.startMjd;
  return sum;
}

/** Great-circle separation of two directions, degrees. */
export function separationDeg(raADeg: number, decADeg: number, raBDeg: number, decBDeg: number): number {
  const rad = Math.PI / 180;
  const dRa = (raBDeg - raADeg) * rad;
  const a = Math.sin(((decBDeg - decADeg) * rad) / 2) ** 2;
  const b = Math.cos(decADeg * rad) * Math.cos(decBDeg * rad) * Math.sin(dRa / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(a + b)))) / rad;
}
