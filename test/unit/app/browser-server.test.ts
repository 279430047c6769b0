import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserServer, type BrowserServer } from '../../../electron/server/browser-server';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';

let dir: string;
let services: Services;
let server: BrowserServer;

function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${server.port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spica-server-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  services = createServices({ paths: resolvePaths(join(dir, 'data')), transport: 'browser' });
  server = await startBrowserServer({ services, rendererDir });
});
afterAll(async () => {
  await server.close();
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

const json = (token?: string) => ({ 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) });

describe('browser mode server', () => {
  it('listens on 127.0.0.1 only and prints a tokenised URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.openUrl).toBe(`${server.url}?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses requests without the token, pages and API alike', async () => {
    expect((await raw('/')).status).toBe(401);
    expect((await raw('/api/call/app.info', { method: 'POST', headers: json(), body: '{}' })).status).toBe(401);
    expect((await raw('/api/call/app.info', { method: 'POST', headers: json('wrong-token'), body: '{}' })).status).toBe(401);
    expect((await raw('/api/events')).status).toBe(401);
  });

  it('serves the page with the token and sets a strict HttpOnly cookie and the CSP', async () => {
    const r = await raw(`/?token=${server.token}`);
    expect(r.status).toBe(200);
    expect(String(r.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect(String(r.headers['content-security-policy'])).toContain("script-src 'self'");
    const cookie = String(r.headers['set-cookie']).split(';')[0];
    const api = await raw('/api/call/app.info', { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: '{}' });
    expect(api.status).toBe(200);
    expect(JSON.parse(api.body).result.transport).toBe('browser');
  });

  it('refuses other Hosts (DNS rebinding) and other Origins', async () => {
    expect((await raw(`/?token=${server.token}`, { headers: { host: 'evil.example:80' } })).status).toBe(421);
    const cross = await raw('/api/call/app.info', { method: 'POST', headers: { ...json(server.token), origin: 'http://evil.example' }, body: '{}' });
    expect(cross.status).toBe(403);
    const same = await raw('/api/call/app.info', { method: 'POST', headers: { ...json(server.token), origin: `http://127.0.0.1:${server.port}` }, body: '{}' });
    expect(same.status).toBe(200);
  });

  it('validates params at the boundary and names the field', async () => {
    const r = await raw('/api/call/survey.list', { method: 'POST', headers: json(server.token), body: JSON.stringify({ filter: { decMinDeg: 'north' } }) });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error).toMatchObject({ code: 'invalid-input', message: expect.stringContaining('filter.decMinDeg') });
    const unknown = await raw('/api/call/survey.drop', { method: 'POST', headers: json(server.token), body: '{}' });
    expect(unknown.status).toBe(404);
    const garbage = await raw('/api/call/app.info', { method: 'POST', headers: json(server.token), body: '{not json' });
    expect(garbage.status).toBe(400);
  });

  it('does not serve files outside the renderer folder', async () => {
    const r = await raw(`/..%2f..%2fdata%2fsurvey.sqlite?token=${server.token}`);
    expect(r.status).toBe(403);
  });

  it('pushes contract events over SSE', async () => {
    const events: string[] = [];
    const got = new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: { host: `127.0.0.1:${server.port}`, authorization: `Bearer ${server.token}` } }, (res) => {
        res.on('data', (c: Buffer) => {
          events.push(c.toString());
          if (events.join('').includes('survey.changed')) {
            req.destroy();
            resolve();
          }
        });
      });
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100));
    await raw('/api/call/survey.import', {
      method: 'POST',
      headers: json(server.token),
      body: JSON.stringify({ fileName: 'x.csv', content: 'name,ra_deg,dec_deg\nstar,1,2\n' }),
    });
    await got;
    expect(events.join('')).toMatch(/"event":"survey.changed","payload":\{"entities":\["change_log"|"event":"survey.changed"/);
  });
});
