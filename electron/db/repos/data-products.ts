/**
 * Writer of `data_products`: one row per OIFITS file (unique by absolute path) with its level,
 * night, survey target and the reviewer's quality verdict. Rows are matched by path, so
 * re-scanning a night folder updates rows and never duplicates them.
 */
import type { Store } from '../store';
import type { Writer } from './write';

/** A data product as the review service reads it. */
export interface DataProductRow {
  id: string;
  path: string;
  level: 'L1' | 'L2';
  night: string | null;
  targetId: string | null;
  fileTargetName: string | null;
  qualityLevel: number | null;
  reviewComment: string | null;
  reviewer: string | null;
  reviewedAtMs: number | null;
  fileSizeBytes: number | null;
  fileMtimeMs: number | null;
}

/** What a folder scan knows about a file. */
export interface DataProductInput {
  path: string;
  level: 'L1' | 'L2';
  night: string | null;
  targetId: string | null;
  fileTargetName: string | null;
  fileSizeBytes: number | null;
  fileMtimeMs: number | null;
}

/** A verdict to record. */
export interface DataProductReview {
  qualityLevel: number;
  reviewComment: string;
  reviewer: string;
  reviewedAtMs: number;
}

const SELECT = `select id, path, level, night, target_id as targetId, file_target_name as fileTargetName,
  quality_level as qualityLevel, review_comment as reviewComment, reviewer, reviewed_at_ms as reviewedAtMs,
  file_size_bytes as fileSizeBytes, file_mtime_ms as fileMtimeMs from data_products where deleted = 0`;

/** Every live data product, or those whose path is in `paths`. */
export function listDataProducts(store: Store, paths?: string[]): DataProductRow[] {
  const rows = store.sqlite.prepare(SELECT).all() as DataProductRow[];
  if (!paths) return rows;
  const wanted = new Set(paths);
  return rows.filter((r) => wanted.has(r.path));
}

/** One data product by path, or undefined. */
export function getDataProduct(store: Store, path: string): DataProductRow | undefined {
  return store.sqlite.prepare(`${SELECT} and path = ?`).get(path) as DataProductRow | undefined;
}

function findId(w: Writer, path: string): { id: string; deleted: number; [k: string]: unknown } | undefined {
  return w.sqlite.prepare('select * from data_products where path = ?').get(path) as
    | { id: string; deleted: number; [k: string]: unknown }
    | undefined;
}

function upsertInside(w: Writer, input: DataProductInput): string {
  const columns: Record<string, unknown> = {
    path: input.path,
    level: input.level,
    night: input.night,
    target_id: input.targetId,
    file_target_name: input.fileTargetName,
    file_size_bytes: input.fileSizeBytes,
    file_mtime_ms: input.fileMtimeMs,
  };
  const existing = findId(w, input.path);
  if (!existing) return w.insert('data_products', columns);
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(columns)) if ((existing[k] ?? null) !== (v ?? null)) patch[k] = v;
  if (existing.deleted) patch.deleted = false;
  w.update('data_products', existing.id, patch);
  return existing.id;
}

/** Insert or update the rows of a folder scan in one transaction; unchanged rows are not written. */
export function syncDataProducts(store: Store, inputs: DataProductInput[]): void {
  store.write((w) => {
    for (const input of inputs) upsertInside(w, input);
  });
}

/** Record a verdict for the file at `product.path` (creating its row if needed); returns the row id. */
export function recordDataProductReview(store: Store, product: DataProductInput, review: DataProductReview): string {
  return store.write((w) => {
    const id = upsertInside(w, product);
    w.update('data_products', id, {
      quality_level: review.qualityLevel,
      review_comment: review.reviewComment,
      reviewer: review.reviewer,
      reviewed_at_ms: review.reviewedAtMs,
    });
    return id;
  });
}
