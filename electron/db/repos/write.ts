/**
 * The single write path of synced tables. Each call stamps the sync columns, writes the row
 * with a prepared statement and appends the matching `change_log` record; `Store.write` wraps a
 * whole batch in one transaction so the row and its record can never disagree.
 */
import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';

type Row = Record<string, unknown>;

/** SQL value for a JS value: booleans as 0/1, objects as JSON, undefined as NULL. */
function sqlValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
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

export class Writer {
  /** Tables written in this transaction, for post-commit listeners. */
  readonly touched = new Set<string>();
  private readonly logStatement: Database.Statement;
  readonly nowMs = Date.now();

  constructor(readonly sqlite: Database.Database) {
    this.logStatement = cachedStatement(
      sqlite,
      'insert into change_log (entity, entity_id, op, patch_json, at_ms) values (?, ?, ?, ?, ?)',
    );
  }

  private statement(sql: string): Database.Statement {
    return cachedStatement(this.sqlite, sql);
  }

  /** Insert a row (snake_case columns); returns its new UUIDv7 id. */
  insert(table: string, values: Row): string {
    const id = (values.id as string | undefined) ?? uuidv7();
    const row: Row = { ...values, id, created_at_ms: this.nowMs, updated_at_ms: this.nowMs, deleted: 0 };
    const columns = Object.keys(row);
    const sql = `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`;
    this.statement(sql).run(...columns.map((c) => sqlValue(row[c])));
    this.logStatement.run(table, id, 'insert', JSON.stringify(row), this.nowMs);
    this.touched.add(table);
    return id;
  }

  /** Update some columns of a row by id; a patch with no columns is a no-op. */
  update(table: string, id: string, patch: Row): void {
    this.patchRow(table, id, patch, 'update');
  }

  /** Tombstone a row: sync needs to see deletions, so rows are never removed. */
  tombstone(table: string, id: string): void {
    this.patchRow(table, id, { deleted: true }, 'delete');
  }

  private patchRow(table: string, id: string, patch: Row, op: 'update' | 'delete'): void {
    const columns = Object.keys(patch).filter((c) => c !== 'id');
    if (columns.length === 0) return;
    const sql = `update ${table} set ${columns.map((c) => `${c} = ?`).join(', ')}, updated_at_ms = ? where id = ?`;
    const info = this.statement(sql).run(
      ...columns.map((c) => sqlValue(patch[c])),
      this.nowMs,
      id,
    );
    if (info.changes === 0) throw new Error(`${table}: no row with id ${id}`);
    this.logStatement.run(table, id, op, JSON.stringify(patch), this.nowMs);
    this.touched.add(table);
  }

  /** Upsert a key/value setting (settings are not row-synced but are logged). */
  setSetting(key: string, value: unknown): void {
    this.statement(
      'insert into settings (key, value_json, updated_at_ms) values (?, ?, ?) on conflict(key) do update set value_json = excluded.value_json, updated_at_ms = excluded.updated_at_ms',
    ).run(key, JSON.stringify(value), this.nowMs);
    this.logStatement.run('settings', key, 'update', JSON.stringify({ value }), this.nowMs);
    this.touched.add('settings');
  }
}
