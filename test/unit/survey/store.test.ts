import Database from 'better-sqlite3';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { revertBatch } from '../../../electron/db/repos/batches';
import { recordObservation } from '../../../electron/db/repos/observations';
import { getPlan, savePlan } from '../../../electron/db/repos/plans';
import { importTargets } from '../../../electron/db/repos/targets';
import { DOCUMENT_TABLES } from '../../../electron/db/repos/write';
import { StoreTooNewError } from '../../../electron/db/migrate';
import { Store, STORE_FILE_NAME } from '../../../electron/db/store';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';
import { parseImport } from '../../../shared/survey/import-rows';

const FIXTURES = join(import.meta.dirname, '../../fixtures/survey');
const MIGRATIONS = join(import.meta.dirname, '../../../electron/db/migrations');
const read = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');

const dirs: string[] = [];
const open: Array<Services | Store> = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'spica-store-'));
  dirs.push(d);
  return d;
}
function services(dataDir = tempDir()): Services {
  const s = createServices({ paths: resolvePaths(dataDir), transport: 'cli' });
  open.push(s);
  return s;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const count = (s: Services, sql: string) => (s.store.sqlite.prepare(sql).get() as { n: number }).n;

describe('survey store', () => {
  it('opens a fresh file with WAL, foreign keys and every table of the domain', () => {
    const s = services();
    expect(s.store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (s.store.sqlite.prepare("select name from sqlite_master where type='table'").all() as Array<{ name: string }>).map((r) => r.name);
    for (const t of ['targets', 'programmes', 'pis', 'memberships', 'observations', 'calibrator_associations', 'bad_calibrators', 'data_products', 'plans', 'settings', 'change_log']) {
      expect(tables).toContain(t);
    }
  });

  it('imports idempotently: a re-import updates, never duplicates', async () => {
    const s = services();
    const first = await s.call('survey.import', { fileName: 'spicadb_partial_wp5.vot', content: read('spicadb_partial_wp5.vot') });
    expect(first).toMatchObject({ added: 42, updated: 0, unchanged: 0, format: 'spicadb-votable' });
    const again = await s.call('survey.import', { fileName: 'spicadb_partial_wp5.vot', content: read('spicadb_partial_wp5.vot') });
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 42 });
    expect(count(s, 'select count(*) n from targets')).toBe(42);
    const edited = read('spicadb_partial_wp5.vot').replace('<TD>8.899999618530273</TD>', '<TD>8.5</TD>');
    const third = await s.call('survey.import', { fileName: 'edited.vot', content: edited });
    expect(third).toMatchObject({ added: 0, updated: 1, unchanged: 41 });
    const { rows } = await s.call('survey.list', { filter: { text: 'iot UMa BC' } });
    expect(rows).toHaveLength(1);
    expect(rows[0].vmag).toBe(8.5);
  });

  it('records every write in change_log with ids that are UUIDv7', async () => {
    const s = services();
    await s.call('survey.import', { fileName: 'a.vot', content: read('Aspro2_exported_targets.vot') });
    const ids = (s.store.sqlite.prepare('select id from targets').all() as Array<{ id: string }>).map((r) => r.id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(count(s, "select count(*) n from change_log where entity = 'targets' and op = 'insert'")).toBe(3);
  });

  it('leaves the store unchanged when a file is refused', async () => {
    const s = services();
    await s.call('survey.import', { fileName: 'a.vot', content: read('Aspro2_exported_targets.vot') });
    const before = count(s, 'select count(*) n from change_log');
    await expect(s.call('survey.import', { fileName: 'truncated.vot', content: read('truncated_spicadb.vot') })).rejects.toThrow(/truncated.vot: line \d+/);
    await expect(s.call('survey.import', { fileName: 'bad.csv', content: read('bad_columns.csv') })).rejects.toThrow(/row 2/);
    expect(count(s, 'select count(*) n from change_log')).toBe(before);
    expect(count(s, 'select count(*) n from targets')).toBe(3);
  });

  it('rolls the whole import back when one row fails inside the transaction', () => {
    const s = services();
    const parsed = parseImport('bench.csv', read('bench_targets_100.csv'));
    const rows = parsed.targets.slice(0, 10);
    rows[7] = { ...rows[7], raDeg: null as unknown as number };
    expect(() => importTargets(s.store, rows, { source: 'bench.csv' })).toThrow(/NOT NULL/);
    expect(count(s, 'select count(*) n from targets')).toBe(0);
    expect(count(s, 'select count(*) n from programmes')).toBe(0);
    expect(count(s, 'select count(*) n from change_log')).toBe(0);
  });

  it('moves completion and final priority when a validated observation is logged', async () => {
    const s = services();
    await s.call('survey.import', {
      fileName: 'x.csv',
      content: 'name,ra_deg,dec_deg,vmag,spica_mode,progname,piname,priority_pi,completion_rate\nstar A,10,20,5,DLD,S01,PI X,1,0\n',
    });
    const [t] = (await s.call('survey.list', { filter: {} })).rows;
    // NSS update_priority_final2 (test/fixtures/nss): DLD, PI 1 → not started P4, started P3.
    expect(t).toMatchObject({ completionRate: 0, finalPriority: 4 });
    recordObservation(s.store, { targetId: t.id, night: '2026-11-21', utStart: '2026-11-22T05:00:00Z', utEnd: '2026-11-22T05:40:00Z', outcome: 'done' });
    const [after] = (await s.call('survey.list', { filter: {} })).rows;
    expect(after).toMatchObject({ completionRate: 0.25, finalPriority: 3, observationCount: 1, lastObservedNight: '2026-11-21' });
    recordObservation(s.store, { targetId: t.id, night: '2026-11-22', utStart: '2026-11-23T05:00:00Z', utEnd: '2026-11-23T05:40:00Z', outcome: 'failed' });
    const [failed] = (await s.call('survey.list', { filter: {} })).rows;
    expect(failed.completionRate).toBe(0.25);
    expect(failed.observationCount).toBe(2);
  });

  it('generates a labelled, reproducible demo survey and removes it with tombstones', async () => {
    const s = services();
    const r = await s.call('survey.demo.generate', { count: 300, seed: 7 });
    expect(r.targets).toBe(300);
    const a = (await s.call('survey.list', { filter: {}, sort: { key: 'name', direction: 'asc' } })).rows;
    expect(a.every((t) => t.isDemo)).toBe(true);
    const other = services();
    await other.call('survey.demo.generate', { count: 300, seed: 7 });
    const b = (await other.call('survey.list', { filter: {}, sort: { key: 'name', direction: 'asc' } })).rows;
    expect(b.map((t) => [t.name, t.mode, t.completionRate, t.programmes.length])).toEqual(a.map((t) => [t.name, t.mode, t.completionRate, t.programmes.length]));
    const { removed } = await s.call('survey.demo.remove', {});
    expect(removed).toBe(300);
    expect((await s.call('survey.list', { filter: {} })).total).toBe(0);
    expect(count(s, 'select count(*) n from targets')).toBe(300);
    expect(count(s, "select count(*) n from change_log where entity = 'targets' and op = 'delete'")).toBe(300);
  });

  it('filters by programme, PI, mode, priority, V and Dec, and sorts', async () => {
    const s = services();
    await s.call('survey.demo.generate', { count: 500, seed: 1 });
    const all = (await s.call('survey.list', { filter: {} })).rows;
    const f = { programmes: ['S02'], modes: ['DIA'], finalPriorities: [1, 2], vmagMax: 6.5, decMinDeg: 0 };
    const { rows } = await s.call('survey.list', { filter: f, sort: { key: 'vmag', direction: 'desc' } });
    const expected = all.filter((t) => t.programmes.some((m) => m.programme === 'S02') && t.mode === 'DIA' && (t.finalPriority ?? 9) <= 2 && (t.vmag ?? 99) <= 6.5 && t.decDeg >= 0);
    expect(rows.map((t) => t.id).sort()).toEqual(expected.map((t) => t.id).sort());
    expect(rows.length).toBeGreaterThan(0);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1].vmag as number).toBeGreaterThanOrEqual(rows[i].vmag as number);
  });

  it('rejects invalid params at the boundary with a message naming the field', async () => {
    const s = services();
    await expect(s.call('survey.list', { filter: { decMinDeg: 120 } })).rejects.toThrow(/filter.decMinDeg/);
    await expect(s.callRaw('survey.nope', {})).rejects.toThrow(/Unknown method/);
  });
});

describe('change log of document tables (plans)', () => {
  type Change = { entity: string; entity_id: string; op: string; patch_json: string; before_json: string | null; batch_id: string | null };
  const changesOf = (store: Store, entity: string, id: string) =>
    store.sqlite.prepare('select entity, entity_id, op, patch_json, before_json, batch_id from change_log where entity = ? and entity_id = ? order by seq').all(entity, id) as Change[];
  /** A plan document about as large as a 3000-target survey's: a long left-out list. */
  const planInput = (tag: string) => ({
    night: '2026-06-20',
    name: `plan ${tag}`,
    configuration: 'S1-S2-E1-E2-W1-W2',
    options: { tag, fromUtc: '2026-06-20T03:00:00.000Z' },
    blocks: { blocks: [{ id: `b-${tag}` }], leftOutPacked: { reasons: [[null, `not observable (${tag})`]], rows: Array.from({ length: 2600 }, (_, i) => [`key-${i}`, `HD ${i}`, 1, 0]) } },
  });

  it('logs a plan save outside a batch by column and text length, not the document the row holds', () => {
    const s = services();
    expect(DOCUMENT_TABLES.has('plans')).toBe(true);
    const id = savePlan(s.store, planInput('a'));
    savePlan(s.store, { ...planInput('b'), id, name: 'plan a' });
    const row = s.store.sqlite.prepare('select * from plans where id = ?').get(id) as Record<string, string | number>;
    expect((row.blocks_json as string).length).toBeGreaterThan(50_000);
    const [insert, update] = changesOf(s.store, 'plans', id);
    const inserted = JSON.parse(insert.patch_json) as Record<string, unknown>;
    expect(insert.op).toBe('insert');
    expect(inserted.id).toBe(id);
    expect(inserted.created_at_ms).toBe(row.created_at_ms);
    expect(inserted.deleted).toBe(0);
    expect(inserted.night).toEqual({ length: '2026-06-20'.length });
    expect(inserted.blocks_json).toEqual({ length: JSON.stringify(planInput('a').blocks).length });
    // The update names the columns that changed (the name came back to what it was), with the new lengths.
    expect(update.op).toBe('update');
    expect(JSON.parse(update.patch_json)).toEqual({ options_json: { length: (row.options_json as string).length }, blocks_json: { length: (row.blocks_json as string).length } });
    expect(update.before_json).toBeNull();
    expect(update.patch_json.length).toBeLessThan(100);
    expect(getPlan(s.store, id)?.blocksJson).toBe(JSON.stringify(planInput('b').blocks));
  });

  it('logs a plan write inside a batch with its values and what they replaced, so the batch reverts it', () => {
    const s = services();
    const id = savePlan(s.store, planInput('a'));
    const before = getPlan(s.store, id)!;
    const changed = JSON.stringify(planInput('c').blocks);
    const batchId = s.store.write(
      (w) => {
        w.update('plans', id, { blocks_json: changed });
        return w.batchId as string;
      },
      { origin: 'import', batch: { kind: 'import', label: 'plans in a batch' } },
    );
    const inBatch = changesOf(s.store, 'plans', id).find((c) => c.batch_id === batchId)!;
    expect(JSON.parse(inBatch.patch_json)).toEqual({ blocks_json: changed });
    expect(JSON.parse(inBatch.before_json!)).toEqual({ blocks_json: before.blocksJson });
    revertBatch(s.store, batchId);
    expect(getPlan(s.store, id)?.blocksJson).toBe(before.blocksJson);
    // The revert is a batch too: its change carries the restored document.
    const reverted = changesOf(s.store, 'plans', id).at(-1)!;
    expect(JSON.parse(reverted.patch_json)).toEqual({ blocks_json: before.blocksJson });
  });

  it('keeps the values of other tables outside a batch', () => {
    const s = services();
    const id = s.store.write((w) => w.insert('pis', { name: 'A. Astronomer', email: 'a@example.org' }));
    s.store.write((w) => w.update('pis', id, { email: 'b@example.org' }));
    const [insert, update] = changesOf(s.store, 'pis', id);
    expect(JSON.parse(insert.patch_json)).toMatchObject({ name: 'A. Astronomer', email: 'a@example.org' });
    expect(JSON.parse(update.patch_json)).toEqual({ email: 'b@example.org' });
  });

  it('another connection still hears which entity a plan save changed', () => {
    const dir = tempDir();
    const s = services(dir);
    const other = Store.open({ dataDir: dir, migrationsDir: MIGRATIONS });
    open.push(other);
    const heard: string[][] = [];
    other.onDidChange((entities) => heard.push([...entities]));
    savePlan(s.store, planInput('a'));
    expect(other.refresh()).toBe(true);
    expect(heard).toEqual([['plans']]);
  });
});

describe('migrations', () => {
  it('refuses a store written by a newer app', () => {
    const dir = tempDir();
    Store.open({ dataDir: dir, migrationsDir: MIGRATIONS }).close();
    const db = new Database(join(dir, STORE_FILE_NAME));
    db.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('future', Date.now() + 10 * 365 * 86400000);
    db.close();
    expect(() => Store.open({ dataDir: dir, migrationsDir: MIGRATIONS })).toThrow(StoreTooNewError);
    expect(() => Store.open({ dataDir: dir, migrationsDir: MIGRATIONS })).toThrow(/newer or different SPICA Companion/);
  });

  it('backs the file up, then applies a new migration keeping the data', async () => {
    const dir = tempDir();
    const s = services(dir);
    await s.call('survey.import', { fileName: 'a.vot', content: read('Aspro2_exported_targets.vot') });
    await s.close();
    const migrations = join(tempDir(), 'migrations');
    cpSync(MIGRATIONS, migrations, { recursive: true });
    const journalPath = join(migrations, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
    const last = journal.entries[journal.entries.length - 1];
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_test_column' });
    writeFileSync(journalPath, JSON.stringify(journal));
    writeFileSync(join(migrations, '9999_test_column.sql'), 'ALTER TABLE `targets` ADD `test_note` text;');
    const store = Store.open({ dataDir: dir, migrationsDir: migrations });
    open.push(store);
    expect((store.sqlite.prepare('select count(*) n from targets').get() as { n: number }).n).toBe(3);
    expect(store.sqlite.prepare('select test_note from targets').all()).toHaveLength(3);
    const backups = readdirSync(join(dir, 'backups'));
    expect(backups).toHaveLength(1);
    const backup = new Database(join(dir, 'backups', backups[0]), { readonly: true });
    expect((backup.prepare('select count(*) n from targets').get() as { n: number }).n).toBe(3);
    backup.close();
    expect(existsSync(join(dir, STORE_FILE_NAME))).toBe(true);
  });
});
