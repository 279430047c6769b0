/**
 * Two real processes on one data folder (issues #14 and #18): a long-running app process (the real
 * services, polling as the app does) and `companion` CLI processes. The app sees the CLI's import
 * without being told and its caches follow; two imports at once lose nothing; a read-only command
 * exits 0 while another process holds the write lock, and a write waits for the lock and lands.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS } from '../../../electron/db/migrate';
import { Store } from '../../../electron/db/store';
import { FIXTURES, MIGRATIONS, REPO_ROOT, Sandbox } from './helpers';

const box = new Sandbox();
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await box.cleanup();
});

const BIN = join(REPO_ROOT, 'electron/cli/bin.mjs');

/** Run `companion …` in its own process; resolves with exit code, output and the time it ended. */
function companion(args: string[]): Promise<{ code: number | null; out: string; err: string; endedAt: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err, endedAt: Date.now() }));
  });
}

/** The app process: services over `dataDir`, driven over stdin/stdout (store-holder.ts). */
async function startApp(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'store-holder.ts'), dataDir], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  const events: Array<{ event: string; payload: unknown; at: number }> = [];
  const pending = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`app process exited ${code}: ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const m = JSON.parse(line);
      if (m.ready) resolve();
      else if (m.event) events.push({ ...m, at: Date.now() });
      else pending.get(m.id)?.(m);
    });
  });
  await ready;
  let next = 1;
  return {
    events,
    call<T = unknown>(method: string, params: unknown = {}): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result as T)));
        child.stdin?.write(`${JSON.stringify({ id, method, params })}\n`);
      });
    },
  };
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function csv(prefix: string, n: number, decDeg: number): string {
  const lines = ['name,ra_deg,dec_deg,vmag,progname,piname,priority_pi'];
  for (let i = 0; i < n; i++) lines.push(`${prefix} ${i},${((i * 0.1) % 360).toFixed(4)},${decDeg},6,S0${(i % 8) + 1},PI ${prefix},${i % 2}`);
  return `${lines.join('\n')}\n`;
}

describe('two processes on one data folder', () => {
  it('the app sees the CLI import: its caches follow and the UI hears survey.changed without asking', async () => {
    const dir = box.dir();
    const app = await startApp(dir);
    expect((await app.call<{ total: number }>('survey.list', { filter: {} })).total).toBe(0);
    const cli = await companion(['import', join(FIXTURES, 'spicadb_partial_wp5.vot'), '--data-dir', dir]);
    expect(cli.code, cli.err).toBe(0);
    await until('survey.changed from the poll', () =>
      app.events.some((e) => e.event === 'survey.changed' && (e.payload as { entities: string[] }).entities.includes('targets')),
    );
    expect((await app.call<{ total: number }>('survey.list', { filter: {} })).total).toBe(42);
    expect((await app.call<{ targetCount: number }>('app.info')).targetCount).toBe(42);
    // And the other way round: the app deletes, a new CLI process sees it.
    const [t] = (await app.call<{ rows: Array<{ id: string }> }>('survey.list', { filter: { text: 'alf Sco' } })).rows;
    await app.call('survey.targets.delete', { ids: [t.id] });
    const listed = await companion(['targets', '--json', '--data-dir', dir]);
    expect(JSON.parse(listed.out)).toHaveLength(41);
  }, 90_000);

  it('two imports at once, one in the app (worker thread) and one in the CLI, lose nothing', async () => {
    const dir = box.dir();
    const app = await startApp(dir);
    const fileB = join(box.dir(), 'b.csv');
    writeFileSync(fileB, csv('B', 1500, -10));
    const [fromApp, fromCli] = await Promise.all([
      app.call<{ added: number }>('survey.import', { fileName: 'a.csv', content: csv('A', 1500, 10) }),
      companion(['import', fileB, '--json', '--data-dir', dir]),
    ]);
    expect(fromApp.added).toBe(1500);
    expect(fromCli.code, fromCli.err).toBe(0);
    expect(JSON.parse(fromCli.out).added).toBe(1500);
    expect((await app.call<{ total: number }>('survey.list', { filter: {} })).total).toBe(3000);
    const db = box.track(new Database(join(dir, 'survey.sqlite'), { readonly: true }));
    const log = db.prepare('select seq, hlc from change_log order by seq').all() as Array<{ seq: number; hlc: string }>;
    expect(log.every((r, i) => r.seq === i + 1)).toBe(true);
    expect(new Set(log.map((r) => r.hlc)).size).toBe(log.length);
    expect(log.map((r) => r.hlc)).toEqual([...log.map((r) => r.hlc)].sort());
    const batches = db.prepare("select label, added from batches where kind = 'import' order by first_seq").all();
    expect(batches).toHaveLength(2);
    expect(new Set((batches as Array<{ added: number }>).map((b) => b.added))).toEqual(new Set([1500]));
  }, 90_000);

  it('a read-only command exits 0 while another process holds the write lock', async () => {
    const dir = box.dir();
    const seeded = await companion(['import', join(FIXTURES, 'Aspro2_exported_targets.vot'), '--data-dir', dir]);
    expect(seeded.code, seeded.err).toBe(0);
    const locker = lockStore(join(dir, 'survey.sqlite'));
    await locker.locked;
    // The lock is held until the command has finished: had it needed the lock (PRAGMA optimize
    // on close did), it would fail or wait for the release that only comes after it.
    const listed = await companion(['targets', '--json', '--data-dir', dir]);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.err).toBe('');
    expect(JSON.parse(listed.out)).toHaveLength(3);
    expect(locker.isHolding()).toBe(true);
    await locker.release();
  }, 90_000);

  it('a write waits while another process holds the lock, retries past the busy timeout, and lands', async () => {
    const dir = box.dir();
    const store = box.track(Store.open({ dataDir: dir, migrationsDir: MIGRATIONS }));
    for (const holdMs of [1500, BUSY_TIMEOUT_MS + 1500]) {
      const locker = lockStore(join(dir, 'survey.sqlite'), holdMs);
      await locker.locked;
      store.write((w) => w.setSetting('waited', holdMs));
      const writtenAt = Date.now();
      const releasedAt = await locker.released;
      expect(writtenAt).toBeGreaterThanOrEqual(releasedAt);
      expect(store.sqlite.prepare("select value_json from settings where key = 'waited'").get()).toEqual({ value_json: String(holdMs) });
    }
  }, 90_000);
});

/**
 * Another process that takes the store's write lock (as a long import would) and keeps it for
 * `holdMs`, or until `release()` when no time is given.
 */
function lockStore(file: string, holdMs?: number) {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const Database = require('better-sqlite3');
       const db = new Database(process.argv[1]);
       db.exec('begin immediate');
       db.prepare("insert into sync_state (key, value) values ('lock-test', '1') on conflict(key) do update set value = value + 1").run();
       process.stdout.write('locked\\n');
       const done = () => { db.exec('commit'); process.stdout.write('released ' + Date.now() + '\\n'); process.exit(0); };
       const hold = Number(process.argv[2]);
       if (hold > 0) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, hold); done(); }
       else process.stdin.once('data', done);`,
      file,
      String(holdMs ?? 0),
    ],
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  children.push(child);
  let out = '';
  let onOut = () => {};
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    onOut();
  });
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve) => {
      onOut = () => {
        const m = pattern.exec(out);
        if (m) resolve(m);
      };
      onOut();
    });
  const locked = waitFor(/locked/);
  const released = locked.then(() => waitFor(/released (\d+)/)).then((m) => Number(m[1]));
  return {
    locked,
    released,
    isHolding: () => !out.includes('released'),
    release: () => {
      child.stdin.write('go\n');
      return released;
    },
  };
}
