/**
 * FITS file structure: the list of HDUs (header + where its data unit lies) of a byte buffer.
 * Reading is bounded by the buffer length at every step, so a truncated or corrupt file ends
 * with a FitsError naming the HDU and byte offset, never with a hang or an out-of-range read.
 */
import { FitsError } from './fits-error';
import { FITS_BLOCK_BYTES, scanHeader, type FitsHeader } from './fits-header';

/** One header-data unit. */
export interface FitsHdu {
  /** 0 for the primary HDU. */
  index: number;
  header: FitsHeader;
  /** `EXTNAME` (trimmed), `PRIMARY` for HDU 0, or '' when absent. */
  extname: string;
  /** `XTENSION` value, or 'PRIMARY'. */
  xtension: string;
  /** Absolute byte offset of the header. */
  headerOffset: number;
  /** Absolute byte offset of the data unit (right after the padded header). */
  dataOffset: number;
  /** Bytes of data (main table + heap), before padding. */
  dataBytes: number;
  /** Bytes of data including the padding to a 2880-byte block. */
  paddedDataBytes: number;
}

/** A FITS file split into HDUs, plus the non-fatal oddities found while splitting it. */
export interface FitsFile {
  bytes: Uint8Array;
  hdus: FitsHdu[];
  /** Non-fatal problems (missing final padding, trailing garbage). */
  warnings: string[];
}

function intKeyword(header: FitsHeader, key: string, hduIndex: number, offset: number, fallback?: number): number {
  const v = header.get(key);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (v === undefined && fallback !== undefined) return fallback;
  const what = v === undefined ? 'missing' : typeof v === 'number' && Number.isInteger(v) ? `too large (${v})` : `not an integer (${String(v).slice(0, 40)})`;
  throw new FitsError(`keyword ${key} is ${what}`, hduIndex, offset);
}

const BITPIX_VALUES = new Set([8, 16, 32, 64, -32, -64]);
/** FITS standard §4.4.1.1: NAXIS is at most 999. */
const MAX_NAXIS = 999;

/**
 * Size in bytes of the data unit described by a header (FITS standard §4.4.1), checked against
 * `availableBytes` (what the file holds after the header) before anything relies on it. Every
 * declared count must be a non-negative integer: a negative PCOUNT or GCOUNT would otherwise
 * move the next HDU backwards and loop for ever.
 */
function dataSize(header: FitsHeader, hduIndex: number, offset: number, dataOffset: number, availableBytes: number): number {
  const bitpix = intKeyword(header, 'BITPIX', hduIndex, offset);
  if (!BITPIX_VALUES.has(bitpix)) throw new FitsError(`BITPIX = ${bitpix} is not one of 8, 16, 32, 64, -32, -64`, hduIndex, offset);
  const naxis = intKeyword(header, 'NAXIS', hduIndex, offset);
  if (naxis < 0 || naxis > MAX_NAXIS) throw new FitsError(`NAXIS = ${naxis} is outside 0..${MAX_NAXIS}`, hduIndex, offset);
  const pcount = intKeyword(header, 'PCOUNT', hduIndex, offset, 0);
  const gcount = intKeyword(header, 'GCOUNT', hduIndex, offset, 1);
  if (pcount < 0) throw new FitsError(`PCOUNT = ${pcount} is negative`, hduIndex, offset);
  if (gcount < 0) throw new FitsError(`GCOUNT = ${gcount} is negative`, hduIndex, offset);
  if (naxis === 0) return 0;
  // Random groups (NAXIS1 = 0) count their axes from NAXIS2.
  const isRandomGroups = hduIndex === 0 && header.get('GROUPS') === true && header.get('NAXIS1') === 0;
  const axes: number[] = [];
  for (let i = isRandomGroups ? 2 : 1; i <= naxis; i++) {
    const n = intKeyword(header, `NAXIS${i}`, hduIndex, offset);
    if (n < 0) throw new FitsError(`NAXIS${i} is negative (${n})`, hduIndex, offset);
    axes.push(n);
  }
  // Multiply with a zero axis first so a huge other axis cannot overflow to Infinity × 0 = NaN.
  const product = axes.includes(0) ? 0 : axes.reduce((a, n) => a * n, 1);
  const size = (Math.abs(bitpix) / 8) * gcount * (pcount + product);
  if (!Number.isSafeInteger(size) || size > availableBytes) {
    const declared = Number.isSafeInteger(size) ? `${size} bytes` : 'more bytes than any file holds';
    throw new FitsError(`data unit is truncated: ${declared} announced, ${availableBytes} present`, hduIndex, dataOffset);
  }
  return size;
}

/**
 * Split `bytes` into HDUs. Throws FitsError when a header is truncated or lacks END, or when a
 * data unit is shorter than its header announces.
 */
export function readFitsStructure(bytes: Uint8Array): FitsFile {
  const hdus: FitsHdu[] = [];
  const warnings: string[] = [];
  if (bytes.length === 0) throw new FitsError('file is empty', 0, 0);
  let offset = 0;
  while (offset < bytes.length) {
    const index = hdus.length;
    if (index > 0 && isAllZeroOrBlank(bytes, offset)) {
      warnings.push(`${bytes.length - offset} bytes of padding after the last HDU at byte ${offset}`);
      break;
    }
    if (index > 0 && bytes.length - offset < FITS_BLOCK_BYTES) {
      warnings.push(`ignored ${bytes.length - offset} trailing bytes at byte ${offset} (less than one FITS block)`);
      break;
    }
    const { header, dataOffset } = scanHeader(bytes, offset, index);
    const dataBytes = dataSize(header, index, offset, dataOffset, bytes.length - dataOffset);
    const paddedDataBytes = Math.ceil(dataBytes / FITS_BLOCK_BYTES) * FITS_BLOCK_BYTES;
    if (dataOffset + paddedDataBytes > bytes.length) {
      warnings.push(`HDU ${index}: data unit is not padded to a full 2880-byte block`);
    }
    const xtension = index === 0 ? 'PRIMARY' : (header.string('XTENSION') ?? '').trim();
    const extname = index === 0 ? 'PRIMARY' : (header.string('EXTNAME') ?? '').trim();
    hdus.push({ index, header, extname, xtension, headerOffset: offset, dataOffset, dataBytes, paddedDataBytes });
    offset = dataOffset + paddedDataBytes;
  }
  return { bytes, hdus, warnings };
}

function isAllZeroOrBlank(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) {
    if (bytes[i] !== 0 && bytes[i] !== 0x20) return false;
  }
  return true;
}

/**
 * Bytes of the data HDUs (every HDU after the primary, headers and padded data): what identifies
 * a data product's content. A verdict changes only the primary header, so it keeps the content;
 * a regenerated product or a FLAG edit changes it.
 */
export function dataHduRange(file: FitsFile): { start: number; end: number } {
  if (file.hdus.length < 2) return { start: file.bytes.length, end: file.bytes.length };
  const last = file.hdus[file.hdus.length - 1];
  return { start: file.hdus[1].headerOffset, end: Math.min(file.bytes.length, last.dataOffset + last.paddedDataBytes) };
}
