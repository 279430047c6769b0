/**
 * Create a folder and its missing parents, one level at a time.
 *
 * Node 20's `mkdirSync(dir, { recursive: true })` never returns for a path under a read-only
 * pseudo file system such as `/proc` (each `mkdir` answers ENOENT and the recursion retries the
 * same parent), so `companion --data-dir /proc/x` spun at full CPU for ever. Walking up to the
 * nearest existing ancestor first turns that into one error naming the folder that cannot hold it.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Make `dir` (and missing parents). Throws an `Error` with `code` (ENOTDIR, EACCES, EROFS…) naming the path. */
export function makeFolder(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    const stat = statSync(at, { throwIfNoEntry: false });
    if (stat) {
      if (!stat.isDirectory()) throw Object.assign(new Error(`${at}: is a file, not a folder`), { code: 'ENOTDIR', path: at });
      break;
    }
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
