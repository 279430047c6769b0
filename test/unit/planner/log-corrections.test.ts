/**
 * The observing log can be undone and corrected (issue #11): through the observations repo and
 * the planner service, on a real store (temp SQLite file, real migrations, demo survey). The
 * expected completions are worked out from NSS's increments (nss.py `update_completion_rate`,
 * ../shared/docs/aspro2-chara.md §4.3: DIA +0.5, DLD +0.25, IMA/TMP +0.1, SPI +0.2, added while
 * the rate is below 1), not from our function. The log moves the provisional completion (sync.md
 * §4.2); SPICA-DB's `completion_rate` is the QC's and stays as imported.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctObservation, recordObservation, undoObservation } from '../../../electron/db/repos/observations';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import type { PlanView } from '../../../shared/planner/api-types';

const NIGHT = '2026-05-15';
const NSS_INCREMENT: Record<string, number> = { DIA: 0.5, DLD: 0.25, IMA: 0.1, TMP: 0.1, SPI: 0.2 };

let dir: string;
let s: Services;
let plan: PlanView;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spica-log-'));
  s = createServices({ paths: resolvePaths(dir), transport: 'cli' });
  await s.call('survey.demo.generate', { count: 300 });
  plan = await s.call('planner.plan', { night: NIGHT });
}, 180_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A live demo target with the given mode and completion, set through the store's write path. */
function targetWith(mode: string, rate: number): string {
  const row = s.store.sqlite
    .prepare(`select t.id from targets t where t.deleted = 0 and coalesce((select m.mode from memberships m where m.target_id = t.id and m.deleted = 0 order by rank limit 1), t.spica_mode) = ? limit 1`)
    .get(mode) as { id: string };
  s.store.write((w) => w.update('targets', row.id, { completion_rate: rate }), { origin: 'import' });
  return row.id;
}

/** The completion the planner ranks with: SPICA-DB's value, or the provisional one the log moved. */
function rateOf(id: string): number {
  const t = s.store.sqlite.prepare('select completion_rate as r, completion_provisional as p, completion_provisional_from as f from targets where id = ?').get(id) as { r: number; p: number | null; f: number | null };
  return t.p !== null && t.f !== null && Math.abs(t.f - t.r) < 1e-9 && t.p > t.r ? t.p : t.r;
}
/** SPICA-DB's own value, which the QC owns and the log never writes. */
const dbRateOf = (id: string) => (s.store.sqlite.prepare('select completion_rate as r from targets where id = ?').get(id) as { r: number }).r;
const obs = (targetId: string) => ({ targetId, night: NIGHT, utStart: '2026-05-16T05:00:00Z', utEnd: '2026-05-16T05:30:00Z', outcome: 'done' as const });

describe('observations repo: undo and correct recompute the completion', () => {
  it('undoing the first of two entries replays the second from the rate before it', () => {
    const id = targetWith('DLD', 0.25);
    const a = recordObservation(s.store, obs(id));
    const b = recordObservation(s.store, obs(id));
    expect(a.completionRate).toBeCloseTo(0.25 + NSS_INCREMENT.DLD, 9);
    expect(b.completionRate).toBeCloseTo(0.25 + 2 * NSS_INCREMENT.DLD, 9);
    const undone = s.store.write((w) => undoObservation(w, a.id));
    expect(undone).toMatchObject({ targetId: id, isRecomputed: true });
    expect(rateOf(id)).toBeCloseTo(0.25 + NSS_INCREMENT.DLD, 9);
    expect(s.store.write((w) => undoObservation(w, b.id)).completionRate).toBeCloseTo(0.25, 9);
    expect(() => s.store.write((w) => undoObservation(w, b.id))).toThrow(/undone or never existed/);
  });

  it('keeps NSS\'s "add while below 1" rule when an earlier entry is undone', () => {
    const id = targetWith('DIA', 0.75);
    const a = recordObservation(s.store, obs(id));
    const b = recordObservation(s.store, obs(id));
    expect(a.completionRate).toBeCloseTo(1.25, 9);
    expect(b.completionRate).toBeCloseTo(1.25, 9);
    s.store.write((w) => undoObservation(w, a.id));
    // The second entry now counts: 0.75 + 0.5.
    expect(rateOf(id)).toBeCloseTo(1.25, 9);
    s.store.write((w) => undoObservation(w, b.id));
    expect(rateOf(id)).toBeCloseTo(0.75, 9);
  });

  it('a correction of the outcome moves the completion both ways; other fields are corrected in place', () => {
    const id = targetWith('IMA', 0.2);
    const a = recordObservation(s.store, { ...obs(id), seeingArcsec: 1.1, notes: 'first' });
    expect(rateOf(id)).toBeCloseTo(0.3, 9);
    s.store.write((w) => correctObservation(w, a.id, { outcome: 'failed', seeingArcsec: 2.5, notes: 'clouds', utStart: '2026-05-16T05:05:00.000Z' }));
    expect(rateOf(id)).toBeCloseTo(0.2, 9);
    const row = s.store.sqlite.prepare('select outcome, is_validated, seeing_arcsec, notes, ut_start, deleted from observations where id = ?').get(a.id);
    expect(row).toEqual({ outcome: 'failed', is_validated: 0, seeing_arcsec: 2.5, notes: 'clouds', ut_start: '2026-05-16T05:05:00.000Z', deleted: 0 });
    s.store.write((w) => correctObservation(w, a.id, { outcome: 'done' }));
    expect(rateOf(id)).toBeCloseTo(0.3, 9);
    expect(dbRateOf(id)).toBe(0.2);
  });

  it('leaves a completion alone that an import rewrote after the entry', () => {
    const id = targetWith('DLD', 0);
    const a = recordObservation(s.store, obs(id));
    expect(rateOf(id)).toBeCloseTo(0.25, 9);
    s.store.write((w) => w.update('targets', id, { completion_rate: 0.6 }), { origin: 'import' });
    const undone = s.store.write((w) => undoObservation(w, a.id));
    expect(undone).toEqual({ targetId: id, completionRate: 0.6, isRecomputed: false });
    expect(rateOf(id)).toBe(0.6);
    expect(dbRateOf(id)).toBe(0.6);
  });
});

describe('planner: the log of a plan can be undone and corrected', () => {
  it('logs a SCI block done, lists it with the completion it moved, and an undo restores the completion', async () => {
    const sci = plan.blocks.find((b) => b.kind === 'SCI')!;
    const before = rateOf(sci.starKey);
    await s.call('planner.logBlock', { planId: plan.id, blockId: sci.id, outcome: 'done', seeingArcsec: 0.8, notes: 'ok' });
    const after = rateOf(sci.starKey);
    expect(after).toBeGreaterThan(before);
    const log = await s.call('planner.log', { planId: plan.id });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ blockId: sci.id, status: 'done', seeingArcsec: 0.8, notes: 'ok', completionBefore: before, completionAfter: after });
    const undone = await s.call('planner.undoLog', { planId: plan.id, blockId: sci.id });
    expect(undone.completionRate).toBe(before);
    expect(rateOf(sci.starKey)).toBe(before);
    expect(undone.plan.blocks.find((b) => b.id === sci.id)?.status).toBe('planned');
    expect(await s.call('planner.log', { planId: plan.id })).toEqual([]);
    const live = s.store.sqlite.prepare('select count(*) as n from observations where deleted = 0 and block_id = ?').get(sci.id) as { n: number };
    expect(live.n).toBe(0);
    await expect(s.call('planner.undoLog', { planId: plan.id, blockId: sci.id })).rejects.toThrow(/has not been logged/);
  });

  it('corrects a logged block: done → failed → skipped → done, with times, seeing and notes', async () => {
    const sci = plan.blocks.filter((b) => b.kind === 'SCI')[1];
    const before = rateOf(sci.starKey);
    await s.call('planner.logBlock', { planId: plan.id, blockId: sci.id, outcome: 'done' });
    const done = rateOf(sci.starKey);
    let r = await s.call('planner.correctLog', { planId: plan.id, blockId: sci.id, outcome: 'failed', seeingArcsec: 2.2, notes: 'lost fringes', utStartUtc: '2026-05-16T06:01:00Z' });
    expect(r.completionRate).toBe(before);
    let entry = (await s.call('planner.log', { planId: plan.id }))[0];
    expect(entry).toMatchObject({ status: 'failed', seeingArcsec: 2.2, notes: 'lost fringes', utStartUtc: '2026-05-16T06:01:00.000Z', completionBefore: null });
    r = await s.call('planner.correctLog', { planId: plan.id, blockId: sci.id, outcome: 'skipped' });
    expect(r.plan.skipped).toContain(sci.sequenceId);
    expect((await s.call('planner.log', { planId: plan.id }))[0].observationId).toBeNull();
    r = await s.call('planner.correctLog', { planId: plan.id, blockId: sci.id, outcome: 'done', seeingArcsec: 1 });
    expect(r.completionRate).toBe(done);
    expect(r.plan.skipped).not.toContain(sci.sequenceId);
    entry = (await s.call('planner.log', { planId: plan.id }))[0];
    expect(entry).toMatchObject({ status: 'done', seeingArcsec: 1, completionBefore: before, completionAfter: done });
    await expect(s.call('planner.correctLog', { planId: plan.id, blockId: sci.id, utStartUtc: 'on 25:99 of May 16th' })).rejects.toThrow(/not an ISO 8601 time/);
  });

  it("the plan's own log, undo and corrections keep a current plan current; another write still makes it stale", async () => {
    const fresh = await s.call('planner.plan', { night: NIGHT });
    expect(fresh.stale).toEqual([]);
    const sci = fresh.blocks.find((b) => b.kind === 'SCI')!;
    expect((await s.call('planner.logBlock', { planId: fresh.id, blockId: sci.id, outcome: 'done' })).plan.stale).toEqual([]);
    expect((await s.call('planner.correctLog', { planId: fresh.id, blockId: sci.id, outcome: 'failed' })).plan.stale).toEqual([]);
    expect((await s.call('planner.undoLog', { planId: fresh.id, blockId: sci.id })).plan.stale).toEqual([]);
    expect((await s.call('planner.replan', { planId: fresh.id })).stale).toEqual([]);
    // An import (not the plan's own log) changes what it was made from.
    targetWith('DIA', 0.5);
    const stale = (await s.call('planner.get', { planId: fresh.id })).stale ?? [];
    expect(stale.join('\n')).toMatch(/survey changed/);
  });
});
