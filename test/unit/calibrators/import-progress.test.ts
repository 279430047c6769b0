/**
 * A large SearchCal import shows real progress (issue #11): in the app (browser transport) the
 * rows are written on the calibrator import worker, so "writing n/N" events reach listeners WHILE
 * the write runs and the main thread keeps running its timers; the result is the same as an
 * inline import (CLI).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import { bigSearchCal } from '../../fixtures/calibrators/big-searchcal';

const dirs: string[] = [];
const open: Services[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function services(transport: 'browser' | 'cli'): Services {
  const dir = mkdtempSync(join(tmpdir(), 'spica-calimport-'));
  dirs.push(dir);
  const s = createServices({ paths: resolvePaths(dir), transport });
  open.push(s);
  return s;
}

describe('catalogue import progress', () => {
  it('sends writing n/N events while the worker writes, and the main thread keeps ticking', async () => {
    const s = services('browser');
    const content = bigSearchCal(25);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    const events: Array<{ phase: string; done: number; total: number; ticks: number }> = [];
    s.on('calibrators.importProgress', (e) => events.push({ phase: e.phase, done: e.done, total: e.total, ticks }));
    let isFinished = false;
    const report = await s.call('calibrators.import', { kind: 'searchcal', content, fileName: 'big.scvot' }).finally(() => (isFinished = true));
    clearInterval(timer);
    expect(isFinished).toBe(true);
    const writing = events.filter((e) => e.phase === 'writing');
    const total = writing[0].total;
    expect(total).toBe(report.added);
    expect(total).toBeGreaterThan(5_000);
    const partial = writing.filter((e) => e.done > 0 && e.done < total);
    expect(partial.length).toBeGreaterThanOrEqual(10);
    // Counts only grow, and timers ran on the main thread between the first and last partial report.
    for (let i = 1; i < writing.length; i++) expect(writing[i].done).toBeGreaterThanOrEqual(writing[i - 1].done);
    expect(partial[partial.length - 1].ticks).toBeGreaterThan(partial[0].ticks);
    expect(events[events.length - 1]).toMatchObject({ phase: 'done', done: total, total });
    // The engine serves the new rows at once.
    const status = await s.call('calibrators.status', {});
    expect(status.importedRowCount).toBe(report.added);
  }, 180_000);

  it('reports the same as an inline (CLI) import, and a broken file is refused by the worker with the parser\'s message', async () => {
    const content = bigSearchCal(2);
    const a = await services('browser').call('calibrators.import', { kind: 'searchcal', content, fileName: 'two.scvot' });
    const b = await services('cli').call('calibrators.import', { kind: 'searchcal', content, fileName: 'two.scvot' });
    expect(a).toEqual(b);
    await expect(services('browser').call('calibrators.import', { kind: 'searchcal', content: '<VOTABLE><RESOURCE><TABLE><FIELD name="x"/></TABLE></RESOURCE></VOTABLE>', fileName: 'x.vot' })).rejects.toMatchObject({ code: 'invalid-input' });
  }, 120_000);
});
