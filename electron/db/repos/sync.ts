/**
 * The only writer of lane A's bookkeeping (remote_rows, remote_tables, remote_push,
 * sync_conflicts, sync_runs, the `jmmc.*` keys of sync_state) and of what a pull projects onto
 * targets and memberships. Each call is one `store.write` transaction: a snapshot is applied
 * entirely (bases, merge, projection, withdrawals, table record) or not at all, so a process
 * killed at any moment never leaves half a snapshot.
 *
 * Pulled values reach the survey with origin `sync` (never pushed back); PI edits are written with
 * origin `local` together with their outbox entry, in one transaction.
 */
import { createHash } from 'node:crypto';
import type { SyncConflict } from '../../../shared/contract/sync';
import { v7 as uuidv7 } from 'uuid';
import {
  canonRow,
  canonValue,
  columnKind,
  columnSpecs,
  stableRowJson,
  type CanonRow,
  type CanonValue,
  type ColumnKind,
  type ColumnSpec,
} from '../../../shared/sync/canon';
import { entriesSince, lastmodsHead, lastWriteOf, parseLastmods, sameLogin, type LastmodsEntry } from '../../../shared/sync/lastmods';
import { editPending, mergePending, type PendingValue, type RowConflict } from '../../../shared/sync/merge';
import {
  lastmodsColumnOf,
  PI_COLUMN_FIELDS,
  primaryKeyOf,
  type PiEditableColumn,
} from '../../../shared/sync/jmmc';
import { tableToTargets, type ImportedTarget } from '../../../shared/survey/import-rows';
import type { CrossIdIndex } from '../../../shared/survey/identifiers';
import type { VoField } from '../../../shared/votable/read';
import type { Store } from '../store';
import { importRowsInto, NameIndex, valuesDiffer, writeMemberships, type ExistingMembership } from './targets';
import { cachedStatement, type Writer } from './write';

type Row = Record<string, unknown>;

/** A pulled table as the TAP client hands it over. */
export interface RemoteTable {
  catalog: string;
  tapUrl: string;
  fields: VoField[];
  rows: Array<Array<string | null>>;
}

export interface SnapshotInfo {
  complete: boolean;
  serverCount: number | null;
  notice: string | null;
}

/** What applying remote rows did. */
export interface ApplyResult {
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  relisted: number;
  reverted: number;
  /** Rows whose target was deleted in this survey: kept out. */
  deletedHere: number;
  skipped: Array<{ pk: string; reason: string }>;
  conflicts: number;
  /** Outbox rows whose every column SPICA-DB already holds (removed from the outbox). */
  converged: string[];
  /** Outbox rows that still wait, with the columns left. */
  kept: string[];
  /** Outbox rows whose pending columns no longer exist remotely (refused). */
  missing: string[];
}

interface BaseRow {
  row: CanonRow;
  hash: string;
  head: { utc: string; by: string } | null;
  withdrawnAtMs: number | null;
}

export interface OutboxRow {
  catalog: string;
  pk: string;
  targetId: string | null;
  patch: Record<string, PendingValue>;
  state: 'pending' | 'sending' | 'sent' | 'rejected';
  error: string | null;
  attempts: number;
  editedAtMs: number;
}

const hashOf = (json: string) => createHash('sha1').update(json).digest('hex');

/** Kinds of the columns of a catalogue's last pull (text for a column never seen). */
function kindsOf(w: { sqlite: Store['sqlite'] }, catalog: string): (column: string) => ColumnKind {
  const row = cachedStatement(w.sqlite, 'select fields_json from remote_tables where catalog = ?').get(catalog) as { fields_json: string } | undefined;
  const specs = row ? (JSON.parse(row.fields_json) as Array<{ name: string; datatype?: string }>) : [];
  const kinds = new Map(columnSpecs(specs).map((c) => [c.name, c.kind]));
  return (column) => kinds.get(column) ?? columnKind(column, column.startsWith('priority') ? 'short' : 'char');
}

function readBases(w: Writer, catalog: string, pks: string[] | null): Map<string, BaseRow> {
  const rows = (
    pks === null
      ? w.sqlite.prepare('select pk, row_json, row_hash, lastmods_head, withdrawn_at_ms from remote_rows where catalog = ?').all(catalog)
      : pks.map((pk) => cachedStatement(w.sqlite, 'select pk, row_json, row_hash, lastmods_head, withdrawn_at_ms from remote_rows where catalog = ? and pk = ?').get(catalog, pk)).filter(Boolean)
  ) as Array<{ pk: string; row_json: string; row_hash: string; lastmods_head: string | null; withdrawn_at_ms: number | null }>;
  return new Map(
    rows.map((r) => [r.pk, { row: JSON.parse(r.row_json) as CanonRow, hash: r.row_hash, head: r.lastmods_head ? JSON.parse(r.lastmods_head) : null, withdrawnAtMs: r.withdrawn_at_ms }]),
  );
}

function outboxFrom(r: Row): OutboxRow {
  const patch = JSON.parse(r.patch_json as string) as Record<string, CanonValue>;
  const base = JSON.parse(r.base_json as string) as Record<string, CanonValue>;
  return {
    catalog: r.catalog as string,
    pk: r.pk as string,
    targetId: r.target_id as string | null,
    patch: Object.fromEntries(Object.entries(patch).map(([c, v]) => [c, { local: v, base: base[c] ?? null }])),
    state: r.state as OutboxRow['state'],
    error: r.error as string | null,
    attempts: r.attempts as number,
    editedAtMs: r.edited_at_ms as number,
  };
}

/** The outbox of a catalogue (all states), oldest edit first. */
export function readOutbox(store: Store, catalog: string | null = null): OutboxRow[] {
  const rows = (catalog === null
    ? store.sqlite.prepare('select * from remote_push order by edited_at_ms').all()
    : store.sqlite.prepare('select * from remote_push where catalog = ? order by edited_at_ms').all(catalog)) as Row[];
  return rows.map(outboxFrom);
}

function writeOutbox(w: Writer, row: OutboxRow): void {
  const columns = Object.keys(row.patch);
  if (columns.length === 0) {
    cachedStatement(w.sqlite, 'delete from remote_push where catalog = ? and pk = ?').run(row.catalog, row.pk);
    return;
  }
  cachedStatement(
    w.sqlite,
    `insert into remote_push (catalog, pk, target_id, patch_json, base_json, state, error, attempts, edited_at_ms, updated_at_ms)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (catalog, pk) do update set target_id = excluded.target_id, patch_json = excluded.patch_json, base_json = excluded.base_json,
       state = excluded.state, error = excluded.error, attempts = excluded.attempts, edited_at_ms = excluded.edited_at_ms, updated_at_ms = excluded.updated_at_ms`,
  ).run(
    row.catalog,
    row.pk,
    row.targetId,
    JSON.stringify(Object.fromEntries(columns.map((c) => [c, row.patch[c].local]))),
    JSON.stringify(Object.fromEntries(columns.map((c) => [c, row.patch[c].base]))),
    row.state,
    row.error,
    row.attempts,
    row.editedAtMs,
    w.nowMs,
  );
}

function readOutboxRow(w: Writer, catalog: string, pk: string): OutboxRow | null {
  const r = cachedStatement(w.sqlite, 'select * from remote_push where catalog = ? and pk = ?').get(catalog, pk) as Row | undefined;
  return r ? outboxFrom(r) : null;
}

/** Who changed `column` remotely and when: the newest write since the base, else the newest at all. */
function remoteAuthor(entries: LastmodsEntry[], since: LastmodsEntry[], column: string): { by: string | null; utc: string | null } {
  const e = lastWriteOf(since, column) ?? lastWriteOf(entries, column);
  return { by: e?.by ?? null, utc: e?.utc ?? null };
}

function upsertConflict(
  w: Writer,
  c: { catalog: string; pk: string; targetId: string | null; column: string; kind: 'both-changed' | 'overwritten'; base: CanonValue; local: CanonValue; remote: CanonValue; by: string | null; utc: string | null },
): void {
  const open = cachedStatement(w.sqlite, 'select id from sync_conflicts where catalog = ? and pk = ? and "column" = ? and resolved_at_ms is null').get(c.catalog, c.pk, c.column) as
    | { id: string }
    | undefined;
  if (open) {
    cachedStatement(
      w.sqlite,
      'update sync_conflicts set kind = ?, base_json = ?, local_json = ?, remote_json = ?, remote_by = ?, remote_utc = ?, created_at_ms = ? where id = ?',
    ).run(c.kind, JSON.stringify(c.base), JSON.stringify(c.local), JSON.stringify(c.remote), c.by, c.utc, w.nowMs, open.id);
    return;
  }
  cachedStatement(
    w.sqlite,
    `insert into sync_conflicts (id, catalog, pk, target_id, "column", kind, base_json, local_json, remote_json, remote_by, remote_utc, created_at_ms)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(uuidv7(), c.catalog, c.pk, c.targetId, c.column, c.kind, JSON.stringify(c.base), JSON.stringify(c.local), JSON.stringify(c.remote), c.by, c.utc, w.nowMs);
}

// ---- projection onto the survey -----------------------------------------------------------------

interface LocalTarget {
  id: string;
  spicadb_id: string;
  name: string;
  main_id: string | null;
  hd: string | null;
  ra_deg: number;
  dec_deg: number;
  vmag: number | null;
  hmag: number | null;
  sp_type: string | null;
  spica_mode: string | null;
  completion_rate: number;
  completion_provisional: number | null;
  completion_provisional_from: number | null;
  extra_json: string | null;
  withdrawn_at_ms: number | null;
}

/** Local membership value of a PI-editable column's remote value. */
export function localValueOf(column: PiEditableColumn, value: CanonValue): number | string | null {
  if (value === null) return null;
  if (PI_COLUMN_FIELDS[column].field === 'piPriority') {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? (n <= 0 ? 0 : 1) : null;
  }
  return String(value);
}

/** Remote value of a local membership value (for an edit of a never-pulled row). */
function remoteValueOf(column: PiEditableColumn, m: ExistingMembership | undefined): CanonValue {
  if (!m) return null;
  return PI_COLUMN_FIELDS[column].field === 'piPriority' ? m.pi_priority : canonValue('text', m.comments);
}

/** The target columns a SPICA-DB row owns, for a row the importer's parser read. */
function ownedTargetColumns(t: ImportedTarget, existingExtra: string | null, remoteColumns: Set<string>): Row {
  const extra: Record<string, string> = existingExtra ? (JSON.parse(existingExtra) as Record<string, string>) : {};
  // SPICA-DB's columns replace their old values (a NULL erases); other sources' extras stay.
  for (const k of Object.keys(extra)) if (remoteColumns.has(k.toLowerCase())) delete extra[k];
  Object.assign(extra, t.extra);
  return {
    name: t.name,
    main_id: t.mainId,
    hd: t.hd,
    ra_deg: t.raDeg,
    dec_deg: t.decDeg,
    vmag: t.vmag,
    hmag: t.hmag,
    sp_type: t.spType,
    spica_mode: t.spicaMode,
    completion_rate: t.completionRate ?? 0,
    extra_json: Object.keys(extra).length > 0 ? JSON.stringify(extra) : null,
  };
}

export interface ApplyOptions {
  /** A whole-table snapshot (withdrawals, table record) or a re-read of some rows (push pre-check, verify). */
  kind: 'snapshot' | 'subset';
  snapshot?: SnapshotInfo;
  /** Cross-identifications for matching new rows to local targets (the bundled bright stars). */
  crossIds?: CrossIdIndex;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Apply pulled rows of `table` in one transaction: replace the bases, merge the outbox (conflicts,
 * converged edits), project SPICA-DB rows onto the survey (reference tables only keep their
 * bases), and for a complete snapshot mark rows it lacks as withdrawn upstream.
 */
export function applyRemoteRows(store: Store, table: RemoteTable, options: ApplyOptions): ApplyResult {
  const { catalog } = table;
  const pkColumn = primaryKeyOf(catalog);
  const columns: ColumnSpec[] = columnSpecs(table.fields);
  const pkIndex = columns.findIndex((c) => c.name === pkColumn);
  if (pkIndex < 0) throw new Error(`${catalog}: the pulled table has no ${pkColumn} column (columns: ${columns.map((c) => c.name).join(', ')})`);
  const kinds = new Map(columns.map((c) => [c.name, c.kind]));
  const kindOf = (c: string): ColumnKind => kinds.get(c) ?? 'text';
  const lastmodsColumn = lastmodsColumnOf(catalog);
  const isSurvey = pkColumn === 'spicadb_id';
  const canon = table.rows.map((cells) => canonRow(columns, cells));
  const pks = canon.map((r, i) => {
    const v = r[pkColumn];
    if (v === null || v === undefined) throw new Error(`${catalog}: row ${i + 1} has no ${pkColumn}`);
    return String(v);
  });
  const seen = new Set<string>();
  for (const pk of pks) {
    if (seen.has(pk)) throw new Error(`${catalog}: ${pkColumn} ${pk} appears twice in the pulled rows`);
    seen.add(pk);
  }

  return store.write(
    (w) => {
      const result: ApplyResult = { rows: canon.length, added: 0, updated: 0, unchanged: 0, withdrawn: 0, relisted: 0, reverted: 0, deletedHere: 0, skipped: [], conflicts: 0, converged: [], kept: [], missing: [] };
      const bases = readBases(w, catalog, options.kind === 'snapshot' ? null : pks);
      const outbox = new Map(
        (cachedStatement(w.sqlite, 'select * from remote_push where catalog = ?').all(catalog) as Row[]).map((r) => [r.pk as string, outboxFrom(r)]),
      );
      const unchangedRemote = new Set<string>();
      /** pk → columns still pending after the merge (the projection keeps their local values). */
      const stillPending = new Map<string, Record<string, PendingValue>>();
      const upsertBase = cachedStatement(
        w.sqlite,
        `insert into remote_rows (catalog, pk, row_json, row_hash, lastmods_head, pulled_at_ms, withdrawn_at_ms) values (?, ?, ?, ?, ?, ?, null)
         on conflict (catalog, pk) do update set row_json = excluded.row_json, row_hash = excluded.row_hash, lastmods_head = excluded.lastmods_head,
           pulled_at_ms = excluded.pulled_at_ms, withdrawn_at_ms = null`,
      );
      canon.forEach((row, i) => {
        const pk = pks[i];
        const json = stableRowJson(row);
        const hash = hashOf(json);
        const base = bases.get(pk);
        const lastmodsText = lastmodsColumn ? (row[lastmodsColumn] as string | null) : null;
        const pending = outbox.get(pk);
        if (pending && pending.state !== 'rejected' && Object.keys(pending.patch).length > 0) {
          const merged = mergePending(kindOf, base?.row ?? null, row, pending.patch);
          const entries = parseLastmods(lastmodsText);
          const since = entriesSince(entries, base?.head ?? null);
          for (const c of merged.conflicts) {
            const author = remoteAuthor(entries, since, c.column);
            upsertConflict(w, { catalog, pk, targetId: pending.targetId, column: c.column, kind: 'both-changed', base: c.base, local: c.local, remote: c.remote, ...author });
            result.conflicts++;
          }
          const next: OutboxRow = { ...pending, patch: merged.keep };
          if (merged.missing.length > 0) {
            next.state = 'rejected';
            next.error = `SPICA-DB's ${catalog} table no longer has the column(s) ${merged.missing.join(', ')}`;
            for (const c of merged.missing) next.patch[c] = pending.patch[c];
            result.missing.push(pk);
          }
          writeOutbox(w, next);
          if (Object.keys(next.patch).length === 0) result.converged.push(pk);
          else {
            result.kept.push(pk);
            stillPending.set(pk, next.patch);
          }
        } else if (pending) {
          stillPending.set(pk, pending.patch);
        }
        if (base && base.hash === hash && base.withdrawnAtMs === null) unchangedRemote.add(pk);
        else upsertBase.run(catalog, pk, json, hash, JSON.stringify(lastmodsHead(lastmodsText)), w.nowMs);
      });
      // A refused outbox row keeps its local values in the survey until the user retries or discards it.
      if (options.kind === 'snapshot') {
        for (const [pk, row] of outbox) if (!seen.has(pk) && row.state !== 'rejected' && !stillPending.has(pk)) stillPending.set(pk, row.patch);
      }

      const withdrawnPks = new Set<string>();
      if (options.kind === 'snapshot' && options.snapshot?.complete) {
        const stamp = cachedStatement(w.sqlite, 'update remote_rows set withdrawn_at_ms = ? where catalog = ? and pk = ?');
        for (const [pk, base] of bases) {
          if (seen.has(pk)) continue;
          if (base.withdrawnAtMs === null) stamp.run(w.nowMs, catalog, pk);
          withdrawnPks.add(pk);
        }
      }
      if (options.kind === 'snapshot') {
        const fields = table.fields.map((f) => ({ name: f.name, datatype: f.datatype ?? 'char', ...(f.arraysize ? { arraysize: f.arraysize } : {}) }));
        const s = options.snapshot ?? { complete: false, serverCount: null, notice: null };
        cachedStatement(
          w.sqlite,
          `insert into remote_tables (catalog, tap_url, fields_json, row_count, server_count, is_complete, pulled_at_ms, complete_pulled_at_ms, notice)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?)
           on conflict (catalog) do update set tap_url = excluded.tap_url, fields_json = excluded.fields_json, row_count = excluded.row_count,
             server_count = excluded.server_count, is_complete = excluded.is_complete, pulled_at_ms = excluded.pulled_at_ms,
             complete_pulled_at_ms = coalesce(excluded.complete_pulled_at_ms, remote_tables.complete_pulled_at_ms), notice = excluded.notice`,
        ).run(catalog, table.tapUrl, JSON.stringify(fields), canon.length, s.serverCount, s.complete ? 1 : 0, w.nowMs, s.complete ? w.nowMs : null, s.notice);
      }
      if (!isSurvey) {
        result.unchanged = unchangedRemote.size;
        result.updated = canon.length - unchangedRemote.size;
        result.withdrawn = withdrawnPks.size;
        return result;
      }
      projectSurvey(w, { table, pks, stillPending, unchangedRemote, complete: options.kind === 'snapshot' && options.snapshot?.complete === true, result, options });
      return result;
    },
    { origin: 'sync' },
  );
}

function projectSurvey(
  w: Writer,
  p: {
    table: RemoteTable;
    pks: string[];
    stillPending: Map<string, Record<string, PendingValue>>;
    unchangedRemote: Set<string>;
    complete: boolean;
    result: ApplyResult;
    options: ApplyOptions;
  },
): void {
  const { result } = p;
  const { targets: parsed, skipped } = tableToTargets(p.table.fields, p.table.rows, (i) => i);
  for (const s of skipped) result.skipped.push({ pk: p.pks[s.row], reason: s.reason });
  const remoteColumns = new Set(p.table.fields.map((f) => f.name.toLowerCase()));
  const locals = new Map<string, LocalTarget>();
  for (const t of w.sqlite.prepare('select * from targets where deleted = 0 and is_demo = 0 and spicadb_id is not null').all() as LocalTarget[]) locals.set(t.spicadb_id, t);
  const deletedHere = new Set(
    (w.sqlite.prepare('select spicadb_id from targets where deleted = 1 and is_demo = 0 and spicadb_id is not null').all() as Array<{ spicadb_id: string }>)
      .map((r) => r.spicadb_id)
      .filter((id) => !locals.has(id)),
  );
  const membersOf = new Map<string, ExistingMembership[]>();
  for (const m of w.sqlite.prepare('select * from memberships where deleted = 0').all() as ExistingMembership[]) {
    const list = membersOf.get(m.target_id);
    if (list) list.push(m);
    else membersOf.set(m.target_id, [m]);
  }
  const programmes = new NameIndex(w, 'programmes', 'code', false);
  const pis = new NameIndex(w, 'pis', 'name', false);
  const fresh: ImportedTarget[] = [];
  parsed.forEach((t, n) => {
    if (n % 200 === 0) p.options.onProgress?.(n, parsed.length);
    const pk = p.pks[t.row];
    t.spicadbId = pk;
    // Edits still waiting keep their local value in the survey (the table shows what will be pushed).
    const pending = p.stillPending.get(pk);
    if (pending) {
      for (const [column, v] of Object.entries(pending)) {
        const spec = PI_COLUMN_FIELDS[column as PiEditableColumn];
        if (!spec) continue;
        const m = t.memberships.find((x) => x.rank === spec.rank);
        if (!m) continue;
        if (spec.field === 'piPriority') m.piPriority = localValueOf(column as PiEditableColumn, v.local) as number | null;
        else m.comments = v.local === null ? null : String(v.local);
      }
    }
    const local = locals.get(pk);
    if (!local) {
      // A row whose target was deleted here stays out of the survey (Undo brings it back).
      if (deletedHere.has(pk)) result.deletedHere++;
      else fresh.push(t);
      return;
    }
    const owned = ownedTargetColumns(t, local.extra_json, remoteColumns);
    const patch: Row = {};
    for (const [k, v] of Object.entries(owned)) if (valuesDiffer((local as unknown as Row)[k], v)) patch[k] = v;
    // The database's completion wins once it moves away from the value local increments started from.
    if (local.completion_provisional !== null && valuesDiffer(local.completion_provisional_from, owned.completion_rate)) {
      patch.completion_provisional = null;
      patch.completion_provisional_from = null;
    }
    if (local.withdrawn_at_ms !== null) {
      patch.withdrawn_at_ms = null;
      result.relisted++;
    }
    const targetChanged = Object.keys(patch).length > 0;
    if (targetChanged) w.update('targets', local.id, patch, local as unknown as Row);
    // SPICA-DB owns these rows: a NULL priority or comment replaces the local one.
    const membershipsChanged = writeMemberships(w, local.id, t.memberships, membersOf.get(local.id) ?? [], programmes, pis, true);
    if (targetChanged || membershipsChanged) {
      result.updated++;
      if (p.unchangedRemote.has(pk)) result.reverted++;
    } else result.unchanged++;
  });
  if (fresh.length > 0) {
    const written = importRowsInto(w, fresh, { source: `SPICA-DB ${p.table.catalog}`, crossIds: p.options.crossIds });
    result.added += written.added;
    result.updated += written.updated;
    result.unchanged += written.unchanged;
    for (const a of written.ambiguous) result.skipped.push({ pk: p.pks[a.row], reason: `not matched to one local target: ${a.reason}` });
  }
  if (p.complete) {
    const listed = new Set(p.pks);
    // Every live target with a numeric SPICA-DB id the complete snapshot lacks, pulled before or
    // only imported from a file: SPICA-DB no longer lists it. It is marked, never deleted.
    for (const [pk, t] of locals) {
      if (listed.has(pk) || t.withdrawn_at_ms !== null || !/^\d+$/.test(pk)) continue;
      w.update('targets', t.id, { withdrawn_at_ms: w.nowMs }, t as unknown as Row);
      result.withdrawn++;
    }
  }
  p.options.onProgress?.(parsed.length, parsed.length);
}

// ---- PI edits (origin local) --------------------------------------------------------------------

export interface PiEdit {
  targetId: string;
  changes: Partial<Record<PiEditableColumn, CanonValue>>;
  catalog: string;
  /** The push allow-list: other columns are edited locally only. */
  pushColumns: PiEditableColumn[];
}

export class PiEditError extends Error {}

/** Whether a SPICA-DB id can be pushed (demo ids and text ids never are). */
export function isPushableId(spicadbId: string | null, isDemo: boolean): spicadbId is string {
  return spicadbId !== null && !isDemo && /^\d+$/.test(spicadbId);
}

/**
 * Write PI-editable values to the survey and queue them for SPICA-DB in one transaction. An edit
 * back to the base value drops that column from the outbox; an edit of a column in conflict
 * resolves the conflict as "edit".
 */
export function recordPiEdit(store: Store, edit: PiEdit): { queued: PiEditableColumn[]; localOnly: PiEditableColumn[] } {
  return store.write(
    (w) => {
      const target = cachedStatement(w.sqlite, 'select id, name, spicadb_id, is_demo from targets where id = ? and deleted = 0').get(edit.targetId) as
        | { id: string; name: string; spicadb_id: string | null; is_demo: number }
        | undefined;
      if (!target) throw new PiEditError(`no live target with id ${edit.targetId}`);
      const members = w.sqlite.prepare('select * from memberships where target_id = ? and deleted = 0').all(target.id) as ExistingMembership[];
      const pushable = isPushableId(target.spicadb_id, target.is_demo === 1);
      const base = pushable ? readBases(w, edit.catalog, [target.spicadb_id as string]).get(target.spicadb_id as string) : undefined;
      const kindOf = kindsOf(w, edit.catalog);
      const row: OutboxRow = (pushable ? readOutboxRow(w, edit.catalog, target.spicadb_id as string) : null) ?? {
        catalog: edit.catalog,
        pk: target.spicadb_id ?? '',
        targetId: target.id,
        patch: {},
        state: 'pending',
        error: null,
        attempts: 0,
        editedAtMs: w.nowMs,
      };
      const queued: PiEditableColumn[] = [];
      const localOnly: PiEditableColumn[] = [];
      for (const [col, value] of Object.entries(edit.changes) as Array<[PiEditableColumn, CanonValue]>) {
        const spec = PI_COLUMN_FIELDS[col];
        const m = members.find((x) => x.rank === spec.rank);
        if (!m) throw new PiEditError(`${target.name} has no ${spec.rank === 1 ? 'first' : 'second'} programme: ${col} cannot be set`);
        const kind = kindOf(col);
        const v = canonValue(kind, value);
        const localField = spec.field === 'piPriority' ? 'pi_priority' : 'comments';
        const localValue = spec.field === 'piPriority' ? localValueOf(col, v) : value === null ? null : String(value);
        if (valuesDiffer((m as unknown as Row)[localField], localValue)) {
          w.update('memberships', m.id, { [localField]: localValue }, m as unknown as Row);
          (m as unknown as Row)[localField] = localValue;
        }
        if (!pushable || !edit.pushColumns.includes(col)) {
          localOnly.push(col);
          continue;
        }
        const from = base && col in base.row ? base.row[col] : remoteValueOf(col, members.find((x) => x.id === m.id));
        const next = editPending(kind, row.patch[col], from, v);
        if (next) row.patch[col] = next;
        else delete row.patch[col];
        queued.push(col);
        cachedStatement(w.sqlite, `update sync_conflicts set resolved_at_ms = ?, resolution = 'edit' where catalog = ? and pk = ? and "column" = ? and resolved_at_ms is null`).run(
          w.nowMs,
          edit.catalog,
          target.spicadb_id,
          col,
        );
      }
      if (pushable && queued.length > 0) {
        writeOutbox(w, { ...row, targetId: target.id, state: 'pending', error: null, attempts: 0, editedAtMs: w.nowMs });
      }
      return { queued, localOnly };
    },
    { origin: 'local' },
  );
}

// ---- push bookkeeping --------------------------------------------------------------------------------

/** Set the state of outbox rows (attempts counted when they go out). */
export function markOutbox(store: Store, catalog: string, pks: string[], state: OutboxRow['state'], error: string | null = null): void {
  if (pks.length === 0) return;
  store.write(
    (w) => {
      const s = cachedStatement(
        w.sqlite,
        `update remote_push set state = ?, error = ?, attempts = attempts + ?, updated_at_ms = ? where catalog = ? and pk = ?`,
      );
      for (const pk of pks) s.run(state, error, state === 'sending' ? 1 : 0, w.nowMs, catalog, pk);
    },
    { origin: 'sync' },
  );
}

/**
 * After a verified push: record writes of others that our push landed over (seen in `lastmods`
 * between the base's newest entry and our own) as conflicts of kind `overwritten`.
 */
export function recordOverwrites(
  store: Store,
  catalog: string,
  items: Array<{ pk: string; targetId: string | null; patch: Record<string, PendingValue>; head: { utc: string; by: string } | null; lastmods: string | null }>,
  login: string,
): number {
  let n = 0;
  store.write(
    (w) => {
      const kindOf = kindsOf(w, catalog);
      for (const item of items) {
        const since = entriesSince(parseLastmods(item.lastmods), item.head);
        const mine = since.findIndex((e) => sameLogin(e.by, login) && Object.keys(item.patch).every((c) => c in e.values));
        if (mine < 0) continue;
        for (const e of since.slice(mine + 1)) {
          if (sameLogin(e.by, login)) continue;
          for (const column of Object.keys(item.patch)) {
            if (!(column in e.values)) continue;
            const theirs = canonValue(kindOf(column), e.values[column]);
            upsertConflict(w, { catalog, pk: item.pk, targetId: item.targetId, column, kind: 'overwritten', base: item.patch[column].base, local: item.patch[column].local, remote: theirs, by: e.by, utc: e.utc });
            n++;
          }
        }
      }
    },
    { origin: 'sync' },
  );
  return n;
}

/** The base row of one remote row (null when never pulled). */
export function readBase(store: Store, catalog: string, pk: string): { row: CanonRow; head: { utc: string; by: string } | null } | null {
  const r = store.sqlite.prepare('select row_json, lastmods_head from remote_rows where catalog = ? and pk = ?').get(catalog, pk) as
    | { row_json: string; lastmods_head: string | null }
    | undefined;
  return r ? { row: JSON.parse(r.row_json) as CanonRow, head: r.lastmods_head ? JSON.parse(r.lastmods_head) : null } : null;
}

// ---- conflicts ---------------------------------------------------------------------------------

/** A conflict as stored (times in ms); the contract's `SyncConflict` carries ISO times. */
export type ConflictRow = Omit<SyncConflict, 'createdAt' | 'resolvedAt'> & { createdAtMs: number; resolvedAtMs: number | null };

export function readConflicts(store: Store, includeResolved: boolean): ConflictRow[] {
  const rows = store.sqlite
    .prepare(
      `select c.*, t.name as target_name from sync_conflicts c left join targets t on t.id = c.target_id
       ${includeResolved ? '' : 'where c.resolved_at_ms is null'} order by c.created_at_ms desc, c.id desc`,
    )
    .all() as Row[];
  return rows.map((r) => ({
    id: r.id as string,
    catalog: r.catalog as string,
    pk: r.pk as string,
    targetId: r.target_id as string | null,
    targetName: r.target_name as string | null,
    column: r.column as string,
    kind: r.kind as ConflictRow['kind'],
    base: JSON.parse(r.base_json as string) as CanonValue,
    local: JSON.parse(r.local_json as string) as CanonValue,
    remote: JSON.parse(r.remote_json as string) as CanonValue,
    remoteBy: r.remote_by as string | null,
    remoteUtc: r.remote_utc as string | null,
    createdAtMs: r.created_at_ms as number,
    resolvedAtMs: r.resolved_at_ms as number | null,
    resolution: r.resolution as ConflictRow['resolution'],
  }));
}

/** Queue `value` for `column` of a row over its current base (a resolution), and show it in the survey. */
function queueOver(w: Writer, catalog: string, pk: string, targetId: string | null, column: PiEditableColumn, value: CanonValue): void {
  const base = readBases(w, catalog, [pk]).get(pk);
  const current = base && column in base.row ? base.row[column] : null;
  const row = readOutboxRow(w, catalog, pk) ?? { catalog, pk, targetId, patch: {}, state: 'pending' as const, error: null, attempts: 0, editedAtMs: w.nowMs };
  const kind = kindsOf(w, catalog)(column);
  const next = editPending(kind, undefined, current, value);
  if (next) row.patch[column] = next;
  else delete row.patch[column];
  writeOutbox(w, { ...row, state: 'pending', error: null, attempts: 0, editedAtMs: w.nowMs });
  setLocalValue(w, targetId, column, value);
}

function setLocalValue(w: Writer, targetId: string | null, column: PiEditableColumn, value: CanonValue): void {
  if (!targetId) return;
  const spec = PI_COLUMN_FIELDS[column];
  const m = cachedStatement(w.sqlite, 'select * from memberships where target_id = ? and rank = ? and deleted = 0').get(targetId, spec.rank) as ExistingMembership | undefined;
  if (!m) return;
  const field = spec.field === 'piPriority' ? 'pi_priority' : 'comments';
  const v = localValueOf(column, value);
  if (valuesDiffer((m as unknown as Row)[field], v)) w.update('memberships', m.id, { [field]: v }, m as unknown as Row);
}

export class ConflictError extends Error {}

/**
 * Resolve a conflict. keep theirs: SPICA-DB's value stays (for an overwritten one, theirs is queued
 * back over ours); keep mine: my value is queued over theirs (nothing to do when ours landed);
 * edit: `value` is queued.
 */
export function resolveConflict(store: Store, id: string, keep: 'mine' | 'theirs' | 'edit', value?: CanonValue): void {
  store.write(
    (w) => {
      const c = cachedStatement(w.sqlite, 'select * from sync_conflicts where id = ?').get(id) as Row | undefined;
      if (!c) throw new ConflictError(`no conflict with id ${id}`);
      if (c.resolved_at_ms !== null) throw new ConflictError(`conflict ${id} was already resolved (${c.resolution as string})`);
      const column = c.column as PiEditableColumn;
      if (!PI_COLUMN_FIELDS[column]) throw new ConflictError(`conflict ${id} is on ${column}, which this app does not edit`);
      const catalog = c.catalog as string;
      const pk = c.pk as string;
      const targetId = c.target_id as string | null;
      const local = JSON.parse(c.local_json as string) as CanonValue;
      const remote = JSON.parse(c.remote_json as string) as CanonValue;
      const overwritten = c.kind === 'overwritten';
      if (keep === 'edit') queueOver(w, catalog, pk, targetId, column, canonValue(kindsOf(w, catalog)(column), value ?? null));
      else if (keep === 'mine' && !overwritten) queueOver(w, catalog, pk, targetId, column, local);
      else if (keep === 'theirs' && overwritten) queueOver(w, catalog, pk, targetId, column, remote);
      cachedStatement(w.sqlite, 'update sync_conflicts set resolved_at_ms = ?, resolution = ? where id = ?').run(w.nowMs, keep, id);
    },
    { origin: 'local' },
  );
}

/** Queue refused rows again. */
export function retryRejected(store: Store, pk?: string): number {
  return store.write(
    (w) =>
      (pk === undefined
        ? w.sqlite.prepare("update remote_push set state = 'pending', error = null, attempts = 0 where state = 'rejected'").run()
        : w.sqlite.prepare("update remote_push set state = 'pending', error = null, attempts = 0 where state = 'rejected' and pk = ?").run(pk)
      ).changes,
    { origin: 'sync' },
  );
}

/** Drop a row's outbox entry and put the base values back into the survey. */
export function discardOutbox(store: Store, pk: string): number {
  return store.write(
    (w) => {
      const rows = w.sqlite.prepare('select * from remote_push where pk = ?').all(pk) as Row[];
      for (const r of rows.map(outboxFrom)) {
        const base = readBases(w, r.catalog, [pk]).get(pk);
        for (const [column, v] of Object.entries(r.patch)) {
          if (!PI_COLUMN_FIELDS[column as PiEditableColumn]) continue;
          setLocalValue(w, r.targetId, column as PiEditableColumn, base && column in base.row ? base.row[column] : v.base);
        }
      }
      return w.sqlite.prepare('delete from remote_push where pk = ?').run(pk).changes;
    },
    { origin: 'local' },
  );
}

// ---- settings, runs and tables ---------------------------------------------------------------------

export function readSyncState<T>(store: Store, key: string): T | null {
  const r = store.sqlite.prepare('select value from sync_state where key = ?').get(key) as { value: string } | undefined;
  return r ? (JSON.parse(r.value) as T) : null;
}

export function writeSyncState(store: Store, key: string, value: unknown): void {
  store.write(
    (w) => {
      cachedStatement(w.sqlite, 'insert into sync_state (key, value) values (?, ?) on conflict(key) do update set value = excluded.value').run(key, JSON.stringify(value));
    },
    { origin: 'sync' },
  );
}

/** Carry waiting edits and open conflicts over to another catalogue name (a dated table of the same rows). */
export function moveOutbox(store: Store, from: string, to: string): void {
  if (from === to) return;
  store.write(
    (w) => {
      w.sqlite.prepare('update or replace remote_push set catalog = ? where catalog = ?').run(to, from);
      w.sqlite.prepare('update sync_conflicts set catalog = ? where catalog = ? and resolved_at_ms is null').run(to, from);
    },
    { origin: 'sync' },
  );
}

/** Forget the pulled bases and table records (another environment or catalogue); the outbox stays. */
export function dropBases(store: Store): void {
  store.write(
    (w) => {
      w.sqlite.prepare('delete from remote_rows').run();
      w.sqlite.prepare('delete from remote_tables').run();
    },
    { origin: 'sync' },
  );
}

export function recordRun(store: Store, run: { id: string; kind: string; startedAtMs: number; finishedAtMs: number; outcome: string; report: unknown }): void {
  store.write(
    (w) => {
      cachedStatement(
        w.sqlite,
        `insert into sync_runs (id, kind, started_at_ms, finished_at_ms, outcome, report_json) values (?, ?, ?, ?, ?, ?)
         on conflict (id) do update set finished_at_ms = excluded.finished_at_ms, outcome = excluded.outcome, report_json = excluded.report_json`,
      ).run(run.id, run.kind, run.startedAtMs, run.finishedAtMs, run.outcome, JSON.stringify(run.report));
      // Keep the last hundred reports.
      w.sqlite.prepare('delete from sync_runs where id not in (select id from sync_runs order by started_at_ms desc limit 100)').run();
    },
    { origin: 'sync' },
  );
}

export function readRuns<T>(store: Store, limit: number): T[] {
  return (store.sqlite.prepare('select report_json from sync_runs where report_json is not null order by started_at_ms desc limit ?').all(limit) as Array<{ report_json: string }>).map(
    (r) => JSON.parse(r.report_json) as T,
  );
}

export interface TableRecord {
  catalog: string;
  tapUrl: string;
  fields: Array<{ name: string; datatype: string }>;
  rowCount: number;
  serverCount: number | null;
  isComplete: boolean;
  pulledAtMs: number;
  completePulledAtMs: number | null;
  notice: string | null;
}

export function readTables(store: Store): TableRecord[] {
  return (store.sqlite.prepare('select * from remote_tables order by catalog').all() as Row[]).map((r) => ({
    catalog: r.catalog as string,
    tapUrl: r.tap_url as string,
    fields: JSON.parse(r.fields_json as string),
    rowCount: r.row_count as number,
    serverCount: r.server_count as number | null,
    isComplete: r.is_complete === 1,
    pulledAtMs: r.pulled_at_ms as number,
    completePulledAtMs: r.complete_pulled_at_ms as number | null,
    notice: r.notice as string | null,
  }));
}

/**
 * A pulled reference table (`spica_calprim`, `badcal`): its columns and its rows as SPICA-DB
 * serves them (canonical values), in key order, withdrawn rows left out. The calibrators service
 * reads primary calibrators and bad calibrators from here.
 */
export function readReferenceTable(store: Store, catalog: string): { fields: Array<{ name: string; datatype: string }>; rows: CanonRow[]; pulledAtMs: number | null; complete: boolean } {
  const table = readTables(store).find((t) => t.catalog === catalog);
  const rows = (store.sqlite.prepare('select row_json from remote_rows where catalog = ? and withdrawn_at_ms is null').all(catalog) as Array<{ row_json: string }>).map(
    (r) => JSON.parse(r.row_json) as CanonRow,
  );
  const pk = primaryKeyOf(catalog);
  rows.sort((a, b) => Number(a[pk]) - Number(b[pk]));
  return { fields: table?.fields ?? [], rows, pulledAtMs: table?.pulledAtMs ?? null, complete: table?.isComplete ?? false };
}

/** Counts for the status line. */
export function outboxCounts(store: Store, catalog: string): { pending: number; rejected: number; conflicts: number; withdrawn: number } {
  const c = store.sqlite
    .prepare(
      `select (select count(*) from remote_push where catalog = ? and state != 'rejected') as pending,
              (select count(*) from remote_push where catalog = ? and state = 'rejected') as rejected,
              (select count(*) from sync_conflicts where catalog = ? and resolved_at_ms is null) as conflicts,
              (select count(*) from targets where deleted = 0 and withdrawn_at_ms is not null) as withdrawn`,
    )
    .get(catalog, catalog, catalog) as { pending: number; rejected: number; conflicts: number; withdrawn: number };
  return c;
}

export type { RowConflict };
