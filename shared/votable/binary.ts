/**
 * Decoder of the VOTable BINARY and BINARY2 serialisations (VOTable 1.4 §5.4–5.5): a base64
 * STREAM of big-endian rows, BINARY2 rows led by a bitmap of NULL flags. Cells come out as the
 * strings TABLEDATA would hold ("7.8" for a float 7.8, "1 2 3" for an array), so one pipeline reads
 * both. Every length read from the stream is checked against the bytes left, so a corrupt count
 * is an error naming the row and field, never a giant allocation or a read past the end.
 *
 * Hand-written: no maintained npm package decodes VOTable BINARY (the JavaScript VOTable readers
 * found handle TABLEDATA only), and the format is a few primitive types.
 */
import type { VoField } from './read';

/** An error in a binary stream: the caller turns it into a VoTableError with its location. */
export class BinaryStreamError extends Error {}

const TYPE_SIZES: Record<string, number> = {
  boolean: 1,
  unsignedByte: 1,
  short: 2,
  int: 4,
  long: 8,
  char: 1,
  unicodeChar: 2,
  float: 4,
  double: 8,
  floatComplex: 8,
  doubleComplex: 16,
};

interface Column {
  name: string;
  datatype: string;
  /** Number of primitives, or null for a variable-length array (count read from the stream). */
  count: number | null;
  isScalar: boolean;
  nullValue: string | undefined;
}

/** Number of primitives an arraysize declares: null when variable ("*", "10*", "3x*"). */
function countOf(arraysize: string | undefined, field: string): { count: number | null; isScalar: boolean } {
  if (arraysize === undefined || arraysize.trim() === '') return { count: 1, isScalar: true };
  let count = 1;
  for (const dim of arraysize.trim().split('x')) {
    if (dim.endsWith('*')) return { count: null, isScalar: false };
    const n = Number(dim);
    if (!Number.isInteger(n) || n < 0) throw new BinaryStreamError(`FIELD ${field}: arraysize "${arraysize}" is not valid`);
    count *= n;
  }
  return { count, isScalar: false };
}

function columnsOf(fields: VoField[]): Column[] {
  return fields.map((f) => {
    const datatype = f.datatype ?? '';
    if (!(datatype in TYPE_SIZES) && datatype !== 'bit') {
      throw new BinaryStreamError(`FIELD ${f.name}: datatype "${datatype || '(none)'}" cannot be read from a binary stream`);
    }
    return { name: f.name, datatype, ...countOf(f.arraysize, f.name), nullValue: f.nullValue };
  });
}

/** Shortest decimal text that reads back as the same float32, as Java's Float.toString writes it. */
function formatFloat32(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}

/** Decode base64 text (whitespace allowed) into bytes. */
export function decodeBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text.replace(/\s+/g, ''));
  } catch {
    throw new BinaryStreamError('the STREAM is not valid base64');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

class Reader {
  pos = 0;
  private readonly view: DataView;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private readonly latin1 = new TextDecoder('latin1');

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get isAtEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  need(n: number, what: () => string): void {
    if (this.pos + n > this.bytes.length) {
      throw new BinaryStreamError(`${what()}: the stream ends ${this.pos + n - this.bytes.length} bytes too early`);
    }
  }

  count(what: () => string, itemSize: number): number {
    this.need(4, what);
    const n = this.view.getInt32(this.pos);
    this.pos += 4;
    if (n < 0 || n * itemSize > this.bytes.length - this.pos) {
      throw new BinaryStreamError(`${what()}: array length ${n} does not fit in the ${this.bytes.length - this.pos} bytes left`);
    }
    return n;
  }

  text(n: number, isUnicode: boolean): string {
    let s: string;
    if (isUnicode) {
      s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(this.view.getUint16(this.pos + 2 * i));
      this.pos += 2 * n;
    } else {
      // VOTable `char` is ASCII; writers put either UTF-8 (astropy, DaCHS) or Latin-1 (STIL) bytes
      // beyond it. Valid UTF-8 is read as such, anything else as Latin-1.
      const bytes = this.bytes.subarray(this.pos, this.pos + n);
      try {
        s = this.utf8.decode(bytes);
      } catch {
        s = this.latin1.decode(bytes);
      }
      this.pos += n;
    }
    const nul = s.indexOf('\0');
    return nul >= 0 ? s.slice(0, nul) : s;
  }

  primitive(datatype: string): string | null {
    const v = this.view;
    const p = this.pos;
    this.pos += TYPE_SIZES[datatype];
    switch (datatype) {
      case 'boolean': {
        const c = String.fromCharCode(v.getUint8(p));
        return 'Tt1'.includes(c) ? 'T' : 'Ff0'.includes(c) ? 'F' : null;
      }
      case 'unsignedByte':
        return String(v.getUint8(p));
      case 'short':
        return String(v.getInt16(p));
      case 'int':
        return String(v.getInt32(p));
      case 'long':
        return v.getBigInt64(p).toString();
      case 'float': {
        const x = v.getFloat32(p);
        return Number.isNaN(x) ? null : formatFloat32(x);
      }
      case 'double': {
        const x = v.getFloat64(p);
        return Number.isNaN(x) ? null : String(x);
      }
      case 'floatComplex':
        return `${formatFloat32(v.getFloat32(p))} ${formatFloat32(v.getFloat32(p + 4))}`;
      case 'doubleComplex':
        return `${v.getFloat64(p)} ${v.getFloat64(p + 8)}`;
      default:
        throw new BinaryStreamError(`datatype ${datatype} is not a primitive`);
    }
  }
}

function sameAsNull(cell: string, nullValue: string | undefined): boolean {
  if (nullValue === undefined) return false;
  if (cell === nullValue.trim()) return true;
  const a = Number(cell);
  return Number.isFinite(a) && a === Number(nullValue);
}

function readCell(r: Reader, c: Column, where: () => string): string | null {
  if (c.datatype === 'bit') {
    const n = c.count ?? r.count(where, 1 / 8);
    const nBytes = Math.ceil(n / 8);
    r.need(nBytes, where);
    let bits = '';
    for (let i = 0; i < n; i++) bits += (r.bytes[r.pos + (i >> 3)] >> (7 - (i & 7))) & 1;
    r.pos += nBytes;
    return bits;
  }
  const size = TYPE_SIZES[c.datatype];
  const n = c.count ?? r.count(where, size);
  r.need(n * size, where);
  if (c.datatype === 'char' || c.datatype === 'unicodeChar') {
    const s = r.text(n, c.datatype === 'unicodeChar');
    return s === '' ? null : s;
  }
  if (c.isScalar) {
    const cell = r.primitive(c.datatype);
    return cell === null || sameAsNull(cell, c.nullValue) ? null : cell;
  }
  const items: string[] = [];
  for (let i = 0; i < n; i++) items.push(r.primitive(c.datatype) ?? 'NaN');
  return items.length === 0 ? null : items.join(' ');
}

/**
 * Rows of a BINARY (`isBinary2` false) or BINARY2 stream of `fields`, cells as TABLEDATA strings
 * (null for NULL). Throws `BinaryStreamError` naming the row and field at fault.
 */
export function decodeBinaryRows(bytes: Uint8Array, fields: VoField[], isBinary2: boolean): Array<Array<string | null>> {
  const columns = columnsOf(fields);
  const r = new Reader(bytes);
  const rows: Array<Array<string | null>> = [];
  const flagBytes = Math.ceil(columns.length / 8);
  while (!r.isAtEnd) {
    const rowNumber = rows.length + 1;
    let flags: Uint8Array | null = null;
    if (isBinary2) {
      r.need(flagBytes, () => `row ${rowNumber}: NULL flags`);
      flags = bytes.subarray(r.pos, r.pos + flagBytes);
      r.pos += flagBytes;
    }
    const cells: Array<string | null> = [];
    columns.forEach((c, j) => {
      const cell = readCell(r, c, () => `row ${rowNumber}, field ${c.name}`);
      const isFlaggedNull = flags !== null && ((flags[j >> 3] >> (7 - (j & 7))) & 1) === 1;
      cells.push(isFlaggedNull ? null : cell);
    });
    rows.push(cells);
  }
  return rows;
}
