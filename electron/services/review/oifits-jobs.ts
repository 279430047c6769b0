/**
 * The OIFITS work the review service hands to its worker threads: reading and summarising a file,
 * the facts a folder scan needs (targets and the verdict already in the header), and writing a
 * verdict. Each job is a plain function of plain data, so it runs the same in a worker, in a
 * test, or in the fuzz harness; failures come back as `{ code, message }`, never as a stack.
 */
import type { ErrorCode } from '../../../shared/contract/define';
import type { ObjectModel } from '../../../shared/models';
import {
  buildPlotData,
  fitDiameter,
  fitModelScale,
  FitsError,
  FlagRuleError,
  vis2PointsFromSeries,
  type DiameterFit,
  type FlagEditRecord,
  type SeriesKind,
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
import { contentHashOf } from '../../oifits/content-hash';
import { FlagConflictError, writeFlagsToFile, type FlagRequest, type WriteFlagsResult } from '../../oifits/write-flags';
import { MAX_OIFITS_BYTES, ReadOnlyFileError, writeQualityToFile, type WriteQualityResult } from '../../oifits/write-quality';
import type { FileTarget } from './target-link';

/** One unit of work for a worker. */
export type OifitsJob =
  | { kind: 'summary'; path: string; keywords?: QualityKeywords; withPlot: boolean; kinds?: SeriesKind[] }
  | { kind: 'facts'; path: string; keywords?: QualityKeywords }
  | { kind: 'writeQuality'; path: string; verdict: QualityVerdict; backup: boolean; keywords?: QualityKeywords }
  | { kind: 'writeFlags'; path: string; request: FlagRequest; record: FlagEditRecord; backup: boolean }
  | { kind: 'fit'; path: string; request: FitJobRequest };

/** A quick-look fit of a file's V² (optionally one target, one INSNAME, some baselines). */
export interface FitJobRequest {
  /** OI_TARGET name to fit (default: the target with the most V² points). */
  target?: string;
  insname?: string;
  /** Baseline labels to keep (default all). */
  baselines?: string[];
  ldCoefficient?: number;
  /** A model of the target: its homothetic scale is fitted too. */
  model?: ObjectModel;
}

/** What a fit job returns. */
export interface FitJobResult {
  target: string | null;
  ud: DiameterFit;
  ld: DiameterFit;
  model: (DiameterFit & { chi2AsGiven: number; chi2rAsGiven: number }) | null;
  contentHash: string;
  /** Mean wavelength of the fitted points (µm). */
  lambdaUm: number;
}

/** What a `summary` job returns. */
export interface SummaryResult {
  sizeBytes: number;
  /** SHA-256 of the data HDUs (the product's content identity). */
  contentHash: string;
  summary: OiFileSummary;
  plot: OiPlotData | null;
}

/** What a folder scan learns from a file: its targets and the verdict in its header. */
export interface FileFacts {
  targets: FileTarget[];
  /** SHA-256 of the data HDUs, or null when unreadable. */
  contentHash: string | null;
  /** INSNAMEs of the file's OI_WAVELENGTH tables and the primary DATE-OBS (for the product key). */
  insnames: string[];
  dateObs: string | null;
  quality: StoredQuality | null;
  /** The one-line reason the file could not be read, or null. */
  readError: string | null;
}

/** Result type of each job kind. */
export interface OifitsJobResults {
  summary: SummaryResult;
  facts: FileFacts;
  writeQuality: WriteQualityResult;
  writeFlags: WriteFlagsResult;
  fit: FitJobResult;
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
  const insnames = fits.hdus.filter((h) => h.extname === 'OI_WAVELENGTH').map((h) => String(h.header.get('INSNAME') ?? '').trim());
  const dateObs = fits.hdus[0].header.string('DATE-OBS')?.trim() ?? null;
  return { targets, quality: readQuality(fits.hdus[0].header, keywords), readError: null, contentHash: contentHashOf(bytes), insnames, dateObs };
}

/** Run one job in this thread. Throws FitsError, FileReadError, ReadOnlyFileError or Error. */
export function runJob(job: OifitsJob): OifitsJobResults[OifitsJob['kind']] {
  switch (job.kind) {
    case 'summary': {
      const bytes = readFile(job.path);
      const file = readOifits(bytes);
      return {
        sizeBytes: bytes.length,
        contentHash: contentHashOf(bytes),
        summary: summariseOifits(file, job.keywords),
        plot: job.withPlot ? buildPlotData(file, job.kinds) : null,
      };
    }
    case 'facts': {
      try {
        return factsOf(readFile(job.path), job.keywords);
      } catch (e) {
        return { targets: [], quality: null, readError: describeFailure(job, e).message, contentHash: null, insnames: [], dateObs: null } satisfies FileFacts;
      }
    }
    case 'writeQuality':
      return writeQualityToFile(job.path, job.verdict, { backup: job.backup, keywords: job.keywords });
    case 'writeFlags':
      return writeFlagsToFile(job.path, job.request, job.record, { backup: job.backup });
    case 'fit':
      return runFit(job.path, job.request);
  }
}

/** Fit UD, LD (and the target's model scale) to the V² of one target of a file. */
function runFit(path: string, request: FitJobRequest): FitJobResult {
  const bytes = readFile(path);
  const plot = buildPlotData(readOifits(bytes), ['vis2']);
  let series = plot.series.filter((s) => (!request.insname || s.insname === request.insname) && (!request.baselines || request.baselines.includes(s.label)));
  const counts = new Map<string, number>();
  for (const s of series) counts.set(s.target, (counts.get(s.target) ?? 0) + s.y.length);
  const target = request.target ?? [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  if (request.target && !counts.has(request.target)) throw new Error(`no V² of target "${request.target}" (targets with V²: ${[...counts.keys()].join(', ') || 'none'})`);
  series = series.filter((s) => s.target === target);
  const points = vis2PointsFromSeries(series);
  const lambdaUm = points.length ? (points.reduce((a, p) => a + p.lambdaM, 0) / points.length) * 1e6 : NaN;
  return {
    target,
    ud: fitDiameter(points, 'ud'),
    ld: fitDiameter(points, 'ld', { ldCoefficient: request.ldCoefficient }),
    model: request.model ? fitModelScale(points, request.model) : null,
    contentHash: contentHashOf(bytes),
    lambdaUm,
  };
}

/** Turn what a job threw into an API error code and a one-line message naming the file. */
export function describeFailure(job: OifitsJob, e: unknown): JobFailure {
  if (e instanceof FitsError) return { code: 'invalid-input', message: `${job.path}: ${e.message}` };
  if (e instanceof FlagRuleError) return { code: 'invalid-input', message: `rule: ${e.message}` };
  if (job.kind === 'fit' || job.kind === 'writeFlags') {
    const message = e instanceof Error ? e.message : String(e);
    if (/^(a fit needs|no V² of target|HDU \d+ is not|.*has no logical FLAG|.*row \d+ is outside|.*channel \d+ is outside)/.test(message)) return { code: 'invalid-input', message: `${job.path}: ${message}` };
  }
  if (e instanceof FileReadError) return { code: e.code, message: e.message };
  if (e instanceof ReadOnlyFileError) return { code: 'invalid-input', message: e.message };
  if (e instanceof FlagConflictError) return { code: 'conflict', message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  if (/changed on disk/.test(message)) return { code: 'conflict', message };
  const errno = (e as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'ENOENT') return { code: 'not-found', message: `${job.path}: no such file` };
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS' || errno === 'ENOSPC') {
    return { code: 'invalid-input', message: `${job.path}: ${errno === 'ENOSPC' ? 'the disk is full' : 'not allowed by the file system'} (${errno})` };
  }
  return { code: 'internal', message: `${job.path}: ${message.split('\n')[0]}` };
}
