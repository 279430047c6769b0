/**
 * When a saved plan no longer matches what it was made from. A plan records the store's change
 * sequence and the settings it depended on; any later change to the survey (targets, priorities,
 * programmes, the log, models), the calibrators (BadCal, assignments, exclusions, imports) or the
 * calibrator policy / V² bounds — by this process or another one sharing the store — makes it stale.
 */
import { readSetting } from '../../db/repos/settings';
import { cachedStatement } from '../../db/repos/write';
import type { Store } from '../../db/store';

const SURVEY = new Map([
  ['targets', 'targets or models'],
  ['memberships', 'programme memberships and PI priorities'],
  ['programmes', 'programmes'],
  ['pis', 'PIs'],
  ['observations', 'the observing log'],
]);
const CALIBRATORS = new Map([
  ['bad_calibrators', 'bad calibrators'],
  ['calibrator_associations', 'calibrator assignments'],
  ['calibrator_exclusions', 'calibrator exclusions'],
  ['calibrator_catalog_rows', 'imported calibrator catalogues'],
]);
/** Entities whose change may make a plan stale. */
export const WATCHED_ENTITIES = new Set([...SURVEY.keys(), ...CALIBRATORS.keys(), 'settings']);

/** What a plan was made from. */
export interface PlanBasis {
  /** Highest change_log seq when the plan was made (or last logged). */
  seq: number;
  /** JSON of the settings the plan used (calibrator policy, V² bounds). */
  settings: string;
}

/** The store's change sequence now. */
export function currentSeq(store: Store): number {
  const row = cachedStatement(store.sqlite, 'select max(seq) as seq from change_log').get() as { seq: number | null };
  return row.seq ?? 0;
}

/** JSON of the settings a plan depends on. */
export function basisSettings(store: Store): string {
  return JSON.stringify({ policy: readSetting(store, 'calibrators.policy', {}), vis2Bounds: readSetting(store, 'models.vis2Bounds', null) });
}

export function basisNow(store: Store): PlanBasis {
  return { seq: currentSeq(store), settings: basisSettings(store) };
}

/** Why a plan with `basis` is stale now (empty when it is not). */
export function staleReasons(store: Store, basis: PlanBasis | undefined): string[] {
  if (!basis) return [];
  const rows = cachedStatement(store.sqlite, 'select distinct entity from change_log where seq > ?').all(basis.seq) as Array<{ entity: string }>;
  const entities = new Set(rows.map((r) => r.entity));
  const reasons: string[] = [];
  const survey = [...SURVEY].filter(([e]) => entities.has(e)).map(([, what]) => what);
  if (survey.length) reasons.push(`the survey changed since it was planned (${survey.join(', ')})`);
  const cals = [...CALIBRATORS].filter(([e]) => entities.has(e)).map(([, what]) => what);
  if (cals.length) reasons.push(`the calibrators changed since it was planned (${cals.join(', ')})`);
  if (entities.has('settings') && basisSettings(store) !== basis.settings) reasons.push('the calibrator policy or the V² bounds changed since it was planned');
  return reasons;
}
