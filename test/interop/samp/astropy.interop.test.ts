/**
 * astropy as a peer: our client on astropy's hub receives table.load.votable from an astropy
 * client (call and notification); and an astropy client reads our hub's lockfile and talks to
 * our client through our hub.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPANION_NAME, SampBridge, type ReceivedTable } from '../../../electron/samp/bridge';
import { SampHub } from '../../../electron/samp/hub';
import { FIXTURES, PYTHON, astropyMissing, hubSandbox, runPeer, startPeer, stopAll, waitFor, type HubSandbox } from './peers';

const missing = astropyMissing();

describe.skipIf(missing !== null)(`astropy SAMP peers${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const boxes: HubSandbox[] = [];
  const bridges: SampBridge[] = [];
  const hubs: SampHub[] = [];
  afterEach(async () => {
    for (const b of bridges.splice(0)) await b.stop();
    for (const h of hubs.splice(0)) await h.stop();
    await stopAll();
    for (const b of boxes.splice(0)) b.cleanup();
  });

  async function bridgeOn(box: HubSandbox): Promise<{ bridge: SampBridge; tables: ReceivedTable[] }> {
    const bridge = new SampBridge({ env: box.env, embeddedHub: false, downloadDir: path.join(box.dir, 'dl'), reconnectIntervalMs: 300 });
    bridges.push(bridge);
    const tables: ReceivedTable[] = [];
    bridge.on('table', (t: ReceivedTable) => tables.push(t));
    await bridge.start();
    await waitFor(() => bridge.client.connected, 15_000, 'our client to register');
    return { bridge, tables };
  }

  function tableUrl(box: HubSandbox): { file: string; url: string } {
    const file = path.join(box.dir, 'calibrators.vot');
    copyFileSync(path.join(FIXTURES, 'Aspro2_sample_only_calibrators.vot'), file);
    return { file, url: pathToFileURL(file).href };
  }

  it('our client on the astropy hub receives table.load.votable from an astropy client', async () => {
    const box = hubSandbox();
    boxes.push(box);
    const hub = startPeer(PYTHON, [path.join(FIXTURES, 'astropy_hub.py')], box.env);
    await waitFor(() => hub.out().includes('HUB_UP'), 30_000, 'the astropy hub');
    const { tables } = await bridgeOn(box);
    const { file, url } = tableUrl(box);

    const sync = await runPeer(PYTHON, [path.join(FIXTURES, 'astropy_send.py'), url, COMPANION_NAME, 'sync'], box.env, 60_000);
    expect(sync.err).not.toMatch(/Traceback/);
    expect(sync.code).toBe(0);
    expect(sync.out).toMatch(/RESPONSE .*'samp\.status': 'samp\.ok'/);
    expect(tables).toHaveLength(1);
    expect(tables[0].senderName).toBe('astropy-send');
    expect(tables[0].text).toBe(readFileSync(file, 'utf8'));

    const notify = await runPeer(PYTHON, [path.join(FIXTURES, 'astropy_send.py'), url, COMPANION_NAME, 'notify'], box.env, 60_000);
    expect(notify.code).toBe(0);
    await waitFor(() => tables.length === 2, 10_000, 'the notified table');
  }, 120_000);

  it('answers a message with non-ASCII text through astropy\'s hub with a SAMP error, not a fault the sender never sees', async () => {
    const box = hubSandbox();
    boxes.push(box);
    const hub = startPeer(PYTHON, [path.join(FIXTURES, 'astropy_hub.py')], box.env);
    await waitFor(() => hub.out().includes('HUB_UP'), 30_000, 'the astropy hub');
    const { bridge, tables } = await bridgeOn(box);
    const { url } = tableUrl(box);
    // astropy's hub passes non-ASCII strings on (JSAMP's would refuse them itself).
    const send = String.raw`
import sys, time
from astropy.samp import SAMPIntegratedClient, conf
conf.use_internet = False
c = SAMPIntegratedClient(name="astropy-send")
c.connect()
ids = [i for i in c.get_registered_clients() if c.get_metadata(i).get("samp.name") == sys.argv[1]]
start = time.time()
try:
    r = c.call_and_wait(ids[0], {"samp.mtype": "table.load.votable", "samp.params": {"url": sys.argv[2], "name": "Véga"}}, "20")
    print("RESPONSE", r["samp.status"], r.get("samp.error", {}).get("samp.errortxt"), flush=True)
except Exception as e:
    print("FAILED after", round(time.time() - start, 1), "s:", e, flush=True)
c.disconnect()
`;
    const r = await runPeer(PYTHON, ['-c', send, COMPANION_NAME, url], box.env, 60_000);
    expect(r.err).not.toMatch(/Traceback/);
    expect(r.out).toMatch(
      /^RESPONSE samp\.error SPICA Companion refused table\.load\.votable: Bad SAMP string in XML-RPC <string>: character 0xe9 at index 1 \(SAMP strings are 7-bit ASCII\)$/m,
    );
    expect(tables).toEqual([]);
    expect(bridge.traffic().at(-1)).toMatchObject({ direction: 'in', mtype: 'table.load.votable', status: 'error', peerName: 'astropy-send' });
  }, 120_000);

  it('an astropy client reads our hub lockfile and reaches our client through our hub', async () => {
    const box = hubSandbox();
    boxes.push(box);
    const hub = new SampHub({ lock: { kind: 'file', path: box.lockPath } });
    hubs.push(hub);
    await hub.start();
    const { tables } = await bridgeOn(box);
    const { url } = tableUrl(box);
    const sync = await runPeer(PYTHON, [path.join(FIXTURES, 'astropy_send.py'), url, COMPANION_NAME, 'sync'], box.env, 60_000);
    expect(sync.err).not.toMatch(/Traceback/);
    expect(sync.code).toBe(0);
    expect(sync.out).toMatch(/samp\.ok/);
    expect(tables).toHaveLength(1);
  }, 120_000);
});
