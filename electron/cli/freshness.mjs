// Is a build output older than its sources? Shared by the CLI launcher (bin.mjs, plain JS: it
// runs before any TypeScript can), `companion start`/`serve` and the tests. A build is stale when
// an output is missing or any source file or folder (a folder's time changes when a file is
// added or removed) is newer than the oldest output. Times only: cheap enough for every launch.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SKIP = new Set(['node_modules', 'out', 'dist', '.git', '.tmp', 'test-results']);

/** The newest modification time (ms) under `paths` (files and folders, recursively). */
export function newestMtimeMs(paths) {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    newest = Math.max(newest, stat.mtimeMs);
    if (!stat.isDirectory()) return;
    for (const entry of readdirSync(path)) if (!SKIP.has(entry)) visit(join(path, entry));
  };
  for (const p of paths) visit(p);
  return newest;
}

/** True when an output is missing or older than the newest source. */
export function isStale(outputs, sources) {
  let oldestOutput = Infinity;
  for (const o of outputs) {
    const stat = statSync(o, { throwIfNoEntry: false });
    if (!stat) return true;
    oldestOutput = Math.min(oldestOutput, stat.mtimeMs);
  }
  return newestMtimeMs(sources) > oldestOutput;
}

/** Sources and outputs of the CLI bundle (esbuild, scripts/build-cli.mjs). */
export const cliBuild = (root) => ({
  outputs: [join(root, 'out', 'cli', 'main.mjs')],
  sources: [join(root, 'electron'), join(root, 'shared'), join(root, 'package.json'), join(root, 'scripts', 'build-cli.mjs')],
});

/**
 * Sources and outputs of the app build (electron-vite: main, preload, renderer). electron/cli is
 * not a source: the main bundle loads the CLI bundle at run time instead of containing it.
 */
export const appBuild = (root) => ({
  outputs: [join(root, 'out', 'main', 'main.js'), join(root, 'out', 'preload', 'preload.cjs'), join(root, 'out', 'renderer', 'index.html')],
  sources: [
    ...(existsSync(join(root, 'electron')) ? readdirSync(join(root, 'electron')).filter((d) => d !== 'cli').map((d) => join(root, 'electron', d)) : []),
    join(root, 'shared'),
    join(root, 'renderer'),
    join(root, 'package.json'),
    join(root, 'electron.vite.config.ts'),
  ],
});
