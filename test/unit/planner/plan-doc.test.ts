/**
 * The left-out list as a plan's document saves it (electron/services/planner/plan-doc.ts): read
 * back, it is the list the planner made, entry for entry, on a real 6T night.
 */
import { describe, expect, it } from 'vitest';
import { packLeftOut, unpackLeftOut } from '../../../electron/services/planner/plan-doc';
import { replanFrom } from '../../../shared/planner/replan';
import { DEFAULT_PLAN_SETTINGS, type LeftOut } from '../../../shared/planner/types';
import { sixTNight } from './bench-fixture';

describe('saved left-out list', () => {
  const { prepared } = sixTNight();
  const plan = replanFrom({
    blocks: [],
    night: prepared.window,
    fromMjd: prepared.window.startMjd + 2 / 24,
    candidates: prepared.candidates,
    settings: DEFAULT_PLAN_SETTINGS,
    sidereal: prepared.sidereal,
    skippedKeys: [prepared.candidates[0].science.key],
  });

  it('reads back as the planner made it: same targets, order, codes and reasons', () => {
    expect(new Set(plan.leftOut.map((l) => l.code)).size).toBeGreaterThanOrEqual(3);
    const packed = JSON.parse(JSON.stringify(packLeftOut(plan.leftOut)));
    expect(JSON.stringify(unpackLeftOut(packed))).toBe(JSON.stringify(plan.leftOut));
    expect(packed.reasons.length).toBeLessThan(plan.leftOut.length);
  });

  it('keeps an entry without a code (plans saved before #10) without one', () => {
    const old: LeftOut[] = [
      { key: 'a', name: 'HD 1', finalPriority: 2, reason: 'not observable' },
      { key: 'b', name: 'HD 2', finalPriority: 2, code: 'not-observable', reason: 'not observable' },
    ];
    const back = unpackLeftOut(packLeftOut(old));
    expect(back).toEqual(old);
    expect('code' in back[0]).toBe(false);
  });
});
