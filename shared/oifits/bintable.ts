/**
 * BINTABLE decoding: TFORM parsing and big-endian column decoding into typed arrays, with
 * TSCAL/TZERO applied and TDIM kept. Columns are decoded on demand so a viewer that only needs
 * a few columns does not pay for the others.
 */
import { FitsError } from './fits-error';
import type { FitsHdu } from './fits-file';

/** TFORM type codes of the FITS standard (Table 18). */
export type TformCode = 'L' | 'X' | 'B' | 'I' | 'J' | 'K' | 'A' | 'E' | 'D' | 'C' | 'M' | 'P' | 'Q';

const CODE_BYTES: Record<TformCode, number> = { L: 1, X: 1, B: 1, I: 2, J: 4, K: 8, A: 1, E: 4, D: 8, C: 8, M: 16, P: 8, Q: 16 };

/** A parsed TFORMn. */
export interface Tform {
  repeat: number;
  code: TformCode;
  /** Text after the code (element type of P/Q descriptors, or `A` sub-string width). */
  rest: string;
}

/** Parse a TFORM value such as `15D`, `2I`, `16A`, `1PE(20)`. */
export function parseTform(text: string): Tform | undefined {
  const m = /^\s*(\d*)([LXBIJKAEDCMPQ])(.*)$/.exec(text.toUpperCase());
  if (!m) return undefined;
  const repeat = m[1] === '' ? 1 : Number(m[1]);
  // A repeat beyond 2^53 cannot describe bytes of a real row; the row-width check reports it.
  if (!Number.isSafeInteger(repeat)) return undefined;
  return { repeat, code: m[2] as TformCode, rest: m[3].trim() };
}

/** One column of a binary table. */
export interface ColumnInfo {
  /** 1-based column number (n of TTYPEn). */
  number: number;
  /** TTYPE upper-cased and trimmed. */
  name: string;
  tform: Tform;
  /** Elements per row (characters for A, bits for X, re/im pairs count as one for C/M). */
  repeat: number;
  /** Byte offset of the column inside a row. */
  offsetInRow: number;
  /** Bytes per row. */
  width: number;
  unit: string | undefined;
  /** TDIM as integers (fastest-varying first), when present. */
  dims: number[] | undefined;
  scale: number;
  zero: number;
}

/** Decoded values of a column, flattened row-major: element j of row r is at `r * repeat + j`. */
export type ColumnValues =
  | { kind: 'number'; values: Float64Array; repeat: number }
  | { kind: 'int'; values: Int32Array; repeat: number }
  | { kind: 'logical'; values: Uint8Array; repeat: number }
  | { kind: 'complex'; values: Float64Array; repeat: number }
  | { kind: 'string'; values: string[]; repeat: 1 };

/** FITS standard §7.3.1: a table has at most 999 fields. */
const MAX_TFIELDS = 999;

/** Values of a logical cell: 1 = T, 0 = F, 2 = undefined (byte 0 in the file). */
export const LOGICAL_TRUE = 1;
/** See LOGICAL_TRUE. */
export const LOGICAL_UNDEFINED = 2;

/** A binary table HDU with its column layout and on-demand decoding. */
export class BinTable {
  readonly columns: ColumnInfo[];
  readonly rows: number;
  readonly rowBytes: number;
  private readonly byName = new Map<string, ColumnInfo>();
  private readonly cache = new Map<string, ColumnValues>();

  constructor(
    readonly hdu: FitsHdu,
    private readonly bytes: Uint8Array,
  ) {
    const h = hdu.header;
    if (hdu.xtension !== 'BINTABLE') {
      throw new FitsError(`expected a BINTABLE, found XTENSION='${hdu.xtension}'`, hdu.index, hdu.headerOffset);
    }
    // The structure reader checked NAXIS1 × NAXIS2 against the file's real size; what is left is
    // what it cannot see: TFIELDS drives a loop, and rows of zero bytes cost nothing on disk.
    this.rowBytes = h.number('NAXIS1') ?? 0;
    this.rows = h.number('NAXIS2') ?? 0;
    const tfields = h.number('TFIELDS') ?? 0;
    if (!Number.isSafeInteger(tfields) || tfields < 0 || tfields > MAX_TFIELDS) {
      throw new FitsError(`TFIELDS = ${tfields} is outside 0..${MAX_TFIELDS}`, hdu.index, hdu.headerOffset);
    }
    if (this.rowBytes === 0 && this.rows > 0) {
      throw new FitsError(`NAXIS2 = ${this.rows} rows of NAXIS1 = 0 bytes: the table holds no data`, hdu.index, hdu.headerOffset);
    }
    const columns: ColumnInfo[] = [];
    let offset = 0;
    for (let n = 1; n <= tfields; n++) {
      const tformText = h.string(`TFORM${n}`);
      const tform = tformText === undefined ? undefined : parseTform(tformText);
      if (!tform) {
        throw new FitsError(`column ${n}: TFORM${n} ${tformText === undefined ? 'is missing' : `'${tformText}' is not valid`}`, hdu.index, hdu.headerOffset);
      }
      const width = tform.code === 'X' ? Math.ceil(tform.repeat / 8) : tform.repeat * CODE_BYTES[tform.code];
      const tdim = h.string(`TDIM${n}`);
      const dims = tdim ? tdim.replace(/[()\s]/g, '').split(',').filter(Boolean).map(Number) : undefined;
      const info: ColumnInfo = {
        number: n,
        name: (h.string(`TTYPE${n}`) ?? `COL${n}`).trim().toUpperCase(),
        tform,
        repeat: tform.repeat,
        offsetInRow: offset,
        width,
        unit: h.string(`TUNIT${n}`)?.trim() || undefined,
        dims,
        scale: h.number(`TSCAL${n}`) ?? 1,
        zero: h.number(`TZERO${n}`) ?? 0,
      };
      columns.push(info);
      if (!this.byName.has(info.name)) this.byName.set(info.name, info);
      offset += width;
    }
    if (offset !== this.rowBytes) {
      throw new FitsError(`columns take ${offset} bytes per row but NAXIS1 = ${this.rowBytes}`, hdu.index, hdu.headerOffset);
    }
    this.columns = columns;
  }

  /** Column layout by name (case-insensitive), or undefined. */
  column(name: string): ColumnInfo | undefined {
    return this.byName.get(name.toUpperCase());
  }

  /** Whether the table has a column of this name. */
  has(name: string): boolean {
    return this.byName.has(name.toUpperCase());
  }

  /** Decode a column (cached). Throws FitsError naming the column when it is absent or unsupported. */
  read(name: string): ColumnValues {
    const key = name.toUpperCase();
    const cached = this.cache.get(key);
    if (cached) return cached;
    const info = this.byName.get(key);
    if (!info) throw new FitsError(`${this.hdu.extname || 'table'} has no column ${key}`, this.hdu.index, this.hdu.headerOffset);
    const values = decodeColumn(this.bytes, this.hdu, this.rows, this.rowBytes, info);
    this.cache.set(key, values);
    return values;
  }

  /** Decode every column once (used by the benchmark to match astropy reading all data). */
  readAll(): void {
    for (const c of this.columns) {
      if (c.tform.code !== 'P' && c.tform.code !== 'Q') this.read(c.name);
    }
  }
}

function decodeColumn(bytes: Uint8Array, hdu: FitsHdu, rows: number, rowBytes: number, info: ColumnInfo): ColumnValues {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base = hdu.dataOffset + info.offsetInRow;
  const { code } = info.tform;
  const repeat = info.repeat;
  const n = rows * repeat;
  const scaled = info.scale !== 1 || info.zero !== 0;
  switch (code) {
    case 'A': {
      const out: string[] = new Array(rows);
      for (let r = 0; r < rows; r++) {
        const start = base + r * rowBytes;
        let end = start + repeat;
        // NUL ends a FITS string; trailing blanks are insignificant.
        for (let i = start; i < end; i++) {
          if (bytes[i] === 0) {
            end = i;
            break;
          }
        }
        let s = '';
        for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
        out[r] = s.trimEnd();
      }
      return { kind: 'string', values: out, repeat: 1 };
    }
    case 'L': {
      const out = new Uint8Array(n);
      for (let r = 0; r < rows; r++) {
        const start = base + r * rowBytes;
        for (let j = 0; j < repeat; j++) {
          const b = bytes[start + j];
          out[r * repeat + j] = b === 0x54 ? LOGICAL_TRUE : b === 0x46 ? 0 : LOGICAL_UNDEFINED;
        }
      }
      return { kind: 'logical', values: out, repeat };
    }
    case 'X': {
      const out = new Uint8Array(n);
      for (let r = 0; r < rows; r++) {
        const start = base + r * rowBytes;
        for (let j = 0; j < repeat; j++) out[r * repeat + j] = (bytes[start + (j >> 3)] >> (7 - (j & 7))) & 1;
      }
      return { kind: 'logical', values: out, repeat };
    }
    case 'B':
    case 'I':
    case 'J': {
      const size = code === 'B' ? 1 : code === 'I' ? 2 : 4;
      const ints = new Int32Array(n);
      for (let r = 0; r < rows; r++) {
        let p = base + r * rowBytes;
        const o = r * repeat;
        for (let j = 0; j < repeat; j++, p += size) {
          ints[o + j] = size === 1 ? bytes[p] : size === 2 ? view.getInt16(p, false) : view.getInt32(p, false);
        }
      }
      if (!scaled) return { kind: 'int', values: ints, repeat };
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = ints[i] * info.scale + info.zero;
      return { kind: 'number', values: out, repeat };
    }
    case 'K':
    case 'E':
    case 'D': {
      const out = new Float64Array(n);
      for (let r = 0; r < rows; r++) {
        let p = base + r * rowBytes;
        const o = r * repeat;
        if (code === 'D') for (let j = 0; j < repeat; j++, p += 8) out[o + j] = view.getFloat64(p, false);
        else if (code === 'E') for (let j = 0; j < repeat; j++, p += 4) out[o + j] = view.getFloat32(p, false);
        // 64-bit integers become doubles: exact up to 2^53, which covers every OIFITS use.
        else for (let j = 0; j < repeat; j++, p += 8) out[o + j] = Number(view.getBigInt64(p, false));
      }
      if (scaled) for (let i = 0; i < n; i++) out[i] = out[i] * info.scale + info.zero;
      return { kind: 'number', values: out, repeat };
    }
    case 'C':
    case 'M': {
      const out = new Float64Array(n * 2);
      const size = code === 'C' ? 4 : 8;
      for (let r = 0; r < rows; r++) {
        let p = base + r * rowBytes;
        const o = r * repeat * 2;
        for (let j = 0; j < repeat * 2; j++, p += size) out[o + j] = size === 4 ? view.getFloat32(p, false) : view.getFloat64(p, false);
      }
      return { kind: 'complex', values: out, repeat };
    }
    case 'P':
    case 'Q':
      throw new FitsError(
        `column ${info.name} uses variable-length arrays (TFORM ${info.tform.code}), which OIFITS does not use and this reader does not decode`,
        hdu.index,
        hdu.headerOffset,
      );
  }
}
