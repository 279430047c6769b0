/**
 * Writes a reviewer's quality verdict into an OIFITS file on disk: edit the primary header in
 * memory, verify the result, keep the original, replace the file atomically, then re-read it
 * from disk and verify again. Any failed check leaves the original file in place.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  DEFAULT_QUALITY_KEYWORDS,
  editPrimaryHeader,
  qualityHeaderEdit,
  readFitsStructure,
  readOifits,
  readQuality,
  verifyHduChecksum,
  type QualityKeywords,
  type QualityVerdict,
} from '../../shared/oifits';
import { readRegularFile } from '../files/read-regular-file';
import { cleanStaleTempFiles, replaceEditedFile } from './atomic-write';

/** Largest OIFITS file rewritten (or read for review): products are megabytes; this stops a wrong pick. */
export const MAX_OIFITS_BYTES = 1024 * 1024 * 1024;

/** The target file is not writable. */
export class ReadOnlyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadOnlyFileError';
  }
}

/** Whether this process may write `path` (access(W_OK); root passes, so callers check the mode bits too). */
export function isWritableFile(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Options of `writeQualityToFile`. */
export interface WriteQualityOptions {
  /** Keep the original as `.review-backups/<name>.orig` (default true). */
  backup?: boolean;
  keywords?: QualityKeywords;
}

/** What was written. */
export interface WriteQualityResult {
  path: string;
  backupPath: string | null;
  sizeBytes: number;
  /** Bytes the primary header grew by (0 or a multiple of 2880). */
  headerGrowthBytes: number;
  /** Whether the primary HDU carries a (now valid) CHECKSUM. */
  hasChecksum: boolean;
  /**
   * Whether the primary CHECKSUM/DATASUM did not verify before this edit. The edit re-signs the
   * header, so this is said here and recorded in a HISTORY card of the file.
   */
  priorChecksumInvalid: boolean;
}

/** Byte equality without copying (Buffer.from(Uint8Array) would copy a 300 MB file twice). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Check that `written` is `original` with only the primary header changed, and holds `verdict`. */
function verify(original: Uint8Array, written: Uint8Array, verdict: QualityVerdict, keywords: QualityKeywords, where: string): number {
  const before = readFitsStructure(original);
  const after = readFitsStructure(written);
  if (after.hdus.length !== before.hdus.length) {
    throw new Error(`${where}: verification failed, ${after.hdus.length} HDUs after writing instead of ${before.hdus.length}`);
  }
  const tailBefore = original.subarray(before.hdus[0].dataOffset);
  const tailAfter = written.subarray(after.hdus[0].dataOffset);
  if (!sameBytes(tailBefore, tailAfter)) {
    throw new Error(`${where}: verification failed, bytes after the primary header changed`);
  }
  const quality = readQuality(after.hdus[0].header, keywords);
  if (quality.level !== verdict.level) {
    throw new Error(`${where}: verification failed, ${keywords.level} reads back as ${String(quality.level)} instead of ${verdict.level}`);
  }
  const status = verifyHduChecksum(after, after.hdus[0]);
  if (status.checksum === 'invalid' || status.datasum === 'invalid') {
    throw new Error(`${where}: verification failed, primary CHECKSUM/DATASUM do not verify after writing`);
  }
  return after.hdus[0].dataOffset - before.hdus[0].dataOffset;
}

/**
 * Write `verdict` into the primary header of the OIFITS file at `path`. Throws (leaving the file
 * as it was) if the file is unreadable, changes while being edited, or fails verification.
 */
export function writeQualityToFile(path: string, verdict: QualityVerdict, options: WriteQualityOptions = {}): WriteQualityResult {
  const keywords = options.keywords ?? DEFAULT_QUALITY_KEYWORDS;
  const statBefore = statSync(path);
  // A rename would replace a read-only file anyway; read-only means "do not modify", so refuse.
  // The mode bits are checked too because access() always grants root write access.
  if ((statBefore.mode & 0o222) === 0 || !isWritableFile(path)) {
    throw new ReadOnlyFileError(`${path}: the file is read-only; make it writable to record the verdict in its header`);
  }
  // Temp files of writes killed earlier in this folder go first, so they never pile up.
  cleanStaleTempFiles(dirname(path));
  const original = readRegularFile(path, MAX_OIFITS_BYTES);
  // Only a file that reads as OIFITS gets a verdict (throws a FitsError naming HDU and byte).
  readOifits(original);
  const edit = qualityHeaderEdit(verdict, keywords);
  const structure = readFitsStructure(original);
  const prior = verifyHduChecksum(structure, structure.hdus[0]);
  const priorChecksumInvalid = prior.checksum === 'invalid' || prior.datasum === 'invalid';
  if (priorChecksumInvalid) {
    const stamp = new Date(verdict.reviewedAtMs).toISOString().slice(0, 19);
    const what = [prior.checksum === 'invalid' ? 'CHECKSUM' : '', prior.datasum === 'invalid' ? 'DATASUM' : ''].filter(Boolean).join(' and ');
    edit.addHistory = [`${stamp} primary ${what} did not verify before the quality verdict was written; re-signed by SPICA Companion`];
  }
  const edited = editPrimaryHeader(original, edit);
  const growth = verify(original, edited, verdict, keywords, path);
  const { backupPath, reread } = replaceEditedFile(path, statBefore, edited, options.backup !== false);
  verify(original, reread, verdict, keywords, path);
  return {
    path,
    backupPath,
    sizeBytes: reread.length,
    headerGrowthBytes: growth,
    hasChecksum: readFitsStructure(reread).hdus[0].header.has('CHECKSUM'),
    priorChecksumInvalid,
  };
}
