/**
 * Writer of the observing log. A validated observation adds the NSS increment of its mode to the
 * target's provisional completion in the same transaction, so priorities for the next plan follow;
 * SPICA-DB's `completion_rate` belongs to the QC and is left alone (shared/sync/provisional.ts).
 */
import { completionAfterObservation, isSpicaMode } from '../../../shared/nss/rules';
import { standingProvisional } from '../../../shared/sync/provisional';
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
