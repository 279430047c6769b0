/** Helpers shared by the catalogue importers. */
import type { JsdcRow } from '../backbone-types';

/** A row with every optional field missing; importers fill what their source has. */
export function emptyJsdcRow(name: string, raDeg: number, decDeg: number, source: string): JsdcRow {
  return {
    name, hd: hdFromName(name), hip: null, raDeg, decDeg, spType: '', vmag: null, rmag: null, jmag: null,
    hmag: null, kmag: null, lddMas: null, eLddMas: null, uddRMas: null, uddIMas: null, uddHMas: null,
    uddKMas: null, lddChi2: null, calFlag: null, irFlag: null, ruwe: null, ipdFracMultiPeak: null,
    vbroadKms: null, pmaBinary: null, pmaSnrMax: null, objTypes: '', multFlag: '', varFlags: '', sb9: '',
    wdsSepArcsec: null, source,
  };
}

/** HD number of an identifier such as "HD 9943", "HD9943" or "HD  23463", else null. */
export function hdFromName(name: string): number | null {
  const m = /^\s*HD\s*(\d+)\s*[A-Z]?\s*$/i.exec(name);
  return m ? Number(m[1]) : null;
}

/** A finite number from a catalogue cell, or null when the cell is blank or not numeric. */
export function cellNumber(raw: string | undefined | null): number | null {
  if (raw === undefined || raw === null) return null;
  const t = String(raw).trim();
  if (t === '' || t.toLowerCase() === 'nan') return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/**
 * Sexagesimal "HH MM SS.s" (hours) or "±DD MM SS.s" (degrees) → degrees; also accepts ':' separators
 * and plain decimal degrees. Throws naming `where` when the text is not a coordinate.
 */
export function parseSexagesimal(text: string, isHours: boolean, where: string): number {
  const t = (text ?? '').trim();
  const parts = t.split(/[\s:]+/).filter(Boolean);
  if (parts.length === 0) throw new Error(`${where}: blank cell, expected ${isHours ? '"HH MM SS.s" (hours)' : '"±DD MM SS.s" (degrees)'}`);
  if (parts.length === 1) {
    const v = Number(parts[0]);
    if (!Number.isFinite(v)) throw new Error(`${where}: "${text}" is not a coordinate`);
    return v;
  }
  const sign = parts[0].startsWith('-') ? -1 : 1;
  const [a, b, c] = parts.map((p) => Math.abs(Number(p)));
  if (![a, b, c ?? 0].every(Number.isFinite)) throw new Error(`${where}: "${text}" is not a sexagesimal coordinate`);
  const value = a + b / 60 + (c ?? 0) / 3600;
  return sign * value * (isHours ? 15 : 1);
}
