/**
 * How a plan's left-out list is saved in its document (plans.blocks_json). Every save writes the
 * document (its change_log record names the columns only: DOCUMENT_TABLES in db/repos/write.ts),
 * and the left-out list of a 3000-target survey is most of it (~2600 targets, half a megabyte as
 * objects): saved as rows of arrays with the reasons listed once (a few hundred distinct ones:
 * every target never observable tonight shares one), it is about a third of that. Plans saved
 * before keep their `leftOut` objects and are read as they are.
 */
import type { LeftOut, LeftOutCode } from '../../../shared/planner/types';

/** A left-out list as saved: distinct (code, reason) pairs, and one row per target pointing at one. */
export interface PackedLeftOut {
  reasons: Array<[LeftOutCode | null, string]>;
  rows: Array<[key: string, name: string, finalPriority: number, reason: number]>;
}

/** The saved form of `leftOut` (same targets, order and texts). */
export function packLeftOut(leftOut: readonly LeftOut[]): PackedLeftOut {
  // Reasons by code, then by text: a key joining both (a new string per target to build and hash)
  // made packing a re-plan's 2609 targets 6 times slower (0.66 against 0.11 ms, warm, alone).
  const index = new Map<LeftOutCode | null, Map<string, number>>();
  const reasons: PackedLeftOut['reasons'] = [];
  const rows: PackedLeftOut['rows'] = [];
  for (const l of leftOut) {
    const code = l.code ?? null;
    let byReason = index.get(code);
    if (!byReason) index.set(code, (byReason = new Map()));
    let i = byReason.get(l.reason);
    if (i === undefined) {
      i = reasons.length;
      byReason.set(l.reason, i);
      reasons.push([code, l.reason]);
    }
    rows.push([l.key, l.name, l.finalPriority, i]);
  }
  return { reasons, rows };
}

/** The left-out list `packLeftOut` saved. */
export function unpackLeftOut(packed: PackedLeftOut): LeftOut[] {
  return packed.rows.map(([key, name, finalPriority, i]) => {
    const [code, reason] = packed.reasons[i];
    return code === null ? { key, name, finalPriority, reason } : { key, name, finalPriority, code, reason };
  });
}
