/**
 * Limb-darkened → uniform-disc diameters as SearchCal does it (`alxLD2UD.c`): Teff and log g from
 * the spectral type (`alxTableTeffLogg.cfg`, interpolated between sub-types), the nearest
 * (Teff, log g) row of the linear limb-darkening table, θ_UD = θ_LD / √((1 − u/3)/(1 − 7u/15)).
 */
import { jmmcTables, type JmmcTables } from './jmmc-tables';
import { tableStarType, type SpectralType } from './spectral-type';

/** log g of the Sun (cgs) SearchCal adds to the table's log(g/g☉). */
export const LOG_G_SUN = 4.378;

/** Effective wavelengths (µm) of the Johnson–Cousins bands used to interpolate u in λ. */
export const BAND_LAMBDA_UM: Record<string, number> = { V: 0.55, R: 0.64, I: 0.79, J: 1.25, H: 1.65, K: 2.2 };

/** Teff (K) and log g (cgs) for a spectral type, or null when the table has no value for it. */
export function teffLoggFromSpectralType(sp: SpectralType, tables: JmmcTables = jmmcTables): { teff: number; logg: number } | null {
  if (sp.code === null) return null;
  const quantity = sp.subType ?? 5;
  const rows = tables.teffLogg;
  let line = -1;
  for (let i = 0; i < rows.length; i++) {
    if (rows[i].code === sp.code && rows[i].quantity >= quantity) {
      line = i;
      break;
    }
  }
  if (line < 0) return null;
  const lineInf = Math.max(0, line - 1);
  const sup = rows[line].quantity;
  const inf = rows[lineInf].quantity;
  const ratio = sup !== inf ? Math.abs((quantity - inf) / (sup - inf)) : 0.5;
  const col = tableStarType(sp.lumClass);
  const tSup = rows[line].teff[col];
  const tInf = rows[lineInf].teff[col];
  // 99.99 marks a blank cell in the JMMC tables.
  if (tSup > 99 && tSup < 100) return null;
  if (tInf > 99 && tInf < 100) return null;
  return {
    teff: tInf + ratio * (tSup - tInf),
    logg: rows[lineInf].logRelG[col] + ratio * (rows[line].logRelG[col] - rows[lineInf].logRelG[col]) + LOG_G_SUN,
  };
}

/**
 * Linear limb-darkening coefficient u for a band, bilinear in (Teff, log g) on the table's grid and
 * held at the grid's edges (this reproduces the UD_* columns of SearchCal 5.1 output).
 */
export function linearLdCoefficient(teff: number, logg: number, band: string, tables: JmmcTables = jmmcTables): number {
  const grid = udGrid(tables);
  const values = grid.byBand.get(band);
  if (!values) throw new Error(`no limb-darkening coefficient for band "${band}"`);
  const [t0, t1, ft] = bracket(grid.teffs, teff);
  const [g0, g1, fg] = bracket(grid.loggs, logg);
  const n = grid.loggs.length;
  const a = values[t0 * n + g0];
  const b = values[t0 * n + g1];
  const c = values[t1 * n + g0];
  const d = values[t1 * n + g1];
  if (Number.isNaN(a + b + c + d)) {
    // The grid has holes (no low-gravity hot models): there SearchCal's nearest-row rule applies.
    return nearestRow(tables, teff, logg).u[band];
  }
  return (1 - ft) * ((1 - fg) * a + fg * b) + ft * ((1 - fg) * c + fg * d);
}

/** The (Teff, log g) row nearest in squared distance, as `alxGetLineForUd` picks it. */
function nearestRow(tables: JmmcTables, teff: number, logg: number): JmmcTables['udTable'][number] {
  let best = tables.udTable[0];
  let bestD = Infinity;
  for (const r of tables.udTable) {
    const d = (teff - r.teff) ** 2 + (logg - r.logg) ** 2;
    if (d < bestD) {
      bestD = d;
      best = r;
    }
  }
  return best;
}

/** The table as a dense Teff × log g grid per band; NaN where the table has no model. */
interface UdGrid {
  teffs: number[];
  loggs: number[];
  byBand: Map<string, Float64Array>;
}

const gridCache = new WeakMap<JmmcTables, UdGrid>();

function udGrid(tables: JmmcTables): UdGrid {
  let grid = gridCache.get(tables);
  if (!grid) {
    const teffs = [...new Set(tables.udTable.map((r) => r.teff))].sort((a, b) => a - b);
    const loggs = [...new Set(tables.udTable.map((r) => r.logg))].sort((a, b) => a - b);
    const byBand = new Map<string, Float64Array>();
    for (const band of Object.keys(tables.udTable[0].u)) byBand.set(band, new Float64Array(teffs.length * loggs.length).fill(Number.NaN));
    for (const r of tables.udTable) {
      const k = teffs.indexOf(r.teff) * loggs.length + loggs.indexOf(r.logg);
      for (const [band, u] of Object.entries(r.u)) byBand.get(band)![k] = u;
    }
    grid = { teffs, loggs, byBand };
    gridCache.set(tables, grid);
  }
  return grid;
}

/** Indices of the grid values around v and the fraction between them (clamped at the ends). */
function bracket(values: number[], v: number): [number, number, number] {
  if (v <= values[0]) return [0, 0, 0];
  const last = values.length - 1;
  if (v >= values[last]) return [last, last, 0];
  let i = 0;
  while (values[i + 1] < v) i++;
  return [i, i + 1, (v - values[i]) / (values[i + 1] - values[i])];
}

/** θ_LD / θ_UD for a linear limb-darkening coefficient u. */
export function ldToUdRatio(u: number): number {
  return Math.sqrt((1 - u / 3) / (1 - (7 * u) / 15));
}

/**
 * u at a wavelength between R and I (SPICA's 0.6–0.9 µm), linear in λ between the bands' effective
 * wavelengths and held at the end values outside them.
 */
export function ldCoefficientAt(teff: number, logg: number, lambdaUm: number, tables: JmmcTables = jmmcTables): number {
  const uR = linearLdCoefficient(teff, logg, 'R', tables);
  const uI = linearLdCoefficient(teff, logg, 'I', tables);
  const t = Math.min(1, Math.max(0, (lambdaUm - BAND_LAMBDA_UM.R) / (BAND_LAMBDA_UM.I - BAND_LAMBDA_UM.R)));
  return uR + t * (uI - uR);
}
