/**
 * The shell tests run what `electron-vite build` produced; they refuse to run an out/ older than
 * the sources (run-all.sh builds first; locally: npm run build) rather than test stale code.
 */
import { appBuild, cliBuild, isStale } from '../../electron/cli/freshness.mjs';
import { REPO_ROOT } from './harness';

export function requireFreshBuild(root = REPO_ROOT): void {
  for (const [what, files] of [['electron-vite build (out/main, out/preload, out/renderer)', appBuild(root)], ['the CLI bundle (out/cli)', cliBuild(root)]] as const) {
    if (isStale(files.outputs, files.sources)) throw new Error(`${what} is missing or older than the sources: run npm run build first`);
  }
}
