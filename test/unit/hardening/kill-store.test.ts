/**
 * Kill tests of the store (issue #18 "keep what holds"): a real process imports a survey file
 * through the real survey service and is killed with SIGKILL at a random moment of the import
 * transaction, again and again. After every kill the store must pass SQLite's integrity and
 * foreign-key checks and hold the import entirely or not at all.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../../electron/db/store';
import { bundleKillChild, killNow, MIGRATIONS, sleep, startChild } from './kill';
import { rng } from '../../fuzz/rng';

const KILLS = Number(process.env.SPICA_STORE_KILLS ?? 50);
const ROWS = 1000;

let dir: string;
let bundle: string;

function csv(prefix: string): string {
  const lines = ['name,ra_deg,dec_deg,vmag'];
  for (let i = 0; i < ROWS; i++) lines.push(`${prefix}${i},${(i * 0.0871) % 360},${((i * 0.0437) % 170) - 85},${(5 + (i % 50) / 10).toFixed(1)}`);
  return `${lines.join('\n')}\n`;
}

function inspect(dataDir: string, prefix: string): { integrity: string; foreignKeys: number; imported: number; targets: number; changes: number } {
  const db = new Database(join(dataDir, 'survey.sqlite'));
  try {
    return {
      integrity: (db.pragma('integrity_check', { simple: true }) as string),
      foreignKeys: (db.pragma('foreign_key_check') as unknown[]).length,
      imported: (db.prepare('select count(*) as n from targets where name like ?').get(`${prefix}%`) as { n: number }).n,
      targets: (db.prepare('select count(*) as n from targets').get() as { n: number }).n,
      changes: (db.prepare('select count(*) as n from change_log').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kill-store-'));
  bundle = await bundleKillChild();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (bundle) rmSync(dirname(bundle), { recursive: true, force: true });
});

/** One store killed `kills` times in a row; returns how many kills left no row and how many every row. */
async function lane(name: string, kills: number, seed: number): Promise<{ none: number; all: number; writeMs: number }> {
  const dataDir = join(dir, name);
  Store.open({ dataDir, migrationsDir: MIGRATIONS }).close();
  // One import to the end, timed, so the kills below land inside the write transaction.
  writeFileSync(join(dir, `${name}-calibrate.csv`), csv('cal_'));
  const calibration = startChild(bundle, ['import', dataDir, MIGRATIONS, join(dir, `${name}-calibrate.csv`)]);
  await calibration.waitFor(/^writing$/);
  const t0 = performance.now();
  await calibration.waitFor(/^done/);
  const writeMs = performance.now() - t0;
  expect(await calibration.exited).toBe(0);

  const r = rng(seed);
  let before = inspect(dataDir, 'cal_');
  expect(before.imported).toBe(ROWS);
  const outcomes = { none: 0, all: 0, writeMs };
  for (let k = 0; k < kills; k++) {
    const prefix = `k${k}_`;
    const file = join(dir, `${name}-${k}.csv`);
    writeFileSync(file, csv(prefix));
    const child = startChild(bundle, ['import', dataDir, MIGRATIONS, file]);
    await child.waitFor(/^writing$/);
    await sleep(r.next() * writeMs * 1.3);
    await killNow(child);
    const after = inspect(dataDir, prefix);
    expect(after.integrity, `${name} kill ${k}`).toBe('ok');
    expect(after.foreignKeys, `${name} kill ${k}`).toBe(0);
    expect([0, ROWS], `${name} kill ${k}: rows of the killed import`).toContain(after.imported);
    expect(after.targets - before.targets, `${name} kill ${k}`).toBe(after.imported);
    // The change log moves with the rows, in the same transaction.
    expect(after.changes > before.changes, `${name} kill ${k}: change_log follows the rows`).toBe(after.imported > 0);
    outcomes[after.imported === 0 ? 'none' : 'all']++;
    before = after;
  }
  return outcomes;
}

describe(`store: ${KILLS} kill -9 during survey imports`, () => {
  it('leaves an intact store holding each import entirely or not at all', async () => {
    // Two stores side by side: the kills wait on processes far more than they use the CPU.
    const half = Math.ceil(KILLS / 2);
    const lanes = await Promise.all([lane('a', half, 18), lane('b', KILLS - half, 19)]);
    const none = lanes[0].none + lanes[1].none;
    const all = lanes[0].all + lanes[1].all;
    console.log(
      `store kills: ${KILLS} kill -9 during imports of ${ROWS} rows (write phase ≈ ${Math.round(lanes[0].writeMs)} ms): ` +
        `${none} left no row, ${all} left every row, 0 partial, 0 damaged`,
    );
    expect(none + all).toBe(KILLS);
  }, 900_000);
});
