/**
 * Writers of targets, programmes, PIs and memberships. `importTargets` is the survey import's
 * write path: the whole file lands in one transaction, recorded as a batch that can be reverted,
 * and each row is matched to an existing target as astronomers match stars:
 * 1. by SPICA-DB id;
 * 2. else by position (a cone of `MATCH_CONE_ARCSEC`, proper motion aside) together with a shared
 *    normalised identifier ("* alf Sco" = "alf Sco"; "HD 148478" too, through the bundled
 *    bright-star cross-identifications);
 * 3. never across demo and real data: a demo row is never merged into a real one, nor the reverse.
 * A row that matches several targets, or a target another row of the file already matched, is
 * reported as ambiguous and not written.
 */
import type { ImportedTarget } from '../../../shared/survey/import-rows';
import { CrossIdIndex, identifiersOf, separationArcsec } from '../../../shared/survey/identifiers';
import type { ImportMatchRule, ImportReport } from '../../../shared/model/survey';
import type { Store } from '../store';
import { cachedStatement, type Writer } from './write';

export { separationArcsec };

/** Rule 2's cone: a row and a target this close, sharing an identifier, are one star. */
export const MATCH_CONE_ARCSEC = 5;
/** Beyond the cone but within this, a shared identifier makes the row ambiguous (a coordinate change? a different star?). */
export const NEAR_ARCSEC = 60;

interface ExistingTarget {
  id: string;
  spicadb_id: string | null;
  name: string;
  main_id: string | null;
  hd: string | null;
  hip: string | null;
  gaia_id: string | null;
  ra_deg: number;
  dec_deg: number;
  is_demo: number;
  [column: string]: unknown;
}

export interface ExistingMembership {
  id: string;
  target_id: string;
  programme_id: string;
  pi_id: string | null;
  pi_priority: number | null;
  mode: string | null;
  comments: string | null;
  rank: number;
}

/** What an import wrote, for the report (the service adds file name, format and timing). */
export type ImportWriteResult = Pick<
  ImportReport,
  'added' | 'updated' | 'unchanged' | 'matches' | 'matchedBy' | 'ambiguous' | 'warnings' | 'batchId'
>;

export interface ImportOptions {
  /** Recorded as each target's `source` and as the batch label. */
  source: string;
  isDemo?: boolean;
  /** Cross-identifications (the bundled bright-star list) that widen rule 2's identifiers. */
  crossIds?: CrossIdIndex;
  onProgress?: (done: number, total: number) => void;
  /** Polled every few rows; returning true abandons the import (the transaction rolls back). */
  isCancelled?: () => boolean;
}

/** Thrown inside the write when `isCancelled` says so; the transaction rolls back. */
export class ImportCancelledError extends Error {
  constructor() {
    super('import cancelled: the survey is unchanged');
    this.name = 'ImportCancelledError';
  }
}

function targetColumns(t: ImportedTarget, source: string, isDemo: boolean): Record<string, unknown> {
  const columns: Record<string, unknown> = {
    spicadb_id: t.spicadbId,
    name: t.name,
    main_id: t.mainId,
    hd: t.hd,
    hip: t.hip,
    gaia_id: t.gaiaId,
    ra_deg: t.raDeg,
    dec_deg: t.decDeg,
    pm_ra_mas_yr: t.pmRaMasYr,
    pm_dec_mas_yr: t.pmDecMasYr,
    parallax_mas: t.parallaxMas,
    vmag: t.vmag,
    rmag: t.rmag,
    jmag: t.jmag,
    hmag: t.hmag,
    kmag: t.kmag,
    sp_type: t.spType,
    spica_mode: t.spicaMode,
    ldd_mas: t.lddMas,
    ldd_err_mas: t.lddErrMas,
    extra_json: Object.keys(t.extra).length > 0 ? JSON.stringify(t.extra) : null,
    // A model handed over in ASPRO2's column becomes the local model; absent, the store's is kept.
    model_json: t.modelJson ?? null,
    source,
    is_demo: isDemo ? 1 : 0,
  };
  if (t.completionRate !== null) columns.completion_rate = t.completionRate;
  return columns;
}

/** Columns a matched row may not change: identity and provenance stay those of the existing target. */
const KEPT_ON_MATCH = new Set(['source', 'is_demo']);

/**
 * Columns of `next` that differ from `existing`. An import only adds or corrects values: a cell
 * the file leaves empty never erases what the store knows, and extra columns are merged.
 */
function changedColumns(existing: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(next)) {
    if (KEPT_ON_MATCH.has(k) || raw === null || raw === undefined) continue;
    // The catalogue identifier is kept as first imported: exports carry the cleaned display name.
    if (k === 'main_id' && existing.main_id) continue;
    // A SPICA-DB id is set once; rule 2 never matches a target that has a different one.
    if (k === 'spicadb_id' && existing.spicadb_id) continue;
    let v = raw;
    if (k === 'extra_json' && typeof existing.extra_json === 'string') {
      v = JSON.stringify({ ...JSON.parse(existing.extra_json), ...JSON.parse(raw as string) });
    }
    const old = existing[k];
    const same = typeof v === 'number' && typeof old === 'number' ? Math.abs(v - old) < 1e-12 : (old ?? null) === (v ?? null);
    if (!same) patch[k] = v;
  }
  return patch;
}

/** Whether a stored value and a new one differ (numbers to 1e-12, null and undefined alike). */
export const valuesDiffer = (a: unknown, b: unknown): boolean =>
  typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) > 1e-12 : (a ?? null) !== (b ?? null);

/** Ids of programmes (by code) or PIs (by name), created on first use. */
export class NameIndex {
  private readonly ids = new Map<string, string>();
  constructor(
    private readonly w: Writer,
    private readonly table: 'programmes' | 'pis',
    private readonly column: 'code' | 'name',
    private readonly isDemo: boolean,
  ) {
    const rows = w.sqlite.prepare(`select id, ${column} as key from ${table} where deleted = 0`).all() as Array<{
      id: string;
      key: string;
    }>;
    for (const r of rows) this.ids.set(r.key, r.id);
  }
  idFor(key: string): string {
    let id = this.ids.get(key);
    if (!id) {
      id = this.w.insert(this.table, { [this.column]: key, is_demo: this.isDemo ? 1 : 0 });
      this.ids.set(key, id);
    }
    return id;
  }
}

/**
 * A target's memberships made to match `wanted` (matched by rank; ranks no longer wanted are
 * tombstoned); true when anything was written. The one writer of whole membership rows, for
 * imports and for SPICA-DB syncs (a PI's edit of one priority or comment is sync.ts's own
 * single-column write). An import (`nullErases` false) only adds or corrects: an empty cell never
 * erases a value. A sync (`nullErases` true) projects rows SPICA-DB owns: a NULL priority or
 * comment replaces the local one.
 */
export function writeMemberships(
  w: Writer,
  targetId: string,
  wanted: ImportedTarget['memberships'],
  existing: ExistingMembership[],
  programmes: NameIndex,
  pis: NameIndex,
  nullErases = false,
): boolean {
  let changed = false;
  const kept = new Set<string>();
  for (const m of wanted) {
    const programmeId = programmes.idFor(m.programme);
    const piId = m.pi ? pis.idFor(m.pi) : null;
    const columns = { programme_id: programmeId, pi_id: piId, pi_priority: m.piPriority, mode: m.mode, comments: m.comments, rank: m.rank };
    const match = existing.find((e) => e.rank === m.rank && !kept.has(e.id));
    if (match) {
      kept.add(match.id);
      const patch = nullErases
        ? Object.fromEntries(Object.entries(columns).filter(([k, v]) => valuesDiffer((match as unknown as Record<string, unknown>)[k], v)))
        : changedColumns(match as unknown as Record<string, unknown>, columns);
      if (Object.keys(patch).length > 0) {
        w.update('memberships', match.id, patch, match as unknown as Record<string, unknown>);
        changed = true;
      }
    } else {
      w.insert('memberships', { target_id: targetId, ...columns });
      changed = true;
    }
  }
  for (const e of existing) {
    if (!kept.has(e.id)) {
      w.tombstone('memberships', e.id);
      changed = true;
    }
  }
  return changed;
}

interface Indexed {
  target: ExistingTarget;
  ids: Set<string>;
}

/** Live targets of one kind (demo or real) by SPICA-DB id and by declination band, for the matching rules. */
class TargetIndex {
  private readonly bySpicadbId = new Map<string, Indexed>();
  /** Arcminute declination band → targets. */
  private readonly bands = new Map<number, Indexed[]>();

  constructor(private readonly crossIds: CrossIdIndex | undefined) {}

  identifiers(fields: { name: string; main_id?: string | null; hd?: string | null; hip?: string | null; gaia_id?: string | null }, raDeg: number, decDeg: number): Set<string> {
    const ids = identifiersOf({ name: fields.name, mainId: fields.main_id, hd: fields.hd, hip: fields.hip, gaiaId: fields.gaia_id });
    return this.crossIds ? this.crossIds.expand(ids, raDeg, decDeg) : ids;
  }

  add(target: ExistingTarget): Indexed {
    const entry = { target, ids: this.identifiers(target, target.ra_deg, target.dec_deg) };
    if (target.spicadb_id) this.bySpicadbId.set(target.spicadb_id, entry);
    const band = Math.floor(target.dec_deg * 60);
    const list = this.bands.get(band);
    if (list) list.push(entry);
    else this.bands.set(band, [entry]);
    return entry;
  }

  bySpicadb(id: string): Indexed | undefined {
    return this.bySpicadbId.get(id);
  }

  /** Targets within `radiusArcsec` (≤ 60″) of a position, with their separations. */
  near(raDeg: number, decDeg: number, radiusArcsec: number): Array<Indexed & { sepArcsec: number }> {
    const band = Math.floor(decDeg * 60);
    const out: Array<Indexed & { sepArcsec: number }> = [];
    for (let b = band - 1; b <= band + 1; b++) {
      for (const e of this.bands.get(b) ?? []) {
        const sepArcsec = separationArcsec(e.target.ra_deg, e.target.dec_deg, raDeg, decDeg);
        if (sepArcsec <= radiusArcsec) out.push({ ...e, sepArcsec });
      }
    }
    return out.sort((a, b) => a.sepArcsec - b.sepArcsec);
  }
}

type MatchOutcome =
  | { kind: 'new' }
  | { kind: 'match'; entry: Indexed; rule: ImportMatchRule; sepArcsec: number | null; identifier: string | null }
  | { kind: 'ambiguous'; reason: string; candidates: Array<{ id: string; name: string; separationArcsec: number }> };

const round2 = (x: number) => Math.round(x * 100) / 100;

function firstShared(a: Set<string>, b: Set<string>): string | null {
  for (const id of a) if (b.has(id)) return id;
  return null;
}

function matchRow(index: TargetIndex, row: ImportedTarget, rowIds: Set<string>): MatchOutcome {
  if (row.spicadbId) {
    const entry = index.bySpicadb(row.spicadbId);
    if (entry) return { kind: 'match', entry, rule: 'spicadb-id', sepArcsec: null, identifier: null };
  }
  const near = index.near(row.raDeg, row.decDeg, NEAR_ARCSEC).filter(
    // Two different SPICA-DB rows are two targets, however close on the sky (a double star's components).
    (c) => !(row.spicadbId && c.target.spicadb_id && c.target.spicadb_id !== row.spicadbId),
  );
  const sharing = near
    .map((c) => ({ ...c, shared: firstShared(rowIds, c.ids) }))
    .filter((c): c is typeof c & { shared: string } => c.shared !== null);
  const inCone = sharing.filter((c) => c.sepArcsec <= MATCH_CONE_ARCSEC);
  const describe = (cs: Array<Indexed & { sepArcsec: number }>) =>
    cs.map((c) => ({ id: c.target.id, name: c.target.name, separationArcsec: round2(c.sepArcsec) }));
  if (inCone.length === 1) {
    return { kind: 'match', entry: inCone[0], rule: 'position+identifier', sepArcsec: round2(inCone[0].sepArcsec), identifier: inCone[0].shared };
  }
  if (inCone.length > 1) {
    return { kind: 'ambiguous', reason: `${inCone.length} targets within ${MATCH_CONE_ARCSEC}″ share an identifier with it`, candidates: describe(inCone) };
  }
  if (sharing.length > 0) {
    const c = sharing[0];
    return {
      kind: 'ambiguous',
      reason: `"${c.target.name}" has the identifier "${c.shared}" but lies ${round2(c.sepArcsec)}″ away (beyond the ${MATCH_CONE_ARCSEC}″ cone): correct the coordinates or delete one`,
      candidates: describe(sharing),
    };
  }
  return { kind: 'new' };
}

/**
 * Write imported targets inside an open write (the caller's transaction and batch). Matched rows
 * are updated column by column, new ones inserted, ambiguous ones left out and reported.
 */
export function importRowsInto(w: Writer, rows: ImportedTarget[], options: ImportOptions): ImportWriteResult {
  const isDemo = options.isDemo ?? false;
  const all = w.sqlite.prepare('select * from targets where deleted = 0').all() as ExistingTarget[];
  const index = new TargetIndex(options.crossIds);
  const otherKind = new TargetIndex(options.crossIds);
  for (const t of all) (t.is_demo === (isDemo ? 1 : 0) ? index : otherKind).add(t);
  const memberRows = w.sqlite.prepare('select * from memberships where deleted = 0').all() as ExistingMembership[];
  const membersByTarget = new Map<string, ExistingMembership[]>();
  for (const m of memberRows) membersByTarget.set(m.target_id, [...(membersByTarget.get(m.target_id) ?? []), m]);
  const programmes = new NameIndex(w, 'programmes', 'code', isDemo);
  const pis = new NameIndex(w, 'pis', 'name', isDemo);
  const result: ImportWriteResult = {
    added: 0,
    updated: 0,
    unchanged: 0,
    matches: [],
    matchedBy: { 'spicadb-id': 0, 'position+identifier': 0 },
    ambiguous: [],
    warnings: [],
    batchId: w.batchId,
  };
  /** Target id → the file row that matched (or created) it: a second row for one target is ambiguous. */
  const claimedBy = new Map<string, number>();
  const report = (done: number) => options.onProgress?.(done, rows.length);
  rows.forEach((row, i) => {
    if (i % 100 === 0) {
      if (options.isCancelled?.()) throw new ImportCancelledError();
      if (i > 0) report(i);
    }
    const columns = targetColumns(row, options.source, isDemo);
    const rowIds = index.identifiers({ name: row.name, main_id: row.mainId, hd: row.hd, hip: row.hip, gaia_id: row.gaiaId }, row.raDeg, row.decDeg);
    const outcome = matchRow(index, row, rowIds);
    if (outcome.kind === 'ambiguous') {
      result.ambiguous.push({ row: row.row, name: row.name, reason: outcome.reason, candidates: outcome.candidates });
      return;
    }
    if (outcome.kind === 'match') {
      const earlier = claimedBy.get(outcome.entry.target.id);
      if (earlier !== undefined) {
        result.ambiguous.push({
          row: row.row,
          name: row.name,
          reason: `row ${earlier} of this file already matched "${outcome.entry.target.name}"`,
          candidates: [{ id: outcome.entry.target.id, name: outcome.entry.target.name, separationArcsec: outcome.sepArcsec ?? 0 }],
        });
        return;
      }
    }
    let targetId: string;
    let changed: boolean;
    const match = outcome.kind === 'match' ? outcome : null;
    const matchedName = match?.entry.target.name ?? '';
    if (match) {
      const target = match.entry.target;
      targetId = target.id;
      // A position match keeps the target's name (the file may call it "HD 148478" or "alpha Sco");
      // SPICA-DB, matched by its id, owns the name of its rows.
      if (match.rule === 'position+identifier') delete columns.name;
      const patch = changedColumns(target, columns);
      changed = Object.keys(patch).length > 0;
      if (changed) w.update('targets', targetId, patch, target);
      Object.assign(target, patch);
      result.matchedBy[match.rule]++;
    } else {
      targetId = w.insert('targets', columns);
      index.add({ ...columns, id: targetId } as ExistingTarget);
      changed = true;
      const twin = otherKind.near(row.raDeg, row.decDeg, MATCH_CONE_ARCSEC).find((c) => firstShared(rowIds, c.ids) !== null);
      if (twin) {
        result.warnings.push({
          row: row.row,
          name: row.name,
          message: isDemo
            ? `the real target "${twin.target.name}" is the same star: the demo row is kept apart`
            : `the demo target "${twin.target.name}" is the same star: kept apart; "Remove demo data" removes the demo row`,
        });
      } else {
        const close = index.near(row.raDeg, row.decDeg, MATCH_CONE_ARCSEC).find((c) => c.target.id !== targetId);
        if (close) {
          result.warnings.push({
            row: row.row,
            name: row.name,
            message: `lies ${round2(close.sepArcsec)}″ from "${close.target.name}" with no identifier in common: added as a separate target`,
          });
        }
      }
    }
    claimedBy.set(targetId, row.row);
    const membershipsChanged =
      row.memberships.length > 0 || match
        ? writeMemberships(w, targetId, row.memberships, membersByTarget.get(targetId) ?? [], programmes, pis)
        : false;
    if (!match) result.added++;
    else if (changed || membershipsChanged) {
      result.updated++;
      result.matches.push({
        row: row.row,
        name: row.name,
        targetId,
        targetName: matchedName,
        rule: match.rule,
        separationArcsec: match.sepArcsec,
        identifier: match.identifier,
      });
    } else result.unchanged++;
  });
  report(rows.length);
  return result;
}

/**
 * Write imported targets in one transaction, recorded as a revertible batch labelled with the
 * file (kind `demo` for the demo generator).
 */
export function importTargets(store: Store, rows: ImportedTarget[], options: ImportOptions & { skipped?: number; report?: (r: ImportWriteResult) => unknown }): ImportWriteResult {
  const isDemo = options.isDemo ?? false;
  return store.write(
    (w) => {
      const result = importRowsInto(w, rows, options);
      w.setBatchCounts({
        added: result.added,
        updated: result.updated,
        unchanged: result.unchanged,
        skipped: (options.skipped ?? 0) + result.ambiguous.length,
        report: options.report ? options.report(result) : result,
      });
      return result;
    },
    { origin: isDemo ? 'demo' : 'import', batch: { kind: isDemo ? 'demo' : 'import', label: options.source } },
  );
}

/** Tombstone every demo row (targets and what hangs off them, programmes, PIs) as one revertible batch. */
export function removeDemoData(store: Store): { removed: number; batchId: string } {
  return store.write(
    (w) => {
      const ids = (table: string, where: string): string[] =>
        (w.sqlite.prepare(`select id from ${table} where deleted = 0 and ${where}`).all() as Array<{ id: string }>).map((r) => r.id);
      const demoTargets = new Set(ids('targets', 'is_demo = 1'));
      let removed = 0;
      for (const table of ['observations', 'memberships', 'calibrator_associations']) {
        const rows = w.sqlite.prepare(`select id, target_id from ${table} where deleted = 0`).all() as Array<{ id: string; target_id: string }>;
        for (const r of rows) if (demoTargets.has(r.target_id)) w.tombstone(table, r.id);
      }
      for (const id of demoTargets) {
        w.tombstone('targets', id);
        removed++;
      }
      for (const table of ['programmes', 'pis']) {
        for (const id of ids(table, `is_demo = 1 and id not in (select programme_id from memberships where deleted = 0) and id not in (select coalesce(pi_id, '') from memberships where deleted = 0)`)) {
          w.tombstone(table, id);
        }
      }
      w.setBatchCounts({ updated: removed });
      return { removed, batchId: w.batchId as string };
    },
    { origin: 'demo', batch: { kind: 'demo-remove', label: 'Remove demo data' } },
  );
}

/** A live target found by id, SPICA-DB id or name. */
export interface TargetRef {
  id: string;
  name: string;
  spicadbId: string | null;
}

/**
 * Resolve what a user typed (`companion target delete <id|name>`) to live targets: an exact id,
 * else a SPICA-DB id, else every target whose normalised identifiers include it.
 */
export function findTargets(store: Store, text: string): TargetRef[] {
  const q = text.trim();
  const rows = store.sqlite
    .prepare('select id, name, spicadb_id, main_id, hd, hip, gaia_id from targets where deleted = 0 and (id = ? or spicadb_id = ?)')
    .all(q, q) as Array<{ id: string; name: string; spicadb_id: string | null }>;
  if (rows.length > 0) return rows.map((r) => ({ id: r.id, name: r.name, spicadbId: r.spicadb_id }));
  const wanted = identifiersOf({ name: q });
  if (wanted.size === 0) return [];
  const all = store.sqlite.prepare('select id, name, spicadb_id, main_id, hd, hip, gaia_id from targets where deleted = 0').all() as Array<{
    id: string;
    name: string;
    spicadb_id: string | null;
    main_id: string | null;
    hd: string | null;
    hip: string | null;
    gaia_id: string | null;
  }>;
  return all
    .filter((t) => firstShared(wanted, identifiersOf({ name: t.name, mainId: t.main_id, hd: t.hd, hip: t.hip, gaiaId: t.gaia_id })) !== null)
    .map((t) => ({ id: t.id, name: t.name, spicadbId: t.spicadb_id }));
}

/**
 * Delete targets as one revertible batch: each becomes a tombstone; its observations, memberships
 * and calibrators are kept (a revert brings the target back with all of them).
 */
export function deleteTargets(store: Store, ids: string[]): { batchId: string; deleted: TargetRef[] } {
  const names = ids.map((id) => (store.sqlite.prepare('select name from targets where id = ?').get(id) as { name: string } | undefined)?.name ?? id);
  const label = `Delete ${names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`}`;
  return store.write(
    (w) => {
      const deleted: TargetRef[] = [];
      for (const id of ids) {
        const t = cachedStatement(w.sqlite, 'select id, name, spicadb_id from targets where id = ? and deleted = 0').get(id) as
          | { id: string; name: string; spicadb_id: string | null }
          | undefined;
        if (!t) throw new Error(`no live target with id ${id}`);
        w.tombstone('targets', id);
        deleted.push({ id: t.id, name: t.name, spicadbId: t.spicadb_id });
      }
      w.setBatchCounts({ updated: deleted.length, report: { deleted } });
      return { batchId: w.batchId as string, deleted };
    },
    { origin: 'local', batch: { kind: 'delete', label } },
  );
}

/**
 * Set (or clear, with null) a target's local model, `model_json` in SPICA-DB JSON form, already
 * checked by the model engine. Returns false when the target does not exist.
 */
export function setTargetModel(store: Store, targetId: string, modelJson: string | null): boolean {
  return store.write((w) => {
    const row = w.sqlite.prepare('select model_json from targets where id = ? and deleted = 0').get(targetId) as { model_json: string | null } | undefined;
    if (!row) return false;
    if (row.model_json !== modelJson) w.update('targets', targetId, { model_json: modelJson });
    return true;
  });
}
