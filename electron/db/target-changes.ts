/**
 * The targets this process's own small writes touched, for caches keyed by target (the Survey
 * summaries, the planner's mean hour angles) that refresh just those instead of rebuilding: a
 * logged block writes one observation and one target, and a rebuild of every target costs
 * 15–60 ms right when the observer waits for the re-plan.
 *
 * Observation ids are kept as they come and turned into target ids only when the cache is read
 * (one query, several writes at once). That lookup reads `observations.target_id`, deleted rows
 * included (an undo tombstones the observation, and its target's figures change all the same).
 * It relies on no write ever moving an observation to another target: none does (the log inserts,
 * corrects times and outcome, and tombstones); one that did would leave the old target stale.
 */
import type Database from 'better-sqlite3';
import { cachedStatement } from './repos/write';
import type { ChangeInfo } from './store';

/** The tables a target-keyed cache can follow row by row. */
export const ROW_TRACKED_ENTITIES: ReadonlySet<string> = new Set(['targets', 'observations']);

/** Pending ids (targets and observations together) past which a full rebuild is the cheaper way. */
export const MAX_PENDING_IDS = 1000;

/** Target ids touched by changes since the cache last read them, built up write by write. */
export class TargetChanges {
  private readonly targetIds = new Set<string>();
  private readonly observationIds = new Set<string>();

  /**
   * Note the targets and observations a change wrote. Returns false (and forgets what it held)
   * when the change cannot be followed row by row: no `rows` (another connection's commit, a
   * large write) or too many ids pending; the caller then rebuilds in full.
   */
  add(info: ChangeInfo): boolean {
    if (!info.rows) return this.cleared();
    for (const id of info.rows.get('targets') ?? []) this.targetIds.add(id);
    for (const id of info.rows.get('observations') ?? []) this.observationIds.add(id);
    if (this.targetIds.size + this.observationIds.size > MAX_PENDING_IDS) return this.cleared();
    return true;
  }

  /** Whether nothing is pending. */
  get isEmpty(): boolean {
    return this.targetIds.size === 0 && this.observationIds.size === 0;
  }

  /** Forget what is pending (the cache is being rebuilt in full). */
  clear(): void {
    this.targetIds.clear();
    this.observationIds.clear();
  }

  /** The pending targets (written ones, and those of written observations, live or not), emptying the list. */
  take(sqlite: Database.Database): Set<string> {
    const ids = new Set(this.targetIds);
    if (this.observationIds.size > 0) {
      const rows = cachedStatement(sqlite, 'select distinct target_id from observations where id in (select value from json_each(?))').all(
        idsParam(this.observationIds),
      ) as Array<{ target_id: string }>;
      for (const r of rows) ids.add(r.target_id);
    }
    this.clear();
    return ids;
  }

  private cleared(): false {
    this.clear();
    return false;
  }
}

/** Ids as one SQL parameter, for `in (select value from json_each(?))`: one statement whatever their number. */
export function idsParam(ids: Iterable<string>): string {
  return JSON.stringify([...ids]);
}
