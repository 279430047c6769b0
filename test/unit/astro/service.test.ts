/** The astro service over a real store (temp folder, real migrations) through the contract's `call`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';
import { FIXTURES } from './fixtures';

let dir: string;
let services: Services;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'astro-service-'));
  services = createServices({ paths: resolvePaths(dir), transport: 'cli' });
  await services.call('survey.import', { fileName: 'targets.csv', path: join(FIXTURES, 'targets.csv') });
});

afterAll(async () => {
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('astro service', () => {
  it('summarises every survey target for a night, matching the engine on a named target', async () => {
    const summary = await services.call('astro.surveyObservability', { night: '2024-05-15', useDelayLines: false, minMoonSepDeg: 0 });
    expect(summary.rows).toHaveLength(1000);
    const t1 = summary.rows.find((r) => r.name === 'T0001')!;
    expect(t1.observableMin).toBeGreaterThan(0);
    const detail = await services.call('astro.targetNight', { targetId: t1.id, night: '2024-05-15', useDelayLines: false, minMoonSepDeg: 0 });
    expect(detail.target.name).toBe('T0001');
    expect(detail.observableMin).toBe(t1.observableMin);
    expect(detail.rows.map((r) => r.label)).toEqual(['night', 'elevation', 'moon', 'horizon S1', 'horizon S2', 'horizon E1', 'horizon E2', 'horizon W1', 'horizon W2']);
    // Every sample that is not observable carries at least one human reason, and only those.
    detail.observable.forEach((ok, k) => expect(detail.reasons[k].length === 0).toBe(ok === 1));
  });

  it('returns per-baseline rows and uv tracks with delay lines on', async () => {
    const detail = await services.call('astro.targetNight', { raDeg: 279.234735, decDeg: 38.783689, name: 'Vega', night: '2026-06-21' });
    expect(detail.rows.filter((r) => r.kind === 'baseline')).toHaveLength(15);
    expect(detail.pops).toMatch(/^[1-5]{5}5$/);
    const uv = await services.call('astro.uv', { raDeg: 279.234735, decDeg: 38.783689, night: '2026-06-21', mode: 'MR720', maxChannels: 5 });
    expect(uv.tracks).toHaveLength(15);
    expect(uv.channelsUm).toHaveLength(5);
    expect(uv.lambdaRefUm).toBe(0.72);
  });

  it('reports unknown ids and bad PoPs as caller errors', async () => {
    await expect(services.call('astro.targetNight', { targetId: 'nope', night: '2026-06-21' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(services.call('astro.targetNight', { raDeg: 10, decDeg: 10, night: '2026-06-21', stations: ['S1', 'S2'], pops: '123' })).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });
});
