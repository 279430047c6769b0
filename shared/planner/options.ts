/**
 * From scheduler candidates to the optimiser's options and back: every (target, PoP set,
 * calibrator pair, start slot) at which a CAL–SCI–CAL sequence fits its stars' windows, and every
 * chain of two sequences that share the calibrator between them (SCI–CAL–SCI), on the night's
 * time grid; then the blocks of the chosen options.
 */
import { SECONDS_PER_DAY, separationDeg, startsInside } from './intervals';
import { buildLayout, slewDays, visitDays, type Layout, type Visit } from './layout';
import type { OptOption } from './optimiser';
import { hourAngleH } from './sidereal';
import type { MjdInterval, PlanCandidate, PlanSettings, PlanStar, PlannedBlock, SiderealTable } from './types';
import { hourAngleFactor, nssWeight } from './weights';

/** The slot grid of one planning run. */
export interface SlotGrid {
  /** Time of slot 0 (MJD). */
  t0: number;
  stepDays: number;
  slots: number;
  /** The window end (MJD): a sequence must end by it. */
  endMjd: number;
}

/** Slots of `stepMin` from the first grid instant at or after `window.startMjd`, on the grid through `originMjd`. */
export function slotGrid(window: MjdInterval, stepMin: number, originMjd: number): SlotGrid {
  const stepDays = stepMin / 1440;
  const k0 = Math.ceil((window.startMjd - originMjd) / stepDays - 1e-6);
  const t0 = originMjd + k0 * stepDays;
  const slots = Math.max(0, Math.floor((window.endMjd - t0) / stepDays + 1e-6));
  return { t0, stepDays, slots, endMjd: window.endMjd };
}

/**
 * What an option places, kept to build its blocks: the candidates (PoP variants) in time order,
 * the calibrators (opening, closing; and the shared one between two sequences of a chain).
 */
export interface OptionPlan {
  parts: PlanCandidate[];
  /** Opening and closing calibrator (null without brackets). */
  opening: PlanStar | null;
  closing: PlanStar | null;
  /** The calibrator shared between the two sequences of a chain. */
  shared: PlanStar | null;
  startMjd: number;
  durationDays: number;
}

/** The layout of an option (its star visits and offsets). */
export function optionLayout(plan: OptionPlan, settings: PlanSettings): { layout: Layout; partStarts: number[] } {
  const [first, second] = plan.parts;
  if (!second || !plan.shared) {
    return { layout: buildLayout(first.science, plan.opening, plan.closing, settings), partStarts: [0] };
  }
  const a = buildLayout(first.science, plan.opening, plan.opening, settings, null, plan.shared);
  const b = buildLayout(second.science, plan.shared, plan.closing, settings, plan.shared, null);
  return chainLayout(a, plan.shared, b, settings);
}

/** The options of a run plus what is needed to read the solution. */
export interface OptionSet {
  grid: SlotGrid;
  popSets: string[];
  /** Science keys, by target index. */
  keys: string[];
  options: OptOption[];
  plans: OptionPlan[];
  /** Options of each target (singles and chains). */
  byTarget: number[][];
}

/** Calibrator pairs (opening, closing) from the first `maxCalibratorsTried`, best ranks first, two different stars before one star twice. */
export function calibratorPairs(cals: readonly PlanStar[], settings: PlanSettings): Array<[PlanStar, PlanStar]> {
  const list = cals.slice(0, Math.max(1, settings.maxCalibratorsTried));
  const pairs: Array<{ a: number; b: number }> = [];
  for (let a = 0; a < list.length; a++) for (let b = 0; b < list.length; b++) pairs.push({ a, b });
  pairs.sort((x, y) => x.a + x.b - (y.a + y.b) || Number(x.a === x.b) - Number(y.a === y.b) || x.a - y.a);
  return pairs.map(({ a, b }) => [list[a], list[b]]);
}

/** Visits of several layouts back to back, with a shared CAL visit between consecutive ones. */
function chainLayout(first: Layout, shared: PlanStar, second: Layout, settings: PlanSettings): { layout: Layout; partStarts: number[] } {
  const { calDays } = visitDays(settings);
  const raw: Array<Omit<Visit, 'offsetDays'>> = [
    ...first.visits.map(({ kind, star, durationDays }) => ({ kind, star, durationDays })),
    { kind: 'CAL', star: shared, durationDays: calDays },
    ...second.visits.map(({ kind, star, durationDays }) => ({ kind, star, durationDays })),
  ];
  const visits: Visit[] = [];
  let t = 0;
  raw.forEach((v, i) => {
    if (i > 0) t += slewDays(raw[i - 1].star, v.star, settings);
    visits.push({ ...v, offsetDays: t });
    t += v.durationDays;
  });
  return { layout: { visits, durationDays: t, sharesBefore: null, sharesAfter: null }, partStarts: [0, first.visits.length + 1] };
}

/**
 * Slew reserved after a sequence ending on `last`, in days: the longest slew from it to any star
 * of the run (so whatever follows fits); 0 without slews. Cached per star.
 */
function slewAllowance(settings: PlanSettings, stars: readonly PlanStar[]): (last: PlanStar) => number {
  if (!(settings.slewRateDegPerS > 0)) return () => 0;
  const cache = new Map<string, number>();
  return (last) => {
    let days = cache.get(last.key);
    if (days === undefined) {
      let maxDeg = 0;
      for (const s of stars) maxDeg = Math.max(maxDeg, separationDeg(last.raDeg, last.decDeg, s.raDeg, s.decDeg));
      days = maxDeg / settings.slewRateDegPerS / SECONDS_PER_DAY;
      cache.set(last.key, days);
    }
    return days;
  };
}

/** Slots a layout occupies from a start: itself, plus the largest slew to whatever follows (cut at the window end). */
function footprint(grid: SlotGrid, startSlot: number, durationDays: number, allowanceDays: number): number {
  const withSlew = Math.ceil((durationDays + allowanceDays) / grid.stepDays - 1e-6);
  return Math.max(1, Math.min(withSlew, grid.slots - startSlot));
}

/** Value of a science visit of `c` whose middle is at `midMjd`. */
export function sequenceValue(c: PlanCandidate, midMjd: number, sidereal: SiderealTable | undefined): number {
  const ha = sidereal && c.preferredHaH != null ? hourAngleH(sidereal, midMjd, c.science.raDeg) : null;
  return nssWeight(c.finalPriority, c.isStarted) * hourAngleFactor(ha, c.preferredHaH) * (c.valueFactor ?? 1);
}

/** Inputs of `buildOptions`. */
export interface OptionsInput {
  grid: SlotGrid;
  /** Candidates by target: each target's PoP variants. */
  groups: ReadonlyArray<readonly PlanCandidate[]>;
  settings: PlanSettings;
  sidereal?: SiderealTable;
  /** PoP-set index of a variant's PoPs (every variant's PoPs must be listed). */
  popIndex: ReadonlyMap<string, number>;
  /** Free PoP changes: every option gets PoP set 0. */
  ignorePops: boolean;
}

/** Feasible start slots as a mask: slot k is set when `[t_k + offset, t_k + offset + duration]` lies in one interval. */
export function slotMask(grid: SlotGrid, intervals: readonly MjdInterval[], offsetDays: number, durationDays: number): Uint8Array {
  const mask = new Uint8Array(grid.slots);
  for (const iv of startsInside(intervals, offsetDays, durationDays)) {
    const lo = Math.max(0, Math.ceil((iv.startMjd - grid.t0) / grid.stepDays - 1e-6));
    const hi = Math.min(grid.slots - 1, Math.floor((iv.endMjd - grid.t0) / grid.stepDays + 1e-6));
    for (let k = lo; k <= hi; k++) mask[k] = 1;
  }
  return mask;
}

/** Every single-sequence and two-sequence-chain option of the candidates on the grid. */
export function buildOptions(input: OptionsInput): Omit<OptionSet, 'popSets'> {
  const { grid, groups, settings, sidereal, popIndex, ignorePops } = input;
  const bracketed = settings.bracket !== 'none';
  const stars = new Map<string, PlanStar>();
  for (const g of groups) for (const c of g) for (const s of [c.science, ...c.calibrators]) stars.set(s.key, s);
  const allowance = slewAllowance(settings, [...stars.values()]);
  const options: OptOption[] = [];
  const plans: OptionPlan[] = [];
  const byTarget: number[][] = groups.map(() => []);
  const keys = groups.map((g) => g[0].science.key);
  const popOf = (c: PlanCandidate) => (ignorePops ? 0 : popIndex.get(c.science.pops)!);
  const tried = Math.max(1, settings.maxCalibratorsTried);
  // Slots at which a layout of this duration still ends inside the window.
  const lastStart = (durationDays: number) => Math.min(grid.slots - 1, Math.floor((grid.endMjd - durationDays - grid.t0) / grid.stepDays + 1e-6));

  // Masks are cached per star (with its PoPs) and visit position: calibrators serve many targets.
  const positions: Array<[number, number]> = [];
  const position = (offsetDays: number, durationDays: number) => {
    let pos = positions.findIndex(([o, d]) => o === offsetDays && d === durationDays);
    if (pos < 0) pos = positions.push([offsetDays, durationDays]) - 1;
    return pos;
  };
  const masks = new Map<PlanStar, Uint8Array[]>();
  const maskAt = (star: PlanStar, pos: number) => {
    let byPos = masks.get(star);
    if (!byPos) masks.set(star, (byPos = []));
    let m = byPos[pos];
    if (!m) byPos[pos] = m = slotMask(grid, star.intervals, positions[pos][0], positions[pos][1]);
    return m;
  };

  // Values without an hour-angle wish do not depend on the start: computed once per candidate.
  const flatValue = new Map<PlanCandidate, number>();
  const valueAt = (c: PlanCandidate, midMjd: number) => {
    if (c.preferredHaH != null && sidereal) return sequenceValue(c, midMjd, sidereal);
    let v = flatValue.get(c);
    if (v === undefined) flatValue.set(c, (v = sequenceValue(c, midMjd, undefined)));
    return v;
  };
  const noSlew = !(settings.slewRateDegPerS > 0);
  const push = (members: number[], parts: PlanCandidate[], k: number, opening: PlanStar | null, closing: PlanStar | null, shared: PlanStar | null, durationDays: number, sciMidOffsets: number[]) => {
    const startMjd = grid.t0 + k * grid.stepDays;
    let value = 0;
    for (let i = 0; i < parts.length; i++) value += valueAt(parts[i], startMjd + sciMidOffsets[i]);
    const index = options.length;
    const len = footprint(grid, k, durationDays, noSlew ? 0 : allowance(closing ?? parts[parts.length - 1].science));
    options.push({ members, pop: popOf(parts[0]), start: k, len, value });
    plans.push({ parts, opening, closing, shared, startMjd, durationDays });
    for (const j of members) byTarget[j].push(index);
  };
  const alone = groups.map((_, j) => [j]);

  // With no slews the visits' offsets do not depend on the stars: feasibility is a product of
  // per-star masks. Otherwise every calibrator pair gets its own layout.
  const fixedOffsets = !(settings.slewRateDegPerS > 0);

  const generic = (j: number, c: PlanCandidate) => {
    const claimed = new Uint8Array(grid.slots);
    const pairs: Array<[PlanStar, PlanStar] | null> = bracketed ? calibratorPairs(c.calibrators, settings) : [null];
    for (const p of pairs) {
      const layout = buildLayout(c.science, p?.[0] ?? null, p?.[1] ?? null, settings);
      let mask: Uint8Array | null = null;
      for (const v of layout.visits) {
        const m = slotMask(grid, v.star.intervals, v.offsetDays, v.durationDays);
        if (mask) for (let k = 0; k < grid.slots; k++) mask[k] &= m[k];
        else mask = m;
      }
      if (!mask) continue;
      const sci = layout.visits.find((v) => v.kind === 'SCI')!;
      const last = lastStart(layout.durationDays);
      for (let k = 0; k <= last; k++) {
        if (!mask[k] || claimed[k]) continue;
        claimed[k] = 1;
        push(alone[j], [c], k, p?.[0] ?? null, p?.[1] ?? null, null, layout.durationDays, [sci.offsetDays + sci.durationDays / 2]);
      }
    }
  };

  // Single sequences.
  // Offsets of the visits of one sequence (placeholder stars: only the offsets are read).
  const placeholder: PlanStar = { key: '', name: '', raDeg: 0, decDeg: 0, intervals: [], pops: '' };
  const single = bracketed ? buildLayout(placeholder, placeholder, placeholder, settings) : null;
  const sciPositions = single ? single.visits.filter((v) => v.kind === 'SCI').map((v) => position(v.offsetDays, v.durationDays)) : [];
  const calPositions = single ? single.visits.filter((v) => v.kind === 'CAL').map((v) => position(v.offsetDays, v.durationDays)) : [];
  const sciVisit = single?.visits.find((v) => v.kind === 'SCI');
  const mid = sciVisit ? [sciVisit.offsetDays + sciVisit.durationDays / 2] : [];
  groups.forEach((group, j) => {
    for (const c of group) {
      if (!fixedOffsets || !bracketed || !single) {
        generic(j, c);
        continue;
      }
      const cals = c.calibrators.slice(0, tried);
      if (cals.length === 0) continue;
      // Science visits (several with more points), then for each slot the best-ranked pair.
      let sciMask: Uint8Array | null = null;
      for (const pos of sciPositions) {
        const m = maskAt(c.science, pos);
        sciMask = sciMask ? sciMask.map((x, k) => x & m[k]) : m;
      }
      const pairs = calibratorPairs(cals, settings).map(([a, b]) => {
        // Calibrator visits alternate a, b, a … as `buildLayout` lays them out.
        const m = new Uint8Array(grid.slots).fill(1);
        calPositions.forEach((pos, n) => {
          const cm = maskAt(n % 2 === 0 ? a : b, pos);
          for (let k = 0; k < grid.slots; k++) m[k] &= cm[k];
        });
        return { a, b, m };
      });
      const parts = [c];
      const last = lastStart(single.durationDays);
      for (let k = 0; k <= last; k++) {
        if (!sciMask![k]) continue;
        for (const p of pairs) {
          if (p.m[k] !== 1) continue;
          push(alone[j], parts, k, p.a, p.b, null, single.durationDays, mid);
          break;
        }
      }
    }
  });

  // Chains of two sequences sharing the calibrator between them, on the same PoP set (points = 1, no slews).
  if (bracketed && settings.shareCalibrators && fixedOffsets && settings.pointsPerTarget === 1) {
    const { sciDays, calDays } = visitDays(settings);
    const holders = new Map<string, Array<{ j: number; c: PlanCandidate; shared: PlanStar }>>();
    groups.forEach((group, j) => {
      for (const c of group) {
        for (const s of c.calibrators.slice(0, tried)) {
          const key = `${popOf(c)}|${s.key}`;
          const list = holders.get(key) ?? [];
          list.push({ j, c, shared: s });
          holders.set(key, list);
        }
      }
    });
    // CAL a | SCI 1 | CAL x | SCI 2 | CAL b
    const off = { sci1: calDays, x: calDays + sciDays, sci2: 2 * calDays + sciDays, close: 2 * calDays + 2 * sciDays };
    const durationDays = 3 * calDays + 2 * sciDays;
    const mids = [off.sci1 + sciDays / 2, off.sci2 + sciDays / 2];
    const pos = {
      open: position(0, calDays),
      sci1: position(off.sci1, sciDays),
      x: position(off.x, calDays),
      sci2: position(off.sci2, sciDays),
      close: position(off.close, calDays),
    };
    const last = lastStart(durationDays);
    for (const key of [...holders.keys()].sort()) {
      const list = holders.get(key)!;
      if (list.length < 2) continue;
      const xMask = maskAt(list[0].shared, pos.x);
      const firsts = list.map((h) => ({
        s1: maskAt(h.c.science, pos.sci1),
        opens: h.c.calibrators.slice(0, tried).map((a) => ({ a, m: maskAt(a, pos.open) })),
      }));
      const seconds = list.map((h) => ({
        s2: maskAt(h.c.science, pos.sci2),
        closes: h.c.calibrators.slice(0, tried).map((b) => ({ b, m: maskAt(b, pos.close) })),
      }));
      list.forEach((h1, n1) => {
        const { s1, opens } = firsts[n1];
        list.forEach((h2, n2) => {
          if (h1.j === h2.j) return;
          const { s2, closes } = seconds[n2];
          let members: number[] | null = null;
          const parts = [h1.c, h2.c];
          for (let k = 0; k <= last; k++) {
            if (!(s1[k] && s2[k] && xMask[k])) continue;
            const a = opens.find((o) => o.m[k] === 1);
            const b = a && closes.find((o) => o.m[k] === 1);
            if (!a || !b) continue;
            members ??= [h1.j, h2.j];
            push(members, parts, k, a.a, b.b, h1.shared, durationDays, mids);
          }
        });
      });
    }
  }
  return { grid, keys, options, plans, byTarget };
}

/** The blocks of one chosen option (ids `<sequence>:<visit>@<start minute>`, as before). */
export function materialise(plan: OptionPlan, settings: PlanSettings): PlannedBlock[] {
  const { parts, startMjd } = plan;
  const { layout, partStarts } = optionLayout(plan, settings);
  const blocks: PlannedBlock[] = [];
  const seqOfVisit = (i: number) => {
    let p = 0;
    for (let k = 0; k < partStarts.length; k++) if (i >= partStarts[k]) p = k;
    return p;
  };
  const partStartMjd = partStarts.map((from) => startMjd + layout.visits[from].offsetDays);
  layout.visits.forEach((v, i) => {
    const p = seqOfVisit(i);
    const c = parts[p];
    const seq = c.science.key;
    const own = i - partStarts[p];
    const isShared = v.kind === 'CAL' && p + 1 < partStarts.length && i === partStarts[p + 1] - 1;
    blocks.push({
      id: `${seq}:${own}@${Math.round(partStartMjd[p] * 1440)}`,
      sequenceId: seq,
      kind: v.kind,
      starKey: v.star.key,
      name: v.star.name,
      raDeg: v.star.raDeg,
      decDeg: v.star.decDeg,
      vmag: v.star.vmag ?? null,
      startMjd: startMjd + v.offsetDays,
      endMjd: startMjd + v.offsetDays + v.durationDays,
      pops: c.science.pops,
      status: 'planned',
      isPinned: false,
      violations: [],
      ...(v.kind === 'CAL' ? { calibrates: isShared ? [seq, parts[p + 1].science.key] : [seq] } : {}),
      ...(v.kind === 'CAL' && v.star.isVetted === false ? { isVetted: false } : {}),
    });
  });
  blocks.forEach((b, i) => {
    if (b.kind !== 'SCI') return;
    const around = [blocks[i - 1], blocks[i + 1]].filter((x): x is PlannedBlock => x !== undefined && x.kind === 'CAL');
    b.calibratorKeys = around.map((x) => x.starKey);
    b.calibratorNames = around.map((x) => x.name);
  });
  return blocks;
}
