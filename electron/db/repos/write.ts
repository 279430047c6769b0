/**
 * The single write path of synced tables. Each call stamps the sync columns, writes the row
 * with a prepared statement and appends the matching `change_log` record (with its hybrid
 * logical clock, node id, origin, batch and, in a batch, the values it replaced; a document
 * table's change outside a batch names its columns without their text, see DOCUMENT_TABLES);
 * `Store.write` wraps a whole batch in one transaction so the row and its record can never disagree.
 */
import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { HybridLogicalClock } from '../../../shared/sync/hlc';

type Row = Record<string, unknown>;

/** Who makes a write, recorded on each change: the sync engine writes with `sync`, and never pushes those back. */
export type WriteOrigin = 'local' | 'import' | 'demo' | 'revert' | 'sync' | (string & {});

/** SQL value for a JS value: booleans as 0/1, objects as JSON, undefined as NULL. */
export function sqlValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}

/**
 * Tables whose rows are local documents, replaced whole on each save and never pushed to SPICA-DB:
 * outside a batch their changes are logged by column, each text value replaced by its length
 * (`{ "blocks_json": { "length": 225000 } }`; the id, numbers and nulls, such as a tombstone's
 * `deleted`, stay). A re-plan saves a ~225 kB plan document, and logging it again (escaped, so
 * larger) doubled what every re-plan wrote. Nothing needs the logged value: only a batch is ever
 * reverted (inside a batch the values are logged as for any table), staleness and `Store.refresh`
 * read `entity` and `seq`, lane A (SPICA-DB) pushes from `remote_push`, and a lane-B push can send
 * each named column's value from the row itself, which per-field last-writer-wins needs only at
 * its latest (docs/store.md).
 */
export const DOCUMENT_TABLES: ReadonlySet<string> = new Set(['plans']);

/** A change of a document table as logged outside a batch: text values as their length. */
function withoutDocumentText(patch: Row): Row {
  const logged: Row = {};
  for (const [column, value] of Object.entries(patch)) logged[column] = typeof value === 'string' && column !== 'id' ? { length: value.length } : value;
  return logged;
}

/** Prepared statements per connection: preparing is far costlier than running. */
const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A cached prepared statement of `sqlite` for `sql`. */
export function cachedStatement(sqlite: Database.Database, sql: string): Database.Statement {
  let cache = statementCache.get(sqlite);
  if (!cache) {
    cache = new Map();
    statementCache.set(sqlite, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = sqlite.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}

/** The clock key in `sync_state`: the last HLC this installation produced or saw. */
export const CLOCK_STATE_KEY = 'hlc_last';

/** What a write transaction is: its origin, and the batch it opens, if any. */
export interface WriteOptions {
  origin?: WriteOrigin;
  /** Open a recorded batch (listed, revertible) for this transaction. */
  batch?: { kind: BatchKind; label: string; reverts?: string };
}

export type BatchKind = 'import' | 'demo' | 'demo-remove' | 'delete' | 'revert';

/** Counts a batch reports; the full report is kept as JSON beside them. */
export interface BatchCounts {
  added?: number;
  updated?: number;
  unchanged?: number;
  skipped?: number;
  report?: unknown;
}

/**
 * Most row ids a transaction records for its listeners (all tables together). A small write (a
 * logged block touches one observation and one target) lets caches refresh just those rows; past
 * this many a rebuild is as cheap, and an import's hundred thousand ids are not worth holding.
 */
export const TOUCHED_IDS_CAP = 1000;

export class Writer {
  /** Tables written in this transaction, for post-commit listeners. */
  readonly touched = new Set<string>();
  /** Ids written per table, until more than TOUCHED_IDS_CAP were (then null). */
  private idsByTable: Map<string, Set<string>> | null = new Map();
  private touchedIdCount = 0;
  readonly nowMs = Date.now();
  readonly origin: WriteOrigin;
  /** The batch this transaction records, or null. */
  readonly batchId: string | null;
  private readonly logStatement: Database.Statement;
  private readonly clock: HybridLogicalClock;
  private firstSeq: number | null = null;
  private lastSeq: number | null = null;

  constructor(
    readonly sqlite: Database.Database,
    readonly nodeId: string,
    options: WriteOptions = {},
  ) {
    this.origin = options.origin ?? 'local';
    this.logStatement = cachedStatement(
      sqlite,
      'insert into change_log (entity, entity_id, op, patch_json, before_json, at_ms, hlc, node_id, origin, batch_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const last = cachedStatement(sqlite, 'select value from sync_state where key = ?').get(CLOCK_STATE_KEY) as
      | { value: string }
      | undefined;
    this.clock = new HybridLogicalClock(nodeId, last?.value ?? null);
    this.batchId = null;
    if (options.batch) {
      this.batchId = uuidv7();
      cachedStatement(
        sqlite,
        'insert into batches (id, kind, label, at_ms, hlc, node_id, reverts) values (?, ?, ?, ?, ?, ?, ?)',
      ).run(this.batchId, options.batch.kind, options.batch.label, this.nowMs, this.clock.send(Date.now()), nodeId, options.batch.reverts ?? null);
    }
  }

  private statement(sql: string): Database.Statement {
    return cachedStatement(this.sqlite, sql);
  }

  private log(table: string, id: string, op: 'insert' | 'update' | 'delete', patch: Row, before: Row | null): void {
    const info = this.logStatement.run(
      table,
      id,
      op,
      JSON.stringify(this.batchId === null && DOCUMENT_TABLES.has(table) ? withoutDocumentText(patch) : patch),
      before ? JSON.stringify(before) : null,
      this.nowMs,
      this.clock.send(Date.now()),
      this.nodeId,
      this.origin,
      this.batchId,
    );
    const seq = Number(info.lastInsertRowid);
    this.firstSeq ??= seq;
    this.lastSeq = seq;
    this.touched.add(table);
    this.recordId(table, id);
  }

  private recordId(table: string, id: string): void {
    if (this.idsByTable === null) return;
    let ids = this.idsByTable.get(table);
    if (!ids) {
      ids = new Set();
      this.idsByTable.set(table, ids);
    }
    if (ids.has(id)) return;
    ids.add(id);
    // Past the cap the ids are dropped, not truncated: a listener must never take a partial list for the whole write.
    if (++this.touchedIdCount > TOUCHED_IDS_CAP) this.idsByTable = null;
  }

  /**
   * The ids (settings: keys) written per table in this transaction, for post-commit listeners
   * that refresh only those rows; null when more than TOUCHED_IDS_CAP were written, so the
   * listeners treat the write as touching whole tables.
   */
  get touchedIds(): ReadonlyMap<string, ReadonlySet<string>> | null {
    return this.idsByTable;
  }

  /** Insert a row (snake_case columns); returns its new UUIDv7 id. */
  insert(table: string, values: Row): string {
    const id = (values.id as string | undefined) ?? uuidv7();
    const row: Row = { ...values, id, created_at_ms: this.nowMs, updated_at_ms: this.nowMs, deleted: 0 };
    const columns = Object.keys(row);
    const sql = `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`;
    const sqlValues = columns.map((c) => sqlValue(row[c]));
    this.statement(sql).run(...sqlValues);
    this.log(table, id, 'insert', Object.fromEntries(columns.map((c, i) => [c, sqlValues[i]])), null);
    return id;
  }

  /**
   * Update some columns of a row by id; a patch with no columns is a no-op. `before` (the
   * current values of the patched columns) saves a read when the caller already has the row.
   */
  update(table: string, id: string, patch: Row, before?: Row): void {
    this.patchRow(table, id, patch, 'update', before);
  }

  /** Tombstone a row: sync needs to see deletions, so rows are never removed. */
  tombstone(table: string, id: string): void {
    this.patchRow(table, id, { deleted: true }, 'delete');
  }

  /** Undo a tombstone (a revert of a deletion). */
  restore(table: string, id: string): void {
    this.patchRow(table, id, { deleted: false }, 'update');
  }

  private patchRow(table: string, id: string, patch: Row, op: 'update' | 'delete', known?: Row): void {
    const columns = Object.keys(patch).filter((c) => c !== 'id');
    if (columns.length === 0) return;
    // Only a batch is ever undone (`revertBatch` reads its own range), so only its changes carry
    // the values they replaced: a plan saved whole would otherwise log its half-megabyte document
    // twice (and read it back first).
    let before: Row | null = null;
    if (this.batchId !== null && known && columns.every((c) => c in known)) {
      before = Object.fromEntries(columns.map((c) => [c, sqlValue(known[c])]));
    } else if (this.batchId !== null) {
      const current = this.statement(`select ${columns.join(', ')} from ${table} where id = ?`).get(id) as Row | undefined;
      if (!current) throw new Error(`${table}: no row with id ${id}`);
      before = current;
    }
    const sql = `update ${table} set ${columns.map((c) => `${c} = ?`).join(', ')}, updated_at_ms = ? where id = ?`;
    const info = this.statement(sql).run(...columns.map((c) => sqlValue(patch[c])), this.nowMs, id);
    if (info.changes === 0) throw new Error(`${table}: no row with id ${id}`);
    this.log(table, id, op, Object.fromEntries(columns.map((c) => [c, sqlValue(patch[c])])), before);
  }

  /** Upsert a key/value setting (settings are not row-synced but are logged). */
  setSetting(key: string, value: unknown): void {
    const old = this.statement('select value_json from settings where key = ?').get(key) as { value_json: string } | undefined;
    this.statement(
      'insert into settings (key, value_json, updated_at_ms) values (?, ?, ?) on conflict(key) do update set value_json = excluded.value_json, updated_at_ms = excluded.updated_at_ms',
    ).run(key, JSON.stringify(value), this.nowMs);
    this.log('settings', key, 'update', { value }, old ? { value: JSON.parse(old.value_json) } : null);
  }

  /** Remove a key/value setting (logged like a change, so sync sees it go). */
  removeSetting(key: string): void {
    const old = this.statement('select value_json from settings where key = ?').get(key) as { value_json: string } | undefined;
    if (!old) return;
    this.statement('delete from settings where key = ?').run(key);
    this.log('settings', key, 'delete', { value: null }, { value: JSON.parse(old.value_json) });
  }

  /** Record the counts and report of this transaction's batch (no-op without a batch). */
  setBatchCounts(counts: BatchCounts): void {
    if (!this.batchId) return;
    this.statement('update batches set added = ?, updated = ?, unchanged = ?, skipped = ?, report_json = ? where id = ?').run(
      counts.added ?? 0,
      counts.updated ?? 0,
      counts.unchanged ?? 0,
      counts.skipped ?? 0,
      counts.report === undefined ? null : JSON.stringify(counts.report),
      this.batchId,
    );
  }

  /** Mark batch `id` as undone by this transaction's batch. */
  markReverted(id: string): void {
    this.statement('update batches set reverted_by = ? where id = ?').run(this.batchId, id);
  }

  /** Called by the store just before commit: close the batch's seq range and persist the clock. */
  finish(): void {
    if (this.batchId) {
      this.statement('update batches set first_seq = ?, last_seq = ? where id = ?').run(this.firstSeq, this.lastSeq, this.batchId);
    }
    this.statement(
      'insert into sync_state (key, value) values (?, ?) on conflict(key) do update set value = excluded.value',
    ).run(CLOCK_STATE_KEY, this.clock.last());
  }

  /** The highest change_log seq this transaction wrote (null when it wrote none). */
  get lastWrittenSeq(): number | null {
    return this.lastSeq;
  }
}
