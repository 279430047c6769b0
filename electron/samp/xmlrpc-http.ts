/**
 * XML-RPC over HTTP, both ways. Outgoing calls always have a deadline and a response size limit
 * and never reuse sockets (JSAMP's server answers HTTP/1.0 and closes). The server (node:http)
 * binds 127.0.0.1 only and turns every failure, including oversized or malformed requests, into
 * an XML-RPC fault.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { decodeCall, decodeResponse } from './xmlrpc-decode';
import { encodeCall, encodeFault, encodeResponse } from './xmlrpc-encode';
import { FAULT_CODE, SampFault, type SampValue } from './values';

/** The network failed (refused, reset, timed out): the peer may be gone. */
export class SampTransportError extends Error {
  constructor(message: string) {
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

/**
 * Call `method` on the XML-RPC server at `url`; resolves to its value, rejects with a fault or
 * transport error. Speaks plain HTTP/1.0 over a fresh socket: every SAMP peer closes after one
 * answer anyway (JSAMP's server is HTTP/1.0), and skipping node:http's client machinery makes
 * the hub's deliveries markedly cheaper.
 */
export function xmlRpcCall(url: string, method: string, params: SampValue[], opts: CallOptions): Promise<SampValue> {
  const limit = opts.maxResponseBytes ?? DEFAULT_MAX_BODY_BYTES;
  return new Promise((resolve, reject) => {
    let target: URL;
    let body: Buffer;
    try {
      target = new URL(url);
      body = Buffer.from(encodeCall(method, params), 'latin1');
    } catch (e) {
      reject(e instanceof SampFault ? e : new SampTransportError(`bad XML-RPC URL "${url}"`));
      return;
    }
    if (target.protocol !== 'http:') {
      reject(new SampTransportError(`XML-RPC URL "${url}" is not http:`));
      return;
    }
    const where = `${method} at ${url}`;
    const socket = net.connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port || 80) });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error: Error | null, value?: SampValue): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value as SampValue);
    };
    const timer = setTimeout(() => finish(new SampTransportError(`${where}: no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    socket.setNoDelay(true);
    socket.on('connect', () => {
      const head = `POST ${target.pathname}${target.search} HTTP/1.0\r\nHost: ${target.host}\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
      socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    });
    socket.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit + 16 * 1024) finish(new SampTransportError(`response from ${url} exceeds ${limit} bytes`));
      else chunks.push(c);
    });
    socket.on('end', () => {
      try {
        const { status, body: answer } = parseHttpResponse(Buffer.concat(chunks), where);
        if (status !== 200) throw new SampTransportError(`${where}: HTTP ${status}`);
        let decoded;
        try {
          decoded = decodeResponse(answer.toString('utf8'));
        } catch (e) {
          // Not XML-RPC at all: whatever answers there is not a SAMP peer.
          throw new SampTransportError(`${where}: unreadable answer (${(e as Error).message})`);
        }
        if (decoded.ok) finish(null, decoded.value);
        else finish(decoded.fault);
      } catch (e) {
        finish(e as Error);
      }
    });
    socket.on('error', (e) => finish(new SampTransportError(`${where}: ${e.message}`)));
    socket.on('close', () => finish(new SampTransportError(`${where}: connection closed before an answer`)));
  });
}

/** Handles one decoded call; throw `SampFault` for a SAMP error. */
export type XmlRpcHandler = (method: string, params: SampValue[]) => Promise<SampValue> | SampValue;
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
  /** Called with unexpected (non-fault) errors, which still reach the caller as a fault. */
  onError?: (e: unknown) => void;
}

function sendXml(res: http.ServerResponse, xml: string): void {
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
        let xml: string;
        try {
          const call = decodeCall(Buffer.concat(chunks).toString('utf8'));
          const value = await opts.handler(call.method, call.params);
          xml = encodeResponse(value);
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
