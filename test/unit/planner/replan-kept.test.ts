/**
 * What a re-plan keeps of the plan it replaces (`keptBlocks`): a done science block keeps its own
 * closing calibrator while that is still ahead, never the calibrator opening the next sequence.
 * Before, any CAL right after a done SCI was kept, so once the own closing CAL had passed, the
 * opening CAL of whatever came next was frozen in place, and re-planning twice from the same
 * "now" gave two different plans.
 */
import { describe, expect, it } from 'vitest';
import { keptBlocks } from '../../../shared/planner/replan';
import type { PlannedBlock } from '../../../shared/planner/types';

const MIN = 1 / 1440;
const T0 = 61176;

function block(sequenceId: string, kind: 'CAL' | 'SCI', startMin: number, status: PlannedBlock['status'], calibrates?: string[]): PlannedBlock {
  return {
    id: `${sequenceId}:${kind}@${startMin}`,
    sequenceId,
    kind,
    starKey: kind === 'SCI' ? sequenceId : `cal-${sequenceId}-${startMin}`,
    name: kind === 'SCI' ? sequenceId : `cal ${startMin}`,
    raDeg: 0,
    decDeg: 0,
    startMjd: T0 + startMin * MIN,
    endMjd: T0 + (startMin + 20) * MIN,
    pops: '',
    status,
    isPinned: false,
    violations: [],
    ...(calibrates ? { calibrates } : {}),
  };
}

describe('blocks a re-plan keeps', () => {
  // A: CAL–SCI (done)–CAL, then B: CAL–SCI–CAL two hours later.
  const blocks = [
    block('A', 'CAL', 0, 'done', ['A']),
    block('A', 'SCI', 20, 'done'),
    block('A', 'CAL', 40, 'planned', ['A']),
    block('B', 'CAL', 180, 'planned', ['B']),
    block('B', 'SCI', 200, 'planned'),
    block('B', 'CAL', 220, 'planned', ['B']),
  ];

  it("keeps the done sequence's closing calibrator while it is ahead of now", () => {
    const kept = keptBlocks(blocks, T0 + 40 * MIN);
    expect(kept.map((b) => b.id)).toEqual(['A:CAL@0', 'A:SCI@20', 'A:CAL@40']);
  });

  it('keeps no other sequence\'s calibrator once the closing one has passed (dropped from the plan)', () => {
    // A re-plan from 01:30 dropped A's closing CAL (it had passed): B's opening CAL now follows A's SCI.
    const replanned = blocks.filter((b) => b.id !== 'A:CAL@40');
    const kept = keptBlocks(replanned, T0 + 90 * MIN);
    expect(kept.map((b) => b.id)).toEqual(['A:CAL@0', 'A:SCI@20']);
  });
});
