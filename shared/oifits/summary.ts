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

/** Summary of a file. */
export interface OiFileSummary {
  version: 1 | 2;
  content: string | null;
  /** Target names of OI_TARGET, in row order. */
  targets: string[];
  /** Targets with coordinates (degrees), for matching against the survey. */
  targetPositions: { name: string; raDeg: number | null; decDeg: number | null }[];
  tables: OiTableSummary[];
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
  for (const t of file.tables) {
    if (!isDataTable(t)) continue;
    total += t.flag.length;
    for (const f of t.flag) flagged += f;
  }
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
    flaggedFraction: total > 0 ? flagged / total : 0,
    flaggedCount: flagged,
    flagTotal: total,
    header: { telescope: str(h.get('TELESCOP')), instrument: str(h.get('INSTRUME')), dateObs: str(h.get('DATE-OBS')), object: str(h.get('OBJECT')) },
    quality: readQuality(h, keywords),
    findings: validateOifits(file),
  };
}
