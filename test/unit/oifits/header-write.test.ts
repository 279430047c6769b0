/**
 * Primary-header write-back on real files: the verdict reads back, the primary checksum verifies
 * with our verifier (astropy and fitsverify check the same files in test/interop/oifits), every
 * byte after the primary header is unchanged, and a second review replaces the first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  editPrimaryHeader,
  formatCard,
  qualityHeaderEdit,
  readFitsStructure,
  readOifits,
  readQuality,
  verifyChecksums,
} from '../../../shared/oifits';
import { encodeChecksum, onesComplementSum32 } from '../../../shared/oifits/checksum';

const FIXTURES = join(__dirname, '../../fixtures/oifits');
const load = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const verdict = (level: 0 | 1 | 2 | 3 | 4 | 5, comment: string) => ({
  level,
  comment,
  reviewer: 'Night Reviewer',
  reviewedAtMs: Date.UTC(2026, 10, 22, 3, 4, 5),
});

describe('checksum encoding', () => {
  it('reproduces the example of the FITS checksum convention (Seaman et al. 2012, §4)', () => {
    // The paper's worked example: a sum of 868229149 encodes (complemented) as "hcHjjc9ghcEghc9g".
    expect(encodeChecksum(868229149)).toBe('hcHjjc9ghcEghc9g');
  });

  it('folds carries back in (ones-complement)', () => {
    const words = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x02]);
    expect(onesComplementSum32(words, 0, 8)).toBe(2);
  });
});

describe('editPrimaryHeader with a quality verdict', () => {
  const files = [
    'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits',
    'PMOIRED__mircx02330_oifits_viscal.fits',
    'oitools__GRAVI.2016-06-23T03_10_17.458_singlesciviscalibrated.fits',
    'ROTIRjl__SU_Lyn.oifits',
    'oifitslib__Bin_Ary--MIRC_H.fits',
  ];
  for (const name of files) {
    it(`${name}: verdict reads back, primary checksum valid where present, other HDUs untouched`, () => {
      const original = load(name);
      const before = readFitsStructure(original);
      const out = editPrimaryHeader(original, qualityHeaderEdit(verdict(4, 'Good night, V² consistent with calibrators.')));
      const after = readFitsStructure(out);
      expect(readQuality(after.hdus[0].header)).toEqual({
        level: 4,
        reviewer: 'Night Reviewer',
        date: '2026-11-22T03:04:05',
        plato: { processing: null, calibrators: null, analysis: null },
        comment: 'Good night, V2 consistent with calibrators.',
      });
      const hadChecksum = before.hdus[0].header.has('CHECKSUM');
      const status = verifyChecksums(after)[0];
      expect(status.checksum).toBe(hadChecksum ? 'valid' : 'absent');
      const shift = after.hdus[0].dataOffset - before.hdus[0].dataOffset;
      expect(shift % 2880).toBe(0);
      expect(Buffer.from(out.subarray(after.hdus[0].dataOffset)).equals(Buffer.from(original.subarray(before.hdus[0].dataOffset)))).toBe(true);
      expect(after.hdus.length).toBe(before.hdus.length);
      expect(readOifits(out).tables.length).toBe(readOifits(original).tables.length);
    });
  }

  it('a second review replaces level, reviewer, date and every comment card of the first', () => {
    const name = 'oifitslib__Bin_Ary--MIRC_H.fits';
    const first = editPrimaryHeader(load(name), qualityHeaderEdit(verdict(2, 'word '.repeat(60))));
    const firstCards = readFitsStructure(first).hdus[0].header.cards.filter((c) => c.comment.startsWith('QUALITY:'));
    expect(firstCards.length).toBeGreaterThan(3);
    const second = editPrimaryHeader(first, qualityHeaderEdit(verdict(5, 'short')));
    const header = readFitsStructure(second).hdus[0].header;
    expect(readQuality(header)).toMatchObject({ level: 5, comment: 'short' });
    expect(header.cards.filter((c) => c.key === 'QUALITY LEVEL')).toHaveLength(1);
    expect(header.cards.filter((c) => c.comment.startsWith('QUALITY:'))).toHaveLength(1);
    expect(verifyChecksums(readFitsStructure(second))[0].checksum).toBe('valid');
  });

  it('grows the header by one block when the new cards do not fit in its padding', () => {
    const name = 'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits';
    const original = load(name);
    const out = editPrimaryHeader(original, { ...qualityHeaderEdit(verdict(3, 'x '.repeat(2000))), addChecksum: true });
    expect(out.length).toBeGreaterThan(original.length);
    expect((out.length - original.length) % 2880).toBe(0);
    expect(verifyChecksums(readFitsStructure(out))[0]).toMatchObject({ checksum: 'valid', datasum: 'valid' });
  });

  it('writes fixed-format cards: strings from column 11, numbers right-aligned to column 30', () => {
    expect(formatCard('CHECKSUM', 'abcdefghijklmnop', 'c')).toBe(`CHECKSUM= 'abcdefghijklmnop'   / c`.padEnd(80));
    expect(formatCard('NAXIS', 0)).toBe(`NAXIS   =                    0`.padEnd(80));
    expect(formatCard('QUALITY LEVEL', 4, 'OiDB')).toBe('HIERARCH QUALITY LEVEL = 4 / OiDB'.padEnd(80));
  });
});
