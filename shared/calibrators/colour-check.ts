/**
 * Colours against the spectral type: is each observed colour (B−V, V−J, V−H, V−K) possible for
 * the star's type, given its intrinsic colours (JMMC tables) and interstellar reddening? A
 * magnitude that is not (another star's photometry, a saturated or blended 2MASS value, a Mira
 * caught at another phase) is dropped with the reason, so no diameter is computed from it.
 *
 * Bounds on an observed colour V−X: from the bluest intrinsic (V−X)₀ over the type's range minus
 * a tolerance, to the reddest plus the largest reddening E(B−V)·(R_V − R_X) plus the tolerance.
 * E(B−V) is bounded by the observed B−V when it is known (it cannot exceed (B−V) − (B−V)₀ by much),
 * else by `MAX_EBV_UNKNOWN`. The tolerance is `BASE_TOLERANCE_MAG` (the intrinsic scatter of
 * colours within a sub-type and luminosity class, plus the Johnson/CIT vs 2MASS offsets) plus
 * three times the colour's photometric error.
 */
import { jmmcTables, type ColourRow, type JmmcTables } from './jmmc-tables';
import type { LumClass, SpectralType } from './spectral-type';

/** Intrinsic colour scatter within a type and class, plus photometric-system offsets (mag). */
export const BASE_TOLERANCE_MAG = 0.4;
/** Largest E(B−V) assumed when neither B−V nor the parallax bounds it: Hipparcos stars brighter than V = 10 rarely exceed it. */
export const MAX_EBV_UNKNOWN = 1.0;
/**
 * E(B−V) per kpc in the Galactic plane (A_V ≈ 1.8 mag/kpc, R_V = 3.1), doubled for safety, plus a
 * floor: the bound a parallax gives when B−V is missing or failed its own check.
 */
const EBV_PER_KPC = 1.2;
const EBV_FLOOR = 0.1;
/** Margin on E(B−V) derived from B−V (mag): the table's B−V scatter. */
const EBV_MARGIN = 0.15;
/** Sub-types of slack around an exact spectral type (catalogue types are often off by one). */
const TYPE_SLACK_INDEX = 4;

/** The photometry a check reads (mag); errors may be missing. */
export interface CheckedPhotometry {
  V: number | null;
  eV?: number | null;
  bv?: number | null;
  J?: number | null;
  eJ?: number | null;
  H?: number | null;
  eH?: number | null;
  K?: number | null;
  eK?: number | null;
  /** Parallax (mas): bounds the reddening by the distance when B−V cannot. */
  plxMas?: number | null;
}

/** A magnitude (or B−V) the check refuses, and why. */
export interface RejectedMagnitude {
  band: 'B' | 'J' | 'H' | 'K';
  value: number;
  reason: string;
}

/** Intrinsic colours of one table row; null where the table has no value. */
interface Intrinsic {
  bv: number | null;
  vj: number | null;
  vh: number | null;
  vk: number | null;
}

function rowColours(r: ColourRow): Intrinsic {
  const vIc = r.vIc < 99 ? r.vIc : null;
  const vj = vIc !== null && r.icJc !== null ? vIc + r.icJc : null;
  return {
    bv: r.bv < 99 ? r.bv : null,
    vj,
    vh: vj !== null && r.jcHc !== null ? vj + r.jcHc : null,
    vk: vj !== null && r.jcKc !== null ? vj + r.jcKc : null,
  };
}

/** Intrinsic colours of one table by spectral index (NaN where unknown), built once per table. */
interface ColourArrays {
  bv: Float64Array;
  vj: Float64Array;
  vh: Float64Array;
  vk: Float64Array;
}
const arraysCache = new WeakMap<ColourRow[], ColourArrays>();
/** Highest JMMC index of the tables (M9.75). */
const MAX_INDEX = 280;

function arraysOf(rows: ColourRow[], fallback: ColourRow[]): ColourArrays {
  let a = arraysCache.get(rows);
  if (a) return a;
  const mk = () => new Float64Array(MAX_INDEX + 1).fill(Number.NaN);
  a = { bv: mk(), vj: mk(), vh: mk(), vk: mk() };
  const byIndex = new Map(fallback.map((r) => [4 * (CLASS_OFFSET[r.code] + r.quantity), r]));
  for (const r of rows) {
    const idx = Math.round(4 * (CLASS_OFFSET[r.code] + r.quantity));
    if (idx < 0 || idx > MAX_INDEX) continue;
    const own = rowColours(r);
    // Giants and supergiants later than M4 have no near-IR colours in the JMMC tables: the
    // dwarf sequence stands in (it is within a few tenths of the giants' there).
    const f = own.vj === null || own.vh === null || own.vk === null ? byIndex.get(idx) : undefined;
    const fc = f ? rowColours(f) : null;
    a.bv[idx] = own.bv ?? Number.NaN;
    a.vj[idx] = own.vj ?? fc?.vj ?? Number.NaN;
    a.vh[idx] = own.vh ?? fc?.vh ?? Number.NaN;
    a.vk[idx] = own.vk ?? fc?.vk ?? Number.NaN;
  }
  arraysCache.set(rows, a);
  return a;
}

/** Min/max of each intrinsic colour over spectral indices [lo, hi] and the given tables. */
function intrinsicSpan(lo: number, hi: number, tables: ColourRow[][], fallback: ColourRow[]): Record<keyof Intrinsic, [number, number] | null> {
  const span: Record<keyof Intrinsic, [number, number] | null> = { bv: null, vj: null, vh: null, vk: null };
  const from = Math.max(0, Math.ceil(lo));
  const to = Math.min(MAX_INDEX, Math.floor(hi));
  for (const rows of tables) {
    const a = arraysOf(rows, fallback);
    for (const k of ['bv', 'vj', 'vh', 'vk'] as const) {
      const arr = a[k];
      for (let i = from; i <= to; i++) {
        const v = arr[i];
        if (Number.isNaN(v)) continue;
        const s = span[k];
        if (!s) span[k] = [v, v];
        else {
          if (v < s[0]) s[0] = v;
          if (v > s[1]) s[1] = v;
        }
      }
    }
  }
  return span;
}

const CLASS_OFFSET: Record<string, number> = { O: 0, B: 10, A: 20, F: 30, G: 40, K: 50, M: 60 };

function tablesFor(lum: LumClass | null, other: LumClass | null, t: JmmcTables): ColourRow[][] {
  const of = (l: LumClass) => (l >= 4 ? t.colourTables.dwarf : l >= 2 ? t.colourTables.giant : t.colourTables.supergiant);
  if (lum === null) return [t.colourTables.dwarf, t.colourTables.giant, t.colourTables.supergiant];
  const list = [of(lum)];
  if (other !== null && of(other) !== list[0]) list.push(of(other));
  return list;
}

const fmt = (x: number) => x.toFixed(2);

/**
 * Check a star's colours against its spectral type. Returns the magnitudes that cannot belong to
 * a star of that type (with the reason), and nothing when the type has no O–M class (C, S, N …),
 * since the JMMC tables say nothing about those.
 */
export function checkColours(sp: SpectralType, phot: CheckedPhotometry, tables: JmmcTables = jmmcTables): RejectedMagnitude[] {
  if (sp.indexRange === null || phot.V === null) return [];
  const lo = sp.indexRange[0] - (sp.isRange ? 0 : TYPE_SLACK_INDEX);
  const hi = sp.indexRange[1] + (sp.isRange ? 0 : TYPE_SLACK_INDEX);
  const span = intrinsicSpan(lo, hi, tablesFor(sp.lumClass, sp.lumClassOther, tables), tables.colourTables.dwarf);
  const eV = phot.eV ?? 0.04;
  const out: RejectedMagnitude[] = [];
  const typeText = sp.raw || 'its spectral type';

  let maxEbv = MAX_EBV_UNKNOWN;
  let ebvSource = `E(B−V) ≤ ${MAX_EBV_UNKNOWN} assumed`;
  if (phot.plxMas !== null && phot.plxMas !== undefined && phot.plxMas > 0) {
    const byDistance = Math.min(MAX_EBV_UNKNOWN, EBV_FLOOR + EBV_PER_KPC / phot.plxMas);
    if (byDistance < maxEbv) {
      maxEbv = byDistance;
      ebvSource = `E(B−V) ≤ ${fmt(maxEbv)} at ${(1000 / phot.plxMas).toFixed(0)} pc`;
    }
  }
  if (phot.bv !== null && phot.bv !== undefined && span.bv) {
    const tol = BASE_TOLERANCE_MAG / 2 + 3 * Math.hypot(eV, 0.03);
    if (phot.bv < span.bv[0] - tol) {
      out.push({ band: 'B', value: phot.bv, reason: `B−V ${fmt(phot.bv)} is bluer than any ${typeText} star (intrinsic ${fmt(span.bv[0])}…${fmt(span.bv[1])}, tolerance ${fmt(tol)})` });
    } else {
      const byColour = Math.max(0, phot.bv - span.bv[0]) + EBV_MARGIN;
      if (byColour < maxEbv) {
        maxEbv = byColour;
        ebvSource = `E(B−V) ≤ ${fmt(maxEbv)} from B−V ${fmt(phot.bv)}`;
      }
    }
  }
  const rV = tables.extinctionRatio.V;
  const bands: Array<['J' | 'H' | 'K', keyof Intrinsic, number | null | undefined, number | null | undefined]> = [
    ['J', 'vj', phot.J, phot.eJ],
    ['H', 'vh', phot.H, phot.eH],
    ['K', 'vk', phot.K, phot.eK],
  ];
  for (const [band, key, mag, err] of bands) {
    const s = span[key];
    if (mag === null || mag === undefined || !s) continue;
    const colour = phot.V - mag;
    const tol = BASE_TOLERANCE_MAG + 3 * Math.hypot(eV, err ?? 0.3);
    const red = maxEbv * (rV - tables.extinctionRatio[band]);
    const min = s[0] - tol;
    const max = s[1] + red + tol;
    if (colour < min || colour > max) {
      out.push({
        band,
        value: mag,
        reason: `V−${band} ${fmt(colour)} is impossible for ${typeText} (intrinsic ${fmt(s[0])}…${fmt(s[1])}, allowed ${fmt(min)}…${fmt(max)} with ${ebvSource}): ${band} = ${fmt(mag)} is not this star's`,
      });
    }
  }
  return out;
}
