/**
 * The calibrators service over a real store (temp folder, real migrations), through the registry
 * as the UI, the CLI and the planner reach it (issue #15): BadCal by name end to end, the rejected
 * list never silently cut, `forTargets` (the planner's API) with windows, assignments, exclusions
 * and BadCal, the `calibrators.changed` event, the move of legacy JSON/settings data into the
 * store, and BadCal rows with blank sexagesimal cells.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { calibratorsCommands } from '../../../electron/cli/commands/calibrators';
import type { CliIo } from '../../../electron/cli/command';
import type { Services } from '../../../electron/services/registry';
import { servicesFactory } from './helpers';

const factory = servicesFactory('spica-cal-api-');
const services = (dir?: string) => factory.open(dir);
afterEach(() => factory.closeAll());

function io(s: Services): CliIo & { stdout: string } {
  const o = { stdout: '', out: (t: string) => void (o.stdout += t), err: () => undefined, openServices: async () => s };
  return o;
}
const command = (...name: string[]) => calibratorsCommands.find((c) => c.name.join(' ') === name.join(' '))!;

describe('BadCal by name', () => {
  it('resolves HD, HIP, HR, Bayer, Flamsteed and GCVS names to the catalogue star, and refuses a name that matches nothing', async () => {
    const s = services();
    const vega = await s.call('calibrators.resolve', { name: 'alpha Lyrae' });
    expect(vega).toMatchObject({ hd: 172167, hip: 91262 });
    for (const n of ['α Lyr', '* alf Lyr', 'HD172167', 'HIP 91262', 'HR 7001', '3 Lyr']) expect((await s.call('calibrators.resolve', { name: n })).key, n).toBe(vega.key);
    expect((await s.call('calibrators.resolve', { name: '17 Lib' })).hd).toBe(132230);
    expect((await s.call('calibrators.resolve', { name: 'R Cnc' })).hip).toBe(40534);
    expect((await s.call('calibrators.resolve', { name: 'HIP 43137 B' })).key).toBe('HIP 43137B');
    await expect(s.call('calibrators.resolve', { name: 'Nonexistent Star 42' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(s.call('calibrators.markBad', { name: 'Nonexistent Star 42', reason: 'x' })).rejects.toThrow(/no catalogue star is named "Nonexistent Star 42"/);
  });

  it('companion calibrators bad --name "HD …" vetoes that star, lists it, and unmarking restores it (HD 89239\'s field)', async () => {
    const s = services();
    // HD 89239, the example, is now itself vetoed (σ(V²) 2.2 % at 0.614 µm with the 2 % bias
    // term); the test marks the star that tops its field instead, by its HD name.
    const hd89239 = await s.call('calibrators.resolve', { name: 'HD 89239' });
    const where = { raDeg: hd89239.raDeg + 0.5, decDeg: hd89239.decDeg, vmag: hd89239.vmag! };
    const before = await s.call('calibrators.propose', where);
    expect(before.rejected.find((r) => r.hd === 89239)).toMatchObject({ rule: 'resolved' });
    const top = before.candidates[0];
    expect(top.hd).not.toBeNull();
    const out = io(s);
    expect(await command('calibrators', 'bad').run(['--name', `HD ${top.hd}`, '--reason', 'test', '--json'], out)).toBe(0);
    const entry = JSON.parse(out.stdout);
    expect(entry).toMatchObject({ hd: String(top.hd), hip: String(top.hip), source: 'local', reason: 'test' });
    expect(entry.raDeg).toBeCloseTo(top.raDeg, 5);
    const after = await s.call('calibrators.propose', { ...where, maxRejected: 0 });
    expect(after.candidates.some((c) => c.key === top.key)).toBe(false);
    // Cut to 0 nearest rejected stars, the user-marked one is still listed, and the total says how many there were.
    expect(after.rejected.find((r) => r.key === top.key)).toMatchObject({ rule: 'badcal', isUserMarked: true });
    expect(after.rejectedTotal).toBeGreaterThan(after.rejected.length);
    expect((await s.call('calibrators.badList', {})).map((b) => b.id)).toContain(entry.id);
    await s.call('calibrators.unmarkBad', { id: entry.id });
    expect((await s.call('calibrators.propose', where)).candidates[0].key).toBe(top.key);
  });

  it('says why a BadCal row with a blank sexagesimal cell is skipped, naming row and column', async () => {
    const s = services();
    const csv = 'id,ra,dec,ra_sexa,dec_sexa,name\n1,,,03 31 20.755,  ,HD 99999\n2,,,   ,+27 34 18.52,star two\n';
    const r = await s.call('calibrators.import', { kind: 'badcal', content: csv, fileName: 'badcal.csv' });
    expect(r.skipped).toEqual([
      { row: 1, name: 'HD 99999', reason: 'badcal.csv row 1 column dec_sexa: blank cell, expected "±DD MM SS.s" (degrees)' },
      { row: 2, name: 'star two', reason: 'badcal.csv row 2 column ra_sexa: blank cell, expected "HH MM SS.s" (hours)' },
    ]);
  });
});

describe('import by path reads only regular files (issue #18)', () => {
  it('refuses /dev/zero, a FIFO and a folder at once with one line naming the path', async () => {
    const s = services();
    const dir = factory.tempDir();
    const fifo = join(dir, 'pipe.csv');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(s.call('calibrators.import', { kind: 'badcal', path: '/dev/zero' })).rejects.toMatchObject({ code: 'invalid-input', message: '/dev/zero: is a device, not a file to import' });
    await expect(s.call('calibrators.import', { kind: 'badcal', path: fifo })).rejects.toMatchObject({ code: 'invalid-input', message: `${fifo}: is a named pipe (FIFO), not a file to import` });
    await expect(s.call('calibrators.import', { kind: 'badcal', path: dir })).rejects.toMatchObject({ code: 'invalid-input', message: `${dir}: is a folder, not a file to import` });
    await expect(s.call('calibrators.import', { kind: 'badcal', path: join(dir, 'missing.csv') })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('forTargets: the engine the planner uses', () => {
  async function twoTargets(s: Services): Promise<Array<{ id: string; name: string; raDeg: number; decDeg: number; vmag: number | null }>> {
    await s.call('survey.import', { fileName: 't.csv', content: 'name,ra_deg,dec_deg,vmag\nA field,56.87,24.1,5.0\nB field,100.5,20.0,5.5\n' });
    const list = await s.call('survey.list', { filter: {} });
    return list.rows.map((r) => ({ id: r.id, name: r.name, raDeg: r.raDeg, decDeg: r.decDeg, vmag: r.vmag }));
  }

  it('gives vetted calibrators with their windows, assignments first, and follows BadCal and exclusions; emits calibrators.changed', async () => {
    const s = services();
    const events: string[] = [];
    s.on('calibrators.changed', (e) => events.push(e.what));
    const targets = await twoTargets(s);
    const req = { targets: targets.map((t) => ({ key: t.id, targetId: t.id, name: t.name, raDeg: t.raDeg, decDeg: t.decDeg, vmag: t.vmag })), night: '2026-12-06', stations: ['S1', 'E1'], pops: '12', count: 3 };
    const r1 = await s.call('calibrators.forTargets', req);
    expect(r1.targets).toHaveLength(2);
    for (const t of r1.targets) {
      expect(t.source).toBe('proposed');
      expect(t.calibrators.length).toBeGreaterThanOrEqual(2);
      for (const c of t.calibrators) {
        expect(c.isVetted).toBe(true);
        expect(c.flags.every((f) => f.severity === 'warn')).toBe(true);
        expect(c.observable!.basis).toMatch(/^S1-E1, PoPs 12/);
        expect(c.observable!.pops).toBe('12');
        expect(c.observable!.hours).toBeGreaterThan(0);
      }
    }
    const [a, b] = r1.targets;
    const first = a.calibrators[0];
    // Same ranking as the proposal the UI shows for that target and night.
    const p = await s.call('calibrators.propose', { targetId: targets[0].id, night: '2026-12-06', stations: ['S1', 'E1'], pops: '12' });
    expect(a.calibrators.map((c) => c.key)).toEqual(p.candidates.slice(0, a.calibrators.length).map((c) => c.key));
    expect(p.candidates[0].observable).toEqual(first.observable);

    await s.call('calibrators.markBad', { name: first.name, reason: 'drift' });
    await s.call('calibrators.exclude', { targetId: targets[1].id, key: b.calibrators[0].key, isExcluded: true });
    const pick = a.calibrators[a.calibrators.length - 1];
    await s.call('calibrators.assign', { targetId: targets[0].id, star: { key: pick.key, name: pick.name, raDeg: pick.raDeg, decDeg: pick.decDeg }, isPinned: true });
    expect(events).toEqual(['badcal', 'exclusions', 'associations']);

    const r2 = await s.call('calibrators.forTargets', req);
    expect(r2.targets[0].calibrators.some((c) => c.key === first.key)).toBe(false);
    expect(r2.targets[0].calibrators[0]).toMatchObject({ key: pick.key, isAssigned: true, isPinned: true });
    expect(r2.targets[0].source).toMatch(/^assigned/);
    expect(r2.targets[1].calibrators.some((c) => c.key === b.calibrators[0].key)).toBe(false);
  });

  it('returns unvetted stars only when asked, marked isVetted: false with their vetoes', async () => {
    const s = services();
    // A policy nothing passes: every proposal is empty.
    await s.call('calibrators.policy.set', { patch: { minVis2: 0.999 } });
    const req = { targets: [{ key: 't', name: 'x', raDeg: 56.87, decDeg: 24.1, vmag: 5 }], night: '2026-12-06', stations: ['S1', 'E1'] };
    const strict = await s.call('calibrators.forTargets', req);
    expect(strict.targets[0]).toMatchObject({ source: 'none', calibrators: [] });
    const loose = await s.call('calibrators.forTargets', { ...req, allowUnvetted: true });
    expect(loose.targets[0].source).toBe('unvetted');
    for (const c of loose.targets[0].calibrators) {
      expect(c.isVetted).toBe(false);
      expect(c.flags.some((f) => f.severity === 'veto')).toBe(true);
    }
  });

  it('is exposed to other services through the registry (one engine per store)', async () => {
    const s = services();
    const ctxApi = (s as unknown as { peersForTest?: unknown }).peersForTest;
    expect(ctxApi).toBeUndefined();
    // The registry hands the same API to the services it builds; the contract method is a thin wrapper over it.
    const r = await s.call('calibrators.forTargets', { targets: [], night: '2026-12-06', stations: ['S1', 'E1'] });
    expect(r).toMatchObject({ targets: [], stations: ['S1', 'E1'], pops: 'auto', preset: 'spica-companion' });
  });
});

describe('legacy data moves into the store on first open', () => {
  it('moves imports.json rows and the exclusions setting into their tables, with change_log rows, once', async () => {
    const dir = factory.tempDir();
    let s = services(dir);
    await s.call('survey.import', { fileName: 't.csv', content: 'name,ra_deg,dec_deg,vmag\nA field,56.87,24.1,5.0\n' });
    const targetId = (await s.call('survey.list', { filter: {} })).rows[0].id;
    s.store.write((w) => w.setSetting('calibrators.exclusions', { [targetId]: ['HIP 17499'], 'gone-target': ['HIP 1'] }));
    await s.close();
    const row = {
      name: 'HD 196275', hd: 196275, hip: null, raDeg: 309.31463, decDeg: -28.71319, spType: 'K4III', vmag: 7.95, rmag: null, jmag: null, hmag: null, kmag: null,
      lddMas: null, eLddMas: 0.01473, uddRMas: 0.6545, uddIMas: null, uddHMas: null, uddKMas: null, lddChi2: null, calFlag: null, irFlag: null, ruwe: null,
      ipdFracMultiPeak: null, vbroadKms: null, pmaBinary: null, pmaSnrMax: null, objTypes: '', multFlag: '', varFlags: '', sb9: '', wdsSepArcsec: null,
      source: 'SPICA primary (spica_primary_sample.csv)',
    };
    mkdirSync(join(dir, 'calibrators'), { recursive: true });
    writeFileSync(join(dir, 'calibrators', 'imports.json'), JSON.stringify({ version: 1, imports: [{ kind: 'spica-primary', file: 'spica_primary_sample.csv', importedAtMs: 1, rows: 1 }], rows: { 'HD 196275@309.3146,-28.7132': row } }));

    s = services(dir);
    const status = await s.call('calibrators.status', {});
    expect(status.legacyMigration).toBe('moved 1 imported rows, 1 import records and 1 exclusions into the store');
    expect(status.imports).toEqual([{ kind: 'spica-primary', file: 'spica_primary_sample.csv', importedAtMs: 1, rows: 1 }]);
    expect(existsSync(join(dir, 'calibrators', 'imports.json'))).toBe(false);
    expect(existsSync(join(dir, 'calibrators', 'imports.json.migrated'))).toBe(true);
    const log = s.store.sqlite.prepare("select entity, count(*) as n from change_log where entity like 'calibrator_%' group by entity order by entity").all();
    expect(log).toEqual([
      { entity: 'calibrator_catalog_rows', n: 1 },
      { entity: 'calibrator_exclusions', n: 1 },
      { entity: 'calibrator_imports', n: 1 },
    ]);
    expect(s.store.sqlite.prepare('select target_id, star_key from calibrator_exclusions where deleted = 0').all()).toEqual([{ target_id: targetId, star_key: 'HIP 17499' }]);
    const p = await s.call('calibrators.propose', { targetId, maxRejected: 0 });
    expect(p.rejected.find((x) => x.key === 'HIP 17499')).toMatchObject({ isUserMarked: true });
    const resolved = await s.call('calibrators.resolve', { name: 'HD 196275' });
    expect(resolved.hd).toBe(196275);
    await s.close();

    s = services(dir);
    expect((await s.call('calibrators.status', {})).legacyMigration).toBeNull();
    expect((s.store.sqlite.prepare('select count(*) as n from calibrator_catalog_rows').get() as { n: number }).n).toBe(1);
  });
});
