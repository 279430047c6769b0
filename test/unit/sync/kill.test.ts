/**
 * `kill -9` at any moment of a sync loses nothing and never leaves half a snapshot applied. Real
 * processes: `companion sync` (the CLI, as a user runs it) against the JMMC stand-in, killed with
 * SIGKILL at chosen moments (as a request arrives: the snapshot download, the apply between the
 * catalogue's COUNT and the next table, the PUT, right after the PUT committed, the verify) and at
 * random delays into the apply (fractions of an uninterrupted pull timed first on this machine). Between runs the server changes every row, so a half-applied
 * snapshot would show two generations of values side by side.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLastmods } from '../../../shared/sync/lastmods';
import { ME, startFake } from '../../sync/fixtures';
import type { FakeRequestInfo, JmmcFake } from '../../sync/jmmc-fake';
import { rowsOfPi, SyncSandbox } from './helpers';

const REPO = join(import.meta.dirname, '../../..');
const box = new SyncSandbox();
let fake: JmmcFake;
let dataDir: string;
/** pk → the comment edited locally (the edits that must reach SPICA-DB). */
const edits = new Map<number, string>();

beforeAll(async () => {
  fake = await startFake(3000);
  dataDir = mkdtempSync(join(tmpdir(), 'spica-kill-'));
  const s = await box.client(fake, ME, dataDir, true);
  await s.call('sync.run', { kind: 'pull' });
  // 60 edited rows: more than one batch of 50.
  const mine = [...rowsOfPi(fake, 'PI_A', 40), ...rowsOfPi(fake, 'PI_C', 20)];
  const { rows } = await s.call('survey.list', { filter: {} });
  const byPk = new Map(rows.map((t) => [t.spicadbId, t.id]));
  for (const pk of mine) {
    const text = `kill test edit ${pk}`;
    await s.call('sync.editTarget', { id: byPk.get(String(pk)) as string, comments: text });
    edits.set(pk, text);
  }
  await s.close();
}, 120_000);

afterAll(async () => {
  await box.cleanup();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Run `companion sync` until it exits or `killWhen` tells us to SIGKILL it; resolves to how it ended. */
function runSync(killWhen: ((req: FakeRequestInfo, kill: () => void) => void) | null, command: string[] = ['sync']): Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string; killed: boolean }> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(process.execPath, [join(REPO, 'electron/cli/bin.mjs'), ...command, '--data-dir', dataDir, '--json'], {
      cwd: REPO,
      env: { ...process.env, SPICA_SYNC_RETRY_DELAYS_MS: '10,20' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    let killed = false;
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    // The --json report: when a run fails, its errors say why (the test prints them).
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    const kill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    fake.onRequest = killWhen ? (req) => killWhen(req, kill) : null;
    child.on('exit', (code, signal) => {
      fake.onRequest = null;
      resolve({ code, signal, stderr, stdout, killed });
    });
  });
}

const queryOf = (req: FakeRequestInfo) => new URLSearchParams(req.body).get('QUERY') ?? '';

/** The invariants after any run: one generation of bases and projections, and every edit somewhere. */
function checkStore(label: string): { generations: number[] } {
  const db = new Database(join(dataDir, 'survey.sqlite'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true }), label).toBe('ok');
    const gens = (db.prepare("select distinct json_extract(row_json, '$.ob_refs') as g from remote_rows where catalog = 'spica'").all() as Array<{ g: number }>).map((r) => r.g);
    expect(gens, `${label}: bases of one snapshot only`).toHaveLength(1);
    const table = db.prepare("select row_count from remote_tables where catalog = 'spica'").get() as { row_count: number };
    const bases = (db.prepare("select count(*) as n from remote_rows where catalog = 'spica'").get() as { n: number }).n;
    expect(bases, label).toBe(table.row_count);
    // The survey shows the same generation as the bases (projection and bases in one transaction).
    const extras = (db.prepare("select distinct json_extract(extra_json, '$.ob_refs') as g from targets where deleted = 0 and spicadb_id is not null").all() as Array<{ g: string }>).map((r) => Number(r.g));
    expect(extras, `${label}: the survey matches the bases`).toEqual(gens);
    // Every edit is on the server, or still waits in the outbox with its value.
    const outbox = new Map(
      (db.prepare("select pk, patch_json from remote_push where catalog = 'spica'").all() as Array<{ pk: string; patch_json: string }>).map((r) => [Number(r.pk), JSON.parse(r.patch_json).comments]),
    );
    for (const [pk, text] of edits) {
      const onServer = fake.row('spica', pk)?.comments === text;
      expect(onServer || outbox.get(pk) === text, `${label}: edit of ${pk} lost`).toBe(true);
    }
    expect((db.prepare('select count(*) as n from sync_conflicts').get() as { n: number }).n, label).toBe(0);
    return { generations: gens };
  } finally {
    db.close();
  }
}

/** How long an uninterrupted run takes from the COUNT query to its exit (measured by the test's first run). */
let applyMs = 500;

/** The server changes every row before each run (a QC-like bulk update of ob_refs). */
let generation = 0;
function nextGeneration(): void {
  generation++;
  fake.db.prepare('update spica set ob_refs = ?').run(generation);
}

describe('kill -9 during a sync', () => {
  const moments: Array<[string, (req: FakeRequestInfo, kill: () => void) => void]> = [
    ['as the snapshot query arrives', (req, kill) => queryOf(req).startsWith('SELECT * FROM spica ORDER BY') && kill()],
    // Random delays into the apply, as fractions of how long the apply took in an uninterrupted run
    // on this machine (fixed delays missed it on a fast machine and ran past it on a loaded one).
    ['while the snapshot is applied (random delay after COUNT)', (req, kill) => queryOf(req).includes('COUNT(*) AS n FROM spica') && setTimeout(kill, Math.random() * 0.5 * applyMs)],
    ['while the snapshot is applied (longer random delay)', (req, kill) => queryOf(req).includes('COUNT(*) AS n FROM spica') && setTimeout(kill, (0.5 + Math.random() * 0.4) * applyMs)],
    ['as the first PUT arrives (before its commit)', (req, kill) => req.method === 'PUT' && kill()],
    ['right after a PUT committed (its verify re-read arrives)', (() => {
      let putSeen = false;
      return (req: FakeRequestInfo, kill: () => void) => {
        if (req.method === 'PUT') putSeen = true;
        else if (putSeen && req.service === 'tap') kill();
      };
    })()],
    ['while the verify is applied', (() => {
      let putSeen = false;
      return (req: FakeRequestInfo, kill: () => void) => {
        if (req.method === 'PUT') putSeen = true;
        else if (putSeen && req.service === 'tap') setTimeout(kill, Math.random() * 150);
      };
    })()],
  ];

  it('loses nothing and never leaves half a snapshot, at every moment tried', async () => {
    checkStore('before');
    // Calibration: an uninterrupted pull (no push: the edits must still be waiting for the PUT
    // moments) of a new generation, timed from the catalogue's COUNT to its exit.
    nextGeneration();
    let countAtMs = 0;
    const calibration = await runSync((req) => {
      if (queryOf(req).includes('COUNT(*) AS n FROM spica')) countAtMs = performance.now();
    }, ['sync', 'pull']);
    expect(calibration.code, `${calibration.stderr}${calibration.stdout}`).toBe(0);
    applyMs = Math.max(20, performance.now() - countAtMs);
    checkStore('after the calibration run');
    let killedRuns = 0;
    for (const [label, when] of moments) {
      nextGeneration();
      const r = await runSync(when);
      if (r.killed) {
        killedRuns++;
        expect(r.signal, label).toBe('SIGKILL');
      } else expect(r.code, `${label}: ${r.stderr}${r.stdout}`).toBe(0);
      checkStore(`killed ${label}`);
    }
    expect(killedRuns).toBeGreaterThanOrEqual(4);
    // Then one sync runs to the end: every edit is in SPICA-DB exactly once, the outbox is empty.
    nextGeneration();
    const done = await runSync(null);
    expect(done.code, `${done.stderr}${done.stdout}`).toBe(0);
    const { generations } = checkStore('final');
    expect(generations).toEqual([generation]);
    for (const [pk, text] of edits) {
      expect(fake.row('spica', pk)?.comments).toBe(text);
      const mine = parseLastmods(fake.row('spica', pk)?.lastmods as string).filter((e) => e.by === ME.email);
      expect(mine.map((e) => e.values.comments), `row ${pk} written once`).toEqual([text]);
    }
    const db = new Database(join(dataDir, 'survey.sqlite'), { readonly: true });
    expect((db.prepare('select count(*) as n from remote_push').get() as { n: number }).n).toBe(0);
    db.close();
  }, 300_000);
});
