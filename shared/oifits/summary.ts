/**
 * JSON summary of an OIFITS file (the `oifits inspect --json` output and the Review screen's
 * header): version, targets, one entry per OI table in file order, flagged fraction, findings.
 */
import { isDataTable, type OiFitsFile } from './model';
import { readQuality, type QualityKeywords, type StoredQuality } from './quality';
import { validateOifits, type Finding } from './validate';
import { tablesOf } from './read';

/** One OI table in the summary. */
export interface OiTableSummary {
  extname: string;
  hdu: number;
  rows: number;
  revision?: number;
  insname?: string;
  arrname?: string;
  corrname?: string;
  nwave?: number;
}

/**
 * One HDU of the file, whatever it holds: OI tables, and HDUs the reader does not know (a draft
 * `OI_SPECTRUM`, an image, an instrument's own table) so a reviewer sees everything the file has.
 */
export interface HduSummary {
  hdu: number;
  /** EXTNAME ('PRIMARY' for HDU 0, '' when absent). */
  extname: string;
  /** XTENSION ('PRIMARY', 'BINTABLE', 'IMAGE', 'TABLE', …). */
  xtension: string;
  /** NAXIS2 of a table; null for images and the primary HDU. */
  rows: number | null;
  /** Header cards. */
  cards: number;
  /** Whether this is the primary HDU or an OIFITS table the reader decodes. */
  isKnown: boolean;
}

/** FLAG counts of one kind of data table (all its tables together). */
export interface FlagCount {
  extname: 'OI_VIS' | 'OI_VIS2' | 'OI_T3' | 'OI_FLUX';
  flagged: number;
  total: number;
}

/** Summary of a file. */
export interface OiFileSummary {
  version: 1 | 2;
  content: string | null;
  /** Target names of OI_TARGET, in row order. */
  targets: string[];
  /** Targets with coordinates (degrees), for matching against the survey. */
  targetPositions: { name: string; raDeg: number | null; decDeg: number | null }[];
  tables: OiTableSummary[];
  /** Every HDU in file order, unknown ones included and marked. */
  hdus: HduSummary[];
  /** FLAG counts per kind of data table, in the order OI_VIS2, OI_VIS, OI_T3, OI_FLUX (kinds present only). */
  flagCounts: FlagCount[];
  /** FLAG=T elements over all FLAG elements of OI_VIS, OI_VIS2, OI_T3 and OI_FLUX. */
  flaggedFraction: number;
  flaggedCount: number;
  flagTotal: number;
  /** Primary-header keywords worth showing (null when absent). */
  header: { telescope: string | null; instrument: string | null; dateObs: string | null; object: string | null };
  /** The quality verdict already in the file, if any. */
  quality: StoredQuality;
  findings: Finding[];
}

function str(v: unknown): string | null {
  return v === undefined || v === null ? null : String(v).trim();
}

/** Summarise a parsed file. */
export function summariseOifits(file: OiFitsFile, keywords?: QualityKeywords): OiFileSummary {
  let flagged = 0;
  let total = 0;
  const byKind = new Map<FlagCount['extname'], FlagCount>();
  for (const kind of ['OI_VIS2', 'OI_VIS', 'OI_T3', 'OI_FLUX'] as const) {
    if (file.tables.some((t) => t.extname === kind)) byKind.set(kind, { extname: kind, flagged: 0, total: 0 });
  }
  for (const t of file.tables) {
    if (!isDataTable(t)) continue;
    const count = byKind.get(t.extname) as FlagCount;
    let n = 0;
    for (const f of t.flag) n += f;
    total += t.flag.length;
    flagged += n;
    count.total += t.flag.length;
    count.flagged += n;
  }
  const known = new Set(file.tables.map((t) => t.hduIndex));
  const hdus: HduSummary[] = file.fits.hdus.map((h) => ({
    hdu: h.index,
    extname: h.extname,
    xtension: h.xtension,
    rows: h.index > 0 && (h.xtension === 'BINTABLE' || h.xtension === 'TABLE') ? (h.header.number('NAXIS2') ?? 0) : null,
    cards: h.header.cards.length,
    isKnown: h.index === 0 || known.has(h.index),
  }));
  const tables: OiTableSummary[] = file.tables.map((t) => {
    const s: OiTableSummary = { extname: t.extname, hdu: t.hduIndex, rows: t.rows };
    if (t.revision !== undefined) s.revision = t.revision;
    if (t.extname === 'OI_WAVELENGTH') s.insname = t.insname;
    if (t.extname === 'OI_ARRAY') s.arrname = t.arrname;
    if (t.extname === 'OI_CORR') s.corrname = t.corrname;
    if (isDataTable(t)) {
      s.insname = t.insname;
      if (t.arrname !== undefined) s.arrname = t.arrname;
      if (t.corrname !== undefined) s.corrname = t.corrname;
      s.nwave = t.nwave;
    }
    return s;
  });
  const targets = tablesOf(file, 'OI_TARGET')[0]?.targets ?? [];
  const h = file.fits.hdus[0].header;
  return {
    version: file.version,
    content: file.content ?? null,
    targets: targets.map((t) => t.name),
    targetPositions: targets.map((t) => ({
      name: t.name,
      raDeg: Number.isFinite(t.raDeg) ? t.raDeg : null,
      decDeg: Number.isFinite(t.decDeg) ? t.decDeg : null,
    })),
    tables,
    hdus,
    flagCounts: [...byKind.values()],
    flaggedFraction: total > 0 ? flagged / total : 0,
    flaggedCount: flagged,
    flagTotal: total,
    header: { telescope: str(h.get('TELESCOP')), instrument: str(h.get('INSTRUME')), dateObs: str(h.get('DATE-OBS')), object: str(h.get('OBJECT')) },
    quality: readQuality(h, keywords),
    findings: validateOifits(file),
  };
}
