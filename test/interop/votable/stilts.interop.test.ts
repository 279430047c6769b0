/**
 * Our VOTable reader against STILTS (Debian `stilts`, the reference VOTable implementation): STILTS
 * writes one table of every primitive type we read (short, int, long, float, double, boolean,
 * char with non-ASCII text, variable arrays, NULLs) as TABLEDATA, BINARY and BINARY2; our reader
 * must give the same cells from all three. Skipped when STILTS is missing, unless
 * SPICA_REQUIRE_PEERS=1 (CI), where a missing peer fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readVoTable, type VoTable } from '../../../shared/votable/read';

const hasStilts = spawnSync('stilts', ['-version'], { encoding: 'utf8' }).status === 0;
if (!hasStilts && process.env.SPICA_REQUIRE_PEERS === '1') throw new Error('stilts is required (apt-get install stilts)');
const dir = mkdtempSync(join(tmpdir(), 'votable-stilts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COLUMNS = [
  'addcol s "(short)(i*100-250)"',
  'addcol ii "(int)(i*1000)"',
  'addcol l "(long)i*10000000000L"',
  'addcol f "(float)(i/3.)"',
  'addcol d "i/7.0"',
  'addcol b "i%2==0"',
  'addcol c "concat(\\"é txt \\", i)"',
  'addcol nuli "i==3 ? NULL : (int)i"',
  'addcol nuld "i==4 ? NULL : i*1.5"',
  'addcol nuls "i==2 ? \\"\\" : \\"x\\"+i"',
  'addcol darr "array(i, i+0.5, 2.25)"',
].join('; ');

function stilts(...args: string[]): void {
  const r = spawnSync('stilts', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`stilts ${args.join(' ')}: ${r.stderr}`);
}

function readAs(kind: 'tabledata' | 'binary' | 'binary2'): VoTable {
  const out = join(dir, `${kind}.vot`);
  stilts('tpipe', 'in=:loop:7', `cmd=${COLUMNS}`, `ofmt=votable-${kind}${kind === 'tabledata' ? '' : '-inline'}`, `out=${out}`);
  return readVoTable(readFileSync(out, 'utf8')).tables[0];
}

describe.skipIf(!hasStilts)(`VOTable serialisations written by STILTS${hasStilts ? '' : ' (SKIPPED: stilts not installed)'}`, () => {
  it('BINARY and BINARY2 read cell for cell as TABLEDATA', () => {
    const td = readAs('tabledata');
    expect(td.serialization).toBe('TABLEDATA');
    expect(td.rows).toHaveLength(7);
    const col = (name: string) => td.fields.findIndex((f) => f.name === name);
    expect(td.rows[3][col('nuli')]).toBeNull();
    expect(td.rows[4][col('nuld')]).toBeNull();
    expect(td.rows[1][col('c')]).toBe('é txt 1');
    for (const kind of ['binary', 'binary2'] as const) {
      const t = readAs(kind);
      expect(t.serialization).toBe(kind.toUpperCase());
      expect(t.fields.map((f) => [f.name, f.datatype, f.arraysize])).toEqual(td.fields.map((f) => [f.name, f.datatype, f.arraysize]));
      t.rows.forEach((row, r) =>
        row.forEach((cell, c) => {
          const expected = td.rows[r][c];
          const where = `${kind} row ${r + 1} ${td.fields[c].name}`;
          if (expected === null || cell === null) expect(cell, where).toBe(expected);
          else if (['char', 'boolean'].includes(td.fields[c].datatype ?? '')) expect(cell, where).toBe(expected);
          else expect(cell.split(' ').map(Number), where).toEqual(expected.split(' ').map(Number));
        }),
      );
      // Floats come out as Java writes them (shortest text that reads back as the same float).
      expect(t.rows[1][col('f')]).toBe('0.33333334');
      expect(t.rows[1][col('l')]).toBe('10000000000');
    }
  });
});
