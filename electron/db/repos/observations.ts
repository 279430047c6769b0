/**
 * Writer of the observing log. A validated observation adds the NSS increment of its mode to the
 * target's provisional completion in the same transaction, so priorities for the next plan follow;
 * SPICA-DB's `completion_rate` belongs to the QC and is left alone (shared/sync/provisional.ts).
 */
import { completionAfterObservation, isSpicaMode } from '../../../shared/nss/rules';
import { effectiveCompletion, standingProvisional } from '../../../shared/sync/provisional';
import type Database from 'better-sqlite3';
import type { Store } from '../store';
import { cachedStatement, type Writer } from './write';

export interface ObservationInput {
  targetId: string;
  night: string;
  utStart: string;
  utEnd: string;
  configuration?: string | null;
  pops?: string | null;
  mode?: string | null;
  outcome: 'done' | 'failed' | 'partial';
  isValidated?: boolean;
  seeingArcsec?: number | null;
  conditions?: string | null;
  notes?: string | null;
  planId?: string | null;
  blockId?: string | null;
  observer?: string | null;
  isDemo?: boolean;
}

/**
 * Why a target cannot take an observation, in words: a plan made before "Remove demo data" (or a
 * deletion, or a reverted import) still names the removed target, and the observer should read
 * that, not a UUID.
 */
export function missingTargetMessage(sqlite: Database.Database, targetId: string): string {
  const row = cachedStatement(sqlite, 'select name, deleted from targets where id = ?').get(targetId) as
    | { name: string; deleted: number }
    | undefined;
  if (!row) return `the target of this block is not in the survey store (id ${targetId})`;
  const by = cachedStatement(
    sqlite,
    `select b.label from change_log c join batches b on b.id = c.batch_id
     where c.entity = 'targets' and c.entity_id = ? and c.op = 'delete' order by c.seq desc limit 1`,
  ).get(targetId) as { label: string } | undefined;
  return `target "${row.name}" was removed from the survey${by ? ` ("${by.label}")` : ''}; restore it or plan the night again`;
}

/** Insert one observation inside an open write; returns its id and the target's completion after it (provisional when moved). */
export function insertObservation(w: Writer, o: ObservationInput): { id: string; completionRate: number } {
  const target = cachedStatement(
    w.sqlite,
    `select t.completion_rate as rate, t.completion_provisional as provisional, t.completion_provisional_from as "from",
       coalesce((select mode from memberships m where m.target_id = t.id and m.deleted = 0 order by rank limit 1), t.spica_mode) as mode
     from targets t where t.id = ? and t.deleted = 0`,
  ).get(o.targetId) as { rate: number; provisional: number | null; from: number | null; mode: string | null } | undefined;
  if (!target) throw new Error(missingTargetMessage(w.sqlite, o.targetId));
  const mode = o.mode ?? target.mode;
  const isValidated = o.isValidated ?? o.outcome === 'done';
  const id = w.insert('observations', {
    target_id: o.targetId,
    night: o.night,
    ut_start: o.utStart,
    ut_end: o.utEnd,
    configuration: o.configuration ?? null,
    pops: o.pops ?? null,
    mode,
    outcome: o.outcome,
    is_validated: isValidated,
    seeing_arcsec: o.seeingArcsec ?? null,
    conditions: o.conditions ?? null,
    notes: o.notes ?? null,
    plan_id: o.planId ?? null,
    block_id: o.blockId ?? null,
    observer: o.observer ?? null,
    is_demo: o.isDemo ?? false,
  });
  const standing = standingProvisional(target.rate, target.provisional, target.from);
  let completionRate = standing ?? target.rate;
  if (isValidated && o.outcome === 'done' && isSpicaMode(mode)) {
    const next = completionAfterObservation(completionRate, mode);
    if (next !== completionRate) {
      w.update('targets', o.targetId, { completion_provisional: next, completion_provisional_from: standing === null ? target.rate : target.from });
      completionRate = next;
    }
  }
  return { id, completionRate };
}

/** Record one observation in its own transaction. */
export function recordObservation(store: Store, o: ObservationInput): { id: string; completionRate: number } {
  return store.write((w) => insertObservation(w, o));
}

/** What a correction of a logged observation may change. */
export interface ObservationCorrection {
  outcome?: 'done' | 'failed' | 'partial';
  utStart?: string;
  utEnd?: string;
  seeingArcsec?: number | null;
  notes?: string | null;
}

/** A target's completion after an undo or a correction of its log. */
export interface CompletionChange {
  targetId: string;
  completionRate: number;
  /**
   * False when something other than the observing log (an import, a sync) wrote the completion
   * after the observation: the database's value then stands and is left as it is.
   */
  isRecomputed: boolean;
}

interface ObservationRow {
  id: string;
  target_id: string;
  mode: string | null;
  outcome: string;
  is_validated: number;
}

function liveObservation(w: Writer, id: string): ObservationRow {
  const row = cachedStatement(w.sqlite, 'select id, target_id, mode, outcome, is_validated from observations where id = ? and deleted = 0').get(id) as
    | ObservationRow
    | undefined;
  if (!row) throw new Error(`no logged observation ${id} (it was undone or never existed)`);
  return row;
}

/** The `change_log` seq of the observation's insert: its place in the log. */
function loggedSeq(sqlite: Database.Database, id: string): number {
  const row = cachedStatement(sqlite, "select seq from change_log where entity = 'observations' and entity_id = ? and op = 'insert'").get(id) as
    | { seq: number }
    | undefined;
  if (!row) throw new Error(`observation ${id}: its change record was compacted, so its completion can no longer be recomputed`);
  return row.seq;
}

/**
 * Where the target's provisional completion starts for the log: SPICA-DB's value as last written
 * (an import, a sync, the demo: the log itself never writes `completion_rate`), with the log
 * entries after that write. Entries before it are part of the database's value.
 */
function completionBase(sqlite: Database.Database, targetId: string): { base: number; sinceSeq: number } {
  const target = cachedStatement(sqlite, 'select completion_rate as rate from targets where id = ?').get(targetId) as { rate: number };
  const last = cachedStatement(
    sqlite,
    `select max(seq) as seq from change_log
      where entity = 'targets' and entity_id = ? and op in ('insert', 'update') and patch_json like '%"completion_rate"%'`,
  ).get(targetId) as { seq: number | null };
  return { base: target.rate, sinceSeq: last.seq === null ? 0 : last.seq + 1 };
}

/** `rate` after the target's live log entries with `fromSeq <= seq < toSeq`, in log order, by the rule `insertObservation` applies. */
function replayCompletion(sqlite: Database.Database, targetId: string, rate: number, fromSeq: number, toSeq = Infinity): number {
  const rows = cachedStatement(
    sqlite,
    `select o.mode, o.outcome, o.is_validated, c.seq from observations o
       join change_log c on c.entity = 'observations' and c.entity_id = o.id and c.op = 'insert'
      where o.target_id = ? and o.deleted = 0 and c.seq >= ? order by c.seq`,
  ).all(targetId, fromSeq) as Array<{ mode: string | null; outcome: string; is_validated: number; seq: number }>;
  let r = rate;
  for (const o of rows) {
    if (o.seq >= toSeq) break;
    if (o.is_validated && o.outcome === 'done' && isSpicaMode(o.mode)) r = completionAfterObservation(r, o.mode);
  }
  return r;
}

/**
 * Recompute the target's provisional completion inside an open write after its log entry at
 * `seq` changed: SPICA-DB's value replayed over every live entry since it was written. An entry
 * older than the last import or sync of the completion is part of the database's value, which
 * then stands.
 */
function recomputeCompletion(w: Writer, targetId: string, seq: number): CompletionChange {
  const t = cachedStatement(w.sqlite, 'select completion_rate as rate, completion_provisional as provisional, completion_provisional_from as "from" from targets where id = ?').get(targetId) as {
    rate: number;
    provisional: number | null;
    from: number | null;
  };
  const current = effectiveCompletion(t.rate, t.provisional, t.from);
  const { base, sinceSeq } = completionBase(w.sqlite, targetId);
  if (seq < sinceSeq) return { targetId, completionRate: current, isRecomputed: false };
  const replayed = replayCompletion(w.sqlite, targetId, base, sinceSeq);
  const provisional = replayed > base ? replayed : null;
  if (provisional !== t.provisional || (provisional !== null && t.from !== base)) {
    w.update('targets', targetId, { completion_provisional: provisional, completion_provisional_from: provisional === null ? null : base });
  }
  return { targetId, completionRate: provisional ?? base, isRecomputed: true };
}

/**
 * Undo a log entry inside an open write: the observation is tombstoned and the target's
 * completion recomputed as if it had never been logged.
 */
export function undoObservation(w: Writer, id: string): CompletionChange {
  const row = liveObservation(w, id);
  const seq = loggedSeq(w.sqlite, id);
  w.tombstone('observations', id);
  return recomputeCompletion(w, row.target_id, seq);
}

/**
 * Correct a log entry inside an open write (outcome, times, seeing, notes). The entry keeps its
 * place in the log; the target's completion is recomputed.
 */
export function correctObservation(w: Writer, id: string, patch: ObservationCorrection): CompletionChange {
  const row = liveObservation(w, id);
  const seq = loggedSeq(w.sqlite, id);
  const values: Record<string, unknown> = {};
  if (patch.outcome !== undefined) {
    values.outcome = patch.outcome;
    values.is_validated = patch.outcome === 'done';
  }
  if (patch.utStart !== undefined) values.ut_start = patch.utStart;
  if (patch.utEnd !== undefined) values.ut_end = patch.utEnd;
  if (patch.seeingArcsec !== undefined) values.seeing_arcsec = patch.seeingArcsec;
  if (patch.notes !== undefined) values.notes = patch.notes;
  w.update('observations', id, values);
  return recomputeCompletion(w, row.target_id, seq);
}

/**
 * The target's completion just before and just after this log entry, as the log replays it, or
 * null when an import or a sync rewrote the completion after it (the log no longer explains it).
 */
export function completionAround(sqlite: Database.Database, id: string): { before: number; after: number } | null {
  const row = cachedStatement(sqlite, 'select target_id from observations where id = ?').get(id) as { target_id: string } | undefined;
  const seq = cachedStatement(sqlite, "select seq from change_log where entity = 'observations' and entity_id = ? and op = 'insert'").get(id) as
    | { seq: number }
    | undefined;
  if (!row || !seq) return null;
  const { base, sinceSeq } = completionBase(sqlite, row.target_id);
  if (seq.seq < sinceSeq) return null;
  const before = replayCompletion(sqlite, row.target_id, base, sinceSeq, seq.seq);
  return { before, after: replayCompletion(sqlite, row.target_id, before, seq.seq, seq.seq + 1) };
}
