/**
 * One import of catalogue rows (a JSDC or SearchCal VOTable, the SPICA primary list), start to
 * finish: parse, keep the usable rows, merge them into the store in one transaction. The same
 * function runs in the import worker (desktop app and browser mode, so "Writing n/N" reaches the
 * UI while the write runs) and inline (CLI, tests).
 */
import type { JsdcRow } from '../../../shared/calibrators/backbone-types';
import { parsePrimaryList } from '../../../shared/calibrators/import/primary-list';
import { parseJsdcVoTable } from '../../../shared/calibrators/import/searchcal-votable';
import type { CalibratorImportReport } from '../../../shared/contract/calibrators';
import { catalogRowKey, mergeCatalogRows } from '../../db/repos/calibrator-catalog';
import type { Store } from '../../db/store';

/** What to import: the file's text and what kind of list it is. */
export interface CatalogImportJob {
  kind: 'jsdc' | 'searchcal' | 'spica-primary';
  text: string;
  fileName: string;
}

export type CatalogImportPhase = 'parsing' | 'writing' | 'done';

/** The report, and the rows that changed (the engine merges them into its catalogue). */
export interface CatalogImportResult {
  report: CalibratorImportReport;
  changedRows: JsdcRow[];
}

/** Run one catalogue import against `store`; throws with the parser's message on a bad file. */
export function runCatalogImport(store: Store, job: CatalogImportJob, onProgress: (phase: CatalogImportPhase, done: number, total: number) => void): CatalogImportResult {
  onProgress('parsing', 0, 0);
  const parsed = job.kind === 'spica-primary'
    ? parsePrimaryList(job.text, job.fileName)
    : { ...parseJsdcVoTable(job.text, job.fileName), skipped: [] as CalibratorImportReport['skipped'] };
  const skipped = [...parsed.skipped];
  // A file may list a star twice with different values; the last row wins, so a re-import finds
  // every stored row unchanged.
  const lastOfKey = new Map(parsed.rows.map((row, k) => [catalogRowKey(row), k]));
  const usable = parsed.rows.filter((row, k) => {
    const hasDiameter = row.lddMas !== null || row.uddRMas !== null || row.uddKMas !== null || row.uddHMas !== null;
    if (!hasDiameter || row.eLddMas === null) {
      skipped.push({ row: k + 1, name: row.name, reason: hasDiameter ? 'no e_LDD' : 'no LDD/UDD diameter' });
      return false;
    }
    const last = lastOfKey.get(catalogRowKey(row))!;
    if (last !== k) {
      skipped.push({ row: k + 1, name: row.name, reason: `same star as row ${last + 1}, which is used` });
      return false;
    }
    return true;
  });
  onProgress('writing', 0, usable.length);
  const merged = mergeCatalogRows(store, job.kind, job.fileName, usable, (done, total) => onProgress('writing', done, total));
  onProgress('done', usable.length, usable.length);
  return {
    report: { kind: job.kind, file: job.fileName, total: parsed.rows.length + parsed.skipped.length, added: merged.added, updated: merged.updated, unchanged: merged.unchanged, skipped },
    changedRows: merged.changedRows,
  };
}
