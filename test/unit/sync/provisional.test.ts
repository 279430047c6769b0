/**
 * Completion logged at the telescope is provisional: the observation's NSS increment goes to
 * `completion_provisional`, never to SPICA-DB's `completion_rate` (the QC's), ranks the target
 * while it is ahead, and gives way to the database's value once that moves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordObservation } from '../../../electron/db/repos/observations';
import { COMPLETION_INCREMENT, finalPriority } from '../../../shared/nss/rules';
import { startFake } from '../../sync/fixtures';
import type { JmmcFake } from '../../sync/jmmc-fake';
import { SyncSandbox, targetOf } from './helpers';

let box: SyncSandbox;
let fake: JmmcFake;

beforeEach(async () => {
  box = new SyncSandbox();
  fake = await startFake(50);
});
afterEach(async () => {
  await box.cleanup();
  await fake.close();
});

const observe = (s: Awaited<ReturnType<SyncSandbox['client']>>, targetId: string) =>
  recordObservation(s.store, { targetId, night: '2026-11-21', utStart: '2026-11-22T05:00:00Z', utEnd: '2026-11-22T05:40:00Z', outcome: 'done' });

describe('provisional completion', () => {
  it('ranks with the provisional value while SPICA-DB lags, never pushes it, and lets the database win once it moves', async () => {
    const row = fake.rows('spica').find((r) => (r.spica_mode === 'DLD' || r.spica_mode === 'IMA') && r.completion_rate === 0 && String(r.piname).includes('PI_A')) as Record<string, unknown>;
    const id = row.spicadb_id as number;
    const mode = row.spica_mode as 'DLD' | 'IMA';
    const step = COMPLETION_INCREMENT[mode];
    const rank = (c: number) => finalPriority({ completionRate: c, mode, piPriority: row.priority_pi as number });
    const s = await box.client(fake);
    await s.call('sync.run', { kind: 'pull' });
    const t = await targetOf(s, id);
    expect(t).toMatchObject({ completionRate: 0, finalPriority: rank(0) });
    expect(t.completionDatabase).toBeUndefined();

    expect(observe(s, t.id).completionRate).toBe(step);
    const after = await targetOf(s, id);
    expect(after).toMatchObject({ completionRate: step, completionDatabase: 0, finalPriority: rank(step) });
    expect(rank(step)).not.toBe(rank(0));
    expect(s.store.sqlite.prepare('select completion_rate, completion_provisional, completion_provisional_from from targets where id = ?').get(t.id)).toEqual({
      completion_rate: 0,
      completion_provisional: step,
      completion_provisional_from: 0,
    });
    // A sync neither pushes it nor loses it while SPICA-DB still says 0.
    const r = await s.call('sync.run', { kind: 'full' });
    expect(r.push?.requests).toBe(0);
    expect(fake.row('spica', id)?.completion_rate).toBe(0);
    expect((await targetOf(s, id)).completionRate).toBe(step);
    // A second observation adds to the provisional value.
    expect(observe(s, t.id).completionRate).toBeCloseTo(2 * step, 9);

    // The QC validates one observation: SPICA-DB moves and wins.
    fake.qcWrite('spica', id, step);
    await s.call('sync.run', { kind: 'pull' });
    const settled = await targetOf(s, id);
    expect(settled.completionRate).toBe(step);
    expect(settled.completionDatabase).toBeUndefined();
    expect(s.store.sqlite.prepare('select completion_provisional from targets where id = ?').get(t.id)).toEqual({ completion_provisional: null });
  });

  it('shows the database value once it is ahead of the provisional one', async () => {
    const row = fake.rows('spica').find((r) => r.spica_mode === 'IMA' && r.completion_rate === 0) as Record<string, unknown>;
    const s = await box.client(fake, null);
    await s.call('sync.run', { kind: 'pull' });
    const t = await targetOf(s, row.spicadb_id as number);
    observe(s, t.id);
    expect((await targetOf(s, row.spicadb_id as number)).completionRate).toBe(0.1);
    fake.qcWrite('spica', row.spicadb_id as number, 0.3);
    await s.call('sync.run', { kind: 'pull' });
    expect((await targetOf(s, row.spicadb_id as number)).completionRate).toBe(0.3);
  });
});
