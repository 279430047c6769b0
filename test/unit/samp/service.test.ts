/**
 * The samp service end to end over the real store: connect (starting the embedded hub), send
 * tonight's targets to a client named Aspro2, receive a table and accept it into the survey,
 * match a pointed position to a target, and close cleanly (shutdown event, lockfile removed).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Payload } from '../../../shared/contract';
import { CHARA_SITE } from '../../../shared/astro/site';
import { sortByTransit } from '../../../shared/votable/aspro2';
import { readVoTable } from '../../../shared/votable/read';
import { SampClient } from '../../../electron/samp/client';
import { message } from '../../../electron/samp/values';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';
import { shouldAutoConnect } from '../../../electron/services/samp';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures/samp');

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('shouldAutoConnect', () => {
  it('follows SPICA_SAMP first, then the stored option, never for the CLI by default', () => {
    const on = { autoConnect: true, embeddedHub: true };
    const off = { autoConnect: false, embeddedHub: true };
    expect(shouldAutoConnect({ SPICA_SAMP: 'on' }, off, 'cli')).toBe(true);
    expect(shouldAutoConnect({ SPICA_SAMP: 'off' }, on, 'electron')).toBe(false);
    expect(shouldAutoConnect({}, on, 'electron')).toBe(true);
    expect(shouldAutoConnect({}, off, 'electron')).toBe(false);
    expect(shouldAutoConnect({}, on, 'cli')).toBe(false);
    expect(shouldAutoConnect({ SPICA_SAMP: 'OFF' }, on, 'browser')).toBe(false);
  });
});

describe('samp service', () => {
  let dir: string;
  let lockPath: string;
  let services: Services;
  let aspro: SampClient;
  const received: string[] = [];
  const events: Array<{ name: string; payload: unknown }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'samp-service-'));
    lockPath = path.join(dir, 'lockfile');
    // This test file runs in its own process (vitest forks), so the variable stays local to it.
    process.env.SAMP_HUB = `std-lockurl:file://${lockPath}`;
    delete process.env.SPICA_SAMP;
    services = createServices({ paths: resolvePaths(path.join(dir, 'data')), transport: 'browser' });
    services.onAny((name, payload) => events.push({ name, payload }));
    await services.call('survey.demo.generate', { seed: 7, count: 40 });
  }, 60_000);
  afterAll(async () => {
    await aspro?.close();
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not connect until asked, then starts the embedded hub when none runs', async () => {
    const initial = await services.call('samp.status', {});
    expect(initial.isActive).toBe(false);
    expect(initial.options).toEqual({ autoConnect: false, embeddedHub: true });
    expect(existsSync(lockPath)).toBe(false);
    const status = await services.call('samp.connect', {});
    expect(status.isConnected).toBe(true);
    expect(status.hubIsEmbedded).toBe(true);
    expect(existsSync(lockPath)).toBe(true);
  });

  it('sends targets to Aspro2 as the NSS VOTable, sorted by transit', async () => {
    aspro = new SampClient({
      env: { SAMP_HUB: process.env.SAMP_HUB },
      metadata: { 'samp.name': 'Aspro2' },
      handlers: { 'table.load.votable': (m) => void received.push(String(m.params.url)) },
    });
    await aspro.connect();
    await waitFor(() => events.some((e) => e.name === 'samp.statusChanged' && (e.payload as Payload<'samp.statusChanged'>).aspro2Present), 5000, 'Aspro2 in the status');
    const me = aspro.peerList().find((p) => p.metadata['samp.name'] === 'SPICA Companion');
    expect(me?.metadata['samp.description.text']).toMatch(/SPICA/);
    const icon = await fetch(String(me?.metadata['samp.icon.url']));
    expect(icon.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await icon.arrayBuffer()).subarray(1, 4).toString('latin1')).toBe('PNG');
    // Picked by name, so their order is not already the transit order.
    const { rows } = await services.call('survey.list', { filter: {}, sort: { key: 'name', direction: 'asc' }, limit: 5 });
    const result = await services.call('samp.sendTargets', { targetIds: rows.map((r) => r.id), night: '2026-09-14', configuration: 'S1 S2 W1 W2 E1 E2', pops: '123455' });
    expect(result.recipients).toEqual(['Aspro2']);
    expect(result.outcome).toBe('received');
    expect(result.summary).toBe('Aspro2 received 5 targets and 0 calibrators.');
    expect(result.targetCount).toBe(5);
    await waitFor(() => received.length === 1, 5000, 'the table at Aspro2');
    expect(received[0]).toBe(result.url);
    const doc = readVoTable(await (await fetch(result.url)).text());
    const param = (n: string) => doc.params.find((p) => p.name === n)?.value;
    // CHARA.xml (ASPRO2's) has no 2026B configuration: the latest it knows is sent, and said. The
    // stations go in CHARA.xml's SPICA beam order E1 W2 W1 S2 S1 E2, their PoP digits with them.
    expect([param('PERIOD'), param('INSTRUMENT'), param('CONFIGURATIONS'), param('POPS'), param('DATE'), param('OPERATION')]).toEqual(['CHARA 2026A', 'SPICA_6T', 'E1 W2 W1 S2 S1 E2', '543215', '2026-09-14', 'NEW']);
    expect(result.notes.join(' ')).toMatch(/no 2026B configuration.*sent CHARA 2026A/);
    const names = doc.tables[0].rows.map((r) => r[0]);
    expect(names).toEqual(sortByTransit(rows, '2026-09-14', CHARA_SITE).map((r) => r.name));
    expect(names).not.toEqual(rows.map((r) => r.name));
    const traffic = await services.call('samp.log', {});
    expect(traffic.at(-1)).toMatchObject({ direction: 'out', mtype: 'table.load.votable', peerName: 'Aspro2', status: 'ok' });
    await expect(services.call('samp.sendTargets', { targetIds: ['nope'], night: '2026-09-14', configuration: 'S1 S2' })).rejects.toThrow(/no target with id nope/);
    await expect(services.call('samp.sendTargets', { targetIds: [rows[0].id], night: '2026-09-14', configuration: 'S1 S2', to: 'Nobody' })).rejects.toThrow(/Nobody is not connected/);
  });

  it('never reports a hung Aspro2 as having received the targets', async () => {
    const hung = new SampClient({
      env: { SAMP_HUB: process.env.SAMP_HUB },
      metadata: { 'samp.name': 'Aspro2-hung' },
      // Takes the message and never answers, like an ASPRO2 whose event thread is stuck.
      handlers: { 'table.load.votable': () => new Promise<never>(() => undefined) },
    });
    try {
      await hung.connect();
      const { rows } = await services.call('survey.list', { filter: {}, limit: 2 });
      const result = await services.call('samp.sendTargets', { targetIds: rows.map((r) => r.id), night: '2026-09-14', configuration: 'S1 S2', to: 'Aspro2-hung', replyTimeoutS: 1 });
      expect(result.outcome).toBe('no-reply');
      expect(result.deliveries).toEqual([{ name: 'Aspro2-hung', outcome: 'no-reply', detail: expect.stringMatching(/no response from Aspro2-hung within 1 s/) }]);
      expect(result.summary).toBe('2 targets and 0 calibrators delivered to the hub, but Aspro2-hung has not answered (busy, waiting for its user, or hung).');
      expect(result.summary).not.toMatch(/received/);
    } finally {
      await hung.close();
    }
  });

  it('previews a received table and imports it on accept; matches a pointed position to the nearest target', async () => {
    const file = path.join(FIXTURES, 'Aspro2_exported_targets.vot');
    const companion = aspro.peersNamed('SPICA Companion')[0];
    const response = await aspro.callAndWait(companion, message('table.load.votable', { url: `file://${file}`, name: 'from ASPRO2' }), 10);
    expect(response['samp.status']).toBe('samp.ok');
    const pending = await services.call('samp.pending', {});
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ senderName: 'Aspro2', name: 'from ASPRO2', error: null });
    expect(pending[0].rowCount).toBeGreaterThan(0);
    expect(events.some((e) => e.name === 'samp.received')).toBe(true);
    const before = (await services.call('survey.list', { filter: {} })).total;
    const report = await services.call('samp.acceptTable', { id: pending[0].id });
    expect(report.added + report.updated + report.unchanged).toBe(pending[0].rowCount);
    expect((await services.call('survey.list', { filter: {} })).total).toBe(before + report.added);
    expect(events.find((e) => e.name === 'survey.imported')?.payload).toEqual(report);
    // Through the survey's import path (a worker thread in browser mode): progress events and a batch named for the sender.
    expect(events.filter((e) => e.name === 'survey.importProgress').map((e) => (e.payload as Payload<'survey.importProgress'>).phase)).toEqual(expect.arrayContaining(['parsing', 'writing', 'done']));
    const batches = await services.call('survey.batches.list', {});
    expect(batches.find((b) => b.id === report.batchId)?.file).toBe('SAMP Aspro2: from ASPRO2');
    expect(await services.call('samp.pending', {})).toEqual([]);
    await expect(services.call('samp.acceptTable', { id: pending[0].id })).rejects.toThrow(/no received table/);

    const { rows } = await services.call('survey.list', { filter: {}, limit: 1 });
    const target = rows[0];
    await aspro.notify(companion, message('coord.pointAt.sky', { ra: String(target.raDeg + 0.0001), dec: String(target.decDeg) }));
    await waitFor(() => events.some((e) => e.name === 'samp.pointAt'), 5000, 'the pointAt event');
    const point = events.find((e) => e.name === 'samp.pointAt')?.payload as Payload<'samp.pointAt'>;
    expect(point.nearestTargetId).toBe(target.id);
    expect(point.separationArcsec).toBeLessThan(1);
  });

  it('hands a SearchCal list to the calibrator catalogue', async () => {
    const searchcal = new SampClient({ env: { SAMP_HUB: process.env.SAMP_HUB }, metadata: { 'samp.name': 'SearchCal' }, handlers: {} });
    try {
      await searchcal.connect();
      const companion = searchcal.peersNamed('SPICA Companion')[0];
      const file = path.join(FIXTURES, 'SearchCal-ETA_TAU.scvot');
      const response = await searchcal.callAndWait(companion, message('table.load.votable', { url: `file://${file}` }), 20);
      expect(response['samp.status']).toBe('samp.ok');
      const [preview] = await services.call('samp.pending', {});
      expect(preview).toMatchObject({ senderName: 'SearchCal', name: 'SearchCal-ETA_TAU.scvot', looksLikeCalibrators: true });
      const table = await services.call('samp.tableContent', { id: preview.id });
      expect(table.content).toBe(readFileSync(file, 'utf8'));
      const report = await services.call('calibrators.import', { kind: 'searchcal', content: table.content, fileName: table.fileName });
      expect(report.total).toBe(394);
      await services.call('samp.discardTable', { id: preview.id });
      expect(await services.call('samp.pending', {})).toEqual([]);
    } finally {
      await searchcal.close();
    }
  }, 60_000);

  it('on close sends samp.hub.event.shutdown to clients and removes its lockfile', async () => {
    const gone = new Promise<string>((r) => aspro.once('disconnected', r));
    const status = await services.call('samp.disconnect', {});
    expect(status.isActive).toBe(false);
    expect(await gone).toMatch(/shut down/);
    expect(existsSync(lockPath)).toBe(false);
  });
});
