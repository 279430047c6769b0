/**
 * What peers send never lands on the user's work: a FITS file that is not OIFITS is declined with
 * a reply that says so; an OIFITS file is listed for the Review screen (never opened by itself);
 * a copy fetched over http is kept only while listed or once reviewed, and copies waiting for
 * review are capped. Runs the real services over a real store with the embedded hub; the sender
 * is a SAMP client calling through the hub, as TOPCAT or ASPRO2 would.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampReceivedFile } from '../../../shared/contract/samp';
import { SampClient } from '../../../electron/samp/client';
import { message } from '../../../electron/samp/values';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import { ReceivedFiles } from '../../../electron/services/samp/received-files';
import { catalogFits } from '../../fixtures/samp/not-oifits';

const OIFITS = path.join(import.meta.dirname, '../../fixtures/samp/Aspro2_zet_Oph_CHARA_SPICA.fits');

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('received FITS files', () => {
  let dir: string;
  let dataDir: string;
  let services: Services;
  let sender: SampClient;
  let app: string;
  let server: http.Server;
  let origin: string;
  const events: SampReceivedFile[] = [];
  const files = new Map<string, Buffer>();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'samp-received-'));
    dataDir = path.join(dir, 'data');
    process.env.SAMP_HUB = `std-lockurl:file://${path.join(dir, 'lockfile')}`;
    delete process.env.SPICA_SAMP;
    services = createServices({ paths: resolvePaths(dataDir), transport: 'browser' });
    services.on('samp.fitsReceived', (f) => events.push(f));
    expect((await services.call('samp.connect', {})).isConnected).toBe(true);
    sender = new SampClient({ env: { SAMP_HUB: process.env.SAMP_HUB }, metadata: { 'samp.name': 'TOPCAT' }, handlers: {} });
    expect(await sender.connect()).toBe(true);
    app = sender.peersNamed('SPICA Companion')[0];
    // Files served over http, the way STILTS and TOPCAT pass a table.
    files.set('/catalog.fits', catalogFits());
    files.set('/zet_Oph.fits', readFileSync(OIFITS));
    server = http.createServer((req, res) => {
      const body = files.get(req.url ?? '');
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/fits' });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }, 60_000);
  afterAll(async () => {
    await sender?.close();
    await services?.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = (url: string, name?: string) => sender.callAndWait(app, message('table.load.fits', { url, ...(name ? { name } : {}) }), 20);

  it('declines a FITS file that is not OIFITS with a reply saying so, and keeps nothing', async () => {
    const r = await send(`${origin}/catalog.fits`, 'stilts table');
    expect(r['samp.status']).toBe('samp.error');
    expect(r['samp.error']?.['samp.errortxt']).toBe(
      'stilts table is a FITS file but not OIFITS (its HDUs: PRIMARY, CATALOG; OIFITS has OI_TARGET and OI_VIS/OI_VIS2/OI_T3/OI_FLUX tables). SPICA Companion only takes OIFITS',
    );
    const notFits = path.join(dir, 'notes.fits');
    copyFileSync(path.join(import.meta.dirname, '../../fixtures/samp/PROVENANCE.md'), notFits);
    expect((await send(pathToFileURL(notFits).href))['samp.error']?.['samp.errortxt']).toBe('notes.fits is not a FITS file');
    expect(await services.call('samp.receivedFiles', {})).toEqual([]);
    expect(events).toEqual([]);
    expect(existsSync(path.join(dataDir, 'samp-received')) ? readdirSync(path.join(dataDir, 'samp-received')) : []).toEqual([]);
  });

  it('lists an OIFITS file fetched over http, and deletes the copy when it is dismissed unreviewed', async () => {
    const r = await send(`${origin}/zet_Oph.fits`);
    expect(r['samp.status']).toBe('samp.ok');
    await waitFor(() => events.length === 1, 5000, 'samp.fitsReceived');
    const [listed] = await services.call('samp.receivedFiles', {});
    expect(listed).toEqual({ ...events[0], isReviewed: false });
    expect(listed).toMatchObject({ name: 'zet_Oph.fits', senderName: 'TOPCAT', isDownloaded: true, sizeBytes: statSync(OIFITS).size });
    expect(path.dirname(listed.path)).toBe(path.join(dataDir, 'samp-received'));
    expect(readFileSync(listed.path).equals(readFileSync(OIFITS))).toBe(true);
    await services.call('samp.dismissFile', { id: listed.id });
    expect(existsSync(listed.path)).toBe(false);
    expect(await services.call('samp.receivedFiles', {})).toEqual([]);
    await expect(services.call('samp.dismissFile', { id: listed.id })).rejects.toThrow(/no received file/);
  });

  it('only references an OIFITS file sent by file: URL, and never deletes it', async () => {
    const own = path.join(dir, 'own.fits');
    copyFileSync(OIFITS, own);
    expect((await send(pathToFileURL(own).href))['samp.status']).toBe('samp.ok');
    const [listed] = await services.call('samp.receivedFiles', {});
    expect(listed).toMatchObject({ path: own, isDownloaded: false });
    await services.call('samp.dismissFile', { id: listed.id });
    expect(existsSync(own)).toBe(true);
  });

  it('keeps a copy once reviewed, and at the next start deletes only the unreviewed leftovers', async () => {
    await send(`${origin}/zet_Oph.fits`, 'reviewed.fits');
    await send(`${origin}/zet_Oph.fits`, 'left.fits');
    const [reviewed, left] = await services.call('samp.receivedFiles', {});
    await services.call('review.setQuality', { path: reviewed.path, level: 4, comment: 'fine', reviewer: 'QC', backup: false });
    expect((await services.call('samp.receivedFiles', {}))[0].isReviewed).toBe(true);
    await services.call('samp.dismissFile', { id: reviewed.id });
    expect(existsSync(reviewed.path)).toBe(true);

    await services.close();
    services = createServices({ paths: resolvePaths(dataDir), transport: 'browser' });
    expect(existsSync(reviewed.path)).toBe(true);
    expect(existsSync(left.path)).toBe(false);
  }, 60_000);
});

describe('ReceivedFiles cap', () => {
  it('declines a copy that would take unreviewed files over the cap, naming the sizes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'samp-cap-'));
    try {
      const store = new ReceivedFiles(dir, () => false, 3 * 1024 * 1024);
      const mb = Buffer.alloc(2 * 1024 * 1024);
      const first = await store.save('a.fits', mb);
      store.add({ path: first, name: 'a.fits', senderName: 'X', sizeBytes: mb.length, isDownloaded: true });
      await expect(store.save('b.fits', mb)).rejects.toThrow(
        'b.fits (2 MB) was not kept: received OIFITS files waiting for review already take 2 MB of the 3 MB allowed; review or dismiss some in the Review screen',
      );
      expect(readdirSync(dir)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
