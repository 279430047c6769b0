/**
 * npm run bench:store — the survey store on a 3000-target survey, each figure with an anchor doing
 * the same work in the same run (or, where none exists, against a goal):
 * - VOTable parse of the 3000-row SPICA-DB export: ours vs astropy.io.votable (Debian python3-astropy);
 * - import of 3000 targets into a fresh store (parse, match, write, change log, batch): ours vs a
 *   floor anchor, raw prepared INSERTs of the same rows and change records in one transaction;
 * - re-import of the same file over itself (3000 matches, nothing written);
 * - revert of that 3000-target import: ours vs raw UPDATEs tombstoning the same rows;
 * - import through the worker thread (browser mode), end to end (goal check);
 * - filtered list queries and the first render of the Survey table (goal checks, issue #2).
 * Cold = the first run in this process, warm = median of the next BENCH_REPS (default 3).
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { startBrowserServer } from '../../electron/server/browser-server';
import { createServices, type Services } from '../../electron/services/registry';
import { resolvePaths } from '../../electron/services/paths';
import { parseImport } from '../../shared/survey/import-rows';
import { readVoTable } from '../../shared/votable/read';

const ROOT = resolve(import.meta.dirname, '../..');
const REPS = Number(process.env.BENCH_REPS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1).padStart(8)} ms`;
const anchored = (what: string, ours: number[], anchor: number[], anchorName: string) => {
  const [oc, ...ow] = ours;
  const [ac, ...aw] = anchor;
  console.log(
    `${what.padEnd(52)} cold ${ms(oc)} | warm ${ms(median(ow))}   ${anchorName}: cold ${ms(ac)} | warm ${ms(median(aw))}   ratio warm ${(median(ow) / median(aw)).toFixed(2)}`,
  );
};
const goal = (what: string, times: number[], goalMs: number) => {
  const [c, ...w] = times;
  console.log(`${what.padEnd(52)} cold ${ms(c)} | warm ${ms(median(w.length ? w : [c]))}   goal ≤ ${goalMs} ms   ratio ${(median(w.length ? w : [c]) / goalMs).toFixed(3)}`);
};

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'spica-bench-'));
  dirs.push(d);
  return d;
};
const time = async (fn: () => unknown) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

// Source files: the demo survey exported with the NSS/SPICA-DB column names (real, not demo, on import).
const source = createServices({ paths: resolvePaths(temp()), transport: 'cli' });
await source.call('survey.demo.generate', { count: 3000, seed: 2026 });
const vot = await source.call('survey.export', { filter: {}, format: 'votable' });
const csv = await source.call('survey.export', { filter: {}, format: 'csv' });
await source.close();
console.log(`survey: ${vot.count} targets; VOTable ${(vot.content.length / 1e6).toFixed(2)} MB, CSV ${(csv.content.length / 1e6).toFixed(2)} MB; ${REPS} warm runs`);

// 1. VOTable parse: ours vs astropy on the same file.
const votFile = join(temp(), 'survey.vot');
writeFileSync(votFile, vot.content);
const oursParse: number[] = [];
for (let i = 0; i <= REPS; i++) oursParse.push(await time(() => readVoTable(vot.content)));
const astropy = spawnSync(
  '/usr/bin/python3',
  [
    '-c',
    `import sys, time, warnings
from astropy.io import votable
warnings.simplefilter('ignore')
ts = []
for i in range(${REPS + 1}):
    t0 = time.perf_counter(); t = votable.parse_single_table(sys.argv[1]).to_table(); ts.append((time.perf_counter() - t0) * 1000)
assert len(t) == 3000
print(' '.join(str(x) for x in ts))`,
    votFile,
  ],
  { encoding: 'utf8' },
);
if (astropy.status === 0) anchored('VOTable parse, 3000 rows (TABLEDATA)', oursParse, astropy.stdout.trim().split(' ').map(Number), 'astropy');
else console.log(`VOTable parse: astropy anchor unavailable (${astropy.stderr.trim().split('\n').pop()})`);

// 2. Import into a fresh store (inline, as the CLI runs it) vs raw INSERTs of the same rows.
const parsed = parseImport(vot.fileName, vot.content);
for (const [label, file] of [['VOTable', vot], ['CSV', csv]] as const) {
  const ours: number[] = [];
  for (let run = 0; run <= REPS; run++) {
    const s = createServices({ paths: resolvePaths(temp()), transport: 'cli' });
    ours.push(await time(async () => {
      const r = await s.call('survey.import', { fileName: file.fileName, content: file.content });
      if (r.added !== 3000) throw new Error(`import added ${r.added}`);
    }));
    await s.close();
  }
  const floor: number[] = [];
  for (let run = 0; run <= REPS; run++) {
    const s = createServices({ paths: resolvePaths(temp()), transport: 'cli' });
    const db = s.store.sqlite;
    floor.push(await time(() => rawInsert(db, file.fileName === vot.fileName ? parsed : parseImport(file.fileName, file.content))));
    await s.close();
  }
  anchored(`import 3000 targets into a fresh store (${label})`, ours, floor, 'raw INSERT floor (parse included)');
}

/** The floor: parse, then plain prepared INSERTs of targets, programmes, PIs, memberships and change records. */
function rawInsert(db: Database.Database, p: ReturnType<typeof parseImport>): void {
  const now = Date.now();
  const target = db.prepare('insert into targets (id, created_at_ms, updated_at_ms, deleted, name, ra_deg, dec_deg, vmag, hmag, sp_type, spica_mode, source, is_demo) values (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, 0)');
  const member = db.prepare('insert into memberships (id, created_at_ms, updated_at_ms, deleted, target_id, programme_id, pi_id, pi_priority, mode, comments, rank) values (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)');
  const prog = db.prepare('insert into programmes (id, created_at_ms, updated_at_ms, deleted, code, is_demo) values (?, ?, ?, 0, ?, 0)');
  const pi = db.prepare('insert into pis (id, created_at_ms, updated_at_ms, deleted, name, is_demo) values (?, ?, ?, 0, ?, 0)');
  const log = db.prepare("insert into change_log (entity, entity_id, op, patch_json, at_ms, hlc, node_id) values (?, ?, 'insert', ?, ?, ?, ?)");
  const progs = new Map<string, string>();
  const pis = new Map<string, string>();
  let n = 0;
  const stamp = () => `${new Date(now).toISOString()}-${(n++ % 65536).toString(16).padStart(4, '0')}-0000000000000000`;
  db.transaction(() => {
    for (const t of p.targets) {
      const id = uuidv7();
      target.run(id, now, now, t.name, t.raDeg, t.decDeg, t.vmag, t.hmag, t.spType, t.spicaMode, 'bench');
      log.run('targets', id, JSON.stringify(t), now, stamp(), '0000000000000000');
      for (const m of t.memberships) {
        let progId = progs.get(m.programme);
        if (!progId) progs.set(m.programme, (progId = uuidv7())), prog.run(progId, now, now, m.programme);
        let piId = m.pi ? pis.get(m.pi) : null;
        if (m.pi && !piId) pis.set(m.pi, (piId = uuidv7())), pi.run(piId, now, now, m.pi);
        const mid = uuidv7();
        member.run(mid, now, now, id, progId, piId ?? null, m.piPriority, m.mode, m.comments, m.rank);
        log.run('memberships', mid, JSON.stringify(m), now, stamp(), '0000000000000000');
      }
    }
  }).immediate();
}

// 3. Re-import over itself, and 4. revert of the 3000-target import vs raw tombstoning UPDATEs.
const reimport: number[] = [];
const revert: number[] = [];
const rawRevert: number[] = [];
for (let run = 0; run <= REPS; run++) {
  const s: Services = createServices({ paths: resolvePaths(temp()), transport: 'cli' });
  const first = await s.call('survey.import', { fileName: vot.fileName, content: vot.content });
  reimport.push(await time(async () => {
    const again = await s.call('survey.import', { fileName: vot.fileName, content: vot.content });
    if (again.unchanged !== 3000) throw new Error(`re-import: ${again.unchanged} unchanged`);
  }));
  revert.push(await time(() => s.call('survey.batches.revert', { id: first.batchId as string })));
  if ((await s.call('survey.list', { filter: {} })).total !== 0) throw new Error('revert left targets');
  await s.close();

  const a = createServices({ paths: resolvePaths(temp()), transport: 'cli' });
  const imported = await a.call('survey.import', { fileName: vot.fileName, content: vot.content });
  const db = a.store.sqlite;
  const rows = db.prepare("select entity, entity_id from change_log where batch_id = ? and op = 'insert'").all(imported.batchId) as Array<{ entity: string; entity_id: string }>;
  rawRevert.push(await time(() =>
    db.transaction(() => {
      const stmts = new Map<string, Database.Statement>();
      for (const r of rows) {
        let st = stmts.get(r.entity);
        if (!st) stmts.set(r.entity, (st = db.prepare(`update ${r.entity} set deleted = 1, updated_at_ms = ? where id = ?`)));
        st.run(Date.now(), r.entity_id);
      }
    }).immediate(),
  ));
  await a.close();
}
goal('re-import of the same 3000 targets (all matched, none written)', reimport, 300);
anchored('revert of a 3000-target import', revert, rawRevert, 'raw tombstone UPDATEs');

// 5. Import through the worker thread (browser mode), end to end. Cold starts the worker; warm
// runs reuse it, each after reverting the previous import so 3000 targets are added again.
const viaWorker: number[] = [];
{
  const w = createServices({ paths: resolvePaths(temp()), transport: 'browser' });
  for (let run = 0; run <= REPS; run++) {
    let batchId: string | null = null;
    viaWorker.push(await time(async () => {
      const r = await w.call('survey.import', { fileName: vot.fileName, content: vot.content });
      if (r.added !== 3000) throw new Error(`worker import added ${r.added}`);
      batchId = r.batchId;
    }));
    await w.call('survey.batches.revert', { id: batchId as unknown as string });
  }
  await w.close();
}
goal('import 3000 targets through the worker (browser mode)', viaWorker, 1000);

// 6. List queries and the first render (issue #2 goals).
const s = createServices({ paths: resolvePaths(temp()), transport: 'browser' });
await s.call('survey.import', { fileName: vot.fileName, content: vot.content });
const filters = [
  { text: 'hd 1' },
  { programmes: ['S02', 'S05'], finalPriorities: [1, 2] },
  { modes: ['DIA'], vmagMax: 6, decMinDeg: 10, decMaxDeg: 40 },
  { pis: ['Demo PI Boreal'] },
];
const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < 30; i++) {
  s.store.write((w) => w.setSetting('bench.touch', i));
  s.store.write((w) => w.update('targets', (s.store.sqlite.prepare('select id from targets limit 1').get() as { id: string }).id, { sp_type: `G${i % 9}V` }));
  cold.push(await time(() => s.call('survey.list', { filter: filters[i % filters.length] })));
  for (const f of filters) warm.push(await time(() => s.call('survey.list', { filter: f, sort: { key: 'vmag', direction: 'desc' } })));
}
goal('filtered list query (cache warm)', [warm[0], ...warm], 5);
goal('filtered list query after a write (rebuild)', [cold[0], ...cold], 5);

const server = await startBrowserServer({ services: s, rendererDir: join(ROOT, 'out', 'renderer') });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
const renders: number[] = [];
for (let i = 0; i < 3; i++) {
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  await page.goto(server.openUrl);
  await page.waitForSelector('[data-testid=survey-row]');
  renders.push(await page.evaluate(() => performance.now()));
  await page.close();
}
goal('first render of the Survey table, 3000 rows', renders, 1000);
await browser.close();
await server.close();
await s.close();
for (const d of dirs) rmSync(d, { recursive: true, force: true });
