/**
 * Crash-safe replacement of a file: write a temp file in the same folder, fsync it, rename it
 * over the target (atomic on POSIX within one file system), then fsync the folder so the rename
 * itself survives a power cut. Readers see either the old or the new file, never a mix.
 */
import { closeSync, constants, copyFileSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Replace `path` with `bytes` atomically; the new file gets `mode` (default 0644). */
export function writeFileAtomic(path: string, bytes: Uint8Array, mode = 0o644): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
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

/** Folder, next to the reviewed file, where originals are kept. Hidden so night-folder scans skip it. */
export const BACKUP_FOLDER = '.review-backups';

/**
 * Keep the pristine original of `path` as `<dir>/.review-backups/<name>.orig`. Only the first
 * call copies: later reviews of the same file must not overwrite the original with a reviewed copy.
 * Returns the backup path.
 */
export function backupOriginal(path: string): string {
  const folder = join(dirname(path), BACKUP_FOLDER);
  mkdirSync(folder, { recursive: true });
  const target = join(folder, `${basename(path)}.orig`);
  if (!existsSync(target)) copyFileSync(path, target, constants.COPYFILE_EXCL);
  return target;
}
