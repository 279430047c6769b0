/**
 * Intrinsic colours from the JMMC tables: the R magnitude SPICA cares about (V − (V−R) by spectral
 * type, else by B−V) and a spectral type guessed from B−V for stars without one.
 */
import { jmmcTables, type ColourRow, type JmmcTables } from './jmmc-tables';
import { tableStarType, type SpectralType } from './spectral-type';

function tableFor(sp: SpectralType | null, tables: JmmcTables): ColourRow[] {
  const t = tableStarType(sp?.lumClass ?? null);
  return t === 0 ? tables.colourTables.dwarf : t === 1 ? tables.colourTables.giant : tables.colourTables.supergiant;
}

/** V−R (Johnson) of a spectral type, or null when the table has no row for it. */
export function vMinusRForType(sp: SpectralType, tables: JmmcTables = jmmcTables): number | null {
  if (sp.code === null) return null;
  const q = sp.subType ?? 5;
  const rows = tableFor(sp, tables);
  let best: ColourRow | null = null;
  for (const r of rows) {
    if (r.code !== sp.code) continue;
    if (best === null || Math.abs(r.quantity - q) < Math.abs(best.quantity - q)) best = r;
  }
  // 99.99 is the tables' "no value".
  return best && best.vR > -0.99 && best.vR < 99 ? best.vR : null;
}

/** V−R from B−V along the dwarf (or the class's) sequence, nearest row. */
export function vMinusRForBv(bv: number, sp: SpectralType | null = null, tables: JmmcTables = jmmcTables): number {
  return nearestByBv(bv, tableFor(sp, tables)).vR;
}

/** The table row whose B−V is nearest, as a guessed spectral type for stars without one. */
export function nearestByBv(bv: number, rows: ColourRow[] = jmmcTables.colourTables.dwarf): ColourRow {
  let best = rows[0];
  for (const r of rows) if (r.bv > -0.99 && Math.abs(r.bv - bv) < Math.abs(best.bv - bv)) best = r;
  return best;
}

/** Estimated R (Johnson) from V and a spectral type or B−V; null when V is missing. */
export function estimateRmag(vmag: number | null, bv: number | null, sp: SpectralType | null): number | null {
  if (vmag === null) return null;
  const byType = sp ? vMinusRForType(sp) : null;
  if (byType !== null) return vmag - byType;
  if (bv !== null) return vmag - vMinusRForBv(bv, sp);
  return vmag;
}
