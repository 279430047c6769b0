/**
 * Tombstones never block re-creating the same thing; imports are recorded batches that revert as
 * a whole (checked by a dump of the store); targets are deleted as tombstones with their
 * observations kept. Real SQLite files, the real migrations, the real CLI commands.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { recordObservation } from '../../../electron/db/repos/observations';
import { count, dumpStore, read, Sandbox } from './helpers';

const box = new Sandbox();
afterEach(() => box.cleanup());

const S01_CSV = 'name,ra_deg,dec_deg,vmag,progname,piname,priority_pi,spica_mode\nHD 1234,10.1,20.2,5.1,S01,A. Person,0,DIA\n';

/** Run the CLI in-process, capturing stdout and stderr. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

describe('tombstones never block re-creating the same thing', () => {
  it('remove demo → import S01 → added 1 (programmes.code and pis.name are free again)', async () => {
    const s = box.services();
    await s.call('survey.demo.generate', { count: 200, seed: 3 });
    await s.call('survey.demo.remove', {});
    const report = await s.call('survey.import', { fileName: 'real.csv', content: S01_CSV });
    expect(report).toMatchObject({ added: 1, updated: 0, ambiguous: [] });
    // The tombstoned demo S01 and the new real S01 coexist; only one is live.
    expect(count(s.store.sqlite, "select count(*) n from programmes where code = 'S01'")).toBe(2);
    expect(count(s.store.sqlite, "select count(*) n from programmes where code = 'S01' and deleted = 0")).toBe(1);
    const [t] = (await s.call('survey.list', { filter: {} })).rows;
    expect(t).toMatchObject({ name: 'HD 1234', isDemo: false, programmes: [{ programme: 'S01', pi: 'A. Person', piPriority: 0 }] });
  });

  it('remove demo → generate again (targets.spicadb_id DEMO-… is free again)', async () => {
    const s = box.services();
    const first = await s.call('survey.demo.generate', { count: 150, seed: 5 });
    await s.call('survey.demo.remove', {});
    const again = await s.call('survey.demo.generate', { count: 150, seed: 5 });
    expect(again.targets).toBe(first.targets);
    expect(again.observations).toBe(first.observations);
    expect((await s.call('survey.list', { filter: {} })).total).toBe(150);
    expect(count(s.store.sqlite, "select count(*) n from targets where spicadb_id = 'DEMO-0001'")).toBe(2);
  });

  it('the same through the CLI, as the issue reproduces it', async () => {
    const dir = box.dir();
    const file = `${box.dir()}/real.csv`;
    (await import('node:fs')).writeFileSync(file, S01_CSV);
    expect((await cli(['demo', '--count', '100', '--data-dir', dir])).code).toBe(0);
    expect((await cli(['demo', '--remove', '--data-dir', dir])).code).toBe(0);
    const imported = await cli(['import', file, '--json', '--data-dir', dir]);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out)).toMatchObject({ added: 1 });
    expect((await cli(['demo', '--count', '100', '--data-dir', dir])).code).toBe(0);
  });
});

describe('import batches', () => {
  it('lists imports oldest first as [{id, file, at, added, updated, reverted}]', async () => {
    const dir = box.dir();
    const s = box.services(dir);
    await s.call('survey.import', { fileName: 'a.vot', content: read('Aspro2_exported_targets.vot') });
    await s.call('survey.import', { fileName: 'wp5.vot', content: read('spicadb_partial_wp5.vot') });
    await s.call('survey.demo.generate', { count: 20, seed: 1 });
    await s.close();
    const r = await cli(['imports', '--json', '--data-dir', dir]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as Array<Record<string, unknown>>;
    expect(list.map((b) => Object.keys(b).sort())).toEqual([
      ['added', 'at', 'file', 'id', 'reverted', 'updated'],
      ['added', 'at', 'file', 'id', 'reverted', 'updated'],
    ]);
    expect(list.map((b) => [b.file, b.added, b.updated, b.reverted])).toEqual([
      ['a.vot', 3, 0, false],
      ['wp5.vot', 42, 0, false],
    ]);
    expect(Date.parse(list[0].at as string)).toBeLessThanOrEqual(Date.parse(list[1].at as string));
  });

  it('reverts an import so that the store is identical to before (dump comparison), tombstones included', async () => {
    const dir = box.dir();
    const s = box.services(dir);
    await s.call('survey.import', { fileName: 'wp5.vot', content: read('spicadb_partial_wp5.vot') });
    // A later file that adds rows, changes fields (V, a PI priority, comments) and drops a second programme.
    const first = await s.call('survey.import', {
      fileName: 'base.csv',
      content:
        'name,ra_deg,dec_deg,vmag,progname,piname,priority_pi,comments,progname2,piname2,priority_pi2\n' +
        'star A,10,20,5,S01,PI X,1,first,S02,PI Y,0\n' +
        'star B,30,40,6,S01,PI X,0,,,,\n',
    });
    expect(first.added).toBe(2);
    const before = dumpStore(s.store.sqlite);
    const second = await s.call('survey.import', {
      fileName: 'update.csv',
      content:
        'name,ra_deg,dec_deg,vmag,progname,piname,priority_pi,comments\n' +
        'star A,10,20,5.5,S01,PI X,0,second\n' +
        'star C,50,60,7,S03,PI Z,1,\n' +
        'HD 75632A,133.8533,70.7943,8,S03,PI Z,1,\n',
    });
    // HD 75632A is the wp5 row (same identifier, 0.1″ away): updated, not added.
    expect(second).toMatchObject({ added: 1, updated: 2 });
    expect(second.matches.map((m) => [m.name, m.rule])).toEqual([
      ['star A', 'position+identifier'],
      ['HD 75632A', 'position+identifier'],
    ]);
    const inserted = new Set(
      (s.store.sqlite.prepare("select entity_id from change_log where batch_id = ? and op = 'insert'").all(second.batchId) as Array<{ entity_id: string }>).map(
        (r) => r.entity_id,
      ),
    );
    expect(inserted.size).toBeGreaterThan(2);
    expect(dumpStore(s.store.sqlite)).not.toEqual(before);

    await s.close();
    const r = await cli(['import', 'revert', second.batchId as string, '--data-dir', dir]);
    expect(r.code, r.err).toBe(0);
    const after = box.services(dir);
    expect(dumpStore(after.store.sqlite, inserted)).toEqual(before);
    // What the batch added is now a tombstone, not gone: sync must see the removal.
    for (const id of inserted) {
      const table = ['targets', 'memberships', 'programmes', 'pis'].find((t) => after.store.sqlite.prepare(`select 1 from ${t} where id = ?`).get(id));
      expect(table, id).toBeDefined();
      expect(count(after.store.sqlite, `select deleted n from ${table} where id = ?`, id)).toBe(1);
    }
    const list = await after.call('survey.batches.list', { kinds: ['import'] });
    expect(list.map((b) => [b.file, b.reverted, b.isRevertible])).toEqual([
      ['wp5.vot', false, true],
      ['base.csv', false, true],
      ['update.csv', true, false],
    ]);
    await expect(after.call('survey.batches.revert', { id: second.batchId as string })).rejects.toThrow(/already reverted/);
  });

  it('refuses a revert that would overwrite a later change, naming the row, and changes nothing', async () => {
    const s = box.services();
    const imported = await s.call('survey.import', { fileName: 'a.csv', content: 'name,ra_deg,dec_deg,vmag,spica_mode,progname\nstar A,10,20,5,DIA,S01\n' });
    const [t] = (await s.call('survey.list', { filter: {} })).rows;
    recordObservation(s.store, { targetId: t.id, night: '2026-11-21', utStart: '2026-11-22T05:00:00Z', utEnd: '2026-11-22T05:40:00Z', outcome: 'done' });
    const before = dumpStore(s.store.sqlite);
    await expect(s.call('survey.batches.revert', { id: imported.batchId as string })).rejects.toThrow(
      /cannot revert "a.csv": later changes touch what it wrote \(target "star A": 1 observations, calibrators or data products were added to it since\)/,
    );
    expect(dumpStore(s.store.sqlite)).toEqual(before);
  });

  it('refuses to revert an import whose fields a later import changed again', async () => {
    const s = box.services();
    const first = await s.call('survey.import', { fileName: 'a.csv', content: 'name,ra_deg,dec_deg,vmag\nstar A,10,20,5\n' });
    await s.call('survey.import', { fileName: 'b.csv', content: 'name,ra_deg,dec_deg,vmag\nstar A,10,20,6\n' });
    await expect(s.call('survey.batches.revert', { id: first.batchId as string })).rejects.toThrow(/target "star A": vmag changed since/);
  });

  it('"Remove demo data" is a batch too: reverting it brings every demo row back', async () => {
    const s = box.services();
    await s.call('survey.demo.generate', { count: 120, seed: 9 });
    const before = dumpStore(s.store.sqlite);
    const { batchId, removed } = await s.call('survey.demo.remove', {});
    expect(removed).toBe(120);
    await s.call('survey.batches.revert', { id: batchId });
    expect(dumpStore(s.store.sqlite)).toEqual(before);
    expect((await s.call('survey.list', { filter: {} })).total).toBe(120);
  });
});

describe('target delete', () => {
  it('tombstones the target, keeps its observations, and can be undone', async () => {
    const dir = box.dir();
    const s = box.services(dir);
    await s.call('survey.import', { fileName: 'wp5.vot', content: read('spicadb_partial_wp5.vot') });
    const target = (await s.call('survey.list', { filter: { text: 'alf Sco' } })).rows[0];
    recordObservation(s.store, { targetId: target.id, night: '2026-05-01', utStart: '2026-05-02T08:00:00Z', utEnd: '2026-05-02T08:30:00Z', outcome: 'done' });
    const before = dumpStore(s.store.sqlite);
    await s.close();

    const r = await cli(['target', 'delete', 'alf Sco', '--json', '--data-dir', dir]);
    expect(r.code, r.err).toBe(0);
    const { batchId, deleted } = JSON.parse(r.out);
    expect(deleted).toEqual([{ id: target.id, name: '* alf Sco', spicadbId: null }]);
    const after = box.services(dir);
    expect((await after.call('survey.list', { filter: {} })).total).toBe(41);
    expect(count(after.store.sqlite, 'select deleted n from targets where id = ?', target.id)).toBe(1);
    expect(count(after.store.sqlite, 'select count(*) n from observations where target_id = ? and deleted = 0', target.id)).toBe(1);
    await expect(after.call('survey.get', { id: target.id })).rejects.toThrow(/target "\* alf Sco" was removed from the survey \("Delete \* alf Sco"\)/);
    await after.call('survey.batches.revert', { id: batchId });
    expect(dumpStore(after.store.sqlite)).toEqual(before);
  });

  it('refuses an unknown or ambiguous name with exit 2 and one line', async () => {
    const dir = box.dir();
    const s = box.services(dir);
    await s.call('survey.import', { fileName: 'x.csv', content: 'name,ra_deg,dec_deg\nVega,279.2347,38.7837\nVega,10,10\n' });
    await s.close();
    const unknown = await cli(['target', 'delete', 'Deneb', '--data-dir', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^companion target delete: no live target "Deneb"/);
    const ambiguous = await cli(['target', 'delete', 'vega', '--data-dir', dir]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toMatch(/"vega" matches 2 targets .*: give the id/);
  });

  it('a plan block of a removed target says so instead of a raw id', async () => {
    const s = box.services();
    await s.call('survey.demo.generate', { count: 30, seed: 2 });
    const t = (await s.call('survey.list', { filter: {} })).rows[0];
    await s.call('survey.demo.remove', {});
    await expect(s.call('survey.get', { id: t.id })).rejects.toThrow(new RegExp(`target "${t.name.replace(/[*+?]/g, '\\$&')}" was removed from the survey \\("Remove demo data"\\); restore it or plan the night again`));
    expect(() =>
      recordObservation(s.store, { targetId: t.id, night: '2026-11-21', utStart: '2026-11-22T05:00:00Z', utEnd: '2026-11-22T05:40:00Z', outcome: 'done' }),
    ).toThrow(/was removed from the survey \("Remove demo data"\)/);
  });
});

describe('change-log compaction', () => {
  it('forgets pushed changes after the keep period and every change after the bound; their batches stop being revertible', async () => {
    const { compactChangeLog } = await import('../../../electron/db/repos/batches');
    const s = box.services();
    const old = await s.call('survey.import', { fileName: 'old.csv', content: 'name,ra_deg,dec_deg\nA,1,2\n' });
    const pushed = await s.call('survey.import', { fileName: 'pushed.csv', content: 'name,ra_deg,dec_deg\nB,3,4\n' });
    const recent = await s.call('survey.import', { fileName: 'recent.csv', content: 'name,ra_deg,dec_deg\nC,5,6\n' });
    const day = 86_400_000;
    const now = Date.now();
    s.store.sqlite.prepare('update change_log set at_ms = ? where batch_id = ?').run(now - 200 * day, old.batchId);
    s.store.sqlite.prepare('update change_log set at_ms = ?, is_pushed = 1 where batch_id = ?').run(now - 40 * day, pushed.batchId);
    const before = count(s.store.sqlite, 'select count(*) n from change_log');
    const r = compactChangeLog(s.store, { nowMs: now, keepPushedMs: 30 * day, maxAgeMs: 180 * day });
    expect(r).toEqual({ removed: 2, batchesCompacted: 2 });
    expect(count(s.store.sqlite, 'select count(*) n from change_log')).toBe(before - 2);
    expect(count(s.store.sqlite, 'select count(*) n from change_log where batch_id = ?', recent.batchId)).toBe(1);
    const list = await s.call('survey.batches.list', { kinds: ['import'] });
    expect(list.map((b) => [b.file, b.isRevertible])).toEqual([
      ['old.csv', false],
      ['pushed.csv', false],
      ['recent.csv', true],
    ]);
    await expect(s.call('survey.batches.revert', { id: old.batchId as string })).rejects.toThrow(/too old to revert: its change record was compacted/);
    // The data itself is untouched.
    expect((await s.call('survey.list', { filter: {} })).total).toBe(3);
  });
});
