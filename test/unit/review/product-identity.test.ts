/**
 * Data products identified by content, with real SQLite files and the real migrations:
 * - a store made by the previous schema (migrations up to 0004: rows keyed by path, folders in
 *   the `review.folders` setting) is migrated: the folders become rows (with change-log records,
 *   the setting gone), and the next scan gives the old rows their content hash, keeping ids and
 *   verdicts;
 * - the same file in two places is one product version;
 * - a regenerated file (other data at the same path) is a new version of the same product, with a
 *   history event and the previous verdict shown.
 * The content hash is checked against SHA-256 of the bytes after the primary HDU, located by
 * astropy (`fileinfo(1)['hdrLoc']`).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../../electron/db/store';
import { readFitsStructure } from '../../../shared/oifits';
import { fileStem } from '../../../shared/oifits/product-key';
import { writeQualityToFile } from '../../../electron/oifits/write-quality';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices } from '../../../electron/services/registry';
import { findAstropyPython } from '../../interop/oifits/astropy';

const FIXTURES = join(import.meta.dirname, '../../fixtures/oifits');
const FILE = 'oimodeler__OiXP_bet_Cnc_MATISSE_A0-B5-J2-J6_2024-03-11.fits';
const python = findAstropyPython();
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'review-identity-'));
  dirs.push(d);
  return d;
}

function nightRoot(base: string, name: string): { root: string; file: string } {
  const root = join(base, name);
  mkdirSync(join(root, 'Results', '2024-03-11'), { recursive: true });
  const file = join(root, 'Results', '2024-03-11', FILE);
  copyFileSync(join(FIXTURES, FILE), file);
  chmodSync(file, 0o644);
  return { root, file };
}

/** SHA-256 of the bytes from the first extension HDU (located by astropy) to the end. */
function astropyContentHash(path: string): string {
  const r = spawnSync(python as string, ['-c', 'import sys; from astropy.io import fits; hl = fits.open(sys.argv[1]); print(hl.fileinfo(1)["hdrLoc"])', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return createHash('sha256').update(readFileSync(path).subarray(Number(r.stdout.trim()))).digest('hex');
}

describe('data products identified by content', () => {
  it('migrates a path-keyed store: folders become rows, old rows get their hash and keep id and verdict', async () => {
    const base = tempDir();
    const { root, file } = nightRoot(base, 'SPICA');
    const dataDir = join(base, 'data');
    // The previous schema: every migration before this issue's.
    const oldMigrations = join(base, 'migrations-before-review');
    cpSync(resolvePaths(dataDir).migrationsDir, oldMigrations, { recursive: true });
    const journalPath = join(oldMigrations, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
    const ours = journal.entries.findIndex((e) => e.tag.endsWith('_review_content_hash_folders_history'));
    expect(ours).toBeGreaterThan(0);
    for (const e of journal.entries.slice(ours)) rmSync(join(oldMigrations, `${e.tag}.sql`));
    journal.entries = journal.entries.slice(0, ours);
    writeFileSync(journalPath, JSON.stringify(journal));
    // The app has always written a verdict into the file's header before the store row.
    writeQualityToFile(file, { level: 3, comment: 'from before hashes', reviewer: 'Old Reviewer', reviewedAtMs: 1_700_000_000_000 });
    const old = Store.open({ dataDir, migrationsDir: oldMigrations });
    const oldId = old.write((w) => {
      w.setSetting('review.folders', [root]);
      return w.insert('data_products', { path: file, level: 'L2', night: '2024-03-11', quality_level: 3, reviewer: 'Old Reviewer', reviewed_at_ms: 1_700_000_000_000, review_comment: 'from before hashes' });
    });
    old.close();

    const services = createServices({ paths: resolvePaths(dataDir), transport: 'cli' });
    try {
      const q = await services.call('review.queue', {});
      expect(q.folders).toEqual([root]);
      const store = services.store;
      expect(store.sqlite.prepare("select count(*) as n from settings where key = 'review.folders'").get()).toEqual({ n: 0 });
      const logged = store.sqlite.prepare("select count(*) as n from change_log where entity = 'review_folders' and op = 'insert'").get() as { n: number };
      expect(logged.n).toBe(1);
      const rows = store.sqlite.prepare('select id, content_hash, product_key, quality_level, reviewer from data_products where deleted = 0').all() as Array<Record<string, unknown>>;
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: oldId, quality_level: 3, reviewer: 'Old Reviewer' });
      if (python) expect(rows[0].content_hash).toBe(astropyContentHash(file));
      expect(rows[0].product_key).toBe('betcnc|2024-03-11|matisse|oimodeler__oixp_bet_cnc_matisse_a0-b5-j2-j6_2024-03-11');
      expect(q.items[0]).toMatchObject({ qualityLevel: 3, contentHash: rows[0].content_hash, versions: 1 });
    } finally {
      await services.close();
    }
  });

  it('one product for the same file in two places; a regenerated file is a new version of it', async () => {
    const base = tempDir();
    const laptop = nightRoot(base, 'laptop');
    const desktop = nightRoot(base, 'desktop');
    const services = createServices({ paths: resolvePaths(join(base, 'data')), transport: 'cli' });
    try {
      await services.call('review.addFolder', { root: laptop.root });
      await services.call('review.setQuality', { path: laptop.file, level: 4, comment: 'good', reviewer: 'Laptop' });
      const q = await services.call('review.addFolder', { root: desktop.root });
      expect(q.items).toHaveLength(2);
      expect(new Set(q.items.map((i) => i.contentHash)).size).toBe(1);
      // The desktop copy has no verdict in its header, yet it is the reviewed product.
      expect(q.items.map((i) => i.qualityLevel)).toEqual([4, 4]);
      const live = services.store.sqlite.prepare('select count(*) as n from data_products where deleted = 0').get() as { n: number };
      expect(live.n).toBe(1);

      // The pipeline regenerates the desktop file: other data (one V² value), same name.
      const bytes = new Uint8Array(readFileSync(desktop.file));
      const vis2 = readFitsStructure(bytes).hdus.find((h) => h.extname === 'OI_VIS2');
      // The last byte of the first row's MJD (TARGET_ID is 2 bytes, TIME 8, MJD 8): a new value, same layout.
      bytes[(vis2?.dataOffset ?? 0) + 17] ^= 0x01;
      writeFileSync(desktop.file, bytes);
      const after = await services.call('review.queue', {});
      const item = after.items.find((i) => i.path === desktop.file);
      expect(item?.contentHash).not.toBe(q.items[0].contentHash);
      expect(item).toMatchObject({ qualityLevel: null, versions: 2, previousVerdict: { qualityLevel: 4, reviewer: 'Laptop' } });
      expect(item?.productKey).toBe(q.items[0].productKey);
      const history = await services.call('review.history', { path: desktop.file });
      expect(history.versions).toHaveLength(2);
      expect(history.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['version', 'verdict']));
    } finally {
      await services.close();
    }
  });
});

describe('file-name stem of a product key', () => {
  it('drops version tags, never the day of a date', () => {
    expect(fileStem('SPICA_zetOph_2023-05-19_MR_v2.fits')).toBe('spica_zetoph_2023-05-19_mr');
    expect(fileStem('SPICA_zetOph_2023-05-19_MR-v03.oifits')).toBe('spica_zetoph_2023-05-19_mr');
    expect(fileStem('bet_Cnc_2024-03-11.fits')).toBe('bet_cnc_2024-03-11');
    expect(fileStem('bet_Cnc_2024-03-11_2.fits')).toBe('bet_cnc_2024-03-11');
  });
});
