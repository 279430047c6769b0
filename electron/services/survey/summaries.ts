/**
 * Builds the Survey table's rows from the store in three queries and keeps them in memory until
 * a write touches targets, memberships, programmes, PIs or observations: a filtered list is then
 * a scan of ~3000 plain objects (well under a millisecond) instead of a join per keystroke.
 *
 * A small write of this process to targets and observations only (a logged block: one observation,
 * its target's completion) does not drop the rows: the targets it touched are read again on the
 * next use, through the same queries restricted to them, and swapped into a new array. Rebuilding
 * all ~3000 cost 40–60 ms right after each log, when the observer waits for the re-plan.
 */
import type Database from 'better-sqlite3';
import { finalPriority } from '../../../shared/nss/rules';
import { standingProvisional } from '../../../shared/sync/provisional';
import type { Membership, TargetSummary } from '../../../shared/model/survey';
import { cachedStatement } from '../../db/repos/write';
import type { ChangeInfo, Store } from '../../db/store';
import { idsParam, ROW_TRACKED_ENTITIES, TargetChanges } from '../../db/target-changes';

const WATCHED = new Set(['targets', 'memberships', 'programmes', 'pis', 'observations']);

interface TargetRow {
  id: string;
  name: string;
  spicadb_id: string | null;
  ra_deg: number;
  dec_deg: number;
  vmag: number | null;
  hmag: number | null;
  sp_type: string | null;
  spica_mode: string | null;
  completion_rate: number;
  completion_provisional: number | null;
  completion_provisional_from: number | null;
  withdrawn_at_ms: number | null;
  is_demo: number;
}

interface MembershipRow {
  target_id: string;
  programme: string;
  pi: string | null;
  pi_priority: number | null;
  mode: string | null;
  comments: string | null;
  rank: number;
}

interface ObservedRow {
  target_id: string;
  n: number;
  last: string;
}

/** One target's row in the Survey table, from its row, its memberships (by rank) and its live log. */
function toSummary(t: TargetRow, programmes: Membership[], observed: ObservedRow | undefined): TargetSummary {
  const mode = programmes[0]?.mode ?? t.spica_mode;
  const provisional = standingProvisional(t.completion_rate, t.completion_provisional, t.completion_provisional_from);
  const completionRate = provisional ?? t.completion_rate;
  return {
    id: t.id,
    name: t.name,
    spicadbId: t.spicadb_id,
    raDeg: t.ra_deg,
    decDeg: t.dec_deg,
    vmag: t.vmag,
    hmag: t.hmag,
    spType: t.sp_type,
    mode,
    programmes,
    completionRate,
    ...(provisional !== null ? { completionDatabase: t.completion_rate } : {}),
    ...(t.withdrawn_at_ms !== null ? { withdrawnAt: new Date(t.withdrawn_at_ms).toISOString() } : {}),
    finalPriority: finalPriority({
      completionRate,
      mode,
      piPriority: programmes[0]?.piPriority ?? null,
    }),
    observationCount: observed?.n ?? 0,
    lastObservedNight: observed?.last ?? null,
    isDemo: t.is_demo === 1,
  };
}

/**
 * The summaries of every live target (`targetIds` null) or of the live ones among `targetIds`, in
 * the targets' row order. Both ways run the same three queries, the second restricted to the ids,
 * so a refreshed target reads exactly as a rebuild would read it. Orders are pinned (targets by
 * rowid, a target's memberships by rank then rowid) so that a restricted query, which may walk an
 * index instead of the table, cannot list them otherwise.
 */
function readSummaries(sqlite: Database.Database, targetIds: ReadonlySet<string> | null): TargetSummary[] {
  const only = (column: string) => (targetIds ? ` and ${column} in (select value from json_each(?))` : '');
  const params = targetIds ? [idsParam(targetIds)] : [];
  const targets = cachedStatement(
    sqlite,
    `select id, name, spicadb_id, ra_deg, dec_deg, vmag, hmag, sp_type, spica_mode, completion_rate, completion_provisional,
       completion_provisional_from, withdrawn_at_ms, is_demo from targets where deleted = 0${only('id')} order by rowid`,
  ).all(...params) as TargetRow[];
  const memberships = cachedStatement(
    sqlite,
    `select m.target_id, p.code as programme, pi.name as pi, m.pi_priority, m.mode, m.comments, m.rank
     from memberships m join programmes p on p.id = m.programme_id left join pis pi on pi.id = m.pi_id
     where m.deleted = 0${only('m.target_id')} order by m.rank, m.rowid`,
  ).all(...params) as MembershipRow[];
  const observed = cachedStatement(
    sqlite,
    `select target_id, count(*) as n, max(night) as last from observations where deleted = 0${only('target_id')} group by target_id`,
  ).all(...params) as ObservedRow[];
  const membersOf = new Map<string, Membership[]>();
  for (const m of memberships) {
    const list = membersOf.get(m.target_id) ?? [];
    list.push({ programme: m.programme, pi: m.pi, piPriority: m.pi_priority, mode: m.mode, comments: m.comments, rank: m.rank });
    membersOf.set(m.target_id, list);
  }
  const observedOf = new Map(observed.map((o) => [o.target_id, o]));
  return targets.map((t) => toSummary(t, membersOf.get(t.id) ?? [], observedOf.get(t.id)));
}

export class SummaryCache {
  /** The rows handed out; replaced, never changed in place (a caller may still hold them). */
  private rows: TargetSummary[] | null = null;
  private byId = new Map<string, TargetSummary>();
  /** Targets this process wrote since `rows` were read, to read again on the next use. */
  private readonly pending = new TargetChanges();
  private fullRebuildCount = 0;

  constructor(private readonly store: Store) {
    store.onDidChange((entities, info) => this.onChange(entities, info));
  }

  /** How many times every target was read (not just the ones a write touched): for tests and measurements. */
  get fullRebuilds(): number {
    return this.fullRebuildCount;
  }

  /** Every live target's summary, in the targets' row order. The array is never changed afterwards. */
  all(): TargetSummary[] {
    return this.current();
  }

  /** The summary of live target `id`. */
  get(id: string): TargetSummary | undefined {
    this.current();
    return this.byId.get(id);
  }

  private onChange(entities: Set<string>, info: ChangeInfo): void {
    const watched = [...entities].filter((e) => WATCHED.has(e));
    // Without rows the next use rebuilds anyway.
    if (watched.length === 0 || this.rows === null) return;
    // Memberships, programmes and PIs fan out to many targets: those changes rebuild.
    const isRowByRow = watched.every((e) => ROW_TRACKED_ENTITIES.has(e)) && this.pending.add(info);
    if (!isRowByRow) this.invalidate();
  }

  private invalidate(): void {
    this.rows = null;
    this.pending.clear();
  }

  private current(): TargetSummary[] {
    if (this.rows === null) this.rebuild();
    else if (!this.pending.isEmpty) this.refreshPending(this.rows);
    return this.rows as TargetSummary[];
  }

  private rebuild(): void {
    this.pending.clear();
    this.fullRebuildCount++;
    const rows = readSummaries(this.store.sqlite, null);
    this.byId = new Map(rows.map((s) => [s.id, s]));
    this.rows = rows;
  }

  /** Read the pending targets again and swap them into a new array; rebuild when one came or went. */
  private refreshPending(rows: TargetSummary[]): void {
    const ids = this.pending.take(this.store.sqlite);
    const fresh = new Map(readSummaries(this.store.sqlite, ids).map((s) => [s.id, s]));
    // A target that appeared or went (a restore, a deletion) changes the list's order and length:
    // a rebuild keeps it exactly as a rebuild lists it. One neither listed nor live changes nothing.
    for (const id of ids) {
      if (fresh.has(id) !== this.byId.has(id)) {
        this.rebuild();
        return;
      }
    }
    if (fresh.size === 0) return;
    this.rows = rows.map((s) => fresh.get(s.id) ?? s);
    for (const [id, s] of fresh) this.byId.set(id, s);
  }
}
