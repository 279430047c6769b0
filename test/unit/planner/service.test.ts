/**
 * The planner service end to end on a real store (temp SQLite file, real migrations, the seeded
 * demo survey): plan a night, log a block, re-plan after clouds, override, compare.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FILE_NAME } from '../../../electron/db/store';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';
import { computeNightObservability, defaultObservabilityOptions } from '../../../shared/astro/observability';
import { mjdFromIso } from '../../../shared/astro/time';
import type { PlanBlockView, PlanView } from '../../../shared/planner/api-types';

/** NSS completion increments per validated observation, from ../shared/docs/aspro2-chara.md §4.3 (nss.py). */
const NSS_INCREMENT: Record<string, number> = { DIA: 0.5, DLD: 0.25, IMA: 0.1, TMP: 0.1, SPI: 0.2 };
const NIGHT = '2026-05-15';

let dir: string;
let s: Services;
let plan: PlanView;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spica-planner-'));
  s = createServices({ paths: resolvePaths(dir), transport: 'cli' });
  await s.call('survey.demo.generate', { count: 600 });
  plan = await s.call('planner.plan', { night: NIGHT });
}, 120_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

function feasibleAtEnds(b: PlanBlockView): [number, number] {
  const startMjd = mjdFromIso(b.startUtc);
  const endMjd = mjdFromIso(b.endUtc);
  const stepMin = (endMjd - startMjd) * 1440;
  const obs = computeNightObservability([{ name: b.name, raDeg: b.raDeg, decDeg: b.decDeg }], {
    ...defaultObservabilityOptions(NIGHT, { twilightDeg: -18 }),
    pops: b.pops,
    stepMin,
    gridStartMjd: startMjd,
    gridEndMjd: endMjd + stepMin / 2880,
  });
  return [obs.targets[0].observable[0], obs.targets[0].observable[1]];
}

describe('planner service', () => {
  it('plans bracketed sequences that the engine confirms at every block start and end', () => {
    const sci = plan.blocks.filter((b) => b.kind === 'SCI');
    expect(sci.length).toBeGreaterThan(0);
    plan.blocks.forEach((b, i) => {
      if (i > 0) expect(mjdFromIso(b.startUtc)).toBeGreaterThanOrEqual(mjdFromIso(plan.blocks[i - 1].endUtc) - 1e-9);
      expect(feasibleAtEnds(b), `${b.kind} ${b.name} ${b.startUtc}`).toEqual([1, 1]);
      if (b.kind === 'SCI') {
        expect(plan.blocks[i - 1].kind).toBe('CAL');
        expect(plan.blocks[i + 1].kind).toBe('CAL');
        expect(b.calibrators).toEqual([plan.blocks[i - 1].name, plan.blocks[i + 1].name]);
        expect(['store', 'proposed', 'nearest']).toContain(b.calibratorSource);
      }
    });
    expect(plan.curves.series.length).toBeGreaterThan(0);
    expect(plan.leftOut.length).toBeGreaterThan(0);
  });

  it('logs a block done: an observation in the store, completion moved by the NSS increment of the mode', async () => {
    const sci = plan.blocks.find((b) => b.kind === 'SCI')!;
    const before = await s.call('survey.get', { id: sci.starKey });
    const logged = await s.call('planner.logBlock', { planId: plan.id, blockId: sci.id, outcome: 'done', seeingArcsec: 0.9, conditions: 'clear', notes: 'fringes fine' });
    const row = s.store.sqlite.prepare('select * from observations where plan_id = ? and block_id = ?').get(plan.id, sci.id) as Record<string, unknown>;
    expect(row).toMatchObject({ outcome: 'done', seeing_arcsec: 0.9, conditions: 'clear', notes: 'fringes fine', target_id: sci.starKey });
    expect(logged.completionRate).toBeCloseTo(Math.min(1, before.completionRate + NSS_INCREMENT[before.mode ?? 'DIA']), 6);
    const after = await s.call('survey.get', { id: sci.starKey });
    expect(after.completionRate).toBeCloseTo(logged.completionRate!, 6);
    expect(logged.plan.blocks.find((b) => b.id === sci.id)?.status).toBe('done');
    const cmp = await s.call('planner.compare', { planId: plan.id });
    expect(cmp.done).toBe(1);
    expect(cmp.rows.find((r) => r.blockId === sci.id)).toMatchObject({ outcome: 'done', observedStartUtc: sci.startUtc });
  });

  it('re-plans after an hour of clouds: done blocks stay, nothing new before "now"', async () => {
    const done = (await s.call('planner.get', { planId: plan.id })).blocks.filter((b) => b.status === 'done');
    const fromUtc = new Date(Date.parse(done[0].endUtc) + 3600_000).toISOString();
    const again = await s.call('planner.replan', { planId: plan.id, fromUtc });
    for (const b of done) expect(again.blocks).toContainEqual(b);
    for (const b of again.blocks.filter((x) => x.status === 'planned')) {
      expect(Date.parse(b.startUtc)).toBeGreaterThanOrEqual(Date.parse(fromUtc) - 1);
      expect(feasibleAtEnds(b), `${b.kind} ${b.name}`).toEqual([1, 1]);
    }
    expect(again.fromUtc.slice(0, 16)).toBe(fromUtc.slice(0, 16));
  });

  it('refuses a move that breaks a constraint with its reason, and takes it when forced', async () => {
    const current = await s.call('planner.get', { planId: plan.id });
    const sci = current.blocks.find((b) => b.kind === 'SCI' && b.status === 'planned');
    expect(sci, 'a planned science block to move').toBeDefined();
    const startUtc = current.windowStartUtc;
    const refused = await s.call('planner.override', { planId: plan.id, action: 'move', sequenceId: sci!.sequenceId, startUtc: current.events.sunsetUtc! });
    expect(refused.isApplied).toBe(false);
    expect(refused.violations.join(' ')).toMatch(/outside the night|not observable/);
    expect(refused.plan.blocks).toEqual(current.blocks);
    const forced = await s.call('planner.override', { planId: plan.id, action: 'move', sequenceId: sci!.sequenceId, startUtc: current.events.sunsetUtc!, force: true });
    expect(forced.isApplied).toBe(true);
    const moved = forced.plan.blocks.filter((b) => b.sequenceId === sci!.sequenceId);
    expect(moved.every((b) => b.isPinned && b.violations.length > 0)).toBe(true);
    expect(startUtc).toBeTruthy();
  });

  it('skips a target: gone from the plan, listed with the reason', async () => {
    const current = await s.call('planner.get', { planId: plan.id });
    const sci = current.blocks.filter((b) => b.kind === 'SCI' && b.status === 'planned' && !b.isPinned).pop();
    expect(sci).toBeDefined();
    const r = await s.call('planner.override', { planId: plan.id, action: 'skip', sequenceId: sci!.sequenceId });
    expect(r.plan.blocks.some((b) => b.sequenceId === sci!.sequenceId && b.status === 'planned')).toBe(false);
    expect(r.plan.leftOut).toContainEqual(expect.objectContaining({ key: sci!.sequenceId, reason: 'skipped by the observer' }));
  });

  it('saves, renames and lists plans of the night', async () => {
    await s.call('planner.savePlan', { planId: plan.id, name: 'May 15 survey strip' });
    const list = await s.call('planner.listPlans', { night: NIGHT });
    expect(list[0]).toMatchObject({ id: plan.id, name: 'May 15 survey strip', doneBlocks: 1 });
    expect((await s.call('planner.latest', { night: NIGHT }))?.id).toBe(plan.id);
  });

  it('reads a saved plan back in another session as it was, its save logged by column without the document', async () => {
    const replanned = await s.call('planner.replan', { planId: plan.id, fromUtc: new Date(Date.parse(plan.windowStartUtc) + 3 * 3600_000).toISOString() });
    const other = createServices({ paths: resolvePaths(dir), transport: 'cli' });
    try {
      const read = await other.call('planner.get', { planId: plan.id });
      expect(read.leftOut.length).toBeGreaterThan(100);
      expect(JSON.stringify(read.leftOut)).toBe(JSON.stringify(replanned.leftOut));
      expect(read.blocks).toEqual(replanned.blocks);
    } finally {
      await other.close();
    }
    const db = new Database(join(dir, STORE_FILE_NAME), { readonly: true });
    try {
      const change = db.prepare("select patch_json, before_json from change_log where entity = 'plans' and entity_id = ? order by seq desc limit 1").get(plan.id) as { patch_json: string; before_json: string | null };
      expect(change.before_json).toBeNull();
      const row = db.prepare('select blocks_json from plans where id = ?').get(plan.id) as { blocks_json: string };
      // The record names the document's columns and their lengths; the document is in the row only.
      expect((JSON.parse(change.patch_json) as Record<string, unknown>).blocks_json).toEqual({ length: row.blocks_json.length });
      expect(change.patch_json.length).toBeLessThan(100);
      // The left-out list (the bulk of the document) saved packed: well under the list as objects.
      const saved = JSON.parse(row.blocks_json) as Record<string, unknown>;
      expect(saved.leftOut).toBeUndefined();
      expect(JSON.stringify(saved.leftOutPacked).length).toBeLessThan(0.6 * JSON.stringify(replanned.leftOut).length);
      // Its own saves do not make the plan stale.
      expect(replanned.stale).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('a re-plan that gives the same document writes nothing; one that changes it writes the changed columns', async () => {
    const db = new Database(join(dir, STORE_FILE_NAME), { readonly: true });
    const changes = () =>
      db.prepare("select patch_json from change_log where entity = 'plans' and entity_id = ? order by seq").all(plan.id).map((r) => Object.keys(JSON.parse((r as { patch_json: string }).patch_json)));
    try {
      const fromUtc = new Date(Date.parse(plan.windowStartUtc) + 4 * 3600_000).toISOString();
      // With a done block and a pinned sequence before "now" (the tests above): the same plan each time.
      await s.call('planner.replan', { planId: plan.id, fromUtc });
      const before = changes();
      const again = await s.call('planner.replan', { planId: plan.id, fromUtc });
      expect(changes()).toEqual(before);
      expect((await s.call('planner.get', { planId: plan.id })).updatedAtMs).toBe(again.updatedAtMs);
      await s.call('planner.replan', { planId: plan.id, fromUtc: new Date(Date.parse(fromUtc) + 3600_000).toISOString() });
      const after = changes();
      expect(after.length).toBe(before.length + 1);
      expect(after[after.length - 1]).toEqual(['options_json', 'blocks_json']);
    } finally {
      db.close();
    }
  });

  it('rejects a bad night with a message naming the field', async () => {
    await expect(s.call('planner.plan', { night: '15/05/2026' })).rejects.toThrow(/night must be YYYY-MM-DD/);
  });
});
