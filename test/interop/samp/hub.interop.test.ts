/**
 * Our embedded hub against JSAMP's own test tools: HubTester (conformance) and CalcStorm (load),
 * and the `companion samp hub` CLI: SIGTERM sends samp.hub.event.shutdown to a JSAMP client,
 * removes the lockfile, and the JSAMP client re-registers with the next hub.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SampHub } from '../../../electron/samp/hub';
import { hubSandbox, jsampArgs, jsampMissing, runPeer, startPeer, startSnooper, stopAll, stopPeer, waitFor, type HubSandbox } from './peers';

const missing = jsampMissing();
const CLI = path.join(import.meta.dirname, '../../../electron/cli/bin.mjs');

describe.skipIf(missing !== null)(`our hub with JSAMP test tools${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let box: HubSandbox;
  let hub: SampHub;
  beforeAll(async () => {
    box = hubSandbox();
    hub = new SampHub({ lock: { kind: 'file', path: box.lockPath } });
    await hub.start();
  });
  afterAll(async () => {
    await stopAll();
    await hub.stop();
    box.cleanup();
  });

  it('passes JSAMP HubTester', async () => {
    const r = await runPeer('java', jsampArgs('hubtester'), box.env, 120_000);
    expect(r.err).not.toMatch(/Exception|Error/);
    expect(r.code).toBe(0);
  }, 130_000);

  it('serves JSAMP CalcStorm with several clients', async () => {
    const r = await runPeer('java', jsampArgs('calcstorm', '-nclient', '4', '-nquery', '50'), box.env, 120_000);
    expect(r.err).not.toMatch(/Exception/);
    expect(r.code).toBe(0);
    expect(r.out + r.err).toMatch(/Elapsed time: \d+ ms/);
  }, 130_000);
});

describe.skipIf(missing !== null)(`companion samp hub (CLI) and a JSAMP client${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const boxes: HubSandbox[] = [];
  const hubs: SampHub[] = [];
  afterEach(async () => {
    await stopAll();
    for (const h of hubs.splice(0)) await h.stop();
    for (const b of boxes.splice(0)) b.cleanup();
  });

  it('sends samp.hub.event.shutdown on SIGTERM, removes its lockfile, and the client moves to the next hub', async () => {
    const box = hubSandbox();
    boxes.push(box);
    const cli = startPeer(process.execPath, [CLI, 'samp', 'hub', '--json'], box.env);
    await waitFor(() => cli.out().includes('"url"'), 30_000, 'the CLI hub');
    const { url } = JSON.parse(cli.out()) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/xmlrpc$/);

    const second = startPeer(process.execPath, [CLI, 'samp', 'hub'], box.env);
    expect(await second.exited).toBe(3);
    expect(second.err()).toMatch(/already running/);

    const snoop = await startSnooper(box, 'Aspro2', 'samp.hub.event.*', 'table.*');
    await stopPeer(cli, 'SIGTERM', 10_000);
    expect(cli.proc.exitCode).toBe(0);
    expect(existsSync(box.lockPath)).toBe(false);
    await waitFor(() => snoop.out().includes('samp.hub.event.shutdown'), 10_000, 'the shutdown event at the snooper');

    // JSAMP clients only reconnect after a clean shutdown: the snooper must find the next hub.
    const next = new SampHub({ lock: { kind: 'file', path: box.lockPath } });
    hubs.push(next);
    await next.start();
    await waitFor(() => next.clientIds().some((id) => next.metadataOf(id)?.['samp.name'] === 'Aspro2'), 30_000, 'the snooper to re-register');
  }, 90_000);
});
