/**
 * The shell tests run what the build produced. The CLI bundle is rebuilt here when stale (well
 * under a second, written atomically); an app build (electron-vite) older than the sources is
 * refused rather than tested: run-all.sh builds first, locally run npm run build.
 */
import { appBuild, cliBuild, isStale } from '../../electron/cli/freshness.mjs';
import { buildCli } from '../../scripts/build-cli.mjs';
import { REPO_ROOT } from './harness';

export async function ensureFreshBuild(root = REPO_ROOT): Promise<void> {
  const app = appBuild(root);
  if (isStale(app.outputs, app.sources)) throw new Error('out/ (electron-vite build) is missing or older than the sources: run npm run build first');
  const cli = cliBuild(root);
  if (isStale(cli.outputs, cli.sources)) await buildCli(root);
}
