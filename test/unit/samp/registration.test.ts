/**
 * The client knows whether it is registered: a hub that forgets it (without telling it) is noticed
 * through a keyed call and the client registers again with the same metadata and subscriptions;
 * a send refused for an unknown private key triggers that at once. And the embedded hub fails
 * once, clearly, when its lockfile cannot be written, leaving no listening socket behind.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SampBridge } from '../../../electron/samp/bridge';
import { SampClient } from '../../../electron/samp/client';
import { LockfileError, SampHub } from '../../../electron/samp/hub';
import { message } from '../../../electron/samp/values';
import { xmlRpcCall } from '../../../electron/samp/xmlrpc-http';

const dirs: string[] = [];
const hubs: SampHub[] = [];
const clients: SampClient[] = [];
const bridges: SampBridge[] = [];

function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'samp-reg-'));
  dirs.push(d);
  return d;
}

async function startHub(): Promise<{ hub: SampHub; env: NodeJS.ProcessEnv }> {
  const lockPath = path.join(tempDir(), 'lockfile');
  const hub = new SampHub({ lock: { kind: 'file', path: lockPath } });
  await hub.start();
  hubs.push(hub);
  return { hub, env: { SAMP_HUB: `std-lockurl:file://${lockPath}` } };
}

function client(env: NodeJS.ProcessEnv, name: string, handlers: ConstructorParameters<typeof SampClient>[0]['handlers'] = {}): SampClient {
  const c = new SampClient({ env, metadata: { 'samp.name': name, 'samp.description.text': `${name} under test` }, handlers, hubTimeoutMs: 5000 });
  clients.push(c);
  return c;
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Listening TCP servers of this process. */
const tcpServers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

/** The hub forgets `c` without telling it, as a hub that dropped it by mistake would. */
async function forgetBehindItsBack(hub: SampHub, c: SampClient): Promise<string> {
  const reg = c.registration;
  if (!reg) throw new Error('not registered');
  await xmlRpcCall(hub.url, 'samp.hub.unregister', [reg.privateKey], { timeoutMs: 5000 });
  expect(hub.clientIds()).not.toContain(reg.selfId);
  return reg.selfId;
}

afterEach(async () => {
  for (const b of bridges.splice(0)) await b.stop();
  for (const c of clients.splice(0)) await c.close();
  for (const h of hubs.splice(0)) await h.stop();
});
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('client registration', () => {
  it('notices that the hub forgot it and registers again within seconds, with the same metadata and subscriptions', async () => {
    const { hub, env } = await startHub();
    const app = client(env, 'App', { 'test.echo': (m) => ({ echo: String(m.params.text) }) });
    const states: string[] = [];
    app.on('connected', () => states.push('connected'));
    app.on('disconnected', (why: string) => states.push(`disconnected: ${why}`));
    app.autoConnect(300);
    await waitFor(() => app.connected, 10_000, 'the first registration');
    const before = { metadata: hub.metadataOf(app.registration?.selfId ?? ''), subscriptions: await subscriptionsOf(hub, app) };

    const oldId = await forgetBehindItsBack(hub, app);
    const forgotAt = Date.now();
    await waitFor(() => states.length === 3 && app.registration?.selfId !== oldId, 10_000, 'a new registration');
    const took = Date.now() - forgotAt;
    expect(took).toBeLessThan(10_000);
    expect(states).toEqual(['connected', expect.stringMatching(/^disconnected: the hub no longer knows this client \(.*unknown private key.*\); registering again$/), 'connected']);
    const newId = app.registration?.selfId as string;
    expect(hub.metadataOf(newId)).toEqual(before.metadata);
    expect(await subscriptionsOf(hub, app)).toEqual(before.subscriptions);

    const other = client(env, 'Other');
    await other.connect();
    const r = await other.call(newId, message('test.echo', { text: 'still here' }), 5000);
    expect(r['samp.result']).toEqual({ echo: 'still here' });
  }, 30_000);

  it('re-registers at once when a send is refused for an unknown private key', async () => {
    const { hub, env } = await startHub();
    const peer = client(env, 'Peer', { 'test.ping': () => undefined });
    await peer.connect();
    const app = client(env, 'App');
    app.autoConnect(120_000); // the periodic check alone would take two minutes
    await waitFor(() => app.connected && app.peersNamed('Peer').length === 1, 10_000, 'registration');
    const oldId = await forgetBehindItsBack(hub, app);
    await expect(app.notify(peer.registration?.selfId as string, message('test.ping'))).rejects.toThrow(/unknown private key/);
    await waitFor(() => app.connected && app.registration?.selfId !== oldId, 10_000, 'the re-registration');
    await app.notify(peer.registration?.selfId as string, message('test.ping'));
  }, 30_000);
});

async function subscriptionsOf(hub: SampHub, c: SampClient): Promise<unknown> {
  const reg = c.registration;
  if (!reg) throw new Error('not registered');
  return xmlRpcCall(hub.url, 'samp.hub.getSubscriptions', [reg.privateKey, reg.selfId], { timeoutMs: 5000 });
}

describe('embedded hub: a lockfile it cannot write', () => {
  it('fails with a clear error and closes its socket when SAMP_HUB names a directory or a missing folder', async () => {
    const dir = tempDir();
    const asDir = path.join(dir, 'lockdir');
    mkdirSync(asDir);
    const servers = tcpServers();
    await expect(new SampHub({ lock: { kind: 'file', path: asDir } }).start()).rejects.toThrow(new LockfileError(`the SAMP lockfile ${asDir} is a directory (check SAMP_HUB)`));
    const missing = path.join(dir, 'no', 'such', 'lockfile');
    await expect(new SampHub({ lock: { kind: 'file', path: missing } }).start()).rejects.toThrow(
      new LockfileError(`cannot create the SAMP lockfile ${missing}: its folder does not exist (check SAMP_HUB)`),
    );
    expect(tcpServers()).toBeLessThanOrEqual(servers);
  });

  it('the app tries once, reports it in its status, and leaks no socket while it keeps looking for a hub', async () => {
    const dir = tempDir();
    const asDir = path.join(dir, 'lockdir');
    mkdirSync(asDir);
    const bridge = new SampBridge({ env: { SAMP_HUB: `std-lockurl:file://${asDir}` }, embeddedHub: true, downloadDir: dir, reconnectIntervalMs: 100 });
    bridges.push(bridge);
    const failures: string[] = [];
    bridge.on('log', (t: string) => t.startsWith('could not start the embedded SAMP hub') && failures.push(t));
    await bridge.start(); // our callback server: one listening socket
    await waitFor(() => bridge.status().hubError !== null, 10_000, 'the hub error');
    const settled = tcpServers();
    await new Promise((r) => setTimeout(r, 1500)); // fifteen more reconnect ticks
    expect(tcpServers()).toBe(settled);
    expect(failures).toEqual([`could not start the embedded SAMP hub: the SAMP lockfile ${asDir} is a directory (check SAMP_HUB)`]);
    expect(bridge.status()).toMatchObject({ connected: false, hubError: failures[0] });
    await bridge.stop();
    await waitFor(() => tcpServers() === settled - 1, 5000, 'the callback server to close');
  }, 30_000);
});
