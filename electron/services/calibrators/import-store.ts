/**
 * Imported catalogue rows (JSDC, SearchCal, SPICA primary lists) kept in
 * `<dataDir>/calibrators/imports.json` until the store has a table for them. Written atomically
 * (temp file, fsync, rename) so a crash never leaves half a file. Rows are keyed by HD, else HIP,
 * else name and position, which makes every import idempotent.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { JsdcRow } from '../../../shared/calibrators/backbone-types';

/** One import event. */
export interface ImportRecord {
  kind: string;
  file: string;
  importedAtMs: number;
  rows: number;
}

interface ImportFile {
  version: 1;
  imports: ImportRecord[];
  rows: Record<string, JsdcRow>;
}

/**
 * Key under which a row is stored: identifier plus position to 0.36″, so components that share
 * an HD number stay apart and re-importing a file finds every row under its old key.
 */
export function rowKey(row: JsdcRow): string {
  const id = row.hd !== null ? `HD ${row.hd}` : row.hip !== null ? `HIP ${row.hip}` : row.name.toLowerCase().replace(/\s+/g, ' ');
  return `${id}@${row.raDeg.toFixed(4)},${row.decDeg.toFixed(4)}`;
}

export class ImportStore {
  private data: ImportFile;

  constructor(readonly file: string) {
    this.data = existsSync(file) ? ImportStore.read(file) : { version: 1, imports: [], rows: {} };
  }

  /** Where the file lives under a data folder. */
  static pathIn(dataDir: string): string {
    return join(dataDir, 'calibrators', 'imports.json');
  }

  private static read(file: string): ImportFile {
    let parsed: ImportFile;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as ImportFile;
    } catch (e) {
      throw new Error(`${file}: unreadable calibrator import file (${(e as Error).message})`);
    }
    if (parsed.version !== 1 || typeof parsed.rows !== 'object') throw new Error(`${file}: not a version-1 calibrator import file`);
    return parsed;
  }

  rows(): JsdcRow[] {
    return Object.values(this.data.rows);
  }

  imports(): ImportRecord[] {
    return [...this.data.imports];
  }

  /** Merge rows: new keys are added, changed rows updated, identical rows reported unchanged. */
  merge(kind: string, fileName: string, rows: JsdcRow[]): { added: number; updated: number; unchanged: number; changedRows: JsdcRow[] } {
    let added = 0;
    let updated = 0;
    let unchanged = 0;
    const changedRows: JsdcRow[] = [];
    for (const row of rows) {
      const key = rowKey(row);
      const old = this.data.rows[key];
      if (!old) added++;
      else if (JSON.stringify(old) === JSON.stringify(row)) {
        unchanged++;
        continue;
      } else updated++;
      this.data.rows[key] = row;
      changedRows.push(row);
    }
    this.data.imports.push({ kind, file: fileName, importedAtMs: Date.now(), rows: rows.length });
    this.save();
    return { added, updated, unchanged, changedRows };
  }

  /** Record an import whose rows live elsewhere (BadCal goes to the store). */
  record(kind: string, fileName: string, rows: number): void {
    this.data.imports.push({ kind, file: fileName, importedAtMs: Date.now(), rows });
    this.save();
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(this.data));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}
