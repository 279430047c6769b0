/**
 * Which compiled better-sqlite3 addon a process loads. Node and Electron need builds for
 * different ABIs (Node 20: 115, Electron 41: 145). In a checkout, `node_modules` keeps the Node
 * build (tests, CLI, browser mode) and `companion start` builds a second copy for Electron in a
 * cache folder; the shell names it in `SPICA_SQLITE_BINDING`, and every `new Database()` passes
 * it on as better-sqlite3's `nativeBinding` option. A packaged app has one build (electron-builder
 * rebuilds it for Electron) and sets nothing.
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';

export const SQLITE_BINDING_ENV = 'SPICA_SQLITE_BINDING';

/** Options for every `new Database()` of the store. */
export function sqliteOptions(): Database.Options {
  const binding = process.env[SQLITE_BINDING_ENV];
  return binding ? { nativeBinding: binding } : {};
}

/** The cache folder holding a copy of better-sqlite3 rebuilt for one Electron version. */
export function electronSqliteBuildDir(repoRoot: string, electronVersion: string, platform = process.platform, arch = process.arch): string {
  return join(repoRoot, 'node_modules', '.cache', 'spica-companion', `better-sqlite3-electron-${electronVersion}-${platform}-${arch}`);
}

/** The addon file inside such a folder. */
export function electronSqliteBinding(buildDir: string): string {
  return join(buildDir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
}
