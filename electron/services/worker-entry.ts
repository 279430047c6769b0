/**
 * Where a worker thread's entry file is: the TypeScript source beside the module that starts it
 * when running from the checkout (loaded through tsx, which a worker does not inherit from
 * bin.mjs), else the bundle electron-vite builds from it (`<builtName>.js` next to the chunk that
 * asks, or one folder up) or the CLI bundle's `<builtName>.mjs` (scripts/build-cli.mjs). Null
 * when there is none: the caller then runs the work inline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';

/** Path of tsx's ESM register API (`tsx/esm/api`, its "import" export), read from tsx's own exports map. */
function tsxEsmApi(): string {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return join(dirname(pkgFile), pkg.exports['./esm/api'].import.default);
}

/**
 * The entry of worker `sourceName` (a .ts file beside `callerUrl`), as `new Worker(code, { eval })`
 * takes it.
 */
export function workerEntry(callerUrl: string, sourceName: string, builtName: string): { code: string; isEval: boolean } | null {
  const here = fileURLToPath(callerUrl);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    const tsxApi = pathToFileURL(tsxEsmApi()).href;
    const entry = pathToFileURL(join(dir, sourceName)).href;
    return { code: `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, isEval: true };
  }
  for (const file of [join(dir, `${builtName}.js`), join(dir, '..', `${builtName}.js`), join(dir, `${builtName}.mjs`)]) {
    if (existsSync(file)) return { code: file, isEval: false };
  }
  return null;
}

/**
 * Ask a job worker to close (its `{ type: 'close' }` message) and resolve when it has exited; a
 * worker still busy after `graceMs` is terminated.
 */
export function closeWorker(worker: Worker, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => void worker.terminate().then(() => resolve()), graceMs);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.postMessage({ type: 'close' });
  });
}
