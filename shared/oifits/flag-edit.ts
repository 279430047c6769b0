/**
 * Reviewer flags on single points: choosing points by rule ("SNR < 3", "wave < 0.62 µm",
 * "baseline = S1-E1 and V2 > 1") and writing their FLAG elements (OIFITS `FLAG`, T = bad) into
 * the file's bytes. Only the FLAG bytes of the touched rows change; each touched HDU's
 * CHECKSUM/DATASUM are recomputed where present (their cards rewritten in place, so no byte moves),
 * and the primary header records who, when, how many and why (docs/review.md, "Per-point flags").
 */
import { dataUnitSum, encodeChecksum, foldAdd, onesComplementSum32, verifyHduChecksum } from './checksum';
import type { FitsFile } from './fits-file';
import { FITS_CARD_BYTES } from './fits-header';
import { editPrimaryHeader, formatCard, splitText, toFitsAscii } from './header-write';
import { isDataTable, type OiDataTable, type OiFitsFile } from './model';
import { arrayFor, numericColumn, stationLabel, wavelengthFor } from './read';

/** One FLAG element: HDU index, 0-based row, 0-based channel. */
export interface PointRef {
  hdu: number;
  row: number;
  channel: number;
}

/** A FLAG element to set. */
export interface FlagEdit extends PointRef {
  flag: boolean;
}

/** A FLAG element that changed, with its value before. */
export interface FlagChange extends PointRef {
  before: boolean;
  after: boolean;
}

/** Who made an edit, when and why: recorded in the primary header. */
export interface FlagEditRecord {
  reviewer: string;
  atMs: number;
  reason: string;
  /** The rule that chose the points, if any. */
  rule?: string;
  /** `undo` when this edit restores earlier values. */
  kind?: 'flag' | 'undo';
}

/** A rule that cannot be read: the message names the clause. */
export class FlagRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagRuleError';
  }
}

type Field = 'snr' | 'wave' | 'value' | 'err' | 'baseline' | 'table' | 'mjd' | 'sf';
type Op = '<' | '<=' | '>' | '>=' | '=' | '!=';
interface Clause {
  field: Field;
  op: Op;
  number: number | null;
  text: string | null;
}

const FIELD_NAMES: Record<string, Field> = {
  snr: 'snr',
  wave: 'wave', wavelength: 'wave', lambda: 'wave', channel: 'wave', channels: 'wave', 'eff_wave': 'wave',
  value: 'value', y: 'value', v2: 'value', vis2: 'value', vis2data: 'value', visamp: 'value', t3phi: 'value', t3amp: 'value', flux: 'value',
  err: 'err', error: 'err',
  baseline: 'baseline', triangle: 'baseline', station: 'baseline', stations: 'baseline',
  table: 'table', extname: 'table',
  mjd: 'mjd',
  sf: 'sf', frequency: 'sf',
};

/** Units accepted after a number, as factors to the field's unit (µm for wave, Mλ for sf). */
const UNITS: Record<string, number> = { um: 1, 'µm': 1, micron: 1, microns: 1, nm: 1e-3, m: 1e6, ml: 1, 'mλ': 1 };

/** Parse a rule: clauses `field op value` joined by `and`. */
export function parseFlagRule(rule: string): Clause[] {
  const parts = rule.split(/\s+and\s+|\s*&&\s*/i).map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new FlagRuleError('the rule is empty (e.g. "SNR < 3" or "wave < 0.62 um")');
  return parts.map((part) => {
    const m = /^([A-Za-z_0-9]+)\s*(<=|>=|!=|==|=|<|>)\s*(.+)$/.exec(part);
    if (!m) throw new FlagRuleError(`"${part}": expected FIELD OP VALUE, e.g. "SNR < 3"`);
    const field = FIELD_NAMES[m[1].toLowerCase()];
    if (!field) throw new FlagRuleError(`"${part}": unknown field ${m[1]} (use snr, wave, value, err, baseline, table, mjd or sf)`);
    const op = (m[2] === '==' ? '=' : m[2]) as Op;
    const raw = m[3].trim();
    if (field === 'baseline' || field === 'table') {
      if (op !== '=' && op !== '!=') throw new FlagRuleError(`"${part}": ${m[1]} compares with = or != only`);
      return { field, op, number: null, text: raw.replace(/^["']|["']$/g, '').toUpperCase() };
    }
    const n = /^(-?[0-9.]+(?:e[-+]?\d+)?)\s*([A-Za-zµλ]*)$/i.exec(raw);
    if (!n || !Number.isFinite(Number(n[1]))) throw new FlagRuleError(`"${part}": ${raw} is not a number`);
    let value = Number(n[1]);
    if (n[2]) {
      const factor = UNITS[n[2].toLowerCase()];
      if (factor === undefined || (field !== 'wave' && field !== 'sf')) throw new FlagRuleError(`"${part}": unit ${n[2]} does not apply to ${m[1]}`);
      value *= factor;
    }
    return { field, op, number: value, text: null };
  });
}

/** Main data and error columns whose ratio is a table's SNR (its amplitude). */
const MAIN: Record<OiDataTable['extname'], [string, string]> = {
  OI_VIS2: ['VIS2DATA', 'VIS2ERR'],
  OI_VIS: ['VISAMP', 'VISAMPERR'],
  OI_T3: ['T3AMP', 'T3AMPERR'],
  OI_FLUX: ['FLUXDATA', 'FLUXERR'],
};

function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '=': return a === b;
    case '!=': return a !== b;
  }
}

/**
 * The points of `file` a rule chooses, over every data table (OI_VIS2, OI_VIS, OI_T3, OI_FLUX;
 * narrow with `table = OI_VIS2`). SNR and value are those of each table's amplitude (VIS2DATA,
 * VISAMP, T3AMP, FLUXDATA); a point whose field is NaN never matches. Points already flagged are
 * included (setting them is a no-op).
 */
export function selectPoints(file: OiFitsFile, rule: string): PointRef[] {
  const clauses = parseFlagRule(rule);
  const out: PointRef[] = [];
  for (const t of file.tables) {
    if (!isDataTable(t) || t.nwave === 0) continue;
    if (!clauses.every((c) => c.field !== 'table' || (c.op === '=') === (t.extname === c.text))) continue;
    const wave = wavelengthFor(file, t.insname);
    const [dataName, errName] = MAIN[t.extname];
    const data = numericColumn(t.table, dataName) ?? (t.extname === 'OI_FLUX' ? numericColumn(t.table, 'FLUX') : undefined);
    const err = numericColumn(t.table, errName);
    const array = arrayFor(file, t.arrname);
    const isT3 = t.extname === 'OI_T3';
    const u = numericColumn(t.table, isT3 ? 'U1COORD' : 'UCOORD');
    const v = numericColumn(t.table, isT3 ? 'V1COORD' : 'VCOORD');
    const u2 = isT3 ? numericColumn(t.table, 'U2COORD') : undefined;
    const v2 = isT3 ? numericColumn(t.table, 'V2COORD') : undefined;
    for (let r = 0; r < t.rows; r++) {
      let label: string | null = null;
      let baselineM = NaN;
      if (clauses.some((c) => c.field === 'baseline')) label = stationLabel(array, t.staIndex.subarray(r * t.staPerRow, (r + 1) * t.staPerRow)).toUpperCase();
      if (clauses.some((c) => c.field === 'sf') && u && v) {
        if (isT3 && u2 && v2) {
          baselineM = Math.max(Math.hypot(u[r], v[r]), Math.hypot(u2[r], v2[r]), Math.hypot(u[r] + u2[r], v[r] + v2[r]));
        } else baselineM = Math.hypot(u[r], v[r]);
      }
      for (let j = 0; j < t.nwave; j++) {
        const i = r * t.nwave + j;
        const lambdaUm = (wave?.effWaveM[j] ?? NaN) * 1e6;
        const ok = clauses.every((c) => {
          switch (c.field) {
            case 'table': return true;
            case 'baseline': return (c.op === '=') === (label === c.text);
            case 'snr': return compare((data?.[i] ?? NaN) / (err?.[i] ?? NaN), c.op, c.number as number);
            case 'value': return compare(data?.[i] ?? NaN, c.op, c.number as number);
            case 'err': return compare(err?.[i] ?? NaN, c.op, c.number as number);
            case 'wave': return compare(lambdaUm, c.op, c.number as number);
            case 'mjd': return compare(t.mjd[r], c.op, c.number as number);
            case 'sf': return compare(baselineM / (lambdaUm * 1e-6) / 1e6, c.op, c.number as number);
          }
        });
        if (ok) out.push({ hdu: t.hduIndex, row: r, channel: j });
      }
    }
  }
  return out;
}

/** Rewrite CHECKSUM/DATASUM of a non-primary HDU in place (same records, so no byte moves). */
function resignHdu(bytes: Uint8Array, file: FitsFile, hduIndex: number, stamp: string): void {
  const hdu = file.hdus[hduIndex];
  const checksumCard = hdu.header.cards.find((c) => c.key === 'CHECKSUM');
  const datasumCard = hdu.header.cards.find((c) => c.key === 'DATASUM');
  if (!checksumCard && !datasumCard) return;
  const write = (recordIndex: number, text: string) => {
    const at = hdu.headerOffset + recordIndex * FITS_CARD_BYTES;
    for (let j = 0; j < FITS_CARD_BYTES; j++) bytes[at + j] = text.charCodeAt(j);
  };
  const dataSum = dataUnitSum({ ...file, bytes }, hdu);
  if (datasumCard) write(datasumCard.recordIndex, formatCard('DATASUM', String(dataSum), `data unit checksum updated ${stamp}`));
  if (checksumCard) {
    write(checksumCard.recordIndex, formatCard('CHECKSUM', '0000000000000000', `HDU checksum updated ${stamp}`));
    const total = foldAdd(onesComplementSum32(bytes, hdu.headerOffset, hdu.dataOffset), dataSum);
    const encoded = encodeChecksum(total);
    const at = hdu.headerOffset + checksumCard.recordIndex * FITS_CARD_BYTES + 11;
    for (let j = 0; j < 16; j++) bytes[at + j] = encoded.charCodeAt(j);
  }
}

/** Primary-header keywords of the latest per-point flag edit. */
export const FLAG_EDIT_KEYWORDS = { reviewer: 'FLAGEDIT REVIEWER', date: 'FLAGEDIT DATE', count: 'FLAGEDIT COUNT', reason: 'FLAGEDIT REASON' } as const;

/** What `applyFlagEdits` produced. */
export interface FlagEditResult {
  bytes: Uint8Array;
  changes: FlagChange[];
  /** HDUs whose CHECKSUM/DATASUM did not verify before the edit (re-signed; a HISTORY card says so). */
  priorChecksumInvalid: number[];
  /** Changed elements per table, in HDU order (so every count shown can say which tables). */
  tables: { extname: string; hdu: number; count: number }[];
}

/**
 * Set FLAG elements of `file` (parsed from `bytes`) and record the edit in the primary header.
 * Elements that already hold the wanted value are left alone and not counted. Throws when an
 * edit names an HDU that is not a data table, a row or channel out of range, or a table whose
 * FLAG column is missing or not logical.
 */
export function applyFlagEdits(file: OiFitsFile, edits: readonly FlagEdit[], record: FlagEditRecord): FlagEditResult {
  const bytes = new Uint8Array(file.fits.bytes);
  const byHdu = new Map<number, OiDataTable>();
  for (const t of file.tables) if (isDataTable(t)) byHdu.set(t.hduIndex, t);
  const changes: FlagChange[] = [];
  const touched = new Set<number>();
  for (const e of edits) {
    const t = byHdu.get(e.hdu);
    if (!t) throw new Error(`HDU ${e.hdu} is not an OI_VIS, OI_VIS2, OI_T3 or OI_FLUX table`);
    const col = t.table.column('FLAG');
    if (!col || col.tform.code !== 'L') throw new Error(`${t.extname} (HDU ${e.hdu}) has no logical FLAG column`);
    if (!Number.isInteger(e.row) || e.row < 0 || e.row >= t.rows) throw new Error(`${t.extname} (HDU ${e.hdu}): row ${e.row} is outside 0..${t.rows - 1}`);
    if (!Number.isInteger(e.channel) || e.channel < 0 || e.channel >= col.repeat) throw new Error(`${t.extname} (HDU ${e.hdu}): channel ${e.channel} is outside 0..${col.repeat - 1}`);
    const hdu = file.fits.hdus[e.hdu];
    const at = hdu.dataOffset + e.row * t.table.rowBytes + col.offsetInRow + e.channel;
    const before = bytes[at] === 0x54;
    if (before === e.flag) continue;
    bytes[at] = e.flag ? 0x54 : 0x46;
    changes.push({ hdu: e.hdu, row: e.row, channel: e.channel, before, after: e.flag });
    touched.add(e.hdu);
  }
  const stamp = new Date(record.atMs).toISOString().slice(0, 19);
  const priorChecksumInvalid: number[] = [];
  for (const h of touched) {
    const status = verifyHduChecksum(file.fits, file.fits.hdus[h]);
    if (status.checksum === 'invalid' || status.datasum === 'invalid') priorChecksumInvalid.push(h);
    resignHdu(bytes, file.fits, h, stamp);
  }
  const tables = [...touched].sort((a, b) => a - b).map((h) => ({ extname: byHdu.get(h)?.extname ?? '?', hdu: h, count: changes.filter((c) => c.hdu === h).length }));
  if (changes.length === 0) return { bytes: file.fits.bytes, changes, priorChecksumInvalid, tables };
  const perTable = tables.map((t) => `${t.extname} HDU ${t.hdu}: ${t.count}`).join(', ');
  const set = changes.filter((c) => c.after).length;
  const cleared = changes.length - set;
  const what = [set ? `FLAG=T on ${set}` : '', cleared ? `FLAG=F on ${cleared}` : ''].filter(Boolean).join(', ');
  const history = `FLAGEDIT ${stamp} ${toFitsAscii(record.reviewer)}: ${record.kind === 'undo' ? 'undo, ' : ''}${what} point(s) (${perTable})` +
    `${record.rule ? ` rule "${record.rule}"` : ''}${record.reason ? `: ${record.reason}` : ''}`;
  const reason = splitText(record.reason || (record.kind === 'undo' ? 'undo' : ''), 40)[0] ?? '';
  const edited = editPrimaryHeader(bytes, {
    set: [
      { key: FLAG_EDIT_KEYWORDS.reviewer, value: record.reviewer.slice(0, 40), comment: 'last per-point FLAG edit by' },
      { key: FLAG_EDIT_KEYWORDS.date, value: stamp, comment: 'last per-point FLAG edit (UTC)' },
      { key: FLAG_EDIT_KEYWORDS.count, value: changes.length, comment: 'FLAG elements changed by it' },
      ...(reason ? [{ key: FLAG_EDIT_KEYWORDS.reason, value: reason, comment: 'why' }] : []),
    ],
    remove: reason ? [] : [FLAG_EDIT_KEYWORDS.reason],
    addHistory: [
      history,
      ...priorChecksumInvalid.map((h) => `${stamp} HDU ${h} CHECKSUM/DATASUM did not verify before this FLAG edit; re-signed by SPICA Companion`),
    ],
    checksumComment: `HDU checksum updated ${stamp}`,
  });
  return { bytes: edited, changes, priorChecksumInvalid, tables };
}

/** Current FLAG values of points (true = flagged), for undo records and checks. */
export function flagValues(file: OiFitsFile, points: readonly PointRef[]): boolean[] {
  const byHdu = new Map<number, OiDataTable>();
  for (const t of file.tables) if (isDataTable(t)) byHdu.set(t.hduIndex, t);
  return points.map((p) => {
    const t = byHdu.get(p.hdu);
    return t ? t.flag[p.row * t.nwave + p.channel] === 1 : false;
  });
}
