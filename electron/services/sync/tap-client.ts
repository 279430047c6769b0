/**
 * The TAP client of the pull (sync.md §4.3): synchronous queries, `POST {base}/sync` with
 * REQUEST=doQuery, LANG=ADQL, FORMAT (VOLLT reads FORMAT, not RESPONSEFORMAT) and MAXREC, never
 * VERSION; POST because TAP 1.1 lets a GET answer from a cache. Results are VOTables read by
 * shared/votable/read.ts: `QUERY_STATUS=ERROR` fails whatever the HTTP status (DaCHS says 200,
 * VOLLT 400), OVERFLOW is reported. No credentials are ever sent here: reads are anonymous.
 *
 * A snapshot of a table with a numeric key continues past an OVERFLOW with key-set pages
 * (`WHERE key > last ORDER BY key`, plain ADQL 2.0), so a service limit below the row count
 * still gives every row; completeness is then checked against `SELECT COUNT(*)`.
 */
import { readVoTable, VoTableError, type VoField } from '../../../shared/votable/read';
import { isSafeIdentifier } from '../../../shared/sync/jmmc';
import { excerpt, httpRequest, SyncHttpError } from './http';

export interface TapResult {
  fields: VoField[];
  rows: Array<Array<string | null>>;
  overflow: boolean;
  bytes: number;
}

export interface TapClientOptions {
  timeoutMs?: number;
  /** FORMAT parameter (default votable/td; `votable` asks VOLLT for BINARY). */
  format?: string;
}

export interface SnapshotResult extends TapResult {
  /** `SELECT COUNT(*)` (null when the service could not answer it). */
  serverCount: number | null;
  complete: boolean;
  /** Why it is not complete. */
  notice: string | null;
  pages: number;
}

export class TapClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly options: TapClientOptions = {},
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  private get syncUrl(): string {
    return `${this.baseUrl}/sync`;
  }

  /** Run one ADQL query; throws `SyncHttpError` naming the service, the status and TAP's message. */
  async query(adql: string, opts: { maxRec?: number; onBytes?: (bytes: number) => void } = {}): Promise<TapResult> {
    const form = new URLSearchParams({ REQUEST: 'doQuery', LANG: 'ADQL', FORMAT: this.options.format ?? 'votable/td', QUERY: adql });
    if (opts.maxRec !== undefined) form.set('MAXREC', String(opts.maxRec));
    const response = await httpRequest(this.syncUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/x-votable+xml, text/xml;q=0.9' },
      body: form.toString(),
      timeoutMs: this.options.timeoutMs ?? 120_000,
      onBytes: opts.onBytes,
    });
    const where = `TAP ${this.syncUrl}`;
    const looksVoTable = /<VOTABLE[\s>]/.test(response.text.slice(0, 4000));
    if (!looksVoTable) {
      throw new SyncHttpError('http', this.syncUrl, response.status, excerpt(response.text), `${where}: HTTP ${response.status}${response.status === 200 ? ' but no VOTable' : ''}: ${excerpt(response.text)}`);
    }
    let doc;
    try {
      doc = readVoTable(response.text);
    } catch (e) {
      if (e instanceof VoTableError) throw new SyncHttpError('http', this.syncUrl, response.status, e.message, `${where}: unreadable VOTable (${e.message})`);
      throw e;
    }
    if (doc.queryStatus?.value === 'ERROR') {
      const message = doc.queryStatus.message.trim() || 'no message';
      throw new SyncHttpError('http', this.syncUrl, response.status >= 400 ? response.status : 400, message, `${where}: QUERY_STATUS=ERROR (HTTP ${response.status}): ${excerpt(message, 400)}`);
    }
    if (response.status >= 400) {
      throw new SyncHttpError('http', this.syncUrl, response.status, null, `${where}: HTTP ${response.status}: ${excerpt(response.text)}`);
    }
    const table = doc.tables[0];
    if (!table) throw new SyncHttpError('http', this.syncUrl, response.status, null, `${where}: the result holds no TABLE`);
    return { fields: table.fields, rows: table.rows, overflow: doc.queryStatus?.value === 'OVERFLOW', bytes: response.bytes };
  }

  /** `SELECT COUNT(*) AS n FROM table`. */
  async count(table: string): Promise<number> {
    if (!isSafeIdentifier(table)) throw new Error(`"${table}" is not a table name`);
    const r = await this.query(`SELECT COUNT(*) AS n FROM ${table}`);
    const cell = r.rows[0]?.[0];
    const n = cell === null || cell === undefined ? NaN : Number(cell);
    if (!Number.isInteger(n)) throw new SyncHttpError('http', this.syncUrl, 200, null, `TAP ${this.syncUrl}: COUNT(*) of ${table} gave "${cell}", not a number`);
    return n;
  }

  /** Rows of `table` whose integer key is in `ids` (the push's pre-write check and verify). */
  async rowsByKey(table: string, key: string, ids: string[]): Promise<TapResult> {
    if (!isSafeIdentifier(table) || !isSafeIdentifier(key)) throw new Error(`"${table}.${key}" is not a column name`);
    if (ids.some((id) => !/^\d+$/.test(id))) throw new Error(`${key} values must be integers (got ${ids.find((id) => !/^\d+$/.test(id))})`);
    return this.query(`SELECT * FROM ${table} WHERE ${key} IN (${ids.join(', ')})`, { maxRec: ids.length + 1 });
  }

  /**
   * The whole table: `SELECT * FROM table ORDER BY key`, continued by key-set pages while the
   * service reports OVERFLOW (integer keys), then checked against COUNT(*) (re-counted once when a
   * concurrent insert made them differ).
   */
  async snapshot(
    table: string,
    key: string,
    opts: { maxRec: number; onProgress?: (step: string, done: number, total: number, bytes: number) => void; maxPages?: number },
  ): Promise<SnapshotResult> {
    if (!isSafeIdentifier(table) || !isSafeIdentifier(key)) throw new Error(`"${table}" / "${key}" is not a table or column name`);
    let bytes = 0;
    const progress = (step: string, done: number, total: number) => opts.onProgress?.(step, done, total, bytes);
    progress('query', 0, 0);
    const first = await this.query(`SELECT * FROM ${table} ORDER BY ${key}`, {
      maxRec: opts.maxRec,
      onBytes: (b) => opts.onProgress?.('download', 0, 0, bytes + b),
    });
    bytes += first.bytes;
    const rows = [...first.rows];
    let overflow = first.overflow;
    let pages = 1;
    const keyIndex = first.fields.findIndex((f) => f.name.toLowerCase() === key.toLowerCase());
    let notice: string | null = null;
    while (overflow && pages < (opts.maxPages ?? 1000)) {
      const last = keyIndex >= 0 ? rows[rows.length - 1]?.[keyIndex] : null;
      if (last === null || last === undefined || !/^-?\d+$/.test(last)) {
        notice = `the service truncated the result (QUERY_STATUS=OVERFLOW after ${rows.length} rows) and ${key} is not an integer to page on`;
        break;
      }
      progress('page', rows.length, 0);
      const page = await this.query(`SELECT * FROM ${table} WHERE ${key} > ${last} ORDER BY ${key}`, {
        maxRec: opts.maxRec,
        onBytes: (b) => opts.onProgress?.('download', rows.length, 0, bytes + b),
      });
      bytes += page.bytes;
      // Some services (DaCHS) flag OVERFLOW when a page merely reaches MAXREC: an empty next page ends it.
      if (page.rows.length === 0) {
        overflow = false;
        break;
      }
      rows.push(...page.rows);
      overflow = page.overflow;
      pages++;
    }
    if (overflow && !notice) notice = `the service still reported OVERFLOW after ${pages} pages (${rows.length} rows)`;
    progress('count', rows.length, rows.length);
    let serverCount: number | null = null;
    try {
      serverCount = await this.count(table);
      if (serverCount !== rows.length) serverCount = await this.count(table);
    } catch (e) {
      if (e instanceof SyncHttpError && e.isTransient) throw e;
      notice ??= `COUNT(*) failed: ${(e as Error).message}`;
    }
    if (!notice && serverCount !== null && serverCount !== rows.length) notice = `${rows.length} rows received but COUNT(*) says ${serverCount}`;
    const complete = !overflow && serverCount === rows.length;
    return { fields: first.fields, rows, overflow, bytes, serverCount, complete, notice: complete ? null : notice, pages };
  }
}
