/**
 * The Survey summaries after this process's small writes are refreshed target by target (the ids
 * each write reports, `ChangeInfo.rows`), and must read exactly as a rebuild from the store: a
 * fresh `SummaryCache` over the same store, compared entry for entry and in order, after each
 * write of the observer's night (log, correction, undo) and of the survey's edits. Real SQLite
 * file, real migrations, the demo survey.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revertBatch } from '../../../electron/db/repos/batches';
import { correctObservation, recordObservation, undoObservation } from '../../../electron/db/repos/observations';
import { deleteTargets } from '../../../electron/db/repos/targets';
import { TOUCHED_IDS_CAP } from '../../../electron/db/repos/write';
import { Store } from '../../../electron/db/store';
import type { Services } from '../../../electron/services/registry';
import { SummaryCache } from '../../../electron/services/survey/summaries';
import type { TargetSummary } from '../../../shared/model/survey';
import { MIGRATIONS, Sandbox } from './helpers';

const NIGHT = '2026-05-15';

const sandbox = new Sandbox();
let dir: string;
let s: Services;
/** The cache under test, built once and kept across every write below. */
let cache: SummaryCache;

beforeAll(async () => {
  dir = sandbox.dir('spica-rows-');
  s = sandbox.services(dir);
  await s.call('survey.demo.generate', { count: 300 });
  cache = new SummaryCache(s.store);
  cache.all();
}, 120_000);

afterAll(() => sandbox.cleanup());

/** What a rebuild from the store gives now. */
const rebuilt = (): TargetSummary[] => new SummaryCache(s.store).all();

/** A live target whose first mode NSS counts and that is not complete, so a done log moves its completion. */
function openTarget(mode: string, skip = 0): string {
  return (
    s.store.sqlite
      .prepare(
        `select t.id from targets t where t.deleted = 0 and t.completion_rate < 0.5
           and coalesce((select m.mode from memberships m where m.target_id = t.id and m.deleted = 0 order by rank limit 1), t.spica_mode) = ?
         order by t.id limit 1 offset ?`,
      )
      .get(mode, skip) as { id: string }
  ).id;
}

const observation = (targetId: string) => ({ targetId, night: NIGHT, utStart: '2026-05-16T05:00:00Z', utEnd: '2026-05-16T05:30:00Z', outcome: 'done' as const });

/**
 * Run `write`, then check the kept cache against a rebuild, and whether it rebuilt itself
 * (`isRebuilt`) or refreshed only the touched targets; the array handed out before stays as it was.
 */
function expectAfter(write: () => void, isRebuilt: boolean): TargetSummary[] {
  const before = cache.all();
  const beforeCopy = structuredClone(before);
  const rebuilds = cache.fullRebuilds;
  write();
  const after = cache.all();
  expect(after).toEqual(rebuilt());
  expect(after.map((t) => t.id)).toEqual(rebuilt().map((t) => t.id));
  expect(cache.fullRebuilds).toBe(rebuilds + (isRebuilt ? 1 : 0));
  expect(before).toEqual(beforeCopy);
  return after;
}

/** One write of every target's H magnitude and enough settings to pass the cap on reported ids. */
function largeWrite(): void {
  const ids = (s.store.sqlite.prepare('select id from targets where deleted = 0').all() as Array<{ id: string }>).map((r) => r.id);
  s.store.write((w) => {
    for (const id of ids) w.update('targets', id, { hmag: 4.5 });
    for (let i = 0; i <= TOUCHED_IDS_CAP - ids.length; i++) w.setSetting(`test.rows.${i}`, i);
  });
}

describe('summaries after a write: the touched targets read again, as a rebuild reads them', () => {
  it('logs, corrects and undoes an observation without a rebuild', () => {
    const id = openTarget('DLD', 1);
    const previous = cache.get(id) as TargetSummary;
    let observationId = '';
    const logged = expectAfter(() => (observationId = recordObservation(s.store, observation(id)).id), false);
    expect(logged.find((t) => t.id === id)).toBe(cache.get(id));
    expect(cache.get(id)).toMatchObject({ observationCount: previous.observationCount + 1, lastObservedNight: NIGHT });
    expect(cache.get(id)?.completionRate).toBeGreaterThan(previous.completionRate);
    expectAfter(() => s.store.write((w) => correctObservation(w, observationId, { outcome: 'failed' })), false);
    expectAfter(() => s.store.write((w) => correctObservation(w, observationId, { outcome: 'done', notes: 'clouds passed' })), false);
    expectAfter(() => s.store.write((w) => undoObservation(w, observationId)), false);
    // A failed block moves no completion: the write names the observation alone, and its undo a
    // tombstoned observation, whose target must still be found.
    const failed = { ...observation(id), night: '2026-05-20', outcome: 'failed' as const };
    const lastBefore = cache.get(id)?.lastObservedNight;
    expectAfter(() => (observationId = recordObservation(s.store, failed).id), false);
    expect(cache.get(id)?.lastObservedNight).toBe('2026-05-20');
    expectAfter(() => s.store.write((w) => undoObservation(w, observationId)), false);
    expect(cache.get(id)?.lastObservedNight).toBe(lastBefore);
  });

  it('follows several writes read once, and a write of a target\'s own columns', () => {
    const ids = [openTarget('DIA'), openTarget('SPI'), openTarget('DLD', 2)];
    expectAfter(() => {
      for (const id of ids) recordObservation(s.store, observation(id));
      s.store.write((w) => w.update('targets', ids[0], { name: 'Renamed star', vmag: 2.25, completion_rate: 0.4 }), { origin: 'import' });
    }, false);
    expect(cache.get(ids[0])).toMatchObject({ name: 'Renamed star', vmag: 2.25 });
    expectAfter(() => s.store.write((w) => w.update('targets', ids[1], { sp_type: 'K0III', completion_rate: 0.9 }), { origin: 'import' }), false);
    expect(cache.get(ids[1])).toMatchObject({ spType: 'K0III' });
  });

  it('rebuilds after a membership edit, a deletion and its undo, a large write and another connection\'s write', () => {
    const id = openTarget('DLD', 3);
    const membership = s.store.sqlite.prepare('select id, pi_priority from memberships where target_id = ? and deleted = 0 order by rank limit 1').get(id) as { id: string; pi_priority: number };
    expectAfter(() => s.store.write((w) => w.update('memberships', membership.id, { pi_priority: membership.pi_priority === 0 ? 1 : 0 })), true);

    let batchId = '';
    expectAfter(() => (batchId = deleteTargets(s.store, [id]).batchId), true);
    expect(cache.get(id)).toBeUndefined();
    expectAfter(() => revertBatch(s.store, batchId), true);
    expect(cache.get(id)?.id).toBe(id);

    expectAfter(largeWrite, true);

    const other = sandbox.track(Store.open({ dataDir: dir, migrationsDir: MIGRATIONS }));
    expectAfter(() => {
      recordObservation(other, observation(id));
      other.write((w) => w.update('targets', id, { vmag: 1.5 }));
      expect(s.store.refresh()).toBe(true);
    }, true);
    expect(cache.get(id)?.vmag).toBe(1.5);
  });

  it('rebuilds when another connection edited a target and this process then logged another', () => {
    const [mine, theirs] = [openTarget('SPI', 1), openTarget('DIA', 1)];
    const other = sandbox.track(Store.open({ dataDir: dir, migrationsDir: MIGRATIONS }));
    expectAfter(() => {
      other.write((w) => w.update('targets', theirs, { vmag: 0.5 }));
      recordObservation(s.store, observation(mine));
      expect(s.store.refresh()).toBe(true);
    }, true);
    expect(cache.get(theirs)?.vmag).toBe(0.5);
  });
});
