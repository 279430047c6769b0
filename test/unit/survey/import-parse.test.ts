import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDecDms, formatRaHms, parseDecDeg, parseRaDeg } from '../../../shared/astro/sexagesimal';
import { ImportError, parseImport } from '../../../shared/survey/import-rows';

const FIXTURES = join(import.meta.dirname, '../../fixtures/survey');
const read = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');

describe('sexagesimal', () => {
  it('parses the forms SPICA-DB and ASPRO2 use', () => {
    expect(parseRaDeg('08 59 12.5000', 'hms')).toBeCloseTo((8 + 59 / 60 + 12.5 / 3600) * 15, 10);
    expect(parseRaDeg('00:15:21.5494')).toBeCloseTo((0 + 15 / 60 + 21.5494 / 3600) * 15, 10);
    expect(parseDecDeg('+48 02 34.000')).toBeCloseTo(48 + 2 / 60 + 34 / 3600, 10);
    expect(parseDecDeg('-05:30:00')).toBeCloseTo(-5.5, 12);
    expect(parseRaDeg('123.25')).toBe(123.25);
  });
  it('rejects out-of-range and garbage with the text in the message', () => {
    expect(() => parseRaDeg('25:00:00')).toThrow(/25:00:00/);
    expect(() => parseDecDeg('+95 00 00')).toThrow(/outside/);
    expect(() => parseDecDeg('north')).toThrow(/north/);
    expect(() => parseDecDeg('+10 61 00')).toThrow(/minutes/);
  });
  it('formats and round-trips', () => {
    expect(formatRaHms(134.80208333333334, 2)).toBe('08:59:12.50');
    expect(formatDecDms(-5.5, 1)).toBe('-05:30:00.0');
    expect(formatRaHms(359.99999999, 2)).toBe('00:00:00.00');
  });
});

describe('parseImport', () => {
  it('reads the SPICA-DB prototype export (TARGET_* columns)', () => {
    const r = parseImport('spicadb_partial_wp5.vot', read('spicadb_partial_wp5.vot'));
    expect(r.format).toBe('spicadb-votable');
    expect(r.targets).toHaveLength(42);
    expect(r.skipped).toEqual([]);
    const first = r.targets[0];
    expect(first.name).toBe('* iot UMa BC');
    expect(first.raDeg).toBeCloseTo(134.802083333, 8);
    expect(first.decDeg).toBeCloseTo(48.042777778, 8);
    expect(first.vmag).toBeCloseTo(8.9, 5);
    expect(first.spType).toBe('M1V');
    expect(first.spicaMode).toBe('DIA');
    // "TBD by SPICA-DB" is a placeholder, not an identity.
    expect(first.spicadbId).toBeNull();
    expect(first.memberships).toEqual([{ programme: 'WP5', pi: 'nna', piPriority: 0, mode: 'DIA', comments: null, rank: 1 }]);
    expect(Object.keys(first.extra)).toContain('TARGET_E(B-V)');
  });
  it('reads an ASPRO2 target VOTable', () => {
    const r = parseImport('Aspro2_exported_targets.vot', read('Aspro2_exported_targets.vot'));
    expect(r.format).toBe('aspro2-votable');
    expect(r.targets.map((t) => t.name)).toEqual(['HIP1234', 'ETA TAU', 'HD 1234']);
    expect(r.targets[0].vmag).toBe(7.347);
    expect(r.targets[0].hd).toBe('1094');
  });
  it('reads the benchmark CSV with programme and PI', () => {
    const r = parseImport('bench_targets_100.csv', read('bench_targets_100.csv'));
    expect(r.format).toBe('csv');
    expect(r.targets).toHaveLength(100);
    expect(r.targets[0]).toMatchObject({ name: 'T0000', raDeg: 34.018848, decDeg: 26.878204, vmag: 3.34 });
    expect(r.targets[0].memberships[0]).toMatchObject({ programme: 'ISSP-ROT', pi: 'PI_C' });
  });
  it('skips bad rows with their row number and reason', () => {
    const r = parseImport('some_bad_rows.csv', read('some_bad_rows.csv'));
    expect(r.targets.map((t) => t.name)).toEqual(['alpha']);
    expect(r.skipped).toEqual([
      { row: 2, name: 'beta', reason: expect.stringMatching(/RA "400" is outside/) },
      { row: 3, name: 'gamma', reason: expect.stringMatching(/vmag "seven" is not a number/) },
      { row: 4, name: null, reason: 'no name' },
    ]);
  });
  it('refuses a truncated VOTable naming the line', () => {
    expect(() => parseImport('truncated_spicadb.vot', read('truncated_spicadb.vot'))).toThrow(/line \d+, column \d+: TABLEDATA is not closed \(truncated file\?\)/);
  });
  it('refuses CSV structure errors naming the row', () => {
    expect(() => parseImport('bad_columns.csv', read('bad_columns.csv'))).toThrow(/row 2 \(line 3\): 3 fields, the header has 4/);
    expect(() => parseImport('bad_quotes.csv', read('bad_quotes.csv'))).toThrow(ImportError);
  });
  it('refuses a DOCTYPE (entity expansion) and tables without coordinates', () => {
    expect(() => parseImport('x.vot', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><VOTABLE/>')).toThrow(/DOCTYPE/);
    expect(() => parseImport('x.csv', 'name,vmag\na,1\n')).toThrow(/no RA\/Dec columns/);
  });
});
