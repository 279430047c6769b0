/**
 * Re-planning and manual overrides. What happened (done/failed blocks) and what the observer
 * pinned stays; everything else after "now" is planned again. An override that breaks a
 * constraint is returned with its reasons and is only applied when the caller forces it.
 */
import { coversSpan } from './intervals';
import { buildLayout } from './layout';
import { buildPlan, hhmmUtc, planStats } from './scheduler';
import type { MjdInterval, OptionsCache, PlanCandidate, PlanInput, PlanResult, PlanSettings, PlanStar, PlannedBlock, SiderealTable } from './types';

/** What a re-plan starts from. */
export interface ReplanInput {
  blocks: readonly PlannedBlock[];
  /** The whole night window; planning resumes at `max(fromMjd, night.startMjd)`. */
  night: MjdInterval;
  fromMjd: number;
  candidates: readonly PlanCandidate[];
  settings: PlanSettings;
  /** Science keys the observer skipped for tonight. */
  skippedKeys?: readonly string[];
  sidereal?: SiderealTable;
  /** Targets examined without calibrators (see `PlanInput.shadows`). */
  shadows?: readonly PlanCandidate[];
  /** Slot grid step in minutes (default 5); slots stay on the night's grid from `night.startMjd`. */
  stepMin?: number;
  /** The whole night's options on `candidates`, kept across runs (see `OptionsCache`). */
  optionsCache?: OptionsCache;
}

/**
 * Blocks a re-plan must keep: what was observed, every pinned block (the observer pinned it; it
 * stays until unpinned or logged, even if "now" passed it), and the closing calibrator of a
 * science block already done: the CAL after it that calibrates it, not any CAL that follows
 * (once its own closing CAL has passed, the next one opens another sequence, and keeping it would
 * make the re-plan depend on the plan it replaces).
 */
export function keptBlocks(blocks: readonly PlannedBlock[], fromMjd: number): PlannedBlock[] {
  const sorted = [...blocks].sort((a, b) => a.startMjd - b.startMjd);
  const ahead = (b: PlannedBlock) => b.status === 'planned' && b.startMjd >= fromMjd - 1e-9;
  const closesDone = (b: PlannedBlock, before: PlannedBlock | undefined) =>
    before?.kind === 'SCI' && before.status === 'done' && (b.calibrates ?? [b.sequenceId]).includes(before.sequenceId);
  return sorted.filter(
    (b, i) =>
      b.status === 'done' ||
      b.status === 'failed' ||
      (b.isPinned && b.status === 'planned') ||
      (b.kind === 'CAL' && ahead(b) && closesDone(b, sorted[i - 1])),
  );
}

/** What `replanFrom` asks the scheduler (also the optimisation problem the service exports). */
export function replanInput(input: ReplanInput): PlanInput {
  const kept = keptBlocks(input.blocks, input.fromMjd);
  const skipped = new Set(input.skippedKeys ?? []);
  const observedOrPinned = new Set(kept.filter((b) => b.kind === 'SCI').map((b) => b.sequenceId));
  const candidates = input.candidates.filter((c) => !skipped.has(c.science.key) && !observedOrPinned.has(c.science.key));
  const startMjd = Math.max(input.fromMjd, input.night.startMjd);
  const window = { startMjd: Math.min(startMjd, input.night.endMjd - 1e-6), endMjd: input.night.endMjd };
  const shadows = input.shadows?.filter((c) => !skipped.has(c.science.key) && !observedOrPinned.has(c.science.key));
  return {
    window,
    candidates,
    settings: input.settings,
    fixedBlocks: kept,
    sidereal: input.sidereal,
    ...(shadows ? { shadows } : {}),
    stepMin: input.stepMin ?? 5,
    gridOriginMjd: input.night.startMjd,
    ...(input.optionsCache ? { optionsCache: input.optionsCache } : {}),
  };
}

/** Re-plan the rest of the night from `fromMjd`, keeping done, failed and pinned blocks. */
export function replanFrom(input: ReplanInput): PlanResult {
  const skipped = new Set(input.skippedKeys ?? []);
  const result = buildPlan(replanInput(input));
  const skippedSeen = new Set<string>();
  for (const c of input.candidates) {
    if (skipped.has(c.science.key) && !skippedSeen.has(c.science.key)) {
      skippedSeen.add(c.science.key);
      result.leftOut.push({ key: c.science.key, name: c.science.name, finalPriority: c.finalPriority, code: 'skipped', reason: 'skipped by the observer' });
    }
  }
  // Figures over the whole night (kept blocks included); value and bound are the optimiser's.
  result.stats = { ...planStats(result.blocks, { window: input.night, candidates: input.candidates }), value: result.stats.value, bound: result.stats.bound };
  return result;
}

/** Blocks of a sequence plus the calibrator blocks that bracket its science visits. */
export function sequenceBracket(blocks: readonly PlannedBlock[], sequenceId: string): PlannedBlock[] {
  const sorted = [...blocks].sort((a, b) => a.startMjd - b.startMjd);
  const out = new Set<PlannedBlock>();
  sorted.forEach((b, i) => {
    if (b.sequenceId === sequenceId) out.add(b);
    if (b.kind === 'SCI' && b.sequenceId === sequenceId) {
      if (sorted[i - 1]?.kind === 'CAL') out.add(sorted[i - 1]);
      if (sorted[i + 1]?.kind === 'CAL') out.add(sorted[i + 1]);
    }
  });
  return sorted.filter((b) => out.has(b));
}

/** Pin or unpin a sequence with its brackets, so a re-plan keeps it where it is. */
export function pinSequence(blocks: readonly PlannedBlock[], sequenceId: string, isPinned: boolean): PlannedBlock[] {
  const bracket = new Set(sequenceBracket(blocks, sequenceId).map((b) => b.id));
  if (bracket.size === 0) throw new Error(`pin: no block of sequence "${sequenceId}" in the plan`);
  return blocks.map((b) => (bracket.has(b.id) ? { ...b, isPinned } : b));
}

/** Why a star cannot be observed over a span, or null when it can. */
export type Explain = (star: PlanStar, startMjd: number, endMjd: number) => string;

const defaultExplain: Explain = (star, startMjd, endMjd) =>
  `${star.name} is not observable over ${hhmmUtc(startMjd)}–${hhmmUtc(endMjd)} UTC`;

/** The outcome of an override: the blocks it would give and what it breaks. */
export interface OverrideResult {
  blocks: PlannedBlock[];
  violations: string[];
}

function overlaps(a: { startMjd: number; endMjd: number }, b: { startMjd: number; endMjd: number }): boolean {
  return a.startMjd < b.endMjd - 1e-9 && b.startMjd < a.endMjd - 1e-9;
}

/**
 * Move a whole sequence (its own CAL–SCI–CAL, brackets intact) to start at `startMjd`, pinned
 * there. Calibrators stay those it had when it still has them, else its first two candidates.
 */
export function moveSequence(
  blocks: readonly PlannedBlock[],
  candidate: PlanCandidate,
  startMjd: number,
  settings: PlanSettings,
  night: MjdInterval,
  explain: Explain = defaultExplain,
): OverrideResult {
  const seq = candidate.science.key;
  const own = blocks.filter((b) => b.sequenceId === seq);
  const bracket = sequenceBracket(blocks, seq);
  const byKey = new Map(candidate.calibrators.map((c) => [c.key, c]));
  const calKeys = bracket.filter((b) => b.kind === 'CAL').map((b) => b.starKey);
  const calA = byKey.get(calKeys[0]) ?? candidate.calibrators[0] ?? null;
  const calB = byKey.get(calKeys[calKeys.length - 1]) ?? candidate.calibrators[1] ?? calA;
  if (settings.bracket !== 'none' && !calA) throw new Error(`move: "${candidate.science.name}" has no calibrator`);
  const layout = buildLayout(candidate.science, calA, calB, settings);
  const minute = Math.round(startMjd * 1440);
  const moved: PlannedBlock[] = layout.visits.map((v, i) => ({
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
    pops: candidate.science.pops,
    status: 'planned',
    isPinned: true,
    violations: [],
    ...(v.kind === 'CAL' ? { calibrates: [seq] } : { calibratorKeys: [] }),
  }));
  moved.forEach((b, i) => {
    if (b.kind !== 'SCI') return;
    const around = [moved[i - 1], moved[i + 1]].filter((x): x is PlannedBlock => x !== undefined);
    b.calibratorKeys = around.map((x) => x.starKey);
    b.calibratorNames = around.map((x) => x.name);
  });
  const violations: string[] = [];
  const end = moved[moved.length - 1].endMjd;
  if (startMjd < night.startMjd - 1e-9 || end > night.endMjd + 1e-9) {
    violations.push(`outside the night ${hhmmUtc(night.startMjd)}–${hhmmUtc(night.endMjd)} UTC`);
  }
  layout.visits.forEach((v) => {
    const s = startMjd + v.offsetDays;
    if (!coversSpan(v.star.intervals, s, s + v.durationDays)) violations.push(explain(v.star, s, s + v.durationDays));
  });
  const ownIds = new Set(own.map((b) => b.id));
  const others = blocks.filter((b) => !ownIds.has(b.id));
  for (const b of others) {
    const isFixed = b.status === 'done' || b.status === 'failed' || b.isPinned;
    if (isFixed && moved.some((m) => overlaps(m, b))) {
      violations.push(`overlaps ${b.kind} ${b.name} (${b.status === 'planned' ? 'pinned' : b.status}) at ${hhmmUtc(b.startMjd)}–${hhmmUtc(b.endMjd)} UTC`);
    }
  }
  for (const m of moved) m.violations = [...violations];
  const kept = others
    .filter((b) => !(b.status === 'planned' && !b.isPinned && moved.some((m) => overlaps(m, b))))
    .map((b) => (b.calibrates?.includes(seq) ? { ...b, calibrates: b.calibrates.filter((k) => k !== seq) } : b))
    .filter((b) => !(b.kind === 'CAL' && b.status === 'planned' && (b.calibrates?.length ?? 0) === 0));
  return { blocks: [...kept, ...moved].sort((a, b) => a.startMjd - b.startMjd), violations };
}

/**
 * Replace the star of a CAL block by another calibrator at the same time. The new star must be
 * a calibrator of every science target the block calibrates and observable over the block. The
 * sequences involved are pinned so a re-plan keeps the swap.
 */
export function swapCalibrator(
  blocks: readonly PlannedBlock[],
  blockId: string,
  calibratorKey: string,
  candidates: readonly PlanCandidate[],
  explain: Explain = defaultExplain,
): OverrideResult {
  const block = blocks.find((b) => b.id === blockId);
  if (!block) throw new Error(`swap calibrator: no block "${blockId}" in the plan`);
  if (block.kind !== 'CAL') throw new Error(`swap calibrator: block "${blockId}" is a ${block.kind} block, not a CAL block`);
  const violations: string[] = [];
  let star: PlanStar | undefined;
  for (const seq of block.calibrates ?? [block.sequenceId]) {
    const c = candidates.find((x) => x.science.key === seq);
    const found = c?.calibrators.find((s) => s.key === calibratorKey);
    if (!found) violations.push(`${calibratorKey} is not a calibrator of ${c?.science.name ?? seq}`);
    star = star ?? found;
  }
  if (!star) {
    return { blocks: [...blocks], violations };
  }
  if (!coversSpan(star.intervals, block.startMjd, block.endMjd)) violations.push(explain(star, block.startMjd, block.endMjd));
  const swapped: PlannedBlock = {
    ...block,
    starKey: star.key,
    name: star.name,
    raDeg: star.raDeg,
    decDeg: star.decDeg,
    vmag: star.vmag ?? null,
    violations,
    isPinned: true,
  };
  let out = blocks.map((b) => (b.id === blockId ? swapped : b));
  out = out.map((b) =>
    b.kind === 'SCI' && (block.calibrates ?? []).includes(b.sequenceId)
      ? {
          ...b,
          calibratorKeys: (b.calibratorKeys ?? []).map((k) => (k === block.starKey ? star.key : k)),
          calibratorNames: (b.calibratorKeys ?? []).map((k, j) => (k === block.starKey ? star.name : (b.calibratorNames?.[j] ?? k))),
        }
      : b,
  );
  for (const seq of block.calibrates ?? []) out = pinSequence(out, seq, true);
  return { blocks: out, violations };
}
