/**
 * Browser mode: the renderer and the API served on 127.0.0.1 to a console browser. Every request
 * must carry the per-run token (from the printed URL, then a SameSite=Strict HttpOnly cookie, or
 * an `Authorization: Bearer` header); Host and Origin must name this server, which blocks DNS
 * rebinding and cross-site requests. The API is the same `services.callRaw` the IPC shell uses.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { toErrorBody, type Services } from '../services/registry';

const TOKEN_COOKIE = 'spica_token';
/** Import files travel in the body as text; 250 MB covers the largest survey export by far. */
const MAX_BODY_BYTES = 250 * 1024 * 1024;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export interface BrowserServer {
  url: string;
  /** The URL with the token, the one to open. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export interface BrowserServerOptions {
  services: Services;
  rendererDir: string;
  port?: number;
  token?: string;
}

function sameSecret(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === TOKEN_COOKIE && v) return decodeURIComponent(v);
  }
  return null;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Start browser mode on 127.0.0.1 (port 0 = any free port). */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const { services } = options;
  const rendererDir = resolve(options.rendererDir);
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${rendererDir}: run "npm run build" first`);
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sseClients = new Set<ServerResponse>();
  let port = 0;

  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    res.setHeader('cross-origin-resource-policy', 'same-origin');
    // DNS rebinding: a page on evil.example resolved to 127.0.0.1 still sends its own Host.
    if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 421, 'Misdirected request: wrong Host');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) {
      return send(res, 403, 'Forbidden: cross-origin request');
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const queryToken = url.searchParams.get('token');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const presented = queryToken ?? bearer ?? cookieToken(req);
    if (presented === null || !sameSecret(presented, token)) {
      return send(
        res,
        401,
        'SPICA Companion browser mode: this request has no valid token. Open the URL printed by "npm run serve".',
      );
    }
    if (queryToken !== null) {
      res.setHeader('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    }

    if (url.pathname.startsWith('/api/call/')) {
      if (req.method !== 'POST') return send(res, 405, 'POST only');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'JSON only');
      const method = decodeURIComponent(url.pathname.slice('/api/call/'.length));
      let params: unknown;
      try {
        const body = await readBody(req);
        params = body.length > 0 ? JSON.parse(body) : {};
      } catch (e) {
        return send(res, 400, JSON.stringify({ ok: false, error: { code: 'invalid-input', message: `bad request body: ${(e as Error).message}` } }), 'application/json');
      }
      try {
        const result = await services.callRaw(method, params);
        return send(res, 200, JSON.stringify({ ok: true, result }), 'application/json');
      } catch (e) {
        const error = toErrorBody(e);
        const status = error.code === 'internal' ? 500 : error.code === 'not-found' ? 404 : 400;
        if (error.code === 'internal') console.error(`[browser-mode] ${method} failed:`, e);
        return send(res, status, JSON.stringify({ ok: false, error }), 'application/json');
      }
    }

    if (url.pathname === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(rendererDir, relative));
    if (!file.startsWith(rendererDir + sep)) return send(res, 403, 'Forbidden path');
    const target = existsSync(file) && statSync(file).isFile() ? file : join(rendererDir, 'index.html');
    const type = MIME[extname(target)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'content-type': type, 'cache-control': target.endsWith('index.html') ? 'no-store' : 'max-age=3600' };
    if (type.startsWith('text/html')) headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    createReadStream(target).pipe(res);
  };

  const unsubscribe = services.onAny((event, payload) => {
    const line = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const client of sseClients) client.write(line);
  });
  const keepAlive = setInterval(() => {
    for (const client of sseClients) client.write(': ping\n\n');
  }, 15000);

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      console.error('[browser-mode]', e);
      if (!res.headersSent) send(res, 500, 'Internal error');
      else res.end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}?token=${token}`,
    token,
    port,
    close: async () => {
      clearInterval(keepAlive);
      unsubscribe();
      for (const c of sseClients) c.end();
      sseClients.clear();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
