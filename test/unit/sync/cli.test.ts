/**
 * The same story as test/e2e/sync.spec.ts, through the real `companion` CLI (separate processes,
 * as a user types it) against the JMMC stand-in: configure a local pair, pull 3000 rows, edit a PI
 * priority and a comment while JMMC is unreachable, come back online and push with
 * --password-stdin, see a co-I's concurrent edit as a conflict and resolve it, see a row the user
 * does not own refused with the server's reason. Every command with --json.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PendingEdit, SyncConflict, SyncReport } from '../../../shared/contract/sync';
import { COI, ME, spicaRows, startFake } from '../../sync/fixtures';
import type { JmmcFake } from '../../sync/jmmc-fake';
import { SyncSandbox } from './helpers';

const REPO = join(import.meta.dirname, '../../..');
const box = new SyncSandbox();
let fake: JmmcFake;
let dataDir: string;

beforeAll(async () => {
  fake = await startFake(3000);
  dataDir = box.dir();
});
afterAll(async () => {
  await box.cleanup();
  await fake.close();
});

function companion(args: string[], stdin?: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'electron/cli/bin.mjs'), ...args, '--data-dir', dataDir], {
      cwd: REPO,
      env: { ...process.env, SPICA_SYNC_RETRY_DELAYS_MS: '20,40' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.end(stdin ?? '');
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

async function json<T>(args: string[], stdin?: string): Promise<T> {
  const r = await companion([...args, '--json'], stdin);
  expect(r.code, `companion ${args.join(' ')}: ${r.err}`).toBe(0);
  return JSON.parse(r.out) as T;
}

const rows = spicaRows(3000);
const firstOf = (pi: string) => rows.find((r) => (r.spicadb_id as number) >= 2000 && r.piname === pi && r.progname2 === null) as Record<string, unknown>;

describe('companion sync, end to end', () => {
  it('configures, pulls 3000 rows, pushes offline edits, shows and resolves a conflict, names a refusal', async () => {
    const configured = await json<Record<string, unknown>>(['sync', 'configure', '--tap-url', fake.tapUrl, '--api-url', fake.apiUrl, '--catalog', 'spica', '--login', ME.email]);
    expect(configured).toMatchObject({ env: 'custom', tapUrl: fake.tapUrl, apiUrl: fake.apiUrl, catalog: 'spica', login: ME.email, hasCredentials: false, lastPullAt: null });

    const pull = await json<SyncReport>(['sync', 'pull']);
    expect(pull.pull).toMatchObject({ rows: 3000, added: 3000, complete: true, serverCount: 3000 });
    const status = await json<Record<string, unknown>>(['sync', 'status']);
    expect(status).toMatchObject({ complete: true, rows: 3000, pending: 0, conflicts: 0, rejected: 0 });
    expect(typeof status.lastPullAt).toBe('string');

    // Offline: edits by SPICA-DB id and by name.
    await fake.suspend();
    const mine = firstOf('PI_A');
    const delegated = firstOf('PI_C');
    const notMine = firstOf('PI_B');
    const flipped = mine.priority_pi === 0 ? '1' : '0';
    const edited = await json<{ pending: Record<string, unknown> }>(['target', 'edit', String(mine.spicadb_id), '--priority-pi', flipped, '--comments', 'check  the secondary']);
    expect(edited.pending).toEqual({ priority_pi: Number(flipped), comments: 'check the secondary' });
    await json(['target', 'edit', String(delegated.target_main_id), '--comments', 'mine: needs a PoP check']);
    await json(['target', 'edit', String(notMine.spicadb_id), '--comments', 'not my row']);
    const offline = await companion(['sync', '--json']);
    expect(offline.code).toBe(1);
    expect((JSON.parse(offline.out) as SyncReport).errors[0]).toMatch(/vollt\/tap\/sync: not reachable \(ECONNREFUSED\)/);
    expect(await json(['sync', 'status'])).toMatchObject({ state: 'offline', pending: 3 });

    // A co-I edits the same comment meanwhile; then JMMC is back.
    fake.writeAs(COI.email, 'spica', [{ spicadb_id: delegated.spicadb_id, comments: 'theirs: W1-W2 only' }]);
    await fake.resume();
    const bad = await companion(['sync', '--password-stdin'], 'wrong password\n');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/companion sync: the catalog API refused pi\.a@example\.org: catalog API GET http:\/\/127\.0\.0\.1:\d+\/restxq\/catalogs\/status: HTTP 401/);

    const pushed = await json<SyncReport>(['sync', '--password-stdin'], `${ME.password}\n`);
    expect(pushed.outcome).toBe('partial');
    expect(pushed.push).toMatchObject({ rows: 1, columns: 2 });
    expect(pushed.push?.rejected).toEqual([{ pk: String(notMine.spicadb_id), targetName: notMine.target_main_id, status: 401, reason: "Operation restricted to record's owner(PI_B), delegated users or admins" }]);
    expect(fake.row('spica', mine.spicadb_id as number)).toMatchObject({ priority_pi: Number(flipped), comments: 'check the secondary' });

    const conflicts = await json<SyncConflict[]>(['sync', 'conflicts']);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ pk: String(delegated.spicadb_id), column: 'comments', local: 'mine: needs a PoP check', remote: 'theirs: W1-W2 only', remoteBy: COI.email });
    const human = await companion(['sync', 'conflicts']);
    expect(human.out).toContain(`theirs "theirs: W1-W2 only" (by ${COI.email} at `);
    const pending = await json<PendingEdit[]>(['sync', 'pending']);
    expect(pending.map((p) => [p.pk, p.state, p.error])).toEqual([[String(notMine.spicadb_id), 'rejected', "HTTP 401: Operation restricted to record's owner(PI_B), delegated users or admins"]]);

    const resolved = await json<SyncConflict>(['sync', 'resolve', conflicts[0].id, '--keep', 'mine']);
    expect(resolved.resolution).toBe('mine');
    const unresolved = await companion(['sync', 'resolve', conflicts[0].id, '--keep', 'theirs']);
    expect([unresolved.code, unresolved.err.trim()]).toEqual([2, `companion sync resolve: conflict ${conflicts[0].id} was already resolved (mine)`]);
    const final = await json<SyncReport>(['sync', '--password-stdin'], ME.password);
    expect(final.push).toMatchObject({ rows: 1 });
    expect(fake.row('spica', delegated.spicadb_id as number)?.comments).toBe('mine: needs a PoP check');
    expect(await json(['sync', 'status'])).toMatchObject({ pending: 0, conflicts: 0, rejected: 1, hasCredentials: false });

    const human2 = await companion(['sync', 'status']);
    expect(human2.out).toContain('0 edits pending, 0 conflicts, 1 refused');
    console.log(`cli figures: pull ${pull.pull?.durationMs} ms for ${pull.pull?.rows} rows; push round trips ${JSON.stringify([...(pushed.push?.roundTripMs ?? []), ...(final.push?.roundTripMs ?? [])])} ms`);
  }, 240_000);

  it('refuses bad input with one line naming the flag', async () => {
    const r = await companion(['target', 'edit', '12', '--priority-pi', '2']);
    expect([r.code, r.err.trim()]).toEqual([2, 'companion target edit: --priority-pi: "2" is not 0 (high), 1 (low) or none']);
    const c = await companion(['sync', 'configure', '--env', 'staging']);
    expect([c.code, c.err.trim()]).toEqual([2, 'companion sync configure: --env: "staging" is not prod, preprod or custom']);
    const n = await companion(['target', 'edit', 'no such star', '--comments', 'x']);
    expect([n.code, n.err.trim()]).toEqual([2, 'companion target edit: no live target "no such star" (give its SPICA-DB id, id or name)']);
  }, 120_000);
});
