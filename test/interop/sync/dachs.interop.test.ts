/**
 * The TAP client against a real TAP server: DaCHS (Debian gavodachs2-server on PostgreSQL),
 * serving the synthetic SPICA-DB-like table of test/fixtures/sync as `spica` in schema public
 * (the exact ADQL NSS sends) — set up by .ci/dachs-setup.sh on 127.0.0.1:8097. DaCHS is a
 * standards peer, not a VOLLT clone (sync.md §3): it answers errors with HTTP 200 and serves
 * BINARY without FORMAT. Skipped with the reason when DaCHS is not running here; under
 * SPICA_REQUIRE_PEERS=1 (CI) a missing DaCHS fails.
 *
 * The last test pulls the same table from DaCHS and from the in-repo stand-in and compares the
 * stored bases row by row: the stand-in's TAP output must canonicalise exactly as a real server's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncHttpError } from '../../../electron/services/sync/http';
import { TapClient } from '../../../electron/services/sync/tap-client';
import { spicaRows, startFake } from '../../sync/fixtures';
import type { JmmcFake } from '../../sync/jmmc-fake';
import { SyncSandbox } from '../../unit/sync/helpers';

const DACHS_TAP = process.env.SPICA_DACHS_TAP ?? 'http://127.0.0.1:8097/tap';

async function dachsMissing(): Promise<string | null> {
  try {
    const r = await fetch(`${DACHS_TAP}/sync`, {
      method: 'POST',
      body: new URLSearchParams({ REQUEST: 'doQuery', LANG: 'ADQL', FORMAT: 'csv', QUERY: 'SELECT COUNT(*) AS n FROM spica' }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await r.text();
    return /^n\r?\n3000/.test(text) ? null : `DaCHS at ${DACHS_TAP} does not serve the 3000-row spica table (run .ci/dachs-setup.sh): ${text.slice(0, 120)}`;
  } catch (e) {
    return `DaCHS not reachable at ${DACHS_TAP} (run .ci/dachs-setup.sh as root): ${(e as Error).message}`;
  }
}

const missing = await dachsMissing();
if (missing && process.env.SPICA_REQUIRE_PEERS === '1') throw new Error(missing);

describe.skipIf(missing !== null)(`TAP client against DaCHS${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const tap = new TapClient(DACHS_TAP);

  it('takes a complete snapshot with NSS\'s table name, NULL integers as NULL (VALUES@null), text as stored', async () => {
    const snap = await tap.snapshot('spica', 'spicadb_id', { maxRec: 200_000 });
    expect(snap).toMatchObject({ complete: true, serverCount: 3000, overflow: false, pages: 1 });
    expect(snap.rows).toHaveLength(3000);
    const names = snap.fields.map((f) => f.name);
    const csv = spicaRows(3000);
    const col = (name: string) => names.indexOf(name);
    const nullPi2 = snap.rows.filter((r) => r[col('priority_pi2')] === null).length;
    expect(nullPi2).toBe(csv.filter((r) => r.priority_pi2 === null).length);
    expect(snap.fields.find((f) => f.name === 'priority_pi2')?.nullValue).toBe('-32768');
    expect(snap.rows.some((r) => r[col('priority_pi2')] === '-32768')).toBe(false);
    // Row 500 keeps its newline and double space over TAP (only the API normalises).
    expect(snap.rows[499][col('comments')]).toBe('two  spaces\nand a newline');
    expect(snap.rows.map((r) => Number(r[col('spicadb_id')]))).toEqual(csv.map((r) => r.spicadb_id));
  });

  it('pages past MAXREC: DaCHS reports OVERFLOW and the key-set pages fetch the rest', async () => {
    const snap = await tap.snapshot('spica', 'spicadb_id', { maxRec: 1000 });
    expect(snap).toMatchObject({ complete: true, serverCount: 3000, pages: 3 });
    expect(new Set(snap.rows.map((r) => r[0])).size).toBe(3000);
    const one = await tap.query('SELECT spicadb_id FROM spica', { maxRec: 100 });
    expect([one.rows.length, one.overflow]).toEqual([100, true]);
  });

  it('reads BINARY (no FORMAT → DaCHS default) like TABLEDATA', async () => {
    const td = await tap.query('SELECT TOP 50 * FROM spica ORDER BY spicadb_id');
    const bin = await new TapClient(DACHS_TAP, { format: 'votable' }).query('SELECT TOP 50 * FROM spica ORDER BY spicadb_id');
    const norm = (rows: Array<Array<string | null>>) => rows.map((r) => r.map((c) => (c !== null && c.trim() !== '' && Number.isFinite(Number(c)) ? Number(Number(c).toPrecision(6)) : c)));
    expect(norm(bin.rows)).toEqual(norm(td.rows));
  });

  it('fails on QUERY_STATUS=ERROR although DaCHS answers HTTP 200', async () => {
    try {
      await tap.query('SELECT * FROM spica_renamed_away');
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(SyncHttpError);
      expect((e as SyncHttpError).message).toMatch(/QUERY_STATUS=ERROR \(HTTP 200\)/);
    }
    const some = await tap.rowsByKey('spica', 'spicadb_id', ['8', '9', '2999']);
    expect(some.rows.map((r) => r[0])).toEqual(['8', '9', '2999']);
  });

  describe('the same pull from DaCHS and from the stand-in', () => {
    let fake: JmmcFake;
    const box = new SyncSandbox();
    beforeAll(async () => {
      fake = await startFake(3000);
    });
    afterAll(async () => {
      await box.cleanup();
      await fake.close();
    });

    it('stores identical bases and the same survey', async () => {
      const fromDachs = box.services();
      await fromDachs.call('sync.configure', { env: 'custom', tapUrl: DACHS_TAP, apiUrl: fake.apiUrl });
      const fromFake = await box.client(fake, null);
      const a = await fromDachs.call('sync.run', { kind: 'pull' });
      const b = await fromFake.call('sync.run', { kind: 'pull' });
      expect(a.pull).toMatchObject({ rows: 3000, added: 3000, complete: true });
      expect(b.pull).toMatchObject({ rows: 3000, added: 3000, complete: true });
      const bases = (s: typeof fromFake) =>
        (s.store.sqlite.prepare("select pk, row_json from remote_rows where catalog = 'spica' order by cast(pk as integer)").all() as Array<{ pk: string; row_json: string }>).map((r) => ({
          pk: r.pk,
          row: JSON.parse(r.row_json),
        }));
      const da = bases(fromDachs);
      const fb = bases(fromFake);
      // Single-precision columns agree to float32 precision, everything else exactly.
      const round = (row: Record<string, unknown>) => ({ ...row, vmag: Math.fround(row.vmag as number), hmag: Math.fround(row.hmag as number) });
      expect(da.map((r) => round(r.row))).toEqual(fb.map((r) => round(r.row)));
      const summary = async (s: typeof fromFake) => (await s.call('survey.list', { filter: {}, sort: { key: 'name', direction: 'asc' } })).rows.map((t) => [t.spicadbId, t.finalPriority, t.programmes.map((m) => m.piPriority)]);
      expect(await summary(fromDachs)).toEqual(await summary(fromFake));
    });
  });
});
