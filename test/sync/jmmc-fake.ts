/**
 * A STAND-IN for JMMC's SPICA-DB services, for tests only: not JMMC's code, and not a claim that
 * JMMC behaves exactly so where the sources are silent. It follows
 * ../shared/docs/sync.md §2.3 and §7, i.e. JMMC-OpenDev/catalogs `modules/app.xql` @369ab0b (the
 * catalog API) and the VOLLT TAP library (gmantele/vollt @9e73832) as read there:
 *
 * - one SQLite database (better-sqlite3) holds the tables; TAP reads and API writes share them,
 *   as JMMC's API writes the PostgreSQL that VOLLT reads;
 * - TAP at `/vollt/tap/sync` (POST or GET): REQUEST=doQuery and LANG=ADQL required (else 400, as
 *   VOLLT's `TAPParameters.check`); FORMAT (not RESPONSEFORMAT, unless `honourResponseFormat`,
 *   DaCHS-like) ∈ votable/td, the TABLEDATA MIME type, csv; no FORMAT or `votable` → BINARY (VOLLT's
 *   default); MAXREC with a default and a limit, `QUERY_STATUS=OVERFLOW` after the TABLE; errors as
 *   a VOTable with `QUERY_STATUS=ERROR` at HTTP 400 (VOLLT) or 200 (DaCHS, `tapErrorStatus`);
 *   `VALUES@null` sentinels for integer NULLs, empty TD for text NULLs; an ADQL subset:
 *   `SELECT [TOP n] *|COUNT(*) [AS n]|cols FROM t [WHERE pk IN (…) | pk > n | pk = n] [ORDER BY c] [OFFSET k]`;
 * - the catalog API at `/restxq/catalogs` with the routes of app.xql, HTTP Basic auth against a
 *   `people` list (aliases, groups, delegations), the rights of `has-access` / `has-row-access` /
 *   `is-pi-valid` / `is-admin` in that order (spica-qcs@jmmc.fr is admin of every catalogue; an
 *   unknown id gives a non-admin 401 naming no owner, since `get-pinames` swallows the not-found),
 *   all checks before the transaction, two statements per row (UPDATE, then `lastmods` prepended
 *   newest first), values through `normalize-space` then cast as PostgreSQL would (a bad cast or an
 *   unknown column is a 400 and the batch rolls back), JSON null → NULL, the key and `lastmods`
 *   dropped from SET, 204 on success, `X-HTTP-Error-Description` on errors and
 *   `Www-Authenticate: Basic realm="jmmc account"` on every 401, a JSON string holding JSON accepted.
 *
 * Where the sources leave a choice, this is what it does (and why):
 * - bad credentials: eXist's servlet answers 401 with its own challenge (realm "exist", no
 *   description) [inferred]; `badCredentials: 'guest'` instead serves the request as the anonymous
 *   guest (GET /status then names "guest");
 * - a NULL written through the API is recorded in `lastmods` as "" (`get-row-json-expr` escapes the
 *   empty sequence; sync.md says "null", the code reads "");
 * - SQL error texts imitate PostgreSQL's wording; the exact strings JMMC returns are not known.
 *
 * Fault switches (sync.md §7): `dropResponseAfterCommit`, `badGateway`, `hang`, `qcWrite` (the QC
 * account bumping completion_rate and ob_refs), `writeAs` (a co-I editing through the API),
 * `renameTable`, `addColumn`, `removeRow`, `maxRecDefault` / `maxRecLimit` below the row count; and
 * `onRequest`, awaited before each request is handled, to act at a chosen moment.
 */
import Database from 'better-sqlite3';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export type FakeVoType = 'short' | 'int' | 'long' | 'float' | 'double' | 'char';

export interface FakeColumn {
  name: string;
  type: FakeVoType;
}

export interface FakeTable {
  name: string;
  description?: string;
  columns: FakeColumn[];
  rows: Array<Record<string, unknown>>;
}

export interface FakePerson {
  email: string;
  password: string;
  aliases: string[];
  groups?: string[];
  firstname?: string;
  lastname?: string;
  /** Delegations of this person (as a PI): a catalogue-name prefix and the co-I aliases it names. */
  delegations?: Array<{ catalogs?: string; collections?: string; coi: string[] }>;
}

export interface JmmcFakeOptions {
  people: FakePerson[];
  tables: FakeTable[];
  /** SQLite file (a temp file in tests); default in memory. */
  dbFile?: string;
  /** HTTP status of a TAP error document: 400 (VOLLT, default) or 200 (DaCHS). */
  tapErrorStatus?: 400 | 200;
  /** Honour RESPONSEFORMAT as DaCHS does (VOLLT ignores it). */
  honourResponseFormat?: boolean;
  /** Write `VALUES@null` sentinels for integer columns (default true). */
  nullSentinels?: boolean;
  maxRecDefault?: number;
  maxRecLimit?: number;
  badCredentials?: 'challenge' | 'guest';
  /** Milliseconds of delay added to every response (to act during a sync). */
  delayMs?: number;
}

export interface FakeRequestInfo {
  method: string;
  path: string;
  /** 'tap' or 'api'. */
  service: 'tap' | 'api' | 'other';
  /** The login of a valid Authorization header, or null. */
  login: string | null;
  hasAuthorization: boolean;
  body: string;
}

const QC_LOGIN = 'spica-qcs@jmmc.fr';
const PG_TYPE: Record<FakeVoType, string> = {
  short: 'smallint',
  int: 'integer',
  long: 'bigint',
  float: 'real',
  double: 'double precision',
  char: 'text',
};
const SQLITE_TYPE: Record<FakeVoType, string> = { short: 'INTEGER', int: 'INTEGER', long: 'INTEGER', float: 'REAL', double: 'REAL', char: 'TEXT' };
const NULL_SENTINEL: Partial<Record<FakeVoType, string>> = { short: '-32768', int: '-2147483648', long: '-9223372036854775808' };

/** XPath normalize-space. */
function normalizeSpace(s: string): string {
  return s.replace(/[\x20\x09\x0D\x0A]+/g, ' ').trim();
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A header value as HTTP carries it (one line, Latin-1). */
function headerSafe(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
}

class RestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

class SqlError extends Error {}

function primaryKeyOf(catalog: string): string {
  if (catalog.startsWith('spica') && !/spica_cal|spica_followup|spica_test_followup/.test(catalog)) return 'spicadb_id';
  if (catalog.startsWith('obsportal')) return 'exp_id';
  if (/spica_followup|spica_test_followup/.test(catalog)) return 'tpl_start';
  return 'id';
}

function lastmodsOf(catalog: string): string | null {
  return catalog.startsWith('spica') && !/spica_cal|spica_test_followup|spica_followup/.test(catalog) ? 'lastmods' : null;
}

function piColumnsOf(catalog: string): string[] {
  if (catalog.startsWith('spica')) return /spica_cal|spica_followup|spica_test_followup/.test(catalog) ? ['piname'] : ['piname', 'piname2'];
  return ['datapi'];
}

/** eXist's `current-dateTime()` as it prints: milliseconds and a +hh:mm offset (UTC here). */
function xsDateTime(d = new Date()): string {
  return d.toISOString().replace('Z', '+00:00');
}

interface Parsed {
  top: number | null;
  kind: 'rows' | 'count';
  countAlias: string;
  columns: string[] | '*';
  table: string;
  where: { column: string; op: 'in' | '>' | '='; values: number[] } | null;
  orderBy: { column: string; desc: boolean } | null;
  offset: number;
}

class AdqlError extends Error {}

/** The ADQL subset of sync.md §7. */
function parseAdql(query: string): Parsed {
  const q = query.trim().replace(/;\s*$/, '');
  const m = /^SELECT\s+(?:TOP\s+(\d+)\s+)?(.+?)\s+FROM\s+("?[A-Za-z_][\w.]*"?)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+(\w+)(?:\s+(ASC|DESC))?)?(?:\s+OFFSET\s+(\d+))?$/is.exec(q);
  if (!m) throw new AdqlError(`Incorrect ADQL query: ${q.slice(0, 80)}`);
  const [, top, select, rawTable, where, orderCol, orderDir, offset] = m;
  let kind: Parsed['kind'] = 'rows';
  let countAlias = 'COUNT';
  let columns: Parsed['columns'] = '*';
  const count = /^COUNT\(\s*\*\s*\)(?:\s+AS\s+(\w+))?$/i.exec(select.trim());
  if (count) {
    kind = 'count';
    countAlias = count[1] ?? 'COUNT';
  } else if (select.trim() !== '*') {
    columns = select.split(',').map((c) => c.trim());
    if (columns.some((c) => !/^[A-Za-z_]\w*$/.test(c))) throw new AdqlError(`Incorrect ADQL query: unsupported select list "${select}"`);
  }
  const table = rawTable.replace(/"/g, '').replace(/^public\./i, '');
  let w: Parsed['where'] = null;
  if (where) {
    const inList = /^(\w+)\s+IN\s*\(([^)]*)\)$/i.exec(where.trim());
    const cmp = /^(\w+)\s*(>|=)\s*(-?\d+)$/.exec(where.trim());
    if (inList) {
      const values = inList[2].split(',').map((v) => v.trim()).filter((v) => v !== '').map((v) => {
        if (!/^-?\d+$/.test(v.replace(/'/g, ''))) throw new AdqlError(`Incorrect ADQL query: "${v}" is not an integer`);
        return Number(v.replace(/'/g, ''));
      });
      w = { column: inList[1], op: 'in', values };
    } else if (cmp) {
      w = { column: cmp[1], op: cmp[2] as '>' | '=', values: [Number(cmp[3])] };
    } else throw new AdqlError(`Incorrect ADQL query: unsupported WHERE clause "${where}"`);
  }
  return {
    top: top === undefined ? null : Number(top),
    kind,
    countAlias,
    columns,
    table,
    where: w,
    orderBy: orderCol ? { column: orderCol, desc: (orderDir ?? '').toUpperCase() === 'DESC' } : null,
    offset: offset === undefined ? 0 : Number(offset),
  };
}

/** Encode rows as a BINARY STREAM (VOTable 1.3 §5.4): what VOLLT sends without FORMAT. */
function encodeBinary(columns: FakeColumn[], rows: Array<Record<string, unknown>>): string {
  const chunks: Buffer[] = [];
  for (const row of rows) {
    for (const c of columns) {
      const v = row[c.name];
      if (c.type === 'char') {
        const bytes = Buffer.from(v === null || v === undefined ? '' : String(v), 'utf8');
        const len = Buffer.alloc(4);
        len.writeInt32BE(bytes.length);
        chunks.push(len, bytes);
        continue;
      }
      const isNull = v === null || v === undefined;
      const b = Buffer.alloc(c.type === 'short' ? 2 : c.type === 'int' || c.type === 'float' ? 4 : 8);
      if (c.type === 'short') b.writeInt16BE(isNull ? -32768 : Number(v));
      else if (c.type === 'int') b.writeInt32BE(isNull ? -2147483648 : Number(v));
      else if (c.type === 'long') b.writeBigInt64BE(isNull ? -9223372036854775808n : BigInt(Number(v)));
      else if (c.type === 'float') b.writeFloatBE(isNull ? NaN : Number(v));
      else b.writeDoubleBE(isNull ? NaN : Number(v));
      chunks.push(b);
    }
  }
  return Buffer.concat(chunks).toString('base64');
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The fake JMMC: TAP + catalog API over one SQLite database. */
export class JmmcFake {
  readonly db: Database.Database;
  /** e.g. http://127.0.0.1:PORT */
  origin = '';
  /** Requests seen, oldest first. */
  readonly requests: Array<FakeRequestInfo & { status: number }> = [];
  /** The next N PUTs commit, then the connection is destroyed without a reply. */
  dropResponseAfterCommit = 0;
  /** The next N requests to a service (or the next N PUTs) answer 502 Bad Gateway (as a reverse proxy would). */
  badGateway: Record<'tap' | 'api' | 'put', number> = { tap: 0, api: 0, put: 0 };
  /** The next N requests to a service are never answered (until the client gives up). */
  hang: Record<'tap' | 'api', number> = { tap: 0, api: 0 };
  /** Awaited before each request is handled. */
  onRequest: ((info: FakeRequestInfo) => void | Promise<void>) | null = null;
  maxRecDefault: number;
  maxRecLimit: number;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly hung: ServerResponse[] = [];

  private constructor(readonly options: JmmcFakeOptions) {
    this.db = new Database(options.dbFile ?? ':memory:');
    this.db.pragma('journal_mode = WAL');
    this.maxRecDefault = options.maxRecDefault ?? -1;
    this.maxRecLimit = options.maxRecLimit ?? -1;
    this.db.exec(`create table if not exists tap_tables (table_name text primary key, description text);
      create table if not exists tap_columns (table_name text, column_name text, position integer, vo_type text, primary key (table_name, column_name))`);
    for (const t of options.tables) this.loadTable(t);
  }

  /** Start on 127.0.0.1, port 0. */
  static async start(options: JmmcFakeOptions): Promise<JmmcFake> {
    const fake = new JmmcFake(options);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    fake.server.on('connection', (s) => {
      fake.sockets.add(s);
      s.on('close', () => fake.sockets.delete(s));
    });
    await new Promise<void>((done) => fake.server?.listen(0, '127.0.0.1', done));
    fake.origin = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  get tapUrl(): string {
    return `${this.origin}/vollt/tap`;
  }

  get apiUrl(): string {
    return `${this.origin}/restxq/catalogs`;
  }

  /** Go off the network (the port stops answering; the database stays), as JMMC unreachable from a laptop. */
  async suspend(): Promise<void> {
    for (const r of this.hung) r.destroy();
    for (const so of this.sockets) so.destroy();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  /** Come back on the same port. */
  async resume(): Promise<void> {
    const port = Number(new URL(this.origin).port);
    await new Promise<void>((done, fail) => {
      this.server?.once('error', fail);
      this.server?.listen(port, '127.0.0.1', () => done());
    });
  }

  async close(): Promise<void> {
    for (const r of this.hung) r.destroy();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((done) => (this.server?.listening ? this.server.close(() => done()) : done()));
    this.db.close();
  }

  // ---- table contents -------------------------------------------------------------------------

  loadTable(t: FakeTable): void {
    const pk = primaryKeyOf(t.name);
    const cols = t.columns.map((c) => `"${c.name}" ${SQLITE_TYPE[c.type]}${c.name === pk ? ' primary key' : ''}`);
    this.db.exec(`drop table if exists "${t.name}"; create table "${t.name}" (${cols.join(', ')})`);
    this.db.prepare('insert or replace into tap_tables values (?, ?)').run(t.name, t.description ?? t.name);
    this.db.prepare('delete from tap_columns where table_name = ?').run(t.name);
    t.columns.forEach((c, i) => this.db.prepare('insert into tap_columns values (?, ?, ?, ?)').run(t.name, c.name, i, c.type));
    const insert = this.db.prepare(`insert into "${t.name}" (${t.columns.map((c) => `"${c.name}"`).join(', ')}) values (${t.columns.map(() => '?').join(', ')})`);
    this.db.transaction(() => {
      for (const r of t.rows) insert.run(...t.columns.map((c) => (r[c.name] === undefined || r[c.name] === '' ? null : (r[c.name] as never))));
    })();
  }

  columnsOf(table: string): FakeColumn[] {
    return (this.db.prepare('select column_name as name, vo_type as type from tap_columns where table_name = ? order by position').all(table) as FakeColumn[]);
  }

  hasTable(table: string): boolean {
    return this.db.prepare('select 1 from tap_tables where table_name = ?').get(table) !== undefined;
  }

  /** Every row of a table, ordered by key, as stored. */
  rows(table: string): Array<Record<string, unknown>> {
    return this.db.prepare(`select * from "${table}" order by "${primaryKeyOf(table)}"`).all() as Array<Record<string, unknown>>;
  }

  row(table: string, pk: number | string): Record<string, unknown> | undefined {
    return this.db.prepare(`select * from "${table}" where "${primaryKeyOf(table)}" = ?`).get(pk) as Record<string, unknown> | undefined;
  }

  /** Fault: the table gets a new (dated) name; the old name is gone. */
  renameTable(from: string, to: string): void {
    this.db.transaction(() => {
      this.db.exec(`alter table "${from}" rename to "${to}"`);
      this.db.prepare('update tap_tables set table_name = ? where table_name = ?').run(to, from);
      this.db.prepare('update tap_columns set table_name = ? where table_name = ?').run(to, from);
    })();
  }

  /** Fault: a new column appears (NULL everywhere unless `value`). */
  addColumn(table: string, column: FakeColumn, value: unknown = null): void {
    this.db.transaction(() => {
      this.db.exec(`alter table "${table}" add column "${column.name}" ${SQLITE_TYPE[column.type]}`);
      const n = (this.db.prepare('select count(*) as n from tap_columns where table_name = ?').get(table) as { n: number }).n;
      this.db.prepare('insert into tap_columns values (?, ?, ?, ?)').run(table, column.name, n, column.type);
      if (value !== null) this.db.prepare(`update "${table}" set "${column.name}" = ?`).run(value as never);
    })();
  }

  /** Fault: a row disappears (JMMC has no DELETE route; an admin re-ingest does this). */
  removeRow(table: string, pk: number): void {
    this.db.prepare(`delete from "${table}" where "${primaryKeyOf(table)}" = ?`).run(pk);
  }

  /** Write through the API's own update path as `login` (rights checked), e.g. a co-I or the QC. */
  writeAs(login: string, catalog: string, values: Array<Record<string, unknown>>): void {
    this.updateCatalog(catalog, values, this.person(login));
  }

  /** The QC pipeline (spica-qcs@jmmc.fr, admin of every catalogue) bumping completion and OB refs. */
  qcWrite(catalog: string, pk: number, completionRate: number, obRefs?: number): void {
    const row = this.row(catalog, pk);
    const refs = obRefs ?? Number(row?.ob_refs ?? 0) + 1;
    this.writeAs(QC_LOGIN, catalog, [{ [primaryKeyOf(catalog)]: pk, completion_rate: completionRate, ob_refs: refs, qcs_flag: 0 }]);
  }

  // ---- people and rights (app.xql) ----------------------------------------------------------

  private person(login: string | null): FakePerson | null {
    if (!login) return null;
    return this.options.people.find((p) => p.email === login) ?? (login === QC_LOGIN ? { email: QC_LOGIN, password: '', aliases: [] } : null);
  }

  private aliasesOf(login: string): string[] {
    return this.options.people.find((p) => p.email === login)?.aliases ?? [];
  }

  /** user:get-delegations: the delegations of the person with that alias or e-mail. */
  private delegationsOfPi(pi: string): NonNullable<FakePerson['delegations']> {
    const out: NonNullable<FakePerson['delegations']> = [];
    for (const v of pi.split('/').map((s) => s.trim())) {
      for (const p of this.options.people) if (p.aliases.includes(v) || p.email === v) out.push(...(p.delegations ?? []));
    }
    return out;
  }

  private isAdmin(catalog: string, who: FakePerson | null): boolean {
    if (!who) return false;
    if ((who.groups ?? []).some((g) => catalog.startsWith(g))) return true;
    return who.email === QC_LOGIN;
  }

  private piNames(catalog: string, id: unknown): string[] {
    const pk = primaryKeyOf(catalog);
    let row: Record<string, unknown> | undefined;
    try {
      row = this.db.prepare(`select ${piColumnsOf(catalog).map((c) => `"${c}"`).join(', ')} from "${catalog}" where "${pk}" = ?`).get(String(id)) as Record<string, unknown> | undefined;
    } catch {
      row = undefined;
    }
    // get-pinames swallows the not-found: an unknown id has no PI.
    if (!row) return [];
    const names: string[] = [];
    for (const v of Object.values(row)) if (v) for (const t of String(v).split('/')) names.push(normalizeSpace(t));
    return names;
  }

  private isPiValid(login: string, pinames: string[], catalog: string): boolean {
    const aliases = this.aliasesOf(login);
    const upper = new Set(aliases.map((a) => a.toUpperCase()));
    if (pinames.some((p) => upper.has(p.toUpperCase()))) return true;
    return pinames.some((p) => this.delegationsOfPi(p).some((d) => d.catalogs !== undefined && catalog.startsWith(d.catalogs) && d.coi.some((c) => aliases.includes(c))));
  }

  private hasRowAccess(catalog: string, id: unknown, who: FakePerson | null): void {
    if (this.isAdmin(catalog, who)) return;
    const pinames = this.piNames(catalog, id);
    if (who && this.isPiValid(who.email, pinames, catalog)) return;
    throw new RestError(401, `Operation restricted to record's owner(${pinames.join(' / ')}), delegated users or admins`);
  }

  private hasAccess(catalog: string, who: FakePerson | null): void {
    if (catalog.startsWith('oidb')) return;
    if (who) return;
    throw new RestError(401, 'Catalog is not public');
  }

  private isAuthenticated(who: FakePerson | null): void {
    if (!who) throw new RestError(401, 'Operation restricted to authenticated users');
  }

  // ---- writes (app:update-catalog) ------------------------------------------------------------

  /** PostgreSQL's cast of a quoted literal into the column's type. */
  private cast(catalog: string, column: FakeColumn, text: string): unknown {
    const t = text.trim();
    if (column.type === 'short' || column.type === 'int' || column.type === 'long') {
      if (!/^[+-]?\d+$/.test(t)) throw new SqlError(`ERROR: invalid input syntax for type ${PG_TYPE[column.type]}: "${text}"`);
      const n = Number(t);
      const limit = column.type === 'short' ? 32767 : column.type === 'int' ? 2147483647 : Number.MAX_SAFE_INTEGER;
      if (n > limit || n < -limit - 1) throw new SqlError(`ERROR: value "${text}" is out of range for type ${PG_TYPE[column.type]}`);
      return n;
    }
    if (column.type === 'float' || column.type === 'double') {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^(NaN|[+-]?Infinity)$/i.test(t)) {
        throw new SqlError(`ERROR: invalid input syntax for type ${PG_TYPE[column.type]}: "${text}"`);
      }
      return column.type === 'float' ? Math.fround(Number(t)) : Number(t);
    }
    void catalog;
    return text;
  }

  /** The API's update of one or more rows: checks first, then one transaction, all or nothing. */
  private updateCatalog(catalog: string, values: unknown, who: FakePerson | null): void {
    this.hasAccess(catalog, who);
    if (!Array.isArray(values)) throw new RestError(400, 'err:XPTY0004, expected an array of records');
    const pk = primaryKeyOf(catalog);
    const lastmods = lastmodsOf(catalog);
    for (const row of values) {
      if (!row || typeof row !== 'object') throw new RestError(400, 'err:XPTY0004, expected a map');
      this.hasRowAccess(catalog, (row as Record<string, unknown>)[pk], who);
    }
    const statements: Array<{ sql: string; run(): number }> = [];
    const known = new Map(this.columnsOf(catalog).map((c) => [c.name.toLowerCase(), c]));
    const tableExists = this.hasTable(catalog);
    for (const raw of values as Array<Record<string, unknown>>) {
      const id = raw[pk];
      if (id === undefined || id === null || id === '') throw new RestError(400, `app:missing-key, ${pk} is mandatory`);
      const set = Object.entries(raw).filter(([k]) => k !== pk && k !== lastmods);
      if (set.length === 0) throw new RestError(400, 'app:missing-col, no value to update');
      const escaped = set.map(([k, v]) => [k, v === null ? null : normalizeSpace(typeof v === 'object' ? JSON.stringify(v) : String(v))] as const);
      const setExpr = escaped.map(([k, v]) => (v === null ? `${k}=null` : `${k}='${v.replace(/'/g, "''")}'`)).join(', ');
      const sql = `UPDATE ${catalog} SET ${setExpr} WHERE ${pk}='${String(id)}'`;
      statements.push({
        sql,
        run: () => {
          if (!tableExists) throw new SqlError(`ERROR: relation "${catalog}" does not exist`);
          const seen = new Set<string>();
          const assignments: Array<[string, unknown]> = [];
          for (const [k, v] of escaped) {
            const col = known.get(k.toLowerCase());
            if (!col || !/^\w+$/.test(k)) throw new SqlError(`ERROR: column "${k.toLowerCase()}" of relation "${catalog}" does not exist`);
            if (seen.has(col.name)) throw new SqlError(`ERROR: multiple assignments to same column "${col.name}"`);
            seen.add(col.name);
            assignments.push([col.name, v === null ? null : this.cast(catalog, col, v)]);
          }
          return this.db
            .prepare(`update "${catalog}" set ${assignments.map(([c]) => `"${c}" = ?`).join(', ')} where "${pk}" = ?`)
            .run(...(assignments.map(([, v]) => v) as never[]), String(id)).changes;
        },
      });
      if (lastmods) {
        const json = escaped.map(([k, v]) => `, "${k}":"${(v ?? '').replace(/"/g, '\\"')}"`).join('');
        const info = `{"utc":"${xsDateTime()}", "by":"${who?.email ?? 'guest'}"${json}}`;
        statements.push({
          sql: `UPDATE ${catalog} SET ${lastmods} = … WHERE ${pk}='${String(id)}'`,
          run: () => {
            const current = this.db.prepare(`select "${lastmods}" as l from "${catalog}" where "${pk}" = ?`).get(String(id)) as { l: string | null } | undefined;
            if (!current) return 0;
            const prefix = '[{"history":"API"}';
            const next = current.l === null || current.l === '' ? `${prefix},${info} ]` : current.l.split(prefix).join(`${prefix},${info}`);
            return this.db.prepare(`update "${catalog}" set "${lastmods}" = ? where "${pk}" = ?`).run(next, String(id)).changes;
          },
        });
      }
    }
    const tx = this.db.transaction(() => {
      for (const s of statements) {
        let count: number;
        try {
          count = s.run();
        } catch (e) {
          if (e instanceof SqlError) throw new RestError(400, `Failed to update records : sql:exception${e.message} STATEMENT: ${s.sql}`);
          throw e;
        }
        if (count === 0) throw new RestError(404, `Failed to update : record not found. STATEMENT: ${s.sql}`);
      }
    });
    tx();
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private authenticate(req: IncomingMessage): { who: FakePerson | null; bad: boolean } {
    const header = req.headers.authorization;
    if (!header) return { who: null, bad: false };
    const m = /^Basic\s+(.+)$/i.exec(header);
    if (!m) return { who: null, bad: true };
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const login = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const p = this.options.people.find((x) => x.email === login && x.password === password);
    return p ? { who: p, bad: false } : { who: null, bad: true };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const service = url.pathname.startsWith('/vollt/tap') ? 'tap' : url.pathname.startsWith('/restxq/catalogs') ? 'api' : 'other';
    const auth = this.authenticate(req);
    const info: FakeRequestInfo = { method: req.method ?? 'GET', path: url.pathname + url.search, service, login: auth.who?.email ?? null, hasAuthorization: req.headers.authorization !== undefined, body };
    const record = (status: number) => this.requests.push({ ...info, status });
    if (this.onRequest) await this.onRequest(info);
    if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs));
    if (service !== 'other' && this.hang[service] > 0) {
      this.hang[service]--;
      record(0);
      this.hung.push(res);
      return;
    }
    const isPut = service === 'api' && info.method === 'PUT';
    if (service !== 'other' && (this.badGateway[service] > 0 || (isPut && this.badGateway.put > 0))) {
      if (isPut && this.badGateway.put > 0) this.badGateway.put--;
      else this.badGateway[service]--;
      record(502);
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>');
      return;
    }
    try {
      if (service === 'tap') return this.handleTap(req, res, url, body, record);
      if (service === 'api') return this.handleApi(req, res, url, body, auth, record);
      record(404);
      res.writeHead(404).end();
    } catch (e) {
      record(500);
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
    }
  }

  // ---- TAP ------------------------------------------------------------------------------------

  private handleTap(req: IncomingMessage, res: ServerResponse, url: URL, body: string, record: (s: number) => void): void {
    const sub = url.pathname.replace(/^\/vollt\/tap/, '');
    if (sub === '/capabilities') {
      record(200);
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<?xml version="1.0"?><vosi:capabilities xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0"><capability standardID="ivo://ivoa.net/std/TAP"><outputLimit><default unit="row">${this.maxRecDefault}</default><hard unit="row">${this.maxRecLimit}</hard></outputLimit></capability></vosi:capabilities>`);
      return;
    }
    if (sub !== '/sync' && sub !== '/sync/') {
      record(404);
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no resource ${sub}`);
      return;
    }
    const params = new URLSearchParams(req.method === 'POST' ? body : url.search);
    const get = (name: string): string | null => {
      for (const [k, v] of params) if (k.toLowerCase() === name.toLowerCase()) return v;
      return null;
    };
    const fail = (message: string, status = this.options.tapErrorStatus ?? 400) => {
      record(status);
      res.writeHead(status, { 'content-type': 'application/x-votable+xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE type="results"><INFO name="QUERY_STATUS" value="ERROR">${xmlEscape(message)}</INFO><INFO name="PROVIDER" value="SPICA Companion test stand-in (VOLLT-like)"/></RESOURCE></VOTABLE>`,
      );
    };
    const request = get('REQUEST');
    if (!request) return fail('The parameter "REQUEST" must be provided and its value must be equal to "doQuery" or "getCapabilities"!', 400);
    if (request !== 'doQuery') return fail(`Unknown value for the parameter "REQUEST": "${request}"!`, 400);
    if ((get('LANG') ?? '').toUpperCase() !== 'ADQL') return fail('The parameter "LANG" must be provided and must be equal to "ADQL"!', 400);
    const query = get('QUERY');
    if (!query) return fail('The parameter "QUERY" must be provided!', 400);
    const format = (this.options.honourResponseFormat ? (get('RESPONSEFORMAT') ?? get('FORMAT')) : get('FORMAT')) ?? 'votable';
    const maxRecParam = get('MAXREC');
    let maxRec = maxRecParam === null ? this.maxRecDefault : Number(maxRecParam);
    if (!Number.isInteger(maxRec)) return fail(`The value of the parameter "MAXREC" must be an integer: "${maxRecParam}"`, 400);
    if (this.maxRecLimit >= 0 && (maxRec < 0 || maxRec > this.maxRecLimit)) maxRec = this.maxRecLimit;
    let parsed: Parsed;
    try {
      parsed = parseAdql(query);
    } catch (e) {
      return fail((e as Error).message);
    }
    if (!this.hasTable(parsed.table)) return fail(`1 unresolved identifiers: ${parsed.table} [l.1 c.15 - l.1 c.${15 + parsed.table.length}]!\n  - Unknown table "${parsed.table}" !`);
    const all = this.columnsOf(parsed.table);
    let columns: FakeColumn[];
    let rows: Array<Record<string, unknown>>;
    if (parsed.kind === 'count') {
      const n = (this.db.prepare(`select count(*) as n from "${parsed.table}"`).get() as { n: number }).n;
      columns = [{ name: parsed.countAlias, type: 'long' }];
      rows = [{ [parsed.countAlias]: n }];
    } else {
      const unknown = parsed.columns === '*' ? [] : parsed.columns.filter((name) => !all.some((x) => x.name.toLowerCase() === name.toLowerCase()));
      if (unknown.length > 0) return fail(`Unknown column "${unknown[0]}" !`);
      columns = parsed.columns === '*' ? all : parsed.columns.map((name) => all.find((x) => x.name.toLowerCase() === name.toLowerCase()) as FakeColumn);
      let sql = `select ${columns.map((c) => `"${c.name}"`).join(', ')} from "${parsed.table}"`;
      const args: number[] = [];
      if (parsed.where) {
        if (!all.some((c) => c.name === parsed.where?.column)) return fail(`Unknown column "${parsed.where.column}" !`);
        if (parsed.where.op === 'in') {
          sql += parsed.where.values.length === 0 ? ' where 0' : ` where "${parsed.where.column}" in (${parsed.where.values.map(() => '?').join(', ')})`;
          args.push(...parsed.where.values);
        } else {
          sql += ` where "${parsed.where.column}" ${parsed.where.op} ?`;
          args.push(parsed.where.values[0]);
        }
      }
      if (parsed.orderBy) sql += ` order by "${parsed.orderBy.column}" ${parsed.orderBy.desc ? 'desc' : 'asc'}`;
      const limit = parsed.top ?? -1;
      sql += ` limit ${limit} offset ${parsed.offset}`;
      rows = this.db.prepare(sql).all(...args) as Array<Record<string, unknown>>;
    }
    const overflow = maxRec >= 0 && rows.length > maxRec;
    if (overflow) rows = rows.slice(0, maxRec);
    record(200);
    if (format === 'csv' || format === 'text/csv') {
      res.writeHead(200, { 'content-type': 'text/csv;header=present' });
      res.end([columns.map((c) => c.name).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c.name])).join(','))].join('\r\n') + '\r\n');
      return;
    }
    const isTd = format === 'votable/td' || format.replace(/\s/g, '').toLowerCase() === 'application/x-votable+xml;serialization=tabledata';
    const sentinels = this.options.nullSentinels ?? true;
    const fields = columns
      .map((c) => {
        const type = `datatype="${c.type}"${c.type === 'char' ? ' arraysize="*"' : ''}`;
        const sentinel = NULL_SENTINEL[c.type];
        return sentinels && sentinel ? `<FIELD name="${c.name}" ${type}><VALUES null="${sentinel}"/></FIELD>` : `<FIELD name="${c.name}" ${type}/>`;
      })
      .join('');
    let data: string;
    if (isTd) {
      const td = (c: FakeColumn, v: unknown) => {
        if (v === null || v === undefined) return sentinels && NULL_SENTINEL[c.type] ? `<TD>${NULL_SENTINEL[c.type]}</TD>` : '<TD/>';
        return `<TD>${xmlEscape(String(v))}</TD>`;
      };
      data = `<DATA><TABLEDATA>${rows.map((r) => `<TR>${columns.map((c) => td(c, r[c.name])).join('')}</TR>`).join('\n')}</TABLEDATA></DATA>`;
    } else {
      data = `<DATA><BINARY><STREAM encoding="base64">${encodeBinary(columns, rows)}</STREAM></BINARY></DATA>`;
    }
    res.writeHead(200, { 'content-type': `application/x-votable+xml${isTd ? ';serialization=TABLEDATA' : ''}` });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">` +
        `<RESOURCE type="results"><INFO name="QUERY_STATUS" value="OK"/><INFO name="PROVIDER" value="SPICA Companion test stand-in (VOLLT-like)"/>` +
        `<INFO name="QUERY" value="${xmlEscape(query)}"/><TABLE>${fields}${data}</TABLE>` +
        `${overflow ? '<INFO name="QUERY_STATUS" value="OVERFLOW"/>' : ''}</RESOURCE></VOTABLE>`,
    );
  }

  // ---- catalog API ----------------------------------------------------------------------------

  private sendRest(res: ServerResponse, record: (s: number) => void, status: number, description: string | null, data?: unknown): void {
    record(status);
    const headers: Record<string, string> = {};
    if (description) headers['X-HTTP-Error-Description'] = headerSafe(description);
    if (status === 401) headers['Www-Authenticate'] = 'Basic realm="jmmc account"';
    if (data !== undefined) headers['content-type'] = 'application/json';
    res.writeHead(status, headers);
    res.end(data === undefined ? undefined : JSON.stringify(data));
  }

  private handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: string,
    auth: { who: FakePerson | null; bad: boolean },
    record: (s: number) => void,
  ): void {
    if (auth.bad && (this.options.badCredentials ?? 'challenge') === 'challenge') {
      record(401);
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="exist"', 'content-type': 'text/html' });
      res.end('<html><body><h2>HTTP ERROR 401 Unauthorized</h2></body></html>');
      return;
    }
    const who = auth.who;
    const parts = url.pathname.replace(/^\/restxq\/catalogs\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const rest = (status: number, description: string | null, data?: unknown) => this.sendRest(res, record, status, description, data);
    const parseBody = (): unknown => {
      const json = JSON.parse(body) as unknown;
      return typeof json === 'string' ? JSON.parse(json) : json;
    };
    try {
      if (method === 'GET' && parts.length === 0) {
        const rows = this.db.prepare('select table_name, description from tap_tables order by table_name').all() as Array<{ table_name: string; description: string }>;
        return rest(200, null, Object.fromEntries(rows.map((r) => [r.table_name, r.description])));
      }
      if (method === 'GET' && parts[0] === 'status' && parts.length === 1) {
        const login = who?.email ?? 'guest';
        const all = this.options.people.flatMap((p) => p.aliases);
        return rest(200, null, [
          {
            login,
            groups: who ? (who.groups ?? []).join(', ') : 'guest',
            'pi-aliases': this.aliasesOf(login).join(', '),
            nb_people: this.options.people.length,
            nb_aliases: all.length,
            uniq_aliases: new Set(all).size === all.length,
            nb_people_with_delegation: this.options.people.filter((p) => (p.delegations ?? []).length > 0).length,
          },
        ]);
      }
      if (method === 'GET' && parts[0] === 'meta' && parts.length === 2) {
        const cat = parts[1];
        if (!this.hasTable(cat)) return rest(400, `Unknown table "${cat}"`);
        const pk = primaryKeyOf(cat);
        return rest(200, null, this.columnsOf(cat).map((c) => ({ name: c.name, datatype: c.type, ...(c.type === 'char' ? { arraysize: '*' } : {}), ...(c.name === pk ? { 'primary-key': true } : {}) })));
      }
      if (method === 'GET' && parts[0] === 'accounts' && parts.length === 2) {
        this.isAuthenticated(who);
        const cat = parts[1];
        const mine = who ? who.aliases : [];
        const inTable = new Set<string>();
        if (this.hasTable(cat)) {
          for (const col of piColumnsOf(cat)) {
            for (const r of this.db.prepare(`select distinct "${col}" as v from "${cat}"`).all() as Array<{ v: string | null }>) if (r.v) inTable.add(r.v);
          }
        }
        const pis = [...new Set([...mine, ...inTable])].filter((p) => p.length > 0).sort();
        return rest(200, null, {
          admins: 'TODO',
          pi: pis.map((pi) => {
            const person = this.options.people.find((p) => p.aliases.some((a) => a.toUpperCase() === pi.toUpperCase()));
            return {
              name: pi,
              login: person?.email,
              delegations: this.delegationsOfPi(pi).map((d) => ({ ...(d.catalogs ? { catalogs: d.catalogs } : {}), ...(d.collections ? { collections: d.collections } : {}), coi: d.coi })),
              firstname: person?.firstname,
              lastname: person?.lastname,
            };
          }),
        });
      }
      if (parts[0] === 'delegations' && parts.length === 1) {
        if (method === 'PUT') return rest(200, null, parseBody());
        if (method === 'GET') {
          this.isAuthenticated(who);
          const pi = url.searchParams.get('pi') || (who?.email ?? '');
          return rest(200, null, { pi, delegations: this.delegationsOfPi(pi).map((d) => ({ ...(d.catalogs ? { catalogs: d.catalogs } : {}), coi: d.coi })), login: who?.email });
        }
      }
      if (method === 'GET' && parts.length === 1) {
        const cat = parts[0];
        this.hasAccess(cat, who);
        return rest(200, null, this.rows(cat).slice(0, 10));
      }
      if (method === 'GET' && (parts.length === 2 || parts.length === 3)) {
        const [cat, id, key] = parts;
        const pk = primaryKeyOf(cat);
        let row: Record<string, unknown> | undefined;
        try {
          row = this.db.prepare(`select ${key ? `"${key.replace(/"/g, '')}"` : '*'} from "${cat}" where "${pk}" = ?`).get(id) as Record<string, unknown> | undefined;
        } catch (e) {
          return rest(400, String((e as Error).message));
        }
        if (!row) return rest(404, 'no record found', { msg: 'no record found' });
        return rest(200, null, row);
      }
      if (method === 'PUT' && (parts.length === 1 || parts.length === 2)) {
        const cat = parts[0];
        let json: unknown;
        try {
          json = parseBody();
        } catch (e) {
          return rest(400, `err:FOJS0001, ${(e as Error).message}`);
        }
        const values = parts.length === 2 ? [{ [primaryKeyOf(cat)]: parts[1], ...(json as object) }] : json;
        this.updateCatalog(cat, values, who);
        if (this.dropResponseAfterCommit > 0) {
          this.dropResponseAfterCommit--;
          record(-1);
          req.socket.destroy();
          return;
        }
        return rest(204, null);
      }
      if (method === 'POST' && parts.length === 1) {
        const cat = parts[0];
        if (!this.isAdmin(cat, who)) return rest(401, 'Please login as admin');
        const rows = parseBody() as Array<Record<string, unknown>>;
        const pk = primaryKeyOf(cat);
        const ids: unknown[] = [];
        this.db.transaction(() => {
          for (const r of rows) {
            const keys = Object.keys(r).filter((k) => k !== pk);
            const info = this.db.prepare(`insert into "${cat}" (${keys.map((k) => `"${k}"`).join(', ')}) values (${keys.map(() => '?').join(', ')})`).run(...keys.map((k) => r[k] as never));
            ids.push(Number(info.lastInsertRowid));
          }
        })();
        return rest(200, null, { [pk]: ids });
      }
      return rest(404, `no route for ${method} ${url.pathname}`);
    } catch (e) {
      if (e instanceof RestError) return rest(e.status, e.message);
      return rest(400, `err:FOER0000, ${(e as Error).message}`);
    }
  }
}
