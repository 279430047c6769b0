/**
 * The app under pressure from real JSAMP peers, and what it does with what they send:
 * - a JSAMP client floods the app's embedded hub with 3000 coord.pointAt.sky notifications, 20 in
 *   flight, while the app holds the 3000-star demo survey: every one is delivered and the app
 *   stays registered and reachable;
 * - on the JSAMP hub, the app's registration is removed behind its back: it notices and registers
 *   again within seconds, reachable by name;
 * - STILTS broadcasting a FITS table that is not OIFITS is declined with samp.error, while an
 *   OIFITS from JSAMP's messagesender is queued for review.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Payload } from '../../../shared/contract';
import { COMPANION_NAME, SampBridge, type ReceivedFits } from '../../../electron/samp/bridge';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import { xmlRpcCall } from '../../../electron/samp/xmlrpc-http';
import {
  FIXTURES,
  JSAMP_JAR,
  hubSandbox,
  javaSourceMissing,
  jsampArgs,
  jsampMissing,
  runPeer,
  startJsampHub,
  stiltsMissing,
  stopAll,
  waitFor,
  type HubSandbox,
} from './peers';

const FLOOD_SOURCE = path.join(import.meta.dirname, 'JsampFlood.java');
const boxes: HubSandbox[] = [];
const bridges: SampBridge[] = [];
let services: Services | null = null;

afterEach(async () => {
  for (const b of bridges.splice(0)) await b.stop();
  await services?.close();
  services = null;
  await stopAll();
  for (const b of boxes.splice(0)) b.cleanup();
});

function sandbox(): HubSandbox {
  const box = hubSandbox();
  boxes.push(box);
  return box;
}

const floodMissing = javaSourceMissing();
describe.skipIf(floodMissing !== null)(`a JSAMP client floods the app's embedded hub${floodMissing ? ` (skipped: ${floodMissing})` : ''}`, () => {
  it('delivers all 3000 coord.pointAt.sky to the app holding the 3000-star demo survey; the app stays registered and reachable', async () => {
    const box = sandbox();
    // The services read SAMP_HUB from the environment; this file runs in its own process.
    process.env.SAMP_HUB = box.env.SAMP_HUB;
    delete process.env.SPICA_SAMP;
    services = createServices({ paths: resolvePaths(path.join(box.dir, 'data')), transport: 'browser' });
    await services.call('survey.demo.generate', { seed: 19, count: 3000 });
    expect((await services.call('survey.list', { filter: {}, limit: 1 })).total).toBe(3000);
    const connected = await services.call('samp.connect', {});
    expect(connected).toMatchObject({ isConnected: true, hubIsEmbedded: true });
    const selfId = connected.selfId;

    let handled = 0;
    let refused = 0;
    const lost: Payload<'samp.statusChanged'>[] = [];
    const pointed: Payload<'samp.pointAt'>[] = [];
    services.on('samp.traffic', (e) => {
      if (e.direction !== 'in' || e.mtype !== 'coord.pointAt.sky') return;
      if (e.status === 'ok') handled++;
      else refused++;
    });
    services.on('samp.statusChanged', (s) => !s.isConnected && lost.push(s));
    services.on('samp.pointAt', (p) => pointed.push(p));

    const started = Date.now();
    const flood = await runPeer('java', ['-cp', JSAMP_JAR, FLOOD_SOURCE, COMPANION_NAME, '3000', '20'], box.env, 600_000);
    const sentAfterMs = Date.now() - started;
    expect(flood.err).not.toMatch(/failed|Exception/);
    expect(flood.code).toBe(0);
    const summary = /FLOOD sent=(\d+) failed=(\d+) ms=(\d+)/.exec(flood.out);
    expect(summary?.slice(1, 3)).toEqual(['3000', '0']);
    await waitFor(() => handled + refused >= 3000, 120_000, 'the app to handle all 3000 notifications');
    const handledAfterMs = Date.now() - started;
    expect({ handled, refused }).toEqual({ handled: 3000, refused: 0 });

    // Registered all along, under the same id, and reachable by name from another JSAMP tool.
    expect(lost).toEqual([]);
    expect(await services.call('samp.status', {})).toMatchObject({ isConnected: true, selfId });
    const ping = await runPeer('java', jsampArgs('messagesender', '-mtype', 'samp.app.ping', '-targetname', COMPANION_NAME, '-mode', 'sync'), box.env, 60_000);
    expect(ping.out).toMatch(/samp\.ok/);
    // Each position was matched to the survey (the UI gets the latest ones, thinned).
    expect(pointed.length).toBeGreaterThan(0);
    expect(pointed.at(-1)?.nearestTargetId).toEqual(expect.any(String));
    console.info(
      `flood: JSAMP sent 3000 coord.pointAt.sky (20 in flight) in ${summary?.[3]} ms (${sentAfterMs} ms with the JVM start); ` +
        `the app handled 3000/3000 by ${handledAfterMs} ms; registration kept (${selfId}); ${pointed.length} pointAt events to the UI`,
    );
  }, 900_000);
});

const jsamp = jsampMissing();
describe.skipIf(jsamp !== null)(`on the JSAMP hub${jsamp ? ` (skipped: ${jsamp})` : ''}`, () => {
  it('registers again within seconds after the hub forgets it, and stays reachable by name', async () => {
    const box = sandbox();
    const hub = await startJsampHub(box);
    expect(hub.proc.pid).toBeGreaterThan(0);
    const bridge = new SampBridge({ env: box.env, embeddedHub: false, downloadDir: path.join(box.dir, 'dl'), reconnectIntervalMs: 3000 });
    bridges.push(bridge);
    const states: string[] = [];
    bridge.client.on('connected', () => states.push('connected'));
    bridge.client.on('disconnected', (why: string) => states.push(`disconnected: ${why}`));
    await bridge.start();
    await waitFor(() => states.length === 1, 20_000, 'the app to register with the JSAMP hub');
    const before = bridge.client.registration;
    if (!before) throw new Error('not registered');

    // The JSAMP hub forgets the app without telling it (what our old hub did under load).
    await xmlRpcCall(before.hubUrl, 'samp.hub.unregister', [before.privateKey], { timeoutMs: 10_000 });
    const droppedAt = Date.now();
    await waitFor(() => states.length === 3, 20_000, 'the app to register again');
    const tookMs = Date.now() - droppedAt;
    expect(states).toEqual(['connected', expect.stringMatching(/^disconnected: the hub no longer knows this client \(.*Unknown private key.*\); registering again$/), 'connected']);
    expect(bridge.client.registration?.selfId).not.toBe(before.selfId);
    const ping = await runPeer('java', jsampArgs('messagesender', '-mtype', 'samp.app.ping', '-targetname', COMPANION_NAME, '-mode', 'sync'), box.env, 60_000);
    expect(ping.out).toMatch(/samp\.ok/);
    console.info(`re-registration on the JSAMP hub: ${tookMs} ms after the hub forgot the app (check interval 3 s)`);
  }, 120_000);

  const stilts = stiltsMissing();
  it.skipIf(stilts !== null)(`declines a non-OIFITS FITS table from STILTS, and queues an OIFITS from messagesender${stilts ? ` (skipped: ${stilts})` : ''}`, async () => {
    const box = sandbox();
    await startJsampHub(box);
    const bridge = new SampBridge({ env: box.env, embeddedHub: false, downloadDir: path.join(box.dir, 'dl'), reconnectIntervalMs: 300 });
    bridges.push(bridge);
    const fits: ReceivedFits[] = [];
    bridge.on('fits', (f: ReceivedFits) => fits.push(f));
    await bridge.start();
    await waitFor(() => bridge.client.connected, 20_000, 'the app to register');

    // STILTS turns a VOTable into a FITS table and sends it (table.load.fits over http), as TOPCAT would.
    const stiltsRun = await runPeer('stilts', ['tpipe', `in=${path.join(FIXTURES, 'Aspro2_exported_targets.vot')}`, 'omode=samp', 'format=fits', `client=${COMPANION_NAME}`], box.env, 120_000);
    expect(stiltsRun.out + stiltsRun.err).toMatch(/Response samp\.error from/);
    const declined = bridge.traffic().find((e) => e.direction === 'in' && e.mtype === 'table.load.fits');
    expect(declined).toMatchObject({ peerName: 'STILTS', status: 'error', detail: expect.stringMatching(/is a FITS file but not OIFITS \(its HDUs: PRIMARY, Targets;.*SPICA Companion only takes OIFITS$/) });
    expect(fits).toEqual([]);

    const oifits = path.join(FIXTURES, 'Aspro2_zet_Oph_CHARA_SPICA.fits');
    const sent = await runPeer('java', jsampArgs('messagesender', '-mtype', 'table.load.fits', '-param', 'url', pathToFileURL(oifits).href, '-targetname', COMPANION_NAME, '-mode', 'sync'), box.env, 60_000);
    expect(sent.out).toMatch(/samp\.ok/);
    expect(fits).toEqual([expect.objectContaining({ path: oifits, isDownloaded: false })]);
  }, 180_000);
});
