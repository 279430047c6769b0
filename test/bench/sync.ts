/**
 * npm run bench:sync — the SPICA-DB sync against the JMMC stand-in (test/sync/jmmc-fake.ts) on
 * 127.0.0.1, 3000 rows:
 * - pull: `sync.run {kind: pull}` end to end (TAP snapshot, COUNT(*), the two reference tables,
 *   canonical bases, merge, projection onto the survey, in one transaction), into a fresh store
 *   (cold: 3000 targets added) and over itself (warm: nothing changes). Anchor, measured in the same
 *   run: the floor of the same download, i.e. one POST of the same ADQL and reading the VOTable
 *   (shared/votable/read.ts) without storing anything;
 * - push round trip: one edited row pushed (pre-write re-read, PUT, verify re-read); and a batch of
 *   50 rows. Goal check (no external anchor: JMMC's API is not reachable here): ≤ 1 s.
 * The stand-in shares this process's CPU, so its time is inside every figure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type Services } from '../../electron/services/registry';
import { resolvePaths } from '../../electron/services/paths';
import { readVoTable } from '../../shared/votable/read';
import { ME, startFake } from '../sync/fixtures';

process.env.SPICA_SYNC_RETRY_DELAYS_MS ??= '50';
const REPS = Number(process.env.BENCH_REPS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1).padStart(8)} ms`;
const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'spica-bench-sync-'));
  dirs.push(d);
  return d;
};
const time = async (fn: () => unknown) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

const fake = await startFake(3000);
const open: Services[] = [];
const client = async (): Promise<Services> => {
  const s = createServices({ paths: resolvePaths(temp()), transport: 'cli' });
  open.push(s);
  await s.call('sync.configure', { env: 'custom', tapUrl: fake.tapUrl, apiUrl: fake.apiUrl, login: ME.email });
  await s.call('sync.signIn', { password: ME.password, remember: false });
  return s;
};

try {
  // Anchor: the download and parse of the same snapshot, nothing stored.
  const anchor: number[] = [];
  let bytes = 0;
  for (let i = 0; i <= REPS; i++) {
    anchor.push(
      await time(async () => {
        const text = await fetch(`${fake.tapUrl}/sync`, {
          method: 'POST',
          body: new URLSearchParams({ REQUEST: 'doQuery', LANG: 'ADQL', FORMAT: 'votable/td', MAXREC: '200000', QUERY: 'SELECT * FROM spica ORDER BY spicadb_id' }),
        }).then((r) => r.text());
        bytes = text.length;
        if (readVoTable(text).tables[0].rows.length !== 3000) throw new Error('anchor: not 3000 rows');
      }),
    );
  }
  // Ours, cold: a fresh store each time (3000 targets added); warm: the same store pulled again.
  const cold: number[] = [];
  let warmStore: Services | null = null;
  for (let i = 0; i <= REPS; i++) {
    const s = await client();
    cold.push(await time(() => s.call('sync.run', { kind: 'pull' })));
    warmStore ??= s;
  }
  const warm: number[] = [];
  for (let i = 0; i <= REPS; i++) warm.push(await time(() => (warmStore as Services).call('sync.run', { kind: 'pull' })));
  const [ac, ...aw] = anchor;
  console.log(`snapshot: 3000 rows, ${(bytes / 1e6).toFixed(2)} MB TABLEDATA; ${REPS} warm runs`);
  console.log(`anchor  download + parse, nothing stored           cold ${ms(ac)} | warm ${ms(median(aw))}`);
  console.log(`pull    into a fresh store (3000 added)            cold ${ms(cold[0])} | warm ${ms(median(cold.slice(1)))}   ratio to anchor (warm) ${(median(cold.slice(1)) / median(aw)).toFixed(2)}`);
  console.log(`pull    unchanged, over itself                     cold ${ms(warm[0])} | warm ${ms(median(warm.slice(1)))}   ratio to anchor (warm) ${(median(warm.slice(1)) / median(aw)).toFixed(2)}`);

  // Push round trips (goal check: ≤ 1 s for one row and for a batch of 50).
  const s = warmStore as Services;
  const { rows } = await s.call('survey.list', { filter: {} });
  const mine = fake.rows('spica').filter((r) => r.piname === 'PI_A' || r.piname === 'PI_C').map((r) => String(r.spicadb_id));
  const idOf = new Map(rows.map((t) => [t.spicadbId, t.id]));
  const one: number[] = [];
  const fifty: number[] = [];
  for (let i = 0; i <= REPS; i++) {
    await s.call('sync.editTarget', { id: idOf.get(mine[i]) as string, comments: `bench ${i}` });
    const r = await s.call('sync.run', { kind: 'push' });
    one.push(r.push?.roundTripMs[0] ?? NaN);
    for (const pk of mine.slice(100 + 50 * i, 150 + 50 * i)) await s.call('sync.editTarget', { id: idOf.get(pk) as string, comments: `batch ${i}` });
    const b = await s.call('sync.run', { kind: 'push' });
    if (b.push?.rows !== 50) throw new Error(`batch push sent ${b.push?.rows} rows`);
    fifty.push(b.push.durationMs);
  }
  console.log(`push    1 row: re-read, PUT, verify (round trip)   cold ${ms(one[0])} | warm ${ms(median(one.slice(1)))}   goal ≤ 1000 ms   ratio ${(median(one.slice(1)) / 1000).toFixed(3)}`);
  console.log(`push    50 rows, one batch, whole push             cold ${ms(fifty[0])} | warm ${ms(median(fifty.slice(1)))}   goal ≤ 1000 ms   ratio ${(median(fifty.slice(1)) / 1000).toFixed(3)}`);
} finally {
  for (const s of open) await s.close();
  await fake.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
