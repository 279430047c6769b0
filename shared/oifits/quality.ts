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

/**
 * PLATO's three flags (the PLATO ground-based programme asked for OIFITS completed with flags at
 * three levels): each 0 = not assessed, 1 = bad, 2 = usable with caveats, 3 = good. Written as
 * `HIERARCH PLATO FLAG PROC|CAL|ANA` in the primary header (docs/review.md, "PLATO flags").
 */
export interface PlatoFlags {
  /** Data processing (reduction) quality. */
  processing: number | null;
  /** Calibrators (their diameters, stability, transfer function). */
  calibrators: number | null;
  /** Analysis: whether the data support the science analysis. */
  analysis: number | null;
}

/** Labels of the PLATO flag values, index = value. */
export const PLATO_FLAG_LABELS = ['not assessed', 'bad', 'usable with caveats', 'good'] as const;

/** Header keywords of the PLATO flags. */
export const PLATO_KEYWORDS: Record<keyof PlatoFlags, string> = {
  processing: 'PLATO FLAG PROC',
  calibrators: 'PLATO FLAG CAL',
  analysis: 'PLATO FLAG ANA',
};

const PLATO_COMMENTS: Record<keyof PlatoFlags, string> = {
  processing: 'PLATO processing flag 0-3',
  calibrators: 'PLATO calibrators flag 0-3',
  analysis: 'PLATO analysis flag 0-3',
};

/** Whether `n` is a PLATO flag value (0..3). */
export function isPlatoFlag(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 3;
}

/** A verdict to write. */
export interface QualityVerdict {
  level: QualityLevel;
  comment: string;
  reviewer: string;
  reviewedAtMs: number;
  /** PLATO flags to write; absent or null values leave the file's cards as they are. */
  plato?: Partial<PlatoFlags>;
}

/** The header edit that records `verdict`, replacing any previous verdict. */
export function qualityHeaderEdit(verdict: QualityVerdict, keywords: QualityKeywords = DEFAULT_QUALITY_KEYWORDS): HeaderEdit {
  const date = new Date(verdict.reviewedAtMs).toISOString().slice(0, 19);
  const comment = verdict.comment.trim();
  const plato = (Object.keys(PLATO_KEYWORDS) as (keyof PlatoFlags)[])
    .filter((k) => isPlatoFlag(verdict.plato?.[k]))
    .map((k) => ({ key: PLATO_KEYWORDS[k], value: verdict.plato?.[k] as number, comment: PLATO_COMMENTS[k] }));
  return {
    set: [
      { key: keywords.level, value: verdict.level, comment: `OiDB quality: ${QUALITY_LABELS[verdict.level]}` },
      { key: keywords.reviewer, value: verdict.reviewer.slice(0, 40), comment: 'quality reviewer' },
      { key: keywords.date, value: date, comment: 'quality review time (UTC)' },
      ...plato,
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
  /** PLATO flags found in the header (null when absent). */
  plato: PlatoFlags;
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
    plato: readPlatoFlags(header),
  };
}

/** PLATO flags of a header (null for a card that is absent or not 0..3). */
export function readPlatoFlags(header: FitsHeader): PlatoFlags {
  const get = (k: keyof PlatoFlags) => {
    const v = header.get(PLATO_KEYWORDS[k]);
    return isPlatoFlag(v) ? v : null;
  };
  return { processing: get('processing'), calibrators: get('calibrators'), analysis: get('analysis') };
}
