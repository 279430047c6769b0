/**
 * Colours against the spectral type, on the real bundled backbone (issue #15): HD 400's K is
 * another star's (V−K = −6.2 for an F8IV), 17 Lib "K2III" has the colours of an A star, Miras'
 * V and K come from different epochs, and a Hipparcos component without a WDS separation is a
 * multiple. Expected intrinsic colours are the JMMC tables' (SearchCal `alxColorTableFor*.cfg`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CalibratorCatalogue } from '../../../shared/calibrators/catalogue';
import { checkColours } from '../../../shared/calibrators/colour-check';
import { CalibratorEngine } from '../../../shared/calibrators/engine';
import { nightContext } from '../../../shared/calibrators/night-context';
import { parseSpectralType } from '../../../shared/calibrators/spectral-type';
import { assessDiameter } from '../../../shared/calibrators/star-diameter';
import { backbone } from './helpers';

let cat: CalibratorCatalogue;
let engine: CalibratorEngine;
beforeAll(() => {
  cat = new CalibratorCatalogue(backbone());
  engine = new CalibratorEngine(cat);
});
const star = (name: string) => {
  const i = cat.resolveName(name);
  if (i === null) throw new Error(`${name} not in the backbone`);
  return i;
};
const vetoes = (i: number) => engine.flagsOf(i).filter((f) => f.severity === 'veto');

describe('the colour check', () => {
  it('refuses HD 400\'s K = 12.36 (V−K = −6.2 for an F8IV) and keeps its V and B−V', () => {
    const r = checkColours(parseSpectralType('F8IV'), { V: 6.2, bv: 0.51, K: 12.36, eK: 0.02 });
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ band: 'K', value: 12.36 });
    expect(r[0].reason).toMatch(/V−K -6\.16 is impossible for F8IV/);
  });

  it('accepts normal colours with reddening and refuses 17 Lib\'s A-star colours for a K2III', () => {
    // A K2III at E(B−V) = 0.3: V−K ≈ 2.7 + 0.3 × 2.74.
    expect(checkColours(parseSpectralType('K2III'), { V: 6, bv: 1.16 + 0.3, J: 6 - 2.1 - 0.3 * 2.24, H: 6 - 2.6 - 0.3 * 2.57, K: 6 - 2.7 - 0.3 * 2.74, eJ: 0.02, eH: 0.02, eK: 0.02 })).toEqual([]);
    const r = checkColours(parseSpectralType('K2III'), { V: 6.601, bv: 0, J: 6.561, H: 6.568, K: 6.568, eJ: 0.02, eH: 0.02, eK: 0.02 });
    expect(r.map((x) => x.band)).toEqual(['B', 'J', 'H', 'K']);
  });

  it('says nothing about types the JMMC tables do not cover (C, S, N stars)', () => {
    expect(checkColours(parseSpectralType('C6,4'), { V: 10.4, bv: 3.7, K: 2.8, eK: 0.3 })).toEqual([]);
  });
});

describe('the backbone after its build-time check', () => {
  it('HD 400: K dropped with the reason, a V/(B−V) diameter instead of 0.0086 mas, and not proposed near 72 Peg', () => {
    const i = star('HD 400');
    const s = cat.stars[i];
    expect(s.kmag).toBeNull();
    expect(s.photRejected![0]).toMatch(/^K 12\.36: V−K -6\.16 is impossible for F8IV/);
    const d = cat.diameter(i)!;
    expect(d.tier).toBe('C');
    // `companion diameter` with HD 400's real photometry gives 0.46 mas (issue #15).
    expect(d.lddMas).toBeGreaterThan(0.35);
    expect(d.lddMas).toBeLessThan(0.55);
    expect(engine.flagsOf(i)).toContainEqual(expect.objectContaining({ code: 'photometry', severity: 'warn', source: 'backbone build colour check' }));
    const peg = cat.stars[star('72 Peg')];
    const night = nightContext({ name: '72 Peg', raDeg: peg.raDeg, decDeg: peg.decDeg }, '2026-12-06', ['S1', 'E1']);
    const r = engine.propose({ name: '72 Peg', raDeg: peg.raDeg, decDeg: peg.decDeg, vmag: peg.vmag }, { night });
    expect(r.candidates.some((c) => c.hd === 400)).toBe(false);
    expect(r.rejected.find((x) => x.hd === 400)).toMatchObject({ rule: 'resolved' });
  });

  it('17 Lib "K2III" with V−K 0.03 and B−V 0.00: every colour dropped, no diameter, vetoed with the reason', () => {
    const i = star('17 Lib');
    expect(cat.stars[i].photRejected!.map((x) => x.split(' ')[0])).toEqual(['B−V', 'J', 'H', 'K']);
    expect(cat.diameter(i)).toBeNull();
    const v = vetoes(i).find((f) => f.code === 'diameter')!;
    expect(v.reason).toMatch(/no diameter/);
    expect(v.reason).toMatch(/colours impossible for "K2III"/);
  });

  it('Miras (R Cnc V−K 9.6, T Cep 9.2, R Aqr 9.3, o Cet 8.7): no colour diameter, vetoed as variables', () => {
    for (const name of ['R Cnc', 'T Cep', 'R Aqr', 'omi Cet']) {
      const i = star(name);
      const a = cat.assessment(i);
      expect(a.refused.join(' '), name).toMatch(/large-amplitude variable \(GCVS M/);
      if (a.diameter) expect(a.diameter.tier, name).toBe('M');
      expect(vetoes(i).some((f) => f.code === 'variable'), name).toBe(true);
    }
  });

  it('the build dropped magnitudes of 285 stars, each with its reason; every other star is unchanged', () => {
    const flagged = cat.stars.filter((s) => (s.photRejected ?? []).length > 0);
    expect(flagged).toHaveLength(285);
    for (const s of flagged) for (const x of s.photRejected!) expect(x).toMatch(/^(B−V|J|H|K) -?\d+\.\d\d: /);
  });

  it('the diameter path drops a disagreeing magnitude at run time too (imported or typed photometry)', () => {
    const i = star('HD 400');
    const a = assessDiameter({ ...cat.stars[i], kmag: 12.36, eKmag: 0.02 });
    expect(a.rejected.map((x) => x.band)).toEqual(['K']);
    expect(a.diameter!.tier).toBe('C');
  });
});

describe('multiplicity from Hipparcos component letters', () => {
  it('vetoes HIP 43137 B (a component without a WDS separation) with the reason', () => {
    const i = star('HIP 43137 B');
    expect(cat.stars[i].wdsSepArcsec).toBeNull();
    expect(vetoes(i)).toContainEqual(expect.objectContaining({ code: 'multiple', label: 'comp. B', source: 'Hipparcos (component letter)' }));
    expect(vetoes(i).find((f) => f.label === 'comp. B')!.reason).toMatch(/component B of a multiple system/);
  });

  it('vetoes every one of the 425 backbone components without a WDS separation', () => {
    let n = 0;
    for (let i = 0; i < cat.stars.length; i++) {
      const s = cat.stars[i];
      if (!s.comp || s.wdsSepArcsec !== null) continue;
      n++;
      expect(vetoes(i).some((f) => f.code === 'multiple'), s.key).toBe(true);
    }
    expect(n).toBe(425);
  });
});
