/**
 * One sync at a time per data folder, across processes (the app's timer and a `companion sync`
 * beside it): an exclusive lock file holding the owner's pid. A lock left by a process that died
 * (kill -9) is taken over, since its pid no longer runs.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class SyncBusyError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the sync lock of `dataDir`; returns the release function. */
export function acquireSyncLock(dataDir: string): () => void {
  const file = join(dataDir, 'sync.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
      closeSync(fd);
      return () => {
        try {
          const owner = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
          if (owner.pid === process.pid) unlinkSync(file);
        } catch {
          // Already gone.
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner: { pid?: number; host?: string; at?: string } = {};
      try {
        owner = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        // A lock file cut short by a crash: treat as stale.
      }
      const stale = owner.pid === undefined || (owner.host === hostname() && !isAlive(owner.pid));
      if (!stale) throw new SyncBusyError(`another sync is running (pid ${owner.pid} on ${owner.host}, since ${owner.at})`);
      try {
        unlinkSync(file);
      } catch {
        // Someone else removed it first.
      }
    }
  }
  throw new SyncBusyError(`could not take the sync lock ${file}`);
}
