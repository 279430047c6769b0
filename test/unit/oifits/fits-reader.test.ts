/**
 * FITS layer on real files: HIERARCH and CONTINUE cards, headers far beyond 600 cards, and
 * truncated or corrupted copies of real files, which must end in a FitsError naming the HDU and
 * byte offset (never a hang, never another exception type).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FitsError, readFitsStructure, readOifits } from '../../../shared/oifits';
import { parseRecords } from '../../../shared/oifits/fits-header';

const FIXTURES = join(__dirname, '../../fixtures/oifits');
const load = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

describe('FITS headers', () => {
  it('keeps every card of an 8,600-card primary header and finds CONTENT at card 651', () => {
    const fits = readFitsStructure(load('ROTIRjl__SU_Lyn.oifits'));
    const primary = fits.hdus[0].header;
    expect(primary.cards.length).toBeGreaterThan(8600);
    expect(primary.string('CONTENT')).toBe('OIFITS2');
    const contentIndex = primary.cards.findIndex((c) => c.key === 'CONTENT');
    expect(contentIndex).toBeGreaterThan(600);
  });

  it('reads HIERARCH cards of an ESO header by their full keyword', () => {
    const fits = readFitsStructure(load('oitools__GRAVI.2016-06-23T03_10_17.458_singlesciviscalibrated.fits'));
    const h = fits.hdus[0].header;
    expect(h.cards.length).toBeGreaterThanOrEqual(1278);
    expect(h.string('HIERARCH ESO INS MODE')).toBeDefined();
    expect(h.get('ESO INS MODE')).toBe(h.get('HIERARCH ESO INS MODE'));
    expect(h.cards.filter((c) => c.isHierarch).length).toBeGreaterThan(1000);
  });

  it('joins CONTINUE long strings into one value', () => {
    const fits = readFitsStructure(load('PMOIRED__mircx02330_oifits_viscal.fits'));
    const long = fits.hdus[0].header.cards.find((c) => c.recordCount > 1);
    expect(long).toBeDefined();
    expect(typeof long?.value).toBe('string');
    expect((long?.value as string).length).toBeGreaterThan(68);
    expect(long?.value as string).not.toContain('&');
  });

  it('parses quoted strings with escaped quotes, logicals, integers and D exponents', () => {
    const rec = (s: string) => s.padEnd(80, ' ');
    const cards = parseRecords([
      rec("OBSERVER= 'O''Brien '           / who"),
      rec('EXTEND  =                    T'),
      rec('NAXIS   =                    0 / no data'),
      rec('EXPTIME =              1.5D+02'),
      rec('HIERARCH QUALITY LEVEL = 4 / OiDB'),
      rec('COMMENT free text'),
    ]);
    expect(cards.map((c) => [c.key, c.value])).toEqual([
      ['OBSERVER', "O'Brien"],
      ['EXTEND', true],
      ['NAXIS', 0],
      ['EXPTIME', 150],
      ['QUALITY LEVEL', 4],
      ['COMMENT', undefined],
    ]);
    expect(cards[0].comment).toBe('who');
    expect(cards[5].comment).toBe('free text');
  });
});

describe('truncated and corrupted files', () => {
  const sources = [
    'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits',
    'oitools__GRAVI.2016-06-23T03_10_17.458_singlesciviscalibrated.fits',
    'oifitslib__bigtest2.fits',
  ];

  for (const name of sources) {
    it(`${name}: every truncation point ends in a FitsError or a shorter file, quickly`, () => {
      const bytes = load(name);
      const started = Date.now();
      let errors = 0;
      for (let cut = 0; cut < bytes.length; cut += 1009) {
        try {
          const file = readOifits(bytes.subarray(0, cut));
          expect(file.fits.hdus.length).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(FitsError);
          expect((e as Error).message).toMatch(/^HDU \d+ at byte \d+: /);
          errors++;
        }
      }
      expect(errors).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(20_000);
    });
  }

  it('a header without END is reported with its HDU and offset', () => {
    const bytes = load('oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits').slice();
    const fits = readFitsStructure(bytes);
    const hdu = fits.hdus[2];
    const endAt = hdu.headerOffset + (hdu.header.recordCount - 1) * 80;
    bytes.set(new TextEncoder().encode('XND     '), endAt);
    expect(() => readOifits(bytes)).toThrow(FitsError);
    try {
      readOifits(bytes);
    } catch (e) {
      expect((e as FitsError).hduIndex).toBeGreaterThanOrEqual(2);
    }
  });

  it('a row count larger than the data is a truncated data unit, not an out-of-range read', () => {
    const bytes = load('oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits').slice();
    const fits = readFitsStructure(bytes);
    const hdu = fits.hdus[4];
    const card = hdu.header.cards.find((c) => c.key === 'NAXIS2');
    const at = hdu.headerOffset + (card?.recordIndex ?? 0) * 80;
    bytes.set(new TextEncoder().encode('NAXIS2  =              9999999'), at);
    expect(() => readOifits(bytes)).toThrow(/HDU 4 at byte \d+: data unit is truncated/);
  });

  it('random byte garbage is refused as not FITS', () => {
    const garbage = new Uint8Array(5760).map((_, i) => (i * 7919) % 251);
    expect(() => readOifits(garbage)).toThrow(FitsError);
  });
});
