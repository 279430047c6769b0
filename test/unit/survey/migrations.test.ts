/**
 * The migrator and migration 0002 on real files: a store made by the previous schema (0000–0001,
 * written the way the old writer wrote) is migrated keeping its data, every change-log row gets a
 * hybrid logical clock and the node id, tombstoned keys no longer block; a store with an unknown
 * migration, even one with an older timestamp, is refused without being touched; backups are
 * pruned to the last few.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEEP_MIGRATION_BACKUPS, StoreTooNewError } from '../../../electron/db/migrate';
import { Store, STORE_FILE_NAME } from '../../../electron/db/store';
import { parseHlc } from '../../../shared/sync/hlc';
import { MIGRATIONS, Sandbox } from './helpers';

const box = new Sandbox();
afterEach(() => box.cleanup());

/** A copy of the migrations folder holding only the first `n` (and optionally extra ones). */
function migrationsUpTo(n: number, extra: Array<{ tag: string; sql: string; when?: number }> = []): string {
  const dir = join(box.dir('spica-migrations-'), 'migrations');
  cpSync(MIGRATIONS, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
  journal.entries = journal.entries.slice(0, n);
  for (const e of extra) {
    const last = journal.entries[journal.entries.length - 1];
    journal.entries.push({ ...last, idx: last.idx + 1, when: e.when ?? last.when + 1000, tag: e.tag });
    writeFileSync(join(dir, `${e.tag}.sql`), e.sql);
  }
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

/** How many migrations this app ships (the tests must not break when one is added). */
const KNOWN = JSON.parse(readFileSync(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')).entries.length as number;

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('migration 0002 on a store of the previous schema', () => {
  it('keeps the data, stamps every change with an HLC and the node id, frees tombstoned keys', () => {
    const dir = box.dir();
    Store.open({ dataDir: dir, migrationsDir: migrationsUpTo(2) }).close();
    const old = new Database(join(dir, STORE_FILE_NAME));
    const at = 1_795_400_000_000;
    old.exec(`
      insert into programmes (id, created_at_ms, updated_at_ms, deleted, code, is_demo) values ('p1', ${at}, ${at}, 1, 'S01', 1);
      insert into targets (id, created_at_ms, updated_at_ms, deleted, name, ra_deg, dec_deg, spicadb_id) values ('t1', ${at}, ${at}, 0, 'alf Sco', 247.35, -26.43, '42');
      insert into memberships (id, created_at_ms, updated_at_ms, deleted, target_id, programme_id, pi_priority, rank) values ('m1', ${at}, ${at}, 0, 't1', 'p1', 0, 1);
    `);
    const log = old.prepare('insert into change_log (entity, entity_id, op, patch_json, at_ms) values (?, ?, ?, ?, ?)');
    // The old writer stamped a whole transaction with one millisecond.
    for (let i = 0; i < 5; i++) log.run('targets', 't1', 'update', '{"vmag":1}', at);
    log.run('programmes', 'p1', 'delete', '{"deleted":true}', at + 7);
    old.close();

    const store = box.track(Store.open({ dataDir: dir, migrationsDir: MIGRATIONS }));
    const rows = store.sqlite.prepare('select seq, hlc, node_id, origin, at_ms from change_log order by seq').all() as Array<{
      seq: number;
      hlc: string;
      node_id: string;
      origin: string;
      at_ms: number;
    }>;
    expect(rows).toHaveLength(6);
    expect(store.nodeId).toMatch(/^[0-9a-f]{16}$/);
    for (const r of rows) {
      expect(r.node_id).toBe(store.nodeId);
      expect(parseHlc(r.hlc).node).toBe(store.nodeId);
      expect(r.origin).toBe('local');
    }
    expect(rows.map((r) => r.hlc)).toEqual([...rows.map((r) => r.hlc)].sort());
    expect(new Set(rows.map((r) => r.hlc)).size).toBe(6);
    expect(rows[0].hlc).toBe(`${new Date(at).toISOString()}-0000-${store.nodeId}`);
    expect(rows[4].hlc).toBe(`${new Date(at).toISOString()}-0004-${store.nodeId}`);
    expect(store.sqlite.prepare('select pi_priority from memberships').get()).toEqual({ pi_priority: 0 });
    // The tombstoned S01 no longer blocks a new one; a live duplicate still cannot exist.
    store.write((w) => w.insert('programmes', { code: 'S01' }));
    expect(() => store.write((w) => w.insert('programmes', { code: 'S01' }))).toThrow(/UNIQUE constraint failed: programmes.code/);
    // New writes continue the clock after the backfilled values.
    store.write((w) => w.update('targets', 't1', { vmag: 2 }));
    const last = store.sqlite.prepare('select hlc from change_log order by seq desc limit 1').get() as { hlc: string };
    expect(last.hlc > rows[5].hlc).toBe(true);
    expect(readdirSync(join(dir, 'backups'))).toHaveLength(1);
  });
});

describe('the store-version check', () => {
  it('refuses an unknown migration even with an older timestamp, before touching the file', () => {
    const dir = box.dir();
    Store.open({ dataDir: dir, migrationsDir: MIGRATIONS }).close();
    const file = join(dir, STORE_FILE_NAME);
    const db = new Database(file);
    db.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('f'.repeat(64), 1_600_000_000_000);
    // A store another app left in rollback-journal mode: the old check switched it to WAL before refusing.
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = sha256(file);
    expect(() => Store.open({ dataDir: dir, migrationsDir: MIGRATIONS })).toThrow(StoreTooNewError);
    expect(() => Store.open({ dataDir: dir, migrationsDir: MIGRATIONS })).toThrow(new RegExp(`it has ${KNOWN + 1} migrations, this app knows ${KNOWN}`));
    expect(sha256(file)).toBe(before);
    const after = new Database(file, { readonly: true });
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    after.close();
  });

  it('refuses a store whose applied migrations are not a prefix of the known ones (a different migration in place)', () => {
    const dir = box.dir();
    Store.open({ dataDir: dir, migrationsDir: migrationsUpTo(KNOWN, [{ tag: '0099_theirs', sql: 'CREATE TABLE `theirs` (`x` integer);' }]) }).close();
    expect(() =>
      Store.open({ dataDir: dir, migrationsDir: migrationsUpTo(KNOWN, [{ tag: '0099_ours', sql: 'CREATE TABLE `ours` (`y` integer);' }]) }),
    ).toThrow(new RegExp(`its migration #${KNOWN + 1} \\(applied .*, hash [0-9a-f]{12}…\\) is not this app's 0099_ours`));
  });

  it('applies a pending migration even when its timestamp is older than the last applied one', () => {
    const dir = box.dir();
    Store.open({ dataDir: dir, migrationsDir: MIGRATIONS }).close();
    const store = box.track(Store.open({ dataDir: dir, migrationsDir: migrationsUpTo(KNOWN, [{ tag: '0099_late_merge', sql: 'CREATE TABLE `late` (`x` integer);', when: 1_000 }]) }));
    expect(store.sqlite.prepare("select name from sqlite_master where name = 'late'").get()).toEqual({ name: 'late' });
  });

  it(`keeps only the last ${KEEP_MIGRATION_BACKUPS} pre-migration backups`, () => {
    const dir = box.dir();
    Store.open({ dataDir: dir, migrationsDir: MIGRATIONS }).close();
    const extra: Array<{ tag: string; sql: string }> = [];
    for (let i = 1; i <= 5; i++) {
      extra.push({ tag: `0099_step${i}`, sql: `CREATE TABLE \`step${i}\` (\`x\` integer);` });
      Store.open({ dataDir: dir, migrationsDir: migrationsUpTo(KNOWN, extra) }).close();
    }
    const backups = readdirSync(join(dir, 'backups')).sort();
    expect(backups).toHaveLength(KEEP_MIGRATION_BACKUPS);
    expect(backups.map((b) => b.replace(/-\d+\.sqlite$/, ''))).toEqual(['pre-migration-0099_step2', 'pre-migration-0099_step3', 'pre-migration-0099_step4']);
  });
});
