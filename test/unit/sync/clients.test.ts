/**
 * The TAP and catalog API clients against the JMMC stand-in, and the stand-in's own behaviours
 * that the clients depend on, as sync.md §2.3 / §7 state them (so a change to the stand-in that
 * drifts from JMMC's documented behaviour fails here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogApi, classifyRefusal } from '../../../electron/services/sync/catalog-api';
import { SyncHttpError } from '../../../electron/services/sync/http';
import { TapClient } from '../../../electron/services/sync/tap-client';
import { parseLastmods } from '../../../shared/sync/lastmods';
import { COI, ME, startFake } from '../../sync/fixtures';
import type { JmmcFake } from '../../sync/jmmc-fake';
import { rowsOfPi } from './helpers';

let fake: JmmcFake;
beforeAll(async () => {
  fake = await startFake(100);
});
afterAll(() => fake.close());

const admin = { login: 'admin@example.org', password: 'adm' };
const me = { login: ME.email, password: ME.password };

async function refusal(p: Promise<unknown>): Promise<SyncHttpError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SyncHttpError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('TAP client', () => {
  it('reads TABLEDATA and BINARY (VOLLT\'s default serialisation) to the same rows', async () => {
    const td = await new TapClient(fake.tapUrl).query('SELECT * FROM spica ORDER BY spicadb_id');
    const bin = await new TapClient(`${fake.tapUrl}/`, { format: 'votable' }).query('SELECT * FROM spica ORDER BY spicadb_id');
    expect(bin.rows).toHaveLength(100);
    const norm = (rows: Array<Array<string | null>>) => rows.map((r) => r.map((c) => (c === null ? null : Number.isFinite(Number(c)) && c.trim() !== '' ? Number(Number(c).toPrecision(6)) : c)));
    expect(norm(bin.rows)).toEqual(norm(td.rows));
  });

  it('fails on QUERY_STATUS=ERROR with the service, status and message; counts; re-reads by key', async () => {
    const tap = new TapClient(fake.tapUrl);
    const e = await refusal(tap.query('SELECT * FROM nowhere'));
    expect(e.message).toMatch(/^TAP http:\/\/127\.0\.0\.1:\d+\/vollt\/tap\/sync: QUERY_STATUS=ERROR \(HTTP 400\): .*Unknown table "nowhere"/);
    expect(e.isTransient).toBe(false);
    expect(await tap.count('spica')).toBe(100);
    const some = await tap.rowsByKey('spica', 'spicadb_id', ['3', '5', '99999']);
    expect(some.rows.map((r) => r[0])).toEqual(['3', '5']);
    await expect(tap.rowsByKey('spica', 'spicadb_id', ['1; drop table spica'])).rejects.toThrow(/must be integers/);
  });

  it('needs REQUEST=doQuery, as VOLLT does (400 without it)', async () => {
    const r = await fetch(`${fake.tapUrl}/sync`, { method: 'POST', body: new URLSearchParams({ LANG: 'ADQL', QUERY: 'SELECT TOP 1 * FROM spica' }) });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('The parameter &quot;REQUEST&quot; must be provided');
  });

  it('gives up on an unanswered request after its timeout, as a transient failure', async () => {
    fake.hang.tap = 1;
    const e = await refusal(new TapClient(fake.tapUrl, { timeoutMs: 300 }).count('spica'));
    expect([e.kind, e.isTransient]).toEqual(['timeout', true]);
    expect(e.message).toMatch(/vollt\/tap\/sync: no answer within 300 ms/);
  });

  it('treats a 502 as transient', async () => {
    fake.badGateway.tap = 1;
    const e = await refusal(new TapClient(fake.tapUrl).count('spica'));
    expect([e.status, e.isTransient]).toEqual([502, true]);
  });
});

describe('catalog API client and the stand-in', () => {
  it('GET /status names the login, or guest without credentials', async () => {
    expect(await new CatalogApi(fake.apiUrl, me).status()).toEqual({ login: ME.email, groups: [], piAliases: ['PI_A'] });
    expect((await new CatalogApi(fake.apiUrl, null).status()).login).toBe('guest');
  });

  it('answers a bad password with 401 and a challenge, classified as needs-sign-in', async () => {
    const e = await refusal(new CatalogApi(fake.apiUrl, { login: ME.email, password: 'nope' }).status());
    expect(e.status).toBe(401);
    expect(classifyRefusal(e)).toBe('sign-in');
  });

  it('refuses an anonymous write with "Catalog is not public" and Www-Authenticate', async () => {
    const r = await fetch(`${fake.apiUrl}/spica`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '[{"spicadb_id":1,"comments":"x"}]' });
    expect([r.status, r.headers.get('x-http-error-description'), r.headers.get('www-authenticate')]).toEqual([401, 'Catalog is not public', 'Basic realm="jmmc account"']);
  });

  it('gives a non-admin 401 naming no owner for an unknown id, and an admin 404', async () => {
    const e = await refusal(new CatalogApi(fake.apiUrl, me).putRows('spica', 'spicadb_id', [{ id: '987654', values: { comments: 'x' } }]));
    expect([e.status, e.description, classifyRefusal(e)]).toEqual([401, "Operation restricted to record's owner(), delegated users or admins", 'not-owner']);
    const a = await refusal(new CatalogApi(fake.apiUrl, admin).putRows('spica', 'spicadb_id', [{ id: '987654', values: { comments: 'x' } }]));
    expect(a.status).toBe(404);
    expect(a.description).toMatch(/^Failed to update : record not found\. STATEMENT: UPDATE spica SET comments='x' WHERE spicadb_id='987654'/);
  });

  it('rolls back a whole batch on an unknown column (400), and refuses case-duplicated columns', async () => {
    const [a, b] = rowsOfPi(fake, 'PI_A', 2);
    const before = fake.row('spica', a)?.comments;
    const e = await refusal(new CatalogApi(fake.apiUrl, me).putRows('spica', 'spicadb_id', [{ id: String(a), values: { comments: 'changed' } }, { id: String(b), values: { no_such: 1 } }]));
    expect([e.status, classifyRefusal(e)]).toEqual([400, 'bad-row']);
    expect(e.description).toMatch(/column "no_such" of relation "spica" does not exist/);
    expect(fake.row('spica', a)?.comments).toBe(before);
    const dup = await fetch(`${fake.apiUrl}/spica/${a}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${ME.email}:${ME.password}`).toString('base64')}` },
      body: '{"priority_pi":1,"PRIORITY_PI":0}',
    });
    expect(dup.status).toBe(400);
  });

  it('applies normalize-space, writes JSON null as NULL, prepends lastmods newest first, and takes a JSON string body', async () => {
    const [id] = rowsOfPi(fake, 'PI_C');
    const auth = `Basic ${Buffer.from(`${COI.email}:${COI.password}`).toString('base64')}`;
    const put = (body: string) => fetch(`${fake.apiUrl}/spica`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: auth }, body });
    expect((await put(JSON.stringify([{ spicadb_id: id, comments: 'a  b\nc' }]))).status).toBe(204);
    expect(fake.row('spica', id)?.comments).toBe('a b c');
    expect((await put(JSON.stringify(JSON.stringify([{ spicadb_id: id, comments: null }])))).status).toBe(204);
    expect(fake.row('spica', id)?.comments).toBeNull();
    const entries = parseLastmods(fake.row('spica', id)?.lastmods as string);
    expect(entries.map((x) => [x.by, x.values.comments])).toEqual([
      [COI.email, ''],
      [COI.email, 'a b c'],
    ]);
    expect(String(fake.row('spica', id)?.lastmods).startsWith('[{"history":"API"},{"utc":"')).toBe(true);
  });

  it('lists accounts with delegations, and keeps POST for admins', async () => {
    const pis = await new CatalogApi(fake.apiUrl, me).accounts('spica');
    expect(pis.find((p) => p.name === 'PI_C')?.delegations).toEqual([{ catalogs: 'spica', coi: ['COI_X', 'PI_A'] }]);
    const r = await fetch(`${fake.apiUrl}/spica`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${ME.email}:${ME.password}`).toString('base64')}` },
      body: '[{"target_main_id":"x"}]',
    });
    expect([r.status, r.headers.get('x-http-error-description')]).toEqual([401, 'Please login as admin']);
  });
});
