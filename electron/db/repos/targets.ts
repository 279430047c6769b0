/**
 * Writers of targets, programmes, PIs and memberships. `importTargets` is the survey import's
 * write path: the whole file lands in one transaction, matched to existing rows by SPICA-DB id,
 * else by name and position, so re-importing the same file updates and never duplicates.
 */
import type { ImportedTarget } from '../../../shared/survey/import-rows';
import type { Store } from '../store';
import type { Writer } from './write';

/** Two positions closer than this, with the same name, are the same target. */
const SAME_TARGET_RADIUS_ARCSEC = 30;

interface ExistingTarget {
  id: string;
  spicadb_id: string | null;
  name: string;
  ra_deg: number;
  dec_deg: number;
  [column: string]: unknown;
}

interface ExistingMembership {
  id: string;
  target_id: string;
  programme_id: string;
  pi_id: string | null;
  pi_priority: number;
  mode: string | null;
  comments: string | null;
  rank: number;
}

export interface ImportWriteResult {
  added: number;
  updated: number;
  unchanged: number;
}

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Angular separation in arcseconds (haversine; exact enough at these scales). */
export function separationArcsec(ra1Deg: number, dec1Deg: number, ra2Deg: number, dec2Deg: number): number {
  const r = Math.PI / 180;
  const dRa = (ra2Deg - ra1Deg) * r;
  const dDec = (dec2Deg - dec1Deg) * r;
  const a = Math.sin(dDec / 2) ** 2 + Math.cos(dec1Deg * r) * Math.cos(dec2Deg * r) * Math.sin(dRa / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(a))) * 180 * 3600) / Math.PI;
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

/**
 * Columns of `next` that differ from `existing`. An import only adds or corrects values: a cell
 * the file leaves empty never erases what the store knows, and extra columns are merged.
 */
function changedColumns(existing: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(next)) {
    if (k === 'source' || raw === null || raw === undefined) continue;
    // The catalogue identifier is kept as first imported: exports carry the cleaned display name.
    if (k === 'main_id' && existing.main_id) continue;
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

class NameIndex {
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

function writeMemberships(
  w: Writer,
  targetId: string,
  wanted: ImportedTarget['memberships'],
  existing: ExistingMembership[],
  programmes: NameIndex,
  pis: NameIndex,
): boolean {
  let changed = false;
  const kept = new Set<string>();
  for (const m of wanted) {
    const programmeId = programmes.idFor(m.programme);
    const piId = m.pi ? pis.idFor(m.pi) : null;
    const columns = { programme_id: programmeId, pi_id: piId, pi_priority: m.piPriority, mode: m.mode, comments: m.comments, rank: m.rank };
    const match = existing.find((e) => e.rank === m.rank && !kept.has(e.id)) ;
    if (match) {
      kept.add(match.id);
      const patch = changedColumns(match as unknown as Record<string, unknown>, columns);
      if (Object.keys(patch).length > 0) {
        w.update('memberships', match.id, patch);
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

/**
 * Write imported targets in one transaction. A row matches an existing target by SPICA-DB id,
 * else by equal name within 30″; matched rows are updated column by column, others inserted.
 */
export function importTargets(
  store: Store,
  rows: ImportedTarget[],
  options: { source: string; isDemo?: boolean; onProgress?: (done: number, total: number) => void },
): ImportWriteResult {
  const isDemo = options.isDemo ?? false;
  return store.write((w) => {
    const existing = w.sqlite.prepare('select * from targets where deleted = 0').all() as ExistingTarget[];
    const byId = new Map<string, ExistingTarget>();
    const byName = new Map<string, ExistingTarget[]>();
    for (const t of existing) {
      if (t.spicadb_id) byId.set(t.spicadb_id, t);
      const key = normaliseName(t.name);
      byName.set(key, [...(byName.get(key) ?? []), t]);
    }
    const memberRows = w.sqlite.prepare('select * from memberships where deleted = 0').all() as ExistingMembership[];
    const membersByTarget = new Map<string, ExistingMembership[]>();
    for (const m of memberRows) membersByTarget.set(m.target_id, [...(membersByTarget.get(m.target_id) ?? []), m]);
    const programmes = new NameIndex(w, 'programmes', 'code', isDemo);
    const pis = new NameIndex(w, 'pis', 'name', isDemo);
    const result: ImportWriteResult = { added: 0, updated: 0, unchanged: 0 };
    rows.forEach((row, i) => {
      const columns = targetColumns(row, options.source, isDemo);
      const match =
        (row.spicadbId ? byId.get(row.spicadbId) : undefined) ??
        byName
          .get(normaliseName(row.name))
          ?.find((t) => separationArcsec(t.ra_deg, t.dec_deg, row.raDeg, row.decDeg) < SAME_TARGET_RADIUS_ARCSEC);
      let targetId: string;
      let changed: boolean;
      if (match) {
        targetId = match.id;
        const patch = changedColumns(match, columns);
        changed = Object.keys(patch).length > 0;
        if (changed) w.update('targets', targetId, patch);
        Object.assign(match, patch);
      } else {
        targetId = w.insert('targets', columns);
        const inserted = { ...columns, id: targetId } as ExistingTarget;
        if (row.spicadbId) byId.set(row.spicadbId, inserted);
        const key = normaliseName(row.name);
        byName.set(key, [...(byName.get(key) ?? []), inserted]);
        changed = true;
      }
      const membershipsChanged =
        row.memberships.length > 0 || match
          ? writeMemberships(w, targetId, row.memberships, membersByTarget.get(targetId) ?? [], programmes, pis)
          : false;
      if (!match) result.added++;
      else if (changed || membershipsChanged) result.updated++;
      else result.unchanged++;
      if (options.onProgress && (i + 1) % 250 === 0) options.onProgress(i + 1, rows.length);
    });
    return result;
  });
}

/** Tombstone every demo row (targets and what hangs off them, programmes, PIs). */
export function removeDemoData(store: Store): number {
  return store.write((w) => {
    const ids = (table: string, where: string): string[] =>
      (w.sqlite.prepare(`select id from ${table} where deleted = 0 and ${where}`).all() as Array<{ id: string }>).map(
        (r) => r.id,
      );
    const demoTargets = new Set(ids('targets', 'is_demo = 1'));
    let removed = 0;
    for (const table of ['observations', 'memberships', 'calibrator_associations']) {
      const rows = w.sqlite.prepare(`select id, target_id from ${table} where deleted = 0`).all() as Array<{
        id: string;
        target_id: string;
      }>;
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
    return removed;
  });
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
