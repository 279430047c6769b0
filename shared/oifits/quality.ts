/**
 * The reviewer's quality verdict and how it is written into an OIFITS primary header. OiDB reads
 * `HIERARCH QUALITY LEVEL` (0..5) into its `quality_level` column on upload; the reviewer, date
 * and free comment have no public keyword, so their names are configurable here.
 */
import type { FitsHeader } from './fits-header';
import { splitText, type HeaderEdit } from './header-write';

/** OiDB quality levels, index = level (JMMC-OpenDev/oidb `modules/app.xql`). */
export const QUALITY_LABELS = [
  'Unknown',
  'Trash',
  'To be reduced again',
  'Quick look',
  'Science ready',
  'Outstanding',
] as const;

/** A quality level 0..5. */
export type QualityLevel = 0 | 1 | 2 | 3 | 4 | 5;

/** Whether `n` is a valid quality level. */
export function isQualityLevel(n: unknown): n is QualityLevel {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 5;
}

/** Header keywords used for the verdict. */
export interface QualityKeywords {
  /** Integer card OiDB reads (as a HIERARCH card when longer than 8 characters). */
  level: string;
  /** String card with the reviewer's name. */
  reviewer: string;
  /** String card with the review time (ISO 8601 UTC, seconds). */
  date: string;
  /** Prefix of the COMMENT cards that carry the free comment, so a new review replaces them. */
  commentPrefix: string;
}

/** Default keywords: OiDB's `HIERARCH QUALITY LEVEL` plus siblings in the same namespace. */
export const DEFAULT_QUALITY_KEYWORDS: QualityKeywords = {
  level: 'QUALITY LEVEL',
  reviewer: 'QUALITY REVIEWER',
  date: 'QUALITY DATE',
  commentPrefix: 'QUALITY:',
};

/** A verdict to write. */
export interface QualityVerdict {
  level: QualityLevel;
  comment: string;
  reviewer: string;
  reviewedAtMs: number;
}

/** The header edit that records `verdict`, replacing any previous verdict. */
export function qualityHeaderEdit(verdict: QualityVerdict, keywords: QualityKeywords = DEFAULT_QUALITY_KEYWORDS): HeaderEdit {
  const date = new Date(verdict.reviewedAtMs).toISOString().slice(0, 19);
  const comment = verdict.comment.trim();
  return {
    set: [
      { key: keywords.level, value: verdict.level, comment: `OiDB quality: ${QUALITY_LABELS[verdict.level]}` },
      { key: keywords.reviewer, value: verdict.reviewer.slice(0, 40), comment: 'quality reviewer' },
      { key: keywords.date, value: date, comment: 'quality review time (UTC)' },
    ],
    removeCommentsStartingWith: [keywords.commentPrefix],
    // Every card carries the prefix so the next review finds and replaces all of them.
    addComments: splitText(comment, 71 - keywords.commentPrefix.length).map((part) => `${keywords.commentPrefix} ${part}`),
    checksumComment: `HDU checksum updated ${date}`,
  };
}

/** A verdict as found in a header; fields absent from the header are undefined. */
export interface StoredQuality {
  level: QualityLevel | undefined;
  reviewer: string | undefined;
  date: string | undefined;
  comment: string | undefined;
}

/** Read a verdict back from a header (comment cards joined in order). */
export function readQuality(header: FitsHeader, keywords: QualityKeywords = DEFAULT_QUALITY_KEYWORDS): StoredQuality {
  const level = header.get(keywords.level);
  const parts: string[] = [];
  for (const card of header.cards) {
    if (card.key !== 'COMMENT') continue;
    if (card.comment.startsWith(keywords.commentPrefix)) parts.push(card.comment.slice(keywords.commentPrefix.length).trim());
  }
  return {
    level: isQualityLevel(level) ? level : undefined,
    reviewer: header.string(keywords.reviewer),
    date: header.string(keywords.date),
    comment: parts.length > 0 ? parts.join(' ') : undefined,
  };
}
