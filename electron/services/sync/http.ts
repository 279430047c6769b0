/**
 * HTTP for the sync clients: Node's fetch (undici) with a timeout, the body read with progress,
 * and failures turned into one error type that says what failed and where, and whether a retry
 * may help (network errors, timeouts and 5xx may; 4xx never do).
 */

/** A failed request: the URL, the HTTP status (null for network errors) and JMMC's description. */
export class SyncHttpError extends Error {
  constructor(
    readonly kind: 'network' | 'timeout' | 'http',
    readonly url: string,
    readonly status: number | null,
    /** `X-HTTP-Error-Description` of the catalog API, or the TAP error message. */
    readonly description: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }

  /** Whether trying again later may succeed (network down, timeout, a 5xx). */
  get isTransient(): boolean {
    return this.kind !== 'http' || (this.status !== null && this.status >= 500);
  }
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  bytes: number;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Called as the body arrives, with the bytes received so far. */
  onBytes?: (bytes: number) => void;
  /** Never follow redirects (a redirect is returned as its 3xx response). */
  noRedirect?: boolean;
}

function describeNetworkError(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message;
}

/** One request; throws `SyncHttpError` for network failures and timeouts (not for HTTP statuses). */
export async function httpRequest(url: string, options: RequestOptions): Promise<HttpResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetch(url, {
        method: options.method ?? 'GET',
        headers: options.headers,
        body: options.body,
        signal: controller.signal,
        redirect: options.noRedirect ? 'manual' : 'follow',
      });
    } catch (e) {
      if (controller.signal.aborted) throw new SyncHttpError('timeout', url, null, null, `${url}: no answer within ${options.timeoutMs >= 1000 ? `${Math.round(options.timeoutMs / 1000)} s` : `${options.timeoutMs} ms`}`);
      throw new SyncHttpError('network', url, null, null, `${url}: not reachable (${describeNetworkError(e)})`);
    }
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    try {
      if (response.body) {
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          bytes += value.length;
          options.onBytes?.(bytes);
        }
      }
    } catch (e) {
      if (controller.signal.aborted) throw new SyncHttpError('timeout', url, response.status, null, `${url}: the answer stopped arriving (timeout after ${Math.round(options.timeoutMs / 1000)} s)`);
      throw new SyncHttpError('network', url, response.status, null, `${url}: the connection broke while reading the answer (${describeNetworkError(e)})`);
    }
    const all = new Uint8Array(bytes);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    return { status: response.status, headers: response.headers, text: new TextDecoder('utf-8').decode(all), bytes };
  } finally {
    clearTimeout(timer);
  }
}

/** A short, one-line excerpt of a response body for an error message. */
export function excerpt(text: string, max = 200): string {
  const one = text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}
