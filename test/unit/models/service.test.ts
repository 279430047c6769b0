/**
 * The models service over a real store and the real migrations: a target's model resolution
 * (fallback marked, local edits winning, clearing), checks with the component and parameter
 * named, refusals that leave the store unchanged, and predictions whose verdicts follow the bounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';

let dir: string;
let services: Services;
let id: string;
let photometryOnly: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'models-service-'));
  services = createServices({ paths: resolvePaths(dir), transport: 'cli' });
  await services.call('survey.import', {
    fileName: 't.csv',
    content: [
      'name,ra_deg,dec_deg,vmag,jmag,hmag,kmag,sp_type,ldd_mas',
      'alf Test,186.6,12.4,4.0,3.0,2.5,2.4,K0III,1.2',
      'bet Test,190.0,14.0,5.2,3.6,3.0,2.9,K1III,',
      'gam Test,195.0,15.0,,,,,,',
    ].join('\n'),
  });
  const { rows } = await services.call('survey.list', { filter: {}, sort: { key: 'name', direction: 'asc' } });
  id = rows.find((r) => r.name === 'alf Test')!.id;
  photometryOnly = rows.find((r) => r.name === 'bet Test')!.id;
});
afterAll(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('models service', () => {
  it('falls back to a UD of the LDD, else of the photometric diameter, else says there is none', async () => {
    const a = await services.call('models.get', { targetId: id, lambdaUm: 0.72 });
    expect(a.source).toBe('fallback-ldd');
    expect(a.components?.[0].type).toBe('disk');
    // LD → UD shrinks the diameter a little in the visible.
    expect(a.components?.[0].params.diameter).toBeLessThan(1.2);
    expect(a.components?.[0].params.diameter).toBeGreaterThan(1.1);
    const b = await services.call('models.get', { targetId: photometryOnly });
    expect(b.source).toBe('fallback-predicted');
    const rows = (await services.call('survey.list', { filter: { text: 'gam' } })).rows;
    const c = await services.call('models.get', { targetId: rows[0].id });
    expect(c).toMatchObject({ source: 'none', components: null, json: null });
  });

  it('stores a checked local model, refuses a bad one without touching the store, clears it', async () => {
    await expect(services.call('models.set', { targetId: id, model: '[{"type":"ring","diameter":1,"width":-0.1}]' })).rejects.toThrow(
      /model: component 1 \(ring\): width -0.1 is below 0/,
    );
    expect((await services.call('models.get', { targetId: id })).localJson).toBeNull();
    const set = await services.call('models.set', { targetId: id, model: '<tm:model name="d" type="disk"><tm:parameter name="d_diameter" type="diameter"><value>2.5</value></tm:parameter></tm:model>' });
    expect(set.source).toBe('local');
    expect(JSON.parse(set.localJson!)).toEqual([{ type: 'disk', name: 'd', flux_weight: 1, x: 0, y: 0, diameter: 2.5 }]);
    const cleared = await services.call('models.set', { targetId: id, model: null });
    expect(cleared.source).toBe('fallback-ldd');
    await expect(services.call('models.set', { targetId: 'nope', model: null })).rejects.toThrow(/no survey target with id nope/);
  });

  it('checks a model text and names the component and parameter', async () => {
    const bad = await services.call('models.check', { text: '[{"type":"disk","diameter":1},{"type":"flatten_gaussian","major_axis_fwhm":1,"flatten_ratio":0.9}]' });
    expect(bad).toMatchObject({ ok: false, componentIndex: 1, parameter: 'flatten_ratio' });
    expect(bad.error).toMatch(/component 2 \(flatten_gaussian\): flatten_ratio 0.9 is below 1/);
    const good = await services.call('models.check', { text: '[{"type":"disk","diameter":1}]' });
    expect(good.ok).toBe(true);
    expect(good.xml).toContain('<tm:model name="disk1" type="disk">');
  });

  it('predicts along the tracks; the verdicts move with the bounds', async () => {
    const base = { targetId: id, night: '2026-04-15', stepMin: 30, maxChannels: 4 };
    const p = await services.call('models.predict', base);
    expect(p.baselines).toHaveLength(15);
    expect(p.triangles).toHaveLength(20);
    expect(p.timesMjd.length).toBeGreaterThan(0);
    for (const b of p.baselines) expect(b.vis2).toHaveLength(p.timesMjd.length * p.lambdaUm.length);
    const loose = await services.call('models.predict', { ...base, vis2Min: 0, vis2Max: 1 });
    expect(loose.verdicts.every((v) => v.status === 'ok' && v.fractionWithin === 1)).toBe(true);
    const strict = await services.call('models.predict', { ...base, vis2Min: 0.99, vis2Max: 1 });
    expect(strict.verdicts.every((v) => v.status !== 'ok')).toBe(true);
    await expect(services.call('models.predict', { raDeg: 10, decDeg: 20, night: '2026-04-15' })).rejects.toThrow(/needs a model/);
    await expect(services.call('models.predict', { ...base, mode: 'XR' })).rejects.toThrow(/unknown SPICA mode/);
  });
});
