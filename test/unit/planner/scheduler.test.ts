/**
 * Scheduler core on masks written down by hand: each character of a mask is 10 minutes of the
 * night, '#' observable. Durations: 10 min acquisition + 10 min per point (SPICA 600 s), so a
 * CAL–SCI–CAL sequence is 60 min = 6 characters.
 */
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../shared/planner/scheduler';
import { DEFAULT_PLAN_SETTINGS, type PlanCandidate, type PlanStar } from '../../../shared/planner/types';
import { expectBrackets, expectInside, expectNoOverlap } from './invariants';

const T0 = 60445.2; // any MJD: masks are relative to it
const STEP = 10 / 1440;

function star(key: string, mask: string, raDeg = 180, decDeg = 30): PlanStar {
  const intervals = [];
  let start = -1;
  for (let k = 0; k <= mask.length; k++) {
    const ok = mask[k] === '#';
    if (ok && start < 0) start = k;
    if (!ok && start >= 0) {
      intervals.push({ startMjd: T0 + start * STEP, endMjd: T0 + k * STEP });
      start = -1;
    }
  }
  return { key, name: key, raDeg, decDeg, intervals, pops: '' };
}

function candidate(sci: PlanStar, cals: PlanStar[], finalPriority = 1, extra: Partial<PlanCandidate> = {}): PlanCandidate {
  return { science: sci, calibrators: cals, calibratorSource: 'store', finalPriority, piPriority: 0, isStarted: false, ...extra };
}

const ALL = '#'.repeat(36); // 6 h
const DEG = Math.PI / 180;
const WINDOW = { startMjd: T0, endMjd: T0 + 36 * STEP };

describe('buildPlan on hand-written masks', () => {
  it('gives the only slot to the higher final priority and says why the other is left out', () => {
    const cal = star('C1', ALL);
    const a = candidate(star('A', '......##............................'), [cal], 2);
    const b = candidate(star('B', '......##............................'), [cal], 1);
    const plan = buildPlan({ window: WINDOW, candidates: [a, b], settings: DEFAULT_PLAN_SETTINGS });
    expect(plan.blocks.filter((x) => x.kind === 'SCI').map((x) => x.sequenceId)).toEqual(['B']);
    expect(plan.leftOut).toHaveLength(1);
    expect(plan.leftOut[0]).toMatchObject({ key: 'A', finalPriority: 2, code: 'lower-value' });
    expect(plan.leftOut[0].reason).toMatch(/^lower value than what was placed in its window \(.*\): B \(P1\)/);
  });

  it('final priority first (NSS ranks started targets through their completion flag), then started before not started', () => {
    const cal = star('C1', ALL);
    const mask = '######..............................';
    const p1 = candidate(star('P1', mask), [cal], 1);
    const startedP3 = candidate(star('STARTED3', mask), [cal], 3, { isStarted: true });
    let plan = buildPlan({ window: WINDOW, candidates: [p1, startedP3], settings: DEFAULT_PLAN_SETTINGS });
    expect(plan.blocks.find((x) => x.kind === 'SCI')?.sequenceId).toBe('P1');
    const fresh = candidate(star('FRESH', mask), [cal], 1);
    const started = candidate(star('STARTED', mask), [cal], 1, { isStarted: true });
    plan = buildPlan({ window: WINDOW, candidates: [fresh, started], settings: DEFAULT_PLAN_SETTINGS });
    expect(plan.blocks.find((x) => x.kind === 'SCI')?.sequenceId).toBe('STARTED');
  });

  it('lets a lower-ranked target fill the time a higher-ranked one cannot use, and moves a sequence to make room', () => {
    const cal = star('C1', ALL);
    // HIGH can start anywhere in the first 3 h; LOW only in the first hour. Greedy insertion put HIGH first
    // at its best place and lost LOW; the whole-night optimum places both.
    const high = candidate(star('HIGH', '.###################................'), [cal], 1);
    const low = candidate(star('LOW', '..##................................'), [cal], 4);
    const window = { startMjd: T0, endMjd: T0 + 12 * STEP };
    const plan = buildPlan({ window, candidates: [high, low], settings: DEFAULT_PLAN_SETTINGS });
    expect(plan.blocks.filter((x) => x.kind === 'SCI').map((x) => x.sequenceId)).toEqual(['LOW', 'HIGH']);
    expect(plan.stats.value).toBeCloseTo(1001, 6);
    expect(plan.stats.bound).toBeGreaterThanOrEqual(plan.stats.value! - 1e-9);
  });

  it('groups sequences on one PoP set rather than changing PoPs (a change costs 15 min of nothing)', () => {
    const cal = (pops: string) => ({ ...star('C', ALL), pops });
    const variant = (key: string, mask: string, pops: string) => candidate({ ...star(key, mask), pops }, [cal(pops)], 1);
    // A is observable on PoPs 11 or 22, B and C only on 22: the optimum puts all three on 22 without a change.
    const candidates = [variant('A', ALL, '11'), variant('A', ALL, '22'), variant('B', ALL, '22'), variant('C', ALL, '22')];
    const window = { startMjd: T0, endMjd: T0 + 18 * STEP };
    const plan = buildPlan({ window, candidates, settings: DEFAULT_PLAN_SETTINGS });
    expect(plan.stats.scienceBlocks).toBe(3);
    expect(plan.stats.popChanges).toBe(0);
    expect(new Set(plan.blocks.map((b) => b.pops))).toEqual(new Set(['22']));
  });

  it('says "window too short once a PoP change is added" when the free time would hold the sequence but not the change', () => {
    const cal = (pops: string) => ({ ...star('C', ALL), pops });
    const a = candidate({ ...star('A', '######......'.padEnd(36, '.')), pops: '11' }, [cal('11')], 1);
    const b = candidate({ ...star('B', '......######'.padEnd(36, '.')), pops: '22' }, [cal('22')], 2);
    const window = { startMjd: T0, endMjd: T0 + 12 * STEP };
    const plan = buildPlan({ window, candidates: [a, b], settings: DEFAULT_PLAN_SETTINGS });
    expect(plan.blocks.filter((x) => x.kind === 'SCI').map((x) => x.sequenceId)).toEqual(['A']);
    expect(plan.leftOut[0]).toMatchObject({ key: 'B', code: 'pop-change' });
    expect(plan.leftOut[0].reason).toMatch(/^window too short once a PoP change is added: .* needs PoPs 22 and 75 min with the change/);
  });

  it('says "PoPs incompatible with the night\'s sets" when only other PoPs would reach it and that time is taken', () => {
    const cal = (pops: string) => ({ ...star('C', ALL), pops });
    const a = candidate({ ...star('A', '############'.padEnd(36, '.')), pops: '11' }, [cal('11')], 1);
    const a2 = candidate({ ...star('A2', '############'.padEnd(36, '.')), pops: '11' }, [cal('11')], 1);
    const b = candidate({ ...star('B', '..######....'.padEnd(36, '.')), pops: '22' }, [cal('22')], 1);
    const window = { startMjd: T0, endMjd: T0 + 12 * STEP };
    const plan = buildPlan({ window, candidates: [a, a2, b], settings: DEFAULT_PLAN_SETTINGS });
    expect(plan.stats.scienceBlocks).toBe(2);
    expect(plan.leftOut[0]).toMatchObject({ key: 'B', code: 'pops-incompatible' });
    expect(plan.leftOut[0].reason).toMatch(/needs PoPs 22 .* the night uses 11 then/);
  });

  it('keeps every sub-block inside its own star\'s window: CAL–SCI–CAL staggered across three masks', () => {
    const calA = star('CA', '##..................................');
    const sci = star('S', '..##................................');
    const calB = star('CB', '....##..............................');
    const plan = buildPlan({ window: WINDOW, candidates: [candidate(sci, [calA, calB])], settings: DEFAULT_PLAN_SETTINGS });
    expect(plan.blocks.map((b) => [b.kind, b.starKey, Math.round((b.startMjd - T0) / STEP)])).toEqual([
      ['CAL', 'CA', 0],
      ['SCI', 'S', 2],
      ['CAL', 'CB', 4],
    ]);
  });

  it('leaves out with a reason: never observable, no calibrator, window shorter than a visit, no calibrator around it', () => {
    const cal = star('C1', '######..............................');
    const plan = buildPlan({
      window: WINDOW,
      candidates: [
        candidate(star('NEVER', '.'.repeat(36)), [cal]),
        candidate(star('NOCAL', ALL), []),
        candidate(star('SHORT', '..........#.........................'), [cal]),
        candidate(star('LATE', '..............................######'), [cal]),
      ],
      settings: DEFAULT_PLAN_SETTINGS,
    });
    const reasons = Object.fromEntries(plan.leftOut.map((l) => [l.key, l.reason]));
    expect(reasons.NEVER).toMatch(/^not observable between/);
    expect(reasons.NOCAL).toMatch(/^no vetted calibrator/);
    expect(reasons.SHORT).toMatch(/shorter than one visit/);
    expect(reasons.LATE).toBe('no calibrator observable just before and after it');
    expect(plan.blocks).toEqual([]);
  });

  it('shares the calibrator between neighbours when the night is tight (SCI–CAL–SCI chain)', () => {
    const cal = star('C', ALL);
    const s1 = candidate(star('S1', '..##................................'), [cal]);
    const s2 = candidate(star('S2', '.....###............................'), [cal]);
    const window = { startMjd: T0, endMjd: T0 + 10 * STEP };
    const plan = buildPlan({ window, candidates: [s1, s2], settings: DEFAULT_PLAN_SETTINGS });
    expect(plan.blocks.map((b) => `${b.kind}:${b.starKey}`)).toEqual(['CAL:C', 'SCI:S1', 'CAL:C', 'SCI:S2', 'CAL:C']);
    expect(plan.stats.sharedCalibrators).toBe(1);
    expectBrackets(plan.blocks, [s1, s2]);
  });

  it('puts a target near the hour angle it had on earlier nights', () => {
    const cal = star('C', ALL);
    // LST runs 12 h → 18 h over the 6-h window (sidereal rate ignored for the test), RA 15 h.
    const sidereal = { timesMjd: [T0, T0 + 0.25], lstH: [12, 18] };
    const sci = star('S', ALL, 225);
    const plan = buildPlan({ window: WINDOW, candidates: [candidate(sci, [cal], 1, { preferredHaH: 1.5 })], settings: DEFAULT_PLAN_SETTINGS, sidereal });
    const sciBlock = plan.blocks.find((b) => b.kind === 'SCI')!;
    const midHa = 12 + ((sciBlock.startMjd + sciBlock.endMjd) / 2 - T0) * 24 - 15;
    expect(Math.abs(midHa - 1.5)).toBeLessThan(0.5);
  });

  it('holds the invariants and is deterministic on a crowded night, whatever the input order', () => {
    const masks = [
      '############..........................',
      '....##############....................',
      '..........################............',
      '................####################..',
      '######################################',
      '.....................#################',
      '###....###....###....###....###....###',
      '.........######.........######........',
    ].map((m) => m.slice(0, 36));
    const cals = masks.map((m, i) => star(`C${i}`, m, 2 * i, 20));
    const candidates = masks.flatMap((m, i) =>
      [0, 1, 2].map((j) => candidate(star(`S${i}${j}`, m, 2 * i + j, 22), [cals[i], cals[(i + 4) % masks.length]], 1 + ((i + j) % 4), { piPriority: j % 2 })),
    );
    const settings = { ...DEFAULT_PLAN_SETTINGS, slewRateDegPerS: 0.05, popChangeS: 0 };
    const plan = buildPlan({ window: WINDOW, candidates, settings });
    expect(plan.stats.scienceBlocks).toBeGreaterThanOrEqual(5);
    expectNoOverlap(plan.blocks);
    expectBrackets(plan.blocks, candidates);
    expectInside(plan.blocks, WINDOW);
    for (const b of plan.blocks) {
      const st = [...cals, ...candidates.map((c) => c.science)].find((s) => s.key === b.starKey)!;
      expect(st.intervals.some((iv) => iv.startMjd <= b.startMjd + 1e-12 && b.endMjd <= iv.endMjd + 1e-12), `${b.id} inside ${st.key}'s mask`).toBe(true);
    }
    expect(plan.stats.scienceBlocks + plan.leftOut.length).toBe(candidates.length);
    // Consecutive blocks of different stars leave at least the slew between them.
    const sorted = [...plan.blocks].sort((a, b) => a.startMjd - b.startMjd);
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1], sorted[i]];
      const sep = Math.acos(Math.min(1, Math.sin(a.decDeg * DEG) * Math.sin(b.decDeg * DEG) + Math.cos(a.decDeg * DEG) * Math.cos(b.decDeg * DEG) * Math.cos((a.raDeg - b.raDeg) * DEG))) / DEG;
      expect(b.startMjd - a.endMjd, `${a.id} → ${b.id}`).toBeGreaterThanOrEqual(sep / 0.05 / 86400 - 1e-9);
    }
    const again = buildPlan({ window: WINDOW, candidates: [...candidates].reverse(), settings });
    expect(again).toEqual(plan);
  });

  it('rejects an empty window with a message naming it', () => {
    expect(() => buildPlan({ window: { startMjd: T0, endMjd: T0 }, candidates: [], settings: DEFAULT_PLAN_SETTINGS })).toThrow(/planner window/);
  });
});
