/**
 * From scheduler candidates to the optimiser's options and back: every (target, PoP set,
 * calibrator pair, start slot) at which a CAL–SCI–CAL sequence fits its stars' windows, and every
 * chain of two sequences that share the calibrator between them (SCI–CAL–SCI), on the night's
 * time grid; then the blocks of the chosen options.
 */
import { EPS_DAYS, SECONDS_PER_DAY, intersect, separationDeg, startsInside } from './intervals';
import { buildLayout, feasibleStarts, slewDays, visitDays, type Layout, type Visit } from './layout';
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

/** What an option places: the candidates (PoP variants) and layout, kept to build its blocks. */
export interface OptionPlan {
  /** One variant per sequence, in time order. */
  parts: PlanCandidate[];
  layout: Layout;
  /** Visit index in `layout` where each part's own visits start, and the shared CAL visits. */
  partStarts: number[];
  startMjd: number;
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

/** Slots whose start time lies in `starts` and whose layout ends inside the window. */
function* startSlots(grid: SlotGrid, starts: readonly MjdInterval[], durationDays: number): Generator<number> {
  for (const iv of starts) {
    const lo = Math.max(0, Math.ceil((iv.startMjd - grid.t0) / grid.stepDays - 1e-6));
    const hi = Math.min(grid.slots - 1, Math.floor((iv.endMjd - grid.t0) / grid.stepDays + 1e-6));
    for (let k = lo; k <= hi; k++) {
      const t = grid.t0 + k * grid.stepDays;
      if (t + durationDays > grid.endMjd + EPS_DAYS) break;
      yield k;
    }
  }
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

  const sciIndex = (layout: Layout, from: number) => {
    for (let i = from; i < layout.visits.length; i++) if (layout.visits[i].kind === 'SCI') return i;
    return -1;
  };

  /** Claim free start slots for a layout; each slot keeps the first layout (the best pair) that fits there. */
  const addLayout = (members: number[], parts: PlanCandidate[], layout: Layout, partStarts: number[], claimed: Set<number>) => {
    const starts = feasibleStarts(layout);
    if (starts.length === 0) return;
    const sci = partStarts.map((from) => layout.visits[sciIndex(layout, from)]);
    for (const k of startSlots(grid, starts, layout.durationDays)) {
      if (claimed.has(k)) continue;
      claimed.add(k);
      const startMjd = grid.t0 + k * grid.stepDays;
      let value = 0;
      parts.forEach((c, i) => {
        value += sequenceValue(c, startMjd + sci[i].offsetDays + sci[i].durationDays / 2, sidereal);
      });
      const index = options.length;
      const last = layout.visits[layout.visits.length - 1].star;
      options.push({ members, pop: popOf(parts[0]), start: k, len: footprint(grid, k, layout.durationDays, allowance(last)), value });
      plans.push({ parts, layout, partStarts, startMjd });
      for (const j of new Set(members)) byTarget[j].push(index);
    }
  };

  // Single sequences.
  groups.forEach((group, j) => {
    for (const c of group) {
      const claimed = new Set<number>();
      if (!bracketed) {
        addLayout([j], [c], buildLayout(c.science, null, null, settings), [0], claimed);
        continue;
      }
      for (const [a, b] of calibratorPairs(c.calibrators, settings)) {
        addLayout([j], [c], buildLayout(c.science, a, b, settings), [0], claimed);
      }
    }
  });

  // Chains of two sequences sharing the calibrator between them, on the same PoP set.
  if (bracketed && settings.shareCalibrators) {
    const { sciDays, calDays } = visitDays(settings);
    const holders = new Map<string, Array<{ j: number; c: PlanCandidate; shared: PlanStar }>>();
    groups.forEach((group, j) => {
      for (const c of group) {
        for (const s of c.calibrators.slice(0, Math.max(1, settings.maxCalibratorsTried))) {
          const key = `${popOf(c)}|${s.key}`;
          const list = holders.get(key) ?? [];
          list.push({ j, c, shared: s });
          holders.set(key, list);
        }
      }
    });
    const points = Math.max(1, settings.pointsPerTarget);
    // Offsets (no slews) of the first science visit, the shared CAL and the second's science visit.
    const firstLen = points * sciDays + points * calDays;
    for (const key of [...holders.keys()].sort()) {
      const list = holders.get(key)!;
      if (list.length < 2) continue;
      for (const h1 of list) {
        for (const h2 of list) {
          if (h1.j === h2.j) continue;
          // Quick test on the science visits and the shared calibrator alone, before any layout.
          const s1 = startsInside(h1.c.science.intervals, calDays, sciDays);
          const s2 = startsInside(h2.c.science.intervals, firstLen + calDays, sciDays);
          const sx = startsInside(h1.shared.intervals, firstLen, calDays);
          if (intersect(intersect(s1, s2), sx).length === 0) continue;
          const claimed = new Set<number>();
          for (const a of h1.c.calibrators.slice(0, Math.max(1, settings.maxCalibratorsTried))) {
            for (const b of h2.c.calibrators.slice(0, Math.max(1, settings.maxCalibratorsTried))) {
              const first = buildLayout(h1.c.science, a, a, settings, null, h1.shared);
              const second = buildLayout(h2.c.science, h2.shared, b, settings, h2.shared, null);
              const { layout, partStarts } = chainLayout(first, h1.shared, second, settings);
              addLayout([h1.j, h2.j], [h1.c, h2.c], layout, partStarts, claimed);
            }
          }
        }
      }
    }
  }
  return { grid, keys, options, plans, byTarget };
}

/** The blocks of one chosen option (ids `<sequence>:<visit>@<start minute>`, as before). */
export function materialise(plan: OptionPlan): PlannedBlock[] {
  const { layout, parts, partStarts, startMjd } = plan;
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
