/**
 * Opens the survey store: one SQLite file (WAL, foreign keys) behind drizzle, migrated at open
 * time with a backup first. The only way to write synced tables is `store.write(fn)`, which runs
 * `fn` in one transaction with a `Writer` that records every change in `change_log`.
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteOptions } from './native-binding';
import { migrateWithBackup } from './migrate';
import * as schema from './schema';
import { Writer } from './repos/write';

export type Db = BetterSQLite3Database<typeof schema>;

export interface StoreOptions {
  dataDir: string;
  migrationsDir: string;
}

export const STORE_FILE_NAME = 'survey.sqlite';

export class Store {
  readonly sqlite: Database.Database;
  readonly db: Db;
  readonly file: string;
  private readonly changeListeners = new Set<(entities: Set<string>) => void>();

  private constructor(file: string, sqlite: Database.Database) {
    this.file = file;
    this.sqlite = sqlite;
    this.db = drizzle(sqlite, { schema });
  }

  /** Open (creating if needed) and migrate the store in `dataDir`. */
  static open(options: StoreOptions): Store {
    mkdirSync(options.dataDir, { recursive: true });
    const file = join(options.dataDir, STORE_FILE_NAME);
    migrateWithBackup(file, options.migrationsDir, join(options.dataDir, 'backups'));
    const sqlite = new Database(file, sqliteOptions());
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    return new Store(file, sqlite);
  }

  /**
   * Run `fn` in one transaction. Either every row and its change record land, or none does;
   * listeners hear about the touched entities only after the commit.
   */
  write<T>(fn: (w: Writer) => T): T {
    const writer = new Writer(this.sqlite);
    const result = this.sqlite.transaction(() => fn(writer))();
    if (writer.touched.size > 0) for (const l of this.changeListeners) l(writer.touched);
    return result;
  }

  /** Be told, after each commit, which entities (table names) changed. */
  onDidChange(listener: (entities: Set<string>) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  close(): void {
    this.sqlite.pragma('optimize');
    this.sqlite.close();
  }
}
