/**
 * Hour angle from the night grid's local sidereal time samples, so the planner can prefer the
 * hour-angle window a target had on earlier nights (same projected baselines, same (u,v)).
 */
import type { SiderealTable } from './types';

/** Local sidereal time (h, 0..24) at `mjd`, interpolated (or extrapolated) from the table. */
export function lstAtH(table: SiderealTable, mjd: number): number {
  const n = table.timesMjd.length;
  if (n < 2) throw new Error(`sidereal table: needs at least 2 samples, got ${n}`);
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (table.timesMjd[mid] <= mjd) lo = mid;
    else hi = mid;
  }
  const t0 = table.timesMjd[lo];
  const t1 = table.timesMjd[hi];
  const l0 = table.lstH[lo];
  let l1 = table.lstH[hi];
  if (l1 < l0) l1 += 24;
  const lst = l0 + ((l1 - l0) * (mjd - t0)) / (t1 - t0);
  return ((lst % 24) + 24) % 24;
}

/** Hour angle (h, −12..12) of right ascension `raDeg` at `mjd`. */
export function hourAngleH(table: SiderealTable, mjd: number, raDeg: number): number {
  let ha = lstAtH(table, mjd) - raDeg / 15;
  ha -= 24 * Math.round(ha / 24);
  return ha;
}
