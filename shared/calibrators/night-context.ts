/**
 * What a night adds to a proposal: the target's observable window, the longest *projected*
 * baseline of the configuration over that window (B_eff of note §6.1), and the target's airmass
 * per sample so each calibrator's airmass mismatch can be measured. Uses the shared astro engine.
 */
import { baselinePairs, baselineXyzM, parseStations, projectBaseline } from '../astro/baselines';
import { localSiderealTimeH } from '../astro/frame';
import { nightEvents, sunAltitudeDeg } from '../astro/night';
import { computeNightObservability, defaultObservabilityOptions } from '../astro/observability';
import { CHARA_SITE } from '../astro/site';
import type { ObservabilityOptions, StationName } from '../astro/types';
import type { ObservableWindow } from './types';

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
  /** LST (h) and target airmass at up to 16 samples spread over the window. */
  lstH: number[];
  targetAirmass: number[];
  latDeg: number;
  /** Observability options of the night (configuration, PoPs, limits): calibrators' windows use them too. */
  options: ObservabilityOptions;
  /** NSS's RA window: LST at sunset and at sunrise, Sun centre at 0° (deg; the start may exceed the end). */
  lstWindowDeg: [number, number];
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
export function nightContext(
  target: { name?: string; raDeg: number; decDeg: number },
  night: string,
  stationList: readonly string[],
  overrides: Partial<ObservabilityOptions> = {},
): NightContext {
  return nightContexts([target], night, stationList, overrides)[0];
}

/** Grid step of the night contexts and calibrator windows (min): windows to ±5 min are enough to plan. */
const CONTEXT_STEP_MIN = 10;

/**
 * Night contexts of many targets at once: the astro engine computes the night grid, Sun, Moon and
 * sky frame once for all of them, which is what a night's plan needs.
 */
export function nightContexts(
  targets: ReadonlyArray<{ name?: string; raDeg: number; decDeg: number }>,
  night: string,
  stationList: readonly string[],
  overrides: Partial<ObservabilityOptions> = {},
): NightContext[] {
  const stations = parseStations(stationList);
  const options = defaultObservabilityOptions(night, { stepMin: CONTEXT_STEP_MIN, ...overrides, stations });
  const obs = computeNightObservability(
    targets.map((t) => ({ name: t.name, raDeg: t.raDeg, decDeg: t.decDeg })),
    options,
  );
  const lstWindowDeg = nssLstWindowDeg(night);
  const pairs = baselinePairs(stations).map(([i, j]) => baselineXyzM(stations[i], stations[j]));
  const n = obs.grid.timesMjd.length;
  return targets.map((target, index) => {
    const t = obs.targets[index];
    const window: number[] = [];
    for (let k = 0; k < n; k++) if (t.observable[k]) window.push(k);
    let source = `longest projected baseline of ${stations.join('-')} over the target's observable window on ${night}`;
    if (window.length === 0) {
      // Not observable with delay lines: fall back to the dark samples above the elevation limit.
      for (let k = 0; k < n; k++) if (obs.grid.sunAltDeg[k] < -12 && t.altDeg[k] > 30) window.push(k);
      source = `longest projected baseline of ${stations.join('-')} while the target is above 30° on ${night} (not observable with delay lines)`;
    }
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
      windowMjd: window.length ? [obs.grid.timesMjd[window[0]], obs.grid.timesMjd[window[window.length - 1]]] as [number, number] : null,
      lstH: thin(window).map((k) => obs.grid.lstH[k]),
      targetAirmass: thin(window).map((k) => airmassOf(t.altDeg[k])),
      latDeg: CHARA_SITE.latDeg,
      options,
      lstWindowDeg,
    };
  });
}

/**
 * Observable windows of stars on a night with the night's configuration and PoPs (one astro-engine
 * call for all of them). With fixed PoPs every star uses them; with 'auto' each gets its best set.
 */
export function observableWindows(stars: ReadonlyArray<{ name?: string; raDeg: number; decDeg: number }>, options: ObservabilityOptions): ObservableWindow[] {
  if (stars.length === 0) return [];
  const obs = computeNightObservability(stars.map((s) => ({ name: s.name, raDeg: s.raDeg, decDeg: s.decDeg })), options);
  const stepD = options.stepMin / 1440;
  const basis = `${options.stations.join('-')}, PoPs ${options.pops === 'auto' ? 'best per star' : options.pops}${options.useDelayLines ? '' : ' (delay lines off)'}, ${options.minElevationDeg}°, ${options.twilightDeg}° twilight, ${options.stepMin}-min grid`;
  return obs.targets.map((t) => {
    // MJD to 0.09 s and hours to 3.6 s: the grid is minutes, and JSON stays short.
    const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
    const intervalsMjd = t.intervals.map((iv): [number, number] => [r6(iv.startMjd), r6(iv.endMjd)]);
    // Each run covers its samples plus one step: the last good sample holds until the next one.
    const hours = t.intervals.reduce((a, iv) => a + (iv.endMjd - iv.startMjd + stepD) * 24, 0);
    return { intervalsMjd, hours: Math.round(hours * 1000) / 1000, pops: t.pops, basis };
  });
}

/**
 * NSS's observable RA window for a night (`observable_domain` in nss.py): the local sidereal time
 * at sunset and at sunrise, with the Sun's centre at 0° and no refraction (astroplan's
 * `sun_set_time(…, horizon=0°)`), in degrees. NSS's date is the UT date of the night, which is the
 * day after the app's night (the local date of the evening).
 */
export function nssLstWindowDeg(night: string): [number, number] {
  const events = nightEvents(night, CHARA_SITE);
  const crossing = (near: number, rising: boolean): number => {
    // Bracket the crossing within ±1 h of the refracted upper-limb event, then bisect.
    let lo = near - 1 / 24;
    let hi = near + 1 / 24;
    const above = (mjd: number) => sunAltitudeDeg(mjd, CHARA_SITE) > 0;
    for (let k = 0; k < 40; k++) {
      const mid = (lo + hi) / 2;
      if (above(mid) === rising) hi = mid;
      else lo = mid;
    }
    return (lo + hi) / 2;
  };
  const set = crossing(events.sunsetMjd, false);
  const rise = crossing(events.sunriseMjd, true);
  return [localSiderealTimeH(set, CHARA_SITE.lonDeg) * 15, localSiderealTimeH(rise, CHARA_SITE.lonDeg) * 15];
}

/** Whether an RA lies strictly inside NSS's window (which may wrap through 0h), as nss.py tests it. */
export function inLstWindow(raDeg: number, [start, end]: readonly [number, number]): boolean {
  return start < end ? raDeg > start && raDeg < end : raDeg > start || raDeg < end;
}

/** Samples kept for the airmass comparison: at most this many, evenly spread over the window. */
const MAX_AIRMASS_SAMPLES = 16;

/** Every k-th sample so that at most MAX_AIRMASS_SAMPLES remain (a mean airmass needs no more). */
function thin(window: number[]): number[] {
  if (window.length <= MAX_AIRMASS_SAMPLES) return window;
  const step = window.length / MAX_AIRMASS_SAMPLES;
  return Array.from({ length: MAX_AIRMASS_SAMPLES }, (_, k) => window[Math.floor(k * step)]);
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
