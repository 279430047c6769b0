/**
 * The calibrators service over a real store (temp folder, real migrations) through the services
 * registry, as the UI and the CLI reach it: propose for a survey target, assign/pin/unassign,
 * exclusions, the local BadCal list, idempotent imports, the saved policy, and the CLI commands.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { calibratorsCommands } from '../../../electron/cli/commands/calibrators';
import type { CliIo } from '../../../electron/cli/command';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import { FIXTURES, fixture } from './helpers';

const dirs: string[] = [];
const open: Services[] = [];
function services(): Services {
  const d = mkdtempSync(join(tmpdir(), 'spica-cal-'));
  dirs.push(d);
  const s = createServices({ paths: resolvePaths(d), transport: 'cli' });
  open.push(s);
  return s;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function withTarget(s: Services): Promise<string> {
  await s.call('survey.import', { fileName: 'targets.csv', content: 'name,ra_deg,dec_deg,vmag\nPleiades field,56.87,24.1,5.0\n' });
  const list = await s.call('survey.list', { filter: {} });
  return list.rows[0].id;
}

describe('calibrators service', () => {
  it('proposes for a survey target, assigns, pins, excludes and unassigns', async () => {
    const s = services();
    const targetId = await withTarget(s);
    const p = await s.call('calibrators.propose', { targetId });
    expect(p.target).toMatchObject({ name: 'Pleiades field', targetId });
    expect(p.candidates.length).toBeGreaterThan(0);
    expect(p.provenance.sources.map((x) => x.id)).toEqual(['stellarium-hip', 'bsc5', 'simbad-bsc', 'jmdc', 'jsdc-catch']);
    const best = p.candidates[0];
    const a = await s.call('calibrators.assign', { targetId, star: { key: best.key, name: best.name, hd: best.hd, hip: best.hip, raDeg: best.raDeg, decDeg: best.decDeg, vmag: best.vmag, udMas: best.udMas, eUdMas: best.eUdMas, tier: best.tier } });
    expect(a).toMatchObject({ targetId, key: best.key, calibratorName: best.name, isPinned: false });
    const again = await s.call('calibrators.assign', { targetId, star: { key: best.key, name: best.name, raDeg: best.raDeg, decDeg: best.decDeg } });
    expect(again.id).toBe(a.id);
    const change = s.store.sqlite.prepare("select count(*) as n from change_log where entity = 'calibrator_associations'").get() as { n: number };
    expect(change.n).toBe(1);

    const pinned = await s.call('calibrators.pin', { id: a.id, isPinned: true });
    expect(pinned.isPinned).toBe(true);
    const p2 = await s.call('calibrators.propose', { targetId });
    expect(p2.candidates[0]).toMatchObject({ key: best.key, isAssigned: true, isPinned: true });

    const other = p2.candidates[1];
    await s.call('calibrators.exclude', { targetId, key: other.key, isExcluded: true });
    const p3 = await s.call('calibrators.propose', { targetId });
    expect(p3.candidates.some((c) => c.key === other.key)).toBe(false);
    expect(p3.rejected.find((r) => r.key === other.key)).toMatchObject({ rule: 'excluded' });

    await s.call('calibrators.unassign', { id: a.id });
    expect(await s.call('calibrators.associations', { targetId })).toEqual([]);
    const tomb = s.store.sqlite.prepare('select deleted from calibrator_associations where id = ?').get(a.id) as { deleted: number };
    expect(tomb.deleted).toBe(1);
    await expect(s.call('calibrators.unassign', { id: a.id })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('marks a bad calibrator and vetoes it in the next proposal', async () => {
    const s = services();
    const before = await s.call('calibrators.propose', { raDeg: 56.87, decDeg: 24.1, vmag: 5 });
    const victim = before.candidates[0];
    const bad = await s.call('calibrators.markBad', { name: victim.name, hd: victim.hd, night: '2025-11-03', reason: 'V² 5 % below the others' });
    expect(bad).toMatchObject({ source: 'local', night: '2025-11-03' });
    const after = await s.call('calibrators.propose', { raDeg: 56.87, decDeg: 24.1, vmag: 5 });
    expect(after.candidates.some((c) => c.key === victim.key)).toBe(false);
    expect(after.rejected.find((r) => r.key === victim.key)).toMatchObject({ rule: 'badcal' });
    expect(after.rejected.find((r) => r.key === victim.key)!.reason).toContain('V² 5 % below the others');
    await s.call('calibrators.unmarkBad', { id: bad.id });
    expect((await s.call('calibrators.propose', { raDeg: 56.87, decDeg: 24.1, vmag: 5 })).candidates[0].key).toBe(victim.key);
  });

  it('imports a SearchCal file, a BadCal list and a primary list idempotently, with reasons for skipped rows', async () => {
    const s = services();
    const path = join(FIXTURES, 'SearchCal-ETA_TAU.scvot');
    const first = await s.call('calibrators.import', { kind: 'searchcal', path });
    expect(first.total).toBe(394);
    // The file lists four stars twice with different values: the first copies are skipped.
    expect(first.skipped.filter((k) => k.reason.startsWith('same star as row'))).toHaveLength(4);
    expect(first.added + first.skipped.length).toBe(394);
    const second = await s.call('calibrators.import', { kind: 'searchcal', path });
    expect(second).toMatchObject({ added: 0, updated: 0, unchanged: first.added });

    const bad1 = await s.call('calibrators.import', { kind: 'badcal', content: fixture('badcal_sample.csv'), fileName: 'badcal_sample.csv' });
    expect(bad1).toMatchObject({ added: 2, unchanged: 0 });
    expect(bad1.skipped).toEqual([{ row: 3, name: 'no position', reason: 'neither a position nor an HD/HIP name' }]);
    const bad2 = await s.call('calibrators.import', { kind: 'badcal', content: fixture('badcal_sample.csv'), fileName: 'badcal_sample.csv' });
    expect(bad2).toMatchObject({ added: 0, unchanged: 2 });
    const p = await s.call('calibrators.propose', { raDeg: 56.87, decDeg: 24.1, vmag: 5 });
    expect(p.rejected.find((r) => r.hd === 21743)).toMatchObject({ rule: 'badcal' });

    const prim = await s.call('calibrators.import', { kind: 'spica-primary', content: fixture('spica_primary_sample.csv'), fileName: 'spica_primary_sample.csv' });
    expect(prim).toMatchObject({ added: 2 });
    expect(prim.skipped[0]).toMatchObject({ row: 3, name: 'broken row' });
    expect(prim.skipped[0].reason).toMatch(/ra_sexa|ra/);
    const status = await s.call('calibrators.status', {});
    expect(status.imports.map((i) => i.kind)).toEqual(['searchcal', 'searchcal', 'badcal', 'badcal', 'spica-primary']);
    await expect(s.call('calibrators.import', { kind: 'searchcal', content: '<VOTABLE><RESOURCE><TABLE><FIELD name="x"/></TABLE></RESOURCE></VOTABLE>', fileName: 'x.vot' })).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('saves the policy, validates it and applies it', async () => {
    const s = services();
    const p = await s.call('calibrators.policy.set', { patch: { minVis2: 0.8, radiusDeg: 12 } });
    expect(p).toMatchObject({ minVis2: 0.8, radiusDeg: 12, maxVis2RelErr: 0.02 });
    expect(await s.call('calibrators.policy.get', {})).toMatchObject({ minVis2: 0.8 });
    const r = await s.call('calibrators.propose', { raDeg: 56.87, decDeg: 24.1, vmag: 5 });
    expect(r.candidates.every((c) => c.channels[0].vis2 >= 0.8)).toBe(true);
    await expect(s.call('calibrators.policy.set', { patch: { minVis2: 2 } })).rejects.toMatchObject({ code: 'invalid-input' });
    expect((await s.call('calibrators.policy.set', { reset: true })).minVis2).toBe(0.6);
  });
});

describe('CLI', () => {
  function io(s: Services): CliIo & { stdout: string } {
    const o = { stdout: '', out: (t: string) => void (o.stdout += t), err: () => undefined, openServices: async () => s };
    return o;
  }
  const command = (...name: string[]) => calibratorsCommands.find((c) => c.name.join(' ') === name.join(' '))!;

  it('companion calibrators --json prints candidates and rejected in the documented shape', async () => {
    const s = services();
    const out = io(s);
    expect(await command('calibrators').run(['--ra', '56.87', '--dec', '24.1', '--vmag', '5', '--json'], out)).toBe(0);
    const json = JSON.parse(out.stdout);
    const c = json.candidates[0];
    for (const k of ['name', 'ra_deg', 'dec_deg', 'tier', 'udd_mas', 'udd_err_mas', 'vis2', 'vis2_err', 'score', 'terms', 'flags']) expect(c).toHaveProperty(k);
    expect(json.rejected[0]).toHaveProperty('reason');
    await expect(command('calibrators').run(['--ra', '400', '--dec', '0'], out)).rejects.toThrow(/--ra/);
  });

  it('companion diameter reproduces the reference vector and the SearchCal LDD', async () => {
    const s = services();
    const out = io(s);
    expect(await command('diameter').run(['--input', join(FIXTURES, 'diameter_input.csv'), '--json'], out)).toBe(0);
    const rows = JSON.parse(out.stdout);
    expect(rows[0].tier).toBe('B');
    expect(Math.log10(rows[0].ldd_mas)).toBeCloseTo(1.359197387, 6);
    expect(rows[1].ldd_mas / 0.5308585 - 1).toBeLessThan(1e-3);
    expect(rows[2].tier).toBe('C');
    expect(rows[0].udd.map((u: { lambda_um: number }) => u.lambda_um)).toEqual([0.6142, 0.75, 0.8999]);
  });
});
