/**
 * XML-RPC over HTTP, both ways. Outgoing calls always have a deadline and a response size limit
 * and never reuse sockets (JSAMP's server answers HTTP/1.0 and closes). The server (node:http)
 * binds 127.0.0.1 only and turns every failure, including oversized or malformed requests, into
 * an XML-RPC fault. Large bodies are decoded and encoded off the thread (`codec-pool.ts`).
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { decodeCallBody, decodeResponseBody, encodeCallBody, encodeResponseBody } from './codec-pool';
import { encodeFault } from './xmlrpc-encode';
import { FAULT_CODE, SampFault, type SampValue } from './values';

/**
 * How a call failed on the network. `unreachable`: nothing accepted the connection (refused, no
 * route): the peer is gone. `timeout`: no answer in time: the peer may only be slow. `broken`: the
 * connection was cut or the answer was not XML-RPC.
 */
export type TransportFailure = 'unreachable' | 'timeout' | 'broken';

/** The network failed (refused, reset, timed out): the peer may be gone. */
export class SampTransportError extends Error {
  constructor(
    message: string,
    readonly kind: TransportFailure = 'broken',
  ) {
    super(message);
    this.name = 'SampTransportError';
  }
}

/** Default limit on an XML-RPC body, either way. SAMP passes bulk data by URL. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface CallOptions {
  /** Abort the request after this many milliseconds. */
  timeoutMs: number;
  maxResponseBytes?: number;
}

/** Split a close-delimited HTTP/1.x response into status and body; throws on anything else. */
function parseHttpResponse(buf: Buffer, where: string): { status: number; body: Buffer } {
  const split = buf.indexOf('\r\n\r\n');
  if (split < 0) throw new SampTransportError(`${where}: incomplete HTTP response`);
  const head = buf.subarray(0, split).toString('latin1');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!status) throw new SampTransportError(`${where}: not an HTTP response`);
  if (/^transfer-encoding:\s*chunked/im.test(head)) throw new SampTransportError(`${where}: chunked answer to an HTTP/1.0 request`);
  let body = buf.subarray(split + 4);
  const length = /^content-length:\s*(\d+)/im.exec(head);
  if (length) {
    const n = Number(length[1]);
    if (body.length < n) throw new SampTransportError(`${where}: response body cut short`);
    body = body.subarray(0, n);
  }
  return { status: Number(status[1]), body };
}

/** Connect errors that mean nothing listens there any more. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);

/** POST `body` to `target` over a fresh socket; resolves to the HTTP status and body. */
function post(target: URL, body: Buffer, where: string, opts: CallOptions): Promise<{ status: number; body: Buffer }> {
  const limit = opts.maxResponseBytes ?? DEFAULT_MAX_BODY_BYTES;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port || 80) });
    const chunks: Buffer[] = [];
    let size = 0;
    let isConnected = false;
    let settled = false;
    const finish = (error: Error | null, value?: { status: number; body: Buffer }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value as { status: number; body: Buffer });
    };
    const timer = setTimeout(
      () => finish(new SampTransportError(`${where}: ${isConnected ? 'no answer' : 'could not connect'} within ${opts.timeoutMs} ms`, 'timeout')),
      opts.timeoutMs,
    );
    socket.setNoDelay(true);
    socket.on('connect', () => {
      isConnected = true;
      const head = `POST ${target.pathname}${target.search} HTTP/1.0\r\nHost: ${target.host}\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
      // One write, one segment for small calls: the head and body never wait on each other.
      socket.write(body.length < 64 * 1024 ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1'));
      if (body.length >= 64 * 1024) socket.write(body);
    });
    socket.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit + 16 * 1024) finish(new SampTransportError(`response from ${target.href} exceeds ${limit} bytes`));
      else chunks.push(c);
    });
    socket.on('end', () => {
      try {
        finish(null, parseHttpResponse(Buffer.concat(chunks), where));
      } catch (e) {
        finish(e as Error);
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      const kind: TransportFailure = isConnected ? 'broken' : e.code === 'ETIMEDOUT' ? 'timeout' : UNREACHABLE_CODES.has(e.code ?? '') ? 'unreachable' : 'broken';
      finish(new SampTransportError(`${where}: ${e.message}`, kind));
    });
    // Checked first: building an error (and its stack) on every normal close costs the hub CPU.
    socket.on('close', () => settled || finish(new SampTransportError(`${where}: connection closed before an answer`)));
  });
}

/**
 * Call `method` on the XML-RPC server at `url`; resolves to its value, rejects with a fault or
 * transport error. Speaks plain HTTP/1.0 over a fresh socket: every SAMP peer closes after one
 * answer anyway (JSAMP's server is HTTP/1.0), and skipping node:http's client machinery makes
 * the hub's deliveries markedly cheaper.
 */
export async function xmlRpcCall(url: string, method: string, params: SampValue[], opts: CallOptions): Promise<SampValue> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new SampTransportError(`bad XML-RPC URL "${url}"`, 'unreachable');
  }
  if (target.protocol !== 'http:') throw new SampTransportError(`XML-RPC URL "${url}" is not http:`, 'unreachable');
  const where = `${method} at ${url}`;
  const body = await encodeCallBody(method, params);
  const answer = await post(target, body, where, opts);
  if (answer.status !== 200) throw new SampTransportError(`${where}: HTTP ${answer.status}`);
  let decoded;
  try {
    decoded = await decodeResponseBody(answer.body);
  } catch (e) {
    // Not XML-RPC at all: whatever answers there is not a SAMP peer.
    throw new SampTransportError(`${where}: unreadable answer (${(e as Error).message})`);
  }
  if (decoded.ok) return decoded.value;
  throw decoded.fault;
}

/** What the server learnt while decoding a call. */
export interface CallInfo {
  /** With `strictStrings: false`: the first string that breaks SAMP's character rules, described. */
  badString: string | null;
}

/** Handles one decoded call; throw `SampFault` for a SAMP error. */
export type XmlRpcHandler = (method: string, params: SampValue[], info: CallInfo) => Promise<SampValue> | SampValue;
/** Handles a non-POST request (e.g. GET of a served table); return false to answer 404. */
export type HttpSideHandler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;

export interface XmlRpcServer {
  /** Base URL, `http://127.0.0.1:<port>`. */
  origin: string;
  port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  handler: XmlRpcHandler;
  other?: HttpSideHandler;
  maxBodyBytes?: number;
  /**
   * Refuse calls holding non-SAMP characters with a fault (default), or pass them to the handler
   * with `info.badString` set (a client answers such a message with a SAMP error instead).
   */
  strictStrings?: boolean;
  /** Called with unexpected (non-fault) errors, which still reach the caller as a fault. */
  onError?: (e: unknown) => void;
}

function sendXml(res: http.ServerResponse, xml: string | Buffer): void {
  res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml) });
  res.end(xml);
}

/** Start an XML-RPC server on 127.0.0.1 (any free port). */
export function serveXmlRpc(opts: ServeOptions): Promise<XmlRpcServer> {
  const limit = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      if (!opts.other?.(req, res)) {
        res.writeHead(req.method === 'GET' ? 404 : 405, { 'Content-Type': 'text/plain' });
        res.end('not found\n');
      }
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      res.setHeader('Connection', 'close');
      sendXml(res, encodeFault(`request of ${declared} bytes exceeds the limit of ${limit} bytes`, FAULT_CODE));
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (c: Buffer) => {
      if (aborted) return;
      size += c.length;
      if (size > limit) {
        aborted = true;
        res.setHeader('Connection', 'close');
        sendXml(res, encodeFault(`request exceeds the limit of ${limit} bytes`, FAULT_CODE));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (aborted) return;
      void (async () => {
        let xml: string | Buffer;
        try {
          const call = await decodeCallBody(Buffer.concat(chunks), { strictStrings: opts.strictStrings });
          const value = await opts.handler(call.method, call.params, { badString: call.badString });
          xml = await encodeResponseBody(value);
        } catch (e) {
          if (!(e instanceof SampFault)) opts.onError?.(e);
          xml = encodeFault(e instanceof Error ? e.message : String(e), e instanceof SampFault ? e.faultCode : FAULT_CODE);
        }
        if (!res.destroyed) sendXml(res, xml);
      })();
    });
    req.on('error', () => undefined);
  });
  // Receiving a request is bounded; a callAndWait answer may legitimately take longer.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 2_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
