/**
 * Browser mode: the renderer and the API served on 127.0.0.1 to a console browser. Every request
 * must carry the per-run token (from the printed URL, then a SameSite=Strict HttpOnly cookie named
 * for this port, or an `Authorization: Bearer` header); Host and Origin must name this server,
 * which blocks DNS rebinding and cross-site requests. The API is the same `services.callRaw` the
 * IPC shell uses.
 *
 * Other processes on 127.0.0.1 are neighbours, not friends: malformed input gets a 4xx (never a
 * 500 with a stack), connections that never finish their headers are dropped, event streams and
 * request bodies are capped, and bodies are counted as they stream in.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { toErrorBody, type Services } from '../services/registry';

/** The token cookie is named per port: two instances in one browser keep their own. */
export function tokenCookieName(port: number): string {
  return `spica_token_${port}`;
}

/** Largest JSON body of an ordinary call. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Methods whose params carry a whole file's text (imports of dropped files) may send this much. */
export const MAX_FILE_BODY_BYTES = 128 * 1024 * 1024;
const FILE_BODY_METHODS = new Set(['survey.import', 'calibrators.import']);
/** Request bodies held in memory at once, over all connections. */
export const MAX_BODY_BYTES_IN_FLIGHT = 192 * 1024 * 1024;
/** Open event streams (a browser tab holds one). */
export const MAX_EVENT_STREAMS = 32;
/** Connections that have not sent a complete request yet; the oldest is dropped beyond this. */
export const MAX_WAITING_CONNECTIONS = 64;
/** All connections at once. */
export const MAX_CONNECTIONS = 512;
/** Time a client has to send its request headers. */
export const HEADERS_TIMEOUT_MS = 10_000;

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

/** A request the server refuses with a 4xx status and a one-line reason. */
class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** decodeURIComponent that reports a malformed escape as a 400, naming what held it. */
function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new BadRequest(400, `Bad request: malformed percent-escape in the ${what}`);
  }
}

function cookieToken(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    // A cookie that does not decode cannot be our token (ours is base64url): not authenticated.
    try {
      return value ? decodeURIComponent(value) : null;
    } catch {
      return null;
    }
  }
  return null;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', close = false): void {
  const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-store' };
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(body);
}

/** Counts request-body bytes held in memory across every connection. */
class BodyBudget {
  private inFlight = 0;

  /** Reserve `n` more bytes; false when the server holds too much already. */
  take(n: number): boolean {
    if (this.inFlight + n > MAX_BODY_BYTES_IN_FLIGHT) return false;
    this.inFlight += n;
    return true;
  }

  give(n: number): void {
    this.inFlight -= n;
  }
}

/**
 * Read a request body as it streams in, stopping at `limit` (413) or when the server-wide
 * budget is spent (503). The declared Content-Length is checked before a byte is read.
 */
function readBody(req: IncomingMessage, limit: number, budget: BodyBudget): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new BadRequest(413, `Request body of ${declared} bytes is over the ${limit}-byte limit of this call`));
  }
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (e: BadRequest): void => {
      if (settled) return;
      settled = true;
      budget.give(size);
      reject(e);
    };
    req.on('data', (c: Buffer) => {
      if (settled) return;
      if (size + c.length > limit) return fail(new BadRequest(413, `Request body is over the ${limit}-byte limit of this call`));
      if (!budget.take(c.length)) return fail(new BadRequest(503, 'Server busy: too many large requests at once; retry'));
      size += c.length;
      chunks.push(c);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      const text = Buffer.concat(chunks).toString('utf8');
      budget.give(size);
      resolveBody(text);
    });
    req.on('error', () => fail(new BadRequest(400, 'Request body could not be read')));
    req.on('aborted', () => fail(new BadRequest(400, 'Request body was cut off')));
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
  const budget = new BodyBudget();
  let port = 0;
  let cookieName = '';

  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    res.setHeader('cross-origin-resource-policy', 'same-origin');
    // DNS rebinding: a page on evil.example resolved to 127.0.0.1 still sends its own Host.
    if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 421, 'Misdirected request: wrong Host', undefined, true);
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) {
      return send(res, 403, 'Forbidden: cross-origin request', undefined, true);
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return send(res, 400, 'Bad request: the request target is not a valid URL', undefined, true);
    }
    const queryToken = url.searchParams.get('token');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const presented = queryToken ?? bearer ?? cookieToken(req, cookieName);
    if (presented === null || !sameSecret(presented, token)) {
      // Closing the connection: an unauthenticated client gets no keep-alive and no body read.
      return send(
        res,
        401,
        'SPICA Companion browser mode: this request has no valid token. Open the URL printed by "npm run serve".',
        undefined,
        true,
      );
    }
    if (queryToken !== null) {
      res.setHeader('set-cookie', `${cookieName}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    }

    if (url.pathname.startsWith('/api/call/')) {
      if (req.method !== 'POST') return send(res, 405, 'POST only');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'JSON only', undefined, true);
      const method = decode(url.pathname.slice('/api/call/'.length), 'method name');
      let params: unknown;
      try {
        const body = await readBody(req, FILE_BODY_METHODS.has(method) ? MAX_FILE_BODY_BYTES : MAX_BODY_BYTES, budget);
        params = body.length > 0 ? JSON.parse(body) : {};
      } catch (e) {
        const status = e instanceof BadRequest ? e.status : 400;
        const error = { code: status === 503 ? 'unavailable' : 'invalid-input', message: `bad request body: ${(e as Error).message}` };
        return send(res, status, JSON.stringify({ ok: false, error }), 'application/json', true);
      }
      try {
        const result = await services.callRaw(method, params);
        return send(res, 200, JSON.stringify({ ok: true, result }), 'application/json');
      } catch (e) {
        const error = toErrorBody(e);
        const status = error.code === 'internal' ? 500 : error.code === 'not-found' ? 404 : error.code === 'unavailable' ? 503 : 400;
        if (error.code === 'internal') console.error(`[browser-mode] ${method} failed:`, e);
        return send(res, status, JSON.stringify({ ok: false, error }), 'application/json');
      }
    }

    if (url.pathname === '/api/events') {
      if (sseClients.size >= MAX_EVENT_STREAMS) {
        return send(res, 503, `Too many event streams (${MAX_EVENT_STREAMS}); close another tab of this app`, undefined, true);
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    const relative = url.pathname === '/' ? 'index.html' : decode(url.pathname.slice(1), 'path');
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

  // Sockets that have not sent a complete request (new, or idle between keep-alive requests),
  // oldest first: beyond the cap the oldest is dropped, so half-open neighbours cannot crowd out
  // the browser.
  const waiting = new Set<Socket>();
  const server: Server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: 120_000, connectionsCheckingInterval: 1000 }, (req, res) => {
    waiting.delete(req.socket);
    req.socket.setTimeout(0);
    res.on('finish', () => {
      if (!req.socket.destroyed && res.getHeader('content-type') !== 'text/event-stream') waiting.add(req.socket);
    });
    handle(req, res).catch((e: unknown) => {
      if (e instanceof BadRequest) {
        if (!res.headersSent) return send(res, e.status, e.message, undefined, true);
        return void res.end();
      }
      console.error('[browser-mode]', e instanceof Error ? e.message : String(e));
      if (!res.headersSent) send(res, 500, 'Internal error', undefined, true);
      else res.end();
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket: Socket) => {
    waiting.add(socket);
    socket.once('close', () => waiting.delete(socket));
    // Node's header timeout starts with the first byte: a client that sends nothing is dropped here.
    socket.setTimeout(HEADERS_TIMEOUT_MS, () => socket.destroy());
    while (waiting.size > MAX_WAITING_CONNECTIONS) {
      const oldest = waiting.values().next().value as Socket;
      waiting.delete(oldest);
      oldest.destroy();
    }
  });
  // A malformed request line or header: answer 400 and close, as Node does by default, but
  // without letting the error reach the process.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable && err.code !== 'ECONNRESET') {
      const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    }
    socket.destroy();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') fail(new Error(`port ${options.port} is already in use on 127.0.0.1 (EADDRINUSE); choose another with --port`));
      else if (e.code === 'EACCES') fail(new Error(`port ${options.port} cannot be opened by this user (EACCES); choose one above 1023`));
      else fail(e);
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  // Only once listening: a server that failed to start must leave nothing running behind it.
  const unsubscribe = services.onAny((event, payload) => {
    const line = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const client of sseClients) client.write(line);
  });
  const keepAlive = setInterval(() => {
    for (const client of sseClients) client.write(': ping\n\n');
  }, 15000);
  port = (server.address() as AddressInfo).port;
  cookieName = tokenCookieName(port);
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
