/**
 * The OIFITS worker pool on its own: a job over its budget ends its worker with a one-line error
 * and the next job runs on a fresh one; urgent jobs overtake a queued folder scan; closing fails
 * what is still queued.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OifitsWorkerPool } from '../../../electron/services/review/oifits-pool';
import { FIXTURES } from './hostile';

const BIG = join(FIXTURES, 'OITOOLSjl__rho_Cas_example.oifits');
const SMALL = join(FIXTURES, 'oifitslib__bad_checksum.fits');

describe('OIFITS worker pool', () => {
  it('ends a job over its budget and runs the next one on a fresh worker', async () => {
    const pool = new OifitsWorkerPool({ timeLimitMs: (job) => (job.path === BIG ? 1 : 30_000) });
    try {
      await expect(pool.run({ kind: 'summary', path: BIG, withPlot: true })).rejects.toMatchObject({
        code: 'invalid-input',
        message: `${BIG}: reading took longer than 1 ms and was stopped (the file is too large for the budget, corrupt, or hostile)`,
      });
      const next = await pool.run({ kind: 'facts', path: SMALL });
      expect(next.readError).toBeNull();
      expect(next.targets.length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });

  it('puts urgent jobs ahead of queued scan jobs', async () => {
    const pool = new OifitsWorkerPool();
    try {
      const order: string[] = [];
      const scans = Array.from({ length: 8 }, (_, i) => pool.run({ kind: 'facts', path: BIG }).then(() => order.push(`scan ${i}`)));
      const open = pool.run({ kind: 'summary', path: SMALL, withPlot: false }, { urgent: true }).then(() => order.push('open'));
      await Promise.all([...scans, open]);
      // The worker was still starting when everything was queued: the urgent job goes first.
      expect(order[0]).toBe('open');
    } finally {
      await pool.close();
    }
  });

  it('fails queued jobs when closed', async () => {
    const pool = new OifitsWorkerPool();
    const queued = pool.run({ kind: 'facts', path: SMALL }).catch((e: unknown) => e);
    await pool.close();
    expect(await queued).toMatchObject({ code: 'unavailable' });
    await expect(pool.run({ kind: 'facts', path: SMALL })).rejects.toMatchObject({ code: 'unavailable' });
  });
});
