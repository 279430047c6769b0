/**
 * The client of JMMC's catalog API (`JMMC-OpenDev/catalogs` `modules/app.xql`, sync.md §2.3):
 * `GET /status`, `GET /accounts/{cat}`, `GET /meta/{cat}`, `GET /{cat}/{id}` and the batch write
 * `PUT /{cat}` with a JSON array of `{key, column: value}`. HTTP Basic credentials go pre-emptively,
 * and only to the API's own origin: redirects are not followed, so they cannot carry them elsewhere.
 * Errors keep the status and the server's `X-HTTP-Error-Description`. Nothing here retries.
 */
import { isSafeIdentifier } from '../../../shared/sync/jmmc';
import { excerpt, httpRequest, SyncHttpError } from './http';

export interface Credentials {
  login: string;
  password: string;
}

export interface ApiStatus {
  login: string;
  groups: string[];
  piAliases: string[];
}

export interface ApiPi {
  name: string;
  login: string | null;
  delegations: Array<{ catalogs?: string; collections?: string; coi: string[] }>;
}

/** Why the server refused a write, classified for the push (sync.md §4.4 step 5). */
export type RefusalKind = 'sign-in' | 'not-owner' | 'bad-row' | 'transient';

/** How to treat a failed PUT. */
export function classifyRefusal(e: SyncHttpError): RefusalKind {
  if (e.isTransient) return 'transient';
  if (e.status === 401) return /restricted to record's owner/i.test(e.description ?? '') ? 'not-owner' : 'sign-in';
  return 'bad-row';
}

export class CatalogApi {
  readonly apiUrl: string;
  private readonly origin: string;

  constructor(
    apiUrl: string,
    private readonly credentials: Credentials | null,
    private readonly options: { timeoutMs?: number } = {},
  ) {
    this.apiUrl = apiUrl.replace(/\/+$/, '');
    this.origin = new URL(this.apiUrl).origin;
  }

  private async call(method: string, path: string, body?: unknown, auth = true): Promise<{ status: number; text: string }> {
    const url = `${this.apiUrl}${path}`;
    // Credentials are for the API host only.
    if (new URL(url).origin !== this.origin) throw new Error(`refusing to send credentials to ${url}`);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (auth && this.credentials) {
      headers.authorization = `Basic ${Buffer.from(`${this.credentials.login}:${this.credentials.password}`, 'utf8').toString('base64')}`;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await httpRequest(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: this.options.timeoutMs ?? 60_000,
      noRedirect: true,
    });
    if (r.status >= 300 && r.status < 400) {
      throw new SyncHttpError('http', url, r.status, null, `catalog API ${method} ${url}: HTTP ${r.status} redirect to ${r.headers.get('location') ?? '?'} not followed (credentials go to ${this.origin} only)`);
    }
    if (r.status >= 400) {
      const description = r.headers.get('x-http-error-description');
      const challenge = r.headers.get('www-authenticate');
      const what = description ?? (r.text ? excerpt(r.text) : r.status === 401 && challenge ? `authentication required (${challenge})` : 'no description');
      throw new SyncHttpError('http', url, r.status, description, `catalog API ${method} ${url}: HTTP ${r.status}: ${what}`);
    }
    return { status: r.status, text: r.text };
  }

  private async json<T>(path: string, auth = true): Promise<T> {
    const r = await this.call('GET', path, undefined, auth);
    try {
      return JSON.parse(r.text) as T;
    } catch {
      throw new SyncHttpError('http', `${this.apiUrl}${path}`, r.status, null, `catalog API GET ${this.apiUrl}${path}: not JSON: ${excerpt(r.text)}`);
    }
  }

  /** Who the server takes us for (`guest` when the credentials were not accepted as a login). */
  async status(): Promise<ApiStatus> {
    const body = await this.json<Array<Record<string, unknown>> | Record<string, unknown>>('/status');
    const s = (Array.isArray(body) ? body[0] : body) ?? {};
    const split = (v: unknown) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : Array.isArray(v) ? v.map(String) : []);
    return { login: String(s.login ?? ''), groups: split(s.groups), piAliases: split(s['pi-aliases']) };
  }

  async accounts(catalog: string): Promise<ApiPi[]> {
    if (!isSafeIdentifier(catalog)) throw new Error(`"${catalog}" is not a catalogue name`);
    const body = await this.json<{ pi?: Array<Record<string, unknown>> }>(`/accounts/${catalog}`);
    return (body.pi ?? []).map((p) => ({
      name: String(p.name ?? ''),
      login: typeof p.login === 'string' ? p.login : null,
      delegations: Array.isArray(p.delegations)
        ? (p.delegations as Array<Record<string, unknown>>).map((d) => ({
            catalogs: typeof d.catalogs === 'string' ? d.catalogs : undefined,
            collections: typeof d.collections === 'string' ? d.collections : undefined,
            coi: Array.isArray(d.coi) ? d.coi.map(String) : typeof d.coi === 'string' ? [d.coi] : [],
          }))
        : [],
    }));
  }

  /** Column metadata of a catalogue (anonymous). */
  async meta(catalog: string): Promise<Array<{ name: string; datatype?: string; 'primary-key'?: boolean }>> {
    if (!isSafeIdentifier(catalog)) throw new Error(`"${catalog}" is not a catalogue name`);
    return this.json(`/meta/${catalog}`, false);
  }

  /**
   * `PUT /{cat}` with rows `{key: id, column: value}`: all or nothing, 204 on success. Ids are
   * sent as integers, column names as given (checked to be plain identifiers).
   */
  async putRows(catalog: string, key: string, rows: Array<{ id: string; values: Record<string, unknown> }>): Promise<void> {
    if (!isSafeIdentifier(catalog) || !isSafeIdentifier(key)) throw new Error(`"${catalog}" / "${key}" is not a catalogue or column name`);
    const body = rows.map((r) => {
      if (!/^\d+$/.test(r.id)) throw new Error(`${key} ${r.id} is not an integer`);
      for (const c of Object.keys(r.values)) if (!isSafeIdentifier(c)) throw new Error(`"${c}" is not a column name`);
      return { [key]: Number(r.id), ...r.values };
    });
    await this.call('PUT', `/${catalog}`, body);
  }
}
