/**
 * Night events and the sample grid of one night: Sun and Moon from astronomy-engine,
 * computed once per night (never per target).
 */
import { Body, Equator, Horizon, Illumination, SearchAltitude, SearchRiseSet } from 'astronomy-engine';
import { localSiderealTimeH, skyFrame, type SkyFrame } from './frame';
import { observerOf, type Site } from './site';
import { astroTime, parseNight, MJD_UNIX_EPOCH } from './time';
import type { NightGrid } from './types';

const DEG = Math.PI / 180;
/** Spacing of the Sun/Moon ephemeris nodes, days (30 min). */
const NODE_DAY = 1 / 48;
/** Ratio of sidereal to solar time. */
const SIDEREAL_RATE = 1.00273790935;
const SCRATCH = new Float64Array(3);

function writeUnit(eq: { ra: number; dec: number }, out: Float64Array, j: number): void {
  const ra = eq.ra * 15 * DEG;
  const dec = eq.dec * DEG;
  out[3 * j] = Math.cos(dec) * Math.cos(ra);
  out[3 * j + 1] = Math.cos(dec) * Math.sin(ra);
  out[3 * j + 2] = Math.sin(dec);
}

function interpolateUnit(nodes: Float64Array, j: number, f: number, out: Float64Array): Float64Array {
  const x = nodes[3 * j] + f * (nodes[3 * j + 3] - nodes[3 * j]);
  const y = nodes[3 * j + 1] + f * (nodes[3 * j + 4] - nodes[3 * j + 1]);
  const z = nodes[3 * j + 2] + f * (nodes[3 * j + 5] - nodes[3 * j + 2]);
  const r = Math.hypot(x, y, z);
  out[0] = x / r;
  out[1] = y / r;
  out[2] = z / r;
  return out;
}

/** Altitude (deg) of an apparent-of-date unit vector, given cos/sin of the local sidereal time. */
function altitudeOf(u: ArrayLike<number>, cosLst: number, sinLst: number, sinLat: number, cosLat: number): number {
  // cos(HA)·cos(dec) = x·cos(LST) + y·sin(LST) for an equatorial unit vector (x, y, z).
  const cosHcosD = u[0] * cosLst + u[1] * sinLst;
  return Math.asin(Math.max(-1, Math.min(1, sinLat * u[2] + cosLat * cosHcosD))) / DEG;
}

/** Sun and twilight events of a night, MJD (UTC); NaN when the event does not happen. */
export interface NightEvents {
  night: string;
  /** Local solar midnight (from the site longitude), the centre of the night. */
  midnightMjd: number;
  sunsetMjd: number;
  sunriseMjd: number;
  nauticalDuskMjd: number;
  nauticalDawnMjd: number;
  astroDuskMjd: number;
  astroDawnMjd: number;
}

/** Local solar midnight that ends the evening of `night`, MJD (UTC). */
export function localMidnightMjd(night: string, site: Site): number {
  const { year, month, day } = parseNight(night);
  const mjd0 = Date.UTC(year, month - 1, day + 1) / 86_400_000 + MJD_UNIX_EPOCH;
  return mjd0 - site.lonDeg / 360;
}

function mjdOf(t: { ut: number } | null): number {
  return t ? t.ut + 51544.5 : Number.NaN;
}

const eventsCache = new Map<string, NightEvents>();

/** Sunset, sunrise (upper limb with standard refraction) and −12°/−18° crossings; cached per night and site. */
export function nightEvents(night: string, site: Site): NightEvents {
  const key = `${night}|${site.latDeg}|${site.lonDeg}|${site.heightM}`;
  const hit = eventsCache.get(key);
  if (hit) return hit;
  const events = searchNightEvents(night, site);
  if (eventsCache.size > 64) eventsCache.clear();
  eventsCache.set(key, events);
  return events;
}

function searchNightEvents(night: string, site: Site): NightEvents {
  const obs = observerOf(site);
  const midnightMjd = localMidnightMjd(night, site);
  const evening = astroTime(midnightMjd - 0.5);
  const morning = astroTime(midnightMjd);
  return {
    night,
    midnightMjd,
    sunsetMjd: mjdOf(SearchRiseSet(Body.Sun, obs, -1, evening, 0.5)),
    sunriseMjd: mjdOf(SearchRiseSet(Body.Sun, obs, +1, morning, 0.5)),
    nauticalDuskMjd: mjdOf(SearchAltitude(Body.Sun, obs, -1, evening, 0.5, -12)),
    nauticalDawnMjd: mjdOf(SearchAltitude(Body.Sun, obs, +1, morning, 0.5, -12)),
    astroDuskMjd: mjdOf(SearchAltitude(Body.Sun, obs, -1, evening, 0.5, -18)),
    astroDawnMjd: mjdOf(SearchAltitude(Body.Sun, obs, +1, morning, 0.5, -18)),
  };
}

/** Geometric (unrefracted) altitude of the Sun at `mjd`, degrees. */
export function sunAltitudeDeg(mjd: number, site: Site): number {
  const obs = observerOf(site);
  const t = astroTime(mjd);
  const eq = Equator(Body.Sun, t, obs, true, true);
  return Horizon(t, obs, eq.ra, eq.dec).altitude;
}

/** A night grid plus what the engine needs per sample (Moon direction, sky frame). */
export interface NightSky {
  grid: NightGrid;
  events: NightEvents;
  site: Site;
  /** J2000 → apparent-of-date transformation at the middle of the grid. */
  frame: SkyFrame;
  /** Topocentric apparent Moon unit vector (equator and equinox of date) per sample, xyz interleaved. */
  moonXyz: Float64Array;
  moonAltDeg: Float64Array;
  cosLst: Float64Array;
  sinLst: Float64Array;
}

/** Grid bounds and step; the default grid runs from sunset to sunrise on whole steps. */
export interface GridSpec {
  stepMin: number;
  /** First sample (UTC MJD); default: sunset rounded down to the step. */
  startMjd?: number;
  /** End of the grid, excluded as in astroplan's time_grid_from_range; default: sunrise rounded up, included. */
  endMjd?: number;
}

/** Build the shared per-sample quantities of a night (a few hundred astronomy-engine calls). */
export function nightSky(night: string, site: Site, spec: GridSpec): NightSky {
  if (!(spec.stepMin > 0)) throw new Error(`grid step must be > 0 minutes, got ${spec.stepMin}`);
  const events = nightEvents(night, site);
  const stepDay = spec.stepMin / 1440;
  let start = spec.startMjd;
  let n: number;
  if (start === undefined || spec.endMjd === undefined) {
    const set = Number.isFinite(events.sunsetMjd) ? events.sunsetMjd : events.midnightMjd - 0.5;
    const rise = Number.isFinite(events.sunriseMjd) ? events.sunriseMjd : events.midnightMjd + 0.5;
    start = start ?? Math.floor(set / stepDay) * stepDay;
    const end = spec.endMjd ?? Math.ceil(rise / stepDay) * stepDay + stepDay / 2;
    n = Math.max(0, Math.ceil((end - start) / stepDay - 1e-9));
  } else {
    n = Math.max(0, Math.ceil((spec.endMjd - start) / stepDay - 1e-6));
  }
  const timesMjd = new Float64Array(n);
  const lstH = new Float64Array(n);
  const sunAltDeg = new Float64Array(n);
  const moonXyz = new Float64Array(3 * n);
  const moonAltDeg = new Float64Array(n);
  const cosLst = new Float64Array(n);
  const sinLst = new Float64Array(n);
  for (let k = 0; k < n; k++) timesMjd[k] = start + k * stepDay;
  // Sun and Moon from astronomy-engine at nodes every NODE_DAY, linearly interpolated between
  // them: over 30 min the topocentric Moon departs from a straight line by < 0.01°.
  const t0 = n > 0 ? timesMjd[0] : start;
  const nodes = Math.max(2, Math.ceil((n > 0 ? timesMjd[n - 1] - t0 : 0) / NODE_DAY) + 2);
  const sunNodes = new Float64Array(3 * nodes);
  const moonNodes = new Float64Array(3 * nodes);
  const obs = observerOf(site);
  for (let j = 0; j < nodes; j++) {
    const t = astroTime(t0 + j * NODE_DAY);
    writeUnit(Equator(Body.Sun, t, obs, true, true), sunNodes, j);
    writeUnit(Equator(Body.Moon, t, obs, true, true), moonNodes, j);
  }
  const latRad = site.latDeg * DEG;
  const sinLat = Math.sin(latRad);
  const cosLat = Math.cos(latRad);
  const lst0 = localSiderealTimeH(t0, site.lonDeg);
  let moonUpDark = -1;
  for (let k = 0; k < n; k++) {
    const mjd = timesMjd[k];
    // Sidereal time advances 1.00273790935 times as fast as UT; exact to < 1 ms over a night.
    const lst = (((lst0 + (mjd - t0) * 24 * SIDEREAL_RATE) % 24) + 24) % 24;
    lstH[k] = lst;
    const c = Math.cos(lst * 15 * DEG);
    const s = Math.sin(lst * 15 * DEG);
    cosLst[k] = c;
    sinLst[k] = s;
    const x = (mjd - t0) / NODE_DAY;
    const j = Math.min(Math.floor(x), nodes - 2);
    const f = x - j;
    sunAltDeg[k] = altitudeOf(interpolateUnit(sunNodes, j, f, SCRATCH), c, s, sinLat, cosLat);
    const m = interpolateUnit(moonNodes, j, f, SCRATCH);
    moonXyz[3 * k] = m[0];
    moonXyz[3 * k + 1] = m[1];
    moonXyz[3 * k + 2] = m[2];
    moonAltDeg[k] = altitudeOf(m, c, s, sinLat, cosLat);
    if (moonAltDeg[k] > 0 && sunAltDeg[k] < -12 && moonUpDark < 0) moonUpDark = k;
  }
  // Illumination is quoted for the dark, Moon-up part of the night, as ASPRO2's FLI; the
  // phase changes by < 4 % a night so one evaluation is enough.
  const moonIllumination = moonUpDark >= 0 ? Illumination(Body.Moon, astroTime(timesMjd[moonUpDark])).phase_fraction : 0;
  const midMjd = n > 0 ? (timesMjd[0] + timesMjd[n - 1]) / 2 : events.midnightMjd;
  const grid: NightGrid = {
    night,
    stepMin: spec.stepMin,
    timesMjd,
    lstH,
    sunAltDeg,
    sunsetMjd: events.sunsetMjd,
    sunriseMjd: events.sunriseMjd,
    nauticalDuskMjd: events.nauticalDuskMjd,
    nauticalDawnMjd: events.nauticalDawnMjd,
    astroDuskMjd: events.astroDuskMjd,
    astroDawnMjd: events.astroDawnMjd,
    moonIllumination,
  };
  return { grid, events, site, frame: skyFrame(midMjd), moonXyz, moonAltDeg, cosLst, sinLst };
}
