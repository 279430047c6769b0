/**
 * Writer of `review_history`: what happened to each data product (verdicts, per-point flag edits
 * and their undos, fits, new versions), with who and when. App data: synced between the team's
 * installations like every table here, never pushed into SPICA-DB.
 */
import type { Store } from '../store';
import type { Writer } from './write';

/** Kinds of history events. */
export type ReviewHistoryKind = 'verdict' | 'flags' | 'flags-undo' | 'fit' | 'version';

/** One event as the service reads it. */
export interface ReviewHistoryRow {
  id: string;
  productKey: string;
  contentHash: string | null;
  kind: ReviewHistoryKind;
  reviewer: string | null;
  atMs: number;
  summary: string;
  detail: unknown;
  undoneBy: string | null;
}

/** An event to record. */
export interface ReviewHistoryInput {
  productKey: string;
  contentHash: string | null;
  kind: ReviewHistoryKind;
  reviewer: string | null;
  atMs: number;
  summary: string;
  detail?: unknown;
}

/** Record an event inside a write; returns its id. */
export function addHistory(w: Writer, e: ReviewHistoryInput): string {
  return w.insert('review_history', {
    product_key: e.productKey,
    content_hash: e.contentHash,
    kind: e.kind,
    reviewer: e.reviewer,
    at_ms: e.atMs,
    summary: e.summary,
    detail_json: e.detail === undefined ? null : JSON.stringify(e.detail),
  });
}

/** Mark a flag edit as undone by event `undoId`. */
export function markUndone(w: Writer, id: string, undoId: string): void {
  w.update('review_history', id, { undone_by: undoId });
}

type Raw = Omit<ReviewHistoryRow, 'detail'> & { detailJson: string | null };

function decode(r: Raw): ReviewHistoryRow {
  const { detailJson, ...rest } = r;
  return { ...rest, detail: detailJson ? JSON.parse(detailJson) : null };
}

const SELECT = `select id, product_key as productKey, content_hash as contentHash, kind, reviewer, at_ms as atMs, summary,
  detail_json as detailJson, undone_by as undoneBy from review_history where deleted = 0`;

/** Events of a product, newest first. */
export function listHistory(store: Store, productKey: string): ReviewHistoryRow[] {
  return (store.sqlite.prepare(`${SELECT} and product_key = ? order by at_ms desc, id desc`).all(productKey) as Raw[]).map(decode);
}

/** One event by id. */
export function historyEvent(store: Store, id: string): ReviewHistoryRow | undefined {
  const r = store.sqlite.prepare(`${SELECT} and id = ?`).get(id) as Raw | undefined;
  return r ? decode(r) : undefined;
}
