/**
 * Issue #18, "a file that freezes the app", through the real review service (real store, real
 * worker threads): the looping file of the issue, /dev/zero, a FIFO, a folder and a non-FITS file
 * each end in a one-line input error while the services keep answering; a watched night folder
 * holding such files is scanned, saved, and scanned again after a restart without hanging; a job
 * over its time budget is ended with a clear error and the next job runs on a fresh worker.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import { copySample, failure, fifo, loopingFits, negativeGcountFits, SECRET, secretFile } from './hostile';

let dir: string;
let services: Services;
const open = (path: string) => services.call('review.open', { path });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'review-hostile-'));
  services = createServices({ paths: resolvePaths(join(dir, 'data')), transport: 'browser' });
});
afterAll(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hostile files through the review service', () => {
  it('the negative-PCOUNT file that looped for ever gives an input error naming the HDU, byte and keyword', async () => {
    const path = loopingFits(join(dir, 'loop.fits'));
    const [err, info] = await Promise.all([failure(open(path)), services.call('app.info', {})]);
    expect(info.transport).toBe('browser');
    expect(err.code).toBe('invalid-input');
    expect(err.message).toMatch(/loop\.fits: HDU 1 at byte 2880: PCOUNT = -\d+ is negative/);
    const inspect = await failure(services.call('review.inspect', { path }));
    expect(inspect.message).toContain('PCOUNT');
  });

  it('`companion oifits inspect` of the looping file ends with one line and exit code 2', async () => {
    const path = loopingFits(join(dir, 'loop-cli.fits'));
    const err: string[] = [];
    const code = await main(['oifits', 'inspect', path], { out: () => undefined, err: (t) => void err.push(t) });
    expect(code).toBe(2);
    expect(err).toEqual([`companion oifits inspect: ${path}: HDU 1 at byte 2880: PCOUNT = -5926 is negative`]);
  });

  it('a negative GCOUNT gives an input error too', async () => {
    const err = await failure(open(negativeGcountFits(join(dir, 'gcount.fits'))));
    expect(err.message).toMatch(/HDU 1 at byte 2880: GCOUNT = -1 is negative/);
  });

  it('reads only regular files: /dev/zero, a FIFO and a folder are refused at once, by what they are', async () => {
    const pipe = fifo(join(dir, 'pipe.fits'));
    const results = await Promise.all([failure(open('/dev/zero')), failure(open(pipe)), failure(open(dir))]);
    expect(results.map((r) => r.code)).toEqual(['invalid-input', 'invalid-input', 'invalid-input']);
    expect(results[0].message).toBe('/dev/zero: is a device, not a regular file');
    expect(results[1].message).toBe(`${pipe}: is a named pipe (FIFO), not a regular file`);
    expect(results[2].message).toBe(`${dir}: is a folder, not a regular file`);
    expect((await failure(open(join(dir, 'missing.fits')))).code).toBe('not-found');
  });

  it('never echoes the bytes of a file that is not FITS', async () => {
    const path = secretFile(join(dir, 'shadow'));
    for (const method of ['review.open', 'review.inspect', 'review.findings'] as const) {
      const err = await failure(services.call(method, { path }));
      expect(err.message).toBe(`${path}: HDU 0 at byte 0: not a FITS file (it does not start with a SIMPLE card)`);
      expect(err.message).not.toContain(SECRET.slice(0, 12));
    }
    const etc = await failure(services.call('review.inspect', { path: '/etc/passwd' }));
    expect(etc.message).not.toMatch(/root|:x:|bin/);
  });

  it('ends a job over its time budget with a clear error, then reads the next file on a fresh worker', async () => {
    const good = copySample('OITOOLSjl__rho_Cas_example.oifits', dir);
    process.env.SPICA_OIFITS_TIME_LIMIT_MS = '1';
    let err;
    try {
      err = await failure(open(good));
    } finally {
      delete process.env.SPICA_OIFITS_TIME_LIMIT_MS;
    }
    expect(err.code).toBe('invalid-input');
    expect(err.message).toBe(`${good}: reading took longer than 1 ms and was stopped (the file is too large for the budget, corrupt, or hostile)`);
    const opened = await open(good);
    expect(opened.summary.targets).toContain('rho Cas');
  });

  it('a watched folder of hostile files is scanned before it is saved, and again after a restart, without hanging', async () => {
    const root = join(dir, 'SPICA');
    const night = join(root, 'Results', '2026-11-21');
    mkdirSync(night, { recursive: true });
    loopingFits(join(night, 'a_loop.fits'));
    negativeGcountFits(join(night, 'b_gcount.fits'));
    secretFile(join(night, 'c_text.fits'));
    fifo(join(night, 'd_pipe.fits'));
    copySample('ROTIRjl__SU_Lyn.oifits', night);
    const q = await services.call('review.addFolder', { root });
    expect(q.folders).toContain(root);
    const byName = new Map(q.items.map((i) => [i.fileName, i]));
    // A FIFO is not a regular file: the scan does not even list it.
    expect([...byName.keys()].sort()).toEqual(['ROTIRjl__SU_Lyn.oifits', 'a_loop.fits', 'b_gcount.fits', 'c_text.fits']);
    expect(byName.get('a_loop.fits')?.readError).toMatch(/PCOUNT = -\d+ is negative/);
    expect(byName.get('b_gcount.fits')?.readError).toMatch(/GCOUNT = -1 is negative/);
    expect(byName.get('c_text.fits')?.readError).toMatch(/not a FITS file/);
    expect(byName.get('ROTIRjl__SU_Lyn.oifits')?.readError).toBeNull();

    // Restart on the same store: the stored folder is scanned again at the first queue call.
    await services.close();
    services = createServices({ paths: resolvePaths(join(dir, 'data')), transport: 'browser' });
    const again = await services.call('review.queue', {});
    expect(again.items.find((i) => i.fileName === 'a_loop.fits')?.readError).toMatch(/PCOUNT/);
    expect((await services.call('app.info', {})).transport).toBe('browser');
  });
});
