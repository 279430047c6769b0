/**
 * The companion's SAMP bridge: one client that stays connected (re-registering with whatever hub
 * appears next), an optional embedded hub started when none runs, the files we serve to peers,
 * the handlers for what peers send us, and a bounded log of traffic in and out.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SampClient, type IncomingMessage, type TrafficEntry } from './client';
import { DEFAULT_MAX_FETCH_BYTES, fetchUrl } from './fetch-url';
import { HubRunningError, SampHub } from './hub';
import { companionIconPng } from './icon';
import { ServedFiles } from './served-files';
import { matchSubscription } from './subscriptions';
import { SampFault, message, newMap, type SampMap } from './values';

/** samp.name of ASPRO2 (how SPICA-NSS finds it). */
export const ASPRO2_NAME = 'Aspro2';
/** Our samp.name. */
export const COMPANION_NAME = 'SPICA Companion';

/** A table a peer sent us, kept until the user accepts or discards it. */
export interface ReceivedTable {
  id: string;
  senderId: string;
  senderName: string;
  /** samp `name` param, or the last part of the URL. */
  name: string;
  url: string;
  text: string;
  receivedAtMs: number;
}

/** A FITS file a peer sent us (OIFITS for the Review screen). */
export interface ReceivedFits {
  path: string;
  name: string;
  senderName: string;
}

/** Connection state for the status indicator. */
export interface BridgeStatus {
  connected: boolean;
  hubUrl: string | null;
  /** True when the hub we are registered with is our embedded one. */
  hubIsEmbedded: boolean;
  selfId: string | null;
  peers: { id: string; name: string }[];
  aspro2Present: boolean;
  embeddedHubAllowed: boolean;
}

export interface BridgeOptions {
  env?: NodeJS.ProcessEnv;
  /** Start our own hub when no live hub is found. */
  embeddedHub: boolean;
  /** Where FITS files fetched over http are stored. */
  downloadDir: string;
  reconnectIntervalMs?: number;
  maxFetchBytes?: number;
  version?: string;
}

const MAX_LOG = 500;
const ICON_PATH = '/icon.png';

/**
 * Events: `status` (BridgeStatus), `traffic` (TrafficEntry), `table` (ReceivedTable),
 * `fits` (ReceivedFits), `pointAt` ({ raDeg, decDeg, senderName }), `log` (text).
 */
export class SampBridge extends EventEmitter {
  readonly client: SampClient;
  private hub: SampHub | null = null;
  private readonly served = new ServedFiles();
  private readonly trafficLog: TrafficEntry[] = [];
  private running = false;
  private readonly maxFetchBytes: number;

  constructor(private readonly opts: BridgeOptions) {
    super();
    this.maxFetchBytes = opts.maxFetchBytes ?? DEFAULT_MAX_FETCH_BYTES;
    this.client = new SampClient({
      env: opts.env,
      httpGet: this.served.handle,
      metadata: (origin) => ({
        'samp.name': COMPANION_NAME,
        'samp.description.text': 'Observing companion for the SPICA instrument at the CHARA Array: survey, night plan, ASPRO2 bridge, OIFITS review',
        'samp.icon.url': `${origin}${ICON_PATH}`,
        'x-samp.release.version': opts.version ?? '0.1.0',
        'author.affiliation': 'SPICA / CHARA Array',
      }),
      handlers: {
        'table.load.votable': (m) => this.onVotable(m),
        'table.load.fits': (m) => this.onFits(m),
        'coord.pointAt.sky': (m) => this.onPointAt(m),
      },
    });
    this.served.addFixed(ICON_PATH, companionIconPng(), 'image/png');
    this.client.on('traffic', (e: TrafficEntry) => {
      this.trafficLog.push(e);
      if (this.trafficLog.length > MAX_LOG) this.trafficLog.shift();
      this.emit('traffic', e);
    });
    for (const ev of ['connected', 'disconnected', 'peers']) this.client.on(ev, () => this.emit('status', this.status()));
    this.client.on('log', (t: string) => this.emit('log', t));
  }

  /** True while the bridge is trying to stay connected. */
  get isRunning(): boolean {
    return this.running;
  }

  /** Start the callback server and keep connected (polling every `reconnectIntervalMs`). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.client.start();
    this.client.autoConnect(this.opts.reconnectIntervalMs ?? 3000, () => this.maybeStartHub());
  }

  /** Unregister and stop our hub (which sends samp.hub.event.shutdown first). */
  async stop(): Promise<void> {
    this.running = false;
    await this.client.close();
    if (this.hub) await this.hub.stop();
    this.hub = null;
    process.off('exit', this.releaseOnExit);
    this.emit('status', this.status());
  }

  /** Last resort on a process exit that skipped `stop()`: no event can be sent, but the lockfile goes. */
  private readonly releaseOnExit = (): void => this.hub?.releaseLockfileNow();

  /** Resolves true once registered with a hub, false after `timeoutMs`. */
  waitConnected(timeoutMs: number): Promise<boolean> {
    if (this.client.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.client.off('connected', onConnected);
        resolve(ok);
      };
      const onConnected = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.client.on('connected', onConnected);
    });
  }

  /** The embedded hub, when we run one. */
  get embeddedHub(): SampHub | null {
    return this.hub;
  }

  private async maybeStartHub(): Promise<void> {
    if (!this.opts.embeddedHub || this.hub || !this.running) return;
    // ASPRO2 races to start its own hub too; a small random delay avoids a tie.
    await new Promise((r) => setTimeout(r, 50 + (randomBytes(1)[0] % 200)));
    const hub = new SampHub({ lock: this.client.lock });
    hub.on('log', (t: string) => this.emit('log', `hub: ${t}`));
    try {
      await hub.start();
      this.hub = hub;
      process.on('exit', this.releaseOnExit);
      this.emit('log', `started the embedded hub at ${hub.url}`);
    } catch (e) {
      if (!(e instanceof HubRunningError)) this.emit('log', `could not start the embedded hub: ${(e as Error).message}`);
    }
  }

  /** Current connection state. */
  status(): BridgeStatus {
    const reg = this.client.registration;
    const peers = this.client
      .peerList()
      .filter((p) => p.id !== reg?.hubId)
      .map((p) => ({ id: p.id, name: String(p.metadata['samp.name'] ?? p.id) }));
    return {
      connected: reg !== null,
      hubUrl: reg?.hubUrl ?? null,
      hubIsEmbedded: reg !== null && this.hub !== null && this.hub.url === reg.hubUrl,
      selfId: reg?.selfId ?? null,
      peers,
      aspro2Present: peers.some((p) => p.name.toLowerCase() === ASPRO2_NAME.toLowerCase()),
      embeddedHubAllowed: this.opts.embeddedHub,
    };
  }

  /** Traffic in and out, oldest first. */
  traffic(): TrafficEntry[] {
    return [...this.trafficLog];
  }

  /** Serve `bytes` on our callback server; returns the URL peers fetch. */
  serve(bytes: Buffer, fileName: string, contentType: string): string {
    return this.client.origin + this.served.add(bytes, fileName, contentType);
  }

  /**
   * Notify peers named `toName` (or every subscriber when null) with `mtype` and a `url`.
   * Resolves to the recipients' ids; rejects when nobody could receive it.
   */
  async sendUrl(mtype: string, url: string, name: string, toName: string | null): Promise<string[]> {
    if (!this.client.connected) throw new SampFault('not connected to a SAMP hub');
    const params: SampMap = { url, name: name.replace(/[^\x20-\x7e]/g, '?') };
    const msg = message(mtype, params);
    if (toName === null) {
      const ids = await this.client.notifyAll(msg);
      if (ids.length === 0) throw new SampFault(`no connected application accepts ${mtype}`);
      return ids;
    }
    const ids: string[] = [];
    for (const id of this.client.peersNamed(toName)) {
      // A peer that just registered may not have declared its subscriptions in our copy yet.
      const peer = this.client.peerList().find((p) => p.id === id);
      const subs = peer && matchSubscription(peer.subscriptions, mtype) ? peer.subscriptions : ((await this.client.refreshPeer(id))?.subscriptions ?? newMap());
      if (matchSubscription(subs, mtype)) ids.push(id);
    }
    if (ids.length === 0) throw new SampFault(`${toName} is not connected to the SAMP hub (or does not accept ${mtype})`);
    for (const id of ids) await this.client.notify(id, msg);
    return ids;
  }

  /** Send a VOTable we generated (served over http) to `toName`. */
  sendVotable(xml: string, name: string, toName: string | null = ASPRO2_NAME): Promise<string[]> {
    const url = this.serve(Buffer.from(xml, 'utf8'), `${name || 'targets'}.vot`, 'application/x-votable+xml');
    return this.sendUrl('table.load.votable', url, name, toName);
  }

  /** Send a local file by file: URL (how ASPRO2 itself passes files). */
  async sendFile(mtype: string, file: string, toName: string | null): Promise<string[]> {
    const stat = await fs.stat(file).catch(() => null);
    if (!stat?.isFile()) throw new SampFault(`${file} is not a readable file`);
    return this.sendUrl(mtype, pathToFileURL(file).href, path.basename(file), toName);
  }

  private nameOf(m: IncomingMessage): { url: string; name: string } {
    const url = m.params.url;
    if (typeof url !== 'string' || url === '') throw new Error(`${m.mtype}: the url parameter is missing`);
    const given = typeof m.params.name === 'string' && m.params.name ? m.params.name : '';
    const fallback = decodeURIComponent(url.split('?')[0].split('/').pop() ?? '') || 'table';
    return { url, name: given || fallback };
  }

  private async onVotable(m: IncomingMessage): Promise<SampMap> {
    const { url, name } = this.nameOf(m);
    const { bytes } = await fetchUrl(url, this.maxFetchBytes);
    const table: ReceivedTable = {
      id: randomUUID(),
      senderId: m.senderId,
      senderName: m.senderName,
      name,
      url,
      text: bytes.toString('utf8'),
      receivedAtMs: Date.now(),
    };
    if (!/<VOTABLE[\s>]/.test(table.text.slice(0, 4096))) throw new Error(`${url} is not a VOTable`);
    this.emit('table', table);
    return newMap();
  }

  private async onFits(m: IncomingMessage): Promise<SampMap> {
    const { url, name } = this.nameOf(m);
    const fetched = await fetchUrl(url, this.maxFetchBytes);
    if (fetched.bytes.subarray(0, 6).toString('latin1') !== 'SIMPLE') throw new Error(`${url} is not a FITS file`);
    let local = fetched.localPath;
    if (!local) {
      await fs.mkdir(this.opts.downloadDir, { recursive: true });
      const base = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'received';
      local = path.join(this.opts.downloadDir, `${Date.now()}-${base}${/\.(fits|oifits|fit)$/i.test(base) ? '' : '.fits'}`);
      await fs.writeFile(local, fetched.bytes);
    }
    this.emit('fits', { path: local, name, senderName: m.senderName } satisfies ReceivedFits);
    return newMap();
  }

  private onPointAt(m: IncomingMessage): SampMap {
    const raDeg = Number(m.params.ra);
    const decDeg = Number(m.params.dec);
    if (typeof m.params.ra !== 'string' || !Number.isFinite(raDeg) || raDeg < 0 || raDeg >= 360) {
      throw new Error(`coord.pointAt.sky: ra "${String(m.params.ra)}" is not a SAMP float in [0, 360)`);
    }
    if (typeof m.params.dec !== 'string' || !Number.isFinite(decDeg) || decDeg < -90 || decDeg > 90) {
      throw new Error(`coord.pointAt.sky: dec "${String(m.params.dec)}" is not a SAMP float in [-90, 90]`);
    }
    this.emit('pointAt', { raDeg, decDeg, senderName: m.senderName });
    return newMap();
  }
}
