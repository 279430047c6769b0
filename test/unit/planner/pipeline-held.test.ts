/**
 * A re-plan job on candidates the caller already holds does not send them back (the desktop app
 * runs jobs on a worker thread, where every result is copied: most of a megabyte of candidates
 * for a 3000-target survey), and its plan is the one it would be with them.
 */
import { describe, expect, it } from 'vitest';
import { planJob, type PlanJob } from '../../../shared/planner/pipeline';
import { benchPlanJob } from './bench-fixture';

describe('plan job on held candidates', () => {
  const job: PlanJob = benchPlanJob('held-candidates-test');

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
