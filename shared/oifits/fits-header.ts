/**
 * FITS header cards: parsing of 80-character cards (standard, HIERARCH, CONTINUE long strings)
 * into a header that keeps every card in file order, with no limit on the card count.
 */
import { FitsError } from './fits-error';

/** FITS block size in bytes: headers and data units are padded to a multiple of it. */
export const FITS_BLOCK_BYTES = 2880;
/** Length of one header card in bytes. */
export const FITS_CARD_BYTES = 80;

/** A keyword value as written: strings unquoted, logicals as booleans, numbers as numbers. */
export type FitsValue = string | number | boolean;

/** One logical header card (a CONTINUE chain counts as one card spanning several records). */
export interface FitsCard {
  /** Keyword without the `HIERARCH ` prefix, upper case as written (e.g. `ESO DET DIT`). */
  key: string;
  /** True for `HIERARCH` cards. */
  isHierarch: boolean;
  /** Parsed value; undefined for commentary cards (COMMENT, HISTORY, blank) and empty values. */
  value: FitsValue | undefined;
  /** The text after `/`, or the whole text of a commentary card. */
  comment: string;
  /** Index of the first 80-character record of this card in the header. */
  recordIndex: number;
  /** How many records the card spans (more than 1 with CONTINUE). */
  recordCount: number;
}

const COMMENTARY_KEYS = new Set(['COMMENT', 'HISTORY', '']);

/** A parsed header: cards in file order and fast lookup of the first card of each keyword. */
export class FitsHeader {
  private readonly firstByKey = new Map<string, FitsCard>();

  constructor(
    /** Every logical card except END, in order. */
    readonly cards: FitsCard[],
    /** Number of 80-character records up to and including END. */
    readonly recordCount: number,
  ) {
    for (const card of cards) {
      if (!COMMENTARY_KEYS.has(card.key) && !this.firstByKey.has(card.key)) this.firstByKey.set(card.key, card);
    }
  }

  /** First card for `key` (a `HIERARCH ` prefix is accepted and ignored), or undefined. */
  card(key: string): FitsCard | undefined {
    return this.firstByKey.get(normaliseKey(key));
  }

  /** Value of the first card for `key`, or undefined. Duplicate keywords keep the first, like astropy. */
  get(key: string): FitsValue | undefined {
    return this.card(key)?.value;
  }

  /** String value of `key` with trailing blanks removed, or undefined when absent or not a string. */
  string(key: string): string | undefined {
    const v = this.get(key);
    return typeof v === 'string' ? v : undefined;
  }

  /** Numeric value of `key`, or undefined when absent or not a number. */
  number(key: string): number | undefined {
    const v = this.get(key);
    return typeof v === 'number' ? v : undefined;
  }

  /** Whether the keyword is present. */
  has(key: string): boolean {
    return this.firstByKey.has(normaliseKey(key));
  }
}

/** Upper-cases a keyword and strips a leading `HIERARCH `. */
export function normaliseKey(key: string): string {
  const k = key.trim().toUpperCase();
  return k.startsWith('HIERARCH ') ? k.slice(9).trim() : k;
}

interface RawCard {
  key: string;
  isHierarch: boolean;
  valueText: string | undefined;
}

/** Split one record into keyword and the text after the value indicator, if any. */
function splitRecord(record: string): RawCard {
  if (record.startsWith('HIERARCH ')) {
    const eq = record.indexOf('=');
    if (eq > 0) {
      return { key: record.slice(9, eq).trim().toUpperCase(), isHierarch: true, valueText: record.slice(eq + 1) };
    }
    return { key: 'HIERARCH', isHierarch: false, valueText: undefined };
  }
  const key = record.slice(0, 8).trimEnd().toUpperCase();
  if (record.slice(8, 10) === '= ' && !COMMENTARY_KEYS.has(key)) {
    return { key, isHierarch: false, valueText: record.slice(10) };
  }
  return { key, isHierarch: false, valueText: undefined };
}

interface ParsedValue {
  value: FitsValue | undefined;
  comment: string;
  /** Raw string value (before trimming), needed for CONTINUE's trailing `&`. */
  rawString?: string;
}

/** Parse the value field: quoted string (with `''` escapes), logical, number, or raw text. */
function parseValue(text: string): ParsedValue {
  const t = text.trimStart();
  if (t.startsWith("'")) {
    let i = 1;
    let out = '';
    for (; i < t.length; i++) {
      const ch = t[i];
      if (ch === "'") {
        if (t[i + 1] === "'") {
          out += "'";
          i++;
          continue;
        }
        break;
      }
      out += ch;
    }
    const rest = t.slice(i + 1);
    const slash = rest.indexOf('/');
    const comment = slash >= 0 ? rest.slice(slash + 1).trim() : '';
    return { value: out.trimEnd(), comment, rawString: out };
  }
  const slash = t.indexOf('/');
  const valuePart = (slash >= 0 ? t.slice(0, slash) : t).trim();
  const comment = slash >= 0 ? t.slice(slash + 1).trim() : '';
  if (valuePart === '') return { value: undefined, comment };
  if (valuePart === 'T') return { value: true, comment };
  if (valuePart === 'F') return { value: false, comment };
  const numeric = Number(valuePart.replace(/[dD]/, 'E'));
  if (valuePart !== '' && Number.isFinite(numeric)) return { value: numeric, comment };
  return { value: valuePart, comment };
}

/** Characters of `bytes[start, end)` as a string, one char per byte (FITS headers are ASCII). */
export function asciiSlice(bytes: Uint8Array, start: number, end: number): string {
  return latin1.decode(bytes.subarray(start, end));
}

const latin1 = new TextDecoder('latin1');

/** Result of scanning a header in a byte buffer. */
export interface ScannedHeader {
  header: FitsHeader;
  /** Absolute offset of the first byte after the padded header (start of the data unit). */
  dataOffset: number;
}

/**
 * Scan a header starting at `offset`: read 2880-byte blocks until the END card. Never reads past
 * the buffer; a missing END or a short block raises a FitsError with the HDU and offset.
 */
export function scanHeader(bytes: Uint8Array, offset: number, hduIndex: number): ScannedHeader {
  const records: string[] = [];
  let pos = offset;
  const expected = hduIndex === 0 ? 'SIMPLE' : 'XTENSION';
  if (bytes.length - offset >= 8 && asciiSlice(bytes, offset, offset + 8).trimEnd() !== expected) {
    // The bytes of a file that is not FITS at all (a password file, a key) are never echoed.
    if (hduIndex === 0) throw new FitsError('not a FITS file (it does not start with a SIMPLE card)', hduIndex, offset);
    throw new FitsError(`expected a ${expected} card, found "${asciiSlice(bytes, offset, offset + 8).replace(/[^\x20-\x7e]/g, '?')}"`, hduIndex, offset);
  }
  for (;;) {
    if (pos + FITS_BLOCK_BYTES > bytes.length) {
      throw new FitsError(
        pos >= bytes.length
          ? 'file ends before the END card of the header'
          : `header block is truncated (${bytes.length - pos} of ${FITS_BLOCK_BYTES} bytes) and has no END card`,
        hduIndex,
        pos,
      );
    }
    const block = asciiSlice(bytes, pos, pos + FITS_BLOCK_BYTES);
    for (let r = 0; r < FITS_BLOCK_BYTES; r += FITS_CARD_BYTES) {
      const record = block.slice(r, r + FITS_CARD_BYTES);
      // Header text is ASCII; control bytes mean we ran into a data unit (END missing or corrupt).
      if (/[\x00-\x1f]/.test(record)) {
        throw new FitsError('header contains binary bytes before any END card (END missing or header corrupt)', hduIndex, pos + r);
      }
      if (record.startsWith('END') && record.slice(3).trim() === '') {
        return { header: new FitsHeader(parseRecords(records), records.length + 1), dataOffset: pos + FITS_BLOCK_BYTES };
      }
      records.push(record);
    }
    pos += FITS_BLOCK_BYTES;
  }
}

/** Turn raw records into logical cards, joining CONTINUE chains of long strings. */
export function parseRecords(records: string[]): FitsCard[] {
  const cards: FitsCard[] = [];
  // Pieces of the open CONTINUE chain are joined once when it ends: joining at every record
  // would copy the growing string each time, quadratic in a hostile header of CONTINUE cards.
  let open: { card: FitsCard; pieces: string[]; comments: string[] } | undefined;
  const close = (): void => {
    if (!open) return;
    open.card.value = open.pieces.join('').trimEnd().replace(/&$/, '');
    if (open.comments.length > 0) open.card.comment = open.comments.join(' ');
    open = undefined;
  };
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (open && record.startsWith('CONTINUE')) {
      const parsed = parseValue(record.slice(8));
      if (parsed.rawString !== undefined) {
        const last = open.pieces.length - 1;
        open.pieces[last] = open.pieces[last].replace(/&\s*$/, '');
        open.pieces.push(parsed.rawString);
        if (parsed.comment) open.comments.push(parsed.comment);
        open.card.recordCount++;
        if (!/&\s*$/.test(parsed.rawString)) close();
        continue;
      }
    }
    close();
    const raw = splitRecord(record);
    if (raw.valueText === undefined) {
      const text = raw.key === 'HIERARCH' ? record.slice(9) : record.slice(8);
      cards.push({ key: raw.key, isHierarch: false, value: undefined, comment: text.trimEnd(), recordIndex: i, recordCount: 1 });
      continue;
    }
    const parsed = parseValue(raw.valueText);
    const card: FitsCard = {
      key: raw.key,
      isHierarch: raw.isHierarch,
      value: parsed.value,
      comment: parsed.comment,
      recordIndex: i,
      recordCount: 1,
    };
    cards.push(card);
    if (parsed.rawString !== undefined && /&\s*$/.test(parsed.rawString)) {
      open = { card, pieces: [parsed.rawString], comments: parsed.comment ? [parsed.comment] : [] };
    }
  }
  close();
  return cards;
}
