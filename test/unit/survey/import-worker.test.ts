/**
 * Imports in the app and browser mode run in a worker thread: "Writing n/N" progress events reach
 * listeners while the write runs (the main thread stays free to answer), a cancel rolls the whole
 * import back, and the main store's caches see the worker's commit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, count } from './helpers';

const box = new Sandbox();
afterEach(() => box.cleanup());

function bigCsv(n: number): string {
  const lines = ['name,ra_deg,dec_deg,vmag,progname,piname,priority_pi'];
  for (let i = 0; i < n; i++) lines.push(`W ${i},${((i * 0.02) % 360).toFixed(5)},${(-20 + (i % 90)).toFixed(3)},7,S0${(i % 8) + 1},PI ${i % 5},${i % 2}`);
  return `${lines.join('\n')}\n`;
}

describe('import worker', () => {
  it('sends "writing n/N" progress while the write runs, and the main thread keeps answering', async () => {
    const s = box.services(box.dir(), 'browser');
    const progress: Array<{ phase: string; done: number; total: number; at: number }> = [];
    s.on('survey.importProgress', (p) => progress.push({ ...p, at: Date.now() }));
    const answeredAt: number[] = [];
    let isDone = false;
    const pending = s.call('survey.import', { fileName: 'big.csv', content: bigCsv(6000) }).finally(() => (isDone = true));
    // While the worker writes, the main thread serves other calls.
    while (!isDone) {
      await s.call('survey.list', { filter: {} });
      answeredAt.push(Date.now());
      await new Promise((r) => setTimeout(r, 10));
    }
    const report = await pending;
    expect(report).toMatchObject({ added: 6000, skipped: [] });
    const writing = progress.filter((p) => p.phase === 'writing');
    expect(writing[0]).toMatchObject({ done: 0, total: 6000 });
    expect(writing.filter((p) => p.done > 0 && p.done < 6000).length).toBeGreaterThan(10);
    expect(writing.map((p) => p.done)).toEqual([...writing.map((p) => p.done)].sort((a, b) => a - b));
    const firstWrite = writing.find((p) => p.done > 0)?.at as number;
    const lastWrite = writing.filter((p) => p.done < 6000).at(-1)?.at as number;
    expect(answeredAt.some((t) => t >= firstWrite && t <= lastWrite)).toBe(true);
    expect((await s.call('survey.list', { filter: {} })).total).toBe(6000);
  }, 120_000);

  it('cancels: the transaction rolls back and the survey is unchanged', async () => {
    const s = box.services(box.dir(), 'browser');
    await s.call('survey.import', { fileName: 'a.vot', content: (await import('./helpers')).read('Aspro2_exported_targets.vot') });
    const before = count(s.store.sqlite, 'select count(*) n from change_log');
    let cancelled = false;
    s.on('survey.importProgress', (p) => {
      if (!cancelled && p.phase === 'writing' && p.done >= 1000) {
        cancelled = true;
        void s.call('survey.import.cancel', {});
      }
    });
    await expect(s.call('survey.import', { fileName: 'big.csv', content: bigCsv(8000) })).rejects.toThrow('import cancelled: the survey is unchanged');
    expect(cancelled).toBe(true);
    expect(count(s.store.sqlite, 'select count(*) n from change_log')).toBe(before);
    expect((await s.call('survey.list', { filter: {} })).total).toBe(3);
    expect(await s.call('survey.batches.list', { kinds: ['import'] })).toHaveLength(1);
  }, 120_000);
});
