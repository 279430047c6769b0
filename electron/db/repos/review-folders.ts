/**
 * Writer of `review_folders`: the SPICA data roots the review queue watches, as synced rows with
 * ids and tombstones (they were the `review.folders` setting; `migrateFoldersSetting` moves it).
 */
import type { Store } from '../store';

/** Live watched roots, in the order they were added. */
export function listReviewFolders(store: Store): string[] {
  return (store.sqlite.prepare('select root from review_folders where deleted = 0 order by created_at_ms, id').all() as { root: string }[]).map((r) => r.root);
}

/** Watch `root` (a no-op when already watched). */
export function addReviewFolder(store: Store, root: string): void {
  store.write((w) => {
    const live = w.sqlite.prepare('select id from review_folders where root = ? and deleted = 0').get(root);
    if (!live) w.insert('review_folders', { root });
  });
}

/** Stop watching `root` (tombstone). */
export function removeReviewFolder(store: Store, root: string): void {
  store.write((w) => {
    const rows = w.sqlite.prepare('select id from review_folders where root = ? and deleted = 0').all(root) as { id: string }[];
    for (const r of rows) w.tombstone('review_folders', r.id);
  });
}

/** The setting the folders used to live in. */
export const LEGACY_FOLDERS_SETTING = 'review.folders';

/**
 * Data migration: the `review.folders` setting becomes rows (one transaction, change-log rows
 * included) and the setting is removed. Runs at every start; a no-op once done. Returns the
 * number of folders moved.
 */
export function migrateFoldersSetting(store: Store): number {
  const row = store.sqlite.prepare('select value_json from settings where key = ?').get(LEGACY_FOLDERS_SETTING) as { value_json: string } | undefined;
  if (!row) return 0;
  let roots: unknown;
  try {
    roots = JSON.parse(row.value_json);
  } catch {
    roots = [];
  }
  let moved = 0;
  store.write((w) => {
    for (const root of Array.isArray(roots) ? roots : []) {
      if (typeof root !== 'string' || root === '') continue;
      if (w.sqlite.prepare('select id from review_folders where root = ? and deleted = 0').get(root)) continue;
      w.insert('review_folders', { root });
      moved++;
    }
    w.removeSetting(LEGACY_FOLDERS_SETTING);
  });
  return moved;
}
