/**
 * The renderer's queue store against real answers of the review service (temp store, real night
 * folder): whatever order the answers arrive in — the first `review.queue` answer late, after the
 * answer of the folder just added — the store keeps the newer queue. The revision comes from
 * the service's scans; a restarted service starts above the revisions of the one before.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices } from '../../../electron/services/registry';
import { QueueStore } from '../../../shared/review/queue-store';

const FIXTURES = join(import.meta.dirname, '../../fixtures/oifits');
const base = mkdtempSync(join(tmpdir(), 'review-queue-store-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('review queue store', () => {
  it('keeps the folder just added when the first queue answer arrives late', async () => {
    const root = join(base, 'SPICA');
    mkdirSync(join(root, 'Results', '2026-11-21'), { recursive: true });
    const f = join(root, 'Results', '2026-11-21', 'a.fits');
    copyFileSync(join(FIXTURES, 'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits'), f);
    chmodSync(f, 0o644);
    const dataDir = join(base, 'data');
    const services = createServices({ paths: resolvePaths(dataDir), transport: 'browser' });
    try {
      const first = services.call('review.queue', {});
      const added = services.call('review.addFolder', { root });
      const [firstAnswer, addedAnswer] = await Promise.all([first, added]);
      expect(firstAnswer.items).toHaveLength(0);
      expect(addedAnswer.items).toHaveLength(1);

      const store = new QueueStore();
      expect(store.offer(addedAnswer)).toBe(true);
      // The late first answer: refused, the added folder stays.
      expect(store.offer(firstAnswer)).toBe(false);
      expect(store.get()?.items).toHaveLength(1);
      expect(store.get()?.folders).toEqual([root]);
    } finally {
      await services.close();
    }
    const restarted = createServices({ paths: resolvePaths(dataDir), transport: 'browser' });
    try {
      const again = await restarted.call('review.queue', {});
      const store = new QueueStore();
      store.offer(again);
      expect(again.items).toHaveLength(1);
      expect(again.revision).toBeGreaterThan(0);
    } finally {
      await restarted.close();
    }
  });
});
