/**
 * Push and verify against the JMMC stand-in (sync.md §4.4): edits made offline reach SPICA-DB,
 * normalize-space is absorbed, conflicts carry the remote author and time from lastmods, refused
 * rows carry the server's reason (bisected out of a batch), a 401 is never retried, 5xx and
 * network failures are retried after a fresh re-read (so a late retry cannot overwrite a newer
 * value), a commit whose reply was lost is not written twice, credentials go to the API host only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COI, ME, startFake } from '../../sync/fixtures';
import type { JmmcFake } from '../../sync/jmmc-fake';
import { parseLastmods } from '../../../shared/sync/lastmods';
import { rowsOfPi, SyncSandbox, targetOf } from './helpers';

let box: SyncSandbox;
let fake: JmmcFake;

beforeEach(async () => {
  box = new SyncSandbox();
  fake = await startFake(200);
});
afterEach(async () => {
  await box.cleanup();
  await fake.close();
});

const lastmodsOf = (id: number) => parseLastmods(fake.row('spica', id)?.lastmods as string | null);
const puts = () => fake.requests.filter((r) => r.method === 'PUT');

describe('push', () => {
  it('pushes a PI priority and a comment edited offline, verifies, and absorbs normalize-space', async () => {
    const s = await box.client(fake);
    await s.call('sync.run', { kind: 'pull' });
    const [id] = rowsOfPi(fake, 'PI_A');
    const before = fake.row('spica', id) as Record<string, unknown>;
    const t = await targetOf(s, id);
    const newPriority = before.priority_pi === 0 ? 1 : 0;
    const edited = await s.call('sync.editTarget', { id: t.id, priorityPi: newPriority, comments: 'check  the\nsecondary   ' });
    expect(edited.pending).toEqual({ priority_pi: newPriority, comments: 'check the secondary' });
    expect((await s.call('sync.status', {})).pending).toBe(1);
    // The survey shows the edit at once (pending), before any push.
    expect((await targetOf(s, id)).programmes[0].piPriority).toBe(newPriority);

    const report = await s.call('sync.run', { kind: 'full' });
    expect(report.errors).toEqual([]);
    expect(report.push).toMatchObject({ rows: 1, columns: 2, requests: 1, rejected: [], conflicts: 0 });
    expect(report.push?.roundTripMs).toHaveLength(1);
    const after = fake.row('spica', id) as Record<string, unknown>;
    expect(after.priority_pi).toBe(newPriority);
    expect(after.comments).toBe('check the secondary');
    expect(lastmodsOf(id)[0]).toMatchObject({ by: ME.email, values: { priority_pi: String(newPriority), comments: 'check the secondary' } });
    expect(await s.call('sync.status', {})).toMatchObject({ pending: 0, conflicts: 0, rejected: 0 });
    const local = await s.call('survey.get', { id: t.id });
    expect(local.programmes[0].comments).toBe('check the secondary');
    // Nothing left to push: a second sync sends nothing.
    const again = await s.call('sync.run', { kind: 'full' });
    expect(again.push?.requests).toBe(0);
    expect(puts()).toHaveLength(1);
    // Reads are anonymous: no credentials ever reached the TAP service.
    expect(fake.requests.filter((r) => r.service === 'tap' && r.hasAuthorization)).toEqual([]);
    expect(fake.requests.filter((r) => r.service === 'api' && r.method === 'PUT').every((r) => r.login === ME.email)).toBe(true);
  });

  it("shows a co-I's concurrent edit of the same comment as a conflict with its author and time, resolved by keeping mine", async () => {
    const s = await box.client(fake);
    await s.call('sync.run', { kind: 'pull' });
    const [id] = rowsOfPi(fake, 'PI_C');
    const t = await targetOf(s, id);
    await s.call('sync.editTarget', { id: t.id, comments: 'mine: observe at low airmass' });
    fake.writeAs(COI.email, 'spica', [{ spicadb_id: id, comments: 'theirs: needs H < 5 check' }]);
    const coiUtc = lastmodsOf(id)[0].utc;
    const report = await s.call('sync.run', { kind: 'full' });
    expect(report.pull?.conflicts).toBe(1);
    expect(puts()).toHaveLength(0);
    const [c] = await s.call('sync.conflicts', {});
    expect(c).toMatchObject({ pk: String(id), column: 'comments', kind: 'both-changed', local: 'mine: observe at low airmass', remote: 'theirs: needs H < 5 check', remoteBy: COI.email, remoteUtc: coiUtc, base: null });
    // The table shows theirs while the conflict waits.
    expect((await s.call('survey.get', { id: t.id })).programmes[0].comments).toBe('theirs: needs H < 5 check');
    await s.call('sync.resolve', { id: c.id, keep: 'mine' });
    expect((await s.call('survey.get', { id: t.id })).programmes[0].comments).toBe('mine: observe at low airmass');
    const second = await s.call('sync.run', { kind: 'full' });
    expect(second.push).toMatchObject({ rows: 1, conflicts: 0 });
    expect(fake.row('spica', id)?.comments).toBe('mine: observe at low airmass');
    expect(await s.call('sync.status', {})).toMatchObject({ pending: 0, conflicts: 0 });
  });

  it('keeps theirs when asked, and the edit is gone from the outbox', async () => {
    const s = await box.client(fake);
    await s.call('sync.run', { kind: 'pull' });
    const [id] = rowsOfPi(fake, 'PI_A');
    const t = await targetOf(s, id);
    await s.call('sync.editTarget', { id: t.id, comments: 'mine' });
    const owner = String(fake.row('spica', id)?.piname);
    // PI_D may not edit a PI_A-only row; give the row to both so the write is legal.
    if (!owner.includes('PI_D')) fake.db.prepare('update spica set piname = ? where spicadb_id = ?').run('PI_A / PI_D', id);
    fake.writeAs('pi.d@example.org', 'spica', [{ spicadb_id: id, comments: 'theirs' }]);
    await s.call('sync.run', { kind: 'full' });
    const [c] = await s.call('sync.conflicts', {});
    await s.call('sync.resolve', { id: c.id, keep: 'theirs' });
    const r = await s.call('sync.run', { kind: 'full' });
    expect(r.push?.requests).toBe(0);
    expect(fake.row('spica', id)?.comments).toBe('theirs');
    expect((await s.call('survey.get', { id: t.id })).programmes[0].comments).toBe('theirs');
    expect(await s.call('sync.status', {})).toMatchObject({ pending: 0, conflicts: 0 });
  });

  it("refuses a row the user does not own with the server's reason, and pushes the others of the batch", async () => {
    const s = await box.client(fake);
    await s.call('sync.run', { kind: 'pull' });
    const mine = rowsOfPi(fake, 'PI_A', 3);
    const [other] = rowsOfPi(fake, 'PI_B');
    // The PI of one of my rows is changed upstream after the pull: the rights hint still says mine,
    // so it travels in the batch and the server's refusal must be bisected out.
    const [reassigned] = rowsOfPi(fake, 'PI_A', 1).slice(0, 1);
    for (const id of [...mine, other]) await s.call('sync.editTarget', { id: (await targetOf(s, id)).id, comments: `edit ${id}` });
    fake.db.prepare("update spica set piname = 'PI_E', piname2 = null where spicadb_id = ?").run(reassigned);
    const report = await s.call('sync.run', { kind: 'push' });
    const refused = Object.fromEntries((report.push?.rejected ?? []).map((r) => [r.pk, r]));
    expect(Object.keys(refused).sort()).toEqual([String(other), String(reassigned)].sort());
    // The three rows went out as one batch, refused as a whole, then bisected down to the culprit.
    const firstPut = JSON.parse(puts()[0].body) as Array<{ spicadb_id: number }>;
    expect([firstPut.map((r) => r.spicadb_id), puts()[0].status]).toEqual([mine, 401]);
    expect(puts().length).toBeGreaterThanOrEqual(5);
    expect(refused[other]).toMatchObject({ status: 401, reason: "Operation restricted to record's owner(PI_B), delegated users or admins" });
    expect(refused[reassigned].reason).toBe("Operation restricted to record's owner(PI_E), delegated users or admins");
    for (const id of mine.filter((x) => x !== reassigned)) expect(fake.row('spica', id)?.comments).toBe(`edit ${id}`);
    expect(fake.row('spica', other)?.comments).toBeNull();
    expect(await s.call('sync.status', {})).toMatchObject({ pending: 0, rejected: 2 });
    const pending = await s.call('sync.pending', {});
    expect(pending.find((p) => p.pk === String(other))).toMatchObject({ state: 'rejected', error: "HTTP 401: Operation restricted to record's owner(PI_B), delegated users or admins" });
    // A refused row keeps its local value until the user discards it.
    expect((await targetOf(s, other)).programmes[0].comments).toBe(`edit ${other}`);
    await s.call('sync.pending.discard', { pk: String(other) });
    expect((await targetOf(s, other)).programmes[0].comments).toBeNull();
  });

  it('never retries a 401 for bad credentials, and pauses in needs-sign-in', async () => {
    const s = await box.client(fake);
    await s.call('sync.run', { kind: 'pull' });
    const [id] = rowsOfPi(fake, 'PI_A');
    await s.call('sync.editTarget', { id: (await targetOf(s, id)).id, priorityPi: 1 });
    ME.password = 'changed on the server';
    try {
      const before = fake.requests.filter((r) => r.service === 'api').length;
      const report = await s.call('sync.run', { kind: 'push' });
      expect(report.outcome).toBe('failed');
      expect(report.errors[0]).toMatch(/HTTP 401/);
      expect(fake.requests.filter((r) => r.service === 'api').length - before).toBe(1);
      expect(puts()).toHaveLength(0);
      const status = await s.call('sync.status', {});
      expect(status).toMatchObject({ state: 'needs-sign-in', pending: 1 });
      await expect(s.call('sync.signIn', { password: 'wrong', remember: false })).rejects.toThrow(/refused pi\.a@example\.org: catalog API GET .*\/status: HTTP 401/);
    } finally {
      ME.password = 'pa55 wörd';
    }
  });

  it('does not write twice when the reply to a committed PUT is lost, and retries 502s after a fresh re-read', async () => {
    const s = await box.client(fake);
    await s.call('sync.run', { kind: 'pull' });
    const [a, b] = rowsOfPi(fake, 'PI_A', 2);
    await s.call('sync.editTarget', { id: (await targetOf(s, a)).id, comments: 'once only' });
    fake.dropResponseAfterCommit = 1;
    const r1 = await s.call('sync.run', { kind: 'push' });
    expect(r1.errors).toEqual([]);
    expect(r1.push).toMatchObject({ converged: 1, rejected: [] });
    expect(lastmodsOf(a).filter((e) => e.by === ME.email)).toHaveLength(1);
    expect(puts()).toHaveLength(1);

    await s.call('sync.editTarget', { id: (await targetOf(s, b)).id, comments: 'after a 502' });
    fake.badGateway.put = 1;
    const r2 = await s.call('sync.run', { kind: 'push' });
    expect(r2.errors).toEqual([]);
    expect(fake.row('spica', b)?.comments).toBe('after a 502');
    expect(puts().map((p) => p.status)).toEqual([-1, 502, 204]);
  });

  it('re-checks the base before a retry: a value changed between two attempts becomes a conflict, not an overwrite', async () => {
    const s = await box.client(fake);
    await s.call('sync.run', { kind: 'pull' });
    const [id] = rowsOfPi(fake, 'PI_C');
    await s.call('sync.editTarget', { id: (await targetOf(s, id)).id, comments: 'late retry' });
    fake.badGateway.put = 1;
    fake.onRequest = (req) => {
      if (req.method === 'PUT') fake.writeAs(COI.email, 'spica', [{ spicadb_id: id, comments: 'newer remote value' }]);
    };
    const r = await s.call('sync.run', { kind: 'push' });
    fake.onRequest = null;
    expect(puts()).toHaveLength(1);
    expect(fake.row('spica', id)?.comments).toBe('newer remote value');
    expect(r.push?.conflicts).toBe(1);
    const [c] = await s.call('sync.conflicts', {});
    expect(c).toMatchObject({ column: 'comments', local: 'late retry', remote: 'newer remote value', remoteBy: COI.email });
  });

  it('flags a value our push landed over (a co-I wrote between the re-read and the PUT)', async () => {
    const s = await box.client(fake);
    await s.call('sync.run', { kind: 'pull' });
    const [id] = rowsOfPi(fake, 'PI_C');
    await s.call('sync.editTarget', { id: (await targetOf(s, id)).id, comments: 'ours' });
    let once = true;
    fake.onRequest = (req) => {
      if (req.method === 'PUT' && once) {
        once = false;
        fake.writeAs(COI.email, 'spica', [{ spicadb_id: id, comments: 'written in the gap' }]);
      }
    };
    const r = await s.call('sync.run', { kind: 'push' });
    fake.onRequest = null;
    expect(fake.row('spica', id)?.comments).toBe('ours');
    expect(r.overwritten).toBe(1);
    const [c] = await s.call('sync.conflicts', {});
    expect(c).toMatchObject({ kind: 'overwritten', local: 'ours', remote: 'written in the gap', remoteBy: COI.email });
    // Keeping theirs puts the co-I's value back.
    await s.call('sync.resolve', { id: c.id, keep: 'theirs' });
    await s.call('sync.run', { kind: 'push' });
    expect(fake.row('spica', id)?.comments).toBe('written in the gap');
  });

  it('leaves a concurrent QC write of completion and OB refs alone, and takes it on the next pull', async () => {
    const s = await box.client(fake);
    await s.call('sync.run', { kind: 'pull' });
    const [id] = rowsOfPi(fake, 'PI_A');
    const flipped = fake.row('spica', id)?.priority_pi === 0 ? 1 : 0;
    await s.call('sync.editTarget', { id: (await targetOf(s, id)).id, priorityPi: flipped });
    fake.onRequest = (req) => {
      if (req.method === 'PUT') fake.qcWrite('spica', id, 0.75);
    };
    await s.call('sync.run', { kind: 'full' });
    fake.onRequest = null;
    await s.call('sync.run', { kind: 'pull' });
    expect(fake.row('spica', id)).toMatchObject({ completion_rate: 0.75, priority_pi: flipped });
    expect((await targetOf(s, id)).completionRate).toBe(0.75);
    expect(await s.call('sync.conflicts', {})).toEqual([]);
    const mineEntries = lastmodsOf(id).filter((e) => e.by === ME.email);
    expect(mineEntries.every((e) => Object.keys(e.values).every((k) => ['priority_pi', 'priority_pi2', 'comments', 'comments2'].includes(k)))).toBe(true);
  });

  it('waits for a sign-in when no password is known, keeping the edit', async () => {
    const s = await box.client(fake, null);
    await s.call('sync.run', { kind: 'pull' });
    const [id] = rowsOfPi(fake, 'PI_A');
    await s.call('sync.editTarget', { id: (await targetOf(s, id)).id, comments: 'offline edit' });
    const r = await s.call('sync.run', { kind: 'full' });
    expect(r.errors[0]).toMatch(/sign in/);
    expect(await s.call('sync.status', {})).toMatchObject({ state: 'needs-sign-in', pending: 1 });
    await s.call('sync.configure', { login: ME.email });
    await s.call('sync.signIn', { password: ME.password, remember: false });
    await s.call('sync.run', { kind: 'full' });
    expect(fake.row('spica', id)?.comments).toBe('offline edit');
  });
});
