/**
 * The planner's mean hour angles after this process's small writes are recomputed for the touched
 * targets only, and must hold exactly what a computation over the whole log gives, after each
 * write of the observer's night (log, correction, undo) and of the survey's edits. Real SQLite
 * file, real migrations, the demo survey.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revertBatch } from '../../../electron/db/repos/batches';
import { correctObservation, recordObservation, undoObservation } from '../../../electron/db/repos/observations';
import { deleteTargets } from '../../../electron/db/repos/targets';
import { Store } from '../../../electron/db/store';
import { HourAngleCache, meanHourAngleH, preferredHourAngles } from '../../../electron/services/planner/hour-angles';
import type { Services } from '../../../electron/services/registry';
import { MIGRATIONS, Sandbox } from '../survey/helpers';

const sandbox = new Sandbox();
let dir: string;
let s: Services;
/** The cache under test, built once and kept across every write below. */
let cache: HourAngleCache;

beforeAll(async () => {
  dir = sandbox.dir('spica-hour-angles-');
  s = sandbox.services(dir);
  await s.call('survey.demo.generate', { count: 300 });
  cache = sandbox.track(new HourAngleCache(s.store));
  cache.current();
}, 120_000);

afterAll(() => sandbox.cleanup());

/** A map's entries by key, for comparing contents whatever the insertion order. */
const entries = (m: ReadonlyMap<string, number>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Run `write`, then check the kept cache against the whole log read again, and whether it read
 * the whole log (`isFull`) or only the touched targets; the map handed out before stays as it was.
 */
function expectAfter(write: () => void, isFull: boolean): ReadonlyMap<string, number> {
  const before = cache.current();
  const beforeEntries = entries(before);
  const full = cache.fullComputations;
  write();
  const after = cache.current();
  expect(entries(after)).toEqual(entries(preferredHourAngles(s.store.sqlite)));
  expect(cache.fullComputations).toBe(full + (isFull ? 1 : 0));
  expect(entries(before)).toEqual(beforeEntries);
  return after;
}

/** A live target with (`hasDone`) or without a done observation in the log. */
function targetWith(hasDone: boolean, skip = 0): string {
  return (
    s.store.sqlite
      .prepare(
        `select t.id from targets t where t.deleted = 0 and ${hasDone ? '' : 'not '}exists
           (select 1 from observations o where o.target_id = t.id and o.deleted = 0 and o.outcome = 'done')
         order by t.id limit 1 offset ?`,
      )
      .get(skip) as { id: string }
  ).id;
}

const observation = (targetId: string, utStart = '2026-05-16T05:00:00Z', utEnd = '2026-05-16T05:30:00Z') => ({
  targetId,
  night: '2026-05-15',
  utStart,
  utEnd,
  outcome: 'done' as const,
});

describe('meanHourAngleH', () => {
  it('averages on the circle and leaves out times that do not parse', () => {
    const row = (utStart: string, raDeg = 0) => ({ target_id: 'x', ut_start: utStart, ut_end: utStart, ra_deg: raDeg });
    const at = '2026-05-16T05:00:00Z';
    expect(meanHourAngleH([])).toBeNull();
    expect(meanHourAngleH([row('not a time')])).toBeNull();
    // At RA 0 the hour angle is the local sidereal time.
    const lstH = meanHourAngleH([row(at)]) as number;
    expect(meanHourAngleH([row(at), row('garbage')])).toBe(lstH);
    // +11.9 h and −11.9 h average to ±12 h on the circle, not to 0.
    const mean = meanHourAngleH([row(at, (lstH - 11.9) * 15), row(at, (lstH + 11.9) * 15)]) as number;
    expect(Math.abs(mean)).toBeCloseTo(12, 6);
  });
});

describe('hour angles after a write: the touched targets recomputed, as the whole log gives them', () => {
  it('logs, corrects and undoes observations without reading the whole log', () => {
    const seen = targetWith(true);
    const fresh = targetWith(false);
    let observationId = '';
    const logged = expectAfter(() => (observationId = recordObservation(s.store, observation(seen, '2026-05-16T09:00:00Z', '2026-05-16T09:30:00Z')).id), false);
    expect(logged.has(seen)).toBe(true);
    expectAfter(() => s.store.write((w) => correctObservation(w, observationId, { utStart: '2026-05-16T10:00:00Z', utEnd: '2026-05-16T10:20:00Z' })), false);
    expectAfter(() => s.store.write((w) => undoObservation(w, observationId)), false);

    // A target's first done observation adds it; turned into a failure, or undone, it goes again.
    const added = expectAfter(() => (observationId = recordObservation(s.store, observation(fresh)).id), false);
    expect(added.has(fresh)).toBe(true);
    const failed = expectAfter(() => s.store.write((w) => correctObservation(w, observationId, { outcome: 'failed' })), false);
    expect(failed.has(fresh)).toBe(false);
    expectAfter(() => s.store.write((w) => correctObservation(w, observationId, { outcome: 'done' })), false);
    const undone = expectAfter(() => s.store.write((w) => undoObservation(w, observationId)), false);
    expect(undone.has(fresh)).toBe(false);
  });

  it('follows a target\'s right ascension, its deletion and the undo of it', () => {
    const id = targetWith(true, 1);
    const moved = expectAfter(() => s.store.write((w) => w.update('targets', id, { ra_deg: 123.4 }), { origin: 'import' }), false);
    expect(moved.has(id)).toBe(true);
    let batchId = '';
    const deleted = expectAfter(() => (batchId = deleteTargets(s.store, [id]).batchId), false);
    expect(deleted.has(id)).toBe(false);
    const restored = expectAfter(() => revertBatch(s.store, batchId), false);
    expect(restored.has(id)).toBe(true);
  });

  it('reads the whole log again after another connection\'s write', () => {
    const id = targetWith(true, 2);
    const other = sandbox.track(Store.open({ dataDir: dir, migrationsDir: MIGRATIONS }));
    expectAfter(() => {
      recordObservation(other, observation(id, '2026-05-16T11:00:00Z', '2026-05-16T11:30:00Z'));
      expect(s.store.refresh()).toBe(true);
    }, true);
  });
});
