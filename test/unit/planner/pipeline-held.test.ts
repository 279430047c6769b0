/**
 * A re-plan job on candidates the caller already holds does not send them back (the desktop app
 * runs jobs on a worker thread, where every result is copied: most of a megabyte of candidates
 * for a 3000-target survey), and its plan is the one it would be with them.
 */
import { describe, expect, it } from 'vitest';
import { defaultObservabilityOptions } from '../../../shared/astro/observability';
import { nearestCalibrators } from '../../../shared/planner/night-input';
import { planJob, type PlanJob } from '../../../shared/planner/pipeline';
import { DEFAULT_PLAN_SETTINGS } from '../../../shared/planner/types';
import { DEFAULT_VIS2_BOUNDS } from '../../../shared/models';
import { benchTargets } from './bench-fixture';

describe('plan job on held candidates', () => {
  const all = benchTargets();
  const targets = all.slice(0, 120).map((t) => ({ ...t, finalPriority: Math.ceil(t.finalPriority / 250) }));
  const pool = all.slice(120);
  const options = { ...defaultObservabilityOptions('2024-05-15', { twilightDeg: -18 }), stations: ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'] as const };
  const job: PlanJob = {
    prepare: { key: 'held-candidates-test', targets, options: { ...options, stations: [...options.stations] }, prepare: { popPoolSize: 4 }, settings: DEFAULT_PLAN_SETTINGS, perSlot: 6 },
    choices: targets.map((t, i) => [i, { source: 'nearest', calibrators: nearestCalibrators(t, pool, { maxSepDeg: 12, maxDeltaV: 10, count: 3 }) }]),
    modelPolicy: 'off',
    vis2Bounds: DEFAULT_VIS2_BOUNDS,
    blocks: [],
    fromMjd: -Infinity,
    settings: DEFAULT_PLAN_SETTINGS,
    skippedKeys: [],
    withShadows: true,
  };

  it('sends the candidates once, then only their id while they stay the same', () => {
    const first = planJob(job);
    expect(first.candidates?.length).toBeGreaterThan(20);
    const fromMjd = first.window.startMjd + 2 / 24;
    const held = planJob({ ...job, blocks: first.result.blocks, fromMjd, heldCandidatesId: first.candidatesId });
    expect(held.candidates).toBeNull();
    expect(held.candidatesId).toBe(first.candidatesId);
    const sent = planJob({ ...job, blocks: first.result.blocks, fromMjd });
    expect(sent.candidates).toBe(first.candidates);
    expect(held.result).toEqual(sent.result);
    // Other priorities make other candidates: they come back, under another id.
    const moved = planJob({ ...job, priorities: [[0, { finalPriority: 1, piPriority: 0, isStarted: true, preferredHaH: null }]], heldCandidatesId: first.candidatesId });
    expect(moved.candidates).not.toBeNull();
    expect(moved.candidatesId).not.toBe(first.candidatesId);
  });
});
