/**
 * Turns a table from any supported source (SPICA-DB VOTable, NSS column names, ASPRO2 target
 * VOTable, CSV) into uniform target rows. Column names are matched case-insensitively against
 * the aliases below; structural problems throw `ImportError`, bad cells skip the row with a reason.
 */
import Papa from 'papaparse';
import { parseDecDeg, parseRaDeg } from '../astro/sexagesimal';
import { writeModelJson } from '../models/json';
import { parseModelText } from '../models/text';
import { readVoTable, VoTableError, type VoField } from '../votable/read';
import { FORMULA_LEAD } from './export';

/** A target as read from an import file, before it meets the store. */
export interface ImportedTarget {
  /** 1-based data row number (CSV: the file line). */
  row: number;
  spicadbId: string | null;
  name: string;
  mainId: string | null;
  hd: string | null;
  hip: string | null;
  gaiaId: string | null;
  raDeg: number;
  decDeg: number;
  pmRaMasYr: number | null;
  pmDecMasYr: number | null;
  parallaxMas: number | null;
  vmag: number | null;
  rmag: number | null;
  jmag: number | null;
  hmag: number | null;
  kmag: number | null;
  spType: string | null;
  spicaMode: string | null;
  completionRate: number | null;
  lddMas: number | null;
  lddErrMas: number | null;
  memberships: Array<{
    programme: string;
    pi: string | null;
    /** 0 high, 1 low, null when the file gives none (the target stays unranked by its PI). */
    piPriority: number | null;
    mode: string | null;
    comments: string | null;
    rank: 1 | 2;
  }>;
  extra: Record<string, string>;
  /**
   * An object model handed over in ASPRO2's model column (UCD `meta.code.class;meta.modelled`,
   * as NSS and this app send it), in SPICA-DB JSON form; null when the table has none. SPICA-DB's
   * own `model` column (no such UCD) stays in `extra` as source data.
   */
  modelJson?: string | null;
}

export interface ParsedImport {
  format: 'spicadb-votable' | 'aspro2-votable' | 'votable' | 'csv';
  targets: ImportedTarget[];
  skipped: Array<{ row: number; name: string | null; reason: string }>;
  /** Notes about the whole file (a partial TAP result, for instance). */
  notices: string[];
}

/** A file that cannot be imported at all; the message names the line or row. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

const ALIASES: Record<string, string[]> = {
  spicadbId: ['spicadb_id', 'target_id'],
  name: ['target_main_id', 'name', 'main_id', 'target', 'target_name', 'star', 'object'],
  hd: ['target_hd', 'hd'],
  hip: ['hip', 'target_hip'],
  gaiaId: ['target_gaia_id', 'gaia_id', 'gaiadr3'],
  ra: ['ra', 'target_ra', 'ra_deg', 'raj2000', '_raj2000', 'radeg', 'ra_icrs'],
  dec: ['dec', 'target_dec', 'dec_deg', 'dej2000', '_dej2000', 'decdeg', 'dedeg', 'de_icrs'],
  pmRa: ['pmra', 'pm_ra'],
  pmDec: ['pmdec', 'pmde', 'pm_dec'],
  parallax: ['plx', 'parallax', 'target_plx'],
  vmag: ['vmag', 'target_vmag', 'flux_v', 'v'],
  rmag: ['rmag', 'target_rmag', 'flux_r', 'r'],
  jmag: ['jmag', 'target_jmag', 'flux_j', 'j'],
  hmag: ['hmag', 'target_hmag', 'flux_h', 'h'],
  kmag: ['kmag', 'target_kmag', 'flux_k', 'k'],
  spType: ['spt', 'target_spt', 'sp_types', 'sptype', 'sp_type', 'spectral_type'],
  mode: ['spica_mode', 'target_flag_type', 'mode'],
  completion: ['completion_rate', 'target_completion_rate'],
  ldd: ['target_ld_jsdc2', 'ldd', 'ldd_mas'],
  lddErr: ['target_eld_jsdc2', 'e_ldd', 'ldd_err_mas'],
  programme: ['progname', 'target_progname', 'programme', 'program'],
  pi: ['piname', 'target_piname', 'pi'],
  piPriority: ['priority_pi', 'target_flag_priority_pi'],
  comments: ['comments', 'target_comments'],
  programme2: ['progname2'],
  pi2: ['piname2'],
  piPriority2: ['priority_pi2'],
  comments2: ['comments2'],
};

/**
 * Plausible values. A cell outside its range is refused with the row (an import never stores
 * V = 1e308 or a −99999 sentinel); completion has no cap at 1 because NSS has none (targets at
 * ≥ 1 just leave the selection) and SPICA-DB rows hold 1.05–1.45.
 */
const RANGES: Record<string, [min: number, max: number]> = {
  pmRa: [-20_000, 20_000],
  pmDec: [-20_000, 20_000],
  parallax: [-100, 1000],
  vmag: [-10, 30],
  rmag: [-10, 30],
  jmag: [-10, 30],
  hmag: [-10, 30],
  kmag: [-10, 30],
  completion: [0, 10],
  ldd: [0, 1000],
  lddErr: [0, 1000],
  piPriority: [0, 9],
  piPriority2: [0, 9],
};

/** A decimal number as catalogues write it; hexadecimal, `Infinity` or `1_000` are not numbers here. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$/;

/** Longest identifier or short text cell accepted (SIMBAD identifiers are far shorter). */
export const MAX_NAME_CHARS = 200;
/** Longest free-text cell accepted (comments, extra columns). */
export const MAX_TEXT_CHARS = 4000;
const FREE_TEXT_KEYS = new Set(['comments', 'comments2']);

/** UCD of ASPRO2's model column (vot2AsproObservation.xsl; a2p2 `Models.SAMP_UCD_MODEL`). */
const MODEL_UCD = 'meta.code.class;meta.modelled';

/** Columns our own export derives from others: re-importing them must not store copies. */
const DERIVED_COLUMNS = new Set(['ra_hms', 'dec_dms', 'priority_final', 'n_obs', 'last_observed']);

/** Placeholders SPICA-DB prototypes put in cells that have no value yet. */
function isBlank(cell: string | null | undefined): boolean {
  if (cell === null || cell === undefined) return true;
  const t = cell.trim();
  return t === '' || /^(nan|none|null|--|tbd\b.*)$/i.test(t);
}

function text(cell: string | null | undefined): string | null {
  return isBlank(cell) ? null : (cell as string).trim();
}

interface Table {
  fields: VoField[];
  rows: Array<Array<string | null>>;
  /** Data row number → number reported to the user. */
  rowNumber(i: number): number;
}

function columnIndex(fields: VoField[]): Map<string, number> {
  const lower = fields.map((f) => f.name.trim().toLowerCase());
  const found = new Map<string, number>();
  for (const [key, aliases] of Object.entries(ALIASES)) {
    for (const alias of aliases) {
      const i = lower.indexOf(alias);
      if (i >= 0) {
        found.set(key, i);
        break;
      }
    }
  }
  return found;
}

function cleanName(raw: string): string {
  return raw.replace(/^NAME\s+/, '').replace(/\s+/g, ' ').trim();
}

/** A cell quoted in a message, cut so a huge cell cannot flood the report. */
function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function toTargets(table: Table): { targets: ImportedTarget[]; skipped: ParsedImport['skipped'] } {
  const col = columnIndex(table.fields);
  if (!col.has('ra') || !col.has('dec')) {
    throw new ImportError(
      `no RA/Dec columns: expected one of ${ALIASES.ra.join(', ')} and ${ALIASES.dec.join(', ')} ` +
        `(found: ${table.fields.map((f) => f.name).join(', ')})`,
    );
  }
  if (!col.has('name') && !col.has('hd')) {
    throw new ImportError(`no name column: expected one of ${ALIASES.name.join(', ')}`);
  }
  const raUnit = table.fields[col.get('ra') as number].unit;
  const used = new Set(col.values());
  const modelColumn = table.fields.findIndex((f) => f.ucd?.trim().toLowerCase() === MODEL_UCD);
  if (modelColumn >= 0) used.add(modelColumn);
  const targets: ImportedTarget[] = [];
  const skipped: ParsedImport['skipped'] = [];
  table.rows.forEach((cells, i) => {
    const row = table.rowNumber(i);
    const get = (key: string): string | null => {
      const idx = col.get(key);
      if (idx === undefined) return null;
      const raw = cells[idx];
      const limit = FREE_TEXT_KEYS.has(key) ? MAX_TEXT_CHARS : MAX_NAME_CHARS;
      if (raw && raw.length > limit) throw new Error(`${table.fields[idx].name} is ${raw.length} characters long (limit ${limit})`);
      return text(raw);
    };
    const num = (key: string): number | null => {
      const v = get(key);
      if (v === null) return null;
      const column = table.fields[col.get(key) as number].name;
      const n = DECIMAL.test(v) ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw new Error(`${column} "${short(v)}" is not a number`);
      const range = RANGES[key];
      if (range && !(n >= range[0] && n <= range[1])) throw new Error(`${column} ${v} is outside ${range[0]}..${range[1]}`);
      return n;
    };
    let hd: string | null = null;
    let rawName: string | null = null;
    try {
      hd = get('hd');
      rawName = get('name') ?? (hd ? `HD ${hd.replace(/^HD\s*/i, '')}` : null);
      if (rawName === null) throw new Error('no name');
      const raText = get('ra');
      const decText = get('dec');
      if (raText === null || decText === null) throw new Error('no coordinates');
      const memberships: ImportedTarget['memberships'] = [];
      const addMembership = (p: string, pi: string, pr: string, c: string, rank: 1 | 2): void => {
        const programme = get(p);
        if (programme === null) return;
        const priority = num(pr);
        memberships.push({
          programme,
          pi: get(pi),
          piPriority: priority === null ? null : priority <= 0 ? 0 : 1,
          mode: get('mode'),
          comments: get(c),
          rank,
        });
      };
      addMembership('programme', 'pi', 'piPriority', 'comments', 1);
      addMembership('programme2', 'pi2', 'piPriority2', 'comments2', 2);
      const extra: Record<string, string> = {};
      cells.forEach((c, j) => {
        const field = table.fields[j].name;
        if (used.has(j) || isBlank(c) || DERIVED_COLUMNS.has(field.toLowerCase())) return;
        if ((c as string).length > MAX_TEXT_CHARS) throw new Error(`${field} is ${(c as string).length} characters long (limit ${MAX_TEXT_CHARS})`);
        extra[field] = (c as string).trim();
      });
      let modelJson: string | null = null;
      const modelText = modelColumn >= 0 ? text(cells[modelColumn]) : null;
      if (modelText !== null) {
        try {
          modelJson = writeModelJson(parseModelText(modelText));
        } catch (e) {
          // Keep the row and the text; the model is not used.
          extra[`${table.fields[modelColumn].name} (unreadable: ${(e as Error).message})`] = modelText;
        }
      }
      const completion = num('completion');
      const spicadbId = get('spicadbId');
      targets.push({
        row,
        spicadbId,
        name: cleanName(rawName),
        mainId: get('name'),
        hd,
        hip: get('hip'),
        gaiaId: get('gaiaId'),
        raDeg: parseRaDeg(raText, raUnit),
        decDeg: parseDecDeg(decText),
        pmRaMasYr: num('pmRa'),
        pmDecMasYr: num('pmDec'),
        parallaxMas: num('parallax'),
        vmag: num('vmag'),
        rmag: num('rmag'),
        jmag: num('jmag'),
        hmag: num('hmag'),
        kmag: num('kmag'),
        spType: get('spType'),
        spicaMode: get('mode')?.toUpperCase() ?? null,
        completionRate: completion,
        lddMas: num('ldd'),
        lddErrMas: num('lddErr'),
        memberships,
        extra,
        modelJson,
      });
    } catch (e) {
      skipped.push({ row, name: rawName ? cleanName(rawName) : null, reason: (e as Error).message });
    }
  });
  return { targets, skipped };
}

/**
 * Rows of an already-read table (a TAP result) as targets, by the same column aliases and checks
 * as an imported file; `rowNumber(i)` is what a skipped row is reported as.
 */
export function tableToTargets(
  fields: VoField[],
  rows: Array<Array<string | null>>,
  rowNumber: (i: number) => number = (i) => i + 1,
): { targets: ImportedTarget[]; skipped: ParsedImport['skipped'] } {
  return toTargets({ fields, rows, rowNumber });
}

/** Undo the quote `shared/survey/export.ts` puts before a formula-like cell, so an export re-imports unchanged. */
function unguardFormula(cell: string): string {
  return cell.length > 1 && cell[0] === "'" && FORMULA_LEAD.test(cell[1]) ? cell.slice(1) : cell;
}

function parseCsv(content: string): Table {
  const result = Papa.parse<string[]>(content.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const fatal = result.errors.find((e) => e.type === 'Quotes' || e.type === 'Delimiter');
  if (fatal) throw new ImportError(`CSV line ${(fatal.row ?? 0) + 1}: ${fatal.message}`);
  const [header, ...rows] = result.data;
  if (!header || header.length < 2) throw new ImportError('CSV has no header line with at least two columns');
  // Papa's row index counts data rows after skipping blanks; line numbers come from its meta.
  rows.forEach((r, i) => {
    if (r.length !== header.length) {
      throw new ImportError(`CSV row ${i + 1} (line ${i + 2}): ${r.length} fields, the header has ${header.length}`);
    }
  });
  for (const r of rows) r.forEach((cell, j) => (r[j] = unguardFormula(cell)));
  return { fields: header.map((name) => ({ name: name.trim() })), rows, rowNumber: (i) => i + 1 };
}

/** Parse an import file by content; `fileName` only helps the error messages and the format guess. */
export function parseImport(fileName: string, content: string): ParsedImport {
  const head = content.slice(0, 2000).trimStart();
  const looksXml = head.startsWith('<') || /\.(vot|xml|votable)$/i.test(fileName);
  if (!looksXml) {
    const { targets, skipped } = toTargets(parseCsv(content));
    return { format: 'csv', targets, skipped, notices: [] };
  }
  let doc;
  try {
    doc = readVoTable(content);
  } catch (e) {
    if (e instanceof VoTableError) throw new ImportError(e.message);
    throw e;
  }
  const notices: string[] = [];
  const status = doc.queryStatus;
  if (status?.value === 'ERROR') {
    throw new ImportError(`the file is a failed query result (QUERY_STATUS=ERROR${status.message ? `: ${status.message.trim()}` : ''})`);
  }
  if (status?.value === 'OVERFLOW') {
    notices.push('the file is a truncated query result (QUERY_STATUS=OVERFLOW): rows beyond the service limit are missing');
  }
  const table = doc.tables[0];
  if (doc.tables.length > 1) notices.push(`the file holds ${doc.tables.length} tables; only the first was read`);
  const names = new Set(table.fields.map((f) => f.name.toLowerCase()));
  const format = names.has('target_main_id') || names.has('spicadb_id') ? 'spicadb-votable'
    : names.has('flux_v') || doc.params.some((p) => p.name === 'INTERFEROMETER') ? 'aspro2-votable'
    : 'votable';
  const { targets, skipped } = toTargets({ fields: table.fields, rows: table.rows, rowNumber: (i) => i + 1 });
  return { format, targets, skipped, notices };
}
