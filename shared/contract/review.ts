/**
 * Contract of the review domain: open and inspect OIFITS files, record a quality verdict (file
 * header + store), and keep a review queue fed by watched SPICA night folders.
 */
import { z } from 'zod';
import type { Finding } from '../oifits/validate';
import type { OiFileSummary } from '../oifits/summary';
import type { OiPlotData } from '../oifits/plot-data';
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
}

/** The whole queue: watched folders and their files, unreviewed L2 first. */
export interface ReviewQueue {
  folders: string[];
  items: ReviewQueueItem[];
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
    doc: 'Read an OIFITS file: summary (version, targets, tables, flags, findings) and plot-ready data.',
    params: z.object({ path: pathParam }).strict(),
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
      })
      .strict(),
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
} satisfies EventMap;
