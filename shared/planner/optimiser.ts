/**
 * The night as one machine on a time grid: choose options (a sequence of given PoP set, start
 * slot, length and value) so that none overlap, a PoP change (`changeSlots` of nothing) separates
 * options of different PoP sets, fixed segments stay, and each target is used at most once —
 * maximising the summed value. A "tail" option (SCI–CAL, no opening calibrator) may only follow,
 * without a gap and on the same PoP set, an option that closes on the calibrator it requires:
 * that is calibrator sharing, SCI–CAL–SCI–CAL… chains of any length.
 *
 * Without the "at most once" rule this is a longest path over (slot, PoP set) states plus the
 * chain links, solved exactly by dynamic programming. The rule is relaxed with Lagrange multipliers (one per target,
 * subgradient updates): every relaxed optimum gives an upper bound on the best plan, and a repair
 * (keep each target's best occurrence, refill the freed time by the same DP) gives a feasible
 * plan. While the best plan stays more than 3 % below the bound, further searches with slower
 * step decays follow (`DECAYS`). The best plan and the lowest bound of all are returned.
 * A run on some of the options of a night solved before (a re-plan from "now") may start from that
 * solve's multipliers and plan (`OptWarmStart`).
 * Everything is deterministic: fixed iteration limits, ties broken by index. See docs/planner.md.
 */

/** One placeable option. */
export interface OptOption {
  /** Target indices it places (one for a sequence, two or more for a chain). */
  members: readonly number[];
  /** PoP-set index. */
  pop: number;
  /** First slot. */
  start: number;
  /** Slots occupied. */
  len: number;
  value: number;
  /** Tails only: the calibrator (an id) the option just before must close on. */
  requires?: number;
  /** The calibrator (an id) this option closes on, which a tail may share. */
  closes?: number;
}

/** A stretch that stays as it is (done, failed or pinned blocks), in slots. */
export interface OptFixed {
  start: number;
  len: number;
  /** PoP-set index, or −1 when any set goes (no delay lines). */
  pop: number;
  /** The calibrator (an id) it closes on, which a tail may share (−1 or absent: none). */
  closes?: number;
  /** Its target, which a tail right after it must not repeat (−1 or absent: none). */
  member?: number;
}

/**
 * A fixed stretch, made here for every caller (the scheduler's kept blocks and held slots, the
 * repair's kept options): one allocation site and small integers in every field (−1: none), so
 * V8 sees one shape of segment. Segments of two shapes sent the optimised DP, search and repair
 * back to the interpreter on a process's first re-plan ("wrong map" at each read of a segment,
 * `--trace-deopt-verbose`), whose search then ran 4–6× slower per iteration than the next ones'.
 */
export function fixedSegment(start: number, len: number, pop: number, closes = -1, member = -1): OptFixed {
  // `| 0`: an integer computed in floating point (Math.floor of a time) would be stored as a
  // double and change the segment's shape.
  return { start: start | 0, len: len | 0, pop: pop | 0, closes: closes | 0, member: member | 0 };
}

/** Search settings, made in one place (one shape for V8, see `fixedSegment`). */
function searchSettings(maxIterations: number, gapTolerance: number): OptSettings {
  return { maxIterations, gapTolerance };
}

/** The problem. */
export interface OptProblem {
  slots: number;
  pops: number;
  /** Slots of nothing a PoP change needs (≥ 1; with free changes, give every option PoP set 0). */
  changeSlots: number;
  targets: number;
  options: readonly OptOption[];
  fixed?: readonly OptFixed[];
  /** PoP set in use at slot 0 (a change costs `changeSlots`), or null when the night may start on any. */
  initialPop?: number | null;
  /** Value lost per PoP change, so that of two plans worth the same the one with fewer changes wins (tiny). */
  changePenalty?: number;
  /**
   * Options that may be chosen (1), when the problem is a whole night's options of which a run
   * uses some (a re-plan from "now" held on the night's: `OptionSet.held`); absent: all.
   */
  usable?: Uint8Array;
}

/** Knobs of the search. */
export interface OptSettings {
  /** Subgradient iterations at most. */
  maxIterations: number;
  /** Stop when (bound − best) ≤ this fraction of the bound. */
  gapTolerance: number;
}

export const DEFAULT_OPT_SETTINGS: OptSettings = { maxIterations: 150, gapTolerance: 0.002 };

/** The answer. */
export interface OptSolution {
  /** Chosen option indices, by start slot. */
  chosen: number[];
  value: number;
  /** Upper bound on the value of any plan of this problem (Lagrangian dual). */
  bound: number;
  iterations: number;
  /** PoP-set index of the timeline at each slot (the set in use, or being changed to). */
  popAt: Int32Array;
  /** Whether slot k is taken by a PoP change. */
  isChange: Uint8Array;
  /** The multipliers (one per target) that gave the lowest bound: where a later search of the same night may start. */
  lambda: Float64Array;
}

/**
 * A night's solve kept for later runs on some of its options (a re-plan from "now"), which start
 * their search from it (`OptWarmStart`).
 */
export interface OptMemo {
  problem: OptProblem;
  settings: OptSettings;
  solution: OptSolution;
}

/**
 * Where a run on some of a solved night's options starts: that night's multipliers for its
 * targets and that night's plan, cut to the options still there, as the first incumbent.
 */
export interface OptWarmStart {
  night: OptMemo;
  /** Option o of this problem is option `optionOf[o]` of the night's. */
  optionOf: Int32Array;
  /** Target j of this problem is target `targetOf[j]` of the night's (−1: none, a target the run does not plan). */
  targetOf: Int32Array;
}

const NEG = -Infinity;
const NONE: readonly number[] = [];
/** Iterations before the gap tolerance may stop the search. */
const MIN_ITERATIONS = 10;
/** Iterations without a better plan after which the search stops. */
const STALL_ITERATIONS = 100;
/**
 * Iterations without a better plan after which a search whose plan is within `CLOSE_GAP` of its
 * bound stops: there the iterations left only lower the bound (2026-01-15's whole night found its
 * plan at the 10th of 107 iterations). In the bench nights' plans and re-plans no better plan came
 * more than 18 iterations after the one before while the gap was under 3 % (the late finds, up to
 * 55 iterations on, were all made from further away), so 30 keeps every plan they had.
 */
const CLOSE_STALL = 30;
/**
 * `CLOSE_STALL` of a re-plan's warm search, which starts from the night's plan: no later find
 * in the bench nights came more than 18 iterations after the one before while the gap was under
 * 3 %, and all 48 re-plans of the 8 nights keep their values with 20.
 */
const WARM_CLOSE_STALL = 20;
const CLOSE_GAP = 0.03;
/**
 * A re-plan's warm search also stops when, over its last `WARM_FLAT_ITERATIONS` iterations, it
 * found no better plan and its bound fell by less than `WARM_FLAT_DROP` of itself: the bound has
 * settled where the repaired plans do not reach (2026-01-15 from dusk + 2 h 10 and + 2 h 20 sat
 * 3.3 % and 3.1 % below a bound that moved by < 0.1 % over their last 40 iterations, until the
 * step vanished). Its cold retry still follows while the gap exceeds `RETRY_GAP`. The 48 bench
 * re-plans keep their plans (iterations 992 → 772 over them and the 8 whole nights).
 */
const WARM_FLAT_ITERATIONS = 10;
const WARM_FLAT_DROP = 0.002;
const IDLE = -1;
const FIXED = -2;
/** choice ≤ CHANGE_BASE (and > FIXED_BASE) encodes a change to PoP set (CHANGE_BASE − choice). */
const CHANGE_BASE = -3;
/** choice ≤ FIXED_BASE encodes a fixed segment followed by tail option (FIXED_BASE − choice). */
const FIXED_BASE = -1_000_000;

/** Options bucketed by start slot (all, for the chain values) and by (slot, PoP set) (heads only). */
interface Buckets {
  offsets: Int32Array;
  items: Int32Array;
  /** Tails starting at slot t: tailsAt[t] (their continuations are found before the heads'). */
  tailsAt: number[][];
  /** Tails by `tailKey(start, pop, requires)`. */
  tails: Map<number, number[]>;
  tailKey(slot: number, pop: number, star: number): number;
  /**
   * Tails grouped by what they follow (slot, PoP set, shared calibrator): group g holds tails
   * groupItems[groupOffsets[g] … groupOffsets[g + 1]) in option order; groups starting at slot t
   * are groupsAt[t]. followGroup[o] is the group that may follow option o (−1: none). The DP
   * finds each group's best tail once (best and best of another target, since a target never
   * follows itself) instead of once per option that could precede it.
   */
  groupOffsets: Int32Array;
  groupItems: Int32Array;
  groupsAt: number[][];
  followGroup: Int32Array;
  len: Int32Array;
  pop: Int32Array;
  member: Int32Array;
}

function bucket(problem: OptProblem): Buckets {
  const { slots, pops, options } = problem;
  const counts = new Int32Array(slots * pops + 1);
  const tailsAt: number[][] = Array.from({ length: slots }, () => []);
  const tails = new Map<number, number[]>();
  let maxStar = 0;
  for (const o of options) maxStar = Math.max(maxStar, o.closes ?? 0, o.requires ?? 0);
  const tailKey = (slot: number, pop: number, star: number) => (slot * pops + pop) * (maxStar + 1) + star;
  options.forEach((o, i) => {
    if (o.requires === undefined) counts[o.start * pops + o.pop + 1]++;
    else {
      tailsAt[o.start].push(i);
      const key = tailKey(o.start, o.pop, o.requires);
      const list = tails.get(key);
      if (list) list.push(i);
      else tails.set(key, [i]);
    }
  });
  for (let i = 1; i < counts.length; i++) counts[i] += counts[i - 1];
  const items = new Int32Array(counts[counts.length - 1]);
  const fill = counts.slice();
  options.forEach((o, i) => {
    if (o.requires === undefined) items[fill[o.start * pops + o.pop]++] = i;
  });
  const n = options.length;
  const len = new Int32Array(n);
  const pop = new Int32Array(n);
  const member = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = options[i];
    len[i] = o.len;
    pop[i] = o.pop;
    member[i] = o.members[0];
  }
  // Tail groups (see `Buckets`), numbered in the order the tails map met them.
  const groupOf = new Map<number, number>();
  const groupsAt: number[][] = Array.from({ length: slots }, () => []);
  const groupOffsets = new Int32Array(tails.size + 1);
  const groupItems = new Int32Array(n);
  let filled = 0;
  for (const [key, list] of tails) {
    const g = groupOf.size;
    groupOf.set(key, g);
    groupsAt[options[list[0]].start].push(g);
    for (const x of list) groupItems[filled++] = x;
    groupOffsets[g + 1] = filled;
  }
  const followGroup = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const o = options[i];
    const end = o.start + o.len;
    if (o.closes === undefined || end >= slots) continue;
    followGroup[i] = groupOf.get(tailKey(end, o.pop, o.closes)) ?? -1;
  }
  return { offsets: counts, items, tailsAt, tails, tailKey, groupOffsets, groupItems, groupsAt, followGroup, len, pop, member };
}

/**
 * Buckets and DP buffers of an options list, kept with it: the runs from "now" held on a night's
 * options (`OptProblem.usable`) share one list, so their buckets (the list's layout by slot, PoP
 * set and tail group) and buffers are made once per night instead of once per re-plan. The
 * buffers are scratch, written before read by every DP (runs are synchronous, never nested).
 */
const bucketsKept = new WeakMap<readonly OptOption[], { slots: number; pops: number; buckets: Buckets; ws: Workspace }>();

function bucketsOf(problem: OptProblem): { buckets: Buckets; ws: Workspace } {
  const kept = bucketsKept.get(problem.options);
  if (kept && kept.slots === problem.slots && kept.pops === problem.pops) return kept;
  const buckets = bucket(problem);
  const made = { slots: problem.slots, pops: problem.pops, buckets, ws: workspaceOf(problem, buckets.groupOffsets.length - 1) };
  bucketsKept.set(problem.options, made);
  return made;
}

/** Slot occupancy of fixed segments. */
interface Layout {
  /** Segment starting at slot k (index into fixed), else −1. */
  fixedAt: Int32Array;
  /** Free slots from k on (0 when k is taken by a fixed segment). */
  freeRun: Int32Array;
}

function layoutOf(slots: number, fixed: readonly OptFixed[]): Layout {
  const taken = new Uint8Array(slots);
  const fixedAt = new Int32Array(slots).fill(-1);
  fixed.forEach((f, i) => {
    const a = Math.max(0, f.start);
    const b = Math.min(slots, f.start + f.len);
    if (b <= a) return;
    for (let k = a; k < b; k++) taken[k] = 1;
    if (fixedAt[a] < 0) fixedAt[a] = i;
  });
  const freeRun = new Int32Array(slots + 1);
  for (let k = slots - 1; k >= 0; k--) freeRun[k] = taken[k] ? 0 : freeRun[k + 1] + 1;
  return { fixedAt, freeRun };
}

/**
 * Buffers of the DP reused across its many runs in one `optimise` (allocating them per run made
 * garbage collection the search's largest cost). Every cell is written before it is read.
 */
interface Workspace {
  V: Float64Array;
  choice: Int32Array;
  W: Float64Array;
  nextTail: Int32Array;
  /** Per tail group: best tail's value (with its own continuation), that tail, its target; best tail of another target. */
  groupV1: Float64Array;
  groupX1: Int32Array;
  groupM1: Int32Array;
  groupV2: Float64Array;
  groupX2: Int32Array;
  /**
   * Options whose targets are all unused (repair): 1 for every option between repairs; a refill
   * clears the options of the used targets (`targetOptions`) and sets them back after its DP.
   */
  allowed: Uint8Array;
  /** Targets of each option (CSR), read without touching the option objects. */
  memberOffsets: Int32Array;
  memberItems: Int32Array;
  /** Options of each target (CSR: target j's are targetOptions[targetOffsets[j] … targetOffsets[j + 1])). */
  targetOffsets: Int32Array;
  targetOptions: Int32Array;
}

function workspaceOf(problem: OptProblem, groups: number): Workspace {
  const { slots: T, pops: P, options } = problem;
  const memberOffsets = new Int32Array(options.length + 1);
  for (let o = 0; o < options.length; o++) memberOffsets[o + 1] = memberOffsets[o] + options[o].members.length;
  const memberItems = new Int32Array(memberOffsets[options.length]);
  for (let o = 0; o < options.length; o++) memberItems.set(options[o].members, memberOffsets[o]);
  let nT = 0;
  for (let k = 0; k < memberItems.length; k++) nT = Math.max(nT, memberItems[k] + 1);
  const targetOffsets = new Int32Array(nT + 1);
  for (let k = 0; k < memberItems.length; k++) targetOffsets[memberItems[k] + 1]++;
  for (let j = 0; j < nT; j++) targetOffsets[j + 1] += targetOffsets[j];
  const targetOptions = new Int32Array(memberItems.length);
  const at = targetOffsets.slice(0, nT);
  for (let o = 0; o < options.length; o++) for (let k = memberOffsets[o]; k < memberOffsets[o + 1]; k++) targetOptions[at[memberItems[k]]++] = o;
  return {
    memberOffsets,
    memberItems,
    targetOffsets,
    targetOptions,
    V: new Float64Array((T + 1) * P),
    choice: new Int32Array(T * P),
    W: new Float64Array(options.length),
    nextTail: new Int32Array(options.length),
    groupV1: new Float64Array(groups),
    groupX1: new Int32Array(groups),
    groupM1: new Int32Array(groups),
    groupV2: new Float64Array(groups),
    groupX2: new Int32Array(groups),
    allowed: new Uint8Array(options.length).fill(1),
  };
}

interface DpResult {
  chosen: number[];
  /** PoP changes on the timeline. */
  changes: number;
  /** Sum of the reduced values of the chosen options. */
  value: number;
  popAt: Int32Array;
  isChange: Uint8Array;
}

/**
 * Exact longest path over (slot, PoP set) with option values `values` (options with a value ≤ 0
 * are ignored). `allowed` (optional) masks options out. Returns null when the fixed segments
 * cannot all be honoured.
 */
function solveDp(
  problem: OptProblem,
  buckets: Buckets,
  layout: Layout,
  fixed: readonly OptFixed[],
  values: Float64Array,
  allowed: Uint8Array | null,
  ws: Workspace,
): DpResult | null {
  const { slots: T, pops: P, changeSlots: K } = problem;
  const penalty = problem.changePenalty ?? 0;
  // V's last row (t = T) stays 0 and is never written; every other cell is written below before
  // it is read, so the buffers need no clearing between runs.
  const { V, choice } = ws;
  // W[o] (tails only): the best from the end of tail o on (`continuation`, which keeps the tail
  // taken in nextTail[o] for every option the DP weighs).
  const { W } = ws;
  const { fixedAt, freeRun } = layout;
  const { followGroup, len: lenOf, pop: popOf, member: memberOf, offsets, items, groupOffsets, groupItems } = buckets;
  const { groupV1, groupX1, groupM1, groupV2, groupX2 } = ws;
  for (let t = T - 1; t >= 0; t--) {
    const row = t * P;
    const room = freeRun[t];
    if (room === 0) {
      // A taken slot (a fixed segment, e.g. the options a repair keeps): nothing starts here, so
      // no W is read and the tail groups here have none (an option ending here would overlap).
      // Skipping the options at taken slots is most of a repair's refill, which keeps most of the night.
      for (const g of buckets.groupsAt[t]) {
        groupV1[g] = NEG;
        groupX1[g] = -1;
        groupM1[g] = -1;
        groupV2[g] = NEG;
        groupX2[g] = -1;
      }
    }
    // Tails first: the groups below need their W. A head's continuation is found where the head
    // is weighed (below), in the same pass, since no other option reads it.
    for (const o of room === 0 ? NONE : buckets.tailsAt[t]) {
      // W[o] is only read for an option that may be taken (positive value, allowed, fits the free
      // run): skip the rest.
      if (!(values[o] > 0) || (allowed !== null && allowed[o] === 0) || lenOf[o] > room) continue;
      W[o] = continuation(o, V[(t + lenOf[o]) * P + popOf[o]], followGroup, memberOf, ws);
    }
    // Tail groups starting here: their bests, for the options ending here (read at earlier slots).
    // The first tail in option order wins a tie, as a scan of each option's followers would pick.
    const groupsHere = buckets.groupsAt[t];
    if (groupsHere.length > 0 && room > 0) {
      for (const g of groupsHere) {
        let v1 = NEG;
        let x1 = -1;
        let m1 = -1;
        let v2 = NEG;
        let x2 = -1;
        for (let i = groupOffsets[g], end = groupOffsets[g + 1]; i < end; i++) {
          const x = groupItems[i];
          const r = values[x];
          if (!(r > 0) || (allowed !== null && allowed[x] === 0) || lenOf[x] > room) continue;
          const v = r + W[x];
          const m = memberOf[x];
          if (v > v1) {
            if (m !== m1) {
              v2 = v1;
              x2 = x1;
            }
            v1 = v;
            x1 = x;
            m1 = m;
          } else if (m !== m1 && v > v2) {
            v2 = v;
            x2 = x;
          }
        }
        groupV1[g] = v1;
        groupX1[g] = x1;
        groupM1[g] = m1;
        groupV2[g] = v2;
        groupX2[g] = x2;
      }
    }
    const f = fixedAt[t];
    if (f >= 0) {
      const seg = fixed[f];
      const end = Math.min(T, seg.start + seg.len);
      for (let p = 0; p < P; p++) {
        if (seg.pop >= 0 && p !== seg.pop) {
          V[row + p] = NEG;
          choice[row + p] = FIXED;
          continue;
        }
        const q = seg.pop >= 0 ? seg.pop : p;
        let v = V[end * P + q];
        let c = FIXED;
        // A tail may share the closing calibrator of a fixed segment too.
        const list = seg.closes !== undefined && seg.closes >= 0 && end < T ? buckets.tails.get(buckets.tailKey(end, q, seg.closes)) : undefined;
        for (const x of list ?? []) {
          const r = values[x];
          if (!(r > 0) || (allowed !== null && allowed[x] === 0) || buckets.len[x] > freeRun[end] || buckets.member[x] === seg.member) continue;
          if (r + W[x] > v) {
            v = r + W[x];
            c = FIXED_BASE - x;
          }
        }
        V[row + p] = v;
        choice[row + p] = c;
      }
      continue;
    }
    if (freeRun[t] === 0) {
      for (let p = 0; p < P; p++) {
        V[row + p] = NEG;
        choice[row + p] = IDLE;
      }
      continue;
    }
    // Best and second-best set after a change, for "change to any other set".
    let best1 = NEG;
    let q1 = -1;
    let best2 = NEG;
    let q2 = -1;
    if (K > 0 && freeRun[t] >= K && t + K <= T) {
      const at = (t + K) * P;
      for (let q = 0; q < P; q++) {
        const v = V[at + q];
        if (v > best1) {
          best2 = best1;
          q2 = q1;
          best1 = v;
          q1 = q;
        } else if (v > best2) {
          best2 = v;
          q2 = q;
        }
      }
    }
    const next = (t + 1) * P;
    for (let p = 0; p < P; p++) {
      let bestV = V[next + p];
      let bestC = IDLE;
      const ch = (q1 !== p ? best1 : best2) - penalty;
      const chq = q1 !== p ? q1 : q2;
      if (chq >= 0 && ch > bestV) {
        bestV = ch;
        bestC = CHANGE_BASE - chq;
      }
      const from = offsets[row + p];
      const to = offsets[row + p + 1];
      // Heads on set p: each with its best continuation (free from its end on set p, or a tail
      // sharing its closing calibrator), kept in nextTail for the path.
      for (let i = from; i < to; i++) {
        const o = items[i];
        const r = values[o];
        if (!(r > 0) || (allowed !== null && allowed[o] === 0)) continue;
        const len = lenOf[o];
        if (len > room) continue;
        const v = r + continuation(o, V[(t + len) * P + p], followGroup, memberOf, ws);
        // Ties go to observing now rather than waiting: sequences start early, free time collects late.
        if (v > bestV || (v === bestV && bestC === IDLE)) {
          bestV = v;
          bestC = o;
        }
      }
      V[row + p] = bestV;
      choice[row + p] = bestC;
    }
  }
  let p: number;
  const init = problem.initialPop;
  if (init !== null && init !== undefined && init >= 0) {
    p = init;
  } else {
    p = 0;
    for (let q = 1; q < P; q++) if (V[q] > V[p]) p = q;
  }
  const value = V[p];
  if (value === NEG) return null;
  const path = tracePath(problem, layout, fixed, ws, p);
  return { chosen: path.chosen, changes: path.changes, value, popAt: path.popAt, isChange: path.isChange };
}

/**
 * The best from the end of option o on, where going on free is worth `free`: that, or the tail of
 * o's follow group (sharing o's closing calibrator) — the group's best, or its best of another
 * target when the best is o's own target, since a target never follows itself. Records the tail
 * taken (−1: free) in `nextTail[o]` for the path.
 */
function continuation(o: number, free: number, followGroup: Int32Array, memberOf: Int32Array, ws: Workspace): number {
  const g = followGroup[o];
  let w = free;
  let n = -1;
  if (g >= 0) {
    if (memberOf[o] !== ws.groupM1[g]) {
      if (ws.groupV1[g] > w) {
        w = ws.groupV1[g];
        n = ws.groupX1[g];
      }
    } else if (ws.groupV2[g] > w) {
      w = ws.groupV2[g];
      n = ws.groupX2[g];
    }
  }
  ws.nextTail[o] = n;
  return w;
}

/**
 * The path the DP (`solveDp`) chose from slot 0 on PoP set `p`: its options, PoP changes and the
 * set at each slot. A function of its own, so that V8 optimises the DP's loops apart from this one
 * (compiled inside them, on-stack, it had no feedback and sent the DP back to the interpreter).
 */
function tracePath(problem: OptProblem, layout: Layout, fixed: readonly OptFixed[], ws: Workspace, pFirst: number): Omit<DpResult, 'value'> {
  const { slots: T, pops: P, changeSlots: K, options } = problem;
  const { choice, nextTail } = ws;
  const { fixedAt } = layout;
  let p = pFirst;
  const chosen: number[] = [];
  let changes = 0;
  const popAt = new Int32Array(T);
  const isChange = new Uint8Array(T);
  let t = 0;
  while (t < T) {
    const c = choice[t * P + p];
    if (c === IDLE) {
      popAt[t] = p;
      t++;
    } else if (c === FIXED || c <= FIXED_BASE) {
      const seg = fixed[fixedAt[t]];
      const end = Math.min(T, seg.start + seg.len);
      const q = seg.pop >= 0 ? seg.pop : p;
      for (let k = t; k < end; k++) popAt[k] = q;
      p = q;
      t = end;
      for (let o = c <= FIXED_BASE ? FIXED_BASE - c : -1; o >= 0; o = nextTail[o]) {
        chosen.push(o);
        const oEnd = options[o].start + options[o].len;
        for (let k = options[o].start; k < oEnd; k++) popAt[k] = p;
        t = oEnd;
      }
    } else if (c <= CHANGE_BASE) {
      const q = CHANGE_BASE - c;
      changes++;
      const end = K > 0 ? t + K : t + 1;
      for (let k = t; k < end; k++) {
        popAt[k] = q;
        if (K > 0) isChange[k] = 1;
      }
      p = q;
      t = end;
    } else {
      // The option and the chain of tails after it.
      for (let o = c; o >= 0; o = nextTail[o]) {
        chosen.push(o);
        const end = options[o].start + options[o].len;
        for (let k = options[o].start; k < end; k++) popAt[k] = p;
        t = end;
      }
    }
  }
  return { chosen, changes, popAt, isChange };
}

/**
 * Step decays of the subgradient searches, in order: the step is multiplied by the decay after a
 * few iterations without a lower bound. The first search halves it; how good its plan is depends
 * on that schedule (the repaired plans are those of the multipliers it passes through), so while
 * the best plan stays more than `RETRY_GAP` below the bound, searches with slower decays follow,
 * each from scratch, and the best plan and the lowest bound of all are kept.
 */
const DECAYS = [0.5, 0.6, 0.7, 0.8];
const RETRY_GAP = 0.03;
/**
 * Iterations without a better plan after which a cold search run after a warm one (a re-plan's
 * retry) stops. That search is there for the plans its first iterations repair, not for the
 * bound: on the bench nights' re-plans (8 nights, 6 re-plans each) every retry found its best
 * plan within its first 8 iterations, then spent the rest lowering a bound the warm search had
 * set (2026-01-15, from dusk + 2 h 20: 457 iterations, 384 of them in the retries, at 100).
 */
const RETRY_STALL = 8;
/**
 * Cold searches a re-plan runs after its warm one, at most (the first of `DECAYS`). In the same
 * 48 re-plans the slower decays never found a better plan than the first retry (2026-01-15 from
 * dusk + 2 h 20 and + 2 h 30 ran all four: ~75 iterations each without a gain), so every plan
 * stayed the same with one.
 */
const REPLAN_RETRIES = 1;
/**
 * Refills of a repair at most: the DP refills the time the kept options leave, then once more
 * the time a refill's own repeats free. A third refill never changed a plan of the bench nights
 * (8 whole nights and their 48 re-plans: the same options chosen with 2 as with 4).
 */
const REFILL_ROUNDS = 2;

/** Everything a search reads, built once per `optimise`. */
interface Shared {
  problem: OptProblem;
  buckets: Buckets;
  layout: Layout;
  fixed: readonly OptFixed[];
  base: Float64Array;
  /** Options worth something (`base` > 0), the only ones the DP may take: the per-option passes skip the others. */
  live: Int32Array;
  /** The target of each of `live` (see `liveMembersOf`). */
  liveMember: Int32Array;
  ws: Workspace;
  reduced: Float64Array;
  /** Repairs made in this run, by their kept options (see `repair`). */
  repairs: Map<string, DpResult>;
}

interface SearchResult {
  best: DpResult | null;
  /** Value of `best` less the PoP-change penalty. */
  bestValue: number;
  bound: number;
  /** Multipliers of `bound`. */
  lambda: Float64Array;
  iterations: number;
}

/** Where a search starts: zero multipliers, full step and no plan, unless warm-started. */
interface SearchStart {
  lambda: Float64Array;
  theta: number;
  best: DpResult | null;
  bestValue: number;
}

/**
 * Solve the problem (see the file comment). With `warm` (a run on some of the options of a night
 * solved before, a re-plan): first the relaxed optimum at zero multipliers, then a search from the
 * night's multipliers and plan, then, only while that leaves more than
 * `RETRY_GAP` between plan and bound, runs a cold search as well (`REPLAN_RETRIES`) and keeps the best of all.
 */
export function optimise(problem: OptProblem, given: OptSettings = DEFAULT_OPT_SETTINGS, warm?: OptWarmStart): OptSolution {
  const { options, usable } = problem;
  // Settings as one literal shape, whatever spread the caller made (see `fixedSegment`).
  const settings = searchSettings(given.maxIterations, given.gapTolerance);
  // The fixed list copied into an array of one kind (an empty literal and a list of segments are
  // two array shapes to V8, see `fixedSegment`).
  const fixed: OptFixed[] = [];
  for (const f of problem.fixed ?? []) fixed.push(f);
  const { buckets, ws } = bucketsOf(problem);
  // An option that may not be chosen is worth nothing: the DP and the repair never take one.
  const base = new Float64Array(options.length);
  for (let o = 0; o < options.length; o++) base[o] = usable && usable[o] === 0 ? 0 : options[o].value;
  let nLive = 0;
  for (let o = 0; o < options.length; o++) if (base[o] > 0) nLive++;
  const live = new Int32Array(nLive);
  for (let o = 0, n = 0; o < options.length; o++) if (base[o] > 0) live[n++] = o;
  const shared: Shared = {
    problem,
    buckets,
    layout: layoutOf(problem.slots, fixed),
    fixed,
    base,
    live,
    liveMember: liveMembersOf(live, ws),
    ws,
    reduced: new Float64Array(options.length),
    repairs: new Map(),
  };
  let best: DpResult | null = null;
  let bestValue = 0;
  let bound = Infinity;
  let lambda: Float64Array = new Float64Array(problem.targets);
  let iterations = 0;
  const keep = (r: SearchResult) => {
    iterations += r.iterations;
    if (r.bound < bound) {
      bound = r.bound;
      lambda = r.lambda;
    }
    // Ties keep the earlier search's plan.
    if (r.best && (best === null || r.bestValue > bestValue + 1e-9)) {
      best = r.best;
      bestValue = r.bestValue;
    }
  };
  const closeEnough = () => best !== null && bound - bestValue <= RETRY_GAP * Math.max(bound, 1e-9);
  const zero = (): SearchStart => ({ lambda: new Float64Array(problem.targets), theta: 1, best: null, bestValue: 0 });
  let cold = true;
  if (warm) {
    // The relaxed optimum at zero multipliers first (one DP, a cold search's first iteration):
    // when it already places every target at most once it is the optimum, and no start beats it.
    const first = search(shared, searchSettings(1, settings.gapTolerance), DECAYS[0], zero());
    keep(first);
    if (first.best !== null && bound - bestValue > 1e-9) {
      const r = search(shared, settings, DECAYS[0], warmStart(shared, warm), STALL_ITERATIONS, WARM_CLOSE_STALL, WARM_FLAT_ITERATIONS);
      keep(r);
      cold = r.best !== null && !closeEnough();
    } else {
      cold = false;
    }
  }
  for (let d = 0; cold && d < (warm ? REPLAN_RETRIES : DECAYS.length); d++) {
    if (d > 0 && closeEnough()) break;
    const r = search(shared, settings, DECAYS[d], zero(), warm ? RETRY_STALL : STALL_ITERATIONS);
    keep(r);
    if (!r.best) break;
  }
  const found = best as DpResult | null;
  if (!found) {
    const empty = { chosen: [], value: 0, changes: 0, popAt: new Int32Array(problem.slots), isChange: new Uint8Array(problem.slots) };
    return { ...empty, bound: Number.isFinite(bound) ? bound : 0, iterations, lambda };
  }
  const value = sumValues(base, found.chosen);
  return { chosen: found.chosen, value, bound: Math.max(bound + (problem.changePenalty ?? 0) * found.changes, value), iterations, popAt: found.popAt, isChange: found.isChange, lambda };
}

/**
 * The start of a warm search: the night's multipliers of this problem's targets, the full step
 * (scaled by the gap to a good plan, it is small already), and as first incumbent the night's plan cut to the options still here, repaired and refilled
 * like a relaxed choice (none when that cut cannot be kept, e.g. a PoP set the fixed blocks exclude).
 */
function warmStart(shared: Shared, warm: OptWarmStart): SearchStart {
  const { problem, buckets, fixed, base, ws } = shared;
  const { night, optionOf, targetOf } = warm;
  const lambda = new Float64Array(problem.targets);
  for (let j = 0; j < problem.targets; j++) lambda[j] = targetOf[j] >= 0 ? night.solution.lambda[targetOf[j]] : 0;
  const here = new Int32Array(night.problem.options.length).fill(-1);
  for (let o = 0; o < optionOf.length; o++) here[optionOf[o]] = o;
  const carried: number[] = [];
  const { usable } = problem;
  for (const o of night.solution.chosen) if (here[o] >= 0 && (!usable || usable[here[o]] === 1)) carried.push(here[o]);
  const seeded = carried.length > 0 ? repair(problem, buckets, fixed, base, carried, ws, true) : null;
  const bestValue = seeded ? sumValues(base, seeded.chosen) - (problem.changePenalty ?? 0) * seeded.changes : 0;
  return { lambda, theta: 1, best: seeded, bestValue };
}

/** One subgradient search from `start`, the step multiplied by `decay` when the bound stalls. */
function search(shared: Shared, settings: OptSettings, decay: number, start: SearchStart, stall = STALL_ITERATIONS, closeStall = CLOSE_STALL, flat = 0): SearchResult {
  const { problem, buckets, layout, fixed, base, live, liveMember, ws, reduced } = shared;
  const { options, targets: nT } = problem;
  let lambda = start.lambda;
  let bestValue = start.bestValue;
  let best: DpResult | null = start.best;
  let bound = Infinity;
  let boundLambda = lambda;
  let theta = start.theta;
  let sinceImproved = 0;
  let sinceBetter = 0;
  let iterations = 0;
  const counts = new Int32Array(nT);
  const repairedBefore = new Set<string>();
  // The bound after each iteration (for `flat`: stop once it has settled, see WARM_FLAT_ITERATIONS).
  const bounds = new Float64Array(settings.maxIterations);

  for (let it = 0; it < settings.maxIterations; it++) {
    iterations = it + 1;
    reduceValues(live, liveMember, base, lambda, ws, reduced);
    const relaxed = solveDp(problem, buckets, layout, fixed, reduced, null, ws);
    if (!relaxed) break;
    let lambdaSum = 0;
    for (let j = 0; j < nT; j++) lambdaSum += lambda[j];
    const dual = relaxed.value + lambdaSum;
    // Shrink the step when the bound has not dropped by a meaningful amount for a few iterations
    // (the multipliers then oscillate around the dual optimum).
    if (dual < bound - 1e-4 * Math.abs(bound)) {
      sinceImproved = 0;
    } else if (++sinceImproved >= 4) {
      theta *= decay;
      sinceImproved = 0;
    }
    if (dual < bound) {
      bound = dual;
      boundLambda = lambda;
    }
    counts.fill(0);
    for (const o of relaxed.chosen) for (const j of options[o].members) counts[j]++;
    // The repair depends only on the relaxed choice, and a choice seen before gave a plan worth at
    // most the best so far (which never drops): a repeat is a non-improving iteration, unrepaired.
    const seenKey = relaxed.chosen.join(',');
    if (repairedBefore.has(seenKey)) {
      if (++sinceBetter >= stall) break;
    } else {
      repairedBefore.add(seenKey);
      const { plan: repaired, value } = repairEach(shared, relaxed.chosen, counts);
      if (value > bestValue + 1e-9 || best === null) {
        bestValue = value;
        best = repaired;
        sinceBetter = 0;
      } else if (++sinceBetter >= stall) {
        break;
      }
    }
    // Within the tolerance, a few more iterations may still find an equal plan with fewer PoP changes.
    if (bound - bestValue <= 1e-9 || theta < 1e-4) break;
    if (it >= MIN_ITERATIONS && bound - bestValue <= settings.gapTolerance * Math.max(bound, 1e-9)) break;
    if (sinceBetter >= closeStall && bound - bestValue <= CLOSE_GAP * Math.max(bound, 1e-9)) break;
    // Evaluated in every search (flat 0 never stops one), so that a re-plan's first warm search
    // runs code V8 has seen run (see `reduceValues`).
    bounds[it] = bound;
    const settled = sinceBetter >= flat && it >= flat && bounds[it - flat] - bound < WARM_FLAT_DROP * bound;
    if (flat > 0 && settled) break;
    const next = nextMultipliers(lambda, counts, theta * (dual - bestValue));
    if (next === null) break;
    lambda = next;
  }
  return { best, bestValue, bound, lambda: boundLambda, iterations };
}

/**
 * The option values less the multipliers of their targets, for the live options (the others stay
 * at 0 in `reduced`, never taken). A function of its own, as is `nextMultipliers`: a search's
 * first run of a path it had not taken before (a re-plan's warm start after plans of the whole
 * night) sends `search` back to the interpreter until V8 optimises it again, and these loops over
 * every option and target are then the ones that must stay optimised (2026-01-15's first re-plan
 * ran its 21 iterations at 4 ms each, the next ones at ~1 ms).
 */
function reduceValues(live: Int32Array, liveMember: Int32Array, base: Float64Array, lambda: Float64Array, ws: Workspace, reduced: Float64Array): void {
  const { memberOffsets: mo, memberItems: mi } = ws;
  for (let i = 0; i < live.length; i++) {
    const o = live[i];
    const j = liveMember[i];
    if (j >= 0) {
      reduced[o] = base[o] - lambda[j];
      continue;
    }
    let r = base[o];
    for (let k = mo[o]; k < mo[o + 1]; k++) r -= lambda[mi[k]];
    reduced[o] = r;
  }
}

/** The target of each live option that has one (its multiplier is read in order, see `reduceValues`), −1 for one of several. */
function liveMembersOf(live: Int32Array, ws: Workspace): Int32Array {
  const { memberOffsets: mo, memberItems: mi } = ws;
  const out = new Int32Array(live.length);
  for (let i = 0; i < live.length; i++) {
    const o = live[i];
    out[i] = mo[o + 1] - mo[o] === 1 ? mi[mo[o]] : -1;
  }
  return out;
}

/**
 * Projected subgradient step: g_j = 1 − uses of j, λ_j ≥ 0, step `scale` / ‖g‖² (`scale` is θ
 * times the gap between the relaxed value and the best plan). Null when g is 0 (nothing to move).
 */
function nextMultipliers(lambda: Float64Array, counts: Int32Array, scale: number): Float64Array | null {
  const nT = lambda.length;
  let norm = 0;
  for (let j = 0; j < nT; j++) {
    const g = 1 - counts[j];
    if (g > 0 && lambda[j] <= 0) continue;
    norm += g * g;
  }
  if (norm === 0) return null;
  const step = scale / norm;
  const next = new Float64Array(nT);
  for (let j = 0; j < nT; j++) next[j] = Math.max(0, lambda[j] - step * (1 - counts[j]));
  return next;
}

/**
 * The repair of a relaxed choice (`repair`), and, for the first target it uses more than once,
 * the repairs that keep each other occurrence of that target instead (the repair keeps the one
 * worth most): the best of them, valued less the PoP-change penalty (ties go to fewer changes,
 * then to the plain repair). Which occurrence to keep decides what the refill can place around
 * it: on 2026-01-15 from dusk + 2 h 20 keeping another one gave +2.6 % (10 166 against 9 906;
 * HiGHS's best 0–1 plan of that re-plan after 120 s is 10 186), and the whole nights of 2026-02-20,
 * 08-10 and 12-06 reached their gap tolerance in 47, 11 and 2 iterations instead of 106, 51 and 11.
 */
function repairEach(shared: Shared, chosen: readonly number[], counts: Int32Array): { plan: DpResult; value: number } {
  const { problem, buckets, fixed, base, ws } = shared;
  const { options } = problem;
  const worth = (r: DpResult) => sumValues(base, r.chosen) - (problem.changePenalty ?? 0) * r.changes;
  let plan = repair(problem, buckets, fixed, base, chosen, ws, false, shared.repairs)!;
  let value = worth(plan);
  let twice = -1;
  for (let j = 0; j < problem.targets && twice < 0; j++) if (counts[j] > 1) twice = j;
  if (twice < 0) return { plan, value };
  const has = (o: number) => options[o].members.includes(twice);
  for (const keep of chosen) {
    if (!has(keep) || plan.chosen.includes(keep)) continue;
    const other = repair(problem, buckets, fixed, base, chosen.filter((o) => o === keep || !has(o)), ws, false, shared.repairs)!;
    const v = worth(other);
    if (v > value + 1e-9) {
      plan = other;
      value = v;
    }
  }
  return { plan, value };
}

function sumValues(values: Float64Array, chosen: readonly number[]): number {
  let s = 0;
  for (const o of chosen) s += values[o];
  return s;
}

/**
 * A plan that uses each target at most once, from a relaxed one: keep the options in order of
 * value while none of their targets is taken, then refill the freed time by the DP over the
 * options whose targets are all unused (again, up to `REFILL_ROUNDS` in all, while it adds something).
 */
function repair(
  problem: OptProblem,
  buckets: Buckets,
  fixed: readonly OptFixed[],
  values: Float64Array,
  chosen: readonly number[],
  ws: Workspace,
  strict = false,
  seen: Map<string, DpResult> | null = null,
): DpResult | null {
  const { options, targets: nT } = problem;
  const used = new Uint8Array(nT);
  const kept = keepDistinct(options, values, chosen, used);
  dropOrphanTails(options, kept, used);
  // What follows depends only on the kept options (in start order here): a set repaired before
  // in this run gives the same plan (about half the repairs of the bench nights' re-plans).
  const key = seen ? kept.join(',') : '';
  const known = seen?.get(key);
  if (known) return known;
  const { allowed, targetOffsets: to, targetOptions: tOpts } = ws;
  let result: DpResult | null = null;
  for (let round = 0; round < REFILL_ROUNDS; round++) {
    // The options of the used targets are masked out for this DP only (a few hundred, where a
    // scan of every option's targets read tens of thousands).
    for (let j = 0; j < nT; j++) if (used[j] !== 0) for (let k = to[j]; k < to[j + 1]; k++) allowed[tOpts[k]] = 0;
    // Copied by pushes, not `fixed.slice()`: an empty `fixed` (a whole night) is an array of
    // another kind to V8 than a list of segments (a re-plan), and the slice carried that kind.
    const keptFixed: OptFixed[] = [];
    for (const f of fixed) keptFixed.push(f);
    for (const o of kept) keptFixed.push(fixedSegment(options[o].start, options[o].len, options[o].pop, options[o].closes, options[o].members[0]));
    const fill = solveDp(problem, buckets, layoutOf(problem.slots, keptFixed), keptFixed, values, allowed, ws);
    for (let j = 0; j < nT; j++) if (used[j] !== 0) for (let k = to[j]; k < to[j + 1]; k++) allowed[tOpts[k]] = 1;
    if (!fill) break;
    result = fill;
    const added = keepDistinct(options, values, fill.chosen, used);
    if (added.length === 0) break;
    kept.push(...added);
    // A fill that repeats no target is kept whole: it is the best of the time it filled, so a
    // further refill would find nothing to add.
    if (added.length === fill.chosen.length) break;
    dropOrphanTails(options, kept, used);
  }
  kept.sort((a, b) => options[a].start - options[b].start);
  if (!result) {
    if (strict) return null;
    // Fixed segments alone cannot be honoured: return the kept options without PoP bookkeeping.
    return { chosen: kept, changes: 0, value: sumValues(values, kept), popAt: new Int32Array(problem.slots), isChange: new Uint8Array(problem.slots) };
  }
  // The last fill's timeline holds every kept option as a fixed segment, so its PoP path is theirs.
  const plan = { chosen: kept, changes: result.changes, value: sumValues(values, kept), popAt: result.popAt, isChange: result.isChange };
  seen?.set(key, plan);
  return plan;
}

/**
 * Remove (in place) every tail whose option just before it — adjacent, same PoP set, closing on
 * the calibrator the tail shares — is not kept, and free its targets.
 */
function dropOrphanTails(options: readonly OptOption[], kept: number[], used: Uint8Array): void {
  kept.sort((a, b) => options[a].start - options[b].start || a - b);
  for (let i = 0; i < kept.length; i++) {
    const o = options[kept[i]];
    if (o.requires === undefined) continue;
    const prev = i > 0 ? options[kept[i - 1]] : null;
    if (prev && prev.start + prev.len === o.start && prev.pop === o.pop && prev.closes === o.requires) continue;
    for (const j of o.members) used[j] = 0;
    kept.splice(i, 1);
    i--;
  }
}

/** Options of `chosen` taken best value first while none of their targets is used; marks them used. */
function keepDistinct(options: readonly OptOption[], values: Float64Array, chosen: readonly number[], used: Uint8Array): number[] {
  const order = [...chosen].sort((a, b) => values[b] - values[a] || a - b);
  const kept: number[] = [];
  for (const o of order) {
    if (options[o].members.some((j) => used[j] !== 0)) continue;
    for (const j of options[o].members) used[j] = 1;
    kept.push(o);
  }
  return kept;
}
