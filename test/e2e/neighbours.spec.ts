/**
 * Browser mode among neighbours on 127.0.0.1 (issue #18), each case against a real `companion
 * serve` process over real HTTP: two instances in one browser keep their own token cookie;
 * malformed cookies and percent-escapes get 4xx, never a 500; path-taking calls never echo a
 * non-FITS file and write only where allowed; event streams, waiting connections, header time and
 * bodies are capped; `serve` exits non-zero when its port is taken.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, REPO_ROOT, startServer, test } from './fixtures';

test.use({ demoCount: 0 });

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One raw HTTP request to the server (no browser, no fetch normalisation). */
function raw(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const portOf = (url: string) => Number(new URL(url).port);
const api = (port: number, token: string, method: string, params: unknown) =>
  raw(port, `/api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(params) });

test('two instances in one browser keep their own token cookie (named per port)', async ({ app, browser }) => {
  const otherDir = mkdtempSync(join(tmpdir(), 'spica-e2e-other-'));
  const other = await startServer(otherDir, {});
  try {
    const context = await browser.newContext();
    const first = await context.newPage();
    await first.goto(app.server.openUrl);
    await expect(first.getByTestId('nav-survey')).toBeVisible();
    const second = await context.newPage();
    await second.goto(other.openUrl);
    await expect(second.getByTestId('nav-survey')).toBeVisible();
    const names = (await context.cookies()).map((c) => c.name).sort();
    expect(names).toEqual([`spica_token_${portOf(app.server.url)}`, `spica_token_${portOf(other.openUrl)}`].sort());
    // Back to the first instance without the token in the URL: its own cookie still opens it.
    await first.goto(app.server.url);
    await expect(first.getByTestId('nav-survey')).toBeVisible();
    await second.goto(new URL(other.openUrl).origin);
    await expect(second.getByTestId('nav-survey')).toBeVisible();
    await context.close();
  } finally {
    other.child.kill('SIGTERM');
    rmSync(otherDir, { recursive: true, force: true });
  }
});

test('what already held: token, Host, Origin and traversal checks', async ({ app }) => {
  const port = portOf(app.server.url);
  const token = app.server.token;
  expect((await raw(port, '/')).status).toBe(401);
  expect((await raw(port, '/api/call/app.info', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer nope' }, body: '{}' })).status).toBe(401);
  expect((await raw(port, `/?token=${token}`, { headers: { host: `evil.example:${port}` } })).status).toBe(421);
  const cross = await raw(port, '/api/call/app.info', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, origin: 'http://evil.example' }, body: '{}' });
  expect(cross.status).toBe(403);
  expect((await raw(port, `/..%2f..%2fpackage.json?token=${token}`)).status).toBe(403);
  expect((await raw(port, `/%2e%2e/%2e%2e/package.json?token=${token}`)).body).not.toContain('"name": "spica-companion"');
});

test('malformed cookies and percent-escapes get 400 or 401, never 500', async ({ app }) => {
  const port = portOf(app.server.url);
  const badCookie = await raw(port, '/', { headers: { cookie: `spica_token_${port}=%E0%A4%A; other=%` } });
  expect(badCookie.status).toBe(401);
  const badPath = await raw(port, `/%E0%A4%A?token=${app.server.token}`);
  expect(badPath.status).toBe(400);
  expect(badPath.body).toBe('Bad request: malformed percent-escape in the path');
  const badMethod = await raw(port, '/api/call/%E0%A4', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${app.server.token}` }, body: '{}' });
  expect(badMethod.status).toBe(400);
  const badTarget = await raw(port, `//[::1?token=${app.server.token}`);
  expect([400, 401]).toContain(badTarget.status);
  for (const r of [badCookie, badPath, badMethod, badTarget]) expect(r.body).not.toMatch(/\n\s+at |URIError|Internal error/);
  expect((await api(port, app.server.token, 'app.info', {})).status).toBe(200);
});

test('path-taking calls never echo a non-FITS file and write verdicts only where allowed', async ({ app }) => {
  const port = portOf(app.server.url);
  const token = app.server.token;
  const dir = mkdtempSync(join(tmpdir(), 'spica-e2e-paths-'));
  try {
    const secret = join(dir, 'credentials');
    writeFileSync(secret, 'aws_secret_access_key=AKIAVERYSECRETVALUE\n');
    for (const path of ['/etc/shadow', '/etc/passwd', secret]) {
      const r = await api(port, token, 'review.inspect', { path });
      expect(r.status).toBe(400);
      const message = JSON.parse(r.body).error.message as string;
      expect(message).not.toMatch(/root|AKIA|aws_secret|:x:/);
    }
    // A real OIFITS file outside every watched folder: refused until the user opens it.
    const outside = join(dir, 'elsewhere.fits');
    copyFileSync(join(REPO_ROOT, 'test/fixtures/oifits/oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits'), outside);
    const refused = await api(port, token, 'review.setQuality', { path: outside, level: 4, reviewer: 'neighbour' });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).error.message).toContain('verdicts are written only into files under a watched night folder');
    expect((await api(port, token, 'review.open', { path: outside })).status).toBe(200);
    expect((await api(port, token, 'review.setQuality', { path: outside, level: 4, reviewer: 'user' })).status).toBe(200);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('event streams are capped', async ({ app }) => {
  const port = portOf(app.server.url);
  const open: Array<{ destroy(): void }> = [];
  const stream = () =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/events', headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${app.server.token}` } }, (res) => {
        resolve(res.statusCode ?? 0);
        if (res.statusCode !== 200) res.resume();
      });
      req.on('error', reject);
      req.end();
      open.push(req);
    });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 33; i++) statuses.push(await stream());
    expect(statuses.slice(0, 32).every((s) => s === 200)).toBe(true);
    expect(statuses[32]).toBe(503);
  } finally {
    for (const r of open) r.destroy();
  }
  // Closed streams free their places.
  await expect.poll(async () => (await stream().finally(() => open.pop()?.destroy())), { timeout: 10_000 }).toBe(200);
});

test('half-open connections are dropped and the app keeps answering; slow headers time out', async ({ app }) => {
  test.setTimeout(90_000);
  const port = portOf(app.server.url);
  const sockets: Socket[] = [];
  const closed = new Set<Socket>();
  for (let i = 0; i < 300; i++) {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    s.on('close', () => closed.add(s));
    // Half of them start a request and never finish its headers.
    if (i % 2 === 0) s.on('connect', () => s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`));
    sockets.push(s);
  }
  await new Promise((r) => setTimeout(r, 500));
  const info = await api(port, app.server.token, 'app.info', {});
  expect(info.status).toBe(200);
  // Beyond 64 waiting connections the oldest go at once; the rest within the 10 s header timeout.
  await expect.poll(() => closed.size, { timeout: 40_000, intervals: [1000] }).toBe(300);
  // A client trickling its headers is cut off too.
  const slow = connect(port, '127.0.0.1');
  let slowClosed = false;
  slow.on('close', () => (slowClosed = true));
  slow.on('error', () => undefined);
  const trickle = setInterval(() => slow.writable && slow.write('X'), 1000);
  slow.write(`GET /?token=${app.server.token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `);
  await expect.poll(() => slowClosed, { timeout: 30_000, intervals: [1000] }).toBe(true);
  clearInterval(trickle);
  expect((await api(port, app.server.token, 'app.info', {})).status).toBe(200);
});

test('request bodies are limited as they stream in, before they are buffered', async ({ app }) => {
  const port = portOf(app.server.url);
  const token = app.server.token;
  // A declared 300 MB body is refused before a byte of it is read.
  const declared = await new Promise<Reply>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/call/survey.import', method: 'POST', headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(300 * 1024 * 1024) } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.write('{"fileName":"x.csv","content":"');
  });
  expect(declared.status).toBe(413);
  // An ordinary call streaming 2 MB without a length is cut off at its 1 MB limit.
  const streamed = await new Promise<Reply>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/call/app.info', method: 'POST', headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', () => resolve({ status: -1, body: '', headers: {} }));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    for (let i = 0; i < 32; i++) req.write(chunk);
    req.end();
  });
  expect(streamed.status).toBe(413);
  // Without the token the body is never read: 401 and the connection closes.
  const anonymous = await raw(port, '/api/call/survey.import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"fileName":"a.csv","content":"name\\n"}' });
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.connection).toBe('close');
  expect((await api(port, token, 'app.info', {})).status).toBe(200);
});

test('serve exits non-zero with one line when its port is taken', async ({ app }) => {
  const port = portOf(app.server.url);
  const dataDir = mkdtempSync(join(tmpdir(), 'spica-e2e-port-'));
  try {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'electron/cli/bin.mjs'), 'serve', '--port', String(port), '--data-dir', dataDir, '--no-demo'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 60_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(2);
    expect(err).toContain(`companion serve: port ${port} is already in use on 127.0.0.1 (EADDRINUSE)`);
    expect(err).not.toMatch(/\n\s+at /);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
