/**
 * The JMMC SearchCal engine tables (JSDC v2/v3 polynomials and covariance, extinction ratios,
 * Teff/log g per spectral type, linear limb-darkening coefficients, intrinsic colours), generated
 * verbatim from `SearchCal/alx/config/*.cfg` by `resources/scripts/build-calibrator-backbone.ts`.
 */
import tablesJson from './data/jmmc-tables.json';

/**
 * One row of a JMMC intrinsic-colour table (quarter sub-types, so one row per spectral index).
 * Johnson B V R, Cousins I, CIT J H K; 99.99 in the file (no value) is null here, except in the
 * first three columns, which keep the file's sentinel as the existing readers expect.
 */
export interface ColourRow {
  code: string;
  quantity: number;
  bv: number;
  vIc: number;
  vR: number;
  icJc: number | null;
  jcHc: number | null;
  jcKc: number | null;
}

/** Everything the diameter engine reads from the JMMC configuration. */
export interface JmmcTables {
  source: string;
  /** Coefficients a0..a4 of P_VJ, P_VH, P_VK in the spectral index. */
  polynomial: { VJ: number[]; VH: number[]; VK: number[] };
  /** Spectral-index range the polynomials were fitted on. */
  domain: [number, number] | number[];
  /** 15×15 covariance of (a0..a4) for VJ, VH, VK in that order. */
  covariance: number[][];
  /** A_band / E(B−V). */
  extinctionRatio: Record<string, number>;
  /** Linear limb-darkening coefficient u per band on a (log g, Teff) grid. */
  udTable: Array<{ logg: number; teff: number; u: Record<string, number> }>;
  /** Teff and log(g/g☉) per spectral type for [dwarf, giant, supergiant]. */
  teffLogg: Array<{ code: string; quantity: number; teff: number[]; logRelG: number[] }>;
  colourTables: { dwarf: ColourRow[]; giant: ColourRow[]; supergiant: ColourRow[] };
}

/** The bundled tables. */
export const jmmcTables: JmmcTables = tablesJson as JmmcTables;
