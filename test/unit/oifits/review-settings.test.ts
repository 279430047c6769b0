/**
 * Configurable verdict keywords through the real service and store: other keyword names end up
 * in the header (and read back), structural keywords are refused, backups can be declined.
 */
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import { readFitsStructure, readQuality, verifyChecksums } from '../../../shared/oifits';

const FIXTURES = join(__dirname, '../../fixtures/oifits');

describe('review settings', () => {
  let dir: string;
  let services: Services;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'review-settings-'));
    services = createServices({ paths: resolvePaths(join(dir, 'data')), transport: 'cli' });
  });
  afterAll(async () => {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the verdict under the configured keywords, without a backup when declined', async () => {
    const keywords = { level: 'SPICA QUALITY', reviewer: 'SPICA QC BY', date: 'SPICA QC DATE', commentPrefix: 'SPICA-QC:' };
    const saved = await services.call('review.setSettings', { keywords, keepBackups: false, reviewer: 'Default Name' });
    expect(saved).toMatchObject({ keywords, keepBackups: false, reviewer: 'Default Name' });
    const file = join(dir, 'gravity.fits');
    copyFileSync(join(FIXTURES, 'oitools__GRAVI.2016-06-23T03_10_17.458_singlesciviscalibrated.fits'), file);
    chmodSync(file, 0o644);
    const r = await services.call('review.setQuality', { path: file, level: 1, comment: 'fringe tracker lost lock', reviewer: 'Someone' });
    expect(r.backupPath).toBeNull();
    expect(existsSync(join(dir, '.review-backups'))).toBe(false);
    const fits = readFitsStructure(new Uint8Array(readFileSync(file)));
    expect(fits.hdus[0].header.get('HIERARCH SPICA QUALITY')).toBe(1);
    expect(fits.hdus[0].header.has('QUALITY LEVEL')).toBe(false);
    expect(readQuality(fits.hdus[0].header, keywords)).toMatchObject({ level: 1, reviewer: 'Someone', comment: 'fringe tracker lost lock' });
    expect(verifyChecksums(fits).every((s) => s.checksum !== 'invalid' && s.datasum !== 'invalid')).toBe(true);
    const inspected = await services.call('review.inspect', { path: file });
    expect(inspected.quality.level).toBe(1);
  });

  it('refuses structural keywords for the verdict', async () => {
    await expect(
      services.call('review.setSettings', { keywords: { level: 'NAXIS', reviewer: 'A B', date: 'C D', commentPrefix: 'X:' } }),
    ).rejects.toThrow(/structural/);
  });
});
