/**
 * Reading a file named by a user or a peer, safely: only a regular file is read (a FIFO would
 * block for ever, a device such as /dev/zero never ends, a folder gives EISDIR), and the read is
 * bounded by the bytes actually read, not by what `stat()` said a moment before (a file that
 * grows while it is read, or a special file reporting size 0).
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Why a file could not be read; `code` maps to the API error code. */
export class FileReadError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'invalid-input',
  ) {
    super(message);
    this.name = 'FileReadError';
  }
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Open `path` for reading without blocking on a FIFO; errors become one-line FileReadErrors. */
function openForReading(path: string): number {
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one; it has
    // no effect on regular files. Windows has no O_NONBLOCK (undefined → 0).
    return openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new FileReadError(`${path}: no such file`, 'not-found');
    if (code === 'EACCES' || code === 'EPERM') throw new FileReadError(`${path}: permission denied (the file is not readable)`, 'invalid-input');
    if (code === 'EISDIR') throw new FileReadError(`${path}: is a folder, not a file`, 'invalid-input');
    if (code === 'ELOOP') throw new FileReadError(`${path}: too many symbolic links`, 'invalid-input');
    throw new FileReadError(`${path}: cannot be opened (${code ?? 'unknown error'})`, 'invalid-input');
  }
}

/** How errors name the file's role and its size limit. */
export interface ReadRole {
  /** What the file should have been: "a file to import" (default "a regular file"). */
  expected?: string;
  /** Words for the size limit: "the import limit" (default: the limit in bytes). */
  limitName?: string;
}

const megabytes = (bytes: number): string => `${Math.round(bytes / 1048576)} MB`;

/**
 * Read the whole regular file at `path`, refusing anything else and anything longer than
 * `maxBytes`. Returns the bytes read (a file that shrank while read gives what was there).
 */
export function readRegularFile(path: string, maxBytes: number, role: ReadRole = {}): Uint8Array {
  const expected = role.expected ?? 'a regular file';
  const overLimit = (detail: string): FileReadError =>
    new FileReadError(
      role.limitName ? `${path}: more than ${megabytes(maxBytes)} (${role.limitName})${detail}` : `${path}: more than the ${maxBytes}-byte limit${detail}`,
      'invalid-input',
    );
  const fd = openForReading(path);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new FileReadError(`${path}: is ${kindOf(stat)}, not ${expected}`, 'invalid-input');
    if (stat.size > maxBytes) throw overLimit(` (${stat.size} bytes)`);
    // Start at the announced size (+1 to see growth at once) and grow by doubling, never past the limit + 1.
    let buffer = new Uint8Array(Math.min(maxBytes + 1, Math.max(stat.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (buffer.length > maxBytes) break;
        const bigger = new Uint8Array(Math.min(maxBytes + 1, buffer.length * 2));
        bigger.set(buffer);
        buffer = bigger;
      }
      let n: number;
      try {
        n = readSync(fd, buffer, length, buffer.length - length, null);
      } catch (e) {
        throw new FileReadError(`${path}: read failed after ${length} bytes (${(e as NodeJS.ErrnoException).code ?? 'I/O error'})`, 'invalid-input');
      }
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw overLimit(' (the file grew while it was read)');
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
