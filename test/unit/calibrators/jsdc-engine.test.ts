/**
 * The JSDC diameter engine against JMMC's own regression vectors (573 JMDC stars, embedded in
 * SearchCal alxAngularDiameter.c, "TESTED @ 2017/03/31") and the spectral-type index parser
 * against the index JMMC gives for the same stars.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { estimateJsdcDiameter, searchCalPhotometry } from '../../../shared/calibrators/jsdc-diameter';
import { parseSpectralType } from '../../../shared/calibrators/spectral-type';

const FIXTURES = join(import.meta.dirname, '../../fixtures/calibrators');
const rows = Papa.parse<Record<string, string>>(readFileSync(join(FIXTURES, 'jsdc_polynomial_reference_vectors.csv'), 'utf8'), {
  header: true,
  skipEmptyLines: true,
}).data;

describe('JSDC polynomial diameters', () => {
  it('reads all 573 reference vectors', () => {
    expect(rows).toHaveLength(573);
  });

  it('reproduces every per-colour log θ, its error, the mean and its error to ≤ 1e-6 dex', () => {
    let worst = 0;
    for (const r of rows) {
      const n = (k: string) => Number(r[k]);
      const d = estimateJsdcDiameter(n('sp_index'), {
        V: { mag: n('mV'), err: n('eV') },
        J: { mag: n('mJ'), err: n('eJ') },
        H: { mag: n('mH'), err: n('eH') },
        K: { mag: n('mK'), err: n('eK') },
      });
      expect(d.estimates.map((e) => e.colour)).toEqual(['VJ', 'VH', 'VK']);
      for (const e of d.estimates) {
        const c = e.colour.slice(1);
        worst = Math.max(worst, Math.abs(e.logDiam - n(`log_diam_V${c}`)), Math.abs(e.eLogDiam - n(`e_log_diam_V${c}`)));
      }
      worst = Math.max(worst, Math.abs(d.logDiamMean - n('log_diam_mean')), Math.abs(d.eLogDiamMean - n('e_log_diam_mean')));
    }
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it('gives JMMC\'s spectral index for every reference SpType (Am notation included)', () => {
    const wrong = rows.filter((r) => parseSpectralType(r.SpType).index !== Number(r.sp_index)).map((r) => `${r.SpType}→${parseSpectralType(r.SpType).index}≠${r.sp_index}`);
    expect(wrong).toEqual([]);
  });

  it('refuses an index outside the polynomial domain and a star without J, H and K', () => {
    expect(() => estimateJsdcDiameter(30, { V: { mag: 5, err: 0.02 }, J: { mag: 4, err: 0.02 }, H: null, K: null })).toThrow(/outside the JSDC domain 42–272/);
    expect(() => estimateJsdcDiameter(120, { V: { mag: 5, err: 0.02 }, J: null, H: null, K: null })).toThrow(/no J, H or K/);
  });

  it('applies SearchCal\'s magnitude-error rules', () => {
    const p = searchCalPhotometry({ V: 2.5, eV: null, J: 2, eJ: 0.2, H: 1.9, eH: 0.5, K: 1.8, eK: 0.1 });
    expect(p.V.err).toBe(0.1);
    expect([p.J!.err, p.H!.err, p.K!.err]).toEqual([0.35, 0.35, 0.35]);
    expect(searchCalPhotometry({ V: 6, eV: 0.001, J: 5, eJ: 0.02, H: null, eH: null, K: 4.9, eK: 0.03 }).V.err).toBe(0.01);
    expect(searchCalPhotometry({ V: 6, eV: null, J: 5, eJ: 0.02, H: null, eH: null, K: 4.9, eK: 0.03 }).V.err).toBe(0.04);
  });
});

describe('spectral types', () => {
  it('finds emission marks but not the e of Fe or He', () => {
    expect(parseSpectralType('B7IIIe').hasEmission).toBe(true);
    expect(parseSpectralType('B0.5IVpe').hasEmission).toBe(true);
    expect(parseSpectralType('B2IV-Vne').hasEmission).toBe(true);
    expect(parseSpectralType('A1Vshell').hasEmission).toBe(true);
    expect(parseSpectralType('M3III(e)').hasEmission).toBe(true);
    expect(parseSpectralType('G8III-IVFe-0.5').hasEmission).toBe(false);
    expect(parseSpectralType('B3IVHe-weak').hasEmission).toBe(false);
    expect(parseSpectralType('A0pSiCr').hasEmission).toBe(false);
    expect(parseSpectralType('K0IIIpec').hasEmission).toBe(false);
  });
  it('reads luminosity classes, ranges and composites', () => {
    expect(parseSpectralType('K2/3III')).toMatchObject({ code: 'K', subType: 2, isRange: true, lumClass: 3 });
    expect(parseSpectralType('G8III-IV')).toMatchObject({ index: 192, lumClass: 3, lumClassOther: 4, isRange: false });
    expect(parseSpectralType('K0III+A2V').isComposite).toBe(true);
    expect(parseSpectralType('gG9')).toMatchObject({ index: 196, lumClass: 3 });
    expect(parseSpectralType('C5,4').code).toBeNull();
  });
  it('gives the spectral-index range SearchCal samples for an uncertain type (alxString2SpectralType)', () => {
    expect(parseSpectralType('K2III').indexRange).toEqual([208, 208]);
    expect(parseSpectralType('K2/3III').indexRange).toEqual([208, 212]);
    expect(parseSpectralType('G8/K0III').indexRange).toEqual([192, 200]);
    expect(parseSpectralType('M3-6e').indexRange).toEqual([252, 264]);
    // A bare class: X0–X10, except M (M0–M6); "K5+III" is K5 ± 1 sub-type.
    expect(parseSpectralType('K').indexRange).toEqual([200, 240]);
    expect(parseSpectralType('M:').indexRange).toEqual([240, 264]);
    expect(parseSpectralType('K5+III')).toMatchObject({ indexRange: [216, 224], lumClass: 3, isComposite: false });
    expect(parseSpectralType('N').indexRange).toBeNull();
    expect(parseSpectralType('S3/3').indexRange).toBeNull();
  });
});
