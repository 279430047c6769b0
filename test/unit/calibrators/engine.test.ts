/**
 * Whole proposals on the real backbone: ranking order and terms, the policy thresholds, the
 * rejected list, and a night with the astro engine's projected baselines.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CalibratorCatalogue } from '../../../shared/calibrators/catalogue';
import { CalibratorEngine } from '../../../shared/calibrators/engine';
import { longestBaselineM, nightContext } from '../../../shared/calibrators/night-context';
import { calibratorPolicySchema, DEFAULT_POLICY } from '../../../shared/calibrators/policy';
import { backbone } from './helpers';

let engine: CalibratorEngine;
beforeAll(() => {
  engine = new CalibratorEngine(new CalibratorCatalogue(backbone()));
});

/** HD 21743 region near the Pleiades, a V = 5 target. */
const target = { name: 'test', raDeg: 56.87, decDeg: 24.1, vmag: 5 };

describe('proposals', () => {
  it('ranks eligible stars by the expected calibration error and shows every term', () => {
    const r = engine.propose(target);
    expect(r.candidates.length).toBeGreaterThan(0);
    for (let k = 1; k < r.candidates.length; k++) expect(r.candidates[k].score).toBeGreaterThanOrEqual(r.candidates[k - 1].score);
    for (const c of r.candidates) {
      const t = c.terms;
      expect(t.total).toBeCloseTo(Math.hypot(t.diam, t.sky, t.airmass, t.mag, t.resolved) + t.penalty, 5);
      expect(c.channels[0].vis2).toBeGreaterThanOrEqual(DEFAULT_POLICY.minVis2);
      expect(c.sepDeg).toBeLessThanOrEqual(r.radiusDeg);
      expect(Math.abs(c.deltaRmag!)).toBeLessThanOrEqual(DEFAULT_POLICY.maxDeltaMagAllowed);
      expect(c.flags.every((f) => f.severity === 'warn')).toBe(true);
    }
    expect(r.candidates.filter((c) => c.role === 'suggested').length).toBeGreaterThan(0);
  });

  it('never proposes η Tau and lists it as rejected with the emission rule', () => {
    const r = engine.propose({ name: 'near Pleiades', raDeg: 57.5, decDeg: 24.5, vmag: 3.5 });
    expect(r.candidates.some((c) => c.hd === 23630)).toBe(false);
    expect(r.rejected.find((x) => x.hd === 23630)).toMatchObject({ rule: 'emission' });
    for (const x of r.rejected) expect(x.reason.length).toBeGreaterThan(0);
  });

  it('follows the policy: a stricter V² floor removes the more resolved stars', () => {
    const loose = engine.propose(target).candidates;
    const strict = new CalibratorEngine(engine.catalogue, [], calibratorPolicySchema.parse({ minVis2: 0.75 }));
    const r = strict.propose(target);
    expect(r.candidates.every((c) => c.channels[0].vis2 >= 0.75)).toBe(true);
    expect(r.rejected.some((x) => x.rule === 'resolved')).toBe(true);
    expect(loose.some((c) => c.channels[0].vis2 < 0.75)).toBe(true);
  });

  it('uses the longest projected baseline over the target window of a night', () => {
    const night = nightContext(target, '2026-11-22', ['S1', 'E1']);
    expect(night.windowMjd).not.toBeNull();
    expect(night.baselineM).toBeLessThanOrEqual(longestBaselineM(['S1', 'E1']) + 1e-9);
    expect(night.baselineM).toBeGreaterThan(0.8 * longestBaselineM(['S1', 'E1']));
    const r = engine.propose(target, { night });
    expect(r.baselineM).toBe(night.baselineM);
    expect(r.candidates.every((c) => c.deltaAirmass !== null)).toBe(true);
  });

  it('rejects bad input with the field named', () => {
    expect(() => engine.propose({ name: 'x', raDeg: 400, decDeg: 0 })).toThrow(/ra_deg/);
    expect(() => engine.propose({ name: 'x', raDeg: 10, decDeg: -95 })).toThrow(/dec_deg/);
  });
});
