/**
 * The planner and the Calibrators service on one real store (temp SQLite file, real migrations,
 * the demo survey): every calibrator of a plan is a star the Calibrators service accepts for that
 * target (its own `calibrators.propose`, what the Calibrators screen shows); a star marked bad is
 * never in the next plan and makes the current plan stale (API and event); another process's
 * write makes it stale too; the unvetted option marks its stars; a deleted target is flagged in
 * the plan view; the model's V² reaches the block view, and a model set since is the one the
 * next plan uses (the service's resolved models follow the store).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';
import type { PlanView } from '../../../shared/planner/api-types';

const NIGHT = '2026-05-15';
const CONFIG = { stations: ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'] as Array<'S1' | 'S2' | 'E1' | 'E2' | 'W1' | 'W2'> };

let dir: string;
let s: Services;
let plan: PlanView;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spica-planner-cal-'));
  s = createServices({ paths: resolvePaths(dir), transport: 'cli' });
  await s.call('survey.demo.generate', { count: 600 });
  plan = await s.call('planner.plan', { night: NIGHT, config: CONFIG });
}, 300_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the Calibrators service says of `starKey` as a calibrator of `targetId` tonight. */
async function verdict(targetId: string, starKey: string): Promise<'accepted' | 'rejected' | 'absent'> {
  const p = await s.call('calibrators.propose', { targetId, night: NIGHT, stations: CONFIG.stations, maxRejected: 100000 });
  if (p.candidates.some((c) => c.key === starKey)) return 'accepted';
  if (p.rejected.some((r) => r.key === starKey)) return 'rejected';
  return 'absent';
}

describe('planner × Calibrators service', () => {
  it('plans only calibrators the Calibrators service accepts for the targets they bracket', async () => {
    const cals = plan.blocks.filter((b) => b.kind === 'CAL');
    expect(cals.length).toBeGreaterThan(2);
    for (const b of cals) {
      expect(b.isVetted, `${b.name} vetted`).not.toBe(false);
      const sci = plan.blocks.filter((x) => x.kind === 'SCI' && x.calibrators.includes(b.name));
      expect(sci.length, `${b.name} brackets a science block`).toBeGreaterThan(0);
      for (const x of sci) expect(await verdict(x.starKey, b.starKey), `${b.name} for ${x.name}`).toBe('accepted');
    }
    expect(plan.blocks.filter((b) => b.kind === 'SCI').every((b) => ['assigned', 'proposed', 'assigned+proposed'].includes(b.calibratorSource))).toBe(true);
    expect(plan.stale).toEqual([]);
  });

  it('a star marked bad makes the plan stale (API and event) and is never in the next plan', async () => {
    const victim = plan.blocks.find((b) => b.kind === 'CAL')!;
    const events: Array<{ planId: string; reasons: string[] }> = [];
    const off = s.on('planner.stale', (e) => events.push(e));
    await s.call('calibrators.markBad', { name: victim.name, reason: 'test: binary seen in the fringes', night: NIGHT });
    off();
    const stale = await s.call('planner.get', { planId: plan.id });
    expect(stale.stale?.join(' ')).toMatch(/calibrators changed .*bad calibrators/);
    expect(events.some((e) => e.planId === plan.id)).toBe(true);
    // The accepted list no longer has it, and the re-plan (rebuilt because stale) does not use it.
    const sci = plan.blocks.find((b) => b.kind === 'SCI' && b.calibrators.includes(victim.name))!;
    expect(await verdict(sci.starKey, victim.starKey)).toBe('rejected');
    const again = await s.call('planner.replan', { planId: plan.id, fromUtc: plan.windowStartUtc });
    expect(again.stale).toEqual([]);
    expect(again.blocks.some((b) => b.starKey === victim.starKey)).toBe(false);
    const fresh = await s.call('planner.plan', { night: NIGHT, config: CONFIG });
    expect(fresh.blocks.some((b) => b.starKey === victim.starKey)).toBe(false);
    plan = fresh;
  });

  it('a write by another process sharing the store makes the plan stale', async () => {
    const other = createServices({ paths: resolvePaths(dir), transport: 'cli' });
    try {
      const sci = plan.blocks.find((b) => b.kind === 'SCI')!;
      await other.call('survey.targets.delete', { ids: [sci.starKey] });
    } finally {
      await other.close();
    }
    s.store.refresh();
    const view = await s.call('planner.get', { planId: plan.id });
    expect(view.stale?.length).toBeGreaterThan(0);
  });

  it('says which blocks belong to a target deleted from the survey since', async () => {
    const view = await s.call('planner.get', { planId: plan.id });
    const removed = view.blocks.filter((b) => b.targetRemoved);
    const live = new Set((await s.call('survey.list', { filter: {} })).rows.map((r) => r.id));
    for (const b of view.blocks) expect(Boolean(b.targetRemoved), b.name).toBe(!live.has(b.sequenceId));
    expect(removed.length).toBeGreaterThan(0);
  });

  it('a change of the calibrator policy or of the V² bounds makes the plan stale; a re-plan is current again', async () => {
    const current = await s.call('planner.plan', { night: NIGHT, config: CONFIG });
    expect(current.stale).toEqual([]);
    const events: Array<{ planId: string; reasons: string[] }> = [];
    const off = s.on('planner.stale', (e) => events.push(e));
    await s.call('calibrators.policy.set', { patch: { radiusDeg: 8 } });
    expect((await s.call('planner.get', { planId: current.id })).stale?.join(' ')).toMatch(/calibrator policy/);
    expect(events.some((e) => e.planId === current.id)).toBe(true);
    const again = await s.call('planner.replan', { planId: current.id, fromUtc: current.windowStartUtc });
    expect(again.stale).toEqual([]);
    await s.call('settings.set', { key: 'models.vis2Bounds', value: { vis2Min: 0.2, vis2Max: 0.9 } });
    expect((await s.call('planner.get', { planId: current.id })).stale?.join(' ')).toMatch(/V² bounds/);
    off();
    await s.call('calibrators.policy.set', { reset: true });
  });

  it('with the unvetted option, a target lacking vetted calibrators gets clearly marked stars; without it, none', async () => {
    const loose = await s.call('planner.plan', { night: NIGHT, config: CONFIG, options: { allowUnvetted: true, modelPolicy: 'off' } });
    const unvetted = loose.blocks.filter((b) => b.kind === 'CAL' && b.isVetted === false);
    for (const b of unvetted) {
      const sci = loose.blocks.filter((x) => x.kind === 'SCI' && x.calibrators.includes(b.name));
      for (const x of sci) expect(await verdict(x.starKey, b.starKey)).not.toBe('accepted');
      expect(sci.every((x) => x.calibratorSource === 'unvetted')).toBe(true);
    }
    const strict = await s.call('planner.plan', { night: NIGHT, config: CONFIG });
    expect(strict.blocks.some((b) => b.isVetted === false)).toBe(false);
    const noVetted = (p: PlanView) => p.leftOut.filter((l) => l.code === 'no-vetted-calibrator');
    expect(noVetted(strict).length).toBeGreaterThan(0);
    expect(noVetted(strict).every((l) => l.reason.startsWith('no vetted calibrator'))).toBe(true);
    // Asked for, the rejected stars stand in (marked), so fewer targets lack calibrators.
    expect(noVetted(loose).length).toBeLessThan(noVetted(strict).length);
  });

  it('shows the predicted V² of the model on science blocks and states the objective', async () => {
    const view = await s.call('planner.plan', { night: NIGHT, config: CONFIG, options: { allowUnvetted: false, modelPolicy: 'prefer' } });
    const sci = view.blocks.filter((b) => b.kind === 'SCI');
    expect(sci.some((b) => b.vis2 && b.vis2.baselines === 15 && b.vis2.vis2Max <= 1 && b.vis2.fractionWithin >= 0)).toBe(true);
    expect(view.objective).toMatch(/final priority first/);
    expect(view.order).toHaveLength(sci.length);
    expect(view.summary).toMatchObject({ science: sci.length });
    expect(view.summary!.bound!).toBeGreaterThanOrEqual(view.summary!.value - 1e-6);
  });

  it('a model set on a target after a plan is the one the next plan uses (the resolved models follow the store)', async () => {
    const view = await s.call('planner.plan', { night: NIGHT, config: CONFIG, options: { allowUnvetted: false, modelPolicy: 'prefer' } });
    const block = view.blocks.find((b) => b.kind === 'SCI' && b.vis2 && !/local/.test(b.vis2.modelNote))!;
    expect(block).toBeDefined();
    // Pinned, so the re-plan after the change keeps the block and shows its V² with the new model.
    await s.call('planner.override', { planId: view.id, action: 'pin', sequenceId: block.sequenceId });
    await s.call('models.set', { targetId: block.sequenceId, model: '[{"type":"disk","diameter":3.0}]' });
    const again = await s.call('planner.replan', { planId: view.id, fromUtc: view.windowStartUtc });
    const after = again.blocks.find((b) => b.id === block.id)!;
    expect(after.vis2!.modelNote).toMatch(/local/);
    // A 3 mas disk is resolved on every CHARA baseline at 0.75 µm: V² far below the fallback's.
    expect(after.vis2!.vis2Max).toBeLessThan(block.vis2!.vis2Max);
  });
});
