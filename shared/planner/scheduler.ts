/**
 * The night scheduler: ranked insertion of CAL–SCI–CAL sequences into the free gaps of the night.
 *
 * Candidates are taken in objective order (started targets first, then final priority, PI
 * priority, then the least flexible). Each is placed at the best position over every free gap,
 * calibrator pair and calibrator-sharing variant, where "best" is, in this order: closest to the
 * hour angle of its earlier nights, least time consumed (sequence, transitions and the unusable
 * slivers it leaves), earliest start. A placed sequence never moves, so a higher-ranked target is
 * never displaced by a lower one and the result is deterministic. See docs/planner.md.
 */
import { EPS_DAYS, SECONDS_PER_DAY, clip, totalDays } from './intervals';
import { buildLayout, feasibleStarts, transitionDays, visitDays, type Layout } from './layout';
import { hourAngleH } from './sidereal';
import type {
  LeftOut,
  MjdInterval,
  PlanCandidate,
  PlanInput,
  PlanResult,
  PlanSettings,
  PlanStar,
  PlanStats,
  PlannedBlock,
} from './types';

/** Width of the hour-angle buckets (h): inside one bucket, efficiency decides. */
const HA_BUCKET_H = 0.5;

/** An occupied stretch of the timeline: one sequence, or one fixed block. */
interface Segment {
  startMjd: number;
  endMjd: number;
  first: PlannedBlock;
  last: PlannedBlock;
  firstStar: PlanStar;
  lastStar: PlanStar;
  pops: string;
}

interface Option {
  c: PlanCandidate;
  layout: Layout;
  startMjd: number;
  haBucket: number;
  costDays: number;
  /** Index of the PoP set in the preference list (list length when absent). */
  popRank: number;
  prev: Segment | null;
  next: Segment | null;
}

/** Star of a block, for transitions next to blocks that came from outside this run. */
function blockStar(b: PlannedBlock): PlanStar {
  return { key: b.starKey, name: b.name, raDeg: b.raDeg, decDeg: b.decDeg, intervals: [], pops: b.pops };
}

/** Calibrator pairs to try, opening × closing, from the first `maxCalibratorsTried`. */
function calibratorPairs(c: PlanCandidate, settings: PlanSettings): Array<[PlanStar, PlanStar]> {
  const cals = c.calibrators.slice(0, Math.max(1, settings.maxCalibratorsTried));
  const pairs: Array<[PlanStar, PlanStar]> = [];
  for (const a of cals) for (const b of cals) pairs.push([a, b]);
  return pairs;
}

/** The objective's ordering of candidates; `flexDays` breaks ties in favour of the hardest to place. */
function compareCandidates(
  a: { c: PlanCandidate; flexDays: number },
  b: { c: PlanCandidate; flexDays: number },
): number {
  return (
    Number(b.c.isStarted) - Number(a.c.isStarted) ||
    a.c.finalPriority - b.c.finalPriority ||
    a.c.piPriority - b.c.piPriority ||
    a.flexDays - b.flexDays ||
    (a.c.science.key < b.c.science.key ? -1 : a.c.science.key > b.c.science.key ? 1 : 0)
  );
}

/** A CAL block at the edge of a segment that another sequence may reuse. */
function shareableCal(block: PlannedBlock, candidate: PlanCandidate, pops: string): PlanStar | null {
  if (block.kind !== 'CAL' || block.status === 'failed' || block.status === 'skipped') return null;
  if ((block.calibrates?.length ?? 0) !== 1 || block.pops !== pops) return null;
  return candidate.calibrators.find((s) => s.key === block.starKey) ?? null;
}

function toSegments(blocks: readonly PlannedBlock[]): Segment[] {
  return [...blocks]
    .sort((a, b) => a.startMjd - b.startMjd)
    .map((b) => ({
      startMjd: b.startMjd,
      endMjd: b.endMjd,
      first: b,
      last: b,
      firstStar: blockStar(b),
      lastStar: blockStar(b),
      pops: b.pops,
    }));
}

/** Blocks of a layout placed at `startMjd`, wired to the calibrators it shares. */
function materialise(
  c: PlanCandidate,
  layout: Layout,
  startMjd: number,
  prev: Segment | null,
  next: Segment | null,
): PlannedBlock[] {
  const seq = c.science.key;
  const minute = Math.round(startMjd * 1440);
  const blocks: PlannedBlock[] = layout.visits.map((v, i) => ({
    id: `${seq}:${i}@${minute}`,
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
    ...(v.kind === 'CAL' ? { calibrates: [seq] } : {}),
  }));
  const before = layout.sharesBefore && prev ? prev.last : null;
  const after = layout.sharesAfter && next ? next.first : null;
  if (before) before.calibrates = [...(before.calibrates ?? []), seq];
  if (after) after.calibrates = [seq, ...(after.calibrates ?? [])];
  const chain = [...(before ? [before] : []), ...blocks, ...(after ? [after] : [])];
  for (let i = 0; i < chain.length; i++) {
    if (chain[i].kind !== 'SCI' || chain[i].sequenceId !== seq) continue;
    const around = [chain[i - 1], chain[i + 1]].filter((b): b is PlannedBlock => b !== undefined);
    chain[i].calibratorKeys = around.map((b) => b.starKey);
    chain[i].calibratorNames = around.map((b) => b.name);
  }
  return blocks;
}

/** Plan quality figures over `window`. */
export function planStats(blocks: readonly PlannedBlock[], input: Pick<PlanInput, 'window' | 'candidates'>): PlanStats {
  const sorted = [...blocks].sort((a, b) => a.startMjd - b.startMjd);
  const prio = new Map(input.candidates.map((c) => [c.science.key, c.finalPriority]));
  let busyDays = 0;
  let cursor = input.window.startMjd;
  let popChanges = 0;
  const scienceSeen = new Set<string>();
  let prioritySum = 0;
  for (let i = 0; i < sorted.length; i++) {
    const b = sorted[i];
    const lo = Math.max(cursor, b.startMjd, input.window.startMjd);
    const hi = Math.min(b.endMjd, input.window.endMjd);
    if (hi > lo) busyDays += hi - lo;
    cursor = Math.max(cursor, b.endMjd);
    if (i > 0 && sorted[i - 1].pops !== b.pops) popChanges++;
    if (b.kind === 'SCI' && !scienceSeen.has(b.sequenceId)) {
      scienceSeen.add(b.sequenceId);
      prioritySum += prio.get(b.sequenceId) ?? 0;
    }
  }
  return {
    scienceBlocks: sorted.filter((b) => b.kind === 'SCI').length,
    calibratorBlocks: sorted.filter((b) => b.kind === 'CAL').length,
    prioritySum,
    idleS: Math.max(0, (input.window.endMjd - input.window.startMjd - busyDays) * SECONDS_PER_DAY),
    popChanges,
    sharedCalibrators: sorted.filter((b) => (b.calibrates?.length ?? 0) > 1).length,
  };
}

/** Format an MJD as HH:MM UTC for reasons shown to the observer. */
export function hhmmUtc(mjd: number): string {
  const ms = Math.round((mjd - 40587) * SECONDS_PER_DAY * 1000);
  return new Date(ms).toISOString().slice(11, 16);
}

/** One PoP variant of a candidate and the calibrator pairs to try with it. */
interface Variant {
  c: PlanCandidate;
  pairs: Array<[PlanStar, PlanStar] | null>;
  /** Layouts and their feasible starts, by calibrator pair and sharing; built on demand. */
  layouts: Map<string, { layout: Layout; starts: MjdInterval[] }>;
  /** Earliest and latest feasible start of any unshared layout (a quick gap filter). */
  hull: MjdInterval;
}

/** A candidate ready to place: its variants (same science target, different PoPs) and rank data. */
interface Entry {
  c: PlanCandidate;
  flexDays: number;
  variants: Variant[];
}

/** Check one target's variants; returns the entry to rank, or why it cannot be placed at all. */
function prepareEntry(group: PlanCandidate[], input: PlanInput): Entry | LeftOut {
  const { window, settings } = input;
  const bracketed = settings.bracket !== 'none';
  const c = group[0];
  const base = { key: c.science.key, name: c.science.name, finalPriority: c.finalPriority };
  const variants: Variant[] = [];
  let flexDays = 0;
  let reason = `not observable between ${hhmmUtc(window.startMjd)} and ${hhmmUtc(window.endMjd)} UTC`;
  let reasonRank = 0;
  const note = (rank: number, text: string) => {
    if (rank > reasonRank) [reasonRank, reason] = [rank, text];
  };
  for (const v of group) {
    const sciDays = clip(v.science.intervals, window.startMjd, window.endMjd);
    if (sciDays.length === 0) continue;
    if (bracketed && v.calibrators.length === 0) {
      note(1, 'no calibrator (none associated, none proposed, no star nearby)');
      continue;
    }
    const pairs: Array<[PlanStar, PlanStar] | null> = bracketed ? calibratorPairs(v, settings) : [null];
    const layouts = new Map<string, { layout: Layout; starts: MjdInterval[] }>();
    const hull = { startMjd: Infinity, endMjd: -Infinity };
    for (const p of pairs) {
      const layout = buildLayout(v.science, p?.[0] ?? null, p?.[1] ?? null, settings);
      const starts = feasibleStarts(layout);
      layouts.set(layoutKey(p, null, null), { layout, starts });
      const inWindow = clip(starts, window.startMjd, window.endMjd - layout.durationDays);
      if (inWindow.length === 0) continue;
      hull.startMjd = Math.min(hull.startMjd, inWindow[0].startMjd);
      hull.endMjd = Math.max(hull.endMjd, inWindow[inWindow.length - 1].endMjd);
      flexDays = Math.max(flexDays, totalDays(inWindow));
    }
    if (hull.endMjd >= hull.startMjd) {
      variants.push({ c: v, pairs, layouts, hull });
      continue;
    }
    const visit = buildLayout(v.science, null, null, { ...settings, bracket: 'none', pointsPerTarget: 1 }).durationDays;
    if (!sciDays.some((iv) => iv.endMjd - iv.startMjd >= visit - EPS_DAYS)) {
      note(2, `observable for ${Math.round(totalDays(sciDays) * 1440)} min only, shorter than one visit`);
    } else {
      note(3, bracketed ? 'no calibrator observable just before and after it' : 'its observable window is shorter than the block');
    }
  }
  if (variants.length === 0) return { ...base, reason };
  return { c, flexDays, variants };
}

/**
 * Build a plan: keep `fixedBlocks` where they are and insert the candidates, in objective order,
 * into the remaining free time of `window`. Candidates sharing a science key are PoP variants of
 * one target: at most one of them is placed.
 */
export function buildPlan(input: PlanInput): PlanResult {
  const { window, settings } = input;
  if (!(window.endMjd > window.startMjd)) {
    throw new Error(`planner window: end ${window.endMjd} must be after start ${window.startMjd} (MJD)`);
  }
  const fixed = (input.fixedBlocks ?? []).map((b) => ({ ...b, calibrates: b.calibrates && [...b.calibrates] }));
  const fixedSequences = new Set(fixed.filter((b) => b.kind === 'SCI').map((b) => b.sequenceId));
  const segments = toSegments(fixed);
  const leftOut: LeftOut[] = [];
  const minSpanDays = Math.max(1, settings.acquisitionS + settings.pointS) / SECONDS_PER_DAY;

  const groups = new Map<string, PlanCandidate[]>();
  for (const c of input.candidates) {
    if (fixedSequences.has(c.science.key)) continue;
    const g = groups.get(c.science.key);
    if (g) g.push(c);
    else groups.set(c.science.key, [c]);
  }
  const ranked: Entry[] = [];
  for (const group of groups.values()) {
    // Variants in a fixed order, so ties between them never depend on the input order.
    group.sort((a, b) => (a.science.pops < b.science.pops ? -1 : a.science.pops > b.science.pops ? 1 : 0));
    const entry = prepareEntry(group, input);
    if ('variants' in entry) ranked.push(entry);
    else leftOut.push(entry);
  }
  ranked.sort(compareCandidates);

  const placed: PlannedBlock[] = [];
  const movable = new Map<Segment, Placement>();
  /** Insert entries in order; returns those that found no slot. */
  const insert = (entries: readonly Entry[]): Entry[] => {
    const missed: Entry[] = [];
    for (let r = 0; r < entries.length; r++) {
      if (largestGapDays(segments, window) < minSpanDays) {
        missed.push(...entries.slice(r));
        break;
      }
      const best = bestOption(entries[r].variants, segments, input);
      if (!best) {
        missed.push(entries[r]);
        continue;
      }
      const blocks = materialise(best.c, best.layout, best.startMjd, best.prev, best.next);
      placed.push(...blocks);
      const seg: Segment = {
        startMjd: blocks[0].startMjd,
        endMjd: blocks[blocks.length - 1].endMjd,
        first: blocks[0],
        last: blocks[blocks.length - 1],
        firstStar: best.layout.visits[0].star,
        lastStar: best.layout.visits[best.layout.visits.length - 1].star,
        pops: best.c.science.pops,
      };
      // A sequence stays movable while it shares no calibrator and has no hour-angle wish.
      if (best.layout.sharesBefore && best.prev) movable.delete(best.prev);
      if (best.layout.sharesAfter && best.next) movable.delete(best.next);
      if (!best.layout.sharesBefore && !best.layout.sharesAfter && best.c.preferredHaH == null) {
        movable.set(seg, { blocks, layout: best.layout, sequenceId: best.c.science.key });
      }
      const at = segments.findIndex((x) => x.startMjd > seg.startMjd);
      segments.splice(at === -1 ? segments.length : at, 0, seg);
    }
    return missed;
  };
  let missed = insert(ranked);
  // Second chances: slide placed sequences to one side inside their own windows, which merges
  // the gaps between them, and offer the merged time to what found no slot. Placed sequences
  // only move, never leave, so each pass keeps every earlier placement.
  for (const side of ['left', 'right'] as const) {
    if (missed.length === 0) break;
    if (compact(segments, movable, side, input)) missed = insert(missed);
  }
  for (const e of missed) leftOut.push({ key: e.c.science.key, name: e.c.science.name, finalPriority: e.c.finalPriority, reason: NO_SLOT });
  const blocks = [...fixed, ...placed].sort((a, b) => a.startMjd - b.startMjd || a.id.localeCompare(b.id));
  leftOut.sort((a, b) => a.finalPriority - b.finalPriority || a.key.localeCompare(b.key));
  return { blocks, leftOut, stats: planStats(blocks, input) };
}

/** A placed sequence the compaction may slide. */
interface Placement {
  blocks: PlannedBlock[];
  layout: Layout;
  sequenceId: string;
}

/**
 * Slide every movable sequence as far as its own feasibility allows towards `side`, in order
 * from that side, so free time collects in fewer, longer gaps. Returns whether anything moved.
 */
function compact(segments: Segment[], movable: ReadonlyMap<Segment, Placement>, side: 'left' | 'right', input: PlanInput): boolean {
  const { window, settings } = input;
  let moved = false;
  const order = side === 'left' ? segments.map((_, i) => i) : segments.map((_, i) => segments.length - 1 - i);
  for (const i of order) {
    const seg = segments[i];
    const p = movable.get(seg);
    if (!p) continue;
    const prev = segments[i - 1] ?? null;
    const next = segments[i + 1] ?? null;
    const lo = prev ? prev.endMjd + transitionDays(prev.lastStar, prev.pops, seg.firstStar, seg.pops, settings) : window.startMjd;
    const hiEnd = next ? next.startMjd - transitionDays(seg.lastStar, seg.pops, next.firstStar, next.pops, settings) : window.endMjd;
    const ranges = clip(feasibleStarts(p.layout), Math.max(lo, window.startMjd), Math.min(hiEnd, window.endMjd) - p.layout.durationDays);
    if (ranges.length === 0) continue;
    const target = side === 'left' ? ranges[0].startMjd : ranges[ranges.length - 1].endMjd;
    const shift = target - seg.startMjd;
    if (side === 'left' ? shift > -EPS_DAYS : shift < EPS_DAYS) continue;
    const minute = Math.round(target * 1440);
    p.blocks.forEach((b, j) => {
      b.startMjd += shift;
      b.endMjd += shift;
      b.id = `${p.sequenceId}:${j}@${minute}`;
    });
    seg.startMjd += shift;
    seg.endMjd += shift;
    moved = true;
  }
  return moved;
}

const NO_SLOT = 'no free slot in its window (taken by higher-ranked targets)';

function largestGapDays(segments: readonly Segment[], window: PlanInput['window']): number {
  let cursor = window.startMjd;
  let best = 0;
  for (const s of segments) {
    best = Math.max(best, Math.min(s.startMjd, window.endMjd) - cursor);
    cursor = Math.max(cursor, s.endMjd);
  }
  return Math.max(best, window.endMjd - cursor);
}

/** The best placement of one target over its PoP variants, all gaps, calibrator pairs and sharing. */
function bestOption(variants: readonly Variant[], segments: readonly Segment[], input: PlanInput): Option | null {
  let best: Option | null = null;
  for (const v of variants) best = bestForVariant(v, segments, input, best);
  return best;
}

/** Length of a full, unshared sequence: slivers shorter than this are unlikely to be used. */
function fullSequenceDays(settings: PlanSettings): number {
  const { sciDays, calDays } = visitDays(settings);
  const points = Math.max(1, settings.pointsPerTarget);
  return settings.bracket === 'none' ? sciDays : points * sciDays + (points + 1) * calDays;
}

function bestForVariant(variant: Variant, segments: readonly Segment[], input: PlanInput, incumbent: Option | null): Option | null {
  const { c, pairs, layouts, hull } = variant;
  const { window, settings } = input;
  const minGapDays = visitDays(settings).sciDays;
  // A sliver shorter than a full sequence plus a PoP change on each side will stay empty.
  const wasteBelowDays = fullSequenceDays(settings) + (2 * settings.popChangeS) / SECONDS_PER_DAY;
  const bracketed = settings.bracket !== 'none';
  let best = incumbent;
  const layoutFor = (p: [PlanStar, PlanStar] | null, before: PlanStar | null, after: PlanStar | null) => {
    const key = layoutKey(p, before, after);
    let hit = layouts.get(key);
    if (!hit) {
      const layout = buildLayout(c.science, p?.[0] ?? null, p?.[1] ?? null, settings, before, after);
      hit = { layout, starts: feasibleStarts(layout) };
      layouts.set(key, hit);
    }
    return hit;
  };
  const pops = c.science.pops;

  for (let g = 0; g <= segments.length; g++) {
    const prev = g > 0 ? segments[g - 1] : null;
    const next = g < segments.length ? segments[g] : null;
    const gapStart = Math.max(window.startMjd, prev ? prev.endMjd : window.startMjd);
    const gapEnd = Math.min(window.endMjd, next ? next.startMjd : window.endMjd);
    if (gapEnd - gapStart < minGapDays - EPS_DAYS) continue;
    // Shared variants start at most one calibrator visit earlier than the unshared hull.
    if (gapEnd < hull.startMjd - EPS_DAYS || gapStart > hull.endMjd + fullSequenceDays(settings) + EPS_DAYS) continue;

    const shareBefore = bracketed && settings.shareCalibrators && prev ? shareableCal(prev.last, c, pops) : null;
    const shareAfter = bracketed && settings.shareCalibrators && next ? shareableCal(next.first, c, pops) : null;
    const sharing: Array<[PlanStar | null, PlanStar | null]> = [[null, null]];
    if (shareBefore) sharing.push([shareBefore, null]);
    if (shareAfter) sharing.push([null, shareAfter]);
    if (shareBefore && shareAfter) sharing.push([shareBefore, shareAfter]);

    for (const p of pairs) {
      for (const [before, after] of sharing) {
        const { layout, starts } = layoutFor(p, before, after);
        if (starts.length === 0) continue;
        const firstStar = layout.visits[0].star;
        const lastStar = layout.visits[layout.visits.length - 1].star;
        const afterPrev = prev ? prev.endMjd + transitionDays(prev.lastStar, prev.pops, firstStar, pops, settings) : null;
        const beforeNext = next ? next.startMjd - transitionDays(lastStar, pops, next.firstStar, next.pops, settings) : null;
        const earliest = Math.max(gapStart, afterPrev ?? gapStart);
        const latestEnd = Math.min(gapEnd, beforeNext ?? gapEnd);
        const ranges = clip(starts, earliest, latestEnd - layout.durationDays);
        if (ranges.length === 0) continue;
        const sci = layout.visits.find((v) => v.kind === 'SCI');
        const sciMidDays = sci ? sci.offsetDays + sci.durationDays / 2 : 0;
        for (const r of ranges) {
          const tries = [r.startMjd, r.endMjd];
          if (c.preferredHaH != null && input.sidereal) {
            let dh = c.preferredHaH - hourAngleH(input.sidereal, r.startMjd + sciMidDays, c.science.raDeg);
            dh -= 24 * Math.round(dh / 24);
            tries.push(Math.min(r.endMjd, Math.max(r.startMjd, r.startMjd + (dh / 24) * SOLAR_PER_SIDEREAL)));
          }
          for (const s of tries) {
            // A shared calibrator stays adjacent: start right after it, or end right before it.
            if (before && afterPrev !== null && Math.abs(s - afterPrev) > EPS_DAYS) continue;
            if (after && beforeNext !== null && Math.abs(s + layout.durationDays - beforeNext) > EPS_DAYS) continue;
            const option = scoreOption(c, layout, s, sciMidDays, gapStart, gapEnd, wasteBelowDays, input, prev, next);
            if (!best || better(option, best)) best = option;
          }
        }
      }
    }
  }
  return best;
}

function layoutKey(p: [PlanStar, PlanStar] | null, before: PlanStar | null, after: PlanStar | null): string {
  return `${p?.[0].key ?? ''}|${p?.[1].key ?? ''}|${before?.key ?? ''}|${after?.key ?? ''}`;
}

/** Solar days per sidereal day: an hour of hour angle passes in this many hours of UTC. */
const SOLAR_PER_SIDEREAL = 0.9972696;

function scoreOption(
  c: PlanCandidate,
  layout: Layout,
  startMjd: number,
  sciMidDays: number,
  gapStart: number,
  gapEnd: number,
  minUsefulDays: number,
  input: PlanInput,
  prev: Segment | null,
  next: Segment | null,
): Option {
  let haBucket = 0;
  if (c.preferredHaH != null && input.sidereal) {
    let dh = hourAngleH(input.sidereal, startMjd + sciMidDays, c.science.raDeg) - c.preferredHaH;
    dh -= 24 * Math.round(dh / 24);
    haBucket = Math.floor(Math.abs(dh) / HA_BUCKET_H);
  }
  const left = startMjd - gapStart;
  const right = gapEnd - (startMjd + layout.durationDays);
  const waste = (piece: number) => (piece < minUsefulDays ? Math.max(0, piece) : 0);
  const costDays = layout.durationDays + waste(left) + waste(right);
  const pref = input.popPreference ?? [];
  const idx = pref.indexOf(c.science.pops);
  return { c, layout, startMjd, haBucket, costDays, popRank: idx < 0 ? pref.length : idx, prev, next };
}

function better(a: Option, b: Option): boolean {
  if (a.haBucket !== b.haBucket) return a.haBucket < b.haBucket;
  if (Math.abs(a.costDays - b.costDays) > 1e-7) return a.costDays < b.costDays;
  if (a.popRank !== b.popRank) return a.popRank < b.popRank;
  return a.startMjd < b.startMjd - 1e-9;
}
