/**
 * Recorded batches (imports, the demo survey and its removal, target deletions) and their undo.
 * A batch is the contiguous `change_log` range one transaction wrote; each change carries the
 * values it replaced, so a revert writes them back through the same writer (as a batch of its
 * own, kind `revert`): rows the batch inserted become tombstones, tombstones it made are lifted,
 * columns it changed get their old values. A revert refuses, naming the rows, when a later write
 * changed what the batch wrote: it never overwrites newer work.
 */
import type { ImportBatch } from '../../../shared/model/survey';
import type { Store } from '../store';
import { cachedStatement, sqlValue, type Writer } from './write';

interface BatchRow {
  id: string;
  kind: ImportBatch['kind'];
  label: string;
  at_ms: number;
  first_seq: number | null;
  last_seq: number | null;
  added: number;
  updated: number;
  unchanged: number;
  skipped: number;
  reverted_by: string | null;
  reverts: string | null;
  is_compacted: number;
}

function toBatch(r: BatchRow): ImportBatch {
  return {
    id: r.id,
    kind: r.kind,
    file: r.label,
    at: new Date(r.at_ms).toISOString(),
    added: r.added,
    updated: r.updated,
    unchanged: r.unchanged,
    skipped: r.skipped,
    reverted: r.reverted_by !== null,
    isRevertible: r.reverted_by === null && r.kind !== 'revert' && r.is_compacted === 0,
  };
}

/** Recorded batches, oldest first; `kinds` narrows them (imports only for `companion imports`). */
export function listBatches(store: Store, kinds?: Array<ImportBatch['kind']>): ImportBatch[] {
  const rows = store.sqlite.prepare('select * from batches order by at_ms, rowid').all() as BatchRow[];
  return rows.filter((r) => !kinds || kinds.includes(r.kind)).map(toBatch);
}

/** One batch, or null. */
export function getBatch(store: Store, id: string): ImportBatch | null {
  const row = store.sqlite.prepare('select * from batches where id = ?').get(id) as BatchRow | undefined;
  return row ? toBatch(row) : null;
}

/** A revert the store cannot make; the message says which rows and why. */
export class RevertError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RevertError';
  }
}

interface ChangeRow {
  seq: number;
  entity: string;
  entity_id: string;
  op: 'insert' | 'update' | 'delete';
  patch_json: string;
  before_json: string | null;
}

/** What a batch did to one row: inserted it, or changed columns from `before` to `after`. */
interface NetChange {
  entity: string;
  id: string;
  isInsert: boolean;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** Bookkeeping columns a revert neither compares nor restores. */
const BOOKKEEPING = new Set(['id', 'created_at_ms', 'updated_at_ms']);

function netChanges(changes: ChangeRow[]): NetChange[] {
  const byRow = new Map<string, NetChange>();
  for (const c of changes) {
    const key = `${c.entity}\u0000${c.entity_id}`;
    let net = byRow.get(key);
    if (!net) {
      net = { entity: c.entity, id: c.entity_id, isInsert: c.op === 'insert', before: {}, after: {} };
      byRow.set(key, net);
    }
    const patch = JSON.parse(c.patch_json) as Record<string, unknown>;
    const before = c.before_json ? (JSON.parse(c.before_json) as Record<string, unknown>) : {};
    for (const [col, value] of Object.entries(patch)) {
      if (BOOKKEEPING.has(col)) continue;
      if (!net.isInsert && !(col in net.before)) net.before[col] = before[col] ?? null;
      net.after[col] = value;
    }
  }
  return [...byRow.values()];
}

function label(store: Store, entity: string, id: string): string {
  if (entity === 'targets') {
    const t = store.sqlite.prepare('select name from targets where id = ?').get(id) as { name: string } | undefined;
    if (t) return `target "${t.name}"`;
  }
  return `${entity} ${id}`;
}

function currentValues(w: Writer, entity: string, id: string, columns: string[]): Record<string, unknown> | null {
  if (entity === 'settings') {
    const row = cachedStatement(w.sqlite, 'select value_json from settings where key = ?').get(id) as { value_json: string } | undefined;
    return row ? { value: JSON.parse(row.value_json) } : null;
  }
  return (cachedStatement(w.sqlite, `select ${columns.join(', ')} from ${entity} where id = ?`).get(id) as Record<string, unknown> | undefined) ?? null;
}

function sameValue(a: unknown, b: unknown): boolean {
  const x = sqlValue(a);
  const y = sqlValue(b);
  return typeof x === 'number' && typeof y === 'number' ? x === y || Math.abs(x - y) < 1e-12 : (x ?? null) === (y ?? null);
}

/**
 * Targets that live rows inserted after `lastSeq` reference (observations, calibrators, data
 * products), with how many: a revert must not hide work attached to a target it would remove.
 */
function laterDependants(w: Writer, lastSeq: number): Map<string, number> {
  const out = new Map<string, number>();
  const rows = cachedStatement(
    w.sqlite,
    `select c.entity, c.entity_id from change_log c
     where c.seq > ? and c.op = 'insert' and c.entity in ('observations', 'calibrator_associations', 'data_products')`,
  ).all(lastSeq) as Array<{ entity: string; entity_id: string }>;
  for (const r of rows) {
    const row = cachedStatement(w.sqlite, `select target_id from ${r.entity} where id = ? and deleted = 0`).get(r.entity_id) as
      | { target_id: string | null }
      | undefined;
    if (row?.target_id) out.set(row.target_id, (out.get(row.target_id) ?? 0) + 1);
  }
  return out;
}

/**
 * Undo batch `id` as a new batch of kind `revert`; returns it. Refuses (RevertError) when the batch
 * is unknown, already reverted, itself a revert, compacted, or when later writes changed its rows.
 */
export function revertBatch(store: Store, id: string): ImportBatch {
  const target = store.sqlite.prepare('select * from batches where id = ?').get(id) as BatchRow | undefined;
  if (!target) throw new RevertError(`no recorded batch ${id} (see companion imports)`);
  const revertId = store.write(
    (w) => {
      const b = w.sqlite.prepare('select * from batches where id = ?').get(id) as BatchRow;
      if (b.reverted_by !== null) throw new RevertError(`"${b.label}" (${b.id}) was already reverted`);
      if (b.kind === 'revert') throw new RevertError(`"${b.label}" is itself a revert; import the file again instead`);
      if (b.is_compacted) throw new RevertError(`"${b.label}" is too old to revert: its change record was compacted`);
      const changes =
        b.first_seq === null
          ? []
          : (w.sqlite
              .prepare('select seq, entity, entity_id, op, patch_json, before_json from change_log where seq between ? and ? order by seq')
              .all(b.first_seq, b.last_seq) as ChangeRow[]);
      const nets = netChanges(changes);
      const dependants = b.last_seq === null ? new Map<string, number>() : laterDependants(w, b.last_seq);
      const conflicts: string[] = [];
      for (const net of nets) {
        const columns = Object.keys(net.after);
        const current = currentValues(w, net.entity, net.id, [...new Set([...columns, 'deleted'])].filter((c) => net.entity !== 'settings' || c === 'value'));
        if (!current) {
          conflicts.push(`${label(store, net.entity, net.id)} no longer exists`);
          continue;
        }
        if (net.isInsert && current.deleted === 1) continue;
        const changed = columns.filter((c) => !sameValue(current[c], net.after[c]));
        if (changed.length > 0) {
          conflicts.push(`${label(store, net.entity, net.id)}: ${changed.join(', ')} changed since`);
        } else if (net.isInsert && net.entity === 'targets' && dependants.has(net.id)) {
          conflicts.push(`${label(store, net.entity, net.id)}: ${dependants.get(net.id)} observations, calibrators or data products were added to it since`);
        }
      }
      if (conflicts.length > 0) {
        const shown = conflicts.slice(0, 5).join('; ');
        throw new RevertError(
          `cannot revert "${b.label}": later changes touch what it wrote (${shown}${conflicts.length > 5 ? `; and ${conflicts.length - 5} more` : ''})`,
        );
      }
      for (const net of [...nets].reverse()) {
        if (net.entity === 'settings') {
          if ('value' in net.before && net.before.value !== null) w.setSetting(net.id, net.before.value);
          continue;
        }
        if (net.isInsert) {
          const live = cachedStatement(w.sqlite, `select deleted from ${net.entity} where id = ?`).get(net.id) as { deleted: number };
          if (live.deleted === 0) w.tombstone(net.entity, net.id);
          continue;
        }
        const patch: Record<string, unknown> = {};
        for (const [col, value] of Object.entries(net.before)) if (!sameValue(value, net.after[col])) patch[col] = value;
        try {
          w.update(net.entity, net.id, patch);
        } catch (e) {
          if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
            throw new RevertError(`cannot restore ${label(store, net.entity, net.id)}: a live row now has the same key (${(e as Error).message})`);
          }
          throw e;
        }
      }
      w.markReverted(b.id);
      w.setBatchCounts({ updated: nets.length, report: { reverts: b.id, rows: nets.length } });
      return w.batchId as string;
    },
    { origin: 'revert', batch: { kind: 'revert', label: `Revert of ${target.label}`, reverts: id } },
  );
  return getBatch(store, revertId) as ImportBatch;
}

/** When the change log may forget a change. */
export interface CompactionPolicy {
  nowMs: number;
  /** Pushed changes are kept this long (so recent batches stay revertible). */
  keepPushedMs: number;
  /** Every change older than this goes, pushed or not. */
  maxAgeMs: number;
}

export const DEFAULT_COMPACTION: Omit<CompactionPolicy, 'nowMs'> = {
  keepPushedMs: 30 * 86_400_000,
  // Joplin keeps tombstones and events 180 days; a laptop offline longer than that resyncs in full.
  maxAgeMs: 180 * 86_400_000,
};

/**
 * Remove change-log rows that are pushed and older than `keepPushedMs`, or older than `maxAgeMs`.
 * Batches that lose changes are marked compacted (no longer revertible). Returns what it removed.
 * Not a synced write (the change log is bookkeeping), so it goes straight to SQLite, in one
 * immediate transaction.
 */
export function compactChangeLog(store: Store, policy: CompactionPolicy): { removed: number; batchesCompacted: number } {
  const tx = store.sqlite.transaction(() => {
    const pushedBefore = policy.nowMs - policy.keepPushedMs;
    const anyBefore = policy.nowMs - policy.maxAgeMs;
    const removed = store.sqlite
      .prepare('delete from change_log where (is_pushed = 1 and at_ms < ?) or at_ms < ?')
      .run(pushedBefore, anyBefore).changes;
    const batchesCompacted =
      removed === 0
        ? 0
        : store.sqlite
            .prepare(
              `update batches set is_compacted = 1 where is_compacted = 0 and first_seq is not null
               and (select count(*) from change_log where seq between batches.first_seq and batches.last_seq) < batches.last_seq - batches.first_seq + 1`,
            )
            .run().changes;
    store.sqlite
      .prepare("insert into sync_state (key, value) values ('change_log_compacted_at_ms', ?) on conflict(key) do update set value = excluded.value")
      .run(String(policy.nowMs));
    return { removed, batchesCompacted };
  });
  return tx.immediate();
}

/** Compact at most once a day; skipped quietly while another process holds the write lock. */
export function maybeCompactChangeLog(store: Store, nowMs = Date.now()): void {
  const last = store.sqlite.prepare("select value from sync_state where key = 'change_log_compacted_at_ms'").get() as { value: string } | undefined;
  if (last && nowMs - Number(last.value) < 86_400_000) return;
  try {
    compactChangeLog(store, { nowMs, ...DEFAULT_COMPACTION });
  } catch (e) {
    if (!String((e as { code?: string }).code).startsWith('SQLITE_BUSY')) throw e;
  }
}
