/**
 * Fetch what a `url` parameter points at, at once and before replying: STILTS-like senders serve
 * their table over http only until they get the response. Only http, https and file are accepted,
 * with a size limit and a deadline.
 */
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Default largest table accepted from a peer. */
export const DEFAULT_MAX_FETCH_BYTES = 64 * 1024 * 1024;

export interface FetchedUrl {
  bytes: Buffer;
  /** The local path when the URL was a file: URL. */
  localPath: string | null;
}

/**
 * Normalise the `file:` forms peers send (`file:/x`, `file://localhost/x`, `file:///x`) to a path.
 * Throws for other hosts, which name files on another machine.
 */
export function filePathOfUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'file:') throw new Error(`"${url}" is not a file: URL`);
  if (u.hostname && u.hostname !== 'localhost') throw new Error(`file URL "${url}" names another host (${u.hostname})`);
  u.hostname = '';
  return fileURLToPath(u);
}

/** Read the resource at `url` (http, https or file) into memory, refusing more than `maxBytes`. */
export async function fetchUrl(url: string, maxBytes = DEFAULT_MAX_FETCH_BYTES, timeoutMs = 30_000): Promise<FetchedUrl> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a URL`);
  }
  if (parsed.protocol === 'file:') {
    const file = filePathOfUrl(url);
    const stat = await fs.stat(file).catch(() => null);
    if (!stat?.isFile()) throw new Error(`${file} (from ${url}) is not a readable file`);
    if (stat.size > maxBytes) throw new Error(`${file} is ${stat.size} bytes, more than the limit of ${maxBytes}`);
    return { bytes: await fs.readFile(file), localPath: file };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`URL scheme ${parsed.protocol} is not accepted (http, https or file only)`);
  }
  const res = await fetch(parsed, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' }).catch((e: Error) => {
    throw new Error(`could not fetch ${url}: ${e.cause instanceof Error ? e.cause.message : e.message}`);
  });
  if (!res.ok) throw new Error(`could not fetch ${url}: HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new Error(`${url} is ${declared} bytes, more than the limit of ${maxBytes}`);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (!reader) return { bytes: Buffer.alloc(0), localPath: null };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error(`${url} is more than the limit of ${maxBytes} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return { bytes: Buffer.concat(chunks), localPath: null };
}
