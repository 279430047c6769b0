import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assignCalibrator } from '../../../electron/db/repos/calibrators';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';
import { asproRequestFromStore } from '../../../electron/services/samp/aspro-request';

let dir: string;
let services: Services;
afterEach(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the ASPRO2 request built from the store', () => {
  it('carries each target with the calibrators assigned to it, primary first, shared ones once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'spica-aspro-'));
    services = createServices({ paths: resolvePaths(dir), transport: 'cli' });
    await services.call('survey.import', {
      fileName: 't.csv',
      content: 'name,ra_deg,dec_deg,vmag,progname,priority_pi\nstar A,60.0,20.0,5,S01,0\nstar B,61.0,21.0,6,S02,1\n',
    });
    const { rows } = await services.call('survey.list', { filter: {}, sort: { key: 'name', direction: 'asc' } });
    const [a, b] = rows;
    const cal = (targetId: string, name: string, kind: 'primary' | 'secondary', raDeg: number) =>
      assignCalibrator(services.store, { targetId, key: name, name, hd: null, hip: null, raDeg, decDeg: 20.5, vmag: 5.5, uddMas: 0.3, uddErrMas: 0.02, kind, isPinned: false, notes: null, source: 'test' });
    cal(a.id, 'HD 2', 'secondary', 60.5);
    cal(a.id, 'HD 1', 'primary', 60.2);
    cal(b.id, 'HD 2', 'secondary', 60.5);

    const { request } = asproRequestFromStore(services.store, {
      targetIds: [a.id, b.id],
      night: '2026-11-22',
      configuration: 'S1 S2 E1 E2 W1 W2',
      instrument: 'SPICA_6T',
      minElevationDeg: 30,
      operation: 'NEW',
      includeCalibrators: true,
    });
    const cals = request.targets.filter((t) => t.nssType === 'CAL');
    expect(cals.map((c) => [c.name, c.group, c.diameterMas])).toEqual([
      ['HD 1', 'calprim', 0.3],
      ['HD 2', 'calsecond', 0.3],
    ]);
    expect(request.calibrators).toEqual(
      expect.arrayContaining([
        { science: 'star A', calibrator: 'HD 1' },
        { science: 'star A', calibrator: 'HD 2' },
        { science: 'star B', calibrator: 'HD 2' },
      ]),
    );
    expect(request.calibrators).toHaveLength(3);
  });
});
