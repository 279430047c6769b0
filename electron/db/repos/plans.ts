/**
 * Writer and readers of saved night plans. A plan is a document (options + blocks as JSON)
 * replaced whole on every change; the row keeps its id so the observing log can point at it.
 */
import type { Store } from '../store';
import { cachedStatement } from './write';

/** A plan row as the planner service uses it. */
export interface PlanRow {
  id: string;
  night: string;
  name: string;
  configuration: string;
  optionsJson: string;
  blocksJson: string;
  createdAtMs: number;
  updatedAtMs: number;
}

/** What `savePlan` stores; with `id` it replaces that plan's document. */
export interface PlanInputRow {
  id?: string;
  night: string;
  name: string;
  configuration: string;
  options: unknown;
  blocks: unknown;
}

interface DbRow {
  id: string;
  night: string;
  name: string;
  configuration: string;
  options_json: string;
  blocks_json: string;
  created_at_ms: number;
  updated_at_ms: number;
}

function toPlanRow(r: DbRow): PlanRow {
  return {
    id: r.id,
    night: r.night,
    name: r.name,
    configuration: r.configuration,
    optionsJson: r.options_json,
    blocksJson: r.blocks_json,
    createdAtMs: r.created_at_ms,
    updatedAtMs: r.updated_at_ms,
  };
}

/** Plans whose last written values this process keeps (the most recently saved). */
const WRITTEN_KEPT = 8;

/** What this process last wrote to each plan row, and the row's time then (see `savePlan`). */
const lastWritten = new WeakMap<Store, Map<string, { values: Record<string, string>; updatedAtMs: number }>>();

/**
 * Insert a plan, or replace the document of plan `id`; returns the id. When the row is as this
 * process last wrote it (same `updated_at_ms`), only the columns whose text changed are written
 * and logged, compared with what it wrote rather than read back: a re-plan that gives the same
 * document writes nothing.
 */
export function savePlan(store: Store, p: PlanInputRow): string {
  const values: Record<string, string> = {
    night: p.night,
    name: p.name,
    configuration: p.configuration,
    options_json: JSON.stringify(p.options),
    blocks_json: JSON.stringify(p.blocks),
  };
  let written = lastWritten.get(store);
  if (!written) lastWritten.set(store, (written = new Map()));
  let updatedAtMs = 0;
  const id = store.write((w) => {
    if (p.id) {
      const live = cachedStatement(w.sqlite, 'select updated_at_ms from plans where id = ? and deleted = 0').get(p.id) as { updated_at_ms: number } | undefined;
      if (!live) throw new Error(`plan ${p.id}: no such plan`);
      const last = written.get(p.id);
      const patch = last && last.updatedAtMs === live.updated_at_ms ? Object.fromEntries(Object.entries(values).filter(([column, value]) => last.values[column] !== value)) : values;
      w.update('plans', p.id, patch);
      updatedAtMs = Object.keys(patch).length > 0 ? w.nowMs : live.updated_at_ms;
      return p.id;
    }
    updatedAtMs = w.nowMs;
    return w.insert('plans', values);
  });
  written.delete(id);
  written.set(id, { values, updatedAtMs });
  if (written.size > WRITTEN_KEPT) written.delete(written.keys().next().value as string);
  return id;
}

/** One live plan, or null. */
export function getPlan(store: Store, id: string): PlanRow | null {
  const row = cachedStatement(store.sqlite, 'select * from plans where id = ? and deleted = 0').get(id) as DbRow | undefined;
  return row ? toPlanRow(row) : null;
}

/** When a live plan was created and last changed, or null: without reading its document back. */
export function planTimes(store: Store, id: string): { createdAtMs: number; updatedAtMs: number } | null {
  const row = cachedStatement(store.sqlite, 'select created_at_ms, updated_at_ms from plans where id = ? and deleted = 0').get(id) as
    | { created_at_ms: number; updated_at_ms: number }
    | undefined;
  return row ? { createdAtMs: row.created_at_ms, updatedAtMs: row.updated_at_ms } : null;
}

/** Live plans, most recently changed first, optionally of one night. */
export function listPlans(store: Store, night?: string): PlanRow[] {
  const rows = (night
    ? store.sqlite.prepare('select * from plans where deleted = 0 and night = ? order by updated_at_ms desc, id desc').all(night)
    : store.sqlite.prepare('select * from plans where deleted = 0 order by updated_at_ms desc, id desc').all()) as DbRow[];
  return rows.map(toPlanRow);
}
