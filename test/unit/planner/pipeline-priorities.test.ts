/**
 * A re-plan after a log comes with new priorities for the logged target. The plan job then keeps
 * every other target's candidate objects (so a run that plans none of the changed targets reads
 * its options off the night built before, instead of building them all again), and its plan is
 * the one a job with nothing cached makes from the same inputs: the reference here is the same job
 * on a night prepared afresh under another cache key.
 */
import { describe, expect, it } from 'vitest';
import { planJob, type PlanJob } from '../../../shared/planner/pipeline';
import type { PlannedBlock } from '../../../shared/planner/types';
import { benchPlanJob } from './bench-fixture';

describe('plan job after a priority change', () => {
  /** The night's plan, and its first sequence (CAL, SCI, CAL) logged done. */
  const job = benchPlanJob('priorities-kept');
  const { targets } = job.prepare;
  const first = planJob(job);
  const sorted = [...first.result.blocks].sort((a, b) => a.startMjd - b.startMjd);
  const sci = sorted.find((b) => b.kind === 'SCI') as PlannedBlock;
  const sequence = sorted.filter((b) => b.sequenceId === sci.sequenceId || (b.kind === 'CAL' && (b.calibrates ?? []).includes(sci.sequenceId)));
  const logged = sorted.map((b) => (sequence.includes(b) ? { ...b, status: 'done' as const } : b));
  const endMjd = Math.max(...sequence.map((b) => b.endMjd));
  const loggedIndex = targets.findIndex((t) => t.key === sci.sequenceId);
  const moved = { finalPriority: 4, piPriority: 1, isStarted: true, preferredHaH: 1.5 };

  it('keeps the other targets’ candidates and plans as a job with nothing cached', () => {
    const firstCandidates = new Set(first.candidates);
    const afterLog: PlanJob = { ...job, blocks: logged, fromMjd: endMjd, priorities: [[loggedIndex, moved]] };
    const incremental = planJob(afterLog);
    expect(incremental.candidatesId).not.toBe(first.candidatesId);
    const own = incremental.candidates!.filter((c) => c.science.key === sci.sequenceId);
    expect(own.length).toBeGreaterThan(0);
    for (const c of own) {
      expect(firstCandidates.has(c)).toBe(false);
      expect(c.finalPriority).toBe(4);
    }
    expect(incremental.candidates!.filter((c) => c.science.key !== sci.sequenceId).every((c) => firstCandidates.has(c))).toBe(true);
    expect(incremental.candidates!.length).toBe(first.candidates!.length);

    // A target still planned changes too (its options must then be built again): same plan as afresh.
    const other = targets.findIndex((t, i) => i !== loggedIndex && incremental.result.leftOut.some((l) => l.key === t.key));
    expect(other).toBeGreaterThanOrEqual(0);
    const bothJob: PlanJob = { ...afterLog, priorities: [[loggedIndex, moved], [other, { finalPriority: 1, piPriority: 0, isStarted: true, preferredHaH: null }]] };
    const both = planJob(bothJob);
    // A re-plan that keeps nothing (clouds from "now", the log undone) on the changed night.
    const nothingKeptJob: PlanJob = { ...job, fromMjd: endMjd, priorities: [[loggedIndex, moved]] };
    const nothingKept = planJob(nothingKeptJob);

    // The references: the same jobs on nights prepared afresh (other cache keys, nothing cached).
    expect(incremental.result).toEqual(planJob({ ...afterLog, prepare: { ...afterLog.prepare, key: 'priorities-fresh-1' } }).result);
    expect(both.result).toEqual(planJob({ ...bothJob, prepare: { ...bothJob.prepare, key: 'priorities-fresh-2' } }).result);
    expect(nothingKept.result).toEqual(planJob({ ...nothingKeptJob, prepare: { ...nothingKeptJob.prepare, key: 'priorities-fresh-3' } }).result);
    // And the logged sequence stays where it was observed.
    for (const b of sequence) expect(incremental.result.blocks.some((x) => x.id === b.id && x.status === 'done')).toBe(true);
  });
});
