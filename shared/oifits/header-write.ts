/**
 * Primary-header editing: replace, add or remove cards of HDU 0 and recompute its DATASUM and
 * CHECKSUM, leaving every other byte of the file as it was. The header grows by whole 2880-byte
 * blocks only when the new cards do not fit in its padding.
 */
import { dataUnitSum, encodeChecksum, foldAdd, onesComplementSum32 } from './checksum';
import { readFitsStructure } from './fits-file';
import { FITS_BLOCK_BYTES, FITS_CARD_BYTES, asciiSlice, normaliseKey, type FitsValue } from './fits-header';

/** A keyword to set (replacing its first occurrence in place, dropping duplicates). */
export interface CardSet {
  /** Keyword; longer than 8 characters or with spaces means a HIERARCH card. */
  key: string;
  value: FitsValue;
  comment?: string;
}

/** What to change in the primary header. */
export interface HeaderEdit {
  set?: CardSet[];
  /** Keywords to remove entirely. */
  remove?: string[];
  /** COMMENT cards whose text starts with one of these prefixes are removed first. */
  removeCommentsStartingWith?: string[];
  /** COMMENT card texts to append (each is split into cards of at most 72 characters). */
  addComments?: string[];
  /** HISTORY card texts to append after the comments (split like comments). */
  addHistory?: string[];
  /**
   * Add DATASUM/CHECKSUM even when the header had none. By default they are recomputed only
   * where present, since adding them changes a header some pipelines compare byte for byte.
   */
  addChecksum?: boolean;
  /** Comment of the CHECKSUM/DATASUM cards (e.g. "HDU checksum updated 2026-11-22T01:00:00"). */
  checksumComment?: string;
}

/** Replace characters a FITS header cannot hold (only printable ASCII) with close equivalents. */
export function toFitsAscii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?');
}

function formatValue(value: FitsValue): { text: string; isString: boolean } {
  if (typeof value === 'boolean') return { text: value ? 'T' : 'F', isString: false };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write a non-finite number (${value}) in a FITS header`);
    const text = Number.isInteger(value) ? String(value) : String(value).toUpperCase();
    return { text, isString: false };
  }
  const escaped = toFitsAscii(value).replace(/'/g, "''");
  return { text: `'${escaped.padEnd(8, ' ')}'`, isString: true };
}

/** Whether `key` must be written as a HIERARCH card. */
export function isHierarchKey(key: string): boolean {
  const k = normaliseKey(key);
  return k.length > 8 || /[^A-Z0-9_-]/.test(k);
}

/** Format one 80-character card. Throws when a value cannot fit on one card. */
export function formatCard(key: string, value: FitsValue, comment = ''): string {
  const k = normaliseKey(key);
  const { text, isString } = formatValue(value);
  let head: string;
  if (isHierarchKey(k)) {
    head = `HIERARCH ${k} = ${text}`;
  } else {
    // Fixed format: strings start in column 11, numbers and logicals end in column 30.
    head = `${k.padEnd(8, ' ')}= ${isString ? text.padEnd(20, ' ') : text.padStart(20, ' ')}`;
  }
  if (head.length > FITS_CARD_BYTES) {
    throw new Error(`value of ${k} is too long for one header card (${head.length} > 80 characters)`);
  }
  const c = toFitsAscii(comment);
  const card = c ? `${head} / ${c}` : head;
  return card.slice(0, FITS_CARD_BYTES).padEnd(FITS_CARD_BYTES, ' ');
}

/** Split a text into pieces of at most `width` characters, breaking at spaces when possible. */
export function splitText(text: string, width: number): string[] {
  const out: string[] = [];
  let rest = toFitsAscii(text).trim();
  while (rest.length > 0) {
    let cut = rest.length <= width ? rest.length : rest.lastIndexOf(' ', width);
    if (cut <= 0) cut = Math.min(width, rest.length);
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  return out;
}

/** COMMENT (or HISTORY) cards holding `text`, at most 72 characters each. */
export function commentCards(text: string, key: 'COMMENT' | 'HISTORY' = 'COMMENT'): string[] {
  return splitText(text, 72).map((part) => `${key} ${part}`.padEnd(FITS_CARD_BYTES, ' '));
}

/**
 * Apply `edit` to the primary header of `bytes` and return the new file bytes. HDUs after the
 * primary are copied unchanged; their own checksums stay as they were.
 */
export function editPrimaryHeader(bytes: Uint8Array, edit: HeaderEdit): Uint8Array {
  const file = readFitsStructure(bytes);
  const primary = file.hdus[0];
  const records: string[] = [];
  for (let i = 0; i < primary.header.recordCount - 1; i++) {
    const at = primary.headerOffset + i * FITS_CARD_BYTES;
    records.push(asciiSlice(bytes, at, at + FITS_CARD_BYTES));
  }
  const setKeys = new Map((edit.set ?? []).map((s) => [normaliseKey(s.key), s]));
  const removeKeys = new Set((edit.remove ?? []).map(normaliseKey));
  const hadChecksum = primary.header.has('CHECKSUM') || primary.header.has('DATASUM');
  const wantChecksum = hadChecksum || edit.addChecksum === true;
  // Checksum cards are rewritten last, after every other change.
  removeKeys.add('CHECKSUM');
  removeKeys.add('DATASUM');
  const prefixes = edit.removeCommentsStartingWith ?? [];

  const out: string[] = [];
  const written = new Set<string>();
  for (const card of primary.header.cards) {
    const span = records.slice(card.recordIndex, card.recordIndex + card.recordCount);
    if (card.key === 'COMMENT' && prefixes.some((p) => card.comment.startsWith(p))) continue;
    if (removeKeys.has(card.key)) continue;
    const update = setKeys.get(card.key);
    if (update) {
      if (!written.has(card.key)) out.push(formatCard(update.key, update.value, update.comment));
      written.add(card.key);
      continue;
    }
    out.push(...span);
  }
  for (const [key, s] of setKeys) if (!written.has(key)) out.push(formatCard(s.key, s.value, s.comment));
  for (const text of edit.addComments ?? []) out.push(...commentCards(text));
  for (const text of edit.addHistory ?? []) out.push(...commentCards(text, 'HISTORY'));

  const dataSum = dataUnitSum(file, primary);
  if (wantChecksum) {
    out.push(formatCard('CHECKSUM', '0000000000000000', edit.checksumComment ?? 'HDU checksum'));
    out.push(formatCard('DATASUM', String(dataSum), edit.checksumComment ?? 'data unit checksum'));
  }
  out.push('END'.padEnd(FITS_CARD_BYTES, ' '));

  const blocks = Math.ceil((out.length * FITS_CARD_BYTES) / FITS_BLOCK_BYTES);
  const header = new Uint8Array(blocks * FITS_BLOCK_BYTES).fill(0x20);
  for (let i = 0; i < out.length; i++) {
    const rec = out[i];
    for (let j = 0; j < FITS_CARD_BYTES; j++) header[i * FITS_CARD_BYTES + j] = rec.charCodeAt(j);
  }
  if (wantChecksum) {
    const checksumRecord = out.length - 3;
    const total = foldAdd(onesComplementSum32(header, 0, header.length), dataSum);
    const encoded = encodeChecksum(total);
    // The value starts in column 11 so the encoding lines up with the 4-byte words it balances.
    const at = checksumRecord * FITS_CARD_BYTES + 11;
    for (let j = 0; j < 16; j++) header[at + j] = encoded.charCodeAt(j);
  }

  const rest = bytes.subarray(primary.dataOffset);
  const result = new Uint8Array(header.length + rest.length);
  result.set(header, 0);
  result.set(rest, header.length);
  return result;
}
