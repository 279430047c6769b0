/**
 * Contract of the review domain: open and inspect OIFITS files, record a quality verdict (file
 * header + store), and keep a review queue fed by watched SPICA night folders.
 */
import { z } from 'zod';
import type { Finding } from '../oifits/validate';
import type { OiFileSummary } from '../oifits/summary';
import type { OiPlotData } from '../oifits/plot-data';
import type { DiameterFit } from '../oifits/fit';
import { defineEvent, defineMethod, type EventMap, type MethodMap } from './define';

/** One file of the review queue. */
export interface ReviewQueueItem {
  path: string;
  fileName: string;
  level: 'L1' | 'L2';
  /** `YYYY-MM-DD` of the night folder, when known. */
  night: string | null;
  /** Survey target linked by name (else position within 10″), when found. */
  targetId: string | null;
  targetName: string | null;
  /** First OI_TARGET name in the file. */
  fileTargetName: string | null;
  qualityLevel: number | null;
  reviewComment: string | null;
  reviewer: string | null;
  reviewedAtMs: number | null;
  sizeBytes: number;
  /** Set when the file could not be read (the one-line reason). */
  readError: string | null;
  /** SHA-256 of the data HDUs: the version's identity (null when unreadable). */
  contentHash: string | null;
  /** The product this file is a version of (target|night|mode|stem). */
  productKey: string | null;
  /** Versions of the product the store knows (1 for a product seen once). */
  versions: number;
  /** When this version has no verdict: the verdict of the newest earlier version, if any. */
  previousVerdict: { qualityLevel: number; reviewer: string | null; reviewedAtMs: number | null } | null;
  /** PLATO flags of this version (null each until set). */
  plato: { processing: number | null; calibrators: number | null; analysis: number | null };
  /** Set when the file appeared in a watched folder while the app was running (ms). */
  arrivedAtMs: number | null;
}

/** The whole queue: watched folders and their files, unreviewed L2 first. */
export interface ReviewQueue {
  folders: string[];
  items: ReviewQueueItem[];
  /**
   * Increases with every scan of this service instance (and the instance's start time): a client
   * keeps the queue with the highest revision, so an answer that arrives late never replaces a
   * newer queue.
   */
  revision: number;
}

/** A file opened for review: summary, plot-ready data and its store record. */
export interface ReviewOpenResult {
  path: string;
  fileName: string;
  sizeBytes: number;
  summary: OiFileSummary;
  plot: OiPlotData;
  /** The queue entry of this file, when it is under a watched folder or was reviewed before. */
  item: ReviewQueueItem | null;
  /** SHA-256 of the data HDUs. */
  contentHash: string;
  /** Other nights of the linked survey target, newest first (files in watched folders or reviewed). */
  targetNights: TargetNight[];
}

/** Files of a survey target on one night. */
export interface TargetNight {
  night: string;
  files: { path: string; fileName: string; level: 'L1' | 'L2'; qualityLevel: number | null }[];
}

/** PLATO flags (0 not assessed, 1 bad, 2 usable with caveats, 3 good). */
export interface PlatoFlagsInput {
  processing?: number | null;
  calibrators?: number | null;
  analysis?: number | null;
}

/** Result of a per-point flag edit. */
export interface ReviewFlagPointsResult {
  item: ReviewQueueItem | null;
  /** FLAG elements that changed (already-set ones are not counted). */
  changed: number;
  /** The history event recording it (undo with `review.undoFlags`); null when nothing changed. */
  historyId: string | null;
  backupPath: string | null;
  contentHash: string;
  warnings: string[];
}

/** A quick-look fit of one file: UD, LD, the target's model, and the survey's prediction. */
export interface ReviewFitResult {
  path: string;
  fileName: string;
  target: string | null;
  lambdaUm: number;
  ud: DiameterFit;
  ld: DiameterFit;
  /** Homothetic scale of the target's model (1 = as given), with its χ² as given. */
  model: (DiameterFit & { chi2AsGiven: number; chi2rAsGiven: number; source: string }) | null;
  /** The survey's predicted diameters for the linked target, when known. */
  predicted: { udMas: number; lddMas: number | null; lddErrMas: number | null; source: string } | null;
  /** The UD fit and the prediction are more than 3σ and 5 % apart. */
  disagrees: boolean;
  historyId: string | null;
}

/** The batch quick-look fit of a folder: one fit per file, and the files that could not be fitted. */
export interface ReviewFolderFit {
  folder: string;
  fits: ReviewFitResult[];
  /** Files left out, each with the one-line reason (unreadable, no V², …). */
  failed: { path: string; fileName: string; message: string }[];
}

/** One event of a product's history. */
export interface ReviewHistoryEvent {
  id: string;
  kind: 'verdict' | 'flags' | 'flags-undo' | 'fit' | 'version';
  contentHash: string | null;
  reviewer: string | null;
  atMs: number;
  summary: string;
  detail: unknown;
  undoneBy: string | null;
}

/** A product's versions and events. */
export interface ReviewHistory {
  productKey: string;
  versions: { contentHash: string | null; path: string; firstSeenMs: number; qualityLevel: number | null; reviewer: string | null }[];
  events: ReviewHistoryEvent[];
}

/** A new file seen in a watched folder. */
export interface ReviewFileArrived {
  path: string;
  fileName: string;
  level: 'L1' | 'L2';
  night: string | null;
  targetName: string | null;
}

/** Result of writing a verdict. */
export interface ReviewSetQualityResult {
  item: ReviewQueueItem;
  /** Path of the kept original, or null when the backup was declined. */
  backupPath: string | null;
  sizeBytes: number;
  headerGrowthBytes: number;
  /** Whether the primary HDU carries a recomputed CHECKSUM/DATASUM. */
  hasChecksum: boolean;
  /** What the reviewer should know about the write (e.g. the checksum was already invalid before it). */
  warnings: string[];
}

/** Review preferences kept in the store. */
export interface ReviewSettings {
  /** Default reviewer name. */
  reviewer: string;
  /** Keep originals in `.review-backups/` before writing (default true). */
  keepBackups: boolean;
  /** Header keywords of the verdict (see docs/oifits.md). */
  keywords: { level: string; reviewer: string; date: string; commentPrefix: string };
}

const pathParam = z.string().min(1).max(4096);
const platoFlag = z.number().int().min(0).max(3).nullable().optional();
const seriesKind = z.enum(['vis2', 'visamp', 'visphi', 't3phi', 't3amp', 'flux']);
const pointRef = z.object({ hdu: z.number().int().min(1), row: z.number().int().min(0), channel: z.number().int().min(0) }).strict();
/** Structural keywords a verdict must never overwrite. */
const RESERVED_KEYWORDS = /^(SIMPLE|BITPIX|NAXIS\d*|EXTEND|END|XTENSION|PCOUNT|GCOUNT|CHECKSUM|DATASUM|COMMENT|HISTORY|CONTINUE|CONTENT|EXTNAME)$/;
const keywordName = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[A-Z0-9_ -]+$/, 'keyword: upper-case letters, digits, space, _ and - only')
  .refine((k) => !RESERVED_KEYWORDS.test(k.trim()), 'keyword: a structural FITS/OIFITS keyword cannot hold the verdict');

export const reviewMethods = {
  'review.open': defineMethod<ReviewOpenResult>()({
    doc: 'Read an OIFITS file: summary (version, targets, every HDU, flags, findings) and plot-ready data (V² or |V| and T3PHI unless `kinds` asks for others).',
    params: z.object({ path: pathParam, kinds: z.array(seriesKind).max(6).optional() }).strict(),
  }),
  'review.inspect': defineMethod<OiFileSummary>()({
    doc: 'Summary of an OIFITS file without plot data (what `companion oifits inspect` prints).',
    params: z.object({ path: pathParam }).strict(),
  }),
  'review.findings': defineMethod<Finding[]>()({
    doc: 'Validator findings (errors and warnings with HDU and rule) of an OIFITS file.',
    params: z.object({ path: pathParam }).strict(),
  }),
  'review.setQuality': defineMethod<ReviewSetQualityResult>()({
    doc: 'Write the quality verdict (OiDB level 0–5, comment, reviewer) into the file header atomically and record it in the store.',
    params: z
      .object({
        path: pathParam,
        level: z.number().int().min(0).max(5),
        comment: z.string().max(2000).default(''),
        reviewer: z.string().trim().min(1, 'reviewer: a name is required').max(80),
        /** Keep the original in `.review-backups/` (default: the keepBackups setting). */
        backup: z.boolean().optional(),
        /** PLATO flags to write with the verdict (omitted ones keep their value). */
        plato: z.object({ processing: platoFlag, calibrators: platoFlag, analysis: platoFlag }).strict().optional(),
      })
      .strict(),
  }),
  'review.flagPoints': defineMethod<ReviewFlagPointsResult>()({
    doc: 'Set FLAG of single points (listed, or chosen by a rule such as "SNR < 3" or "wave < 0.62 um") in the file, atomically, with a backup and checksums; reviewer, date and reason go in the header and the history.',
    params: z
      .object({
        path: pathParam,
        points: z.array(pointRef).max(2_000_000).optional(),
        rule: z.string().trim().min(1).max(500).optional(),
        /** FLAG value to write (default true: the points are bad). */
        flag: z.boolean().optional(),
        reason: z.string().trim().min(1, 'reason: say why the points are flagged').max(500),
        reviewer: z.string().trim().min(1, 'reviewer: a name is required').max(80),
        backup: z.boolean().optional(),
      })
      .strict()
      .refine((p) => (p.points?.length ?? 0) > 0 || p.rule, 'points or rule: say which points to flag'),
  }),
  'review.undoFlags': defineMethod<ReviewFlagPointsResult>()({
    doc: 'Undo a per-point flag edit: write back the FLAG values it replaced (recorded as an undo in header and history).',
    params: z.object({ path: pathParam, historyId: z.string().min(1).max(64), reviewer: z.string().trim().min(1).max(80) }).strict(),
  }),
  'review.fit': defineMethod<ReviewFitResult>()({
    doc: 'Quick-look fit of the V² of one target of a file: UD, linear-LD and the target model scale, with χ² and errors, against the survey prediction.',
    params: z
      .object({
        path: pathParam,
        target: z.string().max(100).optional(),
        insname: z.string().max(100).optional(),
        baselines: z.array(z.string().max(40)).max(500).optional(),
        ldCoefficient: z.number().min(-1).max(1).optional(),
        /** Record the fit in the product history (default true). */
        record: z.boolean().optional(),
        reviewer: z.string().trim().max(80).optional(),
      })
      .strict(),
  }),
  'review.fitFolder': defineMethod<ReviewFolderFit>()({
    doc: 'Quick-look fits of every L2 file of a watched night (or of a folder): the night\'s homogeneity at a glance. A file that cannot be fitted is listed in `failed` with the reason; it does not stop the night.',
    params: z.object({ folder: pathParam, ldCoefficient: z.number().min(-1).max(1).optional() }).strict(),
  }),
  'review.history': defineMethod<ReviewHistory>()({
    doc: 'Versions and events (verdicts, flag edits, fits, new versions) of the product a file belongs to.',
    params: z.object({ path: pathParam }).strict(),
  }),
  'review.queue': defineMethod<ReviewQueue>()({
    doc: 'The review queue: watched night folders and their OIFITS files, unreviewed L2 first.',
    params: z.object({}).strict(),
  }),
  'review.addFolder': defineMethod<ReviewQueue>()({
    doc: 'Watch a SPICA data root (holding RawOifits/YYYY-MM-DD/ and Results/YYYY-MM-DD/) and queue its files.',
    params: z.object({ root: pathParam }).strict(),
  }),
  'review.removeFolder': defineMethod<ReviewQueue>()({
    doc: 'Stop watching a night root (its reviews stay in the store).',
    params: z.object({ root: pathParam }).strict(),
  }),
  'review.getSettings': defineMethod<ReviewSettings>()({
    doc: 'Review preferences: default reviewer, backups, header keywords.',
    params: z.object({}).strict(),
  }),
  'review.setSettings': defineMethod<ReviewSettings>()({
    doc: 'Change review preferences; omitted fields keep their value.',
    params: z
      .object({
        reviewer: z.string().trim().max(80).optional(),
        keepBackups: z.boolean().optional(),
        keywords: z
          .object({ level: keywordName, reviewer: keywordName, date: keywordName, commentPrefix: z.string().min(1).max(20) })
          .strict()
          .optional(),
      })
      .strict(),
  }),
} satisfies MethodMap;

export const reviewEvents = {
  'review.queueChanged': defineEvent<ReviewQueue>('The review queue changed (folder added, file appeared, verdict recorded).'),
  'review.fileArrived': defineEvent<ReviewFileArrived>('A new OIFITS file appeared in a watched night folder.'),
} satisfies EventMap;
