/**
 * CHARA delay lines and PoPs (ASPRO2 DelayLineService / ObservabilityService rules).
 *
 * A baseline i–j is in delay when −throwⱼ ≤ w(H) − [(Pᵢ+popᵢ) − (Pⱼ+popⱼ)] ≤ throwᵢ, with
 * w = dᵢ − dⱼ and dᵢ = cosδ(cosH·Xᵢ − sinH·Yᵢ) + sinδ·Zᵢ the geometric delay of station i
 * relative to S1. Writing Lᵢ = Pᵢ + popᵢ − dᵢ, station i accepts the cart offsets
 * [Lᵢ, Lᵢ + throwᵢ], and all baselines are in delay exactly when these intervals share a point
 * (pairwise overlap of intervals on a line implies a common point). The best-PoP search uses
 * that form: one running max/min per sample instead of 15 pair tests.
 */
import { CHARA, charaStation, delayLineThrowM, internalPathM } from '../chara/model';
import type { StationName } from './types';

/** Per-station constants of the delay model for one configuration. */
export interface DelayModel {
  stations: StationName[];
  /** Station positions, equatorial XYZ (m), in configuration order. */
  xyzM: Array<[number, number, number]>;
  /** Internal path Pᵢ (fixed offset + SPICA switchyard channel), m. */
  internalM: number[];
  /** Delay-line throw per station, m. */
  throwM: number[];
  /** PoP1..5 optical lengths per station, m. */
  popM: number[][];
  /** PoP index (1..5) per station that the search may use. */
  allowedPops: number[][];
}

/** The delay model of a configuration. W2 is held on PoP5 as ASPRO2 does since 2021.07. */
export function delayModel(stations: readonly StationName[]): DelayModel {
  return {
    stations: [...stations],
    xyzM: stations.map((s) => charaStation(s).xyzM),
    internalM: stations.map((s) => internalPathM(s)),
    throwM: stations.map((s) => delayLineThrowM(s)),
    popM: stations.map((s) => charaStation(s).popOpticalLengthM),
    allowedPops: stations.map((s) => {
      const fixed = CHARA.fixedPops[s];
      return fixed ? [fixed] : [1, 2, 3, 4, 5];
    }),
  };
}

/** Parse a PoP string (one digit 1-5 per station); throws naming the bad digit. */
export function parsePops(pops: string, stations: readonly StationName[]): number[] {
  if (!/^[1-5]+$/.test(pops) || pops.length !== stations.length) {
    throw new Error(`PoPs must be ${stations.length} digits 1-5 (one per station ${stations.join(',')}), got "${pops}"`);
  }
  return [...pops].map(Number);
}

/** Each station's default PoP (the one with zero optical length), with W2 on PoP5. */
export function defaultPops(model: DelayModel): number[] {
  return model.stations.map((s, i) => {
    const fixed = CHARA.fixedPops[s];
    if (fixed) return fixed;
    const zero = model.popM[i].findIndex((v) => v === 0);
    return zero >= 0 ? zero + 1 : 1;
  });
}

/** Geometric delay dᵢ of every station at one (cosH, sinH, cosδ, sinδ), written into `out`. */
export function stationDelaysM(model: DelayModel, cosH: number, sinH: number, cosD: number, sinD: number, out: Float64Array): void {
  for (let i = 0; i < model.xyzM.length; i++) {
    const p = model.xyzM[i];
    out[i] = cosD * (cosH * p[0] - sinH * p[1]) + sinD * p[2];
  }
}

/**
 * Margin of baseline i–j in metres of optical delay: ≥ 0 in delay, negative out of reach
 * (by how much). `d` holds the station delays dᵢ.
 */
export function baselineMarginM(model: DelayModel, pops: readonly number[], d: ArrayLike<number>, i: number, j: number): number {
  const ei = d[i] - model.internalM[i] - model.popM[i][pops[i] - 1];
  const ej = d[j] - model.internalM[j] - model.popM[j][pops[j] - 1];
  const x = ei - ej;
  return Math.min(model.throwM[i] - x, x + model.throwM[j]);
}

/** Reusable buffers of the best-PoP search (typed-array allocation dominates otherwise). */
export interface PopSearchWorkspace {
  /** Running max of Lᵢ and min of Lᵢ + throwᵢ, per (level, candidate) slot, per sample. */
  lo: Float64Array[];
  hi: Float64Array[];
  /** Upper bound and PoP of each candidate, per level (5 slots a level). */
  ub: Float64Array;
  pop: Int8Array;
}

/** Buffers for searches over up to `stations` stations and `samples` samples. */
export function popSearchWorkspace(stations: number, samples: number): PopSearchWorkspace {
  const lo: Float64Array[] = [];
  const hi: Float64Array[] = [];
  for (let k = 0; k < (stations + 1) * 5; k++) {
    lo.push(new Float64Array(samples));
    hi.push(new Float64Array(samples));
  }
  return { lo, hi, ub: new Float64Array((stations + 1) * 5), pop: new Int8Array((stations + 1) * 5) };
}

/** Result of a best-PoP search. */
export interface PopChoice {
  /** PoP index (1..5) per station. */
  pops: number[];
  /** Weight of the best run (sum of sample weights); 0 when no sample is in delay. */
  score: number;
  /** First and last sample index of the best run (−1 when none). */
  runStart: number;
  runEnd: number;
}

/** State of one search, passed down the recursion instead of captured in closures. */
interface SearchState {
  model: DelayModel;
  baseM: Float64Array;
  sampleIndex: Int32Array;
  weights: Float64Array;
  m: number;
  order: number[];
  chosen: number[];
  best: PopChoice;
  ws: PopSearchWorkspace;
}

/**
 * Best PoPs for one target: the combination whose longest run of in-delay samples among
 * `sampleIndex` carries the largest summed weight (weights favour transit, as ASPRO2's
 * Transit/HALimits estimators do). `baseM[i*m + s]` = Pᵢ − dᵢ at eligible sample s.
 * Depth-first over stations with the total in-delay weight as an upper bound for pruning.
 */
export function searchBestPops(
  model: DelayModel,
  baseM: Float64Array,
  sampleIndex: Int32Array,
  weights: Float64Array,
  workspace: PopSearchWorkspace = popSearchWorkspace(model.stations.length, sampleIndex.length),
  seed?: readonly number[],
): PopChoice {
  const n = model.stations.length;
  const m = sampleIndex.length;
  const best: PopChoice = { pops: defaultPops(model), score: 0, runStart: -1, runEnd: -1 };
  if (m === 0) return best;
  // Stations with a single allowed PoP first: they constrain the rest at no branching cost.
  const order = [...Array(n).keys()].sort((a, b) => model.allowedPops[a].length - model.allowedPops[b].length);
  const state: SearchState = { model, baseM, sampleIndex, weights, m, order, chosen: new Array<number>(n).fill(1), best, ws: workspace };
  // A good first guess (e.g. the previous target's PoPs) lets the bound prune from the start.
  if (seed && seed.length === n && seed.every((p, i) => model.allowedPops[i].includes(p))) evaluateSeed(state, seed);
  visit(state, 0, -1);
  return best;
}

function visit(st: SearchState, level: number, parentSlot: number): void {
  const { model, baseM, weights, sampleIndex, m, ws, best } = st;
  const station = st.order[level];
  const allowed = model.allowedPops[station];
  const throwM = model.throwM[station];
  const base = station * m;
  const first = (level + 1) * 5;
  const parentLo = parentSlot >= 0 ? ws.lo[parentSlot] : null;
  const parentHi = parentSlot >= 0 ? ws.hi[parentSlot] : null;
  let count = 0;
  for (let a = 0; a < allowed.length; a++) {
    const pop = allowed[a];
    const popLen = model.popM[station][pop - 1];
    const slot = first + a;
    const cl = ws.lo[slot];
    const ch = ws.hi[slot];
    // Bound: the heaviest run of samples still in delay (adding stations only removes samples).
    let ub = 0;
    let run = 0;
    for (let s = 0; s < m; s++) {
      const l = baseM[base + s] + popLen;
      const h = l + throwM;
      const ml = parentLo !== null && parentLo[s] > l ? parentLo[s] : l;
      const mh = parentHi !== null && parentHi[s] < h ? parentHi[s] : h;
      cl[s] = ml;
      ch[s] = mh;
      if (ml <= mh) {
        run = s > 0 && sampleIndex[s] === sampleIndex[s - 1] + 1 ? run + weights[s] : weights[s];
        if (run > ub) ub = run;
      } else {
        run = 0;
      }
    }
    ws.ub[slot] = ub;
    ws.pop[slot] = pop;
    count++;
  }
  // Visit candidates by decreasing bound (selection over at most 5 slots, no allocation).
  for (let tried = 0; tried < count; tried++) {
    let pick = -1;
    for (let a = 0; a < count; a++) {
      const slot = first + a;
      if (ws.ub[slot] >= 0 && (pick < 0 || ws.ub[slot] > ws.ub[pick])) pick = slot;
    }
    if (pick < 0 || ws.ub[pick] <= best.score) return;
    const ub = ws.ub[pick];
    ws.ub[pick] = -1;
    st.chosen[station] = ws.pop[pick];
    if (level + 1 < st.chosen.length) {
      visit(st, level + 1, pick);
      continue;
    }
    leaf(st, pick, ub);
  }
}

function evaluateSeed(st: SearchState, seed: readonly number[]): void {
  const { model, baseM, m, ws } = st;
  // The last level's first slot is free until the search reaches it.
  const lo = ws.lo[st.order.length * 5];
  const hi = ws.hi[st.order.length * 5];
  lo.fill(-Infinity, 0, m);
  hi.fill(Infinity, 0, m);
  for (let i = 0; i < seed.length; i++) {
    const popLen = model.popM[i][seed[i] - 1];
    for (let s = 0; s < m; s++) {
      const l = baseM[i * m + s] + popLen;
      if (l > lo[s]) lo[s] = l;
      if (l + model.throwM[i] < hi[s]) hi[s] = l + model.throwM[i];
    }
    st.chosen[i] = seed[i];
  }
  leaf(st, st.order.length * 5, Infinity);
}

function leaf(st: SearchState, slot: number, ub: number): void {
  const { ws, weights, sampleIndex, best, m } = st;
  if (ub <= best.score) return;
  const cl = ws.lo[slot];
  const ch = ws.hi[slot];
  let run = 0;
  let runFrom = -1;
  for (let s = 0; s < m; s++) {
    const ok = cl[s] <= ch[s];
    if (ok && runFrom >= 0 && sampleIndex[s] === sampleIndex[s - 1] + 1) {
      run += weights[s];
    } else if (ok) {
      run = weights[s];
      runFrom = s;
    } else {
      run = 0;
      runFrom = -1;
    }
    if (ok && run > best.score) {
      best.score = run;
      best.pops = [...st.chosen];
      best.runStart = sampleIndex[runFrom];
      best.runEnd = sampleIndex[s];
    }
  }
}
