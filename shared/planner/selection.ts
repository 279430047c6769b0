/**
 * Selection for a night, as NSS does it before scheduling: filter by programme, mode, final
 * priority, V and Dec ranges, and count observable high-priority targets per declination strip
 * (a survey night stays on a narrow strip to keep the configuration and transfer function).
 */
import { SPICA_MODES } from '../nss/rules';

/** The fields a selection filter reads. */
export interface SelectableTarget {
  decDeg: number;
  vmag?: number | null;
  /** NSS final priority; null when NSS cannot rank the target. */
  finalPriority: number | null;
  programmes: readonly string[];
  mode?: string | null;
}

/** A night selection filter; absent fields do not filter. */
export interface SelectionFilter {
  programmes?: readonly string[];
  modes?: readonly string[];
  /** Keep final priorities ≤ this (1 = only P1). */
  maxFinalPriority?: number;
  vMin?: number;
  vMax?: number;
  decMinDeg?: number;
  decMaxDeg?: number;
}

/** NSS defaults: Dec −30…+90°, V −3…13. */
export const DEFAULT_SELECTION: Required<Pick<SelectionFilter, 'vMin' | 'vMax' | 'decMinDeg' | 'decMaxDeg'>> = {
  vMin: -3,
  vMax: 13,
  decMinDeg: -30,
  decMaxDeg: 90,
};

/** Why a target fails the filter, or null when it passes. */
export function selectionReason(t: SelectableTarget, f: SelectionFilter): string | null {
  if (t.finalPriority === null) return `unranked: NSS selects modes ${SPICA_MODES.join('/')} only, not ${t.mode ?? '(none)'}`;
  if (f.programmes?.length && !t.programmes.some((p) => f.programmes!.includes(p))) {
    return `programme ${t.programmes.join('/') || '(none)'} not selected`;
  }
  if (f.modes?.length && !(t.mode && f.modes.includes(t.mode))) return `mode ${t.mode ?? '(none)'} not selected`;
  if (f.maxFinalPriority !== undefined && t.finalPriority > f.maxFinalPriority) {
    return `final priority P${t.finalPriority} above P${f.maxFinalPriority}`;
  }
  if (t.vmag != null) {
    if (f.vMin !== undefined && t.vmag < f.vMin) return `V = ${t.vmag} brighter than ${f.vMin}`;
    if (f.vMax !== undefined && t.vmag > f.vMax) return `V = ${t.vmag} fainter than ${f.vMax}`;
  }
  if (f.decMinDeg !== undefined && t.decDeg < f.decMinDeg) return `Dec ${t.decDeg.toFixed(1)}° below ${f.decMinDeg}°`;
  if (f.decMaxDeg !== undefined && t.decDeg > f.decMaxDeg) return `Dec ${t.decDeg.toFixed(1)}° above ${f.decMaxDeg}°`;
  return null;
}

/** One declination strip of the histogram. */
export interface DecStrip {
  decMinDeg: number;
  decMaxDeg: number;
  /** Observable targets with final priority ≤ `maxFinalPriority`. */
  count: number;
}

/**
 * Histogram of observable targets with final priority ≤ `maxFinalPriority` in `binDeg` Dec bins
 * from −90 to +90, and the best strip (most targets; the northernmost wins a tie, since it rises
 * higher at CHARA's latitude).
 */
export function decStrips(
  targets: ReadonlyArray<{ decDeg: number; finalPriority: number | null; isObservable: boolean }>,
  opts: { binDeg?: number; maxFinalPriority?: number } = {},
): { strips: DecStrip[]; best: DecStrip | null } {
  const binDeg = opts.binDeg ?? 5;
  const maxP = opts.maxFinalPriority ?? 2;
  if (!(binDeg > 0)) throw new Error(`dec strips: bin width must be > 0°, got ${binDeg}`);
  const nBins = Math.ceil(180 / binDeg);
  const counts = new Array<number>(nBins).fill(0);
  for (const t of targets) {
    if (!t.isObservable || t.finalPriority === null || t.finalPriority > maxP) continue;
    counts[Math.min(nBins - 1, Math.max(0, Math.floor((t.decDeg + 90) / binDeg)))]++;
  }
  const strips = counts.map((count, i) => ({ decMinDeg: -90 + i * binDeg, decMaxDeg: Math.min(90, -90 + (i + 1) * binDeg), count }));
  let best: DecStrip | null = null;
  for (const s of strips) if (s.count > 0 && (!best || s.count >= best.count)) best = s;
  return { strips, best };
}
