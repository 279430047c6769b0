/**
 * What a night adds to a proposal: the target's observable window, the longest *projected*
 * baseline of the configuration over that window (B_eff of note §6.1), and the target's airmass
 * per sample so each calibrator's airmass mismatch can be measured. Uses the shared astro engine.
 */
import { baselinePairs, baselineXyzM, parseStations, projectBaseline } from '../astro/baselines';
import { computeNightObservability, defaultObservabilityOptions } from '../astro/observability';
import { CHARA_SITE } from '../astro/site';
import type { StationName } from '../astro/types';

const DEG = Math.PI / 180;

/** Samples of the target's window and what each calibrator is compared with. */
export interface NightContext {
  night: string;
  stations: StationName[];
  /** Longest projected baseline over the window (m). */
  baselineM: number;
  baselineSource: string;
  /** First and last sample of the window (MJD), null when the target is never observable. */
  windowMjd: [number, number] | null;
  /** LST (h) and target airmass at each window sample. */
  lstH: number[];
  targetAirmass: number[];
  latDeg: number;
}

/** Longest physical baseline of a configuration (m). */
export function longestBaselineM(stations: readonly StationName[]): number {
  let best = 0;
  for (const [i, j] of baselinePairs(stations)) {
    const b = baselineXyzM(stations[i], stations[j]);
    best = Math.max(best, Math.hypot(b[0], b[1], b[2]));
  }
  return best;
}

/** Build the night context of a target for a night (`YYYY-MM-DD`, local evening) and configuration. */
export function nightContext(target: { name?: string; raDeg: number; decDeg: number }, night: string, stationList: readonly string[]): NightContext {
  const stations = parseStations(stationList);
  const obs = computeNightObservability([{ name: target.name, raDeg: target.raDeg, decDeg: target.decDeg }], defaultObservabilityOptions(night, { stations, stepMin: 10 }));
  const t = obs.targets[0];
  const n = obs.grid.timesMjd.length;
  let window: number[] = [];
  for (let k = 0; k < n; k++) if (t.observable[k]) window.push(k);
  let source = `longest projected baseline of ${stations.join('-')} over the target's observable window on ${night}`;
  if (window.length === 0) {
    // Not observable with delay lines: fall back to the dark samples above the elevation limit.
    for (let k = 0; k < n; k++) if (obs.grid.sunAltDeg[k] < -12 && t.altDeg[k] > 30) window.push(k);
    source = `longest projected baseline of ${stations.join('-')} while the target is above 30° on ${night} (not observable with delay lines)`;
  }
  const pairs = baselinePairs(stations).map(([i, j]) => baselineXyzM(stations[i], stations[j]));
  let baselineM = 0;
  const dec = target.decDeg * DEG;
  for (const k of window) {
    const ha = t.haH[k] * 15 * DEG;
    for (const b of pairs) {
      const p = projectBaseline(b, ha, dec);
      baselineM = Math.max(baselineM, Math.hypot(p.uM, p.vM));
    }
  }
  if (window.length === 0) {
    baselineM = longestBaselineM(stations);
    source = `longest physical baseline of ${stations.join('-')} (target never above 30° at night on ${night})`;
  }
  return {
    night,
    stations,
    baselineM,
    baselineSource: source,
    windowMjd: window.length ? [obs.grid.timesMjd[window[0]], obs.grid.timesMjd[window[window.length - 1]]] : null,
    lstH: window.map((k) => obs.grid.lstH[k]),
    targetAirmass: window.map((k) => airmassOf(t.altDeg[k])),
    latDeg: CHARA_SITE.latDeg,
  };
}

/** Plane-parallel airmass; Infinity at or below the horizon. */
export function airmassOf(altDeg: number): number {
  return altDeg > 0 ? 1 / Math.sin(altDeg * DEG) : Infinity;
}

/** Geometric altitude (deg) of a J2000 position at a local sidereal time. */
export function altitudeDeg(raDeg: number, decDeg: number, lstH: number, latDeg: number): number {
  const ha = (lstH * 15 - raDeg) * DEG;
  const d = decDeg * DEG;
  const phi = latDeg * DEG;
  return Math.asin(Math.sin(phi) * Math.sin(d) + Math.cos(phi) * Math.cos(d) * Math.cos(ha)) / DEG;
}
