/**
 * Canonical values of SPICA-DB cells, so that a value read over TAP, a value the catalog API
 * stored and a value typed here compare equal when JMMC would store them alike (sync.md §4.6):
 * - text goes through XPath `normalize-space` (the API applies it to every value it writes:
 *   oidb `sql-utils:escape`), and "" is NULL (TABLEDATA cannot tell them apart);
 * - numbers are parsed; single-precision columns compare with a relative tolerance of 1e-6;
 * - integer NULL sentinels (`VALUES@null`) are already NULL when the VOTable reader hands cells over;
 * - JSON text columns (`model`) compare as parsed JSON.
 */

export type CanonValue = string | number | boolean | null;
export type CanonRow = Record<string, CanonValue>;

/** How a column's values are canonicalised, from its VOTable FIELD. */
export type ColumnKind = 'int' | 'float' | 'double' | 'boolean' | 'text' | 'json';

/** One column of a pulled table: its name (lower case) and kind. */
export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
}

/** XPath `normalize-space`: runs of space, tab, CR and LF become one space; leading and trailing ones go. */
export function normalizeSpace(text: string): string {
  return text.replace(/[\x20\x09\x0D\x0A]+/g, ' ').trim();
}

/** Columns whose text is JSON (compared parsed). */
const JSON_COLUMNS = new Set(['model']);

/** The kind of a column from its VOTable datatype and name. */
export function columnKind(name: string, datatype: string | undefined): ColumnKind {
  switch ((datatype ?? 'char').toLowerCase()) {
    case 'short':
    case 'int':
    case 'long':
    case 'unsignedbyte':
      return 'int';
    case 'float':
      return 'float';
    case 'double':
      return 'double';
    case 'boolean':
      return 'boolean';
    default:
      return JSON_COLUMNS.has(name.toLowerCase()) ? 'json' : 'text';
  }
}

function canonJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/**
 * The canonical value of one cell given as TAP text (null for NULL) or as a JSON value the user
 * typed. A number that does not parse stays as its normalised text, so nothing is lost silently.
 */
export function canonValue(kind: ColumnKind, value: unknown): CanonValue {
  if (value === null || value === undefined) return null;
  if (kind === 'boolean') {
    if (typeof value === 'boolean') return value;
    const t = normalizeSpace(String(value)).toLowerCase();
    if (t === '') return null;
    if (t === 'true' || t === 't' || t === '1') return true;
    if (t === 'false' || t === 'f' || t === '0') return false;
    return t;
  }
  if (kind === 'int' || kind === 'float' || kind === 'double') {
    if (typeof value === 'number') return Number.isFinite(value) ? (kind === 'int' ? Math.trunc(value) : value) : null;
    const t = normalizeSpace(String(value));
    if (t === '' || /^nan$/i.test(t)) return null;
    const n = Number(t);
    return Number.isFinite(n) ? n : t;
  }
  const t = normalizeSpace(typeof value === 'string' ? value : JSON.stringify(value));
  if (t === '') return null;
  return kind === 'json' ? canonJson(t) : t;
}

/** Whether two canonical values of a column of `kind` are the same for JMMC. */
export function sameCanon(kind: ColumnKind, a: CanonValue, b: CanonValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (kind === 'float' && typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
  }
  return false;
}

/** The canonical row of TAP cells (`cells[i]` for `columns[i]`). */
export function canonRow(columns: ColumnSpec[], cells: Array<string | null>): CanonRow {
  const row: CanonRow = {};
  columns.forEach((c, i) => {
    row[c.name] = canonValue(c.kind, cells[i]);
  });
  return row;
}

/** Column specs of a table's fields (names lower-cased, as the catalog API and SQL see them). */
export function columnSpecs(fields: Array<{ name: string; datatype?: string }>): ColumnSpec[] {
  return fields.map((f) => ({ name: f.name.toLowerCase(), kind: columnKind(f.name, f.datatype) }));
}

/** Stable JSON of a canonical row (keys sorted), the text that is hashed and stored as the base. */
export function stableRowJson(row: CanonRow): string {
  const keys = Object.keys(row).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(row[k])}`).join(',')}}`;
}
