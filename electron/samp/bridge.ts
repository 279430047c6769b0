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
import { readFitsStructure } from '../../shared/oifits/fits-file';
import { SampClient, SampNoReplyError, type IncomingMessage, type TrafficEntry } from './client';
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

/** An OIFITS file a peer sent us, for the Review screen. */
export interface ReceivedFits {
  path: string;
  name: string;
  senderName: string;
  sizeBytes: number;
  /** True when we fetched it over http and stored the copy (false: the sender's own local file). */
  isDownloaded: boolean;
}

/** How one recipient took a message sent as a call. */
export interface Delivery {
  id: string;
  name: string;
  /**
   * `received`: it answered samp.ok (or samp.warning, see `detail`); `failed`: it answered
   * samp.error or the hub refused the message; `no-reply`: the hub took the message but the
   * application did not answer in time (busy, waiting for its user, or hung).
   */
  outcome: 'received' | 'failed' | 'no-reply';
  detail: string | null;
}

/** How long a send waits for the recipient's answer. */
export const DEFAULT_REPLY_TIMEOUT_MS = 10_000;

/** OIFITS data tables; a file needs OI_TARGET and at least one of these. */
const OIFITS_DATA_TABLES = ['OI_VIS', 'OI_VIS2', 'OI_T3', 'OI_FLUX'];

/**
 * Why `bytes` is not an OIFITS file, or null when it is one: it must be FITS, with an OI_TARGET
 * table and a data table (OIFITS v1 and v2 both require them).
 */
export function notOifitsReason(bytes: Uint8Array, name: string): string | null {
  if (Buffer.from(bytes.subarray(0, 6)).toString('latin1') !== 'SIMPLE') return `${name} is not a FITS file`;
  let extnames: string[];
  try {
    extnames = readFitsStructure(bytes).hdus.map((h) => h.extname);
  } catch (e) {
    return `${name} is not a readable FITS file (${(e as Error).message})`;
  }
  if (extnames.includes('OI_TARGET') && extnames.some((x) => OIFITS_DATA_TABLES.includes(x))) return null;
  const list = extnames.map((x) => x || '(unnamed)').join(', ');
  return `${name} is a FITS file but not OIFITS (its HDUs: ${list}; OIFITS has OI_TARGET and OI_VIS/OI_VIS2/OI_T3/OI_FLUX tables). SPICA Companion only takes OIFITS`;
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
  /** Why the embedded hub could not start (not retried until the bridge restarts), or null. */
  hubError: string | null;
}

export interface BridgeOptions {
  env?: NodeJS.ProcessEnv;
  /** Start our own hub when no live hub is found. */
  embeddedHub: boolean;
  /** Where FITS files fetched over http are stored (unless `saveDownload` is given). */
  downloadDir: string;
  /** Keeps an OIFITS file fetched over http and returns its path (the service caps and cleans these). */
  saveDownload?: (name: string, bytes: Buffer) => Promise<string>;
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
  private hubError: string | null = null;
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
    this.hubError = null;
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
    // A hub that failed for a reason other than "another hub runs" (a bad SAMP_HUB path, say)
    // fails once, clearly: retrying every few seconds would not fix it.
    if (!this.opts.embeddedHub || this.hub || !this.running || this.hubError !== null) return;
    // ASPRO2 races to start its own hub too; a small random delay avoids a tie.
    await new Promise((r) => setTimeout(r, 50 + (randomBytes(1)[0] % 200)));
    if (!this.running) return;
    let lock;
    try {
      lock = this.client.lock;
    } catch (e) {
      this.failHub((e as Error).message);
      return;
    }
    const hub = new SampHub({ lock });
    hub.on('log', (t: string) => this.emit('log', `hub: ${t}`));
    try {
      await hub.start();
    } catch (e) {
      if (!(e instanceof HubRunningError)) this.failHub((e as Error).message);
      return;
    }
    if (!this.running) {
      await hub.stop();
      return;
    }
    this.hub = hub;
    process.on('exit', this.releaseOnExit);
    this.emit('log', `started the embedded hub at ${hub.url}`);
  }

  private failHub(reason: string): void {
    this.hubError = `could not start the embedded SAMP hub: ${reason}`;
    this.emit('log', this.hubError);
    this.emit('status', this.status());
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
      hubError: this.hubError,
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

  /** Ids of the peers named `toName` (every peer when null) that accept `mtype`. */
  private async recipientsFor(mtype: string, toName: string | null): Promise<string[]> {
    const hubId = this.client.registration?.hubId;
    const candidates = toName === null ? this.client.peerList().filter((p) => p.id !== hubId).map((p) => p.id) : this.client.peersNamed(toName);
    const ids: string[] = [];
    for (const id of candidates) {
      // A peer that just registered may not have declared its subscriptions in our copy yet.
      const peer = this.client.peerList().find((p) => p.id === id);
      const subs = peer && matchSubscription(peer.subscriptions, mtype) ? peer.subscriptions : ((await this.client.refreshPeer(id))?.subscriptions ?? newMap());
      if (matchSubscription(subs, mtype)) ids.push(id);
    }
    return ids;
  }

  /**
   * Send `mtype` with a `url` to the peers named `toName` (every subscriber when null) as a call,
   * and wait up to `replyTimeoutMs` for each answer: success is only reported when the recipient
   * said so. Rejects when nobody could receive it.
   */
  async sendUrl(mtype: string, url: string, name: string, toName: string | null, replyTimeoutMs = DEFAULT_REPLY_TIMEOUT_MS): Promise<Delivery[]> {
    if (!this.client.connected) throw new SampFault('not connected to a SAMP hub');
    const msg = message(mtype, { url, name: name.replace(/[^\x20-\x7e]/g, '?') });
    const ids = await this.recipientsFor(mtype, toName);
    if (ids.length === 0) {
      throw new SampFault(toName === null ? `no connected application accepts ${mtype}` : `${toName} is not connected to the SAMP hub (or does not accept ${mtype})`);
    }
    const peerName = (id: string): string => String(this.client.peerList().find((p) => p.id === id)?.metadata['samp.name'] ?? id);
    return Promise.all(
      ids.map(async (id): Promise<Delivery> => {
        try {
          const r = await this.client.call(id, msg, replyTimeoutMs);
          const errorText = typeof r['samp.error']?.['samp.errortxt'] === 'string' ? String(r['samp.error']['samp.errortxt']) : null;
          const failed = r['samp.status'] === 'samp.error';
          return { id, name: peerName(id), outcome: failed ? 'failed' : 'received', detail: failed ? (errorText ?? 'error without a message') : errorText };
        } catch (e) {
          return { id, name: peerName(id), outcome: e instanceof SampNoReplyError ? 'no-reply' : 'failed', detail: (e as Error).message };
        }
      }),
    );
  }

  /** Send a VOTable we generated (served over http) to `toName`. */
  sendVotable(xml: string, name: string, toName: string | null = ASPRO2_NAME): Promise<Delivery[]> {
    const url = this.serve(Buffer.from(xml, 'utf8'), `${name || 'targets'}.vot`, 'application/x-votable+xml');
    return this.sendUrl('table.load.votable', url, name, toName);
  }

  /** Send a local file by file: URL (how ASPRO2 itself passes files). */
  async sendFile(mtype: string, file: string, toName: string | null, replyTimeoutMs = DEFAULT_REPLY_TIMEOUT_MS): Promise<Delivery[]> {
    const stat = await fs.stat(file).catch(() => null);
    if (!stat?.isFile()) throw new SampFault(`${file} is not a readable file`);
    return this.sendUrl(mtype, pathToFileURL(file).href, path.basename(file), toName, replyTimeoutMs);
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

  /**
   * A FITS table: only OIFITS is taken (anything else is declined, and a call's reply says why);
   * it is announced for the Review screen, never opened over what the user is doing.
   */
  private async onFits(m: IncomingMessage): Promise<SampMap> {
    const { url, name } = this.nameOf(m);
    const fetched = await fetchUrl(url, this.maxFetchBytes);
    const why = notOifitsReason(fetched.bytes, name);
    if (why) throw new Error(why);
    let local = fetched.localPath;
    if (!local) local = await (this.opts.saveDownload ?? this.saveToDownloadDir)(name, fetched.bytes);
    this.emit('fits', { path: local, name, senderName: m.senderName, sizeBytes: fetched.bytes.length, isDownloaded: fetched.localPath === null } satisfies ReceivedFits);
    return newMap();
  }

  private readonly saveToDownloadDir = async (name: string, bytes: Buffer): Promise<string> => {
    await fs.mkdir(this.opts.downloadDir, { recursive: true });
    const local = path.join(this.opts.downloadDir, downloadFileName(name));
    await fs.writeFile(local, bytes);
    return local;
  };

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

/** A safe, unique local file name for a received file called `name`. */
export function downloadFileName(name: string): string {
  const base = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'received';
  return `${Date.now()}-${randomBytes(3).toString('hex')}-${base}${/\.(fits|oifits|fit)$/i.test(base) ? '' : '.fits'}`;
}
