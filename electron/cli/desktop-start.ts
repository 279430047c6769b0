/**
 * What `companion start` and `companion serve` prepare in a checkout before the app runs:
 * - the app build (electron-vite), only when a source is newer than out/ (one build at a time);
 * - better-sqlite3 for the runtime that will load it: the Node build in node_modules must load
 *   in Node (rebuilt with `npm rebuild` if something replaced it), and Electron gets its own copy
 *   rebuilt with @electron/rebuild (it ships with electron-builder) in a cache folder, which the
 *   shell loads through better-sqlite3's `nativeBinding` (see electron/db/native-binding.ts);
 * - the Electron binary, when its package has one.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { electronSqliteBinding, electronSqliteBuildDir } from '../db/native-binding';
import { CliError, type CliIo } from './command';
import { appBuild, isStale } from './freshness.mjs';

const readJson = (file: string): Record<string, unknown> | null => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
};

/** Path of the Electron binary when its npm package has one, else null. */
export function electronBinary(root: string): string | null {
  const dir = join(root, 'node_modules', 'electron');
  const pathTxt = join(dir, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const binary = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Try Electron's own installer once (it downloads the binary); false when that fails. */
export function fetchElectron(root: string, io: CliIo): boolean {
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return false;
  io.err('Electron binary missing: trying to download it…');
  const r = spawnSync(process.execPath, [installer], {
    cwd: join(root, 'node_modules', 'electron'),
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  return r.status === 0 && electronBinary(root) !== null;
}

/**
 * Run `work` holding out/.build.lock, so two launches never build into out/ at once; a lock
 * older than ten minutes is a crashed build's and is taken over.
 */
async function withBuildLock<T>(root: string, work: () => T): Promise<T> {
  mkdirSync(join(root, 'out'), { recursive: true });
  const lock = join(root, 'out', '.build.lock');
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 600_000) rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Build the app (main, preload, renderer) when a source changed since the last build. */
export async function ensureAppBuilt(root: string, io: CliIo): Promise<void> {
  const files = appBuild(root);
  if (!isStale(files.outputs, files.sources)) return;
  await withBuildLock(root, () => {
    if (!isStale(files.outputs, files.sources)) return; // built by another launch meanwhile
    io.err('Sources changed since the last build: building the app (electron-vite build)…');
    const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
    if (build.status !== 0) throw new Error(`electron-vite build failed (exit ${build.status ?? build.signal})`);
  });
}

/** Why better-sqlite3 does not load in this Node, or null when it does. */
function nodeSqliteProblem(root: string): string | null {
  const r = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? null : (r.stderr.split('\n').find((l) => /Error|NODE_MODULE_VERSION/.test(l)) ?? r.stderr).trim();
}

/** Make sure node_modules holds a better-sqlite3 built for this Node (browser mode, CLI, tests). */
export function ensureNodeSqlite(root: string, io: CliIo): void {
  const problem = nodeSqliteProblem(root);
  if (!problem) return;
  if (!/NODE_MODULE_VERSION|compiled against a different/.test(problem)) throw new Error(`better-sqlite3 does not load: ${problem}`);
  io.err(`better-sqlite3 is built for another runtime (${problem}); rebuilding it for Node ${process.versions.node}…`);
  const r = spawnSync('npm', ['rebuild', 'better-sqlite3'], { cwd: root, stdio: ['ignore', 2, 2] });
  const after = nodeSqliteProblem(root);
  if (r.status !== 0 || after) throw new CliError(`could not rebuild better-sqlite3 for Node (${after ?? `npm rebuild exit ${r.status}`}); run npm rebuild better-sqlite3`);
}

/**
 * Make sure a copy of better-sqlite3 built for `electronVersion` exists in the cache folder and
 * return its addon. The copy is rebuilt only when better-sqlite3 or Electron changed; a fresh
 * build is loaded once by `binary` (the checkout's Electron) before it is accepted.
 */
export async function ensureElectronSqlite(root: string, electronVersion: string, io: CliIo, binary: string | null = electronBinary(root)): Promise<string> {
  const dir = electronSqliteBuildDir(root, electronVersion);
  const binding = electronSqliteBinding(dir);
  const source = join(root, 'node_modules', 'better-sqlite3');
  const version = String(readJson(join(source, 'package.json'))?.version);
  const wanted = { electron: electronVersion, betterSqlite3: version, platform: process.platform, arch: process.arch };
  const marker = join(dir, 'built-for.json');
  if (existsSync(binding) && JSON.stringify(readJson(marker)) === JSON.stringify(wanted)) return binding;
  io.err(`Building better-sqlite3 ${version} for Electron ${electronVersion} (once, into ${dir})…`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'spica-companion-electron-native', private: true, dependencies: { 'better-sqlite3': version } }));
  cpSync(source, join(dir, 'node_modules', 'better-sqlite3'), { recursive: true, filter: (from) => !from.startsWith(join(source, 'build')) });
  const { rebuild } = await import('@electron/rebuild');
  // npm exports a user's `nodedir` (Node's own headers) to scripts as npm_config_nodedir, and
  // node-gyp would build against it: an addon labelled Electron with Node's ABI. Electron's
  // headers come from --dist-url instead.
  const nodedir = { lower: process.env.npm_config_nodedir, upper: process.env.NPM_CONFIG_NODEDIR };
  delete process.env.npm_config_nodedir;
  delete process.env.NPM_CONFIG_NODEDIR;
  try {
    await rebuild({ buildPath: dir, electronVersion, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    if (nodedir.lower !== undefined) process.env.npm_config_nodedir = nodedir.lower;
    if (nodedir.upper !== undefined) process.env.NPM_CONFIG_NODEDIR = nodedir.upper;
  }
  if (!existsSync(binding)) throw new Error(`@electron/rebuild finished but ${binding} is missing`);
  if (binary) {
    // The checkout's Electron (its RunAsNode fuse is on) loads the addon as the app will.
    const check = spawnSync(binary, ['-e', `new (require(${JSON.stringify(join(dir, 'node_modules', 'better-sqlite3'))}))(':memory:').close()`], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (check.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the rebuilt better-sqlite3 does not load in Electron ${electronVersion}: ${check.stderr.trim().split('\n').find((l) => /Error/.test(l)) ?? check.stderr.trim()}`);
    }
  }
  writeFileSync(marker, JSON.stringify(wanted));
  return binding;
}

/** The Electron version of the installed npm package. */
export function electronVersion(root: string): string {
  return String(readJson(join(root, 'node_modules', 'electron', 'package.json'))?.version);
}
