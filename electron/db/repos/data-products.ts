/**
 * Writer of `data_products`: one row per version of an OIFITS data product, identified by the
 * SHA-256 of its data HDUs (`content_hash`), grouped into products by `product_key`. A folder scan
 * matches a file to its row by content first, then (for rows from before content hashes) by path;
 * a known path whose content changed is a new version of the same product.
 */
import type { Store } from '../store';
import type { Writer } from './write';

/** A data product version as the review service reads it. */
export interface DataProductRow {
  id: string;
  path: string;
  contentHash: string | null;
  productKey: string | null;
  level: 'L1' | 'L2';
  night: string | null;
  targetId: string | null;
  fileTargetName: string | null;
  qualityLevel: number | null;
  reviewComment: string | null;
  reviewer: string | null;
  reviewedAtMs: number | null;
  platoProcessing: number | null;
  platoCalibrators: number | null;
  platoAnalysis: number | null;
  fileSizeBytes: number | null;
  fileMtimeMs: number | null;
  createdAtMs: number;
}

/** What a folder scan knows about a file. */
export interface DataProductInput {
  path: string;
  /** SHA-256 of the data HDUs; null when the file could not be read. */
  contentHash: string | null;
  productKey: string | null;
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
  plato?: { processing: number | null; calibrators: number | null; analysis: number | null };
}

const SELECT = `select id, path, content_hash as contentHash, product_key as productKey, level, night, target_id as targetId,
  file_target_name as fileTargetName, quality_level as qualityLevel, review_comment as reviewComment, reviewer,
  reviewed_at_ms as reviewedAtMs, plato_processing as platoProcessing, plato_calibrators as platoCalibrators,
  plato_analysis as platoAnalysis, file_size_bytes as fileSizeBytes, file_mtime_ms as fileMtimeMs, created_at_ms as createdAtMs
  from data_products where deleted = 0`;

/** Every live data product version. */
export function listDataProducts(store: Store): DataProductRow[] {
  return store.sqlite.prepare(SELECT).all() as DataProductRow[];
}

/** The newest live version last seen at `path`, or undefined. */
export function getDataProduct(store: Store, path: string): DataProductRow | undefined {
  return store.sqlite.prepare(`${SELECT} and path = ? order by created_at_ms desc, id desc`).get(path) as DataProductRow | undefined;
}

/** The live version with this content hash, or undefined. */
export function dataProductByHash(store: Store, contentHash: string): DataProductRow | undefined {
  return store.sqlite.prepare(`${SELECT} and content_hash = ?`).get(contentHash) as DataProductRow | undefined;
}

/** Versions of one product, oldest first. */
export function productVersions(store: Store, productKey: string): DataProductRow[] {
  return store.sqlite.prepare(`${SELECT} and product_key = ? order by created_at_ms, id`).all(productKey) as DataProductRow[];
}

/** How a scan matched a file to a row. */
export type VersionMatch = 'content' | 'path-adopted' | 'new-version' | 'new';

type RawRow = { id: string; deleted: number; content_hash: string | null; [k: string]: unknown };

/**
 * The row a file belongs to: same content; else, for a row from before hashes, same path. Without
 * a row, the version it replaces: the last one at its path, else the last one of its product.
 */
function findRow(w: Writer, input: DataProductInput): { row: RawRow | undefined; match: VersionMatch; previous?: RawRow } {
  if (input.contentHash) {
    const byHash = w.sqlite.prepare('select * from data_products where content_hash = ? and deleted = 0').get(input.contentHash) as RawRow | undefined;
    if (byHash) return { row: byHash, match: 'content' };
  }
  const byPath = w.sqlite.prepare('select * from data_products where path = ? and deleted = 0 order by created_at_ms desc').all(input.path) as RawRow[];
  const unhashed = byPath.find((r) => r.content_hash === null);
  if (unhashed) return { row: unhashed, match: 'path-adopted' };
  if (!input.contentHash && byPath[0]) return { row: byPath[0], match: 'content' };
  if (byPath[0]) return { row: undefined, match: 'new-version', previous: byPath[0] };
  // Other content of a known product seen elsewhere (the pipeline regenerated the copy on this
  // disk): a new version of that product, not a new product.
  if (input.productKey) {
    const byKey = w.sqlite.prepare('select * from data_products where product_key = ? and deleted = 0 order by created_at_ms desc limit 1').get(input.productKey) as RawRow | undefined;
    if (byKey) return { row: undefined, match: 'new-version', previous: byKey };
  }
  return { row: undefined, match: 'new' };
}

/** Insert or update the row of a file inside a write; returns its id and how it was matched. */
export function upsertDataProduct(w: Writer, input: DataProductInput): { id: string; match: VersionMatch; previousId?: string } {
  const columns: Record<string, unknown> = {
    path: input.path,
    content_hash: input.contentHash,
    product_key: input.productKey,
    level: input.level,
    night: input.night,
    target_id: input.targetId,
    file_target_name: input.fileTargetName,
    file_size_bytes: input.fileSizeBytes,
    file_mtime_ms: input.fileMtimeMs,
  };
  const found = findRow(w, input);
  if (!found.row) {
    // A new version keeps the product key of the one it replaces, so renamed stems stay together.
    if (found.previous?.product_key) columns.product_key = found.previous.product_key;
    return { id: w.insert('data_products', columns), match: found.match, previousId: found.previous?.id };
  }
  const existing = found.row;
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(columns)) {
    // A known product key and hash are kept: the scan's guess never overrides them.
    if ((k === 'product_key' || k === 'content_hash') && existing[k] !== null && existing[k] !== undefined) continue;
    if (v === null && (k === 'content_hash' || k === 'product_key')) continue;
    if ((existing[k] ?? null) !== (v ?? null)) patch[k] = v;
  }
  w.update('data_products', existing.id, patch);
  return { id: existing.id, match: found.match };
}

/** Insert or update the rows of a folder scan in one transaction; unchanged rows are not written. */
export function syncDataProducts(store: Store, inputs: DataProductInput[], onNewVersion?: (w: Writer, id: string, previousId: string, input: DataProductInput) => void): void {
  store.write((w) => {
    for (const input of inputs) {
      const r = upsertDataProduct(w, input);
      if (r.match === 'new-version' && r.previousId && onNewVersion) onNewVersion(w, r.id, r.previousId, input);
    }
  });
}

/** Write a verdict on a row inside a write. */
export function writeReview(w: Writer, id: string, review: DataProductReview): void {
  w.update('data_products', id, {
    quality_level: review.qualityLevel,
    review_comment: review.reviewComment,
    reviewer: review.reviewer,
    reviewed_at_ms: review.reviewedAtMs,
    ...(review.plato
      ? { plato_processing: review.plato.processing, plato_calibrators: review.plato.calibrators, plato_analysis: review.plato.analysis }
      : {}),
  });
}

/** Remove a row's verdict inside a write (its file's header holds none). */
export function clearReview(w: Writer, id: string): void {
  w.update('data_products', id, {
    quality_level: null,
    review_comment: null,
    reviewer: null,
    reviewed_at_ms: null,
    plato_processing: null,
    plato_calibrators: null,
    plato_analysis: null,
  });
}

/** Record a verdict for a file (creating its row if needed); returns the row id. */
export function recordDataProductReview(store: Store, product: DataProductInput, review: DataProductReview, inside?: (w: Writer, id: string) => void): string {
  return store.write((w) => {
    const { id } = upsertDataProduct(w, product);
    writeReview(w, id, review);
    inside?.(w, id);
    return id;
  });
}

/** After our own FLAG edit: the row keeps its id and verdict, with the new content hash. */
export function setContentHash(w: Writer, id: string, contentHash: string, sizeBytes: number, mtimeMs: number): void {
  // A row already holding the new hash (an undo back to an earlier content) is tombstoned first.
  const other = w.sqlite.prepare('select id from data_products where content_hash = ? and deleted = 0 and id != ?').get(contentHash, id) as { id: string } | undefined;
  if (other) w.tombstone('data_products', other.id);
  w.update('data_products', id, { content_hash: contentHash, file_size_bytes: sizeBytes, file_mtime_ms: Math.round(mtimeMs) });
}
