/**
 * How the embedded hub delivers under load, over real loopback HTTP: a bounded number of
 * callbacks open per recipient with senders held back (back-pressure), a slow recipient kept
 * registered, an unreachable one unregistered with the others told, a full queue refused with a
 * fault instead of dropping the recipient, and a 6 MB message decoded off the thread that keeps
 * answering pings. Recipients here are bare XML-RPC servers registered by hand, so each can be
 * made exactly as slow or as absent as the case needs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SampClient } from '../../../electron/samp/client';
import { codecStats } from '../../../electron/samp/codec-pool';
import { SampHub, type HubOptions } from '../../../electron/samp/hub';
import { SampFault, message, type SampMap, type SampValue } from '../../../electron/samp/values';
import { encodeCall } from '../../../electron/samp/xmlrpc-encode';
import { serveXmlRpc, xmlRpcCall, type XmlRpcServer } from '../../../electron/samp/xmlrpc-http';

const dirs: string[] = [];
const hubs: SampHub[] = [];
const servers: XmlRpcServer[] = [];
const clients: SampClient[] = [];

async function startHub(opts: Partial<HubOptions> = {}): Promise<{ hub: SampHub; env: NodeJS.ProcessEnv }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'samp-delivery-'));
  dirs.push(dir);
  const lockPath = path.join(dir, 'lockfile');
  const hub = new SampHub({ lock: { kind: 'file', path: lockPath }, ...opts });
  await hub.start();
  hubs.push(hub);
  return { hub, env: { SAMP_HUB: `std-lockurl:file://${lockPath}` } };
}

/** A recipient registered by hand whose callback server runs `onMessage` for each notification. */
async function rawRecipient(hub: SampHub, onMessage: (msg: SampMap) => Promise<void> | void, subscriptions: SampMap = { 'test.*': {} }) {
  const server = await serveXmlRpc({
    handler: async (method, params) => {
      if (method === 'samp.client.receiveNotification') await onMessage(params[2] as SampMap);
      return '';
    },
  });
  servers.push(server);
  const call = (method: string, args: SampValue[]) => xmlRpcCall(hub.url, method, args, { timeoutMs: 5000 });
  const reg = (await call('samp.hub.register', [hub.secret])) as Record<string, string>;
  const key = reg['samp.private-key'];
  await call('samp.hub.setXmlrpcCallback', [key, `${server.origin}/xmlrpc`]);
  await call('samp.hub.declareMetadata', [key, { 'samp.name': 'raw' }]);
  await call('samp.hub.declareSubscriptions', [key, subscriptions]);
  return { id: reg['samp.self-id'], key, server };
}

async function sender(env: NodeJS.ProcessEnv, name = 'Sender'): Promise<SampClient> {
  const c = new SampClient({ env, metadata: { 'samp.name': name }, handlers: {}, hubTimeoutMs: 60_000 });
  clients.push(c);
  expect(await c.connect()).toBe(true);
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const h of hubs.splice(0)) await h.stop();
  for (const s of servers.splice(0)) await s.close();
});
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('hub deliveries under load', () => {
  it('opens at most maxInFlight callbacks to a recipient and holds senders back until all are delivered', async () => {
    const { hub, env } = await startHub({ maxInFlight: 2, maxQueued: 4 });
    let open = 0;
    let peak = 0;
    const seen: string[] = [];
    const r = await rawRecipient(hub, async (msg) => {
      open++;
      peak = Math.max(peak, open);
      await sleep(30);
      seen.push(String((msg['samp.params'] as SampMap).n));
      open--;
    });
    const s = await sender(env);
    // 40 notifications fired at once: the hub must queue and hold the sender, not open 40 sockets.
    await Promise.all(Array.from({ length: 40 }, (_, i) => s.notify(r.id, message('test.load', { n: String(i) }))));
    await waitFor(() => seen.length === 40, 20_000, 'all 40 notifications');
    expect(peak).toBeLessThanOrEqual(2);
    expect(new Set(seen).size).toBe(40);
    expect(hub.clientIds()).toContain(r.id);
  }, 60_000);

  it('keeps a recipient that answers slower than the delivery timeout registered, and delivers everything to it', async () => {
    const { hub, env } = await startHub({ deliveryTimeoutMs: 100, maxInFlight: 4 });
    const seen: string[] = [];
    const r = await rawRecipient(hub, async (msg) => {
      seen.push(String((msg['samp.params'] as SampMap).n));
      await sleep(400);
    });
    const s = await sender(env);
    for (let i = 0; i < 12; i++) await s.notify(r.id, message('test.slow', { n: String(i) }));
    await waitFor(() => seen.length === 12, 20_000, 'the 12 slow deliveries');
    await sleep(600);
    // Every delivery timed out at the hub, yet the recipient is slow, not gone: it stays.
    expect(hub.clientIds()).toContain(r.id);
    await s.notify(r.id, message('test.slow', { n: 'after' }));
    await waitFor(() => seen.includes('after'), 5000, 'a delivery after the timeouts');
  }, 60_000);

  it('refuses a message with a fault when the queue stays full, and keeps the recipient', async () => {
    const { hub, env } = await startHub({ maxInFlight: 1, maxQueued: 1, roomTimeoutMs: 500, deliveryTimeoutMs: 30_000 });
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    const r = await rawRecipient(hub, () => stuck);
    const s = await sender(env);
    await s.notify(r.id, message('test.stuck', { n: '1' })); // in flight, never answered
    await s.notify(r.id, message('test.stuck', { n: '2' })); // waits in the queue
    const third = await s.notify(r.id, message('test.stuck', { n: '3' })).catch((e: unknown) => e);
    expect(third).toBeInstanceOf(SampFault);
    expect((third as Error).message).toMatch(new RegExp(`${r.id} is busy .*the message was not sent`));
    expect(hub.clientIds()).toContain(r.id);
    release();
  }, 30_000);

  it('unregisters a recipient whose callback server refuses connections, and tells the other clients', async () => {
    const { hub, env } = await startHub();
    const r = await rawRecipient(hub, () => undefined, { 'test.*': {}, 'samp.hub.disconnect': {} });
    const observer = await sender(env, 'Observer');
    await waitFor(() => observer.peerList().some((p) => p.id === r.id), 5000, 'the observer to see the recipient');
    await r.server.close(); // nothing listens there any more: connections are refused
    for (let i = 0; i < 3; i++) await observer.notify(r.id, message('test.gone', { n: String(i) }));
    await waitFor(() => !hub.clientIds().includes(r.id), 10_000, 'the hub to unregister the unreachable recipient');
    await waitFor(() => !observer.peerList().some((p) => p.id === r.id), 10_000, 'samp.hub.event.unregister at the observer');
    await expect(observer.notify(r.id, message('test.gone'))).rejects.toThrow(/no registered client/);
  }, 30_000);

  it('keeps answering pings while a 6 MB message is decoded (off the thread)', async () => {
    const { hub } = await startHub();
    const reg = (await xmlRpcCall(hub.url, 'samp.hub.register', [hub.secret], { timeoutMs: 5000 })) as Record<string, string>;
    // 6 MB of small structures: the slowest shape to decode (about a second on this machine's cores).
    const rows = Array.from({ length: 30_000 }, (_, i) => ({ id: String(i), v: 'x'.repeat(42) }));
    const body = encodeCall('samp.hub.notifyAll', [reg['samp.private-key'], { 'samp.mtype': 'test.big', 'samp.params': { rows } }]);
    expect(body.length).toBeGreaterThan(6_000_000);
    const before = codecStats.offThread;
    let bigDone = false;
    const big = fetch(hub.url, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body }).then(async (res) => {
      const text = await res.text();
      bigDone = true;
      return text;
    });
    let pings = 0;
    while (!bigDone) {
      await xmlRpcCall(hub.url, 'samp.hub.ping', [], { timeoutMs: 30_000 });
      if (!bigDone) pings++;
      await sleep(10);
    }
    expect(await big).toContain('<array><data>'); // notifyAll answered (an empty recipient list)
    // Pings kept being answered while the hub handled the big message (inline decoding blocked them).
    expect(pings).toBeGreaterThanOrEqual(10);
    expect(codecStats.offThread).toBeGreaterThan(before);
  }, 120_000);
});
