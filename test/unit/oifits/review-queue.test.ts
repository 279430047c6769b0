/**
 * The review queue on a real SPICA-layout night folder in a temp dir, with a real store: level
 * and night from the folders, survey links by name and by position, ordering (unreviewed L2
 * first), hidden backups ignored, and a file dropped in later announced by the watcher.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import type { ReviewQueue } from '../../../shared/contract/review';

const FIXTURES = join(__dirname, '../../fixtures/oifits');

// Catalogue positions (SIMBAD, J2000) under other names than the files use, so only the
// positional match can link rho Cas; "Far away" sits 30″ from IRC+50448 and must not link.
const SURVEY_CSV = [
  'name,ra,dec',
  'HR 9045,23:54:23.03,+57:29:57.8',
  'bet Ari,01:54:38.41,+20:48:28.9',
  'HD 47648,06:42:55.14,+55:28:27.2',
  'Far away,22:51:35.28,+52:20:51.5',
].join('\n');

function place(root: string, folder: string, name: string): string {
  mkdirSync(join(root, folder), { recursive: true });
  const target = join(root, folder, name);
  copyFileSync(join(FIXTURES, name), target);
  chmodSync(target, 0o644);
  return target;
}

describe('review queue', () => {
  let dir: string;
  let root: string;
  let services: Services;
  const events: ReviewQueue[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'review-queue-'));
    root = join(dir, 'SPICA');
    place(root, 'RawOifits/2026-11-20', 'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits');
    place(root, 'Results/2026-11-20', 'ROTIRjl__SU_Lyn.oifits');
    place(root, 'Results/2026-11-21', 'OITOOLSjl__rho_Cas_example.oifits');
    place(root, 'Results/2026-11-21', 'PMOIRED__mircx02330_oifits_viscal.fits');
    place(root, 'Results/2026-11-21/.review-backups', 'oifitslib__Bin_Ary--MIRC_H.fits');
    writeFileSync(join(root, 'Results/2026-11-21/notes.txt'), 'not a FITS file');
    services = createServices({ paths: resolvePaths(join(dir, 'data')), transport: 'browser' });
    await services.call('survey.import', { fileName: 'survey.csv', content: SURVEY_CSV });
    services.on('review.queueChanged', (q) => events.push(q));
  });

  afterAll(async () => {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the files with level and night, skipping backups and non-FITS files', async () => {
    const q = await services.call('review.addFolder', { root });
    expect(q.folders).toEqual([root]);
    expect(q.items.map((i) => [i.fileName, i.level, i.night])).toEqual([
      ['OITOOLSjl__rho_Cas_example.oifits', 'L2', '2026-11-21'],
      ['PMOIRED__mircx02330_oifits_viscal.fits', 'L2', '2026-11-21'],
      ['ROTIRjl__SU_Lyn.oifits', 'L2', '2026-11-20'],
      ['oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits', 'L1', '2026-11-20'],
    ]);
  });

  it('links files to survey targets by name, else by position within 10″', async () => {
    const q = await services.call('review.queue', {});
    const links = Object.fromEntries(q.items.map((i) => [i.fileTargetName, i.targetName]));
    expect(links).toEqual({ 'rho Cas': 'HR 9045', 'bet Ari': 'bet Ari', HD_47648: 'HD 47648', 'IRC+50448': null });
  });

  it('puts reviewed files after unreviewed ones', async () => {
    const first = (await services.call('review.queue', {})).items[0];
    await services.call('review.setQuality', { path: first.path, level: 4, comment: 'fine', reviewer: 'Q' });
    const q = await services.call('review.queue', {});
    expect(q.items.at(-1)).toMatchObject({ path: first.path, qualityLevel: 4, reviewer: 'Q', reviewComment: 'fine' });
    expect(q.items[0].qualityLevel).toBeNull();
  });

  it('announces a file written into a watched night folder', async () => {
    const before = events.length;
    place(root, 'Results/2026-11-22', 'oifitslib__Bin_Ary--MIRC_H.fits');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !events.slice(before).some((e) => e.items.some((i) => i.night === '2026-11-22'))) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const latest = events.at(-1);
    expect(latest?.items.find((i) => i.night === '2026-11-22')).toMatchObject({ level: 'L2', fileTargetName: 'Bin_Ary' });
  });

  it('refuses a folder without the SPICA layout', async () => {
    mkdirSync(join(dir, 'plain'), { recursive: true });
    await expect(services.call('review.addFolder', { root: join(dir, 'plain') })).rejects.toThrow(/RawOifits/);
  });
});
