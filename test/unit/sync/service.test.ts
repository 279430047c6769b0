/**
 * The sync service around the engine: the timer (on after a first sync, every period while online,
 * backing off while offline, never while the account needs signing in, never in the CLI), the
 * outbox surviving a restart, one sync at a time per data folder, and the environment pairs.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ME, startFake } from '../../sync/fixtures';
import type { JmmcFake } from '../../sync/jmmc-fake';
import { rowsOfPi, SyncSandbox, targetOf } from './helpers';

let box: SyncSandbox;
let fake: JmmcFake;
beforeEach(async () => {
  box = new SyncSandbox();
  fake = await startFake(40);
});
afterEach(async () => {
  await box.cleanup();
  await fake.close();
});

const inMs = (iso: string | null) => (iso === null ? null : Date.parse(iso) - Date.now());

describe('sync service', () => {
  it('defaults to the pre-production pair, pairs TAP with API, and refuses half a custom pair', async () => {
    const s = box.services();
    const st = await s.call('sync.status', {});
    expect(st.settings).toMatchObject({ env: 'preprod', tapUrl: 'https://tap-preprod.jmmc.fr/vollt/tap', apiUrl: 'https://oidb-beta.jmmc.fr/restxq/catalogs', catalog: 'spica' });
    expect(st).toMatchObject({ envLabel: 'JMMC pre-production', state: 'never', nextAutoSyncAt: null });
    const prod = await s.call('sync.configure', { env: 'prod' });
    expect(prod.settings).toMatchObject({ tapUrl: 'https://tap.jmmc.fr/vollt/tap', apiUrl: 'https://oidb.jmmc.fr/restxq/catalogs' });
    await expect(s.call('sync.configure', { env: 'prod', tapUrl: 'http://elsewhere/tap' })).rejects.toThrow(/go with env custom/);
    await expect(s.call('sync.configure', { env: 'custom', tapUrl: 'http://127.0.0.1:1/tap' })).rejects.toThrow(/custom environment needs both/);
  });

  it('runs on a timer once synced, backs off while offline, and stops while the account needs signing in', async () => {
    const dir = box.dir();
    const s = box.services(dir, 'browser');
    await s.call('sync.configure', { env: 'custom', tapUrl: fake.tapUrl, apiUrl: fake.apiUrl, login: ME.email, autoSyncMinutes: 30 });
    expect((await s.call('sync.status', {})).nextAutoSyncAt).toBeNull();
    await s.call('sync.run', { kind: 'pull' });
    const next = inMs((await s.call('sync.status', {})).nextAutoSyncAt) as number;
    expect(next).toBeGreaterThan(29 * 60_000);
    expect(next).toBeLessThanOrEqual(30 * 60_000);
    await fake.suspend();
    await s.call('sync.run', { kind: 'full' });
    const offline = await s.call('sync.status', {});
    expect(offline.state).toBe('offline');
    expect(inMs(offline.nextAutoSyncAt)).toBeLessThanOrEqual(60_000);
    await s.call('sync.run', { kind: 'full' });
    expect(inMs((await s.call('sync.status', {})).nextAutoSyncAt)).toBeGreaterThan(60_000);
    await fake.resume();
    const [id] = rowsOfPi(fake, 'PI_A');
    await s.call('sync.editTarget', { id: (await targetOf(s, id)).id, comments: 'needs a password' });
    await s.call('sync.run', { kind: 'full' });
    const stopped = await s.call('sync.status', {});
    expect(stopped).toMatchObject({ state: 'needs-sign-in', nextAutoSyncAt: null, pending: 1 });
    // The CLI never runs a timer.
    const cli = box.services(dir, 'cli');
    expect((await cli.call('sync.status', {})).nextAutoSyncAt).toBeNull();
  });

  it('keeps the outbox across a restart', async () => {
    const dir = box.dir();
    const s = await box.client(fake, ME, dir);
    await s.call('sync.run', { kind: 'pull' });
    const [id] = rowsOfPi(fake, 'PI_A');
    await s.call('sync.editTarget', { id: (await targetOf(s, id)).id, comments: 'survives a restart' });
    await s.close();
    const again = await box.client(fake, ME, dir);
    expect((await again.call('sync.status', {})).pending).toBe(1);
    await again.call('sync.run', { kind: 'full' });
    expect(fake.row('spica', id)?.comments).toBe('survives a restart');
  });

  it('runs one sync at a time per data folder, also across processes', async () => {
    const dir = box.dir();
    const s = await box.client(fake, null, dir);
    const [a, b] = await Promise.all([s.call('sync.run', { kind: 'pull' }), s.call('sync.run', { kind: 'pull' })]);
    expect(a.id).toBe(b.id);
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'sync.lock'), JSON.stringify({ pid: other.pid, host: hostname(), at: new Date().toISOString() }));
      await expect(s.call('sync.run', { kind: 'pull' })).rejects.toThrow(`another sync is running (pid ${other.pid}`);
    } finally {
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
    }
    // The owner died (kill -9): its lock is taken over.
    const r = await s.call('sync.run', { kind: 'pull' });
    expect(r.outcome).toBe('ok');
  });
});
