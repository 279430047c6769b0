/**
 * SAMP Standard Profile client: finds the hub through the lockfile, registers, declares metadata
 * and subscriptions, and runs a callable XML-RPC server on 127.0.0.1 that checks our private key on
 * every callback. Incoming calls are answered after the callback has returned (JSAMP delivers
 * fire-and-forget; answering inside would deadlock a single-threaded hub). Every hub call has a
 * finite timeout; a hub that stops answering or whose lockfile changes is dropped and the client
 * re-registers with the next one (`autoConnect`). The registration itself is checked with a keyed
 * call: a hub that forgot us (it dropped us, or restarted on the same lockfile) gets a new
 * registration with the same metadata and subscriptions.
 */
import { EventEmitter } from 'node:events';
import { lockLocation, readLockfile, type LockInfo, type LockLocation } from './lockfile';
import { matchLevel } from './subscriptions';
import { SampTransportError, serveXmlRpc, xmlRpcCall, type CallInfo, type HttpSideHandler, type XmlRpcServer } from './xmlrpc-http';
import {
  SampFault,
  asMessage,
  errorResponse,
  isMap,
  newMap,
  okResponse,
  stringArg,
  type SampMap,
  type SampMessage,
  type SampResponse,
  type SampValue,
} from './values';

/** A call that got no response within its deadline: delivered to the hub, not answered. */
export class SampNoReplyError extends SampFault {
  constructor(message: string) {
    super(message);
    this.name = 'SampNoReplyError';
  }
}

/** What a message handler learns about an incoming message. */
export interface IncomingMessage {
  senderId: string;
  /** The sender's samp.name, when known. */
  senderName: string;
  mtype: string;
  params: SampMap;
  /** True for a call (a response is expected), false for a notification. */
  isCall: boolean;
}

/** Handles one incoming message; the returned map is the `samp.result` of an ok response. */
export type MessageHandler = (msg: IncomingMessage) => Promise<SampMap | void> | SampMap | void;

/** A peer registered with the hub. */
export interface PeerInfo {
  id: string;
  metadata: SampMap;
  subscriptions: SampMap;
}

/** One entry of the traffic log: what went in or out. */
export interface TrafficEntry {
  atMs: number;
  direction: 'in' | 'out';
  mtype: string;
  /** Peer id and samp.name (or "all" for broadcasts). */
  peerId: string;
  peerName: string;
  /** 'ok', 'error' or 'sent' (notifications have no response). */
  status: 'ok' | 'error' | 'sent';
  detail: string;
}

export interface ClientOptions {
  /** Our metadata (samp.name, samp.description.text, ...), or a function of our server's origin (for samp.icon.url). */
  metadata: SampMap | ((origin: string) => SampMap);
  /** Handlers by MType pattern; each pattern is also declared as a subscription. */
  handlers: Record<string, MessageHandler>;
  /** Timeout of each hub call, ms. */
  hubTimeoutMs?: number;
  /** Environment for SAMP_HUB (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Extra HTTP GET routes on the callback server (tables served by URL). */
  httpGet?: HttpSideHandler;
}

interface Connection {
  lock: LockInfo;
  hubId: string;
  selfId: string;
  privateKey: string;
}

interface PendingResponse {
  resolve: (r: SampResponse) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const HUB_EVENTS = ['samp.hub.event.register', 'samp.hub.event.unregister', 'samp.hub.event.metadata', 'samp.hub.event.subscriptions'];

/** How hubs word a fault about a private key they do not know (ours, JSAMP, astropy). */
const UNKNOWN_KEY_RE = /private.?key|not registered/i;

/** Messages being handled at once; beyond that, callbacks answer later (back-pressure to the hub). */
const MAX_ACTIVE_HANDLERS = 32;

/** Registration checks that may time out in a row before the hub is taken for gone. */
const MAX_CHECK_TIMEOUTS = 3;

/**
 * The client. Events: `connected` (hub URL), `disconnected` (reason), `peers` (after any change),
 * `traffic` (TrafficEntry), `log` (text).
 */
export class SampClient extends EventEmitter {
  private server: XmlRpcServer | null = null;
  private conn: Connection | null = null;
  private readonly peers = new Map<string, PeerInfo>();
  /** Peers whose metadata was asked for (or announced) since they registered. */
  private readonly knownPeers = new Set<string>();
  private readonly peerLoads = new Map<string, Promise<void>>();
  private readonly pending = new Map<string, PendingResponse>();
  private activeHandlers = 0;
  private readonly handlerSlots: Array<() => void> = [];
  private checking: Promise<void> | null = null;
  private checkTimeouts = 0;
  /** A registration we left without unregistering (the hub did not answer): removed on return. */
  private staleRegistration: { hubUrl: string; privateKey: string } | null = null;
  private nextTag = 1;
  private connecting: Promise<boolean> | null = null;
  private autoTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly hubTimeoutMs: number;

  constructor(private readonly opts: ClientOptions) {
    super();
    this.hubTimeoutMs = opts.hubTimeoutMs ?? 10_000;
  }

  /** Where this client looks for the hub. */
  get lock(): LockLocation {
    return lockLocation(this.opts.env ?? process.env);
  }

  /** True while registered with a hub. */
  get connected(): boolean {
    return this.conn !== null;
  }

  /**
   * Our public id, hub id, hub URL and private key while connected. The key stays in this
   * process (the bridge's status leaves it out): it authenticates our calls to the hub.
   */
  get registration(): { selfId: string; hubId: string; hubUrl: string; privateKey: string } | null {
    return this.conn ? { selfId: this.conn.selfId, hubId: this.conn.hubId, hubUrl: this.conn.lock.xmlrpcUrl, privateKey: this.conn.privateKey } : null;
  }

  /** Origin (`http://127.0.0.1:<port>`) of our callback server, which also serves `httpGet` routes. */
  get origin(): string {
    if (!this.server) throw new Error('SAMP client not started');
    return this.server.origin;
  }

  /** Registered peers (the hub included), as last reported by the hub. */
  peerList(): PeerInfo[] {
    return [...this.peers.values()];
  }

  /** Ids of peers whose samp.name equals `name` (case-insensitive, like JSAMP's -targetname). */
  peersNamed(name: string): string[] {
    const want = name.toLowerCase();
    return this.peerList()
      .filter((p) => String(p.metadata['samp.name'] ?? '').toLowerCase() === want)
      .map((p) => p.id);
  }

  /** Start the callback server (idempotent; a closed client stays closed). */
  async start(): Promise<void> {
    if (this.closed) throw new Error('SAMP client closed');
    if (this.server) return;
    const server = await serveXmlRpc({
      handler: (method, params, info) => this.onCallback(method, params, info),
      other: this.opts.httpGet,
      // A message with non-ASCII text gets a SAMP error reply, not a fault its sender never sees.
      strictStrings: false,
      onError: (e) => this.emit('log', `callback error: ${String(e)}`),
    });
    // close() may have run while the server was starting (an auto-connect tick in flight).
    if (this.closed || this.server) await server.close();
    else this.server = server;
    if (this.closed) throw new Error('SAMP client closed');
  }

  /**
   * Register with the hub named by the lockfile. Resolves false when there is no live hub;
   * concurrent calls share one attempt.
   */
  connect(): Promise<boolean> {
    if (this.conn) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    this.connecting ??= this.doConnect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async doConnect(): Promise<boolean> {
    await this.start();
    let lock: LockInfo | null;
    try {
      lock = await readLockfile(this.lock);
    } catch (e) {
      this.emit('log', `lockfile unreadable: ${(e as Error).message}`);
      return false;
    }
    if (!lock) return false;
    const url = lock.xmlrpcUrl;
    const t = { timeoutMs: this.hubTimeoutMs };
    let reg: SampValue;
    try {
      await xmlRpcCall(url, 'samp.hub.ping', [], { timeoutMs: 2000 }).catch((e: unknown) => {
        if (!(e instanceof SampFault)) throw e;
      });
      reg = await xmlRpcCall(url, 'samp.hub.register', [lock.secret], t);
    } catch (e) {
      this.emit('log', `no hub at ${url}: ${(e as Error).message}`);
      return false;
    }
    if (!isMap(reg) || typeof reg['samp.private-key'] !== 'string' || typeof reg['samp.self-id'] !== 'string') {
      this.emit('log', `hub at ${url} returned a bad registration`);
      return false;
    }
    const conn: Connection = {
      lock,
      hubId: String(reg['samp.hub-id'] ?? 'hub'),
      selfId: reg['samp.self-id'],
      privateKey: reg['samp.private-key'],
    };
    const pk = conn.privateKey;
    try {
      await xmlRpcCall(url, 'samp.hub.setXmlrpcCallback', [pk, `${this.origin}/xmlrpc`], t);
      const metadata = typeof this.opts.metadata === 'function' ? this.opts.metadata(this.origin) : this.opts.metadata;
      await xmlRpcCall(url, 'samp.hub.declareMetadata', [pk, metadata], t);
      await xmlRpcCall(url, 'samp.hub.declareSubscriptions', [pk, this.subscriptionMap()], t);
      this.conn = conn;
      this.checkTimeouts = 0;
      await this.refreshPeers();
    } catch (e) {
      this.emit('log', `registration with ${url} failed: ${(e as Error).message}`);
      this.conn = null;
      await xmlRpcCall(url, 'samp.hub.unregister', [pk], { timeoutMs: 2000 }).catch(() => undefined);
      return false;
    }
    this.emit('connected', url);
    const stale = this.staleRegistration;
    this.staleRegistration = null;
    if (stale && stale.hubUrl === url) {
      void xmlRpcCall(url, 'samp.hub.unregister', [stale.privateKey], { timeoutMs: 2000 }).catch(() => undefined);
    }
    return true;
  }

  private subscriptionMap(): SampMap {
    const subs = newMap();
    for (const pattern of Object.keys(this.opts.handlers)) subs[pattern] = newMap();
    subs['samp.app.ping'] = newMap();
    subs['samp.hub.event.*'] = newMap();
    subs['samp.hub.disconnect'] = newMap();
    return subs;
  }

  private async refreshPeers(): Promise<void> {
    const ids = await this.hub('samp.hub.getRegisteredClients', []);
    this.peers.clear();
    this.knownPeers.clear();
    if (!Array.isArray(ids)) return;
    await Promise.all(
      ids.map(async (id) => {
        if (typeof id !== 'string') return;
        await this.loadPeer(id);
      }),
    );
    this.emit('peers');
  }

  /** Re-read one peer's metadata and subscriptions from the hub (events may still be on their way). */
  async refreshPeer(id: string): Promise<PeerInfo | undefined> {
    await this.loadPeer(id);
    return this.peers.get(id);
  }

  /** Load one peer's metadata and subscriptions; concurrent loads of one peer share the calls. */
  private loadPeer(id: string): Promise<void> {
    let load = this.peerLoads.get(id);
    if (!load) {
      load = (async () => {
        // A peer may leave between the event and these calls: a fault then is benign.
        const [metadata, subscriptions] = await Promise.all([
          this.hub('samp.hub.getMetadata', [id]).catch(() => null),
          this.hub('samp.hub.getSubscriptions', [id]).catch(() => null),
        ]);
        if (!this.conn) return;
        this.knownPeers.add(id);
        // Both refused: the peer has already left (its unregister event is on its way).
        if (metadata === null && subscriptions === null) return;
        this.peers.set(id, { id, metadata: isMap(metadata) ? metadata : newMap(), subscriptions: isMap(subscriptions) ? subscriptions : newMap() });
      })().finally(() => this.peerLoads.delete(id));
      this.peerLoads.set(id, load);
    }
    return load;
  }

  /**
   * Call a hub method with our private key first. Nothing listening there drops the connection;
   * a fault about our key makes the client check its registration (and re-register) at once.
   */
  private async hub(method: string, args: SampValue[], timeoutMs = this.hubTimeoutMs): Promise<SampValue> {
    const conn = this.conn;
    if (!conn) throw new SampFault('not connected to a SAMP hub');
    try {
      return await xmlRpcCall(conn.lock.xmlrpcUrl, method, [conn.privateKey, ...args], { timeoutMs });
    } catch (e) {
      if (this.conn === conn) {
        if (e instanceof SampTransportError && e.kind === 'unreachable') this.drop(`hub unreachable: ${e.message}`);
        else if (e instanceof SampFault && UNKNOWN_KEY_RE.test(e.message)) void this.checkRegistration();
      }
      throw e;
    }
  }

  /**
   * Forget the connection locally (no unregister call: the hub is gone, going, or forgot us).
   * `mayStillBeRegistered`: the hub only stopped answering; unregister that key if it comes back.
   */
  private drop(reason: string, mayStillBeRegistered = false): void {
    const conn = this.conn;
    if (!conn) return;
    this.conn = null;
    this.staleRegistration = mayStillBeRegistered ? { hubUrl: conn.lock.xmlrpcUrl, privateKey: conn.privateKey } : null;
    this.peers.clear();
    this.knownPeers.clear();
    for (const [tag, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new SampFault(`disconnected before a response arrived (${reason})`));
      this.pending.delete(tag);
    }
    this.emit('disconnected', reason);
    this.emit('peers');
  }

  /** Unregister from the hub (best effort, 2 s at most). */
  async disconnect(): Promise<void> {
    const conn = this.conn;
    if (!conn) return;
    await xmlRpcCall(conn.lock.xmlrpcUrl, 'samp.hub.unregister', [conn.privateKey], { timeoutMs: 2000 }).catch(() => undefined);
    this.drop('unregistered');
  }

  /**
   * Keep a connection: every `intervalMs`, connect when disconnected, and when connected check that
   * the hub still answers and still owns the lockfile (a hub killed with SIGKILL sends nothing).
   * `onNoHub` runs when no live hub was found (the bridge starts its embedded hub there).
   */
  autoConnect(intervalMs: number, onNoHub?: () => Promise<void>): void {
    this.stopAutoConnect();
    const tick = async (): Promise<void> => {
      if (this.closed) return;
      try {
        if (this.conn) await this.checkRegistration();
        if (!this.conn) {
          const ok = await this.connect();
          if (!ok && onNoHub) {
            await onNoHub();
            await this.connect();
          }
        }
      } catch (e) {
        this.emit('log', `auto-connect: ${(e as Error).message}`);
      }
      if (!this.closed && this.autoTimer) this.autoTimer = setTimeout(() => void tick(), intervalMs);
    };
    this.autoTimer = setTimeout(() => void tick(), 0);
  }

  /** Stop the auto-connect loop. */
  stopAutoConnect(): void {
    if (this.autoTimer) clearTimeout(this.autoTimer);
    this.autoTimer = null;
  }

  /**
   * Is the lockfile still naming our hub, and does the hub still know us? Asked with a keyed call
   * (`getMetadata` of ourselves): a plain ping says the hub is alive, not that we are registered.
   * A hub that forgot us gets a new registration at once; one that no longer answers is dropped.
   */
  checkRegistration(): Promise<void> {
    this.checking ??= this.doCheckRegistration().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async doCheckRegistration(): Promise<void> {
    const conn = this.conn;
    if (!conn) return;
    const lock = await readLockfile(this.lock).catch(() => null);
    if (!lock || lock.secret !== conn.lock.secret || lock.xmlrpcUrl !== conn.lock.xmlrpcUrl) {
      this.drop('the lockfile now names another hub');
      return;
    }
    try {
      await xmlRpcCall(conn.lock.xmlrpcUrl, 'samp.hub.getMetadata', [conn.privateKey, conn.selfId], { timeoutMs: Math.min(this.hubTimeoutMs, 5000) });
      this.checkTimeouts = 0;
    } catch (e) {
      if (this.conn !== conn) return;
      if (e instanceof SampFault) {
        this.drop(`the hub no longer knows this client (${e.message}); registering again`);
        if (!this.closed) await this.connect();
      } else if (e instanceof SampTransportError && e.kind === 'timeout' && ++this.checkTimeouts < MAX_CHECK_TIMEOUTS) {
        this.emit('log', `the hub is slow to answer (${e.message})`);
      } else {
        this.drop(`hub stopped answering: ${(e as Error).message}`, e instanceof SampTransportError && e.kind === 'timeout');
      }
    }
  }

  /** Unregister, stop auto-connect and the callback server. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopAutoConnect();
    await this.disconnect();
    await this.server?.close();
    this.server = null;
  }

  private peerName(id: string): string {
    return String(this.peers.get(id)?.metadata['samp.name'] ?? id);
  }

  private traffic(e: Omit<TrafficEntry, 'atMs' | 'peerName'> & { peerName?: string }): void {
    this.emit('traffic', { atMs: Date.now(), peerName: e.peerName ?? this.peerName(e.peerId), ...e } satisfies TrafficEntry);
  }

  /** Send a notification to one peer. */
  async notify(recipientId: string, msg: SampMessage): Promise<void> {
    try {
      await this.hub('samp.hub.notify', [recipientId, msg]);
      this.traffic({ direction: 'out', mtype: msg['samp.mtype'], peerId: recipientId, status: 'sent', detail: describe(msg) });
    } catch (e) {
      this.traffic({ direction: 'out', mtype: msg['samp.mtype'], peerId: recipientId, status: 'error', detail: (e as Error).message });
      throw e;
    }
  }

  /** Send a notification to every subscribed peer; resolves to the recipients' ids. */
  async notifyAll(msg: SampMessage): Promise<string[]> {
    const ids = await this.hub('samp.hub.notifyAll', [msg]);
    const list = Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
    this.traffic({ direction: 'out', mtype: msg['samp.mtype'], peerId: 'all', peerName: list.map((i) => this.peerName(i)).join(', ') || 'nobody', status: 'sent', detail: describe(msg) });
    return list;
  }

  /** Asynchronous call with a client-side deadline; resolves to the peer's response. */
  async call(recipientId: string, msg: SampMessage, timeoutMs: number): Promise<SampResponse> {
    const tag = `t${this.nextTag++}`;
    const response = new Promise<SampResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(tag);
        reject(new SampNoReplyError(`no response from ${this.peerName(recipientId)} within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`));
      }, timeoutMs);
      this.pending.set(tag, { resolve, reject, timer });
    });
    try {
      await this.hub('samp.hub.call', [recipientId, tag, msg]);
    } catch (e) {
      const p = this.pending.get(tag);
      if (p) clearTimeout(p.timer);
      this.pending.delete(tag);
      this.traffic({ direction: 'out', mtype: msg['samp.mtype'], peerId: recipientId, status: 'error', detail: (e as Error).message });
      throw e;
    }
    const r = await response.catch((e: Error) => {
      this.traffic({ direction: 'out', mtype: msg['samp.mtype'], peerId: recipientId, status: 'error', detail: e.message });
      throw e;
    });
    this.traffic({ direction: 'out', mtype: msg['samp.mtype'], peerId: recipientId, status: r['samp.status'] === 'samp.error' ? 'error' : 'ok', detail: describe(msg) });
    return r;
  }

  /** Synchronous call through the hub (`timeoutS` > 0 always: never wait for ever). */
  async callAndWait(recipientId: string, msg: SampMessage, timeoutS: number): Promise<SampResponse> {
    const secs = Math.max(1, Math.ceil(timeoutS));
    const r = await this.hub('samp.hub.callAndWait', [recipientId, msg, String(secs)], secs * 1000 + 5000);
    if (!isMap(r)) throw new SampFault('callAndWait: the hub returned a non-map response');
    return r as SampResponse;
  }

  private async onCallback(method: string, a: SampValue[], info: CallInfo): Promise<SampValue> {
    const conn = this.conn;
    const key = stringArg(a, 0, method);
    if (!conn || key !== conn.privateKey) throw new SampFault(`${method}: private key not recognised`);
    switch (method) {
      case 'samp.client.receiveNotification': {
        const sender = stringArg(a, 1, method);
        const msg = asMessage(a[2], method);
        await this.handlerSlot();
        setImmediate(() => void this.handle(sender, msg, null, info.badString).finally(() => this.releaseHandlerSlot()));
        return '';
      }
      case 'samp.client.receiveCall': {
        const sender = stringArg(a, 1, method);
        const msgId = stringArg(a, 2, method);
        const msg = asMessage(a[3], method);
        await this.handlerSlot();
        setImmediate(() => void this.handle(sender, msg, msgId, info.badString).finally(() => this.releaseHandlerSlot()));
        return '';
      }
      case 'samp.client.receiveResponse': {
        const tag = stringArg(a, 2, method);
        const response = a[3];
        const p = this.pending.get(tag);
        if (p && isMap(response)) {
          clearTimeout(p.timer);
          this.pending.delete(tag);
          p.resolve(response as SampResponse);
        }
        return '';
      }
      default:
        throw new SampFault(`unknown method "${method}"`);
    }
  }

  /** Wait for a free handler slot: while many messages are being handled, the hub waits for our answer. */
  private handlerSlot(): Promise<void> {
    if (this.activeHandlers < MAX_ACTIVE_HANDLERS) {
      this.activeHandlers++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.handlerSlots.push(resolve));
  }

  private releaseHandlerSlot(): void {
    const next = this.handlerSlots.shift();
    if (next) next();
    else this.activeHandlers--;
  }

  private async handle(senderId: string, msg: SampMessage, msgId: string | null, badString: string | null = null): Promise<void> {
    const mtype = msg['samp.mtype'];
    const params = msg['samp.params'];
    if (senderId === this.conn?.hubId && (mtype.startsWith('samp.hub.event.') || mtype === 'samp.hub.disconnect')) {
      await this.onHubEvent(mtype, params);
      if (msgId) await this.reply(msgId, okResponse(), senderId, mtype);
      return;
    }
    let response: SampResponse;
    const handler = this.findHandler(mtype);
    // A sender that just registered may call before its metadata event reaches us; one that has
    // no samp.name is looked up once, not for every message it sends.
    if (!this.knownPeers.has(senderId)) await this.loadPeer(senderId).catch(() => undefined);
    if (badString !== null) response = errorResponse(`SPICA Companion refused ${mtype}: ${badString}`);
    else if (mtype === 'samp.app.ping') response = okResponse();
    else if (!handler) response = errorResponse(`SPICA Companion does not handle ${mtype}`);
    else {
      try {
        const result = await handler({ senderId, senderName: this.peerName(senderId), mtype, params, isCall: msgId !== null });
        response = okResponse(result ?? newMap());
      } catch (e) {
        response = errorResponse((e as Error).message);
      }
    }
    if (mtype !== 'samp.app.ping' || msgId === null || badString !== null) {
      this.traffic({
        direction: 'in',
        mtype,
        peerId: senderId,
        status: response['samp.status'] === 'samp.error' ? 'error' : 'ok',
        detail: response['samp.status'] === 'samp.error' ? String(response['samp.error']?.['samp.errortxt'] ?? '') : describe(msg),
      });
    }
    if (msgId) await this.reply(msgId, response, senderId, mtype);
  }

  private async reply(msgId: string, response: SampResponse, senderId: string, mtype: string): Promise<void> {
    try {
      await this.hub('samp.hub.reply', [msgId, response as SampMap]);
    } catch (e) {
      this.emit('log', `reply to ${senderId} for ${mtype} failed: ${(e as Error).message}`);
    }
  }

  private findHandler(mtype: string): MessageHandler | undefined {
    let best: string | undefined;
    let bestLevel = -1;
    for (const pattern of Object.keys(this.opts.handlers)) {
      const level = matchLevel(pattern, mtype);
      if (level > bestLevel) {
        best = pattern;
        bestLevel = level;
      }
    }
    return best === undefined ? undefined : this.opts.handlers[best];
  }

  private async onHubEvent(mtype: string, params: SampMap): Promise<void> {
    const id = typeof params.id === 'string' ? params.id : '';
    switch (mtype) {
      case 'samp.hub.event.shutdown':
        this.drop('the hub shut down');
        return;
      case 'samp.hub.disconnect':
        this.drop(`the hub disconnected us${typeof params.reason === 'string' ? `: ${params.reason}` : ''}`);
        return;
      case 'samp.hub.event.register':
        if (id && id !== this.conn?.selfId) this.peers.set(id, { id, metadata: newMap(), subscriptions: newMap() });
        break;
      case 'samp.hub.event.unregister':
        this.peers.delete(id);
        this.knownPeers.delete(id);
        break;
      case 'samp.hub.event.metadata': {
        const p = this.peers.get(id);
        if (p && isMap(params.metadata)) {
          p.metadata = params.metadata;
          this.knownPeers.add(id);
        }
        break;
      }
      case 'samp.hub.event.subscriptions': {
        const p = this.peers.get(id);
        if (p && isMap(params.subscriptions)) p.subscriptions = params.subscriptions;
        break;
      }
      default:
        return;
    }
    if (HUB_EVENTS.includes(mtype)) this.emit('peers');
  }
}

/** A short human description of a message for the traffic log. */
function describe(msg: SampMessage): string {
  const p = msg['samp.params'];
  const parts: string[] = [];
  for (const k of ['name', 'url', 'ra', 'dec']) {
    const v = p[k];
    if (typeof v === 'string') parts.push(`${k}=${v.length > 120 ? `${v.slice(0, 117)}...` : v}`);
  }
  return parts.join(' ');
}
