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
  /**
   * Running max of Lᵢ and min of Lᵢ + throwᵢ, per (level, candidate) slot, per sample. Slot 0
   * is the root (−∞, +∞), so every level intersects with a parent and the loop has no branch.
   */
  lo: Float64Array[];
  hi: Float64Array[];
  /** Upper bound and PoP of each candidate, per level (5 slots a level). */
  ub: Float64Array;
  pop: Int8Array;
  /**
   * Lᵢ and Lᵢ + throwᵢ of every (station, PoP) at every sample, index ((i·5 + pop−1)·m + s):
   * computed once per search, as each one is read by many nodes of the search tree.
   */
  stationLo: Float64Array;
  stationHi: Float64Array;
  /** 1 where sample s directly follows sample s − 1 on the grid (a run may continue). */
  contiguous: Uint8Array;
}

/** Buffers for searches over up to `stations` stations and `samples` samples. */
export function popSearchWorkspace(stations: number, samples: number): PopSearchWorkspace {
  const lo: Float64Array[] = [];
  const hi: Float64Array[] = [];
  for (let k = 0; k < (stations + 1) * 5; k++) {
    lo.push(new Float64Array(samples));
    hi.push(new Float64Array(samples));
  }
  return {
    lo,
    hi,
    ub: new Float64Array((stations + 1) * 5),
    pop: new Int8Array((stations + 1) * 5),
    stationLo: new Float64Array(stations * 5 * samples),
    stationHi: new Float64Array(stations * 5 * samples),
    contiguous: new Uint8Array(samples),
  };
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
  prepareSearch(state);
  // A good first guess (e.g. the previous target's PoPs) lets the bound prune from the start.
  if (seed && seed.length === n && seed.every((p, i) => model.allowedPops[i].includes(p))) evaluateSeed(state, seed);
  visit(state, 0, ROOT_SLOT);
  return best;
}

/** The slot of the empty assignment: every sample open, (−∞, +∞). */
const ROOT_SLOT = 0;

/** Fill the per-(station, PoP) interval ends, the contiguity flags and the root slot. */
function prepareSearch(st: SearchState): void {
  const { model, baseM, sampleIndex, m, ws } = st;
  for (let i = 0; i < model.stations.length; i++) {
    const throwM = model.throwM[i];
    for (const pop of model.allowedPops[i]) {
      const popLen = model.popM[i][pop - 1];
      const off = (i * 5 + pop - 1) * m;
      for (let s = 0; s < m; s++) {
        const l = baseM[i * m + s] + popLen;
        ws.stationLo[off + s] = l;
        ws.stationHi[off + s] = l + throwM;
      }
    }
  }
  ws.contiguous[0] = 0;
  for (let s = 1; s < m; s++) ws.contiguous[s] = sampleIndex[s] === sampleIndex[s - 1] + 1 ? 1 : 0;
  ws.lo[ROOT_SLOT].fill(-Infinity, 0, m);
  ws.hi[ROOT_SLOT].fill(Infinity, 0, m);
}

function visit(st: SearchState, level: number, parentSlot: number): void {
  const { model, m, ws } = st;
  const station = st.order[level];
  const allowed = model.allowedPops[station];
  const first = (level + 1) * 5;
  const last = level + 1 === st.order.length;
  let count = 0;
  for (let a = 0; a < allowed.length; a++) {
    const pop = allowed[a];
    const slot = first + a;
    const off = (station * 5 + pop - 1) * m;
    // The last level's intersections have no children: only their score is needed.
    ws.ub[slot] = last ? heaviestRun(ws, parentSlot, off, st.weights, m) : intersect(ws, parentSlot, slot, off, st.weights, m);
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
    if (pick < 0 || ws.ub[pick] <= st.best.score) return;
    const ub = ws.ub[pick];
    ws.ub[pick] = -1;
    st.chosen[station] = ws.pop[pick];
    if (!last) {
      visit(st, level + 1, pick);
      continue;
    }
    leaf(st, parentSlot, (station * 5 + ws.pop[pick] - 1) * m, ub);
  }
}

/**
 * Intersect the parent slot's intervals with one (station, PoP) (at `off` in stationLo/Hi) into
 * `slot`, and return the bound: the heaviest run of samples still in delay (adding stations only
 * removes samples). Weights are > 0, so a run's sum peaks at its last sample.
 */
function intersect(ws: PopSearchWorkspace, parentSlot: number, slot: number, off: number, weights: Float64Array, m: number): number {
  const parentLo = ws.lo[parentSlot];
  const parentHi = ws.hi[parentSlot];
  const cl = ws.lo[slot];
  const ch = ws.hi[slot];
  const stationLo = ws.stationLo;
  const stationHi = ws.stationHi;
  const contiguous = ws.contiguous;
  let ub = 0;
  let run = 0;
  for (let s = 0; s < m; s++) {
    const l = stationLo[off + s];
    const h = stationHi[off + s];
    const ml = parentLo[s] > l ? parentLo[s] : l;
    const mh = parentHi[s] < h ? parentHi[s] : h;
    cl[s] = ml;
    ch[s] = mh;
    if (ml <= mh) {
      run = contiguous[s] === 1 ? run + weights[s] : weights[s];
      if (run > ub) ub = run;
    } else {
      run = 0;
    }
  }
  return ub;
}

/** `intersect` without storing the intersection: the heaviest run only. */
function heaviestRun(ws: PopSearchWorkspace, parentSlot: number, off: number, weights: Float64Array, m: number): number {
  const parentLo = ws.lo[parentSlot];
  const parentHi = ws.hi[parentSlot];
  const stationLo = ws.stationLo;
  const stationHi = ws.stationHi;
  const contiguous = ws.contiguous;
  let ub = 0;
  let run = 0;
  for (let s = 0; s < m; s++) {
    const l = stationLo[off + s];
    const h = stationHi[off + s];
    if ((parentLo[s] > l ? parentLo[s] : l) <= (parentHi[s] < h ? parentHi[s] : h)) {
      run = contiguous[s] === 1 ? run + weights[s] : weights[s];
      if (run > ub) ub = run;
    } else {
      run = 0;
    }
  }
  return ub;
}

function evaluateSeed(st: SearchState, seed: readonly number[]): void {
  const { m, ws } = st;
  // The last level's first slot is free until the search reaches it; it holds every seed
  // station but the last in search order, which `leaf` intersects on the fly.
  const slot = st.order.length * 5;
  const lastStation = st.order[st.order.length - 1];
  const lo = ws.lo[slot];
  const hi = ws.hi[slot];
  lo.fill(-Infinity, 0, m);
  hi.fill(Infinity, 0, m);
  for (let i = 0; i < seed.length; i++) {
    st.chosen[i] = seed[i];
    if (i === lastStation) continue;
    const off = (i * 5 + seed[i] - 1) * m;
    for (let s = 0; s < m; s++) {
      if (ws.stationLo[off + s] > lo[s]) lo[s] = ws.stationLo[off + s];
      if (ws.stationHi[off + s] < hi[s]) hi[s] = ws.stationHi[off + s];
    }
  }
  leaf(st, slot, (lastStation * 5 + seed[lastStation] - 1) * m, Infinity);
}

/**
 * A complete assignment: the parent slot's intervals intersected with the last station's (at
 * `off` in stationLo/Hi). Records its heaviest run when it beats the best so far.
 */
function leaf(st: SearchState, parentSlot: number, off: number, ub: number): void {
  const { ws, weights, sampleIndex, best, m } = st;
  if (ub <= best.score) return;
  const parentLo = ws.lo[parentSlot];
  const parentHi = ws.hi[parentSlot];
  let run = 0;
  let runFrom = -1;
  for (let s = 0; s < m; s++) {
    const l = ws.stationLo[off + s];
    const h = ws.stationHi[off + s];
    const ok = (parentLo[s] > l ? parentLo[s] : l) <= (parentHi[s] < h ? parentHi[s] : h);
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
