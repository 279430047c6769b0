/**
 * The night homogeneity summary: weighted means and χ² worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { diameterHomogeneity } from '../../../shared/oifits/fit-homogeneity';
import type { DiameterFit } from '../../../shared/oifits/fit';

const ud = (diameterMas: number, errorScaledMas: number): DiameterFit => ({ model: 'ud', diameterMas, errorMas: errorScaledMas, errorScaledMas, chi2: 0, chi2r: 1, n: 10 });

describe('diameterHomogeneity', () => {
  it('gives the inverse-variance mean, its error and the χ²r of the files about it', () => {
    // 1.0 ± 0.1 and 1.2 ± 0.1: mean 1.1, error 0.1/√2, χ² = 1 + 1 = 2 over 1 degree of freedom.
    const [s] = diameterHomogeneity([
      { target: 'HD 1', ud: ud(1.0, 0.1) },
      { target: 'HD 1', ud: ud(1.2, 0.1) },
    ]);
    expect(s.target).toBe('HD 1');
    expect(s.files).toBe(2);
    expect(s.meanUdMas).toBeCloseTo(1.1, 12);
    expect(s.errorMas).toBeCloseTo(0.1 / Math.SQRT2, 12);
    expect(s.chi2r).toBeCloseTo(2, 12);
    expect(s.spreadPercent).toBeCloseTo((100 * 0.2) / 1.1, 10);
    expect(s.consistent).toBe(true);
  });

  it('weights by the scaled errors and flags files that disagree', () => {
    // 2.0 ± 0.01 (weight 10000) and 2.5 ± 0.1 (weight 100): mean (20000 + 250) / 10100.
    const [s] = diameterHomogeneity([
      { target: 'X', ud: ud(2.0, 0.01) },
      { target: 'X', ud: ud(2.5, 0.1) },
    ]);
    const mean = 20250 / 10100;
    expect(s.meanUdMas).toBeCloseTo(mean, 12);
    expect(s.chi2r).toBeCloseTo(((2 - mean) / 0.01) ** 2 + ((2.5 - mean) / 0.1) ** 2, 9);
    expect(s.consistent).toBe(false);
  });

  it('groups by target, sorts the targets, keeps one-file targets without χ² and leaves out weightless fits', () => {
    const out = diameterHomogeneity([
      { target: 'b', ud: ud(1, 0.1) },
      { target: null, ud: ud(1, 0.1) },
      { target: 'a', ud: ud(1, 0.1) },
      { target: 'a', ud: ud(1, 0) },
      { target: 'a', ud: ud(Number.NaN, 0.1) },
    ]);
    expect(out.map((s) => [s.target, s.files, s.chi2r, s.consistent])).toEqual([
      ['?', 1, null, true],
      ['a', 1, null, true],
      ['b', 1, null, true],
    ]);
  });
});
