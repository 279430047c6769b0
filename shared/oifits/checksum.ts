/**
 * FITS checksum convention (Seaman, Pence & Rots 2012; cfitsio `ffcsum`/`ffesum`): a 32-bit
 * ones'-complement sum of big-endian words, DATASUM as its decimal value over the data unit,
 * CHECKSUM as the 16-character ASCII encoding of the complement over the whole HDU.
 */
import type { FitsFile, FitsHdu } from './fits-file';

/**
 * Ones'-complement 32-bit sum of `bytes[start, end)` (length a multiple of 4), continuing from
 * `initial`. The 16-bit halves are summed separately so JS numbers stay exact, then the carries
 * are folded back in, as cfitsio does.
 */
export function onesComplementSum32(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  let hi = Math.floor(initial / 0x10000);
  let lo = initial % 0x10000;
  for (let i = start; i + 3 < end; i += 4) {
    hi += (bytes[i] << 8) | bytes[i + 1];
    lo += (bytes[i + 2] << 8) | bytes[i + 3];
  }
  let hiCarry = Math.floor(hi / 0x10000);
  let loCarry = Math.floor(lo / 0x10000);
  while (hiCarry !== 0 || loCarry !== 0) {
    hi = (hi % 0x10000) + loCarry;
    lo = (lo % 0x10000) + hiCarry;
    hiCarry = Math.floor(hi / 0x10000);
    loCarry = Math.floor(lo / 0x10000);
  }
  return hi * 0x10000 + lo;
}

const EXCLUDED = new Set([0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60]);

/** Encode a 32-bit sum as the 16-character CHECKSUM string (cfitsio `ffesum`, complemented). */
export function encodeChecksum(sum: number, complement = true): string {
  const value = complement ? 0xffffffff - sum : sum;
  const asc: number[] = new Array(16);
  for (let i = 0; i < 4; i++) {
    const byte = Math.floor(value / 2 ** (24 - 8 * i)) & 0xff;
    const quotient = Math.floor(byte / 4) + 0x30;
    const remainder = byte % 4;
    const ch = [quotient + remainder, quotient, quotient, quotient];
    // Nudge pairs away from ASCII punctuation while keeping their sum unchanged.
    for (let changed = true; changed; ) {
      changed = false;
      for (let j = 0; j < 4; j += 2) {
        if (EXCLUDED.has(ch[j]) || EXCLUDED.has(ch[j + 1])) {
          ch[j]++;
          ch[j + 1]--;
          changed = true;
        }
      }
    }
    for (let j = 0; j < 4; j++) asc[4 * j + i] = ch[j];
  }
  let out = '';
  for (let i = 0; i < 16; i++) out += String.fromCharCode(asc[(i + 15) % 16]);
  return out;
}

/** Checksum state of one HDU, as a verifier sees it. */
export interface HduChecksumStatus {
  hduIndex: number;
  extname: string;
  /** Whether a CHECKSUM keyword is present, and if so whether the whole HDU sums to -0. */
  checksum: 'absent' | 'valid' | 'invalid';
  /** Whether a DATASUM keyword is present, and if so whether it matches the data unit. */
  datasum: 'absent' | 'valid' | 'invalid';
}

/** Sum of an HDU's padded data unit (0 when there is no data). */
export function dataUnitSum(file: FitsFile, hdu: FitsHdu): number {
  const end = Math.min(file.bytes.length, hdu.dataOffset + hdu.paddedDataBytes);
  return onesComplementSum32(file.bytes, hdu.dataOffset, end);
}

/** Verify CHECKSUM/DATASUM of one HDU (a writer checking the header it edited needs no other). */
export function verifyHduChecksum(file: FitsFile, hdu: FitsHdu): HduChecksumStatus {
  const hasChecksum = hdu.header.has('CHECKSUM');
  const datasumValue = hdu.header.get('DATASUM');
  const data = hasChecksum || datasumValue !== undefined ? dataUnitSum(file, hdu) : 0;
  let checksum: HduChecksumStatus['checksum'] = 'absent';
  if (hasChecksum) {
    const headerSum = onesComplementSum32(file.bytes, hdu.headerOffset, hdu.dataOffset);
    const total = foldAdd(headerSum, data);
    checksum = total === 0xffffffff ? 'valid' : 'invalid';
  }
  let datasum: HduChecksumStatus['datasum'] = 'absent';
  if (datasumValue !== undefined) datasum = Number(String(datasumValue).trim()) === data ? 'valid' : 'invalid';
  return { hduIndex: hdu.index, extname: hdu.extname, checksum, datasum };
}

/** Verify CHECKSUM/DATASUM of every HDU that carries them. */
export function verifyChecksums(file: FitsFile): HduChecksumStatus[] {
  return file.hdus.map((hdu) => verifyHduChecksum(file, hdu));
}

/** Ones'-complement addition of two 32-bit sums. */
export function foldAdd(a: number, b: number): number {
  let s = a + b;
  while (s > 0xffffffff) s = (s % 0x100000000) + Math.floor(s / 0x100000000);
  return s;
}
