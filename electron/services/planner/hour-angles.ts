/**
 * The log's mean hour angle of each target: where in the sky its done observations were taken,
 * which the planner prefers again (docs/planner.md). Every plan and re-plan asks for them, so they
 * are kept until the log or the targets change; a small write of this process (a logged block:
 * one observation, its target) recomputes only the targets it touched, ~2400 observations read
 * again (15–20 ms) at the next re-plan otherwise.
 */
import type Database from 'better-sqlite3';
import { localSiderealTimeH, wrapHourAngleH } from '../../../shared/astro/frame';
import { CHARA_SITE } from '../../../shared/astro/site';
import { mjdFromIso } from '../../../shared/astro/time';
import { cachedStatement } from '../../db/repos/write';
import type { ChangeInfo, Store } from '../../db/store';
import { idsParam, TargetChanges } from '../../db/target-changes';

/** A done observation of a live target, with the target's right ascension. */
interface DoneObservationRow {
  target_id: string;
  ut_start: string;
  ut_end: string;
  ra_deg: number;
}

// In observation row order, both ways: the mean is a floating-point sum, and a restricted query
// (which walks the target index) must add a target's observations in the order the full one does.
const DONE_SQL = `select o.target_id, o.ut_start, o.ut_end, t.ra_deg from observations o join targets t on t.id = o.target_id
  where o.deleted = 0 and o.outcome = 'done' and t.deleted = 0`;
const ALL_DONE_SQL = `${DONE_SQL} order by o.rowid`;
const SOME_DONE_SQL = `${DONE_SQL} and o.target_id in (select value from json_each(?)) order by o.rowid`;

/**
 * Mean hour angle (h, in (−12, 12]) of one target's done observations, averaged on the circle so
 * +11.9 h and −11.9 h do not average to 0; observations whose times do not parse are left out,
 * and null when none is left.
 */
export function meanHourAngleH(observations: readonly DoneObservationRow[]): number | null {
  let x = 0;
  let y = 0;
  let counted = 0;
  for (const r of observations) {
    let midMjd: number;
    try {
      midMjd = (mjdFromIso(r.ut_start) + mjdFromIso(r.ut_end)) / 2;
    } catch {
      continue;
    }
    const haH = wrapHourAngleH(localSiderealTimeH(midMjd, CHARA_SITE.lonDeg) - r.ra_deg / 15);
    x += Math.cos((haH * Math.PI) / 12);
    y += Math.sin((haH * Math.PI) / 12);
    counted++;
  }
  return counted === 0 ? null : (Math.atan2(y, x) * 12) / Math.PI;
}

/** Rows grouped by target, each group in row order. */
function byTarget(rows: readonly DoneObservationRow[]): Map<string, DoneObservationRow[]> {
  const groups = new Map<string, DoneObservationRow[]>();
  for (const r of rows) {
    const group = groups.get(r.target_id);
    if (group) group.push(r);
    else groups.set(r.target_id, [r]);
  }
  return groups;
}

/** Mean hour angle (h) of each live target with a done observation, from the whole log. */
export function preferredHourAngles(sqlite: Database.Database): Map<string, number> {
  const meanHaH = new Map<string, number>();
  for (const [id, rows] of byTarget(cachedStatement(sqlite, ALL_DONE_SQL).all() as DoneObservationRow[])) {
    const haH = meanHourAngleH(rows);
    if (haH !== null) meanHaH.set(id, haH);
  }
  return meanHaH;
}

/**
 * `previous` with the mean hour angles of `targetIds` read again from the log: the same entries a
 * full `preferredHourAngles` gives (a target with no done observation left, or no longer live,
 * drops out). Returns a new map; `previous` is left as it was.
 */
export function refreshedHourAngles(sqlite: Database.Database, previous: ReadonlyMap<string, number>, targetIds: ReadonlySet<string>): Map<string, number> {
  const meanHaH = new Map(previous);
  if (targetIds.size === 0) return meanHaH;
  const groups = byTarget(cachedStatement(sqlite, SOME_DONE_SQL).all(idsParam(targetIds)) as DoneObservationRow[]);
  for (const id of targetIds) {
    const rows = groups.get(id);
    const haH = rows ? meanHourAngleH(rows) : null;
    if (haH === null) meanHaH.delete(id);
    else meanHaH.set(id, haH);
  }
  return meanHaH;
}

/**
 * The mean hour angles, kept across writes: computed in full on first use and after a change it
 * cannot follow (another process's, a large write), refreshed target by target after this
 * process's small writes to observations and targets.
 */
export class HourAngleCache {
  private meanHaH: Map<string, number> | null = null;
  private readonly pending = new TargetChanges();
  private fullCount = 0;
  private readonly off: () => void;

  constructor(private readonly store: Store) {
    this.off = store.onDidChange((entities, info) => this.onChange(entities, info));
  }

  /** How many times the whole log was read: for tests and measurements. */
  get fullComputations(): number {
    return this.fullCount;
  }

  /** Mean hour angle (h) by target id; the map is not changed afterwards (a change makes a new one). */
  current(): ReadonlyMap<string, number> {
    if (this.meanHaH === null) {
      this.pending.clear();
      this.fullCount++;
      this.meanHaH = preferredHourAngles(this.store.sqlite);
    } else if (!this.pending.isEmpty) {
      this.meanHaH = refreshedHourAngles(this.store.sqlite, this.meanHaH, this.pending.take(this.store.sqlite));
    }
    return this.meanHaH;
  }

  /** Stop listening to the store. */
  close(): void {
    this.off();
  }

  private onChange(entities: Set<string>, info: ChangeInfo): void {
    // Only the log and the targets (right ascension, deletion) enter the means.
    if (this.meanHaH === null || !(entities.has('observations') || entities.has('targets'))) return;
    if (!this.pending.add(info)) this.meanHaH = null;
  }
}
