/**
 * Where the app keeps its data when run from Node (CLI, browser mode, tests): an explicit
 * `--data-dir`, else `SPICA_COMPANION_DATA_DIR`, else the OS user-data folder. The Electron shell
 * passes `app.getPath('userData')` instead.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AppPaths } from './context';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The per-user data folder of the OS, as Electron's `userData` would be. */
export function defaultDataDir(): string {
  const name = 'SPICA Companion';
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), name);
}

/** Resolve the app's paths for a run from the repository checkout. */
export function resolvePaths(dataDir?: string): AppPaths {
  return {
    dataDir: resolve(dataDir ?? process.env.SPICA_COMPANION_DATA_DIR ?? defaultDataDir()),
    resourcesDir: join(REPO_ROOT, 'resources'),
    migrationsDir: join(REPO_ROOT, 'electron', 'db', 'migrations'),
  };
}

/** The repository root (where package.json and out/ live). */
export function repoRoot(): string {
  return REPO_ROOT;
}
