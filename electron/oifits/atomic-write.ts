/**
 * Crash-safe replacement of a file: write a temp file in the same folder, fsync it, rename it
 * over the target (atomic on POSIX within one file system), then fsync the folder so the rename
 * itself survives a power cut. Readers see either the old or the new file, never a mix. A write
 * killed half-way leaves only its temp file, which `cleanStaleTempFiles` removes later.
 */
import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Folder, next to the reviewed file, where originals are kept. Hidden so night-folder scans skip it. */
export const BACKUP_FOLDER = '.review-backups';

/** Name of the temp file that will replace `target`: hidden, with the writer's pid and a time. */
function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
}

/** Temp files made by `tempPathFor`: `.<name>.<pid>.<ms>.tmp`. */
const TEMP_NAME = /^\..+\.(\d+)\.(\d+)\.tmp$/;

/** Whether a folder entry is one of our temp files or our backup folder (what `cleanStaleTempFiles` looks at). */
export function isWriteLeftover(name: string): boolean {
  return name === BACKUP_FOLDER || TEMP_NAME.test(name);
}

/** A temp file older than this belongs to no live write, whoever made it (pids are reused). */
const STALE_TEMP_AGE_MS = 60 * 60 * 1000;

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the temp files that killed writes left in `dir` (and in its backup folder): those whose
 * writer process is gone, or that are older than an hour. A live writer's temp file is kept.
 * Returns the removed paths.
 */
export function cleanStaleTempFiles(dir: string, nowMs = Date.now()): string[] {
  const removed: string[] = [];
  const folders = [dir, join(dir, BACKUP_FOLDER)];
  for (const folder of folders) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = TEMP_NAME.exec(name);
      if (!m) continue;
      const path = join(folder, name);
      try {
        const s = statSync(path);
        if (!s.isFile()) continue;
        if (isProcessAlive(Number(m[1])) && nowMs - s.mtimeMs < STALE_TEMP_AGE_MS) continue;
        rmSync(path, { force: true });
        removed.push(path);
      } catch {
        // Vanished meanwhile (its writer finished): nothing to clean.
      }
    }
  }
  return removed;
}

/** Replace `path` with `bytes` atomically; the new file gets `mode` (default 0644). */
export function writeFileAtomic(path: string, bytes: Uint8Array, mode = 0o644): void {
  const dir = dirname(path);
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'wx', mode);
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    // openSync's mode is filtered by the umask; set it explicitly to match the original.
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
  syncDirectory(dir);
}

function syncDirectory(dir: string): void {
  // Windows cannot open a directory for fsync; the rename is already durable enough there.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Keep the pristine original of `path` as `<dir>/.review-backups/<name>.orig`. Only the first
 * call copies: later reviews of the same file must not overwrite the original with a reviewed copy.
 * The copy goes to a temp file first and is linked into place only once complete and synced, so
 * a kill during a long copy never leaves a truncated "original". Returns the backup path.
 */
export function backupOriginal(path: string): string {
  const folder = join(dirname(path), BACKUP_FOLDER);
  mkdirSync(folder, { recursive: true });
  const target = join(folder, `${basename(path)}.orig`);
  if (existsSync(target)) return target;
  const temp = tempPathFor(target);
  try {
    copyFileSync(path, temp, constants.COPYFILE_EXCL);
    const fd = openSync(temp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      // link() refuses to replace: if another writer got there first, its original stands.
      linkSync(temp, target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return target;
      // File systems without hard links (FAT, some network shares): rename, still atomic.
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
        if (!existsSync(target)) renameSync(temp, target);
      } else {
        throw e;
      }
    }
  } finally {
    rmSync(temp, { force: true });
  }
  syncDirectory(folder);
  return target;
}

/**
 * The last steps of every in-place edit of a reviewed file: refuse if the file changed on disk
 * since `statBefore`, keep the original (unless `backup` is false), replace the file atomically
 * with `bytes` and re-read it. Returns the backup path and the bytes read back, which the caller
 * verifies again.
 */
export function replaceEditedFile(path: string, statBefore: Stats, bytes: Uint8Array, backup: boolean): { backupPath: string | null; reread: Uint8Array } {
  const statNow = statSync(path);
  if (statNow.size !== statBefore.size || statNow.mtimeMs !== statBefore.mtimeMs) {
    throw new Error(`${path}: the file changed on disk while it was being edited; nothing written`);
  }
  const backupPath = backup ? backupOriginal(path) : null;
  writeFileAtomic(path, bytes, statBefore.mode & 0o777);
  const reread = new Uint8Array(readFileSync(path));
  if (!Buffer.from(reread.buffer, reread.byteOffset, reread.byteLength).equals(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) {
    throw new Error(`${path}: re-read after writing differs from what was written`);
  }
  return { backupPath, reread };
}
