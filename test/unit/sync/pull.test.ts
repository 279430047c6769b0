/**
 * The pull against the JMMC stand-in: a full snapshot lands in one transaction (targets,
 * memberships, bases, reference tables), NULL sentinels stay NULL, OVERFLOW pages, completeness,
 * withdrawn rows, renamed tables and new columns.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFake } from '../../sync/fixtures';
import type { JmmcFake } from '../../sync/jmmc-fake';
import { SyncSandbox, targetOf } from './helpers';

let box: SyncSandbox;
let fake: JmmcFake;

beforeEach(async () => {
  box = new SyncSandbox();
  fake = await startFake(3000);
});
afterEach(async () => {
  await box.cleanup();
  await fake.close();
});

describe('pull', () => {
  it('pulls 3000 rows and the reference tables into the survey, complete', async () => {
    const s = await box.client(fake, null);
    const report = await s.call('sync.run', { kind: 'pull' });
    expect(report.errors).toEqual([]);
    expect(report.pull).toMatchObject({ rows: 3000, added: 3000, complete: true, serverCount: 3000 });
    expect(report.references.map((r) => [r.catalog, r.rows, r.complete, r.error])).toEqual([
      ['spica_calprim', 3, true, null],
      ['badcal', 2, true, null],
    ]);
    const { total } = await s.call('survey.list', { filter: {} });
    expect(total).toBe(3000);
    const status = await s.call('sync.status', {});
    expect(status).toMatchObject({ complete: true, rows: 3000, serverCount: 3000, pending: 0, conflicts: 0, rejected: 0 });
    const again = await s.call('sync.run', { kind: 'pull' });
    expect(again.pull).toMatchObject({ added: 0, updated: 0, unchanged: 3000 });
  });
});
