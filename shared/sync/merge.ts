/**
 * The three-way merge of lane A (sync.md §5), in SPICA-DB column space, for one row. B is the
 * base (the last pulled value, or the value an edit started from when the row was never pulled),
 * L the local edit waiting in the outbox, R the fresh remote value; all canonical.
 *
 * | PI-editable column | outcome |
 * | --- | --- |
 * | R = L | converged: nothing to push (our earlier push landed, or someone typed the same) |
 * | R = B, L ≠ B | keep: push L |
 * | R ≠ B, R ≠ L | conflict: the table shows R, L waits for the user |
 *
 * Server-owned columns are not merged: R is taken (the caller's projection writes it).
 */
import { sameCanon, type CanonRow, type CanonValue, type ColumnKind } from './canon';

/** One column of the outbox patch: the value to push and the value it was edited from. */
export interface PendingValue {
  local: CanonValue;
  base: CanonValue;
}

export interface RowConflict {
  column: string;
  base: CanonValue;
  local: CanonValue;
  remote: CanonValue;
}

export interface RowMerge {
  /** Columns still to push, with their base moved to R. */
  keep: Record<string, PendingValue>;
  /** Columns whose remote value already equals the local edit. */
  converged: string[];
  conflicts: RowConflict[];
  /** Pending columns the remote table no longer has (a renamed or dropped column). */
  missing: string[];
}

/**
 * Merge a row's pending edits with its fresh remote values. `base` is the pulled base row, or
 * null when the row was never pulled (each edit's own `base` is used then).
 */
export function mergePending(
  kindOf: (column: string) => ColumnKind,
  base: CanonRow | null,
  remote: CanonRow,
  pending: Record<string, PendingValue>,
): RowMerge {
  const out: RowMerge = { keep: {}, converged: [], conflicts: [], missing: [] };
  for (const [column, p] of Object.entries(pending)) {
    if (!(column in remote)) {
      out.missing.push(column);
      continue;
    }
    const kind = kindOf(column);
    const r = remote[column];
    const b = base && column in base ? base[column] : p.base;
    if (sameCanon(kind, r, p.local)) out.converged.push(column);
    else if (sameCanon(kind, r, b)) out.keep[column] = { local: p.local, base: r };
    else out.conflicts.push({ column, base: b, local: p.local, remote: r });
  }
  return out;
}

/**
 * The outbox entry after the user sets `column` to `value`: null when the value equals the base
 * (nothing left to push), else the entry, keeping the base of an edit already waiting.
 */
export function editPending(
  kind: ColumnKind,
  waiting: PendingValue | undefined,
  base: CanonValue,
  value: CanonValue,
): PendingValue | null {
  const from = waiting ? waiting.base : base;
  return sameCanon(kind, value, from) ? null : { local: value, base: from };
}
