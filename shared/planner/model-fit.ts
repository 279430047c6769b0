/**
 * Predicted V² of a target's model over the instants a sequence would observe it, for the
 * planner's model preference (#16): the share of (baseline × instant × channel) samples inside the
 * "resolved enough" bounds (docs/models.md), and the lowest and highest V². Uses the model engine
 * (`complexVisibility`) on the configuration's projected baselines (`projectBaseline`).
 */
import { baselinePairs, baselineXyzM, parseStations, projectBaseline } from '../astro/baselines';
import { complexVisibility, squaredVisibility, type ObjectModel, type Vis2Bounds } from '../models';
import { hourAngleH } from './sidereal';
import type { MjdInterval, SiderealTable } from './types';

/** SPICA wavelengths the preference looks at (µm): bluest LR channel, band centre, reddest. */
export const PLAN_LAMBDAS_UM = [0.6142, 0.75, 0.8999];

/** What the block card shows of a prediction. */
export interface Vis2Summary {
  vis2Min: number;
  vis2Max: number;
  /** Share of samples within the bounds, 0..1. */
  fractionWithin: number;
  /** Baselines with most of their samples within the bounds. */
  baselinesOk: number;
  baselines: number;
}

/**
 * V² of `model` at the instants `timesMjd` for the configuration `stations` (target at
 * `raDeg`, apparent `decDeg`), summarised against `bounds`. Null without instants.
 */
export function vis2Over(
  model: ObjectModel,
  stations: readonly string[],
  raDeg: number,
  decDeg: number,
  timesMjd: readonly number[],
  sidereal: SiderealTable,
  bounds: Vis2Bounds,
  lambdaUm: readonly number[] = PLAN_LAMBDAS_UM,
): Vis2Summary | null {
  if (timesMjd.length === 0) return null;
  const st = parseStations(stations);
  const pairs = baselinePairs(st).map(([i, j]) => baselineXyzM(st[i], st[j]));
  const nT = timesMjd.length;
  const uM = new Float64Array(pairs.length * nT);
  const vM = new Float64Array(pairs.length * nT);
  const dec = (decDeg * Math.PI) / 180;
  timesMjd.forEach((t, k) => {
    const ha = (hourAngleH(sidereal, t, raDeg) * 15 * Math.PI) / 180;
    pairs.forEach((b, n) => {
      const p = projectBaseline(b, ha, dec);
      uM[n * nT + k] = p.uM;
      vM[n * nT + k] = p.vM;
    });
  });
  const vis2 = squaredVisibility(complexVisibility(model, uM, vM, Float64Array.from(lambdaUm)));
  const perBaseline = nT * lambdaUm.length;
  let within = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let baselinesOk = 0;
  for (let n = 0; n < pairs.length; n++) {
    let w = 0;
    for (let i = n * perBaseline; i < (n + 1) * perBaseline; i++) {
      const v = vis2[i];
      if (v >= bounds.vis2Min && v <= bounds.vis2Max) w++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    within += w;
    if (w * 2 >= perBaseline) baselinesOk++;
  }
  return { vis2Min: lo, vis2Max: hi, fractionWithin: within / vis2.length, baselinesOk, baselines: pairs.length };
}

/** Up to `count` instants spread over a target's windows (for a night-wide prediction). */
export function samplesOf(intervals: readonly MjdInterval[], count = 8): number[] {
  const total = intervals.reduce((s, iv) => s + (iv.endMjd - iv.startMjd), 0);
  if (intervals.length === 0) return [];
  if (total <= 0) return [intervals[0].startMjd];
  const out: number[] = [];
  for (let n = 0; n < count; n++) {
    let x = ((n + 0.5) / count) * total;
    for (const iv of intervals) {
      const len = iv.endMjd - iv.startMjd;
      if (x <= len) {
        out.push(iv.startMjd + x);
        break;
      }
      x -= len;
    }
  }
  return out;
}
