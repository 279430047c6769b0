/**
 * Writes reviewer flags on single points into an OIFITS file on disk, with the same safety as the
 * quality verdict (write-quality.ts): edit in memory, verify, keep the original, replace the file
 * atomically, re-read and verify again. Any failed check leaves the original file in place.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyFlagEdits, flagValues, readFitsStructure, readOifits, selectPoints, verifyHduChecksum, type FlagChange, type FlagEdit, type FlagEditRecord, type FlagEditResult, type PointRef } from '../../shared/oifits';
import { readRegularFile } from '../files/read-regular-file';
import { cleanStaleTempFiles, replaceEditedFile } from './atomic-write';
import { contentHashOf } from './content-hash';
import { isWritableFile, MAX_OIFITS_BYTES, ReadOnlyFileError } from './write-quality';

/** What to flag: explicit points, or a rule. */
export interface FlagRequest {
  points?: PointRef[];
  rule?: string;
  /** FLAG value to write (default true = bad). */
  flag?: boolean;
  /** For an undo: explicit per-point values. */
  values?: FlagEdit[];
  /**
   * For an undo: the FLAG each of `values` must hold now (what the undone edit wrote). Any other
   * value means a later edit changed that point, and the undo is refused.
   */
  expectCurrent?: boolean[];
}

/** A later edit changed points an undo would restore. */
export class FlagConflictError extends Error {}

/** What was written. */
export interface WriteFlagsResult {
  path: string;
  backupPath: string | null;
  sizeBytes: number;
  changes: FlagChange[];
  /** Content hash of the data HDUs before and after. */
  hashBefore: string;
  hashAfter: string;
  priorChecksumInvalid: number[];
  /** Changed elements per table (`applyFlagEdits`). */
  tables: FlagEditResult['tables'];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/**
 * Check that `written` differs from `original` only in the primary header, the FLAG bytes of
 * `changes` and the CHECKSUM/DATASUM cards of their HDUs, that those FLAGs read back, and that
 * the touched HDUs' checksums verify.
 */
function verify(original: Uint8Array, written: Uint8Array, changes: FlagChange[], where: string): void {
  const before = readFitsStructure(original);
  const after = readFitsStructure(written);
  if (after.hdus.length !== before.hdus.length) throw new Error(`${where}: verification failed, ${after.hdus.length} HDUs after writing instead of ${before.hdus.length}`);
  const shift = after.hdus[0].dataOffset - before.hdus[0].dataOffset;
  const touched = new Set(changes.map((c) => c.hdu));
  for (let h = 1; h < before.hdus.length; h++) {
    const a = before.hdus[h];
    const b = after.hdus[h];
    if (b.headerOffset !== a.headerOffset + shift) throw new Error(`${where}: verification failed, HDU ${h} moved`);
    const endA = a.dataOffset + a.paddedDataBytes;
    if (!touched.has(h)) {
      if (!sameBytes(original.subarray(a.headerOffset, Math.min(endA, original.length)), written.subarray(b.headerOffset, Math.min(b.dataOffset + b.paddedDataBytes, written.length)))) {
        throw new Error(`${where}: verification failed, HDU ${h} changed although no FLAG of it was edited`);
      }
      continue;
    }
    const status = verifyHduChecksum(after, b);
    if (status.checksum === 'invalid' || status.datasum === 'invalid') throw new Error(`${where}: verification failed, HDU ${h} CHECKSUM/DATASUM do not verify after writing`);
  }
  const file = readOifits(written);
  const values = flagValues(file, changes);
  changes.forEach((c, i) => {
    if (values[i] !== c.after) throw new Error(`${where}: verification failed, FLAG of HDU ${c.hdu} row ${c.row} channel ${c.channel} reads back as ${values[i]}`);
  });
  const primary = verifyHduChecksum(after, after.hdus[0]);
  if (primary.checksum === 'invalid' || primary.datasum === 'invalid') throw new Error(`${where}: verification failed, primary CHECKSUM/DATASUM do not verify after writing`);
}

/** Write per-point flags into the file at `path`. Throws (leaving the file as it was) on any failure. */
export function writeFlagsToFile(path: string, request: FlagRequest, record: FlagEditRecord, options: { backup?: boolean } = {}): WriteFlagsResult {
  const statBefore = statSync(path);
  if ((statBefore.mode & 0o222) === 0 || !isWritableFile(path)) {
    throw new ReadOnlyFileError(`${path}: the file is read-only; make it writable to record flags in it`);
  }
  cleanStaleTempFiles(dirname(path));
  const original = readRegularFile(path, MAX_OIFITS_BYTES);
  const file = readOifits(original);
  const flag = request.flag ?? true;
  let edits: FlagEdit[];
  if (request.values) {
    edits = request.values;
    if (request.expectCurrent) {
      const now = flagValues(file, edits);
      const changed = now.filter((v, i) => v !== request.expectCurrent?.[i]).length;
      if (changed > 0) throw new FlagConflictError(`${path}: a later edit changed ${changed} of the ${edits.length} points this undo would restore; undo that edit first`);
    }
  } else {
    const points = [...(request.points ?? []), ...(request.rule ? selectPoints(file, request.rule) : [])];
    edits = points.map((p) => ({ ...p, flag }));
  }
  const { bytes, changes, priorChecksumInvalid, tables } = applyFlagEdits(file, edits, { ...record, rule: request.rule ?? record.rule });
  const hashBefore = contentHashOf(original);
  if (changes.length === 0) {
    return { path, backupPath: null, sizeBytes: original.length, changes, hashBefore, hashAfter: hashBefore, priorChecksumInvalid, tables };
  }
  verify(original, bytes, changes, path);
  const { backupPath, reread } = replaceEditedFile(path, statBefore, bytes, options.backup !== false);
  verify(original, reread, changes, path);
  return { path, backupPath, sizeBytes: reread.length, changes, hashBefore, hashAfter: contentHashOf(reread), priorChecksumInvalid, tables };
}
