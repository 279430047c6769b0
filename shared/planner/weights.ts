/**
 * The planner's objective: what one placed science sequence is worth. NSS ranks targets by final
 * priority first (P1 before P2 …); the weights keep that order inside a night (a P1 is worth ten
 * P2s, and a night holds about ten sequences) while still letting a lower-ranked target fill time
 * a higher-ranked one cannot use. Inside one priority the soft preferences below only reorder.
 * See docs/planner.md "Objective".
 */

/** Weight of NSS final priority 1..4: 1000, 100, 10, 1. */
export const PRIORITY_WEIGHTS: Readonly<Record<number, number>> = { 1: 1000, 2: 100, 3: 10, 4: 1 };

/** Started (0 < completion < 1) targets are worth this much more than others of their priority. */
export const STARTED_FACTOR = 1.2;

/** Value kept at or beyond `HA_TOLERANCE_H` hours from the hour angle of earlier nights. */
export const HA_FLOOR = 0.7;
/** Hour-angle distance (h) at which the hour-angle preference reaches its floor. */
export const HA_TOLERANCE_H = 3;

/** Value kept by a target whose predicted V² is outside the bounds on every baseline ('prefer'). */
export const MODEL_FLOOR = 0.75;

/**
 * Weight of a final priority. NSS's 1..4 use `PRIORITY_WEIGHTS`; any other positive number (the
 * astroplan benchmark ranks 1..1000) falls as 4/P beyond 4, so the order is kept.
 */
export function priorityWeight(finalPriority: number): number {
  const w = PRIORITY_WEIGHTS[finalPriority];
  if (w !== undefined) return w;
  if (!(finalPriority > 0)) return 0;
  return finalPriority < 4 ? 10 ** (4 - finalPriority) : 4 / finalPriority;
}

/** NSS weight of a target: its priority's weight, ×1.2 when started. */
export function nssWeight(finalPriority: number, isStarted: boolean): number {
  return priorityWeight(finalPriority) * (isStarted ? STARTED_FACTOR : 1);
}

/**
 * Hour-angle factor: 1 at the hour angle of earlier nights, falling linearly to `HA_FLOOR` at
 * `HA_TOLERANCE_H` hours away (stable (u,v) coverage night to night); 1 without earlier nights.
 */
export function hourAngleFactor(haH: number | null, preferredHaH: number | null | undefined): number {
  if (haH === null || preferredHaH === null || preferredHaH === undefined) return 1;
  let d = haH - preferredHaH;
  d -= 24 * Math.round(d / 24);
  return 1 - (1 - HA_FLOOR) * Math.min(1, Math.abs(d) / HA_TOLERANCE_H);
}

/** Model factor ('prefer'): `MODEL_FLOOR` + the rest in proportion to the share of predicted V² within bounds. */
export function modelFactor(fractionWithin: number | null): number {
  if (fractionWithin === null) return 1;
  return MODEL_FLOOR + (1 - MODEL_FLOOR) * Math.max(0, Math.min(1, fractionWithin));
}
