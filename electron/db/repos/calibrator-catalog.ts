/**
 * Writers and readers of the team's calibrator data that is not an association or a BadCal entry:
 * imported catalogue rows (JSDC, SearchCal, the SPICA primary list), the log of imports, and the
 * per-target exclusions. All three tables are synced: ids, tombstones, `updated_at_ms`, and every
 * write goes through `store.write`, which records it in `change_log` in the same transaction.
 *
 * `migrateLegacyCalibratorData` moves what older versions kept elsewhere (the JSON file
 * `<dataDir>/calibrators/imports.json` and the setting `calibrators.exclusions`) into these tables,
 * once, in one transaction.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import type { JsdcRow } from '../../../shared/calibrators/backbone-types';
import type { Store } from '../store';

/** Key under which a catalogue row is stored: identifier plus position to 0.36″. */
export function catalogRowKey(row: JsdcRow): string {
  const id = row.hd !== null ? `HD ${row.hd}` : row.hip !== null ? `HIP ${row.hip}` : row.name.toLowerCase().replace(/\s+/g, ' ');
  return `${id}@${row.raDeg.toFixed(4)},${row.decDeg.toFixed(4)}`;
}

/** One import event. */
export interface CalibratorImportRecord {
  kind: string;
  file: string;
  importedAtMs: number;
  rows: number;
}

interface CatalogRow {
  id: string;
  kind: string;
  row_key: string;
  row_json: string;
  deleted: number;
}

/** Live imported rows of one kind, or of every kind (in insertion order). */
export function listCatalogRows(store: Store, kind?: string): Array<{ kind: string; row: JsdcRow }> {
  const rows = (kind
    ? store.sqlite.prepare('select kind, row_json from calibrator_catalog_rows where deleted = 0 and kind = ? order by created_at_ms, id').all(kind)
    : store.sqlite.prepare('select kind, row_json from calibrator_catalog_rows where deleted = 0 order by created_at_ms, id').all()) as Array<{ kind: string; row_json: string }>;
  return rows.map((r) => ({ kind: r.kind, row: JSON.parse(r.row_json) as JsdcRow }));
}

/** How often (in rows) a merge reports its progress. */
const PROGRESS_EVERY_ROWS = 250;

/**
 * Merge the rows of one imported file in one transaction: new keys are added, changed rows
 * updated, identical rows reported unchanged; the import itself is logged. `onProgress` hears
 * (rows done, rows) every few hundred rows while the transaction runs.
 */
export function mergeCatalogRows(
  store: Store,
  kind: string,
  fileName: string,
  rows: JsdcRow[],
  onProgress?: (done: number, total: number) => void,
): { added: number; updated: number; unchanged: number; changedRows: JsdcRow[] } {
  return store.write((w) => {
    const find = w.sqlite.prepare('select id, kind, row_key, row_json, deleted from calibrator_catalog_rows where kind = ? and row_key = ?');
    let added = 0;
    let updated = 0;
    let unchanged = 0;
    const changedRows: JsdcRow[] = [];
    let done = 0;
    for (const row of rows) {
      if (done++ % PROGRESS_EVERY_ROWS === 0) onProgress?.(done - 1, rows.length);
      const key = catalogRowKey(row);
      const json = JSON.stringify(row);
      const old = find.get(kind, key) as CatalogRow | undefined;
      if (!old) {
        w.insert('calibrator_catalog_rows', { kind, row_key: key, name: row.name, ra_deg: row.raDeg, dec_deg: row.decDeg, row_json: json, source_file: fileName });
        added++;
      } else if (old.row_json === json && old.deleted === 0) {
        unchanged++;
        continue;
      } else {
        w.update('calibrator_catalog_rows', old.id, { name: row.name, ra_deg: row.raDeg, dec_deg: row.decDeg, row_json: json, source_file: fileName, deleted: false });
        updated++;
      }
      changedRows.push(row);
    }
    w.insert('calibrator_imports', { kind, file_name: fileName, row_count: rows.length, imported_at_ms: w.nowMs });
    onProgress?.(rows.length, rows.length);
    return { added, updated, unchanged, changedRows };
  });
}

/** Log an import whose rows live in another table (BadCal). */
export function recordCalibratorImport(store: Store, kind: string, fileName: string, rows: number): void {
  store.write((w) => w.insert('calibrator_imports', { kind, file_name: fileName, row_count: rows, imported_at_ms: w.nowMs }));
}

/** Every live import, oldest first. */
export function listCalibratorImports(store: Store): CalibratorImportRecord[] {
  const rows = store.sqlite
    .prepare('select kind, file_name, row_count, imported_at_ms from calibrator_imports where deleted = 0 order by imported_at_ms, id')
    .all() as Array<{ kind: string; file_name: string; row_count: number; imported_at_ms: number }>;
  return rows.map((r) => ({ kind: r.kind, file: r.file_name, importedAtMs: r.imported_at_ms, rows: r.row_count }));
}

/** Stars excluded for one target (catalogue keys, sorted). */
export function listExclusions(store: Store, targetId: string): string[] {
  const rows = store.sqlite
    .prepare('select star_key from calibrator_exclusions where target_id = ? and deleted = 0 order by star_key')
    .all(targetId) as Array<{ star_key: string }>;
  return rows.map((r) => r.star_key);
}

/** Every live exclusion, keyed by target id. */
export function allExclusions(store: Store): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const rows = store.sqlite.prepare('select target_id, star_key from calibrator_exclusions where deleted = 0').all() as Array<{ target_id: string; star_key: string }>;
  for (const r of rows) {
    const set = out.get(r.target_id) ?? new Set<string>();
    set.add(r.star_key);
    out.set(r.target_id, set);
  }
  return out;
}

/** Exclude (or re-include, by tombstone) a star for a target; returns the target's exclusions. */
export function setExclusion(store: Store, targetId: string, starKey: string, isExcluded: boolean): string[] {
  store.write((w) => {
    const live = w.sqlite.prepare('select id from calibrator_exclusions where target_id = ? and star_key = ? and deleted = 0').get(targetId, starKey) as { id: string } | undefined;
    if (isExcluded && !live) w.insert('calibrator_exclusions', { target_id: targetId, star_key: starKey });
    if (!isExcluded && live) w.tombstone('calibrator_exclusions', live.id);
  });
  return listExclusions(store, targetId);
}

/** Where older versions kept imported calibrator rows. */
export const LEGACY_EXCLUSIONS_SETTING = 'calibrators.exclusions';

interface LegacyImportFile {
  version: 1;
  imports: CalibratorImportRecord[];
  rows: Record<string, JsdcRow>;
}

/** Kind of a legacy row, read from the source text the importers wrote. */
function legacyKind(row: JsdcRow): string {
  if (/^SPICA primary/.test(row.source)) return 'spica-primary';
  if (/\.scvot\b|SearchCal/i.test(row.source)) return 'searchcal';
  return 'jsdc';
}

/**
 * Move the legacy JSON file of imports and the exclusions setting into the store, in one
 * transaction; the JSON file is then renamed `imports.json.migrated` (kept, never read again) and
 * the setting replaced by a marker. Returns what moved; a no-op when there is nothing left to move.
 * A legacy file that cannot be read stops with an error naming it, and nothing is written.
 */
export function migrateLegacyCalibratorData(store: Store, legacyJsonPath: string): { rows: number; imports: number; exclusions: number } {
  let legacy: LegacyImportFile | null = null;
  if (existsSync(legacyJsonPath)) {
    try {
      legacy = JSON.parse(readFileSync(legacyJsonPath, 'utf8')) as LegacyImportFile;
    } catch (e) {
      throw new Error(`${legacyJsonPath}: unreadable calibrator import file (${(e as Error).message})`);
    }
    if (legacy.version !== 1 || typeof legacy.rows !== 'object') throw new Error(`${legacyJsonPath}: not a version-1 calibrator import file`);
  }
  const setting = store.sqlite.prepare('select value_json from settings where key = ?').get(LEGACY_EXCLUSIONS_SETTING) as { value_json: string } | undefined;
  const exclusions = setting ? (JSON.parse(setting.value_json) as Record<string, unknown>) : null;
  const hasExclusions = exclusions !== null && !('migratedTo' in exclusions) && Object.keys(exclusions).length > 0;
  if (!legacy && !hasExclusions) return { rows: 0, imports: 0, exclusions: 0 };
  const moved = store.write((w) => {
    let rows = 0;
    let imports = 0;
    let excl = 0;
    if (legacy) {
      const find = w.sqlite.prepare('select id from calibrator_catalog_rows where kind = ? and row_key = ?');
      for (const [key, row] of Object.entries(legacy.rows)) {
        const kind = legacyKind(row);
        if (find.get(kind, key)) continue;
        w.insert('calibrator_catalog_rows', { kind, row_key: key, name: row.name, ra_deg: row.raDeg, dec_deg: row.decDeg, row_json: JSON.stringify(row), source_file: row.source });
        rows++;
      }
      for (const rec of legacy.imports) {
        w.insert('calibrator_imports', { kind: rec.kind, file_name: rec.file, row_count: rec.rows, imported_at_ms: rec.importedAtMs });
        imports++;
      }
    }
    if (hasExclusions) {
      const live = w.sqlite.prepare('select id from targets where id = ?');
      for (const [targetId, keys] of Object.entries(exclusions as Record<string, string[]>)) {
        // Exclusions of targets deleted since are dropped: the foreign key would refuse them.
        if (!Array.isArray(keys) || !live.get(targetId)) continue;
        for (const key of keys) {
          w.insert('calibrator_exclusions', { target_id: targetId, star_key: key });
          excl++;
        }
      }
      w.setSetting(LEGACY_EXCLUSIONS_SETTING, { migratedTo: 'calibrator_exclusions' });
    }
    return { rows, imports, exclusions: excl };
  });
  if (legacy) renameSync(legacyJsonPath, `${legacyJsonPath}.migrated`);
  return moved;
}
