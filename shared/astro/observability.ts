/**
 * Night observability of a whole survey in one call.
 *
 * Per night (once): the grid, Sun altitude, topocentric Moon, sidereal time and one apparent-place
 * frame (precession, nutation, annual aberration). Per target: apparent RA/Dec once, then per
 * sample only sin/cos algebra — hour angle from cos/sin of LST and RA, altitude, azimuth, Moon
 * separation, horizon table look-ups and the delay-line test. No astronomy-engine call per target.
 */
import { CHARA } from '../chara/model';
import { parseStations } from './baselines';
import { defaultPops, delayModel, parsePops, popSearchWorkspace, searchBestPops, type DelayModel, type PopSearchWorkspace } from './delay';
import { apparentRaDecRad } from './frame';
import { horizonTable, maxHorizonDeg } from './horizon';
import { nightSky, type NightSky } from './night';
import { CHARA_SITE } from './site';
import {
  Why,
  type NightObservability,
  type ObservabilityOptions,
  type SkyTarget,
  type TargetObservability,
} from './types';

const DEG = Math.PI / 180;
// Local copies: in hot loops an imported binding can cost a getter call per access.
const TWILIGHT = Why.twilight;
const MIN_ELEVATION = Why.minElevation;
const MAX_ELEVATION = Why.maxElevation;
const HORIZON = Why.horizon;
const MOON = Why.moon;
const DELAY_LINE = Why.delayLine;
/** Width of the Gaussian that favours transit in the best-PoP score (ASPRO2 MEDIUM, 2 h). */
const POP_SIGMA_H = 2;

/** Options with CHARA/SPICA defaults: 6T, best PoPs, 30°, −12° twilight, Moon 5°, 5-min grid. */
export function defaultObservabilityOptions(night: string, overrides: Partial<ObservabilityOptions> = {}): ObservabilityOptions {
  return {
    night,
    stations: ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'],
    pops: 'auto',
    minElevationDeg: 30,
    twilightDeg: -12,
    minMoonSepDeg: CHARA.telescope.moonSeparationDeg,
    stepMin: 5,
    useDelayLines: true,
    ...overrides,
  };
}

function checkOptions(o: ObservabilityOptions): void {
  const finite = (name: string, v: number) => {
    if (!Number.isFinite(v)) throw new Error(`observability option ${name} must be a number, got ${v}`);
  };
  finite('minElevationDeg', o.minElevationDeg);
  finite('twilightDeg', o.twilightDeg);
  finite('minMoonSepDeg', o.minMoonSepDeg);
  finite('stepMin', o.stepMin);
  if (o.stepMin <= 0 || o.stepMin > 60) throw new Error(`observability option stepMin must be in (0, 60], got ${o.stepMin}`);
}

function checkTarget(t: SkyTarget, index: number): void {
  if (!Number.isFinite(t.raDeg) || t.raDeg < 0 || t.raDeg >= 360 || !Number.isFinite(t.decDeg) || t.decDeg < -90 || t.decDeg > 90) {
    throw new Error(`target ${index}${t.name ? ` (${t.name})` : ''}: ra_deg must be in [0, 360) and dec_deg in [-90, 90], got ${t.raDeg}, ${t.decDeg}`);
  }
}

/** One allocation per output field for the whole survey; targets get views (subarrays). */
interface Slab {
  next: number;
  why: Uint8Array;
  observable: Uint8Array;
  horizonStations: Uint8Array;
  delayBaselines: Uint16Array;
  altDeg: Float32Array;
  azDeg: Float32Array;
  haH: Float32Array;
}

/** Per-call constants and scratch buffers, shared by all targets of one call. */
interface Scratch {
  /** Apparent RA, Dec (rad) of the current target. */
  place: Float64Array;
  cosH: Float64Array;
  sinH: Float64Array;
  sampleIndex: Int32Array;
  weights: Float64Array;
  baseM: Float64Array;
  e: Float64Array;
  /** Per-target delay coefficients and the configuration's constants as typed arrays. */
  delayTerms: { x0: Float64Array; y0: Float64Array; z0: Float64Array; throwM: Float64Array };
  slab: Slab;
  workspace: PopSearchWorkspace;
  /** Best PoPs of the previous target: the first guess for the next search. */
  lastPops: number[] | null;
  maxEl: number;
  minEl: number;
  twilightDeg: number;
  horizonCeiling: number;
  tables: Float32Array[];
  cosMoonMin: number;
  moonBelow: boolean;
  sinLat: number;
  cosLat: number;
}

/**
 * Observability of every target over the night of `options.night`: one grid, one entry per
 * target in input order. Throws naming the option or target that is invalid.
 */
export function computeNightObservability(targets: SkyTarget[], options: ObservabilityOptions): NightObservability {
  checkOptions(options);
  targets.forEach(checkTarget);
  const { stations, sky, model, scratch } = setUp(options, targets.length);
  const fixedPops = options.useDelayLines && options.pops !== 'auto' ? parsePops(options.pops, stations) : null;
  const result = targets.map((t) => observeTarget(t, options, sky, model, fixedPops, scratch));
  return { grid: sky.grid, options: { ...options, stations }, targets: result };
}

/** Observable runs of every target with each of several PoP sets (see `computePopSetIntervals`). */
export interface PopSetIntervals {
  grid: NightObservability['grid'];
  /** `intervals[target][popSet]`: maximal runs where every constraint holds with that PoP set. */
  intervals: Array<Array<Array<{ startMjd: number; endMjd: number }>>>;
}

/**
 * Observable runs of every target with each PoP set of `popSets` (one digit per station), with
 * the same grid and constraints as `computeNightObservability`: the sky part is computed once per
 * target and only the delay-line test is repeated per PoP set, so a planner can try a target on
 * the night's few PoP sets cheaply. `options.pops` is ignored; delay lines must be on.
 */
export function computePopSetIntervals(
  targets: SkyTarget[],
  options: ObservabilityOptions,
  popSets: readonly string[],
  /** Indices into `popSets` to compute for target i (default all); the others stay empty. */
  which?: (targetIndex: number) => readonly number[],
): PopSetIntervals {
  checkOptions(options);
  targets.forEach(checkTarget);
  if (!options.useDelayLines) throw new Error('computePopSetIntervals: delay lines are off, so PoP sets do not matter');
  const { stations, sky, model, scratch } = setUp(options, 1);
  const sets = popSets.map((p) => parsePops(p, stations));
  const n = sky.grid.timesMjd.length;
  const times = sky.grid.timesMjd;
  const okSamples = new Int32Array(n);
  const intervals = targets.map((target, index) => {
    const wanted = which ? new Set(which(index)) : null;
    scratch.slab.next = 0;
    const slab = scratch.slab;
    slab.why.fill(0);
    slab.horizonStations.fill(0);
    const place = scratch.place;
    apparentRaDecRad(sky.frame, target.raDeg, target.decDeg, place);
    const cosA = Math.cos(place[0]);
    const sinA = Math.sin(place[0]);
    const sinD = Math.sin(place[1]);
    const cosD = Math.cos(place[1]);
    skyPass(n, cosA, sinA, sinD, cosD, place[0] / (15 * DEG), sky.cosLst, sky.sinLst, sky.grid.lstH, sky.grid.sunAltDeg, sky.moonXyz, sky.moonAltDeg, scratch,
      scratch.cosH, scratch.sinH, slab.altDeg, slab.azDeg, slab.haH, slab.why, slab.horizonStations);
    let anySky = false;
    for (let k = 0; k < n; k++) if (slab.why[k] === 0) anySky = true;
    if (!anySky) return sets.map(() => []);
    // Only the samples where the sky allows it need the delay test.
    let m = 0;
    for (let k = 0; k < n; k++) if (slab.why[k] === 0) okSamples[m++] = k;
    const ns = stations.length;
    const { x0, y0, z0, throwM } = scratch.delayTerms;
    return sets.map((pops, setIndex) => {
      if (wanted && !wanted.has(setIndex)) return [];
      for (let i = 0; i < ns; i++) {
        const p = model.xyzM[i];
        x0[i] = p[0] * cosD;
        y0[i] = p[1] * cosD;
        z0[i] = p[2] * sinD - model.internalM[i] - model.popM[i][pops[i] - 1];
      }
      const runs: Array<{ startMjd: number; endMjd: number }> = [];
      let runStart = -1;
      let prev = -2;
      for (let s = 0; s <= m; s++) {
        const k = s < m ? okSamples[s] : -1;
        const ok = k >= 0 && inDelay(ns, scratch.cosH[k], scratch.sinH[k], x0, y0, z0, throwM);
        if (ok && runStart >= 0 && k === prev + 1) {
          prev = k;
          continue;
        }
        if (runStart >= 0) runs.push({ startMjd: times[runStart], endMjd: times[prev] });
        runStart = ok ? k : -1;
        prev = k;
      }
      return runs;
    });
  });
  return { grid: sky.grid, intervals };
}

/** Grid, delay model and scratch buffers of one call, with room for `targetCount` targets. */
function setUp(options: ObservabilityOptions, targetCount: number): { stations: ReturnType<typeof parseStations>; sky: NightSky; model: DelayModel; scratch: Scratch } {
  const stations = parseStations(options.stations);
  const site = options.site ?? CHARA_SITE;
  const sky = nightSky(options.night, site, { stepMin: options.stepMin, startMjd: options.gridStartMjd, endMjd: options.gridEndMjd });
  const model = delayModel(stations);
  const n = sky.grid.timesMjd.length;
  const scratch: Scratch = {
    place: new Float64Array(2),
    cosH: new Float64Array(n),
    sinH: new Float64Array(n),
    sampleIndex: new Int32Array(n),
    weights: new Float64Array(n),
    baseM: new Float64Array(n * stations.length),
    e: new Float64Array(stations.length),
    delayTerms: {
      x0: new Float64Array(stations.length),
      y0: new Float64Array(stations.length),
      z0: new Float64Array(stations.length),
      throwM: Float64Array.from(model.throwM),
    },
    slab: {
      next: 0,
      why: new Uint8Array(n * targetCount),
      observable: new Uint8Array(n * targetCount),
      horizonStations: new Uint8Array(n * targetCount),
      delayBaselines: new Uint16Array(n * targetCount),
      altDeg: new Float32Array(n * targetCount),
      azDeg: new Float32Array(n * targetCount),
      haH: new Float32Array(n * targetCount),
    },
    workspace: popSearchWorkspace(stations.length, n),
    lastPops: null,
    maxEl: options.maxElevationDeg ?? CHARA.telescope.maxElevationDeg,
    minEl: options.minElevationDeg,
    twilightDeg: options.twilightDeg,
    horizonCeiling: options.useHorizons ?? true ? maxHorizonDeg(stations) : -90,
    tables: stations.map((s) => horizonTable(s)),
    cosMoonMin: options.minMoonSepDeg > 0 ? Math.cos(options.minMoonSepDeg * DEG) : 2,
    moonBelow: options.moonRuleBelowHorizon ?? false,
    sinLat: Math.sin(site.latDeg * DEG),
    cosLat: Math.cos(site.latDeg * DEG),
  };
  return { stations, sky, model, scratch };
}

function observeTarget(
  target: SkyTarget,
  o: ObservabilityOptions,
  sky: NightSky,
  model: DelayModel,
  fixedPops: number[] | null,
  scratch: Scratch,
): TargetObservability {
  const n = sky.grid.timesMjd.length;
  const stations = model.stations;

  const place = scratch.place;
  apparentRaDecRad(sky.frame, target.raDeg, target.decDeg, place);
  const cosA = Math.cos(place[0]);
  const sinA = Math.sin(place[0]);
  const sinD = Math.sin(place[1]);
  const cosD = Math.cos(place[1]);

  const slab = scratch.slab;
  const at = slab.next++ * n;
  const why = slab.why.subarray(at, at + n);
  const horizonStations = slab.horizonStations.subarray(at, at + n);
  const delayBaselines = slab.delayBaselines.subarray(at, at + n);
  const altDeg = slab.altDeg.subarray(at, at + n);
  const azDeg = slab.azDeg.subarray(at, at + n);
  const haH = slab.haH.subarray(at, at + n);
  const observable = slab.observable.subarray(at, at + n);
  const { cosH, sinH } = scratch;
  const lstH = sky.grid.lstH;
  const raH = place[0] / (15 * DEG);
  const sunAlt = sky.grid.sunAltDeg;

  skyPass(n, cosA, sinA, sinD, cosD, raH, sky.cosLst, sky.sinLst, lstH, sunAlt, sky.moonXyz, sky.moonAltDeg, scratch, cosH, sinH, altDeg, azDeg, haH, why, horizonStations);

  let popsUsed: number[] = [];
  if (o.useDelayLines) {
    popsUsed = fixedPops ?? chooseBestPops(model, why, cosD, sinD, scratch, n, o.stepMin);
    const ns = stations.length;
    const { x0, y0, z0 } = scratch.delayTerms;
    for (let i = 0; i < ns; i++) {
      const p = model.xyzM[i];
      x0[i] = p[0] * cosD;
      y0[i] = p[1] * cosD;
      z0[i] = p[2] * sinD - model.internalM[i] - model.popM[i][popsUsed[i] - 1];
    }
    delayPass(n, ns, cosH, sinH, x0, y0, z0, scratch.delayTerms.throwM, scratch.e, why, delayBaselines);
  }

  const intervals: Array<{ startMjd: number; endMjd: number }> = [];
  const times = sky.grid.timesMjd;
  let runStart = -1;
  for (let k = 0; k <= n; k++) {
    const ok = k < n && why[k] === 0;
    if (ok) {
      observable[k] = 1;
      if (runStart < 0) runStart = k;
    } else if (runStart >= 0) {
      intervals.push({ startMjd: times[runStart], endMjd: times[k - 1] });
      runStart = -1;
    }
  }
  return {
    observable,
    why,
    horizonStations,
    delayBaselines,
    altDeg,
    azDeg,
    haH,
    pops: popsUsed.join(''),
    intervals,
    apparentDecDeg: place[1] / DEG,
  };
}

/**
 * The sky constraints of one target at every sample (kept apart from `observeTarget` with
 * typed-array arguments only, so V8 optimises it once and keeps it optimised).
 */
function skyPass(
  n: number, cosA: number, sinA: number, sinD: number, cosD: number, raH: number,
  cosLst: Float64Array, sinLst: Float64Array, lstH: Float64Array, sunAlt: Float64Array, moonXyz: Float64Array, moonAltDeg: Float64Array,
  c: Scratch,
  cosH: Float64Array, sinH: Float64Array, altDeg: Float32Array, azDeg: Float32Array, haH: Float32Array, why: Uint8Array, horizonStations: Uint8Array,
): void {
  const { maxEl, horizonCeiling, tables, cosMoonMin, moonBelow, sinLat, cosLat, minEl, twilightDeg } = c;
  const nt = tables.length;
  const ux = cosD * cosA;
  const uy = cosD * sinA;
  for (let k = 0; k < n; k++) {
    const ch = cosLst[k] * cosA + sinLst[k] * sinA;
    const sh = sinLst[k] * cosA - cosLst[k] * sinA;
    cosH[k] = ch;
    sinH[k] = sh;
    const alt = Math.asin(sinLat * sinD + cosLat * cosD * ch) / DEG;
    let az = Math.atan2(-cosD * sh, cosLat * sinD - sinLat * cosD * ch) / DEG;
    if (az < 0) az += 360;
    altDeg[k] = alt;
    azDeg[k] = az;
    let ha = lstH[k] - raH;
    if (ha >= 12) ha -= 24;
    else if (ha < -12) ha += 24;
    haH[k] = ha;
    let w = 0;
    if (sunAlt[k] > twilightDeg) w |= TWILIGHT;
    if (alt <= minEl) w |= MIN_ELEVATION;
    if (alt > maxEl) w |= MAX_ELEVATION;
    if (alt < horizonCeiling) {
      const cell = Math.round(az * 10);
      let bits = 0;
      for (let i = 0; i < nt; i++) if (alt < tables[i][cell]) bits |= 1 << i;
      if (bits !== 0) {
        horizonStations[k] = bits;
        w |= HORIZON;
      }
    }
    const cm = ux * moonXyz[3 * k] + uy * moonXyz[3 * k + 1] + sinD * moonXyz[3 * k + 2];
    if (cm > cosMoonMin && (moonBelow || moonAltDeg[k] > 0)) w |= MOON;
    why[k] = w;
  }
}

/**
 * Delay-line flags of one target at every sample: all baselines are in delay iff the stations'
 * cart intervals [−eᵢ, throwᵢ − eᵢ] meet; only when they do not are the 15 pairs tested.
 */
function delayPass(
  n: number, ns: number, cosH: Float64Array, sinH: Float64Array,
  x0: Float64Array, y0: Float64Array, z0: Float64Array, throwM: Float64Array,
  e: Float64Array, why: Uint8Array, delayBaselines: Uint16Array,
): void {
  for (let k = 0; k < n; k++) {
    const ch = cosH[k];
    const sh = sinH[k];
    let maxLo = -Infinity;
    let minHi = Infinity;
    for (let i = 0; i < ns; i++) {
      const ei = ch * x0[i] - sh * y0[i] + z0[i];
      e[i] = ei;
      if (-ei > maxLo) maxLo = -ei;
      if (throwM[i] - ei < minHi) minHi = throwM[i] - ei;
    }
    if (maxLo <= minHi) continue;
    delayBaselines[k] = outOfReachBaselines(ns, e, throwM);
    why[k] |= DELAY_LINE;
  }
}

/** Whether every baseline is in delay at one sample (the test of `delayPass`). */
function inDelay(ns: number, ch: number, sh: number, x0: Float64Array, y0: Float64Array, z0: Float64Array, throwM: Float64Array): boolean {
  let maxLo = -Infinity;
  let minHi = Infinity;
  for (let i = 0; i < ns; i++) {
    const ei = ch * x0[i] - sh * y0[i] + z0[i];
    if (-ei > maxLo) maxLo = -ei;
    if (throwM[i] - ei < minHi) minHi = throwM[i] - ei;
  }
  return maxLo <= minHi;
}

/**
 * Bit b set when baseline b (in `baselinePairs` order: i < j, nested) is out of reach, given the
 * stations' offsets eᵢ. Nested loops instead of pair-index tables: fewer loads per pair.
 */
function outOfReachBaselines(ns: number, e: Float64Array, throwM: Float64Array): number {
  let bits = 0;
  let b = 0;
  for (let i = 0; i < ns; i++) {
    const ei = e[i];
    const throwI = throwM[i];
    for (let j = i + 1; j < ns; j++) {
      const x = ei - e[j];
      if (x > throwI || x < -throwM[j]) bits |= 1 << b;
      b++;
    }
  }
  return bits;
}

/**
 * Best PoPs over the samples where every sky constraint holds, sampled every ≥ 15 min (the PoP
 * choice is a smooth function of the window; this keeps 1000 targets × 3125 combinations cheap).
 * When no sample qualifies, over the dark samples every 30 min, so the delay bars of a target
 * that is never up still show a sensible choice.
 */
function chooseBestPops(model: DelayModel, why: Uint8Array, cosD: number, sinD: number, scratch: Scratch, n: number, stepMin: number): number[] {
  const attempt = (mask: number, strideMin: number): number[] | null => {
    let stride = Math.max(1, Math.round(strideMin / stepMin));
    let m = 0;
    for (let k = 0; k < n; k += stride) if ((why[k] & mask) === 0) scratch.sampleIndex[m++] = k / stride;
    if (m === 0 && stride > 1) {
      // A window shorter than the subgrid step: search on the full grid instead.
      stride = 1;
      for (let k = 0; k < n; k++) if ((why[k] & mask) === 0) scratch.sampleIndex[m++] = k;
    }
    if (m === 0) return null;
    const sampleIndex = scratch.sampleIndex.subarray(0, m);
    const weights = scratch.weights.subarray(0, m);
    const base = scratch.baseM.subarray(0, m * model.stations.length);
    for (let s = 0; s < m; s++) {
      const k = sampleIndex[s] * stride;
      const ha = Math.atan2(scratch.sinH[k], scratch.cosH[k]) / (15 * DEG);
      weights[s] = Math.exp(-(ha * ha) / (2 * POP_SIGMA_H * POP_SIGMA_H));
      for (let i = 0; i < model.stations.length; i++) {
        const p = model.xyzM[i];
        const d = cosD * (scratch.cosH[k] * p[0] - scratch.sinH[k] * p[1]) + sinD * p[2];
        base[i * m + s] = model.internalM[i] - d;
      }
    }
    const choice = searchBestPops(model, base, sampleIndex, weights, scratch.workspace, scratch.lastPops ?? undefined);
    if (choice.score > 0) scratch.lastPops = choice.pops;
    return choice.score > 0 ? choice.pops : null;
  };
  return attempt(0xff, 15) ?? attempt(TWILIGHT, 30) ?? defaultPops(model);
}
