/**
 * Our client (through the app's SampBridge) on the JSAMP hub: tables, FITS and sky positions from
 * JSAMP's messagesender; what we send to a JSAMP snooper named Aspro2 is exactly the ASPRO2
 * VOTable; a hub killed with SIGKILL is noticed and the client joins the next hub.
 */
import { copyFileSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAspro2Votable, charaPeriodOf } from '../../../shared/votable/aspro2';
import { readVoTable } from '../../../shared/votable/read';
import { COMPANION_NAME, SampBridge, type ReceivedFits, type ReceivedTable } from '../../../electron/samp/bridge';
import { SampHub } from '../../../electron/samp/hub';
import { FIXTURES, hubSandbox, jsampArgs, jsampMissing, runPeer, startJsampHub, startSnooper, stopAll, stopPeer, waitFor, type HubSandbox, type Peer } from './peers';

const missing = jsampMissing();

describe.skipIf(missing !== null)(`our client on the JSAMP hub${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let box: HubSandbox;
  let jsampHub: Peer;
  let bridge: SampBridge;
  const tables: ReceivedTable[] = [];
  const fits: ReceivedFits[] = [];
  const points: Array<{ raDeg: number; decDeg: number }> = [];
  const send = (...args: string[]) => runPeer('java', jsampArgs('messagesender', ...args), box.env, 30_000);

  beforeAll(async () => {
    box = hubSandbox();
    jsampHub = await startJsampHub(box);
    bridge = new SampBridge({ env: box.env, embeddedHub: false, downloadDir: path.join(box.dir, 'downloads'), reconnectIntervalMs: 300 });
    bridge.on('table', (t: ReceivedTable) => tables.push(t));
    bridge.on('fits', (f: ReceivedFits) => fits.push(f));
    bridge.on('pointAt', (p: { raDeg: number; decDeg: number }) => points.push(p));
    await bridge.start();
    await waitFor(() => bridge.client.connected, 20_000, 'our client to register with the JSAMP hub');
  }, 60_000);
  afterAll(async () => {
    await bridge?.stop();
    await stopAll();
    box?.cleanup();
  });

  it('registers with its metadata and is visible to JSAMP tools by samp.name', async () => {
    const r = await send('-mtype', 'samp.app.ping', '-targetname', COMPANION_NAME, '-mode', 'sync');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/samp\.ok/);
  });

  it('receives table.load.votable from messagesender by call and by notification, fetching the table first', async () => {
    const file = path.join(box.dir, 'Aspro2 targets.vot');
    copyFileSync(path.join(FIXTURES, 'Aspro2_exported_targets.vot'), file);
    const url = pathToFileURL(file).href;
    const sync = await send('-mtype', 'table.load.votable', '-param', 'url', url, '-param', 'name', 'ASPRO2 targets', '-targetname', COMPANION_NAME, '-mode', 'sync');
    expect(sync.code).toBe(0);
    expect(sync.out).toMatch(/samp\.ok/);
    expect(tables).toHaveLength(1);
    expect(tables[0].name).toBe('ASPRO2 targets');
    expect(tables[0].text).toBe(readFileSync(file, 'utf8'));

    const notify = await send('-mtype', 'table.load.votable', '-param', 'url', url, '-targetname', COMPANION_NAME, '-mode', 'notify');
    expect(notify.code).toBe(0);
    await waitFor(() => tables.length === 2, 10_000, 'the notified table');
    expect(tables[1].name).toBe('Aspro2 targets.vot');
  }, 60_000);

  it('answers an error (not a crash) for a table it cannot fetch, and keeps working', async () => {
    const r = await send('-mtype', 'table.load.votable', '-param', 'url', 'file:///nonexistent/x.vot', '-targetname', COMPANION_NAME, '-mode', 'sync');
    expect(r.out).toMatch(/samp\.error/);
    expect(r.out).toMatch(/not a readable file/);
    const ping = await send('-mtype', 'samp.app.ping', '-targetname', COMPANION_NAME, '-mode', 'sync');
    expect(ping.out).toMatch(/samp\.ok/);
  }, 60_000);

  it('receives an OIFITS by table.load.fits and a sky position by coord.pointAt.sky', async () => {
    const oifits = path.join(FIXTURES, 'Aspro2_zet_Oph_CHARA_SPICA.fits');
    const r = await send('-mtype', 'table.load.fits', '-param', 'url', pathToFileURL(oifits).href, '-targetname', COMPANION_NAME, '-mode', 'sync');
    expect(r.out).toMatch(/samp\.ok/);
    expect(fits).toEqual([{ path: oifits, name: 'Aspro2_zet_Oph_CHARA_SPICA.fits', senderName: expect.any(String), sizeBytes: statSync(oifits).size, isDownloaded: false }]);
    const p = await send('-mtype', 'coord.pointAt.sky', '-param', 'ra', '"56.871"', '-param', 'dec', '"24.105"', '-targetname', COMPANION_NAME, '-mode', 'sync');
    expect(p.out).toMatch(/samp\.ok/);
    expect(points).toEqual([expect.objectContaining({ raDeg: 56.871, decDeg: 24.105 })]);
  }, 60_000);

  it('sends to a snooper named Aspro2 exactly the ASPRO2 VOTable, an .asprox and an OIFITS', async () => {
    const snoop = await startSnooper(box, 'Aspro2', 'table.load.votable', 'table.load.fits', 'fr.jmmc.aspro.load.observation');
    await waitFor(() => bridge.status().aspro2Present, 10_000, 'Aspro2 in the peer list');
    const xml = buildAspro2Votable({
      settings: { interferometer: 'CHARA', period: charaPeriodOf('2026-09-14'), instrument: 'SPICA_6T', configurations: ['S1 S2 W1 W2 E1 E2'], night: true, date: '2026-09-14', minElevationDeg: 30, operation: 'NEW' },
      targets: [{ name: 'HD 1234', raDeg: 4.115, decDeg: -36.796, nssType: 'SCI', group: 'priority_pi=0' }],
      calibrators: [],
    });
    const ids = await bridge.sendVotable(xml, 'SPICA 2026-09-14');
    expect(ids).toHaveLength(1);
    await waitFor(() => /"url"\s*[:=]\s*"?http:\/\/127\.0\.0\.1:\d+\/files\//.test(snoop.out()), 10_000, 'the snooper to log our message');
    const url = /(http:\/\/127\.0\.0\.1:\d+\/files\/[0-9a-f]+\/[^"\s,}]+)/.exec(snoop.out())?.[1] as string;
    const served = await (await fetch(url)).text();
    expect(served).toBe(xml);
    expect(readVoTable(served).params.find((p) => p.name === 'INSTRUMENT')?.value).toBe('SPICA_6T');

    await bridge.sendFile('fr.jmmc.aspro.load.observation', path.join(FIXTURES, 'Aspro2_observation.asprox'), 'Aspro2');
    await bridge.sendFile('table.load.fits', path.join(FIXTURES, 'Aspro2_zet_Oph_CHARA_SPICA.fits'), null);
    await waitFor(() => snoop.out().includes('fr.jmmc.aspro.load.observation') && snoop.out().includes('table.load.fits'), 10_000, 'the snooper to log both');
    expect(snoop.out()).toContain(pathToFileURL(path.join(FIXTURES, 'Aspro2_observation.asprox')).href);
    const outgoing = bridge.traffic().filter((e) => e.direction === 'out');
    expect(outgoing.map((e) => e.mtype)).toEqual(expect.arrayContaining(['table.load.votable', 'fr.jmmc.aspro.load.observation', 'table.load.fits']));
    await stopPeer(snoop);
    await expect(bridge.sendVotable(xml, 'again')).rejects.toThrow(/Aspro2 is not connected/);
  }, 90_000);

  it('notices a hub killed with SIGKILL and registers with the next hub', async () => {
    await stopPeer(jsampHub, 'SIGKILL');
    await waitFor(() => !bridge.client.connected, 10_000, 'the client to notice the dead hub');
    const next = new SampHub({ lock: { kind: 'file', path: box.lockPath } });
    await next.start();
    try {
      await waitFor(() => bridge.client.registration?.hubUrl === next.url, 15_000, 'the client to join the next hub');
      const r = await send('-mtype', 'samp.app.ping', '-targetname', COMPANION_NAME, '-mode', 'sync');
      expect(r.out).toMatch(/samp\.ok/);
    } finally {
      await bridge.stop();
      await next.stop();
    }
  }, 60_000);
});

describe.skipIf(missing !== null)(`when ASPRO2's hub goes away${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('our app starts its embedded hub and a JSAMP client standing in for ASPRO2 joins it', async () => {
    const box = hubSandbox();
    const bridge = new SampBridge({ env: box.env, embeddedHub: true, downloadDir: path.join(box.dir, 'dl'), reconnectIntervalMs: 300 });
    try {
      const jsampHub = await startJsampHub(box);
      await bridge.start();
      await waitFor(() => bridge.client.connected, 20_000, 'our client on the JSAMP hub');
      await startSnooper(box, 'Aspro2', 'table.load.votable');
      await waitFor(() => bridge.status().aspro2Present, 10_000, 'Aspro2 on the JSAMP hub');
      expect(bridge.embeddedHub).toBeNull();

      await stopPeer(jsampHub, 'SIGTERM');
      await waitFor(() => bridge.status().hubIsEmbedded, 20_000, 'our client on our own hub');
      await waitFor(() => bridge.status().aspro2Present, 30_000, 'the JSAMP client to join our hub');
      const subscribed = () => bridge.client.peerList().some((p) => p.metadata['samp.name'] === 'Aspro2' && 'table.load.votable' in p.subscriptions);
      await waitFor(subscribed, 10_000, 'its subscriptions');
      const ids = await bridge.sendVotable('<?xml version="1.0"?><VOTABLE version="1.3"/>', 'after the switch');
      expect(ids).toHaveLength(1);
    } finally {
      await bridge.stop();
      await stopAll();
      box.cleanup();
    }
  }, 120_000);
});
