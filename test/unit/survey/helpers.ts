/** Temp data folders and services over real SQLite files and the real migrations, for the survey tests. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/survey');
export const VOTABLE_FIXTURES = join(import.meta.dirname, '../../fixtures/votable');
export const MIGRATIONS = join(import.meta.dirname, '../../../electron/db/migrations');
export const REPO_ROOT = join(import.meta.dirname, '../../..');
export const read = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');

/** Temp folders and open services, cleaned by `cleanup()` (call it in afterEach). */
export class Sandbox {
  private readonly dirs: string[] = [];
  private readonly open: Array<{ close(): unknown }> = [];

  dir(prefix = 'spica-store-'): string {
    const d = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  services(dataDir = this.dir(), transport: 'cli' | 'browser' = 'cli'): Services {
    const s = createServices({ paths: resolvePaths(dataDir), transport });
    this.open.push(s);
    return s;
  }

  track<T extends { close(): unknown }>(x: T): T {
    this.open.push(x);
    return x;
  }

  async cleanup(): Promise<void> {
    for (const s of this.open.splice(0)) await s.close();
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}

export const count = (sqlite: Database.Database, sql: string, ...params: unknown[]) =>
  (sqlite.prepare(sql).get(...params) as { n: number }).n;

/** Tables the sync engine will carry (every row has id, deleted, updated_at_ms). */
export const SYNCED_TABLES = ['pis', 'programmes', 'targets', 'memberships', 'observations', 'calibrator_associations', 'bad_calibrators', 'data_products', 'plans'];

/**
 * A dump of the store's user data: every row of every synced table (all columns but the
 * `updated_at_ms` bookkeeping stamp), sorted by id, and the settings. Rows listed in `except`
 * (ids a batch inserted, now tombstones) are left out.
 */
export function dumpStore(sqlite: Database.Database, except: Set<string> = new Set()): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const table of SYNCED_TABLES) {
    out[table] = (sqlite.prepare(`select * from ${table} order by id`).all() as Array<Record<string, unknown>>)
      .filter((r) => !except.has(r.id as string))
      .map(({ updated_at_ms: _stamp, ...rest }) => rest);
  }
  out.settings = sqlite.prepare('select key, value_json from settings order by key').all();
  return out;
}
