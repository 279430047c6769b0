/**
 * Kill tests of verdict writes (issue #18): a real process writes verdicts through the real
 * review service (worker thread, backup, atomic replace, then the store) and is killed with
 * SIGKILL at random moments; another copies a large file to `.review-backups/` and is killed
 * during the copy. After every kill: each file is valid for astropy (`checksum=True`) and
 * fitsverify, every backup is a complete original, and once the app scans again the queue shows
 * exactly the verdict in each file's header and no temp file is left.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices } from '../../../electron/services/registry';
import { rng } from '../../fuzz/rng';
import { findAstropyPython, findFitsverify, runPython } from '../../interop/oifits/astropy';
import { copySample, FIXTURES } from './hostile';
import { AstropyChecker, bundleKillChild, fitsverifyErrors, killNow, MIGRATIONS, sleep, startChild } from './kill';

const python = findAstropyPython();
const fitsverify = findFitsverify();
const FLAG_KILLS = Number(process.env.SPICA_FLAG_KILLS ?? 30);
const BACKUP_KILLS = Number(process.env.SPICA_BACKUP_KILLS ?? 8);
const BIG_MB = Number(process.env.SPICA_BACKUP_KILL_MB ?? 32);

const SAMPLES = [
  'oifitslib__bad_checksum.fits',
  'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits',
  'OITOOLSjl__rho_Cas_example.oifits',
  'oimodeler__PIONI.2014-02-02T02_15_51.790_oidataCalibrated.fits',
];

let dir: string;
let bundle: string;
let astropy: AstropyChecker;
let root: string;
let night: string;
const dataDir = () => join(dir, 'data');

function tempFiles(): string[] {
  return [night, join(night, '.review-backups')].filter(existsSync).flatMap((d) => readdirSync(d).filter((n) => n.endsWith('.tmp')).map((n) => join(d, n)));
}

/** Scan as the app does at its next start (a fresh process), and compare the queue with each file's header. */
async function scanAndCompare(paths: string[], levels: Record<string, number | null | undefined>): Promise<{ reconciled: number }> {
  const before = new Map(paths.map((p) => [p, getStoreLevel(p)]));
  const child = startChild(bundle, ['scan', dataDir(), MIGRATIONS]);
  const line = await child.waitFor(/^queue /);
  await child.exited;
  const items = JSON.parse(line.slice('queue '.length)) as Array<{ path: string; qualityLevel: number | null }>;
  let reconciled = 0;
  for (const p of paths) {
    const inFile = levels[p] ?? null;
    expect(items.find((i) => i.path === p)?.qualityLevel ?? null, `${basename(p)}: queue vs file header`).toBe(inFile);
    expect(getStoreLevel(p), `${basename(p)}: store vs file header`).toBe(inFile);
    if ((before.get(p) ?? null) !== inFile) reconciled++;
  }
  return { reconciled };
}

function getStoreLevel(path: string): number | null {
  const db = new Database(join(dataDir(), 'survey.sqlite'), { readonly: true });
  try {
    const row = db.prepare('select quality_level as q from data_products where path = ? and deleted = 0').get(path) as { q: number | null } | undefined;
    return row?.q ?? null;
  } finally {
    db.close();
  }
}

function storeIntegrity(): string {
  const db = new Database(join(dataDir(), 'survey.sqlite'), { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe.skipIf(!python || !fitsverify)('kill -9 during verdict writes', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kill-oifits-'));
    root = join(dir, 'SPICA');
    night = join(root, 'Results', '2026-11-21');
    mkdirSync(night, { recursive: true });
    bundle = await bundleKillChild();
    astropy = new AstropyChecker(python as string);
    const services = createServices({ paths: resolvePaths(dataDir()), transport: 'cli' });
    for (const s of SAMPLES) copySample(s, night);
    await services.call('review.addFolder', { root });
    await services.close();
  });
  afterAll(() => {
    astropy?.close();
    rmSync(dir, { recursive: true, force: true });
    if (bundle) rmSync(dirname(bundle), { recursive: true, force: true });
  });

  it(`${FLAG_KILLS} kills during flag writes leave valid files, complete backups, and a queue that matches every header`, async () => {
    const paths = SAMPLES.map((s) => join(night, s));
    const originals = new Map(SAMPLES.map((s) => [join(night, s), readFileSync(join(FIXTURES, s))]));
    const hduCounts = await astropy.check(paths);
    const r = rng(4618);
    const landed = { beforeFirstWrite: 0, betweenWrites: 0 };
    let reconciledTotal = 0;
    let tempsLeft = 0;
    for (let k = 0; k < FLAG_KILLS; k++) {
      const child = startChild(bundle, ['flag', dataDir(), MIGRATIONS, ...paths]);
      await child.waitFor(/^ready$/);
      await sleep(r.next() * 1000);
      await killNow(child);
      expect(child.stderr(), `kill ${k}: the child failed on its own`).not.toMatch(/Error/);
      const checks = await astropy.check(paths);
      const levels: Record<string, number | null | undefined> = {};
      for (const p of paths) {
        const c = checks[p];
        expect(c.ok, `kill ${k}: astropy cannot open ${basename(p)}: ${c.error}`).toBe(true);
        expect(c.hdus, `kill ${k}: ${basename(p)}`).toBe(hduCounts[p].hdus);
        // Written by us: the primary verifies. Never written yet: it is exactly as it came (PIONIER's was already stale).
        const primaryFailures = (x: typeof c) => x.checksumFailures?.filter((f) => f.includes('PRIMARY'));
        expect(primaryFailures(c), `kill ${k}: ${basename(p)} primary checksum`).toEqual(c.level === null || c.level === undefined ? primaryFailures(hduCounts[p]) : []);
        levels[p] = c.level ?? null;
        const backup = join(night, '.review-backups', `${basename(p)}.orig`);
        if (existsSync(backup)) expect(readFileSync(backup).equals(originals.get(p) as Buffer), `kill ${k}: backup of ${basename(p)} is the original`).toBe(true);
      }
      expect(fitsverifyErrors(paths), `kill ${k}: fitsverify errors`).toEqual(paths.map(() => 0));
      tempsLeft += tempFiles().length;
      const { reconciled } = await scanAndCompare(paths, levels);
      reconciledTotal += reconciled;
      expect(tempFiles(), `kill ${k}: temp files after the scan`).toEqual([]);
      expect(storeIntegrity()).toBe('ok');
      if (Object.values(levels).every((l) => l === null)) landed.beforeFirstWrite++;
      else landed.betweenWrites++;
    }
    console.log(
      `flag kills: ${FLAG_KILLS} kill -9 during verdict writes on ${paths.length} files: every file valid for astropy and fitsverify after every kill; ` +
        `${reconciledTotal} verdicts found in a header but not in the store were adopted by the next scan; ${tempsLeft} temp files of killed writes were removed by it`,
    );
  }, 900_000);

  it(`${BACKUP_KILLS} kills during a ${BIG_MB} MB backup copy never leave a truncated original`, async () => {
    const big = join(dir, 'big-original.fits');
    runPython(python as string, String.raw`
import sys, numpy as np
from astropy.io import fits
hl = fits.open(sys.argv[1])
rows = int(sys.argv[3]) * 1024 * 1024 // 8000
col = fits.Column(name='SAMPLES', format='1000D', array=np.random.default_rng(18).random((rows, 1000)))
hl.append(fits.BinTableHDU.from_columns([col], name='BIG_EXTRA'))
hl.writeto(sys.argv[2], checksum=True)
`, [join(FIXTURES, SAMPLES[1]), big, String(BIG_MB)]);
    const originalBytes = readFileSync(big);
    // One write to the end, timed, so the kills land inside it (mostly inside the copy).
    const calibrate = join(night, 'big-calibrate.fits');
    copyFileSync(big, calibrate);
    const first = startChild(bundle, ['once', dataDir(), MIGRATIONS, calibrate]);
    await first.waitFor(/^start 0$/);
    const t0 = performance.now();
    await first.waitFor(/^wrote 0$/, 300_000);
    const writeMs = performance.now() - t0;
    await first.exited;
    rmSync(calibrate);
    rmSync(join(night, '.review-backups', 'big-calibrate.fits.orig'));

    const r = rng(1118);
    const outcomes = { noBackupYet: 0, completeBackup: 0, partialTempLeft: 0 };
    for (let k = 0; k < BACKUP_KILLS; k++) {
      const path = join(night, `big-${k}.fits`);
      copyFileSync(big, path);
      const child = startChild(bundle, ['once', dataDir(), MIGRATIONS, path]);
      await child.waitFor(/^start 0$/);
      await sleep(r.next() * writeMs);
      await killNow(child);
      const backup = join(night, '.review-backups', `big-${k}.fits.orig`);
      if (existsSync(backup)) {
        expect(statSync(backup).size, `kill ${k}: backup size`).toBe(originalBytes.length);
        expect(readFileSync(backup).equals(originalBytes), `kill ${k}: backup is the original`).toBe(true);
        outcomes.completeBackup++;
      } else {
        outcomes.noBackupYet++;
      }
      if (tempFiles().length > 0) outcomes.partialTempLeft++;
      const check = (await astropy.check([path]))[path];
      expect(check.ok && check.checksumFailures?.filter((f) => f.includes('PRIMARY')).length === 0, `kill ${k}: ${check.error}`).toBe(true);
      expect(fitsverifyErrors([path])).toEqual([0]);
      await scanAndCompare([path], { [path]: check.level ?? null });
      expect(tempFiles(), `kill ${k}: temp files after the scan`).toEqual([]);
      rmSync(path);
      rmSync(backup, { force: true });
    }
    console.log(
      `backup kills: ${BACKUP_KILLS} kill -9 during verdict writes of a ${BIG_MB} MB file (write ≈ ${Math.round(writeMs)} ms): ` +
        `${outcomes.noBackupYet} left no backup yet, ${outcomes.completeBackup} a complete backup, 0 a truncated one; ` +
        `${outcomes.partialTempLeft} left a partial temp file, removed by the next scan`,
    );
    expect(outcomes.noBackupYet + outcomes.completeBackup).toBe(BACKUP_KILLS);
  }, 900_000);
});
