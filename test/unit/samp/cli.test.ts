/**
 * The `companion samp` commands as a user runs them (a child process), against our hub in this
 * process and a client named Aspro2 that records what it receives.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SampClient } from '../../../electron/samp/client';
import { SampHub } from '../../../electron/samp/hub';

const run = promisify(execFile);
const CLI = path.join(import.meta.dirname, '../../../electron/cli/bin.mjs');
const FIXTURES = path.join(import.meta.dirname, '../../fixtures/samp');

describe('companion samp CLI', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let hub: SampHub;
  let aspro: SampClient;
  const received: Array<{ mtype: string; url: string }> = [];
  const cli = (...args: string[]) => run(process.execPath, [CLI, 'samp', ...args], { env, timeout: 60_000 }).catch((e: { code: number; stdout: string; stderr: string }) => e);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'samp-cli-'));
    env = { ...process.env, SAMP_HUB: `std-lockurl:file://${path.join(dir, 'lockfile')}` };
    hub = new SampHub({ lock: { kind: 'file', path: path.join(dir, 'lockfile') } });
    await hub.start();
    const record = (m: { mtype: string; params: Record<string, unknown> }) => void received.push({ mtype: m.mtype, url: String(m.params.url) });
    aspro = new SampClient({ env, metadata: { 'samp.name': 'Aspro2' }, handlers: { 'table.load.votable': record, 'fr.jmmc.aspro.load.observation': record } });
    await aspro.connect();
  });
  afterAll(async () => {
    await aspro.close();
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the registered applications', async () => {
    const r = (await cli('clients', '--json')) as { stdout: string };
    const list = JSON.parse(r.stdout) as Array<{ id: string; name: string }>;
    expect(list).toEqual(expect.arrayContaining([{ id: 'hub', name: 'SPICA Companion Hub' }, expect.objectContaining({ name: 'Aspro2' })]));
  }, 60_000);

  it('sends a VOTable and an .asprox by file URL, choosing the mtype from the extension', async () => {
    const vot = path.join(FIXTURES, 'Aspro2_exported_targets.vot');
    const r = (await cli('send', vot, '--to', 'Aspro2', '--json')) as { stdout: string };
    expect(JSON.parse(r.stdout)).toMatchObject({ mtype: 'table.load.votable', recipients: ['Aspro2'], outcome: 'received', summary: expect.stringMatching(/^Aspro2 received Aspro2_exported_targets\.vot/) });
    await (cli('send', path.join(FIXTURES, 'Aspro2_observation.asprox'), '--to', 'aspro2'));
    await expect.poll(() => received.length).toBe(2);
    expect(received).toEqual([
      { mtype: 'table.load.votable', url: pathToFileURL(vot).href },
      { mtype: 'fr.jmmc.aspro.load.observation', url: pathToFileURL(path.join(FIXTURES, 'Aspro2_observation.asprox')).href },
    ]);
  }, 60_000);

  it('reports bad input on one line with exit code 2', async () => {
    const missing = (await cli('send', path.join(dir, 'nope.vot'))) as { code: number; stderr: string };
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.vot: no such file/);
    const unknown = (await cli('send', path.join(FIXTURES, 'PROVENANCE.md'))) as { code: number; stderr: string };
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/give --mtype/);
    const nobody = (await cli('send', path.join(FIXTURES, 'Aspro2_exported_targets.vot'), '--to', 'Nobody')) as { code: number; stderr: string };
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toMatch(/Nobody is not connected/);
  }, 60_000);

  it('samp hub: a lockfile it cannot write is reported once and the command exits (it used to hang)', async () => {
    const asDir = path.join(dir, 'lockdir');
    mkdirSync(asDir);
    const r = await run(process.execPath, [CLI, 'samp', 'hub'], { env: { ...process.env, SAMP_HUB: `std-lockurl:file://${asDir}` }, timeout: 45_000 }).catch(
      (e: { code: number | null; signal: string | null; stdout: string; stderr: string }) => e,
    );
    expect(r).toMatchObject({ code: 2, signal: null });
    expect((r as { stderr: string }).stderr).toBe(`companion samp hub: the SAMP lockfile ${asDir} is a directory (check SAMP_HUB)\n`);
  }, 60_000);
});
