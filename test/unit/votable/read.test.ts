/**
 * The VOTable reader against captured DaCHS TAP responses, their STILTS-written BINARY/BINARY2
 * twins and ASPRO2's documented template: VALUES@null, INFO QUERY_STATUS before and after the
 * table, binary serialisations, XML comments between cells, and hostile input (out-of-range
 * character references, deep nesting, corrupt streams) refused with line and column.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVoTable, VoTableError } from '../../../shared/votable/read';
import { parseImport } from '../../../shared/survey/import-rows';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const read = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');

const minimal = (body: string, fields = '<FIELD name="a" datatype="char" arraysize="*"/>') =>
  `<?xml version="1.0"?>\n<VOTABLE version="1.4">\n<RESOURCE><TABLE>${fields}\n<DATA><TABLEDATA>\n${body}\n</TABLEDATA></DATA></TABLE></RESOURCE>\n</VOTABLE>\n`;

function thrown(fn: () => unknown): VoTableError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VoTableError);
    return e as VoTableError;
  }
  throw new Error('expected a VoTableError');
}

describe('TAP responses (DaCHS)', () => {
  it('keeps INFO QUERY_STATUS: OVERFLOW after the table outranks OK before it', () => {
    const doc = readVoTable(read('votable/dachs_spica_overflow100_td.vot'));
    expect(doc.infos.filter((i) => i.name === 'QUERY_STATUS').map((i) => i.value)).toEqual(['OK', 'OVERFLOW']);
    expect(doc.queryStatus).toEqual({ value: 'OVERFLOW', message: '' });
    expect(doc.tables[0].rows).toHaveLength(100);
    const full = readVoTable(read('votable/dachs_spica_null_sentinel_row1.vot'));
    expect(full.queryStatus).toEqual({ value: 'OK', message: 'Query successful' });
    expect(full.tables[0].rows).toHaveLength(3000);
  });

  it('honours VALUES@null: priority_pi2 = -32768 is NULL, so the import keeps the PI priority NULL, not 0 (high)', () => {
    const doc = readVoTable(read('votable/dachs_spica_null_sentinel_row1.vot'));
    const t = doc.tables[0];
    const col = (name: string) => t.fields.findIndex((f) => f.name === name);
    expect(t.fields[col('priority_pi2')].nullValue).toBe('-32768');
    expect(t.rows[0][col('progname2')]).toBe('S03');
    expect(t.rows[0][col('priority_pi2')]).toBeNull();
    expect(t.rows.some((r) => r[col('priority_pi2')] === '-32768')).toBe(false);
    const parsed = parseImport('tap.vot', read('votable/dachs_spica_null_sentinel_row1.vot'));
    expect(parsed.skipped).toEqual([]);
    expect(parsed.targets[0].memberships).toEqual([
      expect.objectContaining({ programme: 'S07', piPriority: 0, rank: 1 }),
      expect.objectContaining({ programme: 'S03', pi: 'PI_B', piPriority: null, rank: 2 }),
    ]);
  });

  it('reads an ERROR status as a refused import and an OVERFLOW as a notice', () => {
    const error = read('votable/dachs_spica_overflow100_td.vot').replace('<INFO name="QUERY_STATUS" value="OVERFLOW"></INFO>', '<INFO name="QUERY_STATUS" value="ERROR">Table spica not found</INFO>');
    expect(() => parseImport('tap.vot', error)).toThrow(/failed query result \(QUERY_STATUS=ERROR: Table spica not found\)/);
    expect(parseImport('tap.vot', read('votable/dachs_spica_overflow100_td.vot')).notices).toEqual([
      expect.stringMatching(/truncated query result \(QUERY_STATUS=OVERFLOW\)/),
    ]);
  });

  it('reads the BINARY and BINARY2 twins written by STILTS cell for cell like the TABLEDATA original', () => {
    const td = readVoTable(read('votable/dachs_spica_overflow100_td.vot')).tables[0];
    for (const kind of ['binary', 'binary2'] as const) {
      const doc = readVoTable(read(`votable/dachs_spica_overflow100_${kind}.vot`));
      const t = doc.tables[0];
      expect(t.serialization).toBe(kind.toUpperCase());
      expect(t.fields.map((f) => [f.name, f.datatype])).toEqual(td.fields.map((f) => [f.name, f.datatype]));
      // BINARY needs the VALUES@null sentinels (STIL keeps them); BINARY2 has NULL flags instead.
      if (kind === 'binary') expect(t.fields.map((f) => f.nullValue)).toEqual(td.fields.map((f) => f.nullValue));
      expect(t.rows).toHaveLength(100);
      t.rows.forEach((row, r) =>
        row.forEach((cell, c) => {
          const expected = td.rows[r][c];
          const isNumeric = ['int', 'short', 'float', 'double'].includes(td.fields[c].datatype ?? '');
          if (isNumeric && cell !== null && expected !== null) expect(Number(cell), `${kind} row ${r + 1} ${td.fields[c].name}`).toBe(Number(expected));
          else expect(cell, `${kind} row ${r + 1} ${td.fields[c].name}`).toBe(expected);
        }),
      );
      // STIL writes the INFOs as PARAMs; the NULL sentinel still reads as NULL.
      expect(t.rows[0][t.fields.findIndex((f) => f.name === 'priority_pi2')]).toBeNull();
    }
  });
});

describe('ASPRO2 and hand-written tables', () => {
  it('accepts XML comments between rows, between cells and inside a cell (ASPRO2\'s documented template)', () => {
    const doc = readVoTable(read('samp/Aspro2_samp_load_votable.xml'));
    const targets = doc.tables[0];
    expect(targets.rows.map((r) => r.slice(0, 3))).toEqual([
      ['ETA TAU', '03:47:29.0765', '+24:06:18.494'],
      ['HD 1234', '00:16:27.6605', '-36:47:46.641'],
    ]);
    // The template's first row leaves FLUX_I out (its comments say FLUX_V, J, H, K): cells stay in file order.
    expect(targets.rows[0].slice(14)).toEqual(['2.873', '2.735', '2.735', '2.636', null, null]);
    const inCell = readVoTable(minimal('<!-- a --><TR><!-- b --><TD>x<!-- c --></TD>\n<!-- d --></TR><!-- e -->'));
    expect(inCell.tables[0].rows).toEqual([['x']]);
    const parsed = parseImport('template.xml', read('samp/Aspro2_samp_load_votable.xml'));
    expect(parsed.targets.map((t) => t.name)).toEqual(['ETA TAU', 'HD 1234']);
  });

  it('reads CDATA, character references and namespace prefixes', () => {
    const doc = readVoTable(minimal('<TR><TD><![CDATA[a<b & c]]></TD></TR><TR><TD>&#x3b1; &amp; &#946;</TD></TR>'));
    expect(doc.tables[0].rows).toEqual([['a<b & c'], ['α & β']]);
    const prefixed = readVoTable(
      '<v:VOTABLE xmlns:v="http://www.ivoa.net/xml/VOTable/v1.3"><v:RESOURCE><v:TABLE><v:FIELD name="n" datatype="int"><v:VALUES null="-1"/></v:FIELD>' +
        '<v:DATA><v:TABLEDATA><v:TR><v:TD>-1</v:TD></v:TR><v:TR><v:TD>5</v:TD></v:TR></v:TABLEDATA></v:DATA></v:TABLE></v:RESOURCE></v:VOTABLE>',
    );
    expect(prefixed.tables[0].rows).toEqual([[null], ['5']]);
  });
});

describe('hostile input is an input error with line and column', () => {
  it('refuses out-of-range character references in cells and attributes', () => {
    const cell = thrown(() => readVoTable(minimal('<TR><TD>&#x110000;</TD></TR>')));
    expect(cell.message).toBe('line 5, column 9: character reference &#x110000; is not a legal XML character');
    expect([cell.line, cell.column]).toEqual([5, 9]);
    expect(thrown(() => readVoTable(minimal('<TR><TD>&#99999999999;</TD></TR>'))).message).toMatch(/^line 5, column 9: character reference &#99999999999; is not a legal/);
    expect(thrown(() => readVoTable(minimal('<TR><TD>x</TD></TR>', '<FIELD name="&#0;" datatype="char"/>'))).message).toMatch(/^line 3, column \d+: character reference &#0;/);
    expect(thrown(() => readVoTable(minimal('<TR><TD>a & b</TD></TR>'))).message).toMatch(/^line 5, column 11: "&" is not an XML entity reference/);
  });

  it('refuses deep nesting before the XML parser recurses', () => {
    const deep = `<VOTABLE>\n${'<RESOURCE>'.repeat(100_000)}${'</RESOURCE>'.repeat(100_000)}</VOTABLE>`;
    const e = thrown(() => readVoTable(deep));
    expect(e.message).toMatch(/^line 2, column \d+: elements nested deeper than 64$/);
  });

  it('refuses DOCTYPEs, junk between cells and corrupt binary streams', () => {
    expect(thrown(() => readVoTable('<!DOCTYPE x [<!ENTITY a "b">]><VOTABLE/>')).message).toMatch(/DOCTYPE/);
    expect(thrown(() => readVoTable(minimal('<TR><TD>1</TD>junk</TR>'))).message).toBe('line 5, column 15: row 1: unexpected content between TD cells');
    const stream = (b64: string) => minimal('x').replace('<TABLEDATA>\nx\n</TABLEDATA>', `<BINARY><STREAM encoding="base64">${b64}</STREAM></BINARY>`);
    expect(thrown(() => readVoTable(stream('!!!'))).message).toMatch(/^line 4, column \d+: TABLE #1 \(BINARY\): the STREAM is not valid base64$/);
    // A variable-length char array claiming 255 bytes with none left: an error, not a read past the end.
    expect(thrown(() => readVoTable(stream('AAAA/w=='))).message).toMatch(/row 1, field a: array length 255 does not fit in the 0 bytes left/);
    expect(thrown(() => readVoTable(stream('f////w=='))).message).toMatch(/array length 2147483647 does not fit/);
    const href = minimal('x').replace('<TABLEDATA>\nx\n</TABLEDATA>', '<BINARY><STREAM href="http://example.org/data.bin"/></BINARY>');
    expect(thrown(() => readVoTable(href)).message).toMatch(/external file \(href\)/);
  });
});
