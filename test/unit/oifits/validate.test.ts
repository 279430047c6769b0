/**
 * Validator findings on the deliberately broken files (OITools and OIFITSlib test suites; what
 * each breaks is stated in the data README) and on clean real files, which must yield no errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOifits, validateOifits, type Finding } from '../../../shared/oifits';

const FIXTURES = join(__dirname, '../../fixtures/oifits');
const findingsOf = (name: string): Finding[] => validateOifits(readOifits(new Uint8Array(readFileSync(join(FIXTURES, name)))));
const pick = (list: Finding[], rule: string) => list.filter((f) => f.rule === rule);

describe('validator on broken files', () => {
  it('bad_missing_arrname: ARRNAME missing in OI_VIS2 and OI_T3 is an error located on each table', () => {
    const f = pick(findingsOf('oifitslib__bad_missing_arrname.fits'), 'GENERIC_KEYWORD_MANDATORY').filter((x) => x.member === 'ARRNAME');
    expect(f.map((x) => [x.severity, x.extname, x.hdu])).toEqual([
      ['error', 'OI_VIS2', 4],
      ['error', 'OI_T3', 5],
    ]);
  });

  it('bad_missing_target: data rows point to a TARGET_ID absent from OI_TARGET', () => {
    const f = pick(findingsOf('oifitslib__bad_missing_target.fits'), 'GENERIC_COL_VAL_ACCEPTED_INT');
    expect(f.map((x) => [x.severity, x.extname, x.member])).toEqual([
      ['error', 'OI_VIS2', 'TARGET_ID'],
      ['error', 'OI_T3', 'TARGET_ID'],
    ]);
    expect(f[0].message).toContain('TARGET_ID 1 not found');
  });

  it('bad_neg_error: exactly one negative unflagged T3PHIERR', () => {
    const f = pick(findingsOf('oifitslib__bad_neg_error.fits'), 'GENERIC_COL_ERR_FIX');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', extname: 'OI_T3', member: 'T3PHIERR' });
    expect(f[0].message).toMatch(/\b1 unflagged T3PHIERR/);
  });

  it('bad_wave_reversed: EFF_WAVE order is reported as a warning', () => {
    const f = pick(findingsOf('oifitslib__bad_wave_reversed.fits'), 'OI_WAVELENGTH_EFF_WAVE_ORDER');
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('warning');
    expect(pick(findingsOf('oifitslib__bad_checksum.fits'), 'OI_WAVELENGTH_EFF_WAVE_ORDER')).toHaveLength(0);
  });

  it('bad_checksum: stale CHECKSUM in OI_TARGET and OI_VIS2 only', () => {
    const f = pick(findingsOf('oifitslib__bad_checksum.fits'), 'FITS_CHECKSUM');
    expect(f.map((x) => x.extname)).toEqual(['OI_TARGET', 'OI_VIS2']);
    expect(f.every((x) => x.severity === 'warning')).toBe(true);
  });

  it('bad_missing_content_kw: OI_REVN=2 without CONTENT is read as v2 with a warning', () => {
    const list = findingsOf('oifitslib__bad_missing_content_kw.fits');
    expect(pick(list, 'MAIN_HEADER_CONTENT')).toHaveLength(1);
    expect(list.filter((x) => x.severity === 'error')).toEqual([]);
  });

  it('V1_with_V2_Tables: no OI_TARGET, no OI_WAVELENGTH, no data, v2-only tables in v1, unknown OI_SPECTRUM', () => {
    const list = findingsOf('oitools__V1_with_V2_Tables.fits');
    const rules = list.map((x) => `${x.severity}:${x.rule}:${x.extname}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'error:OIFITS_OI_TARGET_EXIST:',
        'error:OIFITS_OI_WAVELENGTH_EXIST:',
        'error:OIFITS_OIDATA:',
        // OITools reports these two as OIFITS_TABLE_NOT_V2 in its Failures.xml.
        'error:OIFITS_TABLE_NOT_V2:OI_CORR',
        'error:OIFITS_TABLE_NOT_V2:OI_INSPOL',
        'warning:UNKNOWN_TABLE:OI_SPECTRUM',
      ]),
    );
  });

  it('GRAVITY 2016: CONTENT=OIFITS2 with OI_REVN=1 tables is tolerated with warnings; the pre-standard OI_FLUX is an error', () => {
    const list = findingsOf('oitools__GRAVI.2016-06-23T03_10_17.458_singlesciviscalibrated.fits');
    expect(pick(list, 'GENERIC_OIREV_FIX').length).toBeGreaterThanOrEqual(6);
    const errors = list.filter((x) => x.severity === 'error');
    expect(errors.map((x) => `${x.extname}:${x.member}`)).toEqual(['OI_FLUX:FLUXDATA', 'OI_FLUX:FLUXDATA']);
  });
});

describe('validator on clean real files', () => {
  for (const name of [
    'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits',
    'PMOIRED__mircx02330_oifits_viscal.fits',
    'OITOOLSjl__rho_Cas_example.oifits',
    'oifitslib__Bin_Ary--MIRC_H.fits',
    'oimodeler__Aspro2_zet_Oph_CHARA_SPICA_0.60249-0.80749-42ch_S1-S2-E1-E2-W1-W2_2023-05-19.fits',
    'oitools__2009-11-eps_Aur-avg5.oifits',
  ]) {
    it(`${name}: no errors`, () => {
      expect(findingsOf(name).filter((x) => x.severity === 'error')).toEqual([]);
    });
  }
});
