/**
 * Vetoes on the real bundled backbone: the note's fixtures (γ Cas and η Tau are Be stars even
 * where one catalogue misses it; a WDS pair at 1.3″ is a multiple; the CATCH JSDC rows pass their
 * own multiplicity data) and a local BadCal entry.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CalibratorCatalogue } from '../../../shared/calibrators/catalogue';
import { CalibratorEngine } from '../../../shared/calibrators/engine';
import { parseCatchList } from '../../../shared/calibrators/import/catch-list';
import type { JsdcRow } from '../../../shared/calibrators/backbone-types';
import { backbone, fixture } from './helpers';

let cat: CalibratorCatalogue;
let engine: CalibratorEngine;
let catchRows: JsdcRow[];

beforeAll(() => {
  catchRows = ['HD10516', 'HD197481', 'HD203280', 'HD20902'].flatMap((t) => parseCatchList(fixture(`${t}_Calibrators.txt`), `${t}_Calibrators.txt`));
  // The bundled copy of the CATCH rows is replaced by the fixture's, so the test reads the fixture.
  cat = new CalibratorCatalogue({ ...backbone(), jsdc: [] }, catchRows);
  engine = new CalibratorEngine(cat);
});

const byHd = (hd: number) => {
  const i = cat.indexOfHd(hd);
  if (i === undefined) throw new Error(`HD ${hd} not in the backbone`);
  return i;
};

describe('hard vetoes', () => {
  it('vetoes γ Cas (HD 5394) as a Be star from every catalogue that says so', () => {
    const flags = engine.flagsOf(byHd(5394)).filter((f) => f.code === 'emission' && f.severity === 'veto');
    expect(flags.map((f) => f.source).sort()).toEqual(['GCVS', 'SIMBAD OTYPE', 'SIMBAD SpType']);
  });

  it('vetoes η Tau (HD 23630) although its Hipparcos and SIMBAD spectral types are plain "B7III"', () => {
    const i = byHd(23630);
    expect(cat.stars[i].spType).toBe('B7III');
    const sources = engine.flagsOf(i).filter((f) => f.code === 'emission' && f.severity === 'veto').map((f) => f.source);
    expect(sources).toContain('BSC5 SpType');
    expect(sources).toContain('SIMBAD OTYPE');
  });

  it('vetoes a WDS pair at 1.3″ (HIP 110)', () => {
    const i = cat.indexOfHip(110)!;
    expect(cat.stars[i].wdsSepArcsec).toBe(1.3);
    expect(engine.flagsOf(i)).toContainEqual(expect.objectContaining({ code: 'multiple', severity: 'veto', source: 'WDS' }));
  });

  it('lets all 89 CATCH JSDC rows through their own multiplicity rules (RUWE, IPDfmp, PMa, CalFlag)', () => {
    expect(catchRows).toHaveLength(89);
    for (const row of catchRows) {
      const i = cat.stars.findIndex((s) => s.jsdc === row);
      expect(i, row.name).toBeGreaterThanOrEqual(0);
      const own = engine.flagsOf(i).filter((f) => f.severity === 'veto' && f.code === 'multiple' && f.source === row.source);
      expect(own, row.name).toEqual([]);
    }
  });

  it('gives the CATCH rows tier A diameters from their UDDK and e_LDD', () => {
    const row = catchRows.find((r) => r.name === 'HD 196275')!;
    const d = cat.diameter(cat.stars.findIndex((s) => s.jsdc === row))!;
    expect(d.tier).toBe('A');
    expect(d.eLddMas).toBe(0.01473);
    // LD ≥ UD in K and within a few per cent of it.
    expect(d.lddMas / 0.657919).toBeGreaterThan(1);
    expect(d.lddMas / 0.657919).toBeLessThan(1.05);
  });

  it('vetoes a star on the local BadCal list, by HD or by position', () => {
    const i = byHd(21743);
    const e2 = new CalibratorEngine(cat, [{ name: 'HD 21743', hd: 21743, hip: null, raDeg: null, decDeg: null, reason: 'V² drift', night: '2025-10-01', source: 'local' }]);
    expect(e2.flagsOf(i)[0]).toMatchObject({ code: 'badcal', severity: 'veto', source: 'local BadCal' });
    const s = cat.stars[i];
    const e3 = new CalibratorEngine(cat, [{ name: 'x', hd: null, hip: null, raDeg: s.raDeg + 1 / 3600, decDeg: s.decDeg, reason: 'r', night: null, source: 'jmmc' }]);
    expect(e3.flagsOf(i)[0]).toMatchObject({ code: 'badcal', source: 'BadCal (jmmc)' });
    expect(engine.flagsOf(i).some((f) => f.code === 'badcal')).toBe(false);
  });
});
