/**
 * Tables and people for the JMMC stand-in: the synthetic SPICA-DB-like table of
 * test/fixtures/sync (the same CSV the DaCHS peer loads), with DaCHS's column types from
 * `dachs-spicapub-q.rd`, small synthetic `spica_calprim` / `badcal` tables, and accounts whose
 * aliases match the CSV's PI names.
 */
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JmmcFake, type FakeColumn, type FakePerson, type FakeTable, type JmmcFakeOptions } from './jmmc-fake';

export const SYNC_FIXTURES = join(import.meta.dirname, '../fixtures/sync');

/** Column types as the DaCHS RD declares them (smallint → short, real → float, …). */
export const SPICA_COLUMNS: FakeColumn[] = [
  { name: 'spicadb_id', type: 'int' },
  { name: 'target_main_id', type: 'char' },
  { name: 'hd', type: 'char' },
  { name: 'ra', type: 'double' },
  { name: 'dec', type: 'double' },
  { name: 'vmag', type: 'float' },
  { name: 'hmag', type: 'float' },
  { name: 'spt', type: 'char' },
  { name: 'progname', type: 'char' },
  { name: 'piname', type: 'char' },
  { name: 'priority_pi', type: 'short' },
  { name: 'comments', type: 'char' },
  { name: 'progname2', type: 'char' },
  { name: 'piname2', type: 'char' },
  { name: 'priority_pi2', type: 'short' },
  { name: 'comments2', type: 'char' },
  { name: 'spica_mode', type: 'char' },
  { name: 'completion_rate', type: 'double' },
  { name: 'ob_refs', type: 'int' },
  { name: 'qcs_flag', type: 'int' },
  { name: 'model', type: 'char' },
  { name: 'lastmods', type: 'char' },
];

/** The first `n` rows of spica_like_3000.csv (empty cells are NULL, as DaCHS loads them). */
export function spicaRows(n = 3000): Array<Record<string, unknown>> {
  const text = readFileSync(join(SYNC_FIXTURES, 'spica_like_3000.csv'), 'utf8');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  return parsed.data.slice(0, n).map((r) => {
    const row: Record<string, unknown> = {};
    for (const c of SPICA_COLUMNS) {
      const v = r[c.name];
      row[c.name] = v === undefined || v === '' ? null : c.type === 'char' ? v : Number(v);
    }
    return row;
  });
}

export function spicaTable(n = 3000, name = 'spica'): FakeTable {
  return { name, description: 'Synthetic SPICA-DB-like table (test stand-in)', columns: SPICA_COLUMNS, rows: spicaRows(n) };
}

export const CALPRIM_TABLE: FakeTable = {
  name: 'spica_calprim',
  description: 'Synthetic primary calibrators (test stand-in)',
  columns: [
    { name: 'id', type: 'int' },
    { name: 'name', type: 'char' },
    { name: 'ra', type: 'double' },
    { name: 'dec', type: 'double' },
    { name: 'vmag', type: 'float' },
    { name: 'spt', type: 'char' },
    { name: 'ld_jsdc2', type: 'double' },
    { name: 'e_ld_jsdc2', type: 'double' },
  ],
  rows: [
    { id: 1, name: 'HD 196275', ra: 309.31462, dec: -28.71319, vmag: 7.95, spt: 'K4III', ld_jsdc2: 0.6612, e_ld_jsdc2: 0.0147 },
    { id: 2, name: 'HD 201448', ra: 317.62229, dec: -28.49107, vmag: 7.74, spt: 'K2III', ld_jsdc2: 0.6049, e_ld_jsdc2: 0.0197 },
    { id: 3, name: 'HD 100001', ra: 80.1, dec: 58.2, vmag: 6.1, spt: 'G8III', ld_jsdc2: null, e_ld_jsdc2: null },
  ],
};

export const BADCAL_TABLE: FakeTable = {
  name: 'badcal',
  description: 'Synthetic bad calibrators (test stand-in)',
  columns: [
    { name: 'id', type: 'int' },
    { name: 'ra', type: 'double' },
    { name: 'dec', type: 'double' },
    { name: 'name', type: 'char' },
  ],
  rows: [
    { id: 1, ra: 52.83648, dec: 27.57181, name: 'HD 21743' },
    { id: 2, ra: null, dec: null, name: 'HIP 15549' },
  ],
};

/** The test user: PI_A, a PI of many rows of the CSV. */
export const ME: FakePerson = { email: 'pi.a@example.org', password: 'pa55 wörd', aliases: ['PI_A'], firstname: 'Ada', lastname: 'Aubry' };
/** A co-I of PI_C's targets, through a delegation on catalogues starting with "spica". */
export const COI: FakePerson = { email: 'coi@example.org', password: 'coi-secret', aliases: ['COI_X'] };
export const PEOPLE: FakePerson[] = [
  ME,
  { email: 'pi.b@example.org', password: 'b', aliases: ['PI_B'] },
  { email: 'pi.c@example.org', password: 'c', aliases: ['PI_C'], delegations: [{ catalogs: 'spica', coi: ['COI_X', 'PI_A'] }] },
  { email: 'pi.d@example.org', password: 'd', aliases: ['PI_D'] },
  { email: 'pi.e@example.org', password: 'e', aliases: ['PI_E'] },
  COI,
  { email: 'admin@example.org', password: 'adm', aliases: ['ADMIN'], groups: ['spica'] },
];

/** A stand-in with `n` SPICA rows and the two reference tables. */
export function startFake(n = 3000, options: Partial<JmmcFakeOptions> = {}): Promise<JmmcFake> {
  return JmmcFake.start({ people: PEOPLE, tables: [spicaTable(n), CALPRIM_TABLE, BADCAL_TABLE], ...options });
}
