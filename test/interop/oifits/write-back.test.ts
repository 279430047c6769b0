/**
 * Write-back through the real review service (real store, real migrations, real files in a temp
 * SPICA night folder), checked by astropy (`fits.open(..., checksum=True)`) and by fitsverify:
 * the primary checksum verifies, astropy reads `QUALITY LEVEL`, fitsverify finds no errors and no
 * more warnings than in the original, the original is kept, and the store holds the verdict.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDataProduct } from '../../../electron/db/repos/data-products';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import { findAstropyPython, findFitsverify, runPython } from './astropy';

const FIXTURES = join(__dirname, '../../fixtures/oifits');
const python = findAstropyPython();
const fitsverify = findFitsverify();

const FILES = [
  'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits',
  'PMOIRED__mircx02330_oifits_viscal.fits',
  'oitools__GRAVI.2016-06-23T03_10_17.458_singlesciviscalibrated.fits',
  'ROTIRjl__SU_Lyn.oifits',
  'oifitslib__bigtest2.fits',
  'oimodeler__OiXP_bet_Cnc_MATISSE_A0-B5-J2-J6_2024-03-11.fits',
];

const ASTROPY_CHECK = String.raw`
import sys, json, warnings
from astropy.io import fits
out = {}
for path in sys.argv[1:]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        with fits.open(path, checksum=True) as hl:
            level = hl[0].header.get('QUALITY LEVEL')
            reviewer = hl[0].header.get('QUALITY REVIEWER')
            for h in hl:
                h.data
        failed = [str(w.message).strip() for w in caught if 'verification failed' in str(w.message)]
    out[path] = {'level': level, 'reviewer': reviewer, 'checksumFailures': failed}
print(json.dumps(out))
`;

function fitsverifyCounts(path: string): { warnings: number; errors: number; primaryChecksumWarning: boolean } {
  const r = spawnSync('fitsverify', [path], { encoding: 'utf8' });
  const m = /Verification found (\d+) warning\(s\) and (\d+) error\(s\)/.exec(r.stdout);
  if (!m) throw new Error(`fitsverify output not understood for ${path}: ${r.stdout.slice(-300)}`);
  const primary = r.stdout.split('HDU 2:')[0];
  return { warnings: Number(m[1]), errors: Number(m[2]), primaryChecksumWarning: /checksum/i.test(primary.split('Primary Array')[1] ?? '') };
}

describe('quality write-back through the review service', () => {
  let dir: string;
  let services: Services;
  const night = () => join(dir, 'night', 'Results', '2026-11-21');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'review-write-'));
    mkdirSync(night(), { recursive: true });
    for (const f of FILES) {
      copyFileSync(join(FIXTURES, f), join(night(), f));
      chmodSync(join(night(), f), 0o644);
    }
    services = createServices({ paths: resolvePaths(join(dir, 'data')), transport: 'cli' });
  });

  afterAll(async () => {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every file, keeps originals, records the verdicts in the store', async () => {
    await services.call('review.addFolder', { root: join(dir, 'night') });
    for (const [i, f] of FILES.entries()) {
      const result = await services.call('review.setQuality', {
        path: join(night(), f),
        level: (i % 6) as 0 | 1 | 2 | 3 | 4 | 5,
        comment: `Reviewed in test, file ${i}: ${'consistent closure phases; '.repeat(4)}`,
        reviewer: 'Interop Test',
      });
      expect(result.item.qualityLevel).toBe(i % 6);
      expect(result.backupPath).not.toBeNull();
      expect(readFileSync(result.backupPath as string).equals(readFileSync(join(FIXTURES, f)))).toBe(true);
      const row = getDataProduct(services.store, join(night(), f));
      expect(row).toMatchObject({ level: 'L2', night: '2026-11-21', qualityLevel: i % 6, reviewer: 'Interop Test' });
    }
    const queue = await services.call('review.queue', {});
    expect(queue.items.map((x) => x.qualityLevel)).toEqual(expect.arrayContaining([0, 1, 2, 3, 4, 5]));
  });

  it.skipIf(!python)(`astropy verifies the primary checksum and reads QUALITY LEVEL${python ? '' : ' (SKIPPED: python3-astropy not installed)'}`, () => {
    const paths = FILES.map((f) => join(night(), f));
    const result = JSON.parse(runPython(python as string, ASTROPY_CHECK, paths)) as Record<
      string,
      { level: number; reviewer: string; checksumFailures: string[] }
    >;
    for (const [i, p] of paths.entries()) {
      expect(result[p].level, p).toBe(i % 6);
      expect(result[p].reviewer, p).toBe('Interop Test');
      expect(result[p].checksumFailures.filter((m) => m.includes("'PRIMARY'")), p).toEqual([]);
    }
    // Stale checksums in other HDUs are the originals' (SU Lyn: 6 HDUs), untouched by us.
    expect(result[paths[3]].checksumFailures).toHaveLength(6);
  });

  it.skipIf(!fitsverify)(`fitsverify finds no errors and no new warnings${fitsverify ? '' : ' (SKIPPED: fitsverify not installed)'}`, () => {
    for (const f of FILES) {
      const before = fitsverifyCounts(join(FIXTURES, f));
      const after = fitsverifyCounts(join(night(), f));
      expect(after.errors, f).toBe(0);
      expect(after.warnings, f).toBeLessThanOrEqual(before.warnings);
      expect(after.primaryChecksumWarning, f).toBe(false);
    }
  });

  it('refuses a read-only file and leaves it untouched', async () => {
    const f = join(night(), 'readonly.fits');
    copyFileSync(join(FIXTURES, 'oifitslib__Bin_Ary--MIRC_H.fits'), f);
    chmodSync(f, 0o444);
    await expect(services.call('review.setQuality', { path: f, level: 3, comment: '', reviewer: 'X' })).rejects.toThrow(/read-only/);
    expect(readFileSync(f).equals(readFileSync(join(FIXTURES, 'oifitslib__Bin_Ary--MIRC_H.fits')))).toBe(true);
    expect(existsSync(join(night(), '.review-backups', 'readonly.fits.orig'))).toBe(false);
  });

  it('refuses an unreadable file with the reason', async () => {
    const f = join(night(), 'trunc.fits');
    copyFileSync(join(FIXTURES, 'oitools__testdata_opt_TRUNC.fits'), f);
    chmodSync(f, 0o644);
    await expect(services.call('review.setQuality', { path: f, level: 3, comment: '', reviewer: 'X' })).rejects.toThrow(/HDU 0 at byte 0/);
  });
});
