/** Sexagesimal formatting and parsing of equatorial coordinates. */

/** Format right ascension in degrees as `HH:MM:SS.sss`. */
export function formatRaHms(raDeg: number, secondDecimals = 2): string {
  const totalS = (((raDeg / 15) % 24) + 24) % 24 * 3600;
  const scale = 10 ** secondDecimals;
  let rounded = Math.round(totalS * scale) / scale;
  if (rounded >= 86400) rounded -= 86400;
  const h = Math.floor(rounded / 3600);
  const m = Math.floor((rounded - h * 3600) / 60);
  const s = rounded - h * 3600 - m * 60;
  return `${pad(h)}:${pad(m)}:${s.toFixed(secondDecimals).padStart(secondDecimals + 3, '0')}`;
}

/** Format declination in degrees as `±DD:MM:SS.ss`. */
export function formatDecDms(decDeg: number, secondDecimals = 1): string {
  const sign = decDeg < 0 ? '-' : '+';
  const scale = 10 ** secondDecimals;
  const totalS = Math.round(Math.abs(decDeg) * 3600 * scale) / scale;
  const d = Math.floor(totalS / 3600);
  const m = Math.floor((totalS - d * 3600) / 60);
  const s = totalS - d * 3600 - m * 60;
  return `${sign}${pad(d)}:${pad(m)}:${s.toFixed(secondDecimals).padStart(secondDecimals + 3, '0')}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function parseSexagesimal(text: string, what: string): number {
  const t = text.trim();
  const m = /^([+-]?)\s*(\d+(?:\.\d+)?)(?:[\s:hd°]+(\d+(?:\.\d+)?))?(?:[\s:m']+(\d+(?:\.\d+)?))?\s*[s"]?$/.exec(t);
  if (!m) throw new Error(`${what} "${text}" is not sexagesimal`);
  const value = Number(m[2]) + Number(m[3] ?? 0) / 60 + Number(m[4] ?? 0) / 3600;
  if (m[3] !== undefined && Number(m[3]) >= 60) throw new Error(`${what} "${text}": minutes ≥ 60`);
  if (m[4] !== undefined && Number(m[4]) >= 60) throw new Error(`${what} "${text}": seconds ≥ 60`);
  return m[1] === '-' ? -value : value;
}

/**
 * Parse a right ascension: decimal degrees ("123.4"), or sexagesimal hours ("08 59 12.5",
 * "08:59:12.5", "8h59m12.5s"). Throws naming the text on failure or out-of-range values.
 */
export function parseRaDeg(text: string, unit?: string): number {
  const t = text.trim();
  const isDecimal = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(t);
  const deg = isDecimal && unit !== 'hms' && unit !== 'h:m:s' ? Number(t) : parseSexagesimal(t, 'RA') * 15;
  if (!(deg >= 0 && deg < 360)) throw new Error(`RA "${text}" is outside 0..360°`);
  return deg;
}

/** Parse a declination: decimal degrees or sexagesimal ("+48 02 34.0", "-05:12:00"). */
export function parseDecDeg(text: string): number {
  const t = text.trim();
  const deg = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(t) ? Number(t) : parseSexagesimal(t, 'Dec');
  if (!(deg >= -90 && deg <= 90)) throw new Error(`Dec "${text}" is outside −90..+90°`);
  return deg;
}
