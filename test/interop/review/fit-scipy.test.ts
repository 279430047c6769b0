/**
 * The quick-look fit against an independent fit by astropy + scipy run live (Debian's
 * /usr/bin/python3, python3-scipy; CI sets SPICA_REQUIRE_PEERS=1 so a missing scipy fails there):
 * UD and linear-LD diameters of the V² of four files, two of them not in the oimodeler set (the
 * MIRC AZ Cyg file and the AMBER file with two OI_WAVELENGTH tables).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlotData, fitDiameter, readOifits, vis2PointsFromSeries } from '../../../shared/oifits';

const PYTHON = '/usr/bin/python3';
const hasScipy = spawnSync(PYTHON, ['-c', 'import scipy.special, astropy'], { encoding: 'utf8' }).status === 0;
const required = process.env.SPICA_REQUIRE_PEERS === '1';
const FIXTURES = join(import.meta.dirname, '../../fixtures/oifits');
const CASES: Array<[string, 'ud' | 'ld', number]> = [
  ['oimodeler__Aspro2_zet_Oph_CHARA_SPICA_0.60249-0.80749-42ch_S1-S2-E1-E2-W1-W2_2023-05-19.fits', 'ud', 0],
  ['oimodeler__PIONI.2014-02-02T02_15_51.790_oidataCalibrated.fits', 'ld', 0.25],
  ['OITOOLSjl__AZCYG2011_FINAL2018.oifits', 'ud', 0],
  ['oitools__AMBER_070409.fits', 'ld', 0.3],
];

describe.skipIf(!hasScipy && !required)(`quick-look fit vs scipy live${hasScipy ? '' : ' (SKIPPED: no scipy/astropy in /usr/bin/python3)'}`, () => {
  for (const [name, kind, u] of CASES) {
    it(`${name.slice(0, 50)} ${kind.toUpperCase()}`, () => {
      const r = spawnSync(PYTHON, [join(import.meta.dirname, 'fit_scipy.py'), join(FIXTURES, name), kind, String(u)], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const ref = JSON.parse(r.stdout) as { diameter_mas: number; error_mas: number; chi2: number; n: number };
      const file = readOifits(new Uint8Array(readFileSync(join(FIXTURES, name))));
      const fit = fitDiameter(vis2PointsFromSeries(buildPlotData(file, ['vis2']).series), kind, { ldCoefficient: u });
      expect(fit.n).toBe(ref.n);
      expect(Math.abs(fit.diameterMas - ref.diameter_mas)).toBeLessThan(ref.error_mas);
      expect(Math.abs(fit.errorMas / ref.error_mas - 1)).toBeLessThan(0.02);
      expect(Math.abs(fit.chi2 / ref.chi2 - 1)).toBeLessThan(1e-3);
    });
  }
});
