/**
 * Applies drizzle-kit migrations to the store file. Before anything is applied the file is
 * copied to `backups/`, and a store migrated by a newer app (a migration we do not know) is
 * refused: drizzle only compares timestamps and would otherwise run old code on a new schema.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteOptions } from './native-binding';

interface Journal {
  entries: Array<{ idx: number; when: number; tag: string }>;
}

export class StoreTooNewError extends Error {
  constructor(file: string, appliedAtMs: number, newestKnownMs: number) {
    super(
      `The survey store ${file} was written by a newer SPICA Companion (schema of ` +
        `${new Date(appliedAtMs).toISOString()}, this app knows up to ${new Date(newestKnownMs).toISOString()}). ` +
        `Update the app, or open another --data-dir.`,
    );
    this.name = 'StoreTooNewError';
  }
}

function readJournal(migrationsDir: string): Journal {
  const path = join(migrationsDir, 'meta', '_journal.json');
  if (!existsSync(path)) throw new Error(`No migrations journal at ${path}`);
  return JSON.parse(readFileSync(path, 'utf8')) as Journal;
}

/** Migrate `file` with the migrations in `migrationsDir`, backing it up into `backupDir` first. */
export function migrateWithBackup(file: string, migrationsDir: string, backupDir: string): void {
  const journal = readJournal(migrationsDir);
  const newestKnownMs = Math.max(...journal.entries.map((e) => e.when));
  const isNew = !existsSync(file);
  const sqlite = new Database(file, sqliteOptions());
  try {
    sqlite.pragma('journal_mode = WAL');
    const hasTable = sqlite
      .prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'")
      .get();
    let appliedCount = 0;
    if (hasTable) {
      const row = sqlite.prepare('select max(created_at) as last, count(*) as n from __drizzle_migrations').get() as {
        last: number | null;
        n: number;
      };
      appliedCount = row.n;
      if (row.last !== null && row.last > newestKnownMs) throw new StoreTooNewError(file, row.last, newestKnownMs);
    }
    const pending = journal.entries.length - appliedCount;
    if (pending <= 0) return;
    if (!isNew && appliedCount > 0) {
      mkdirSync(backupDir, { recursive: true });
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      const tag = journal.entries[appliedCount - 1]?.tag ?? 'unknown';
      copyFileSync(file, join(backupDir, `pre-migration-${tag}-${Date.now()}.sqlite`));
    }
    sqlite.pragma('foreign_keys = OFF');
    migrate(drizzle(sqlite), { migrationsFolder: migrationsDir });
    sqlite.pragma('foreign_keys = ON');
  } finally {
    sqlite.close();
  }
}
