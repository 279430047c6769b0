/**
 * Predictions over a night's uv tracks: V², phase and closure phases for every baseline, instant
 * and channel, and the "resolved enough?" verdict per baseline (V² between two bounds: below the
 * lower one the fringes are too faint to measure, above the upper one the star is unresolved).
 */
import { closurePhasesDeg, configurationTriangles, type Triangle } from './closure';
import type { ObjectModel } from './definitions';
import { complexVisibility, squaredVisibility, visibilityPhaseDeg, type VisibilityGrid } from './visibility';

/** One baseline's track: (u, v) in metres at the shared instants (as `UvTrack` carries them). */
export interface TrackUv {
  baseline: string;
  uM: ArrayLike<number>;
  vM: ArrayLike<number>;
}

/** Everything predicted for a night, in typed arrays (baseline-major, then time, then channel). */
export interface NightPrediction {
  baselines: string[];
  triangles: Triangle[];
  nTimes: number;
  lambdaUm: Float64Array;
  grid: VisibilityGrid;
  vis2: Float64Array;
  phaseDeg: Float64Array;
  /** Triangle-major, then time, then channel. */
  closureDeg: Float64Array;
}

/**
 * Predict a model over a configuration's tracks. Every track must hold the same instants (as
 * `uvCoverageAt` returns them); `stations` names the triangles.
 */
export function predictNight(model: ObjectModel, stations: readonly string[], tracks: readonly TrackUv[], lambdaUm: ArrayLike<number>): NightPrediction {
  const nTimes = tracks[0]?.uM.length ?? 0;
  const expected = (stations.length * (stations.length - 1)) / 2;
  if (tracks.length !== expected) throw new Error(`${stations.length} stations make ${expected} baselines, got ${tracks.length} tracks`);
  const uM = new Float64Array(tracks.length * nTimes);
  const vM = new Float64Array(tracks.length * nTimes);
  tracks.forEach((t, b) => {
    if (t.uM.length !== nTimes || t.vM.length !== nTimes) throw new Error(`track ${t.baseline} has ${t.uM.length} points, expected ${nTimes}`);
    for (let k = 0; k < nTimes; k++) {
      uM[b * nTimes + k] = t.uM[k];
      vM[b * nTimes + k] = t.vM[k];
    }
  });
  const lambdas = Float64Array.from(lambdaUm);
  const grid = complexVisibility(model, uM, vM, lambdas);
  const triangles = configurationTriangles(stations);
  return {
    baselines: tracks.map((t) => t.baseline),
    triangles,
    nTimes,
    lambdaUm: lambdas,
    grid,
    vis2: squaredVisibility(grid),
    phaseDeg: visibilityPhaseDeg(grid),
    closureDeg: closurePhasesDeg(grid, nTimes, triangles),
  };
}

/** V² bounds of a measurable, resolved baseline. */
export interface Vis2Bounds {
  /** Below this V² the fringes are too faint to measure well. */
  vis2Min: number;
  /** Above this V² the star is hardly resolved. */
  vis2Max: number;
}

/** Defaults: SPICA measures V² to a few 10⁻³ on bright stars; diameters need V² ≲ 0.9. */
export const DEFAULT_VIS2_BOUNDS: Vis2Bounds = { vis2Min: 0.05, vis2Max: 0.9 };

/** How one baseline fares over the night. */
export interface BaselineVerdict {
  baseline: string;
  /** `ok` when most samples are within the bounds, else where most of them fall. */
  status: 'ok' | 'too-resolved' | 'unresolved' | 'no-data';
  vis2Lowest: number | null;
  vis2Highest: number | null;
  /** Fractions of the (instant × channel) samples below, within and above the bounds. */
  fractionBelow: number;
  fractionWithin: number;
  fractionAbove: number;
}

/** The "resolved enough?" verdict of every baseline of a prediction. */
export function baselineVerdicts(p: NightPrediction, bounds: Vis2Bounds = DEFAULT_VIS2_BOUNDS): BaselineVerdict[] {
  const block = p.nTimes * p.lambdaUm.length;
  return p.baselines.map((baseline, b) => {
    if (block === 0) return { baseline, status: 'no-data', vis2Lowest: null, vis2Highest: null, fractionBelow: 0, fractionWithin: 0, fractionAbove: 0 };
    let below = 0;
    let above = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = b * block; k < (b + 1) * block; k++) {
      const v = p.vis2[k];
      if (v < bounds.vis2Min) below++;
      else if (v > bounds.vis2Max) above++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const within = block - below - above;
    const status = within >= below && within >= above ? 'ok' : below > above ? 'too-resolved' : 'unresolved';
    return { baseline, status, vis2Lowest: lo, vis2Highest: hi, fractionBelow: below / block, fractionWithin: within / block, fractionAbove: above / block };
  });
}

/**
 * The CHARA.xml SPICA mode for a short name: `LR`, `HR`, `MR` (= MR720, centred on SPICA's
 * reference wavelength 0.72 µm) or any exact mode name (`MR640` … `MR850`).
 */
export function spicaModeName(mode: string): string {
  const m = mode.trim().toUpperCase();
  if (m === 'MR') return 'MR720';
  if (!/^(LR|HR|MR(640|685|720|800|850))$/.test(m)) throw new Error(`unknown SPICA mode "${mode}" (expected LR, MR, HR or MR640/MR685/MR720/MR800/MR850)`);
  return m;
}
