/**
 * Writers and readers of calibrator associations (science target ↔ calibrator) and of the
 * bad-calibrator list. Both tables are synced: rows are never deleted, only tombstoned, and every
 * write goes through `store.write` so it lands in `change_log` in the same transaction.
 */
import type { BadCalibrator, CalibratorAssociation } from '../../../shared/contract/calibrators';
import type { Store } from '../store';

interface AssociationRow {
  id: string;
  target_id: string;
  calibrator_name: string;
  hd: string | null;
  hip: string | null;
  ra_deg: number;
  dec_deg: number;
  vmag: number | null;
  udd_mas: number | null;
  udd_err_mas: number | null;
  kind: string;
  source: string | null;
  is_pinned: number;
  notes: string | null;
  updated_at_ms: number;
}

interface BadRow {
  id: string;
  name: string;
  hd: string | null;
  hip: string | null;
  ra_deg: number | null;
  dec_deg: number | null;
  night: string | null;
  reason: string;
  source: string;
  updated_at_ms: number;
}

/**
 * The table has no column for the catalogue key, so `source` carries it readably as
 * "calibrators: HIP 1234, <detail>"; a re-assign of the same star finds the row by it.
 */
function keyOf(source: string | null): string | null {
  const m = /^calibrators: ([^,]+)/.exec(source ?? '');
  return m ? m[1] : null;
}

function toAssociation(r: AssociationRow): CalibratorAssociation {
  return {
    id: r.id, targetId: r.target_id, calibratorName: r.calibrator_name, key: keyOf(r.source), hd: r.hd, hip: r.hip,
    raDeg: r.ra_deg, decDeg: r.dec_deg, vmag: r.vmag, uddMas: r.udd_mas, uddErrMas: r.udd_err_mas,
    kind: r.kind === 'primary' ? 'primary' : 'secondary', source: r.source, isPinned: r.is_pinned === 1, notes: r.notes,
    updatedAtMs: r.updated_at_ms,
  };
}

function toBad(r: BadRow): BadCalibrator {
  return {
    id: r.id, name: r.name, hd: r.hd, hip: r.hip, raDeg: r.ra_deg, decDeg: r.dec_deg, night: r.night, reason: r.reason,
    source: r.source, updatedAtMs: r.updated_at_ms,
  };
}

/** Live associations of a target, pinned first then by name. */
export function listAssociations(store: Store, targetId: string): CalibratorAssociation[] {
  const rows = store.sqlite
    .prepare('select * from calibrator_associations where target_id = ? and deleted = 0 order by is_pinned desc, calibrator_name')
    .all(targetId) as AssociationRow[];
  return rows.map(toAssociation);
}

/** Live associations of every target, keyed by target id, pinned first then by name. */
export function allAssociations(store: Store): Map<string, CalibratorAssociation[]> {
  const rows = store.sqlite
    .prepare('select * from calibrator_associations where deleted = 0 order by target_id, is_pinned desc, calibrator_name')
    .all() as AssociationRow[];
  const out = new Map<string, CalibratorAssociation[]>();
  for (const r of rows) {
    const list = out.get(r.target_id) ?? [];
    list.push(toAssociation(r));
    out.set(r.target_id, list);
  }
  return out;
}

/** One live association by id, or null. */
export function getAssociation(store: Store, id: string): CalibratorAssociation | null {
  const row = store.sqlite.prepare('select * from calibrator_associations where id = ? and deleted = 0').get(id) as AssociationRow | undefined;
  return row ? toAssociation(row) : null;
}

/** What `assignCalibrator` stores. */
export interface AssignInput {
  targetId: string;
  key: string;
  name: string;
  hd: number | null;
  hip: number | null;
  raDeg: number;
  decDeg: number;
  vmag: number | null;
  uddMas: number | null;
  uddErrMas: number | null;
  kind: 'primary' | 'secondary';
  isPinned: boolean;
  notes: string | null;
  source: string;
}

/** Assign a calibrator; the same key for the same target returns the existing live row. */
export function assignCalibrator(store: Store, a: AssignInput): CalibratorAssociation {
  store.write((w) => {
    const existing = (w.sqlite
      .prepare('select * from calibrator_associations where target_id = ? and deleted = 0')
      .all(a.targetId) as AssociationRow[]).find((r) => keyOf(r.source) === a.key);
    if (existing) {
      if (a.isPinned && existing.is_pinned !== 1) w.update('calibrator_associations', existing.id, { is_pinned: true });
      return existing.id;
    }
    return w.insert('calibrator_associations', {
      target_id: a.targetId, calibrator_name: a.name, hd: a.hd === null ? null : String(a.hd), hip: a.hip === null ? null : String(a.hip),
      ra_deg: a.raDeg, dec_deg: a.decDeg, vmag: a.vmag, udd_mas: a.uddMas, udd_err_mas: a.uddErrMas, kind: a.kind,
      source: `calibrators: ${a.key}, ${a.source}`, is_pinned: a.isPinned, notes: a.notes,
    });
  });
  return toAssociationById(store, a);
}

function toAssociationById(store: Store, a: AssignInput): CalibratorAssociation {
  const found = listAssociations(store, a.targetId).find((r) => r.key === a.key);
  if (!found) throw new Error(`association of ${a.key} with target ${a.targetId} was not stored`);
  return found;
}

/** Tombstone an association; throws when there is no live row with that id. */
export function unassignCalibrator(store: Store, id: string): void {
  if (!getAssociation(store, id)) throw new Error(`no calibrator association with id ${id}`);
  store.write((w) => w.tombstone('calibrator_associations', id));
}

/** Pin or unpin an association. */
export function pinCalibrator(store: Store, id: string, isPinned: boolean): CalibratorAssociation {
  if (!getAssociation(store, id)) throw new Error(`no calibrator association with id ${id}`);
  store.write((w) => w.update('calibrator_associations', id, { is_pinned: isPinned }));
  return getAssociation(store, id)!;
}

/** Live bad-calibrator entries, local first. */
export function listBadCalibrators(store: Store): BadCalibrator[] {
  const rows = store.sqlite.prepare("select * from bad_calibrators where deleted = 0 order by source = 'local' desc, name").all() as BadRow[];
  return rows.map(toBad);
}

/** What `markBadCalibrator` stores. */
export interface BadInput {
  name: string;
  hd: number | null;
  hip: number | null;
  raDeg: number | null;
  decDeg: number | null;
  night: string | null;
  reason: string;
  source: string;
}

/** Add one entry to the bad-calibrator list; returns it. */
export function markBadCalibrator(store: Store, b: BadInput): BadCalibrator {
  const id = store.write((w) =>
    w.insert('bad_calibrators', {
      name: b.name, hd: b.hd === null ? null : String(b.hd), hip: b.hip === null ? null : String(b.hip),
      ra_deg: b.raDeg, dec_deg: b.decDeg, night: b.night, reason: b.reason, source: b.source,
    }),
  );
  return toBad(store.sqlite.prepare('select * from bad_calibrators where id = ?').get(id) as BadRow);
}

/** Tombstone a bad-calibrator entry. */
export function unmarkBadCalibrator(store: Store, id: string): void {
  const row = store.sqlite.prepare('select id from bad_calibrators where id = ? and deleted = 0').get(id);
  if (!row) throw new Error(`no bad-calibrator entry with id ${id}`);
  store.write((w) => w.tombstone('bad_calibrators', id));
}

/**
 * Merge an imported BadCal snapshot (source 'jmmc') in one transaction: entries are matched by
 * name, so re-importing the same list reports them unchanged.
 */
export function importBadCalibrators(store: Store, entries: BadInput[]): { added: number; updated: number; unchanged: number } {
  return store.write((w) => {
    const existing = new Map(
      (w.sqlite.prepare("select * from bad_calibrators where deleted = 0 and source = 'jmmc'").all() as BadRow[]).map((r) => [r.name.toLowerCase(), r]),
    );
    let added = 0;
    let updated = 0;
    let unchanged = 0;
    for (const e of entries) {
      const row = existing.get(e.name.toLowerCase());
      if (!row) {
        w.insert('bad_calibrators', {
          name: e.name, hd: e.hd === null ? null : String(e.hd), hip: e.hip === null ? null : String(e.hip),
          ra_deg: e.raDeg, dec_deg: e.decDeg, night: e.night, reason: e.reason, source: 'jmmc',
        });
        existing.set(e.name.toLowerCase(), { name: e.name } as BadRow);
        added++;
      } else if (row.id && (!same(row.ra_deg, e.raDeg) || !same(row.dec_deg, e.decDeg))) {
        w.update('bad_calibrators', row.id, { ra_deg: e.raDeg, dec_deg: e.decDeg });
        updated++;
      } else {
        unchanged++;
      }
    }
    return { added, updated, unchanged };
  });
}

function same(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) < 1e-7;
}
