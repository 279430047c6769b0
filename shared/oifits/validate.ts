/**
 * Lenient OIFITS validator. Rule names and checks follow JMMC OITools' data model
 * (`rules/DataModelV2.xml`); severities are relaxed where real CHARA/VLTI products routinely
 * disagree with the standard (see docs/oifits.md), so a reviewer sees real problems first.
 * Each table is checked against the model of its own OI_REVN, not the file's declared version.
 */
import { verifyChecksums } from './checksum';
import type { ColumnSpec, TableSpec } from './data-model';
import { OI_DATA_MODEL } from './data-model.generated';
import {
  isDataTable,
  type OiArrayTable,
  type OiCorrTable,
  type OiDataTable,
  type OiFitsFile,
  type OiTable,
  type OiTargetTable,
  type OiWavelengthTable,
} from './model';
import { arrayFor, numericColumn, tablesOf, wavelengthFor } from './read';

/** One validator finding. */
export interface Finding {
  severity: 'error' | 'warning';
  /** OITools rule name where one exists (e.g. `GENERIC_COL_MANDATORY`), else our own. */
  rule: string;
  /** HDU index (0 = primary), or null for file-level findings. */
  hdu: number | null;
  /** EXTNAME of that HDU (`PRIMARY` for 0), or '' for file-level findings. */
  extname: string;
  /** Keyword or column concerned, when there is one. */
  member?: string;
  message: string;
}

/** Tables revised in OIFITS v2 (OI_REVN 2); the others only exist in v2 with OI_REVN 1. */
const REVISED_TABLES = new Set(['OI_TARGET', 'OI_ARRAY', 'OI_WAVELENGTH', 'OI_VIS', 'OI_VIS2', 'OI_T3']);
const V2_ONLY_TABLES = new Set(['OI_FLUX', 'OI_CORR', 'OI_INSPOL']);

/** MJD of 1933-01-01 and 2150-01-01: OITools' "normal" range for dates. */
const MJD_MIN = Date.UTC(1933, 0, 1) / 86400000 + 40587;
const MJD_MAX = Date.UTC(2150, 0, 1) / 86400000 + 40587;

const UNIT_ALIASES: Record<string, string> = {
  m: 'm',
  meter: 'm',
  meters: 'm',
  metre: 'm',
  metres: 'm',
  deg: 'deg',
  degree: 'deg',
  degrees: 'deg',
  day: 'day',
  days: 'day',
  d: 'day',
  mjd: 'day',
  s: 's',
  sec: 's',
  second: 's',
  seconds: 's',
  yr: 'yr',
  year: 'yr',
  years: 'yr',
  'deg/yr': 'deg/yr',
  'deg/year': 'deg/yr',
  'm/s': 'm/s',
  arcsec: 'arcsec',
};

function normaliseUnit(unit: string): string {
  const u = unit.trim().toLowerCase();
  return UNIT_ALIASES[u] ?? u;
}

/** Numeric type letters are interchangeable for a lenient reader; strings and logicals are not. */
function typeFamily(code: string): string {
  if (code === 'A') return 'string';
  if (code === 'L') return 'logical';
  if (code === 'C' || code === 'M') return 'complex';
  return 'number';
}

/** Where a finding is: an OI table or any HDU. */
interface Location {
  hduIndex: number;
  extname: string;
}

class Findings {
  readonly list: Finding[] = [];
  add(severity: Finding['severity'], rule: string, table: Location | null, message: string, member?: string): void {
    this.list.push({
      severity,
      rule,
      hdu: table ? table.hduIndex : null,
      extname: table ? table.extname : '',
      ...(member ? { member } : {}),
      message,
    });
  }
}

function where(t: OiTable): string {
  return `${t.extname} (HDU ${t.hduIndex})`;
}

/** The model spec a table is checked against: its own OI_REVN decides, not the file version. */
function specFor(t: OiTable): TableSpec | undefined {
  if (V2_ONLY_TABLES.has(t.extname)) return OI_DATA_MODEL['2'][t.extname];
  return OI_DATA_MODEL[t.revision === 2 ? '2' : '1'][t.extname];
}

function expectedRepeat(spec: ColumnSpec, nwave: number | undefined): number | undefined {
  if (spec.repeat === 'NWAVE') return nwave;
  if (spec.repeat === 'NWAVE2') return nwave === undefined ? undefined : nwave * nwave;
  return spec.repeat;
}

function nwaveOf(file: OiFitsFile, t: OiTable): number | undefined {
  if (isDataTable(t)) return wavelengthFor(file, t.insname)?.rows;
  return undefined;
}

function checkStructure(file: OiFitsFile, t: OiTable, out: Findings): void {
  const spec = specFor(t);
  if (!spec) return;
  for (const k of spec.keywords) {
    if (k.name === 'EXTNAME' || k.name === 'NAXIS2' || k.name === 'OI_REVN') continue;
    const value = t.header.get(k.name);
    if (value === undefined) {
      if (!k.optional) out.add('error', 'GENERIC_KEYWORD_MANDATORY', t, `${where(t)}: mandatory keyword ${k.name} is missing`, k.name);
      continue;
    }
    if (k.values && typeof value === 'string' && !k.values.includes(value.trim())) {
      out.add('warning', 'GENERIC_KEYWORD_VAL_ACCEPTED_STR', t, `${where(t)}: ${k.name} = '${value.trim()}' is not one of ${k.values.join(', ')}`, k.name);
    }
  }
  if (t.revision === undefined) {
    out.add('warning', 'GENERIC_KEYWORD_MANDATORY', t, `${where(t)}: mandatory keyword OI_REVN is missing`, 'OI_REVN');
  }
  const nwave = nwaveOf(file, t);
  const known = new Set(spec.columns.map((c) => c.name));
  for (const c of spec.columns) {
    const col = t.table.column(c.name);
    if (!col) {
      if (c.optional) continue;
      // Columns new in v2 (FOV, FOVTYPE) are often left out by writers that only bumped OI_REVN.
      const isNewInV2 = t.revision === 2 && !OI_DATA_MODEL['1'][t.extname]?.columns.some((v1) => v1.name === c.name);
      out.add(isNewInV2 ? 'warning' : 'error', 'GENERIC_COL_MANDATORY', t, `${where(t)}: mandatory column ${c.name} is missing${isNewInV2 ? ' (new in OIFITS v2)' : ''}`, c.name);
      continue;
    }
    const family = typeFamily(col.tform.code);
    if (family !== typeFamily(c.type)) {
      out.add('error', 'GENERIC_COL_FORMAT', t, `${where(t)}: column ${c.name} has TFORM ${col.tform.repeat}${col.tform.code}, expected type ${c.type}`, c.name);
    } else if (c.type !== 'A') {
      const repeat = expectedRepeat(c, nwave);
      if (repeat !== undefined && col.repeat !== repeat) {
        out.add('error', 'GENERIC_COL_FORMAT', t, `${where(t)}: column ${c.name} has ${col.repeat} elements per row, expected ${repeat}${c.repeat === 'NWAVE' ? ' (NWAVE of its OI_WAVELENGTH)' : ''}`, c.name);
      }
    }
    if (c.unit && col.unit && normaliseUnit(col.unit) !== c.unit) {
      out.add('warning', 'GENERIC_COL_UNIT', t, `${where(t)}: column ${c.name} has unit '${col.unit}', expected '${c.unit}'`, c.name);
    }
  }
  const unknown = t.table.columns.filter((col) => !known.has(col.name)).map((col) => col.name);
  if (unknown.length > 0) {
    out.add('warning', 'UNKNOWN_COLUMN', t, `${where(t)}: column(s) ${unknown.join(', ')} not part of ${t.extname} rev ${t.revision ?? '?'}`, unknown[0]);
  }
}

function checkTarget(t: OiTargetTable, out: Findings): void {
  if (t.targets.length === 0) out.add('error', 'OI_TARGET_TARGET_EXIST', t, `${where(t)}: no target`);
  const ids = new Set<number>();
  const names = new Set<string>();
  for (const [r, target] of t.targets.entries()) {
    // MIRC-X, NPOI and OIFITSlib conversions number targets from 0; references still resolve.
    if (target.id < 1) out.add('warning', 'OI_TARGET_TARGETID_MIN', t, `${where(t)} row ${r + 1}: TARGET_ID ${target.id} is below 1`, 'TARGET_ID');
    if (ids.has(target.id)) out.add('error', 'OI_TARGET_TARGETID_UNIQ', t, `${where(t)} row ${r + 1}: TARGET_ID ${target.id} is used twice`, 'TARGET_ID');
    ids.add(target.id);
    if (!target.name) out.add('error', 'OI_TARGET_TARGET', t, `${where(t)} row ${r + 1}: TARGET name is empty`, 'TARGET');
    else if (names.has(target.name)) out.add('error', 'OI_TARGET_TARGET_UNIQ', t, `${where(t)} row ${r + 1}: target '${target.name}' is listed twice`, 'TARGET');
    names.add(target.name);
    if (!Number.isFinite(target.raDeg) || !Number.isFinite(target.decDeg)) {
      out.add('error', 'OI_TARGET_COORD_EXIST', t, `${where(t)} row ${r + 1}: RAEP0/DECEP0 of '${target.name}' undefined`, 'RAEP0');
    } else if (target.raDeg === 0 && target.decDeg === 0) {
      out.add('warning', 'OI_TARGET_COORD', t, `${where(t)} row ${r + 1}: RAEP0 and DECEP0 of '${target.name}' are both 0`, 'RAEP0');
    }
  }
}

function checkArray(t: OiArrayTable, out: Findings): void {
  if (!t.arrname) out.add('error', 'OI_ARRAY_ARRNAME', t, `${where(t)}: ARRNAME is empty`, 'ARRNAME');
  const idx = new Set<number>();
  const names = new Set<string>();
  for (const [r, s] of t.stations.entries()) {
    // Several real pipelines number stations from 0; the cross-references still resolve.
    if (s.index < 1) out.add('warning', 'OI_ARRAY_STA_INDEX_MIN', t, `${where(t)} row ${r + 1}: STA_INDEX ${s.index} is below 1`, 'STA_INDEX');
    if (idx.has(s.index)) out.add('error', 'OI_ARRAY_STA_INDEX_UNIQ', t, `${where(t)} row ${r + 1}: STA_INDEX ${s.index} is used twice`, 'STA_INDEX');
    idx.add(s.index);
    if (!s.staName) out.add('warning', 'OI_ARRAY_STA_NAME', t, `${where(t)} row ${r + 1}: STA_NAME is empty`, 'STA_NAME');
    else if (names.has(s.staName)) out.add('warning', 'OI_ARRAY_STA_NAME_UNIQ', t, `${where(t)} row ${r + 1}: STA_NAME '${s.staName}' is used twice`, 'STA_NAME');
    names.add(s.staName);
  }
}

function checkWavelength(t: OiWavelengthTable, out: Findings): void {
  if (!t.insname) out.add('error', 'OI_WAVELENGTH_INSNAME', t, `${where(t)}: INSNAME is empty`, 'INSNAME');
  const w = t.effWaveM;
  let outOfRange = 0;
  for (const v of w) if (!(v >= 0.1e-6 && v <= 20e-6)) outOfRange++;
  if (outOfRange > 0) {
    out.add('error', 'OI_WAVELENGTH_EFF_WAVE', t, `${where(t)}: ${outOfRange} EFF_WAVE value(s) outside 0.1–20 µm (are they in metres?)`, 'EFF_WAVE');
  }
  let up = 0;
  let down = 0;
  for (let i = 1; i < w.length; i++) {
    if (w[i] > w[i - 1]) up++;
    else if (w[i] < w[i - 1]) down++;
  }
  if (up > 0 && down > 0) {
    out.add('warning', 'OI_WAVELENGTH_EFF_WAVE_ORDER', t, `${where(t)}: EFF_WAVE is not monotonic (${up} steps up, ${down} down)`, 'EFF_WAVE');
  } else if (down > 0) {
    out.add('warning', 'OI_WAVELENGTH_EFF_WAVE_ORDER', t, `${where(t)}: EFF_WAVE decreases with channel (allowed; MIRC-X writes it so, some tools expect increasing)`, 'EFF_WAVE');
  }
}

const ERROR_COLUMNS: Record<string, [string, string][]> = {
  OI_VIS: [['VISAMP', 'VISAMPERR'], ['VISPHI', 'VISPHIERR']],
  OI_VIS2: [['VIS2DATA', 'VIS2ERR']],
  OI_T3: [['T3AMP', 'T3AMPERR'], ['T3PHI', 'T3PHIERR']],
  OI_FLUX: [['FLUXDATA', 'FLUXERR']],
};

function checkData(file: OiFitsFile, t: OiDataTable, out: Findings): void {
  const wave = wavelengthFor(file, t.insname);
  if (!t.insname) out.add('error', 'GENERIC_KEYWORD_MANDATORY', t, `${where(t)}: INSNAME is missing`, 'INSNAME');
  else if (!wave) out.add('error', 'INSNAME_REF', t, `${where(t)}: no OI_WAVELENGTH table has INSNAME '${t.insname}'`, 'INSNAME');
  // OITools leaves ARRNAME optional, but the v2 paper makes it mandatory in data tables.
  if (t.arrname === undefined && t.revision === 2 && t.extname !== 'OI_FLUX') {
    out.add('error', 'GENERIC_KEYWORD_MANDATORY', t, `${where(t)}: ARRNAME is mandatory in OIFITS v2 data tables`, 'ARRNAME');
  }
  const array = arrayFor(file, t.arrname);
  if (t.arrname !== undefined && !array) out.add('error', 'ARRNAME_REF', t, `${where(t)}: no OI_ARRAY table has ARRNAME '${t.arrname}'`, 'ARRNAME');
  if (t.corrname !== undefined && !tablesOf(file, 'OI_CORR').some((c) => c.corrname === t.corrname)) {
    out.add('error', 'CORRNAME_REF', t, `${where(t)}: no OI_CORR table has CORRNAME '${t.corrname}'`, 'CORRNAME');
  }

  const targetIds = new Set(tablesOf(file, 'OI_TARGET')[0]?.targets.map((x) => x.id) ?? []);
  const missingIds = new Set<number>();
  for (const id of t.targetId) if (!targetIds.has(id)) missingIds.add(id);
  if (missingIds.size > 0) {
    out.add('error', 'GENERIC_COL_VAL_ACCEPTED_INT', t, `${where(t)}: TARGET_ID ${[...missingIds].join(', ')} not found in OI_TARGET`, 'TARGET_ID');
  }

  if (t.table.has('STA_INDEX')) {
    const known = array ? new Set(array.stations.map((s) => s.index)) : undefined;
    const unknown = new Set<number>();
    let duplicates = 0;
    for (let r = 0; r < t.rows; r++) {
      const row = t.staIndex.subarray(r * t.staPerRow, (r + 1) * t.staPerRow);
      if (new Set(row).size !== row.length) duplicates++;
      if (known) for (const s of row) if (!known.has(s)) unknown.add(s);
    }
    if (duplicates > 0) out.add('error', 'GENERIC_STA_INDEX_UNIQ', t, `${where(t)}: ${duplicates} row(s) repeat a station in STA_INDEX`, 'STA_INDEX');
    if (unknown.size > 0) {
      out.add('error', 'GENERIC_COL_VAL_ACCEPTED_INT', t, `${where(t)}: STA_INDEX ${[...unknown].join(', ')} not found in OI_ARRAY '${array?.arrname}'`, 'STA_INDEX');
    }
  }

  let badMjd = 0;
  for (const m of t.mjd) if (!(m >= MJD_MIN && m <= MJD_MAX)) badMjd++;
  if (t.table.has('MJD') && badMjd > 0) out.add('warning', 'GENERIC_MJD_RANGE', t, `${where(t)}: ${badMjd} MJD value(s) outside 1933–2150`, 'MJD');
  if (t.dateObs !== undefined && !/^\d{4}-\d{2}-\d{2}/.test(t.dateObs)) {
    out.add('warning', 'GENERIC_DATE_OBS_STANDARD', t, `${where(t)}: DATE-OBS '${t.dateObs}' is not YYYY-MM-DD`, 'DATE-OBS');
  }

  for (const [dataName, errName] of ERROR_COLUMNS[t.extname] ?? []) {
    const data = numericColumn(t.table, dataName);
    const err = numericColumn(t.table, errName);
    if (!data || !err || data.length !== t.flag.length || err.length !== t.flag.length) continue;
    let negative = 0;
    let nan = 0;
    for (let i = 0; i < t.flag.length; i++) {
      if (t.flag[i]) continue;
      if (err[i] < 0) negative++;
      if (Number.isNaN(data[i]) || Number.isNaN(err[i])) nan++;
    }
    if (negative > 0) {
      out.add('warning', 'GENERIC_COL_ERR_FIX', t, `${where(t)}: ${negative} unflagged ${errName} value(s) are negative (treated as NaN)`, errName);
    }
    if (nan > 0) out.add('warning', 'DATA_NAN_UNFLAGGED', t, `${where(t)}: ${nan} unflagged ${dataName}/${errName} value(s) are NaN`, dataName);
  }
}

function checkCorr(t: OiCorrTable, out: Findings): void {
  if (!t.corrname) out.add('error', 'OI_CORR_CORRNAME', t, `${where(t)}: CORRNAME is empty`, 'CORRNAME');
  const i = numericColumn(t.table, 'IINDX');
  const j = numericColumn(t.table, 'JINDX');
  if (!i || !j) return;
  let belowOne = 0;
  let notAbove = 0;
  let beyond = 0;
  for (let r = 0; r < t.rows; r++) {
    if (i[r] < 1) belowOne++;
    if (!(j[r] > i[r])) notAbove++;
    if (t.ndata !== undefined && (i[r] > t.ndata || j[r] > t.ndata)) beyond++;
  }
  if (belowOne) out.add('error', 'OI_CORR_IINDEX_MIN', t, `${where(t)}: ${belowOne} IINDX value(s) below 1`, 'IINDX');
  if (notAbove) out.add('error', 'OI_CORR_JINDEX_SUP', t, `${where(t)}: ${notAbove} row(s) with JINDX ≤ IINDX`, 'JINDX');
  if (beyond) out.add('error', 'OI_CORR_IJINDEX_MAX', t, `${where(t)}: ${beyond} row(s) index beyond NDATA = ${t.ndata}`, 'IINDX');
}

function checkFile(file: OiFitsFile, out: Findings): void {
  const count = (name: string) => file.tables.filter((t) => t.extname === name).length;
  if (count('OI_TARGET') !== 1) {
    out.add('error', 'OIFITS_OI_TARGET_EXIST', null, `the file must hold exactly one OI_TARGET table; it has ${count('OI_TARGET')}`);
  }
  if (count('OI_WAVELENGTH') === 0) out.add('error', 'OIFITS_OI_WAVELENGTH_EXIST', null, 'the file has no OI_WAVELENGTH table');
  if (!file.tables.some(isDataTable)) out.add('error', 'OIFITS_OIDATA', null, 'the file has no data table (OI_VIS, OI_VIS2, OI_T3 or OI_FLUX)');
  if (file.version === 2 && count('OI_ARRAY') === 0) out.add('error', 'OIFITS_OI_ARRAY_EXIST_V2', null, 'an OIFITS v2 file needs an OI_ARRAY table');

  const primary = file.fits.hdus[0];
  const primaryRef: Location = { hduIndex: 0, extname: 'PRIMARY' };
  if (file.content === 'OIFITS2') {
    for (const k of OI_DATA_MODEL['2'].MAIN_HEADER?.keywords ?? []) {
      if (!k.optional && !primary.header.has(k.name)) {
        out.add('warning', 'GENERIC_KEYWORD_MANDATORY', primaryRef, `PRIMARY: keyword ${k.name} is mandatory in OIFITS v2`, k.name);
      }
    }
  } else if (file.version === 2) {
    out.add('warning', 'MAIN_HEADER_CONTENT', primaryRef, "PRIMARY: tables use OI_REVN=2 but CONTENT='OIFITS2' is missing; read as OIFITS v2", 'CONTENT');
  } else if (file.content !== undefined) {
    out.add('warning', 'GENERIC_KEYWORD_VAL_ACCEPTED_STR', primaryRef, `PRIMARY: CONTENT = '${file.content}' (expected 'OIFITS2')`, 'CONTENT');
  }

  for (const t of file.tables) {
    if (file.version === 1 && V2_ONLY_TABLES.has(t.extname)) {
      // Early GRAVITY v1 products carry OI_FLUX; OI_CORR/OI_INSPOL in a v1 file are simply wrong.
      const severity = t.extname === 'OI_FLUX' ? 'warning' : 'error';
      out.add(severity, 'OIFITS_TABLE_NOT_V2', t, `${where(t)}: ${t.extname} is an OIFITS v2 table in an OIFITS v1 file`);
    }
    if (file.content === 'OIFITS2' && REVISED_TABLES.has(t.extname) && t.revision !== 2) {
      out.add('warning', 'GENERIC_OIREV_FIX', t, `${where(t)}: OI_REVN = ${t.revision ?? 'missing'} in a file declaring CONTENT='OIFITS2'; checked as rev ${t.revision ?? 1}`, 'OI_REVN');
    }
  }

  for (const other of file.otherHdus) {
    if (other.extname.startsWith('OI_')) {
      out.list.push({ severity: 'warning', rule: 'UNKNOWN_TABLE', hdu: other.hduIndex, extname: other.extname, message: `${other.extname} (HDU ${other.hduIndex}) is not an OIFITS table; ignored` });
    }
  }

  const unique = (name: 'OI_WAVELENGTH' | 'OI_ARRAY' | 'OI_CORR', key: (t: OiTable) => string, rule: string) => {
    const seen = new Map<string, OiTable>();
    for (const t of file.tables.filter((x) => x.extname === name)) {
      const k = key(t);
      if (seen.has(k)) out.add('error', rule, t, `${where(t)}: another ${name} (HDU ${seen.get(k)?.hduIndex}) has the same name '${k}'`);
      else seen.set(k, t);
    }
  };
  unique('OI_WAVELENGTH', (t) => (t as OiWavelengthTable).insname, 'INSNAME_UNIQ');
  unique('OI_ARRAY', (t) => (t as OiArrayTable).arrname, 'ARRNAME_UNIQ');
  unique('OI_CORR', (t) => (t as OiCorrTable).corrname, 'CORRNAME_UNIQ');

  for (const s of verifyChecksums(file.fits)) {
    if (s.checksum === 'invalid' || s.datasum === 'invalid') {
      const what = [s.datasum === 'invalid' ? 'DATASUM' : '', s.checksum === 'invalid' ? 'CHECKSUM' : ''].filter(Boolean).join(' and ');
      out.list.push({
        severity: 'warning',
        rule: 'FITS_CHECKSUM',
        hdu: s.hduIndex,
        extname: s.extname,
        member: s.datasum === 'invalid' ? 'DATASUM' : 'CHECKSUM',
        message: `${s.extname} (HDU ${s.hduIndex}): ${what} does not match the content${s.datasum === 'valid' ? ' (header edited after checksumming; data intact)' : ''}`,
      });
    }
  }
  for (const w of file.fits.warnings) out.list.push({ severity: 'warning', rule: 'FITS_STRUCTURE', hdu: null, extname: '', message: w });
}

/** Validate a parsed OIFITS file. Findings come file-level first, then per table in file order. */
export function validateOifits(file: OiFitsFile): Finding[] {
  const out = new Findings();
  checkFile(file, out);
  for (const t of file.tables) {
    checkStructure(file, t, out);
    if (t.extname === 'OI_TARGET') checkTarget(t, out);
    else if (t.extname === 'OI_ARRAY') checkArray(t, out);
    else if (t.extname === 'OI_WAVELENGTH') checkWavelength(t, out);
    else if (t.extname === 'OI_CORR') checkCorr(t, out);
    else if (isDataTable(t)) checkData(file, t, out);
  }
  return out.list;
}
