/**
 * XML-RPC over node:http, both ways. Outgoing calls always have a deadline and a response size
 * limit and never reuse sockets (JSAMP's server answers HTTP/1.0 and closes, so a kept-alive
 * socket would be reset). The server binds 127.0.0.1 only and turns every failure, including
 * oversized or malformed requests, into an XML-RPC fault.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** Call `method` on the XML-RPC server at `url`; resolves to its value, rejects with a fault or transport error. */
export function xmlRpcCall(url: string, method: string, params: SampValue[], opts: CallOptions): Promise<SampValue> {
  const body = encodeCall(method, params);
  const limit = opts.maxResponseBytes ?? DEFAULT_MAX_BODY_BYTES;
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new SampTransportError(`bad XML-RPC URL "${url}"`));
      return;
    }
    if (target.protocol !== 'http:') {
      reject(new SampTransportError(`XML-RPC URL "${url}" is not http:`));
      return;
    }
    const req = http.request(
      target,
      {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body), Connection: 'close' },
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > limit) {
            req.destroy(new SampTransportError(`response from ${url} exceeds ${limit} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(new SampTransportError(`${method} at ${url}: HTTP ${res.statusCode}`));
            return;
          }
          try {
            const decoded = decodeResponse(Buffer.concat(chunks).toString('utf8'));
            if (decoded.ok) resolve(decoded.value);
            else reject(decoded.fault);
          } catch (e) {
            reject(e);
          }
        });
        res.on('error', (e) => reject(new SampTransportError(`${method} at ${url}: ${e.message}`)));
      },
    );
    const deadline = setTimeout(() => req.destroy(new SampTransportError(`${method} at ${url}: no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('timeout', () => req.destroy(new SampTransportError(`${method} at ${url}: no answer within ${opts.timeoutMs} ms`)));
    req.on('error', (e) => reject(e instanceof SampTransportError ? e : new SampTransportError(`${method} at ${url}: ${e.message}`)));
    req.on('close', () => clearTimeout(deadline));
    req.end(body);
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
