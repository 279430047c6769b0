/**
 * The planner's worker thread exists in both builds and answers there (issue #10: planning runs
 * off the thread that serves the UI). The runner finds `plan-worker.js` beside the Electron main
 * bundle and `plan-worker.mjs` beside the CLI bundle (which browser mode runs); before this test
 * neither build had it, so the app and browser mode planned on the serving thread. Needs
 * `npm run build` (test/run-all.sh builds before vitest).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { JobMessage } from '../../../electron/services/job-worker';
import { workerEntry } from '../../../electron/services/worker-entry';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('the plan worker in the built bundles', () => {
  for (const [bundle, file] of [
    ['out/main', 'plan-worker.js'],
    ['out/cli', 'plan-worker.mjs'],
  ] as const) {
    it(`${bundle}: the runner finds ${file}, and the thread loads and answers a job`, async () => {
      const dir = join(ROOT, bundle);
      expect(existsSync(join(dir, file)), `${bundle}/${file} (run npm run build)`).toBe(true);
      // As a chunk of that bundle asks for it.
      const entry = workerEntry(pathToFileURL(join(dir, 'chunk.js')).href, 'plan-worker.ts', 'plan-worker');
      expect(entry).toEqual({ code: join(dir, file), isEval: false });
      const worker = new Worker(entry!.code);
      try {
        const answer = new Promise<JobMessage>((res, rej) => {
          worker.once('message', res);
          worker.once('error', rej);
        });
        // A job without a night: the pipeline refuses it, and the thread says so with its message.
        worker.postMessage({ type: 'run', id: 7, kind: 'plan', job: {}, cancel: new SharedArrayBuffer(4) });
        const m = await answer;
        expect(m).toMatchObject({ type: 'error', id: 7 });
      } finally {
        const exited = new Promise((res) => worker.once('exit', res));
        worker.postMessage({ type: 'close' });
        await exited;
      }
    }, 60_000);
  }
});
