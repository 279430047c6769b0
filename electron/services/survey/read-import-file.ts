/**
 * Reads a file the user asked to import, safely: only regular files (a FIFO must not block the
 * app, a directory or a device must not give a raw EISDIR or read for ever), and bounded by the
 * bytes actually read rather than by `stat().size` (which is 0 for /proc files and says nothing of
 * a file still growing). Errors are `ApiError('invalid-input' | 'not-found')` naming the path.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ApiError } from '../../../shared/contract/define';

/** Largest import file accepted, to keep a mistaken drop from freezing the app. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

const CHUNK_BYTES = 1 << 20;

function kindOf(stat: ReturnType<typeof fstatSync>): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The file's bytes as text (UTF-8), or an `ApiError` saying why it cannot be imported. */
export function readImportFile(path: string, maxBytes = MAX_IMPORT_BYTES): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ApiError('not-found', `${path}: no such file`);
    if (code === 'EACCES' || code === 'EPERM') throw new ApiError('invalid-input', `${path}: permission denied`);
    if (code === 'EISDIR') throw new ApiError('invalid-input', `${path}: is a directory, not a file to import`);
    throw new ApiError('invalid-input', `${path}: cannot be opened (${code ?? (e as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new ApiError('invalid-input', `${path}: is ${kindOf(stat)}, not a file to import`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      } catch (e) {
        throw new ApiError('invalid-input', `${path}: read failed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) {
        throw new ApiError('invalid-input', `${path}: more than ${Math.round(maxBytes / 1048576)} MB (the import limit); nothing was imported`);
      }
      chunks.push(n === CHUNK_BYTES ? chunk : chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
