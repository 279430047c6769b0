/**
 * Tables and files we send are handed to peers as URLs on our own 127.0.0.1 callback server, under
 * an unguessable path, for a limited time. Nothing else on that server is readable by GET.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';

interface Served {
  bytes: Buffer;
  contentType: string;
  expiresAtMs: number;
}

/** How long a served file stays available to peers. */
export const SERVED_FILE_TTL_MS = 2 * 3600 * 1000;
const MAX_SERVED = 64;

/** The registry of served files; `handle` plugs into the callback server's GET routes. */
export class ServedFiles {
  private readonly files = new Map<string, Served>();

  /** Serve `bytes`; returns the path (append to the server origin). */
  add(bytes: Buffer, fileName: string, contentType: string): string {
    const now = Date.now();
    for (const [k, f] of this.files) if (f.expiresAtMs < now) this.files.delete(k);
    const expiring = [...this.files.keys()].filter((k) => Number.isFinite(this.files.get(k)?.expiresAtMs));
    while (expiring.length >= MAX_SERVED) this.files.delete(expiring.shift() as string);
    const safeName = fileName.replace(/[^A-Za-z0-9._-]/g, '_') || 'file';
    const path = `/files/${randomBytes(16).toString('hex')}/${safeName}`;
    this.files.set(path, { bytes, contentType, expiresAtMs: now + SERVED_FILE_TTL_MS });
    return path;
  }

  /** Serve `bytes` at a fixed `path` for the life of the server (the metadata icon). */
  addFixed(path: string, bytes: Buffer, contentType: string): void {
    this.files.set(path, { bytes, contentType, expiresAtMs: Number.POSITIVE_INFINITY });
  }

  /** Answer a GET for a served path; false when the path is not ours. */
  handle = (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const f = this.files.get((req.url ?? '').split('?')[0]);
    if (!f || f.expiresAtMs < Date.now()) return false;
    res.writeHead(200, { 'Content-Type': f.contentType, 'Content-Length': f.bytes.length });
    res.end(req.method === 'HEAD' ? undefined : f.bytes);
    return true;
  };
}
