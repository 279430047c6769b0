/**
 * Spectral-type strings (SIMBAD, Hipparcos, BSC5, JSDC) → the JMMC spectral index and the flags
 * the vetting needs. The index is JMMC's: idx = 4·(c + s) with c = 0, 10, …, 60 for O…M and s the
 * numeric sub-type, so A0 = 80 and K0 = 200; the luminosity class does not enter it.
 */

const CLASS_OFFSET: Record<string, number> = { O: 0, B: 10, A: 20, F: 30, G: 40, K: 50, M: 60 };

/** Luminosity class as a number: 0 (hypergiant), 1 (I, Ia, Ib, Iab), 2 … 6 (VI); null if absent. */
export type LumClass = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** What the engine reads from one spectral-type string. */
export interface SpectralType {
  raw: string;
  /** Temperature class letter O…M, or null for C, S, DA, W… types the JSDC polynomials do not cover. */
  code: string | null;
  /** Numeric sub-type (may be fractional, e.g. 2.5); null when only the class is given. */
  subType: number | null;
  /** JMMC spectral index 4·(c + s), null when there is no O–M class with a sub-type. */
  index: number | null;
  lumClass: LumClass | null;
  /** Second class of a range such as "III-IV" or "IV/V". */
  lumClassOther: LumClass | null;
  /** A temperature range ("K2/3", "M0/M4", "G8-K0"): JSDC treats these in faint mode only. */
  isRange: boolean;
  /**
   * Spectral indices SearchCal samples for this type (`alxString2SpectralType` →
   * `alxGiveIndexInTableOfSpectralCodes`): the type itself when it is exact; both ends of a range
   * ("K2/3" → [208, 212], "G8/K0" → [192, 200], "M3-6" → [252, 264]); X5 ± 5 sub-types for a
   * bare class ("K" → [200, 240]) and M3 ± 3 for a bare "M" ([240, 264]); ± 1 sub-type for
   * "K5+III". Null when there is no O–M class at all (C, S, N, W, DA …).
   */
  indexRange: [number, number] | null;
  /** Emission / shell markers: "e", "(e)", "pe", "ne", "shell", "sh". */
  hasEmission: boolean;
  /** Chemically peculiar or composite markers: "p", "Am"/"kA..mA", "Ap", "lB", "+", "comp". */
  isPeculiar: boolean;
  isComposite: boolean;
}

const LUM_PATTERN = /^(0|Ia\+|Iab|Ia|Ib|III|II|IV|VI|V|I)/;
const LUM_VALUE: Record<string, LumClass> = {
  '0': 0, 'Ia+': 0, Iab: 1, Ia: 1, Ib: 1, I: 1, II: 2, III: 3, IV: 4, V: 5, VI: 6,
};

/**
 * Tokens whose lowercase 'e' is not an emission mark: element abundances (Fe, He, Ce, Eu is upper
 * case), "pec", "Hdel", "met", "weak", "comp"… Removed before looking for 'e'.
 */
const NOT_EMISSION = /(Fe|He|Ne|Ce|Te|Se|Ge|Be|pec|Hdel|Hδ|met|weak|var|Nova|neb|comp|metal|Hyd|ext)/g;

/** Parse a spectral-type string; never throws (unknown text gives `code: null`). */
export function parseSpectralType(rawInput: string): SpectralType {
  const raw = (rawInput ?? '').trim();
  const result: SpectralType = {
    raw, code: null, subType: null, index: null, lumClass: null, lumClassOther: null,
    isRange: false, indexRange: null, hasEmission: false, isPeculiar: false, isComposite: false,
  };
  if (raw === '') return result;
  // Leading luminosity prefixes of old catalogues (gG9, dK2, sgK0, kA2hA5mA7V for Am stars).
  // Am stars are written kA2hA5mA7V (Ca K line, hydrogen, metal types); JMMC indexes the K-line type.
  const am = /^k([OBAFGKM][\d.]*)(?:\s*[IV]*)?\s*(?:h[OBAFGKM][\d.]*)?\s*(?:m[OBAFGKM][\d.]*)/.exec(raw);
  let rest = raw;
  let prefixLum: LumClass | null = null;
  if (am) {
    result.isPeculiar = true;
    const tail = raw.slice(am[0].length);
    rest = `${am[1]}${tail}`;
  } else {
    const pre = /^(sd|sg|g|d|c)(?=[OBAFGKM])/.exec(rest);
    if (pre) {
      prefixLum = pre[1] === 'g' ? 3 : pre[1] === 'd' ? 5 : pre[1] === 'sd' ? 6 : 1;
      rest = rest.slice(pre[0].length);
    }
  }
  const m = /^([OBAFGKM])(\d+(?:\.\d+)?)?/.exec(rest);
  if (!m) {
    result.hasEmission = emissionIn(rest);
    return result;
  }
  result.code = m[1];
  result.subType = m[2] === undefined ? null : Number(m[2]);
  rest = rest.slice(m[0].length);
  // Temperature range: "K2/3", "K2-3", "G8/K0", "M0/M4", "G8-K0".
  const range = /^\s*[-/]\s*([OBAFGKM])?(\d+(?:\.\d+)?)/.exec(rest);
  let rangeEnd: number | null = null;
  if (range && !/^\s*[-/]\s*(I|V)/.test(rest) && result.subType !== null) {
    result.isRange = true;
    rangeEnd = 4 * (CLASS_OFFSET[range[1] ?? result.code] + Number(range[2]));
    rest = rest.slice(range[0].length);
  }
  // "K5+III": SearchCal reads the '+' before a luminosity class as one sub-type of uncertainty.
  const plusLum = /^\+(?=I|V)/.test(rest);
  if (plusLum) rest = rest.slice(1);
  rest = rest.replace(/^\s+/, '');
  const lum = LUM_PATTERN.exec(rest);
  if (lum) {
    result.lumClass = LUM_VALUE[lum[1]];
    rest = rest.slice(lum[0].length);
    const other = /^\s*[-/]\s*(0|Ia\+|Iab|Ia|Ib|III|II|IV|VI|V|I)/.exec(rest);
    if (other) {
      result.lumClassOther = LUM_VALUE[other[1]];
      rest = rest.slice(other[0].length);
    }
    // Sub-classes such as "IIIab", "IIIa", "Vb".
    rest = rest.replace(/^(ab|a|b)(?![a-z])/, '');
  } else if (prefixLum !== null) {
    result.lumClass = prefixLum;
  }
  if (result.subType !== null) {
    result.index = 4 * (CLASS_OFFSET[result.code] + result.subType);
    const end = rangeEnd ?? result.index;
    const half = plusLum ? 4 : 0;
    result.indexRange = [Math.min(result.index, end) - half, Math.max(result.index, end) + half];
  } else {
    // A bare class: SearchCal samples X0…X10, except M where it stops at M6 (M0 < M3 < M6).
    const c = 4 * CLASS_OFFSET[result.code];
    result.indexRange = result.code === 'M' ? [c, c + 24] : [c, c + 40];
  }
  result.hasEmission = emissionIn(rest);
  result.isComposite = /\+|comp/.test(rest);
  result.isPeculiar = result.isPeculiar || /(^|[^a-z])p(?!e)|pec|Ap|Am|lB|λ ?Boo|Si|Sr|Cr|Eu|Hg|Mn|CN|Ba\d|CH/.test(rest) || /^p/.test(rest);
  return result;
}

function emissionIn(suffix: string): boolean {
  const stripped = suffix.replace(NOT_EMISSION, '');
  // Every emission mark ("e", "(e)", "pe", "ne", "shell") holds a lowercase e once the
  // abundance and peculiarity tokens are gone; "sh" alone is the short form of "shell".
  return /e/.test(stripped) || /(^|[^a-z])sh([^a-z]|$)/.test(stripped);
}

const CODES = ['O', 'B', 'A', 'F', 'G', 'K', 'M'];

/** The spectral type of a JMMC index (4·(c + s)), with a given luminosity class. */
export function spectralTypeOfIndex(index: number, lumClass: LumClass | null): SpectralType {
  const classIdx = Math.min(CODES.length - 1, Math.max(0, Math.floor(index / 40)));
  const code = CODES[classIdx];
  const subType = index / 4 - CLASS_OFFSET[code];
  return {
    raw: `${code}${subType}`, code, subType, index, lumClass, lumClassOther: null, isRange: false, indexRange: [index, index],
    hasEmission: false, isPeculiar: false, isComposite: false,
  };
}

/** True when the type is inside the JSDC polynomial domain (index 42–272, B0.5–M8). */
export function inJsdcDomain(sp: SpectralType, domain: readonly number[] = [42, 272]): boolean {
  return sp.index !== null && sp.index >= domain[0] && sp.index <= domain[1];
}

/** Dwarf (IV–VI or unknown), giant (II–III) or supergiant (0–I): the JMMC table a class reads. */
export function tableStarType(lum: LumClass | null): 0 | 1 | 2 {
  if (lum === null || lum >= 4) return 0;
  if (lum >= 2) return 1;
  return 2;
}
