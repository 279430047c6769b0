/**
 * Reads all 27 shared OIFITS files and compares with the figures in the data README, which were
 * measured with astropy 5.2 by whoever collected the files (test/fixtures/oifits/PROVENANCE.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FitsError, readOifits, summariseOifits, verifyChecksums } from '../../../shared/oifits';

const FIXTURES = join(__dirname, '../../fixtures/oifits');

interface ReadmeRow {
  file: string;
  version: string;
  sizeBytes: number;
  rows: string;
  flagged: string;
  checksum: string;
}

function readmeRows(): ReadmeRow[] {
  const text = readFileSync(join(FIXTURES, 'README.md'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const cells = l.split('|').map((c) => c.trim());
      return {
        file: cells[1].replace(/`/g, ''),
        version: cells[4],
        sizeBytes: Number(cells[5]),
        rows: cells[6],
        flagged: cells[7],
        checksum: cells[8],
      };
    });
}

/** "TARGET 1; ARRAY 4+4 (2 tables); ..." → { OI_TARGET: [1], OI_ARRAY: [4, 4], ... } */
function expectedRowCounts(text: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const part of text.split(';')) {
    const m = /^\s*([A-Z0-9]+)\s+([\d+]+)/.exec(part);
    if (!m) continue;
    out[`OI_${m[1]}`] = m[2].split('+').map(Number);
  }
  return out;
}

const rows = readmeRows();

describe('shared OIFITS files against the data README (astropy figures)', () => {
  it('lists all 27 files', () => {
    expect(rows).toHaveLength(27);
  });

  for (const row of rows) {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, row.file)));

    if (row.rows.startsWith('unreadable')) {
      it(`${row.file}: refused with an error naming HDU and offset`, () => {
        expect(bytes.length).toBe(row.sizeBytes);
        expect(() => readOifits(bytes)).toThrow(FitsError);
        expect(() => readOifits(bytes)).toThrow(/HDU 0 at byte \d+/);
      });
      continue;
    }

    it(`${row.file}: size, version, rows per table, flags and checksums match`, () => {
      expect(bytes.length).toBe(row.sizeBytes);
      const file = readOifits(bytes);
      const summary = summariseOifits(file);

      expect(String(file.version)).toBe(row.version.slice(0, 1));

      const expected = expectedRowCounts(row.rows);
      const actual: Record<string, number[]> = {};
      for (const t of summary.tables) (actual[t.extname] ??= []).push(t.rows);
      expect(actual).toEqual(expected);

      const nonOi = /non-OI HDUs: ([A-Z_, ]+)/.exec(row.rows);
      if (nonOi) expect(file.otherHdus.map((h) => h.extname)).toEqual(nonOi[1].split(',').map((s) => s.trim()));

      const [flagged, total] = row.flagged.split('/').map(Number);
      expect(summary.flaggedCount).toBe(flagged);
      expect(summary.flagTotal).toBe(total);

      const status = verifyChecksums(file.fits);
      const invalid = status.filter((s) => s.checksum === 'invalid' || s.datasum === 'invalid').map((s) => s.extname);
      const present = status.filter((s) => s.checksum !== 'absent' || s.datasum !== 'absent');
      if (row.checksum === 'none') expect(present).toEqual([]);
      else if (row.checksum === 'valid') {
        expect(present.length).toBeGreaterThan(0);
        expect(invalid).toEqual([]);
      } else {
        const names = row.checksum.replace('INVALID in ', '').split(',').map((s) => s.trim());
        expect([...new Set(invalid)].sort()).toEqual([...new Set(names)].sort());
      }
    });
  }
});
