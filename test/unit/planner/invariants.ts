/** Plan invariants shared by the planner tests: no overlaps, brackets, blocks in the window. */
import { expect } from 'vitest';
import type { MjdInterval, PlanCandidate, PlannedBlock } from '../../../shared/planner/types';

const EPS_DAYS = 1e-9;

/** No two blocks overlap. */
export function expectNoOverlap(blocks: readonly PlannedBlock[]): void {
  const sorted = [...blocks].sort((a, b) => a.startMjd - b.startMjd);
  for (let i = 1; i < sorted.length; i++) {
    expect(sorted[i].startMjd, `${sorted[i - 1].id} overlaps ${sorted[i].id}`).toBeGreaterThanOrEqual(sorted[i - 1].endMjd - EPS_DAYS);
  }
}

/** Every SCI block is immediately preceded and followed by a CAL block of one of its calibrators. */
export function expectBrackets(blocks: readonly PlannedBlock[], candidates: readonly PlanCandidate[]): void {
  const sorted = [...blocks].sort((a, b) => a.startMjd - b.startMjd);
  const calsOf = new Map(candidates.map((c) => [c.science.key, new Set(c.calibrators.map((s) => s.key))]));
  sorted.forEach((b, i) => {
    if (b.kind !== 'SCI') return;
    const before = sorted[i - 1];
    const after = sorted[i + 1];
    expect(before?.kind, `${b.id} has no CAL before it`).toBe('CAL');
    expect(after?.kind, `${b.id} has no CAL after it`).toBe('CAL');
    expect(calsOf.get(b.sequenceId)?.has(before.starKey), `${before.starKey} calibrates ${b.sequenceId}`).toBe(true);
    expect(calsOf.get(b.sequenceId)?.has(after.starKey), `${after.starKey} calibrates ${b.sequenceId}`).toBe(true);
    expect(b.calibratorKeys).toEqual([before.starKey, after.starKey]);
  });
}

/** Every planned block lies inside `window`. */
export function expectInside(blocks: readonly PlannedBlock[], window: MjdInterval): void {
  for (const b of blocks) {
    if (b.status !== 'planned') continue;
    expect(b.startMjd, `${b.id} starts before the window`).toBeGreaterThanOrEqual(window.startMjd - EPS_DAYS);
    expect(b.endMjd, `${b.id} ends after the window`).toBeLessThanOrEqual(window.endMjd + EPS_DAYS);
  }
}
