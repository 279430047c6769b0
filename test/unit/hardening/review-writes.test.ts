/**
 * Issue #18 on verdict writes, through the real review service and store: writes confined to
 * watched night folders, received files and files opened in this session; a verdict found in a
 * file's header but not in the store (a crash between the two writes) shown by the queue after
 * the next scan; temp files of killed writes cleaned on the next scan; a primary checksum that was
 * already invalid reported, and recorded in a HISTORY card (read back by astropy when present).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDataProduct } from '../../../electron/db/repos/data-products';
import { writeQualityToFile } from '../../../electron/oifits/write-quality';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import { readFitsStructure, verifyChecksums } from '../../../shared/oifits';
import { findAstropyPython } from '../../interop/oifits/astropy';
import { copySample, failure } from './hostile';

const python = findAstropyPython();
let dir: string;
let root: string;
let night: string;
let services: Services;

const flag = (path: string, level = 4) => services.call('review.setQuality', { path, level: level as 4, comment: 'fine', reviewer: 'Hardening' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'review-writes-'));
  root = join(dir, 'SPICA');
  night = join(root, 'Results', '2026-11-21');
  mkdirSync(night, { recursive: true });
  services = createServices({ paths: resolvePaths(join(dir, 'data')), transport: 'browser' });
  copySample('ROTIRjl__SU_Lyn.oifits', night);
  await services.call('review.addFolder', { root });
});
afterAll(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('where a verdict may be written', () => {
  it('refuses a FITS file outside every watched folder that was never opened, and leaves it untouched', async () => {
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    const path = copySample('oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits', elsewhere);
    const before = readFileSync(path);
    const err = await failure(flag(path));
    expect(err.code).toBe('invalid-input');
    expect(err.message).toContain('verdicts are written only into files under a watched night folder');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(join(elsewhere, '.review-backups'))).toBe(false);
  });

  it('writes a file the user opened for review in this session', async () => {
    const elsewhere = join(dir, 'picked');
    mkdirSync(elsewhere);
    const path = copySample('oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits', elsewhere);
    await services.call('review.open', { path });
    const r = await flag(path, 3);
    expect(r.item.qualityLevel).toBe(3);
  });

  it('writes inside a watched night folder, but not through a symlink to outside nor into the backup folder', async () => {
    const inside = join(night, 'ROTIRjl__SU_Lyn.oifits');
    expect((await flag(inside)).item.qualityLevel).toBe(4);
    const outside = copySample('oitools__AMBER_070409.fits', dir);
    symlinkSync(outside, join(night, 'link.fits'));
    const link = await failure(flag(join(night, 'link.fits')));
    expect(link.message).toContain('is a symbolic link');
    const backup = join(night, '.review-backups', 'ROTIRjl__SU_Lyn.oifits.orig');
    expect(existsSync(backup)).toBe(true);
    expect((await failure(flag(backup))).message).toContain('verdicts are written only');
    const dotdot = await failure(flag(join(night, '..', '..', '..', 'elsewhere', 'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits')));
    expect(dotdot.message).toContain('verdicts are written only');
  });
});

describe('crash consistency of verdict writes', () => {
  it('adopts a verdict present in the file header but missing from the store (crash between the two writes)', async () => {
    const path = copySample('OITOOLSjl__rho_Cas_example.oifits', night, 'crashed.oifits');
    await services.call('review.queue', {});
    expect(getDataProduct(services.store, path)?.qualityLevel).toBeNull();
    // Exactly the app's header write, with no store write after it: what a kill between them leaves.
    writeQualityToFile(path, { level: 2, comment: 'reduce again', reviewer: 'Killed', reviewedAtMs: Date.UTC(2026, 10, 22, 3, 4, 5) });
    const q = await services.call('review.queue', {});
    const item = q.items.find((i) => i.path === path);
    expect(item).toMatchObject({ qualityLevel: 2, reviewer: 'Killed', reviewComment: 'reduce again', reviewedAtMs: Date.UTC(2026, 10, 22, 3, 4, 5) });
    expect(getDataProduct(services.store, path)?.qualityLevel).toBe(2);
  });

  it('drops a store verdict whose file holds none in its header: the original restored from .review-backups, a pre-review copy elsewhere', async () => {
    const path = copySample('OITOOLSjl__rho_Cas_example.oifits', night, 'restored.oifits');
    await services.call('review.queue', {});
    await flag(path, 3);
    const backup = join(night, '.review-backups', 'restored.oifits.orig');
    expect(existsSync(backup)).toBe(true);
    // The user puts the original back (the file now has no verdict in its header).
    writeFileSync(path, readFileSync(backup));
    let q = await services.call('review.queue', {});
    expect(q.items.find((i) => i.path === path)?.qualityLevel).toBeNull();
    expect(getDataProduct(services.store, path)?.qualityLevel).toBeNull();
    const history = await services.call('review.history', { path });
    expect(history.events.map((e) => e.summary)).toContainEqual(expect.stringContaining('holds no verdict in its header'));
    // Graded again, then a pristine copy of the same data lands in the night folder and the graded one goes.
    await flag(path, 1);
    writeFileSync(join(night, 'copy-before-review.oifits'), readFileSync(backup));
    rmSync(path);
    q = await services.call('review.queue', {});
    expect(q.items.find((i) => i.path === join(night, 'copy-before-review.oifits'))?.qualityLevel).toBeNull();
  });

  it('keeps the store verdict when the file holds the same verdict (second precision) or an older one', async () => {
    const path = join(night, 'ROTIRjl__SU_Lyn.oifits');
    const before = getDataProduct(services.store, path);
    await services.call('review.queue', {});
    expect(getDataProduct(services.store, path)).toEqual(before);
  });

  it('removes temp files of killed writes on the next scan, and keeps a live writer\'s', async () => {
    const deadPid = 2 ** 22 + 12345;
    const stale = join(night, `.ROTIRjl__SU_Lyn.oifits.${deadPid}.1764000000000.tmp`);
    const staleBackup = join(night, '.review-backups', `.crashed.oifits.orig.${deadPid}.1764000000000.tmp`);
    const old = join(night, `.crashed.oifits.${process.pid}.1.tmp`);
    const live = join(night, `.crashed.oifits.${process.pid}.${Date.now()}.tmp`);
    mkdirSync(join(night, '.review-backups'), { recursive: true });
    for (const p of [stale, staleBackup, old, live]) writeFileSync(p, 'partial');
    const hourAgo = (Date.now() - 2 * 3600_000) / 1000;
    utimesSync(old, hourAgo, hourAgo);
    // A change the watcher would see; the scan runs at the next queue call either way.
    await services.call('review.queue', {});
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(staleBackup)).toBe(false);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(live)).toBe(true);
    rmSync(live);
  });

  it('says so when the primary checksum was already invalid, and records it in a HISTORY card', async () => {
    const path = copySample('oimodeler__PIONI.2014-02-02T02_15_51.790_oidataCalibrated.fits', night);
    expect(verifyChecksums(readFitsStructure(new Uint8Array(readFileSync(path))))[0].checksum).toBe('invalid');
    const r = await flag(path);
    expect(r.warnings).toEqual([expect.stringContaining('did not verify before this verdict')]);
    const primary = readFitsStructure(new Uint8Array(readFileSync(path))).hdus[0];
    const history = primary.header.cards.filter((c) => c.key === 'HISTORY').map((c) => c.comment).join(' ');
    expect(history).toMatch(/primary CHECKSUM did not verify before the quality verdict was written; re-signed/);
    expect(verifyChecksums(readFitsStructure(new Uint8Array(readFileSync(path))))[0].checksum).toBe('valid');
    // A second verdict on the now valid header adds no second HISTORY card.
    const again = await flag(path, 5);
    expect(again.warnings).toEqual([]);
    const cards = readFitsStructure(new Uint8Array(readFileSync(path))).hdus[0].header.cards.filter((c) => c.key === 'HISTORY' && c.comment.includes('re-signed'));
    expect(cards.length).toBe(1);
    if (python) {
      const r2 = spawnSync(python, ['-c', [
        'import sys, warnings',
        'from astropy.io import fits',
        'warnings.simplefilter("error")',
        'h = fits.open(sys.argv[1], checksum=True)[0].header',
        'print(" ".join(str(x) for x in h["HISTORY"]))',
      ].join('\n'), path], { encoding: 'utf8' });
      expect(r2.status, r2.stderr).toBe(0);
      expect(r2.stdout).toContain('did not verify before the quality verdict was written; re-signed');
    }
  });

  it('leaves no temp files behind after normal writes', () => {
    const leftovers = [night, join(night, '.review-backups')].flatMap((d) => readdirSync(d).filter((n) => n.endsWith('.tmp')));
    expect(leftovers).toEqual([]);
  });
});
