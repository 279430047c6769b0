/**
 * The batch quick-look fit over a night folder (`review.fitFolder`), through the real services
 * and worker: every readable L2 file of the folder is fitted, an unreadable one is left out
 * without stopping the night and listed with its reason, and each UD diameter agrees with oimodeler's on the same file
 * (recorded reference, test/fixtures/review/oimodeler_fit_reference.json) within its 1σ.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices } from '../../../electron/services/registry';
import { main } from '../../../electron/cli/main';

const FIXTURES = join(import.meta.dirname, '../../fixtures/oifits');
const REFERENCE = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/review/oimodeler_fit_reference.json'), 'utf8')) as {
  fits: Array<{ file: string; model: string; diameter_mas: number; error_mas: number; n: number }>;
};
const FILES = [
  'oimodeler__Aspro2_zet_Oph_CHARA_SPICA_0.60249-0.80749-42ch_S1-S2-E1-E2-W1-W2_2023-05-19.fits',
  'oimodeler__PIONI.2014-02-02T02_15_51.790_oidataCalibrated.fits',
];
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('review.fitFolder', () => {
  it('fits every L2 file of a night root like oimodeler, leaving out an unreadable one', async () => {
    const base = mkdtempSync(join(tmpdir(), 'review-fit-folder-'));
    dirs.push(base);
    const night = join(base, 'SPICA', 'Results', '2026-11-21');
    mkdirSync(night, { recursive: true });
    for (const f of FILES) {
      copyFileSync(join(FIXTURES, f), join(night, f));
      chmodSync(join(night, f), 0o644);
    }
    writeFileSync(join(night, 'broken.fits'), 'SIMPLE  =                    T / not a whole FITS file');
    const services = createServices({ paths: resolvePaths(join(base, 'data')), transport: 'cli' });
    try {
      const { fits, failed } = await services.call('review.fitFolder', { folder: join(base, 'SPICA') });
      expect(fits.map((f) => f.fileName).sort()).toEqual([...FILES].sort());
      // The broken file is reported with its reason, not only logged.
      expect(failed.map((f) => f.fileName)).toEqual(['broken.fits']);
      expect(failed[0].message).toMatch(/\S/);
      for (const fit of fits) {
        const ref = REFERENCE.fits.find((r) => r.file === fit.fileName && r.model === 'ud');
        expect(ref, fit.fileName).toBeTruthy();
        expect(fit.ud.n).toBe(ref?.n);
        expect(Math.abs(fit.ud.diameterMas - (ref?.diameter_mas ?? 0))).toBeLessThanOrEqual(ref?.error_mas ?? 0);
      }
      // The same night folder given directly.
      const direct = (await services.call('review.fitFolder', { folder: night })).fits;
      expect(direct.map((f) => f.ud.diameterMas).sort()).toEqual(fits.map((f) => f.ud.diameterMas).sort());
    } finally {
      await services.close();
    }
  });

  it('companion oifits fit-folder: every fit, each target\'s homogeneity, the left-out file and exit 1', async () => {
    const base = mkdtempSync(join(tmpdir(), 'review-fit-folder-cli-'));
    dirs.push(base);
    const night = join(base, 'night');
    mkdirSync(night);
    for (const f of FILES) {
      copyFileSync(join(FIXTURES, f), join(night, f));
      chmodSync(join(night, f), 0o644);
    }
    writeFileSync(join(night, 'broken.fits'), 'SIMPLE  =                    T / not a whole FITS file');
    let out = '';
    let err = '';
    const code = await main(['--data-dir', join(base, 'data'), 'oifits', 'fit-folder', night, '--json'], { out: (t) => (out += t), err: (t) => (err += t) });
    expect(err).toBe('');
    expect(code).toBe(1);
    const json = JSON.parse(out) as {
      fits: Array<{ path: string; target: string; ud_mas: number; ud_error_mas: number; n: number }>;
      targets: Array<{ target: string; files: number; mean_ud_mas: number; chi2r: number | null }>;
      failed: Array<{ fileName: string; message: string }>;
    };
    expect(json.fits).toHaveLength(2);
    for (const fit of json.fits) {
      const ref = REFERENCE.fits.find((r) => fit.path.endsWith(r.file) && r.model === 'ud');
      expect(ref, fit.path).toBeTruthy();
      expect(Math.abs(fit.ud_mas - (ref?.diameter_mas ?? 0))).toBeLessThanOrEqual(ref?.error_mas ?? 0);
    }
    // Two different stars: one entry each, the mean of one file is that file's diameter.
    expect(json.targets).toHaveLength(2);
    for (const t of json.targets) {
      expect(t.files).toBe(1);
      expect(t.chi2r).toBeNull();
      expect(t.mean_ud_mas).toBeCloseTo(json.fits.find((f) => f.target === t.target)?.ud_mas ?? Number.NaN, 12);
    }
    expect(json.failed.map((f) => f.fileName)).toEqual(['broken.fits']);

    let text = '';
    expect(await main(['--data-dir', join(base, 'data'), 'oifits', 'fit-folder', night], { out: (t) => (text += t), err: () => undefined })).toBe(1);
    expect(text).toMatch(/2 file\(s\) fitted, 1 left out/);
    expect(text).toMatch(/left out broken\.fits: \S/);
  });
});
