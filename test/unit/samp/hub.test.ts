/**
 * Our hub and our client together, in process, over real loopback HTTP: lockfile rules, the
 * security checks, hostile input, and the shutdown event that lets clients move to the next hub.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SampClient, type MessageHandler } from '../../../electron/samp/client';
import { HubRunningError, SampHub, pingHub } from '../../../electron/samp/hub';
import { readLockfile } from '../../../electron/samp/lockfile';
import { xmlRpcCall } from '../../../electron/samp/xmlrpc-http';
import { SampFault, message } from '../../../electron/samp/values';

const dirs: string[] = [];
function hubEnv(): { env: NodeJS.ProcessEnv; lockPath: string } {
  const d = mkdtempSync(path.join(os.tmpdir(), 'samp-hub-'));
  dirs.push(d);
  const lockPath = path.join(d, 'lockfile');
  return { env: { SAMP_HUB: `std-lockurl:file://${lockPath}` }, lockPath };
}
const hubs: SampHub[] = [];
const clients: SampClient[] = [];
async function startHub(lockPath: string): Promise<SampHub> {
  const hub = new SampHub({ lock: { kind: 'file', path: lockPath } });
  await hub.start();
  hubs.push(hub);
  return hub;
}
function newClient(env: NodeJS.ProcessEnv, name: string, handlers: Record<string, MessageHandler> = {}): SampClient {
  const c = new SampClient({ env, metadata: { 'samp.name': name }, handlers, hubTimeoutMs: 3000 });
  clients.push(c);
  return c;
}
async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
async function post(url: string, body: string): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body });
  return res.text();
}
const call = (method: string, args: string) => `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${args}</params></methodCall>`;
const p = (v: string) => `<param><value>${v}</value></param>`;

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const h of hubs.splice(0)) await h.stop();
});
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('embedded hub: lockfile', () => {
  it('writes a 0600 lockfile naming 127.0.0.1, refuses a second hub, replaces a stale one, removes its own on stop', async () => {
    const { lockPath } = hubEnv();
    const hub = await startHub(lockPath);
    expect(statSync(lockPath).mode & 0o777).toBe(0o600);
    const info = await readLockfile({ kind: 'file', path: lockPath });
    expect(info?.xmlrpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/xmlrpc$/);
    expect(info?.secret).toMatch(/^[0-9a-f]{32}$/);
    await expect(new SampHub({ lock: { kind: 'file', path: lockPath } }).start()).rejects.toBeInstanceOf(HubRunningError);
    await hub.stop();
    await expect(readLockfile({ kind: 'file', path: lockPath })).resolves.toBeNull();

    writeFileSync(lockPath, 'samp.secret=dead\nsamp.hub.xmlrpc.url=http://127.0.0.1:1/xmlrpc\nsamp.profile.version=1.3\n', { mode: 0o600 });
    const second = await startHub(lockPath);
    expect((await readLockfile({ kind: 'file', path: lockPath }))?.secret).toBe(second.secret);
  });
});

describe('stale lockfile detection', () => {
  it('treats refused connections, HTTP errors and non-XML-RPC answers as no hub', async () => {
    const http = await import('node:http');
    const server = http.createServer((req, res) => {
      res.writeHead(req.url === '/404' ? 404 : 200, { 'Content-Type': 'text/html' });
      res.end('<html>not a hub</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      expect(await pingHub(`http://127.0.0.1:${port}/404`)).toBe(false);
      expect(await pingHub(`http://127.0.0.1:${port}/xmlrpc`)).toBe(false);
      expect(await pingHub('http://127.0.0.1:1/xmlrpc')).toBe(false);
      const { lockPath } = hubEnv();
      const hub = await startHub(lockPath);
      expect(await pingHub(hub.url)).toBe(true);
      // A lockfile naming the unrelated server is stale: a new hub replaces it.
      await hub.stop();
      writeFileSync(lockPath, `samp.secret=x\nsamp.hub.xmlrpc.url=http://127.0.0.1:${port}/xmlrpc\n`, { mode: 0o600 });
      const next = await startHub(lockPath);
      expect((await readLockfile({ kind: 'file', path: lockPath }))?.secret).toBe(next.secret);
    } finally {
      server.close();
    }
  });
});

describe('embedded hub: security and hostile input', () => {
  let hub: SampHub;
  let url: string;
  let secret: string;
  let lockPath: string;
  beforeAll(async () => {
    ({ lockPath } = hubEnv());
    hub = new SampHub({ lock: { kind: 'file', path: lockPath }, maxBodyBytes: 256 * 1024 });
    await hub.start();
    url = hub.url;
    secret = hub.secret;
  });
  afterAll(async () => {
    await hub.stop();
  });

  const expectFault = async (body: string, pattern: RegExp) => {
    const xml = await post(url, body);
    expect(xml).toContain('<fault>');
    expect(xml).toMatch(pattern);
  };

  it('binds 127.0.0.1 only', () => {
    expect(new URL(url).hostname).toBe('127.0.0.1');
  });

  it('answers each bad request with a fault and keeps serving', async () => {
    await expectFault('<methodCall><methodName>samp.hub.ping</methodName><params>', /malformed|not closed/);
    await expectFault('this is not XML', /methodCall/);
    await expectFault('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><methodCall><methodName>&lol;</methodName></methodCall>', /DOCTYPE/);
    await expectFault(call('samp.hub.register', p('wrong-secret')), /bad secret/);
    await expectFault(call('samp.hub.getRegisteredClients', p('k-not-a-key')), /unknown private key/);
    await expectFault(call('samp.hub.register', p(`${secret}\u00e9`)), /0xe9/);
    await expectFault(call('samp.hub.noSuchMethod', ''), /unknown method/);
    await expectFault(call('samp.hub.register', '<param><value><int>5</int></value></param>'), /bad secret/);
    await expectFault(call('samp.hub.register', p('x'.repeat(300 * 1024))), /exceeds the limit/);
    // Still healthy: ping and a real registration work.
    await expect(xmlRpcCall(url, 'samp.hub.ping', [], { timeoutMs: 2000 })).resolves.toBe('');
    const reg = (await xmlRpcCall(url, 'samp.hub.register', [secret], { timeoutMs: 2000 })) as Record<string, string>;
    expect(reg['samp.hub-id']).toBe('hub');
    const others = await xmlRpcCall(url, 'samp.hub.getRegisteredClients', [reg['samp.private-key']], { timeoutMs: 2000 });
    expect(others).toContain('hub');
    expect(others).not.toContain(reg['samp.self-id']);
  });

  it('refuses callbacks to a client that carry another private key', async () => {
    const c = newClient({ SAMP_HUB: `std-lockurl:file://${lockPath}` }, 'victim');
    expect(await c.connect()).toBe(true);
    const fault = await xmlRpcCall(`${c.origin}/xmlrpc`, 'samp.client.receiveNotification', ['forged-key', 'c99', message('samp.app.ping')], { timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(fault).toBeInstanceOf(SampFault);
    expect((fault as Error).message).toMatch(/private key not recognised/);
    for (const [body, pattern] of [
      ['<methodCall><methodName>samp.client.receiveCall', /malformed|methodCall/],
      ['<!DOCTYPE a [<!ENTITY b "c">]><methodCall><methodName>&b;</methodName></methodCall>', /DOCTYPE/],
      [call('samp.client.receiveNotification', p('x'.repeat(5 * 1024 * 1024))), /exceeds the limit/],
      [call('samp.client.receiveNotification', p('k\u00ff')), /private key not recognised/],
    ] as const) {
      const xml = await post(`${c.origin}/xmlrpc`, body);
      expect(xml).toContain('<fault>');
      expect(xml).toMatch(pattern);
    }
    expect((await fetch(`${c.origin}/files/../../etc/passwd`)).status).toBe(404);
    expect(c.connected).toBe(true);
    await expect(xmlRpcCall(url, 'samp.hub.ping', [], { timeoutMs: 2000 })).resolves.toBe('');
  });
});

describe('our client with our hub', () => {
  it('registers, sees peers and their names, calls and notifies, and follows the hub to its successor', async () => {
    const { env, lockPath } = hubEnv();
    await startHub(lockPath);
    const received: string[] = [];
    const a = newClient(env, 'Alpha', { 'test.echo': (m) => ({ echo: String(m.params.text) }) });
    const b = newClient(env, 'Aspro2', { 'table.load.votable': (m) => void received.push(String(m.params.url)) });
    expect(await a.connect()).toBe(true);
    expect(await b.connect()).toBe(true);
    await waitFor(() => b.peersNamed('alpha').length === 1);
    expect(a.peersNamed('Aspro2')).toHaveLength(1);

    await a.notify(a.peersNamed('Aspro2')[0], message('table.load.votable', { url: 'http://127.0.0.1:1/t.vot' }));
    await waitFor(() => received.length === 1);
    const viaCall = await b.call(b.peersNamed('Alpha')[0], message('test.echo', { text: 'hi' }), 3000);
    expect(viaCall['samp.result']).toEqual({ echo: 'hi' });
    const viaWait = await b.callAndWait(b.peersNamed('Alpha')[0], message('test.echo', { text: 'sync' }), 5);
    expect(viaWait['samp.result']).toEqual({ echo: 'sync' });
    const pingHub = await a.callAndWait('hub', message('samp.app.ping'), 5);
    expect(pingHub['samp.status']).toBe('samp.ok');
    await expect(b.notify(b.peersNamed('Alpha')[0], message('not.subscribed'))).rejects.toThrow(/not subscribed/);

    // Clean hub stop: the shutdown event drops the connection; a new hub appears; auto-connect joins it.
    const disconnected = new Promise<string>((r) => a.once('disconnected', r));
    await hubs[0].stop();
    expect(await disconnected).toMatch(/shut down/);
    expect(a.connected).toBe(false);
    a.autoConnect(100);
    const next = await startHub(lockPath);
    await waitFor(() => a.connected);
    expect(a.registration?.hubUrl).toBe(next.url);
  });

  it('unregisters on close, which other clients see', async () => {
    const { env, lockPath } = hubEnv();
    await startHub(lockPath);
    const a = newClient(env, 'Stay');
    const b = newClient(env, 'Leave');
    await a.connect();
    await b.connect();
    await waitFor(() => a.peersNamed('Leave').length === 1);
    await b.close();
    await waitFor(() => a.peersNamed('Leave').length === 0);
  });
});
