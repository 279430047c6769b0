/**
 * The OIFITS work the review service hands to its worker threads: reading and summarising a file,
 * the facts a folder scan needs (targets and the verdict already in the header), and writing a
 * verdict. Each job is a plain function of plain data, so it runs the same in a worker, in a
 * test, or in the fuzz harness; failures come back as `{ code, message }`, never as a stack.
 */
import type { ErrorCode } from '../../../shared/contract/define';
import {
  buildPlotData,
  FitsError,
  readFitsStructure,
  readOifits,
  readOiTargetTable,
  readQuality,
  summariseOifits,
  type OiFileSummary,
  type OiPlotData,
  type QualityKeywords,
  type QualityVerdict,
  type StoredQuality,
} from '../../../shared/oifits';
import { FileReadError, readRegularFile } from '../../files/read-regular-file';
import { MAX_OIFITS_BYTES, ReadOnlyFileError, writeQualityToFile, type WriteQualityResult } from '../../oifits/write-quality';
import type { FileTarget } from './target-link';

/** One unit of work for a worker. */
export type OifitsJob =
  | { kind: 'summary'; path: string; keywords?: QualityKeywords; withPlot: boolean }
  | { kind: 'facts'; path: string; keywords?: QualityKeywords }
  | { kind: 'writeQuality'; path: string; verdict: QualityVerdict; backup: boolean; keywords?: QualityKeywords };

/** What a `summary` job returns. */
export interface SummaryResult {
  sizeBytes: number;
  summary: OiFileSummary;
  plot: OiPlotData | null;
}

/** What a folder scan learns from a file: its targets and the verdict in its header. */
export interface FileFacts {
  targets: FileTarget[];
  quality: StoredQuality | null;
  /** The one-line reason the file could not be read, or null. */
  readError: string | null;
}

/** Result type of each job kind. */
export interface OifitsJobResults {
  summary: SummaryResult;
  facts: FileFacts;
  writeQuality: WriteQualityResult;
}

/** A failed job, as it crosses the thread boundary. */
export interface JobFailure {
  code: ErrorCode;
  message: string;
}

/** Read a file for OIFITS parsing: a regular file, at most MAX_OIFITS_BYTES. */
function readFile(path: string): Uint8Array {
  return readRegularFile(path, MAX_OIFITS_BYTES);
}

/** The scan's facts: targets in linking order (science first, so a file that lists its calibrator too links to the science one) and the verdict. */
function factsOf(bytes: Uint8Array, keywords: QualityKeywords | undefined): FileFacts {
  const fits = readFitsStructure(bytes);
  const targets = (readOiTargetTable(fits)?.targets ?? [])
    .slice()
    .sort((a, b) => (a.category === 'CAL' ? 1 : 0) - (b.category === 'CAL' ? 1 : 0))
    .map((t) => ({ name: t.name, raDeg: Number.isFinite(t.raDeg) ? t.raDeg : null, decDeg: Number.isFinite(t.decDeg) ? t.decDeg : null }));
  return { targets, quality: readQuality(fits.hdus[0].header, keywords), readError: null };
}

/** Run one job in this thread. Throws FitsError, FileReadError, ReadOnlyFileError or Error. */
export function runJob(job: OifitsJob): OifitsJobResults[OifitsJob['kind']] {
  switch (job.kind) {
    case 'summary': {
      const bytes = readFile(job.path);
      const file = readOifits(bytes);
      return { sizeBytes: bytes.length, summary: summariseOifits(file, job.keywords), plot: job.withPlot ? buildPlotData(file) : null };
    }
    case 'facts': {
      try {
        return factsOf(readFile(job.path), job.keywords);
      } catch (e) {
        return { targets: [], quality: null, readError: describeFailure(job, e).message } satisfies FileFacts;
      }
    }
    case 'writeQuality':
      return writeQualityToFile(job.path, job.verdict, { backup: job.backup, keywords: job.keywords });
  }
}

/** Turn what a job threw into an API error code and a one-line message naming the file. */
export function describeFailure(job: OifitsJob, e: unknown): JobFailure {
  if (e instanceof FitsError) return { code: 'invalid-input', message: `${job.path}: ${e.message}` };
  if (e instanceof FileReadError) return { code: e.code, message: e.message };
  if (e instanceof ReadOnlyFileError) return { code: 'invalid-input', message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  if (/changed on disk/.test(message)) return { code: 'conflict', message };
  const errno = (e as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'ENOENT') return { code: 'not-found', message: `${job.path}: no such file` };
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS' || errno === 'ENOSPC') {
    return { code: 'invalid-input', message: `${job.path}: ${errno === 'ENOSPC' ? 'the disk is full' : 'not allowed by the file system'} (${errno})` };
  }
  return { code: 'internal', message: `${job.path}: ${message.split('\n')[0]}` };
}
