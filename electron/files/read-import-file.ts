/**
 * A file the user asked to import (survey or calibrator catalogue), read through
 * `readRegularFile`: only a regular file, bounded by the bytes actually read, with errors as the
 * contract's `ApiError('invalid-input' | 'not-found')` naming the path.
 */
import { ApiError } from '../../shared/contract/define';
import { FileReadError, readRegularFile } from './read-regular-file';

/** Largest import file accepted, to keep a mistaken drop from freezing the app. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

/**
 * The file's bytes as text (UTF-8), or an `ApiError` saying why it cannot be imported.
 * `expected` names what the file should be in the refusal ("a file to import"; a CLI reading an
 * input says "a file to read").
 */
export function readImportFile(path: string, maxBytes = MAX_IMPORT_BYTES, expected = 'a file to import'): string {
  try {
    return Buffer.from(readRegularFile(path, maxBytes, { expected, limitName: 'the import limit; nothing was imported' })).toString('utf8');
  } catch (e) {
    if (e instanceof FileReadError) throw new ApiError(e.code, e.message);
    throw e;
  }
}
