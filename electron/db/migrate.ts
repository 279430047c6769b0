/**
 * Applies drizzle-kit migrations to the store file. drizzle's own migrator is not used because it
 * decides what is pending by timestamp only (an unknown migration with an older timestamp passes
 * unnoticed), switches nothing off before checking, and takes no lock, so two processes opening
 * one outdated store could both migrate it. Here:
 * 1. the store is read first, without changing it (no journal-mode switch), and refused unless its
 *    applied migrations are a prefix, by hash, of the migrations this app knows;
 * 2. a consistent copy goes to `backups/` (`VACUUM INTO`, safe while another process writes), and
 *    only the newest few copies are kept;
 * 3. pending migrations run in one `BEGIN IMMEDIATE` transaction that re-checks the prefix under the
 *    write lock, and are recorded in `__drizzle_migrations` exactly as drizzle records them.
 */
import Database from 'better-sqlite3';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteOptions } from './native-binding';

/** Pre-migration copies kept in `backups/`, newest first. */
export const KEEP_MIGRATION_BACKUPS = 3;

/** How long to wait for another process's write lock, in ms. */
export const BUSY_TIMEOUT_MS = 5000;

export class StoreTooNewError extends Error {
  constructor(file: string, detail: string) {
    super(
      `The survey store ${file} was written by a newer or different SPICA Companion (${detail}). ` +
        `Update the app, or open another --data-dir.`,
    );
    this.name = 'StoreTooNewError';
  }
}

interface AppliedMigration {
  hash: string;
  createdAt: number;
}

interface KnownMigration extends MigrationMeta {
  tag: string;
}

function knownMigrations(migrationsDir: string): KnownMigration[] {
  const journalPath = join(migrationsDir, 'meta', '_journal.json');
  if (!existsSync(journalPath)) throw new Error(`No migrations journal at ${journalPath}`);
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  return readMigrationFiles({ migrationsFolder: migrationsDir }).map((m, i) => ({ ...m, tag: journal.entries[i].tag }));
}

function appliedMigrations(sqlite: Database.Database): AppliedMigration[] {
  const hasTable = sqlite
    .prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'")
    .get();
  if (!hasTable) return [];
  // drizzle declares `id SERIAL`, which SQLite does not fill: rowid is the order of application.
  return (
    sqlite.prepare('select hash, created_at from __drizzle_migrations order by rowid').all() as Array<{
      hash: string;
      created_at: number | string;
    }>
  ).map((r) => ({ hash: r.hash, createdAt: Number(r.created_at) }));
}

/** Throw unless `applied` is a prefix of `known`, comparing hashes. */
function checkPrefix(file: string, applied: AppliedMigration[], known: KnownMigration[]): void {
  applied.forEach((a, i) => {
    const k = known[i];
    if (!k) {
      throw new StoreTooNewError(file, `it has ${applied.length} migrations, this app knows ${known.length}`);
    }
    if (k.hash !== a.hash) {
      throw new StoreTooNewError(
        file,
        `its migration #${i + 1} (applied ${new Date(a.createdAt).toISOString()}, hash ${a.hash.slice(0, 12)}…) ` +
          `is not this app's ${k.tag}`,
      );
    }
  });
}

/** Read the applied migrations of an existing store file without changing it. */
function inspect(file: string): AppliedMigration[] {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { ...sqliteOptions(), readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (e) {
    throw new Error(`cannot open the survey store ${file}: ${(e as Error).message}`);
  }
  try {
    return appliedMigrations(sqlite);
  } finally {
    sqlite.close();
  }
}

/** Keep the newest `keep` pre-migration copies in `backupDir`. */
export function pruneBackups(backupDir: string, keep = KEEP_MIGRATION_BACKUPS): string[] {
  if (!existsSync(backupDir)) return [];
  const copies = readdirSync(backupDir)
    .filter((f) => /^pre-migration-.*\.sqlite$/.test(f))
    .map((f) => ({ f, mtimeMs: statSync(join(backupDir, f)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs || b.f.localeCompare(a.f));
  const removed = copies.slice(keep).map((c) => c.f);
  for (const f of removed) rmSync(join(backupDir, f), { force: true });
  return removed;
}

/** Migrate `file` with the migrations in `migrationsDir`, backing it up into `backupDir` first. */
export function migrateWithBackup(file: string, migrationsDir: string, backupDir: string): void {
  const known = knownMigrations(migrationsDir);
  const exists = existsSync(file);
  if (exists) {
    const applied = inspect(file);
    checkPrefix(file, applied, known);
    if (applied.length === known.length) return;
  }
  const sqlite = new Database(file, { ...sqliteOptions(), timeout: BUSY_TIMEOUT_MS });
  try {
    sqlite.pragma('journal_mode = WAL');
    const before = appliedMigrations(sqlite);
    if (exists && before.length > 0 && before.length < known.length) {
      mkdirSync(backupDir, { recursive: true });
      const copy = join(backupDir, `pre-migration-${known[before.length - 1].tag}-${Date.now()}.sqlite`);
      sqlite.prepare('vacuum into ?').run(copy);
      pruneBackups(backupDir);
    }
    // Table rebuilds in migrations need foreign keys off; the pragma is a no-op inside a transaction.
    sqlite.pragma('foreign_keys = OFF');
    sqlite.exec('begin immediate');
    try {
      sqlite.exec('create table if not exists __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
      const applied = appliedMigrations(sqlite);
      checkPrefix(file, applied, known);
      const record = sqlite.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)');
      for (const m of known.slice(applied.length)) {
        for (const statement of m.sql) if (statement.trim()) sqlite.exec(statement);
        record.run(m.hash, m.folderMillis);
      }
      const broken = sqlite.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`migration left ${broken.length} broken foreign keys`);
      sqlite.exec('commit');
    } catch (e) {
      if (sqlite.inTransaction) sqlite.exec('rollback');
      throw e;
    }
  } finally {
    sqlite.close();
  }
}
