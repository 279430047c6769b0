/**
 * Why each target is left out of a finished plan (docs/planner.md, "Left out, with the real
 * reason"), judged against the plan's slot timeline from the target's possible starts, in order:
 * a start that fits (only shadows: real candidates that fit were placed); a free stretch too short
 * once a PoP change is added; a stretch taken by sequences worth at least as much, on compatible
 * PoPs; else no free slot; only PoPs other than the night's there. A target with no start at all
 * says why from its own windows (`LeftOutJudge.noOption`).
 *
 * Thousands of targets are judged on every plan and re-plan, each at every start of its window,
 * and the plan's side of a start does not depend on the target: so what a start of a given length
 * meets (fits, too short for the PoP change, taken by compatible or incompatible sequences, and the
 * value it would displace) is tabled once per plan and length (`StartTable`), and a start costs
 * two array reads. A start's own value (hour angle, model factor) is worked out only while the
 * verdict still needs it, the names and times of a verdict only once it is final.
 */
import { EPS_DAYS, clip, totalDays } from './intervals';
import { buildLayout, feasibleStarts, visitDays } from './layout';
import { calibratorPairs, groupCandidates, lastStartSlot, sequenceValue, slotMask, slotMjd, type OptionPlan, type OptionSet, type SlotGrid } from './options';
import { hhmmUtc, type Timeline } from './timeline';
import type { LeftOutCode, MjdInterval, PlanCandidate, PlanInput, PlanStar } from './types';

/** A left-out target's code and the reason shown to the observer. */
export interface Verdict {
  code: LeftOutCode;
  reason: string;
}

/**
 * What judging keeps across the runs of one night (held with the night's options, whose key
 * covers the settings): the shadows' start slots and grouping, and the candidates' calibrator
 * layouts, do not depend on "now".
 */
export interface LeftOutMemo {
  /** The grid the masks are made on (the whole night's); a run reads them from its own first slot. */
  grid: SlotGrid;
  /**
   * Slots of `grid` where a shadow's science visit fits its window (`slotMask`), as runs: first and
   * last slot of each, in order; by the shadow's windows.
   */
  shadowStarts: Map<readonly MjdInterval[], Int32Array>;
  /** A candidate variant's calibrator pairs and, as far as tried, each pair's feasible starts (MJD). */
  pairStarts: WeakMap<PlanCandidate, { pairs: Array<[PlanStar, PlanStar] | null>; starts: MjdInterval[][] }>;
  /** The last shadows grouped by target (`groupCandidates`): a re-plan brings the same ones in a new array. */
  shadowGroups: { shadows: readonly PlanCandidate[]; groups: PlanCandidate[][] } | null;
}

/** An empty memo whose masks are made on `grid`. */
export function leftOutMemo(grid: SlotGrid): LeftOutMemo {
  return { grid, shadowStarts: new Map(), pairStarts: new WeakMap(), shadowGroups: null };
}

/** Everything of a finished plan the judge reads. */
export interface LeftOutContext {
  input: PlanInput;
  grid: SlotGrid;
  popSets: readonly string[];
  popIndex: ReadonlyMap<string, number>;
  ignorePops: boolean;
  timeline: Timeline;
  /** The night's memo, or null for a run without one (then a memo of this run alone). */
  memo: LeftOutMemo | null;
  /**
   * The run's first slot of `grid` (0 unless the run is held on the night's options and grid,
   * `OptionSet.held`: then the slots before "now" are held and no shadow starts there).
   */
  firstSlot?: number;
}

const CHAIN_ONLY: Verdict = {
  code: 'calibrators-not-observable',
  reason: 'no calibrator observable just before it: it could only follow a sequence closing on one of its calibrators, and none is placed where it fits',
};

/** Key of a start in the judge's text memos: slot × this + length (lengths are far below it). */
const TEXT_KEY = 1 << 16;

/** What a start meets on the timeline, for one PoP index. */
const enum Start {
  fits = 0,
  /** Free, but the PoP change before or after it does not fit in the free run. */
  tooShort = 1,
  /** Taken, by at least one sequence on the same PoP set (or a kept block that takes any). */
  compatible = 2,
  /** Taken, by sequences on other PoP sets only. */
  incompatible = 3,
}

/** What `LeftOutJudge.probe` needs next. */
const enum Step {
  /** Nothing: go on to the next start. */
  next,
  /** The start fits: the verdict is final, stop. */
  fits,
  /** The start's value, through `weigh`, before the next start. */
  weigh,
}

/**
 * What every start of one length meets on a finished plan's timeline: `Timeline.fit` for each PoP
 * index, and for a taken start whether a sequence there is compatible and the value it displaces.
 */
class StartTable {
  /** `Start` at slot k for PoP index p, at `p * slots + k`. */
  readonly kind: Uint8Array;
  /** Summed value of the sequences a taken start overlaps, by slot (the order `overlapping` lists them). */
  readonly displaced: Float64Array;

  /** Slots from `firstSlot` on: no start is probed before it (a held re-plan's slots before "now"). */
  constructor(timeline: Timeline, pops: number, lenSlotsAt: (k: number) => number, firstSlot: number) {
    const { slots } = timeline;
    this.kind = new Uint8Array(pops * slots);
    this.displaced = new Float64Array(slots);
    for (let k = firstSlot; k < slots; k++) {
      const len = lenSlotsAt(k);
      // A start without a PoP set is never too short: this only asks whether it is taken.
      if (timeline.fit(k, len, -1) !== 'taken') {
        for (let p = 0; p < pops; p++) this.kind[p * slots + k] = timeline.fit(k, len, p) === 'fits' ? Start.fits : Start.tooShort;
        continue;
      }
      const by = timeline.overlapping(k, len);
      let displaced = 0;
      let isAny = false;
      for (const x of by) {
        displaced += x.value;
        isAny ||= x.pop < 0;
      }
      this.displaced[k] = displaced;
      // Compatible: a sequence there on the same PoP set, or a kept block that takes any.
      for (let p = 0; p < pops; p++) this.kind[p * slots + k] = isAny ? Start.compatible : Start.incompatible;
      if (!isAny) for (const x of by) if (x.pop < pops) this.kind[x.pop * slots + k] = Start.compatible;
    }
  }
}

/**
 * Judges the left-out targets of one finished plan (see the file comment), one target at a time:
 * `options` for a candidate with options, `noOption` for one without, `shadow` for a target
 * examined without calibrators. Verdicts are the same whatever order targets are judged in.
 */
export class LeftOutJudge {
  private readonly input: PlanInput;
  private readonly grid: SlotGrid;
  private readonly popSets: readonly string[];
  private readonly popIndex: ReadonlyMap<string, number>;
  private readonly ignorePops: boolean;
  private readonly timeline: Timeline;
  private readonly memo: LeftOutMemo;
  /** The run's first slot of `grid` (see `LeftOutContext.firstSlot`). */
  private readonly firstSlot: number;
  /** PoP indices the tables cover: the night's sets, and one for a shadow's set that is none of them. */
  private readonly pops: number;
  /** Tables of options' starts, by length (slots). */
  private readonly tables = new Map<number, StartTable>();
  private shadowTable: StartTable | null = null;
  /** Texts of verdicts, made once per plan: HH:MM of slot times, and by start (`TEXT_KEY`) spans, names and PoP sets. */
  private readonly slotHhmm: string[] = [];
  private readonly spans = new Map<number, string>();
  private readonly nameLists = new Map<number, string>();
  private readonly popLists = new Map<number, string>();
  private windowNote: string | null = null;
  /** A shadow's sequence: length (days and slots), science visit (offset and length, days), last start. */
  private readonly shadowDays: number;
  private readonly shadowLenSlots: number;
  private readonly sciOffsetDays: number;
  private readonly sciDays: number;
  private readonly lastShadowStart: number;
  /** One science visit alone (`noOption`), days. */
  private readonly oneVisitDays: number;

  // The target being judged: the first start of each kind (slot, or −1), with its length and PoPs.
  private any = false;
  private fitsAt = -1;
  private shortAt = -1;
  private shortLen = 0;
  private shortRef = -1;
  private lowerAt = -1;
  private lowerLen = 0;
  private noSlotAt = -1;
  private noSlotLen = 0;
  private incompatibleAt = -1;
  private incompatibleLen = 0;
  private incompatibleRef = -1;
  /**
   * Whose starts `ref` numbers (see `begin`): the plans of a set's options, or a
   * shadow's variants. Two fields of one type each, not one field holding an option set or a
   * list: option sets come in several shapes (a whole night, a held or derived run), and a field
   * that met another shape sent the judge back to the interpreter on a process's first re-plan.
   */
  private refPlans: readonly OptionPlan[] | null = null;
  private refGroup: readonly PlanCandidate[] | null = null;
  /** The start waiting for its value (`Step.weigh`) and what it would displace. */
  private pendingAt = -1;
  private pendingLen = 0;
  private pendingTable: StartTable | null = null;

  constructor(context: LeftOutContext) {
    this.input = context.input;
    this.grid = context.grid;
    this.popSets = context.popSets;
    this.popIndex = context.popIndex;
    this.ignorePops = context.ignorePops;
    this.timeline = context.timeline;
    this.memo = context.memo ?? leftOutMemo(context.grid);
    this.firstSlot = context.firstSlot ?? 0;
    this.pops = context.popSets.length + 1;
    const { settings } = context.input;
    this.shadowDays = sequenceDays(settings);
    const days = visitDays(settings);
    this.sciOffsetDays = settings.bracket === 'none' ? 0 : days.calDays;
    this.sciDays = days.sciDays;
    this.shadowLenSlots = Math.ceil(this.shadowDays / this.grid.stepDays - 1e-6);
    this.lastShadowStart = lastStartSlot(this.grid, this.shadowDays);
    // What `buildLayout` makes of a science visit alone: one visit, no slew.
    this.oneVisitDays = visitDays({ ...settings, bracket: 'none', pointsPerTarget: 1 }).sciDays;
  }

  /** The verdict on a candidate's options (indices into `set`), in the order given. */
  options(set: OptionSet, options: readonly number[]): Verdict {
    this.begin(set.plans, null);
    const all = set.options;
    let table: StartTable | null = null;
    let tableLen = -1;
    for (let i = 0; i < options.length; i++) {
      const o = options[i];
      const opt = all[o];
      // A chain whose partner is placed elsewhere is not a way in.
      if (opt.requires !== undefined) continue;
      if (opt.len !== tableLen) {
        tableLen = opt.len;
        table = this.tableOf(opt.len);
      }
      const step = this.probe(table!, opt.start, opt.len, opt.pop, o);
      if (step === Step.fits) break;
      if (step === Step.weigh) this.weigh(opt.value / opt.members.length);
    }
    return this.verdict() ?? CHAIN_ONLY;
  }

  /**
   * The verdict on a shadow (a target examined without calibrators): every start of every PoP
   * variant, in order; `not-examined` when one fits. A shadow's own PoP set may be none of the
   * night's: it gets an index of its own (a change either side).
   */
  shadow(group: readonly PlanCandidate[]): Verdict {
    this.begin(null, group);
    const { grid, memo } = this;
    const slots = grid.slots;
    const lenSlots = this.shadowLenSlots;
    const table = (this.shadowTable ??= new StartTable(this.timeline, this.pops, (k) => Math.min(lenSlots, slots - k), this.firstSlot));
    // Starts are found on the memo's grid (the whole night's) once, then read from this run's first slot.
    const offset = grid.k0 - memo.grid.k0;
    const last = this.lastShadowStart;
    variants: for (let i = 0; i < group.length; i++) {
      const v = group[i];
      const runs = this.shadowStarts(v.science.intervals);
      const pop = this.ignorePops ? 0 : (this.popIndex.get(v.science.pops) ?? this.popSets.length);
      for (let r = 0; r < runs.length; r += 2) {
        const to = Math.min(last, runs[r + 1] - offset);
        for (let k = Math.max(this.firstSlot, runs[r] - offset); k <= to; k++) {
          const step = this.probe(table, k, Math.min(lenSlots, slots - k), pop, i);
          if (step === Step.fits) break variants;
          if (step === Step.weigh) this.weigh(sequenceValue(v, slotMjd(grid, k) + this.sciOffsetDays + this.sciDays / 2, this.input.sidereal));
        }
      }
    }
    return this.verdict() ?? this.noOption(group);
  }

  /**
   * `shadows` grouped by target (`groupCandidates`), kept in the memo while the shadows are the same
   * candidates in the same order. Dropping whole groups from these (a target planned or kept) gives
   * the groups of the shadows without them: a group is one target's variants.
   */
  shadowGroups(shadows: readonly PlanCandidate[]): readonly PlanCandidate[][] {
    const kept = this.memo.shadowGroups;
    if (kept && kept.shadows.length === shadows.length && kept.shadows.every((c, i) => c === shadows[i])) return kept.groups;
    const groups = groupCandidates(shadows);
    this.memo.shadowGroups = { shadows: [...shadows], groups };
    return groups;
  }

  /** Why a target has no start at all (nothing to do with other targets), from its variants alone. */
  noOption(group: readonly PlanCandidate[]): Verdict {
    const { window, settings } = this.input;
    const bracketed = settings.bracket !== 'none';
    // The best-ranked reason over the variants; its text is only made when it is kept.
    let rank = 0;
    let verdict: Verdict | null = null;
    for (let i = 0; i < group.length; i++) {
      const v = group[i];
      const sciDays = clip(v.science.intervals, window.startMjd, window.endMjd);
      if (sciDays.length === 0) continue;
      if (!holdsOne(sciDays, this.oneVisitDays)) {
        if (rank < 1) {
          rank = 1;
          verdict = { code: 'too-short', reason: `observable for ${Math.round(totalDays(sciDays) * 1440)} min only, shorter than one visit` };
        }
        continue;
      }
      if (bracketed && v.calibrators.length === 0) {
        if (rank < 2) {
          rank = 2;
          verdict = { code: 'no-vetted-calibrator', reason: `no vetted calibrator: the Calibrators service rejects every star near it${v.calibratorNote ? ` (${v.calibratorNote})` : ''}` };
        }
        continue;
      }
      if (rank >= 3) continue;
      rank = 3;
      if (!this.fitsSomewhere(v)) {
        verdict = bracketed
          ? { code: 'calibrators-not-observable', reason: `no calibrator observable just before and after it${v.science.pops ? ` with PoPs ${v.science.pops}` : ''}` }
          : { code: 'too-short', reason: 'its observable window is shorter than the block' };
      } else {
        verdict = { code: 'too-short', reason: 'its observable window in the remaining night is shorter than a sequence' };
      }
    }
    return verdict ?? { code: 'not-observable', reason: (this.windowNote ??= `not observable between ${hhmmUtc(window.startMjd)} and ${hhmmUtc(window.endMjd)} UTC`) };
  }

  /** Whether a sequence of `v` with some calibrator pair starts inside the window (pairs in rank order, layouts memoised). */
  private fitsSomewhere(v: PlanCandidate): boolean {
    const { window, settings } = this.input;
    let memo = this.memo.pairStarts.get(v);
    if (!memo) {
      memo = { pairs: settings.bracket !== 'none' ? calibratorPairs(v.calibrators, settings) : [null], starts: [] };
      this.memo.pairStarts.set(v, memo);
    }
    for (let i = 0; i < memo.pairs.length; i++) {
      const pair = memo.pairs[i];
      const starts = (memo.starts[i] ??= feasibleStarts(buildLayout(v.science, pair?.[0] ?? null, pair?.[1] ?? null, settings)));
      if (clip(starts, window.startMjd, window.endMjd).length > 0) return true;
    }
    return false;
  }

  private tableOf(lenSlots: number): StartTable {
    let table = this.tables.get(lenSlots);
    if (!table) this.tables.set(lenSlots, (table = new StartTable(this.timeline, this.pops, () => lenSlots, this.firstSlot)));
    return table;
  }

  /** The runs of start slots of a shadow's science visit on the memo's grid (see `LeftOutMemo`). */
  private shadowStarts(intervals: readonly MjdInterval[]): Int32Array {
    const { memo } = this;
    let runs = memo.shadowStarts.get(intervals);
    if (!runs) {
      const mask = slotMask(memo.grid, intervals, this.sciOffsetDays, this.sciDays);
      const bounds: number[] = [];
      for (let k = 0; k < mask.length; k++) {
        if (!mask[k]) continue;
        const first = k;
        while (k + 1 < mask.length && mask[k + 1]) k++;
        bounds.push(first, k);
      }
      memo.shadowStarts.set(intervals, (runs = Int32Array.from(bounds)));
    }
    return runs;
  }

  /** Start judging another target, whose starts are the options of `plans` or the variants of `group`. */
  private begin(plans: readonly OptionPlan[] | null, group: readonly PlanCandidate[] | null): void {
    this.refPlans = plans;
    this.refGroup = group;
    this.any = false;
    this.fitsAt = this.shortAt = this.lowerAt = this.noSlotAt = this.incompatibleAt = this.pendingAt = -1;
  }

  /**
   * Judge one start of `lenSlots` on PoP index `pop` (see `Step`); `ref` says whose start it is
   * (an option, a shadow's variant), for its PoPs should the verdict name them.
   */
  private probe(table: StartTable, start: number, lenSlots: number, pop: number, ref: number): Step {
    this.any = true;
    const kind = table.kind[pop * this.grid.slots + start];
    if (kind === Start.fits) {
      this.fitsAt = start;
      return Step.fits;
    }
    if (kind === Start.tooShort) {
      if (this.shortAt < 0) {
        this.shortAt = start;
        this.shortLen = lenSlots;
        this.shortRef = ref;
      }
      return Step.next;
    }
    // Once a start of lower value is found, only a start that fits or is too short can change the verdict.
    if (this.lowerAt >= 0) return Step.next;
    if (kind === Start.incompatible) {
      if (this.incompatibleAt < 0) {
        this.incompatibleAt = start;
        this.incompatibleLen = lenSlots;
        this.incompatibleRef = ref;
      }
      return Step.next;
    }
    this.pendingAt = start;
    this.pendingLen = lenSlots;
    this.pendingTable = table;
    return Step.weigh;
  }

  /** The value of the start `probe` asked it for: lower than what it displaces, or not. */
  private weigh(value: number): void {
    if (this.pendingTable!.displaced[this.pendingAt] >= value - 1e-9) {
      this.lowerAt = this.pendingAt;
      this.lowerLen = this.pendingLen;
    } else if (this.noSlotAt < 0) {
      this.noSlotAt = this.pendingAt;
      this.noSlotLen = this.pendingLen;
    }
    this.pendingAt = -1;
  }

  /** The PoPs of start `ref` (see `begin`). */
  private popsOf(ref: number): string {
    return this.refPlans ? this.refPlans[ref].parts[0].science.pops : this.refGroup![ref].science.pops;
  }

  /** The verdict on the starts probed since `begin`, or null when there was none. */
  private verdict(): Verdict | null {
    const { timeline } = this;
    if (this.fitsAt >= 0) {
      return { code: 'not-examined', reason: `not examined: it would fit at ${this.hhmmOfSlot(this.fitsAt)} UTC, but it was outside the candidates the planner asked calibrators for` };
    }
    if (!this.any) return null;
    if (this.shortAt >= 0) {
      const [a, b] = timeline.freeRun(this.shortAt)!;
      const needMin = Math.round((this.shortLen + timeline.changeSlots) * this.grid.stepDays * 1440);
      return {
        code: 'pop-change',
        reason: `window too short once a PoP change is added: ${this.hhmmOfSlot(a)}–${this.hhmmOfSlot(b)} UTC is free, but it needs PoPs ${this.popsOf(this.shortRef)} and ${needMin} min with the change`,
      };
    }
    if (this.lowerAt >= 0) {
      return { code: 'lower-value', reason: `lower value than what was placed in its window (${this.span(this.lowerAt, this.lowerLen)}): ${this.names(this.lowerAt, this.lowerLen)}` };
    }
    if (this.noSlotAt >= 0) {
      return { code: 'no-slot', reason: `no free slot in its window (${this.span(this.noSlotAt, this.noSlotLen)}): taken by ${this.names(this.noSlotAt, this.noSlotLen)}, which the best plan keeps` };
    }
    if (this.incompatibleAt < 0) return CHAIN_ONLY;
    return {
      code: 'pops-incompatible',
      reason: `PoPs incompatible with the night's sets: it needs PoPs ${this.popsOf(this.incompatibleRef)} (${this.span(this.incompatibleAt, this.incompatibleLen)}), the night uses ${this.nightPops(this.incompatibleAt, this.incompatibleLen)} then`,
    };
  }

  /** HH:MM UTC of slot k (`t0 + k·step`, as the reasons always showed it). */
  private hhmmOfSlot(k: number): string {
    return (this.slotHhmm[k] ??= hhmmUtc(this.grid.t0 + k * this.grid.stepDays));
  }

  /** `HH:MM–HH:MM UTC` of a start. */
  private span(start: number, lenSlots: number): string {
    const key = start * TEXT_KEY + lenSlots;
    let text = this.spans.get(key);
    if (text === undefined) this.spans.set(key, (text = `${this.hhmmOfSlot(start)}–${this.hhmmOfSlot(start + lenSlots)} UTC`));
    return text;
  }

  /** The sequences a start overlaps, with their times, as a verdict names them. */
  private names(start: number, lenSlots: number): string {
    const key = start * TEXT_KEY + lenSlots;
    let text = this.nameLists.get(key);
    if (text === undefined) {
      text = this.timeline
        .overlapping(start, lenSlots)
        .map((x) => `${x.label} ${hhmmUtc(x.startMjd)}–${hhmmUtc(x.endMjd)}`)
        .join(', ');
      this.nameLists.set(key, text);
    }
    return text;
  }

  /** The PoP sets of the sequences a start overlaps. */
  private nightPops(start: number, lenSlots: number): string {
    const key = start * TEXT_KEY + lenSlots;
    let text = this.popLists.get(key);
    if (text === undefined) {
      const by = this.timeline.overlapping(start, lenSlots);
      text = [...new Set(by.map((x) => (x.pop >= 0 ? (this.popSets[x.pop] ?? '?') : 'any')))].join(', ');
      this.popLists.set(key, text);
    }
    return text;
  }
}

/** Whether one of `intervals` is at least `days` long (within `EPS_DAYS`). */
function holdsOne(intervals: readonly MjdInterval[], days: number): boolean {
  for (let i = 0; i < intervals.length; i++) if (intervals[i].endMjd - intervals[i].startMjd >= days - EPS_DAYS) return true;
  return false;
}

/** Length of one unshared sequence, in days. */
function sequenceDays(settings: PlanInput['settings']): number {
  const { sciDays, calDays } = visitDays(settings);
  const points = Math.max(1, settings.pointsPerTarget);
  return settings.bracket === 'none' ? sciDays : points * sciDays + (points + 1) * calDays;
}
