/**
 * The quick-look fit (shared/oifits/fit.ts) against oimodeler's fits of the same V² (committed
 * numbers: test/fixtures/review/oimodeler_fit_reference.json, made by the script beside it with
 * an oimodeler snapshot; re-run live with `npm run ref:review-fit`). Three files: the ASPRO2
 * SPICA simulation (zet Oph) and two real VLTI files (PIONIER Canopus, MATISSE bet Cnc); UD and a
 * linear-LD disk each. Agreement required: diameter within the reference's 1σ error, error within
 * 2 %, χ² within 0.1 %, same number of points.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlotData, fitDiameter, readOifits, vis2PointsFromSeries } from '../../../shared/oifits';

interface RefFit {
  file: string;
  model: 'ud' | 'ld';
  ld_coefficient?: number;
  diameter_mas: number;
  error_mas: number;
  chi2: number;
  chi2r: number;
  n: number;
}

const REF = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/review/oimodeler_fit_reference.json'), 'utf8')) as {
  provenance: { tool: string; commit: string };
  fits: RefFit[];
};

describe(`quick-look fit vs oimodeler (${REF.provenance.commit.slice(0, 7)})`, () => {
  it('covers the SPICA simulation and two real files, UD and LD', () => {
    expect(new Set(REF.fits.map((f) => f.file)).size).toBe(3);
    expect(REF.fits.filter((f) => f.model === 'ld')).toHaveLength(3);
  });
  for (const ref of REF.fits) {
    it(`${ref.file.slice(0, 48)}… ${ref.model.toUpperCase()}: ${ref.diameter_mas.toFixed(4)} ± ${ref.error_mas.toPrecision(2)} mas`, () => {
      const file = readOifits(new Uint8Array(readFileSync(join(import.meta.dirname, '../../fixtures/oifits', ref.file))));
      const points = vis2PointsFromSeries(buildPlotData(file, ['vis2']).series);
      const fit = fitDiameter(points, ref.model, { ldCoefficient: ref.ld_coefficient });
      expect(fit.n).toBe(ref.n);
      expect(Math.abs(fit.diameterMas - ref.diameter_mas)).toBeLessThan(ref.error_mas);
      expect(Math.abs(fit.errorMas / ref.error_mas - 1)).toBeLessThan(0.02);
      expect(Math.abs(fit.chi2 / ref.chi2 - 1)).toBeLessThan(1e-3);
      expect(Math.abs(fit.chi2r / ref.chi2r - 1)).toBeLessThan(1e-3);
    });
  }
});
