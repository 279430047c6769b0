/**
 * The pull against the JMMC stand-in: a full snapshot lands in one transaction (targets,
 * memberships, bases, reference tables), NULL sentinels stay NULL, OVERFLOW pages, completeness,
 * withdrawn rows, renamed tables and new columns.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFake } from '../../sync/fixtures';
import type { JmmcFake } from '../../sync/jmmc-fake';
import { SyncSandbox, targetOf } from './helpers';

let box: SyncSandbox;
let fake: JmmcFake;

beforeEach(async () => {
  box = new SyncSandbox();
  fake = await startFake(3000);
});
afterEach(async () => {
  await box.cleanup();
  await fake.close();
});

describe('pull', () => {
  it('pulls 3000 rows and the reference tables into the survey, complete', async () => {
    const s = await box.client(fake, null);
    const report = await s.call('sync.run', { kind: 'pull' });
    expect(report.errors).toEqual([]);
    expect(report.pull).toMatchObject({ rows: 3000, added: 3000, complete: true, serverCount: 3000 });
    expect(report.references.map((r) => [r.catalog, r.rows, r.complete, r.error])).toEqual([
      ['spica_calprim', 3, true, null],
      ['badcal', 2, true, null],
    ]);
    const { total } = await s.call('survey.list', { filter: {} });
    expect(total).toBe(3000);
    const status = await s.call('sync.status', {});
    expect(status).toMatchObject({ complete: true, rows: 3000, serverCount: 3000, pending: 0, conflicts: 0, rejected: 0 });
    const again = await s.call('sync.run', { kind: 'pull' });
    expect(again.pull).toMatchObject({ added: 0, updated: 0, unchanged: 3000 });
  });
});

describe('pull: what TAP returns', () => {
  it('clears here what SPICA-DB cleared: a NULL comment or PI priority replaces the local value (SPICA-DB owns memberships)', async () => {
    const [row] = fake.rows('spica').filter((r) => r.comments !== null && r.priority_pi !== null);
    const s = await box.client(fake, null);
    await s.call('sync.run', { kind: 'pull' });
    const before = await s.call('survey.get', { id: (await targetOf(s, row.spicadb_id as number)).id });
    expect([before.programmes[0].comments, before.programmes[0].piPriority]).toEqual([row.comments, row.priority_pi]);
    fake.db.prepare('update spica set comments = null, priority_pi = null where spicadb_id = ?').run(row.spicadb_id);
    const report = await s.call('sync.run', { kind: 'pull' });
    expect(report.pull).toMatchObject({ updated: 1 });
    const after = await s.call('survey.get', { id: before.id });
    expect([after.programmes[0].comments, after.programmes[0].piPriority]).toEqual([null, null]);
  });

  it('keeps a NULL priority_pi2 (VALUES@null sentinel -32768) NULL, not PI priority 0', async () => {
    const [row] = fake.rows('spica').filter((r) => r.progname2 === null);
    fake.db.prepare("update spica set progname2 = 'S03', piname2 = 'PI_B', priority_pi2 = null where spicadb_id = ?").run(row.spicadb_id);
    const raw = await fetch(`${fake.tapUrl}/sync`, {
      method: 'POST',
      body: new URLSearchParams({ REQUEST: 'doQuery', LANG: 'ADQL', FORMAT: 'votable/td', QUERY: `SELECT priority_pi2 FROM spica WHERE spicadb_id = ${row.spicadb_id}` }),
    }).then((r) => r.text());
    expect(raw).toContain('<VALUES null="-32768"/>');
    expect(raw).toContain('<TD>-32768</TD>');
    const s = await box.client(fake, null);
    await s.call('sync.run', { kind: 'pull' });
    const t = await targetOf(s, row.spicadb_id as number);
    expect(t.programmes.map((m) => [m.rank, m.programme, m.piPriority])).toEqual([
      [1, row.progname, row.priority_pi],
      [2, 'S03', null],
    ]);
  });

  it('pages past a service limit below the row count (OVERFLOW) and still gets a complete snapshot', async () => {
    fake.maxRecLimit = 1000;
    const s = await box.client(fake, null);
    const report = await s.call('sync.run', { kind: 'pull' });
    expect(report.pull).toMatchObject({ rows: 3000, complete: true, serverCount: 3000 });
    const queries = fake.requests.filter((r) => r.service === 'tap').map((r) => new URLSearchParams(r.body).get('QUERY'));
    expect(queries.slice(0, 4)).toEqual([
      'SELECT * FROM spica ORDER BY spicadb_id',
      'SELECT * FROM spica WHERE spicadb_id > 1000 ORDER BY spicadb_id',
      'SELECT * FROM spica WHERE spicadb_id > 2000 ORDER BY spicadb_id',
      'SELECT COUNT(*) AS n FROM spica',
    ]);
    // Every request named FORMAT and REQUEST, never RESPONSEFORMAT or VERSION.
    for (const r of fake.requests.filter((x) => x.service === 'tap')) {
      const p = new URLSearchParams(r.body);
      expect([p.get('REQUEST'), p.get('LANG'), p.get('FORMAT'), p.has('RESPONSEFORMAT'), p.has('VERSION')]).toEqual(['doQuery', 'ADQL', 'votable/td', false, false]);
    }
  });

  it('marks rows missing from a complete snapshot as withdrawn upstream, keeps them, and lists them again when they return', async () => {
    const s = await box.client(fake, null);
    await s.call('sync.run', { kind: 'pull' });
    const removed = fake.row('spica', 7) as Record<string, unknown>;
    fake.removeRow('spica', 7);
    const r = await s.call('sync.run', { kind: 'pull' });
    expect(r.pull).toMatchObject({ rows: 2999, withdrawn: 1, complete: true });
    const t = await targetOf(s, 7);
    expect(t.withdrawnAt).toBeDefined();
    expect((await s.call('survey.list', { filter: {} })).total).toBe(3000);
    expect((await s.call('sync.status', {})).withdrawn).toBe(1);
    fake.db.prepare(`insert into spica (${Object.keys(removed).map((k) => `"${k}"`).join(',')}) values (${Object.keys(removed).map(() => '?').join(',')})`).run(...(Object.values(removed) as never[]));
    const back = await s.call('sync.run', { kind: 'pull' });
    expect(back.pull).toMatchObject({ relisted: 1, withdrawn: 0 });
    expect((await targetOf(s, 7)).withdrawnAt).toBeUndefined();
  });

  it('marks nothing withdrawn when the snapshot is incomplete (COUNT(*) disagrees after a concurrent insert)', async () => {
    const s = await box.client(fake, null);
    await s.call('sync.run', { kind: 'pull' });
    fake.removeRow('spica', 9);
    let inserted = false;
    fake.onRequest = (req) => {
      if (!inserted && req.body.includes('COUNT')) {
        inserted = true;
        fake.db.prepare("insert into spica (spicadb_id, target_main_id, ra, dec) values (9001, '* late insert', 10, 20)").run();
      }
    };
    const r = await s.call('sync.run', { kind: 'pull' });
    fake.onRequest = null;
    expect(r.pull).toMatchObject({ rows: 2999, serverCount: 3000, complete: false, withdrawn: 0 });
    expect(r.pull?.notice).toBe('2999 rows received but COUNT(*) says 3000');
    expect(r.outcome).toBe('partial');
    expect((await targetOf(s, 9)).withdrawnAt).toBeUndefined();
    expect(await s.call('sync.status', {})).toMatchObject({ complete: false, rows: 2999 });
  });

  it('reports a renamed table as a TAP error naming the service and the table, and leaves the survey as it was', async () => {
    const s = await box.client(fake, null);
    await s.call('sync.run', { kind: 'pull' });
    const [id] = [12];
    await s.call('sync.editTarget', { id: (await targetOf(s, id)).id, comments: 'waits' });
    fake.renameTable('spica', 'spica_2026_12_01');
    const r = await s.call('sync.run', { kind: 'pull' });
    expect(r.outcome).toBe('failed');
    expect(r.errors[0]).toMatch(/^TAP http:\/\/127\.0\.0\.1:\d+\/vollt\/tap\/sync: QUERY_STATUS=ERROR \(HTTP 400\): .*Unknown table "spica"/);
    expect((await s.call('survey.list', { filter: {} })).total).toBe(3000);
    expect((await s.call('sync.status', {})).state).toBe('error');
    // The user points the app at the dated table: the bases are dropped, the edit still waits.
    await s.call('sync.configure', { catalog: 'spica_2026_12_01' });
    expect((await s.call('sync.status', {})).rows).toBe(0);
    const again = await s.call('sync.run', { kind: 'pull' });
    expect(again.pull).toMatchObject({ rows: 3000, added: 0, complete: true });
    expect((await s.call('sync.pending', {})).map((p) => [p.catalog, p.pk, p.columns.comments?.local])).toEqual([['spica_2026_12_01', '12', 'waits']]);
    expect((await s.call('survey.get', { id: (await targetOf(s, 12)).id })).programmes[0].comments).toBe('waits');
  });

  it('keeps a new column in the target extras and does not fail', async () => {
    const s = await box.client(fake, null);
    await s.call('sync.run', { kind: 'pull' });
    fake.addColumn('spica', { name: 'pi_note', type: 'char' }, 'new in 2026');
    const r = await s.call('sync.run', { kind: 'pull' });
    expect(r.errors).toEqual([]);
    expect(r.pull?.updated).toBe(3000);
    const t = await s.call('survey.get', { id: (await targetOf(s, 3)).id });
    expect(t.extra.pi_note).toBe('new in 2026');
  });

  it('fails a pull whose TAP error comes with HTTP 200 (DaCHS-style) just the same', async () => {
    await fake.close();
    fake = await startFake(10, { tapErrorStatus: 200 });
    fake.renameTable('spica', 'spica_old');
    const s = await box.client(fake, null);
    const r = await s.call('sync.run', { kind: 'pull' });
    expect(r.errors[0]).toMatch(/QUERY_STATUS=ERROR \(HTTP 200\)/);
  });
});
