/**
 * coord.pointAt.sky from a peer sweeping the sky: each position is matched to the nearest survey
 * target, a burst is thinned to the latest position per interval (the UI follows the last one),
 * and the target positions are read again after the survey changes. Real store, real migrations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { separationArcsec } from '../../../electron/db/repos/targets';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import { PointAtRelay, type PointedTarget } from '../../../electron/services/samp/received';

describe('PointAtRelay', () => {
  let dir: string;
  let services: Services;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'samp-point-'));
    services = createServices({ paths: resolvePaths(dir), transport: 'cli' });
    await services.call('survey.demo.generate', { seed: 3, count: 60 });
  }, 60_000);
  afterAll(async () => {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('announces the latest position of a burst at once, then at most one per interval, each with its nearest target', async () => {
    const { rows } = await services.call('survey.list', { filter: {} });
    const emitted: PointedTarget[] = [];
    const relay = new PointAtRelay(services.store, (p) => emitted.push(p), 200);
    try {
      for (let i = 0; i < 50; i++) relay.push({ raDeg: rows[i].raDeg, decDeg: rows[i].decDeg, senderName: 'sweeper' });
      await new Promise((r) => setTimeout(r, 20));
      expect(emitted.map((p) => p.nearestTargetId)).toEqual([rows[49].id]);
      relay.push({ raDeg: rows[1].raDeg, decDeg: rows[1].decDeg + 0.001, senderName: 'sweeper' });
      relay.push({ raDeg: rows[2].raDeg + 0.001, decDeg: rows[2].decDeg, senderName: 'sweeper' });
      await new Promise((r) => setTimeout(r, 400));
      expect(emitted).toHaveLength(2);
      const last = emitted[1];
      expect(last.nearestTargetId).toBe(rows[2].id);
      expect(last.separationArcsec).toBeCloseTo(separationArcsec(rows[2].raDeg + 0.001, rows[2].decDeg, rows[2].raDeg, rows[2].decDeg), 6);
      // Brute force over the survey agrees on the nearest target.
      const brute = rows.reduce((best, r) => (separationArcsec(last.raDeg, last.decDeg, r.raDeg, r.decDeg) < separationArcsec(last.raDeg, last.decDeg, best.raDeg, best.decDeg) ? r : best));
      expect(brute.id).toBe(rows[2].id);

      // Targets removed from the survey are not offered any more.
      await services.call('survey.demo.remove', {});
      await new Promise((r) => setTimeout(r, 250));
      relay.push({ raDeg: rows[2].raDeg, decDeg: rows[2].decDeg, senderName: 'sweeper' });
      await new Promise((r) => setTimeout(r, 50));
      expect(emitted.at(-1)).toMatchObject({ nearestTargetId: null, separationArcsec: null });
    } finally {
      relay.dispose();
    }
  });
});
