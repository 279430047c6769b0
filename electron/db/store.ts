/**
 * Opens the survey store: one SQLite file (WAL, foreign keys, a busy timeout) behind drizzle,
 * migrated at open time with a backup first. The only way to write synced tables is
 * `store.write(fn)`, which runs `fn` in one immediate transaction with a `Writer` that records
 * every change in `change_log`.
 *
 * Several processes may hold the same store (the app, a `companion import` beside it): writes take
 * the write lock up front and retry while another process holds it, and `refresh()` notices other
 * processes' commits (`PRAGMA data_version`) and tells the listeners which tables they touched,
 * read from the change log, exactly as it does for this process's own writes.
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { makeFolder } from '../files/make-folder';
import { join } from 'node:path';
import { BUSY_TIMEOUT_MS, migrateWithBackup } from './migrate';
import * as schema from './schema';
import { Writer, type WriteOptions } from './repos/write';
import { sqliteOptions } from './native-binding';

export type Db = BetterSQLite3Database<typeof schema>;

export interface StoreOptions {
  dataDir: string;
  migrationsDir: string;
}

/** What changed, for listeners: the tables, and whether another process (or thread) wrote them. */
export interface ChangeInfo {
  isExternal: boolean;
  /**
   * The ids written per entity (table name → row ids; settings: keys), so a cache can refresh
   * just those rows. Present only for this process's own writes of at most `TOUCHED_IDS_CAP`
   * ids; absent for other connections' changes (`refresh()` reads only which tables they
   * touched) and for larger writes: without it, treat every row of the entities as changed.
   */
  rows?: ReadonlyMap<string, ReadonlySet<string>>;
}

export const STORE_FILE_NAME = 'survey.sqlite';

/** Attempts at taking the write lock (each waits up to the busy timeout) before a write fails. */
const WRITE_ATTEMPTS = 3;

function isBusy(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export class Store {
  readonly sqlite: Database.Database;
  readonly db: Db;
  readonly file: string;
  /** This installation's node id (16 hex digits), from `sync_state`. */
  readonly nodeId: string;
  private readonly changeListeners = new Set<(entities: Set<string>, info: ChangeInfo) => void>();
  /** Highest change_log seq whose change the listeners have heard about. */
  private lastSeenSeq: number;
  private dataVersion: number;
  private isClosed = false;

  private constructor(file: string, sqlite: Database.Database) {
    this.file = file;
    this.sqlite = sqlite;
    this.db = drizzle(sqlite, { schema });
    // Migration 0002 gives every store its node id; a store migrated otherwise gets one here (a
    // write, so only when missing: opening must not need the write lock).
    const nodeOf = () => sqlite.prepare("select value from sync_state where key = 'node_id'").get() as { value: string } | undefined;
    if (!nodeOf()) sqlite.prepare("insert or ignore into sync_state (key, value) values ('node_id', lower(hex(randomblob(8))))").run();
    this.nodeId = (nodeOf() as { value: string }).value;
    this.lastSeenSeq = this.maxSeq();
    this.dataVersion = this.readDataVersion();
  }

  /** Open (creating if needed) and migrate the store in `dataDir`. */
  static open(options: StoreOptions): Store {
    makeFolder(options.dataDir);
    const file = join(options.dataDir, STORE_FILE_NAME);
    migrateWithBackup(file, options.migrationsDir, join(options.dataDir, 'backups'));
    const sqlite = new Database(file, { ...sqliteOptions(), timeout: BUSY_TIMEOUT_MS });
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    return new Store(file, sqlite);
  }

  private maxSeq(): number {
    const row = this.sqlite.prepare('select seq from change_log order by seq desc limit 1').get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  private readDataVersion(): number {
    return this.sqlite.pragma('data_version', { simple: true }) as number;
  }

  /**
   * Run `fn` in one immediate transaction. Either every row and its change record land, or none
   * does; listeners hear about the touched entities only after the commit. While another process
   * holds the write lock the start is retried; `fn` itself never runs twice.
   */
  write<T>(fn: (w: Writer) => T, options: WriteOptions = {}): T {
    const state: { writer?: Writer; startSeq: number } = { startSeq: 0 };
    const run = this.sqlite.transaction(() => {
      state.startSeq = this.maxSeq();
      const writer = new Writer(this.sqlite, this.nodeId, options);
      state.writer = writer;
      const result = fn(writer);
      writer.finish();
      return result;
    });
    let result: T;
    for (let attempt = 1; ; attempt++) {
      try {
        result = run.immediate();
        break;
      } catch (e) {
        if (state.writer !== undefined || !isBusy(e) || attempt >= WRITE_ATTEMPTS) throw e;
        sleepMs(50 * attempt);
      }
    }
    const w = state.writer as Writer;
    const startSeq = state.startSeq;
    // Our own commit does not move data_version for this connection. If nobody else wrote since
    // the listeners last heard, they need not hear about our rows again from refresh().
    if (startSeq === this.lastSeenSeq && w.lastWrittenSeq !== null) this.lastSeenSeq = w.lastWrittenSeq;
    if (w.touched.size > 0) {
      const rows = w.touchedIds;
      this.notify(w.touched, rows ? { isExternal: false, rows } : { isExternal: false });
    }
    return result;
  }

  /**
   * Notice commits made by other connections (another process, the import worker) since the last
   * call, and tell the listeners which tables they touched. Cheap (one pragma) when nothing changed.
   * Returns whether anything did.
   */
  refresh(): boolean {
    if (this.isClosed) return false;
    const version = this.readDataVersion();
    if (version === this.dataVersion) return false;
    this.dataVersion = version;
    const rows = this.sqlite
      .prepare('select entity, max(seq) as seq from change_log where seq > ? group by entity')
      .all(this.lastSeenSeq) as Array<{ entity: string; seq: number }>;
    if (rows.length === 0) return false;
    this.lastSeenSeq = Math.max(this.lastSeenSeq, ...rows.map((r) => r.seq));
    this.notify(new Set(rows.map((r) => r.entity)), { isExternal: true });
    return true;
  }

  private notify(entities: Set<string>, info: ChangeInfo): void {
    for (const l of this.changeListeners) l(entities, info);
  }

  /** Be told, after each commit (this process's or, through `refresh`, another's), which entities changed. */
  onDidChange(listener: (entities: Set<string>, info: ChangeInfo) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /**
   * Close the connection. `PRAGMA optimize` may want the write lock; while another process holds
   * it the optimisation is skipped at once rather than waited for or allowed to fail the caller.
   */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    try {
      this.sqlite.pragma('busy_timeout = 0');
      this.sqlite.pragma('optimize');
    } catch {
      // Optimisation is advisory; the next close will run it.
    }
    this.sqlite.close();
  }
}
