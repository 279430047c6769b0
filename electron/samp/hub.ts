/**
 * An embedded SAMP hub (Standard Profile 1.3 only), so ASPRO2 and friends can meet the companion
 * when no other hub runs. Binds 127.0.0.1, writes the lockfile exclusively with mode 0600 after a
 * liveness check of any existing one, checks the secret and every private key, and sends
 * `samp.hub.event.shutdown` before it stops: JSAMP clients (ASPRO2) only re-register with the next
 * hub after that event.
 *
 * Deliveries go through a bounded queue per recipient (`delivery-queue.ts`): a few callbacks open
 * at once, senders of new messages held back while the queue is full. A recipient that is slow to
 * answer is only slow: it is unregistered when it is unreachable (its callback server refuses
 * connections several times in a row), and then it is sent `samp.hub.disconnect` (best effort)
 * and every other client `samp.hub.event.unregister`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import { DeliveryQueue, NoRoomError } from './delivery-queue';
import { claimLockfile, formatLockfile, readLockfile, releaseLockfileSync, type LockLocation } from './lockfile';
import { matchSubscription } from './subscriptions';
import { SampTransportError, serveXmlRpc, xmlRpcCall, type XmlRpcServer } from './xmlrpc-http';
import {
  SampFault,
  asMessage,
  checkSampString,
  isMap,
  mapArg,
  newMap,
  okResponse,
  stringArg,
  toSampText,
  type SampMap,
  type SampMessage,
  type SampValue,
} from './values';

/** Public id of the hub as a client. */
export const HUB_ID = 'hub';

interface HubClientState {
  id: string;
  privateKey: string;
  metadata: SampMap;
  subscriptions: SampMap;
  callbackUrl: string | null;
  queue: DeliveryQueue;
  /** Deliveries refused in a row (nothing listening): the client may be gone. */
  unreachableStreak: number;
  /** Deliveries that got no answer in time (logged sparsely: slow is not dead). */
  timeouts: number;
}

interface PendingCall {
  senderId: string;
  recipientId: string;
  msgTag: string;
  /** Present for callAndWait: settles the waiting HTTP request. */
  settle?: (response: SampMap) => void;
}

export interface HubOptions {
  /** Where to write the lockfile (must be a local file). */
  lock: LockLocation;
  /** Per-delivery timeout for hub → client callbacks (a timeout never unregisters a client). */
  deliveryTimeoutMs?: number;
  /** Callbacks open at once to one recipient. */
  maxInFlight?: number;
  /** Messages waiting for one recipient beyond which senders are held back. */
  maxQueued?: number;
  /** How long a sender is held back before its message is refused with a fault. */
  roomTimeoutMs?: number;
  /** Longest callAndWait the hub honours, seconds (JSAMP: 12 h). */
  maxCallTimeoutS?: number;
  /** Most callAndWait calls pending at once (JSAMP: 100). */
  maxWaiters?: number;
  /** Largest XML-RPC request accepted. */
  maxBodyBytes?: number;
  /** Refused deliveries in a row after which a client is unregistered as unreachable. */
  unreachableLimit?: number;
}

/** Thrown by `start()` when the lockfile cannot be written (bad `SAMP_HUB` path, a directory, no permission). */
export class LockfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockfileError';
  }
}

/** Thrown by `start()` when a live hub already owns the lockfile. */
export class HubRunningError extends Error {
  constructor(where: string) {
    super(`a SAMP hub is already running (lockfile ${where})`);
    this.name = 'HubRunningError';
  }
}

function randomKey(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Ping the hub named by a lockfile; false for refused, timed out or non-XML-RPC answers. */
export async function pingHub(xmlrpcUrl: string, timeoutMs = 1500): Promise<boolean> {
  try {
    await xmlRpcCall(xmlrpcUrl, 'samp.hub.ping', [], { timeoutMs });
    return true;
  } catch (e) {
    // A fault is still an XML-RPC answer from a live server (some hubs want ping(pk)).
    return e instanceof SampFault;
  }
}

/**
 * The hub. Events: `log` (text), `clients` (after any registration change).
 */
export class SampHub extends EventEmitter {
  readonly secret = randomKey(16);
  private server: XmlRpcServer | null = null;
  private readonly clients = new Map<string, HubClientState>();
  private readonly byKey = new Map<string, HubClientState>();
  private readonly pending = new Map<string, PendingCall>();
  private waiters = 0;
  private nextClient = 1;
  private nextMsg = 1;
  private stopping: Promise<void> | null = null;
  private lockPath = '';
  private readonly opts: Required<Omit<HubOptions, 'lock'>> & { lock: LockLocation };

  constructor(opts: HubOptions) {
    super();
    this.opts = {
      deliveryTimeoutMs: 10_000,
      // JSAMP has no limit at all (a thread per delivery); 16 keeps a burst flowing to a client
      // that answers at once without opening hundreds of sockets to one that does not.
      maxInFlight: 16,
      maxQueued: 512,
      roomTimeoutMs: 30_000,
      maxCallTimeoutS: 12 * 3600,
      maxWaiters: 100,
      maxBodyBytes: 8 * 1024 * 1024,
      unreachableLimit: 3,
      ...opts,
    };
    const hub = this.newClientState(HUB_ID, randomKey(16));
    hub.metadata = {
      'samp.name': 'SPICA Companion Hub',
      'samp.description.text': 'SAMP hub embedded in SPICA Companion (Standard Profile 1.3)',
    };
    hub.subscriptions = { 'samp.app.ping': newMap() };
    this.clients.set(hub.id, hub);
    this.byKey.set(hub.privateKey, hub);
  }

  private newClientState(id: string, privateKey: string): HubClientState {
    return {
      id,
      privateKey,
      metadata: newMap(),
      subscriptions: newMap(),
      callbackUrl: null,
      queue: new DeliveryQueue({ maxInFlight: this.opts.maxInFlight, maxQueued: this.opts.maxQueued }),
      unreachableStreak: 0,
      timeouts: 0,
    };
  }

  /** The hub's XML-RPC URL once started. */
  get url(): string {
    if (!this.server) throw new Error('hub not started');
    return `${this.server.origin}/xmlrpc`;
  }

  /** Ids of registered clients, the hub's own included. */
  clientIds(): string[] {
    return [...this.clients.keys()];
  }

  /** Metadata of a registered client. */
  metadataOf(id: string): SampMap | undefined {
    return this.clients.get(id)?.metadata;
  }

  /**
   * Start serving and claim the lockfile. Rejects with `HubRunningError` when a live hub owns it;
   * a lockfile whose hub does not answer is replaced.
   */
  async start(): Promise<void> {
    if (this.opts.lock.kind !== 'file') throw new Error('the embedded hub needs a file lockfile location');
    this.lockPath = this.opts.lock.path;
    await checkLockPath(this.lockPath);
    const existing = await readLockfile(this.opts.lock).catch(() => null);
    if (existing && (await pingHub(existing.xmlrpcUrl))) throw new HubRunningError(this.lockPath);
    const server = await serveXmlRpc({
      handler: (method, params) => this.dispatch(method, params),
      maxBodyBytes: this.opts.maxBodyBytes,
      onError: (e) => this.log(`internal error: ${String(e)}`),
    });
    this.server = server;
    try {
      await this.claim();
    } catch (e) {
      // Never leave a listening socket behind a failed start.
      this.server = null;
      await server.close();
      throw e;
    }
    this.log(`hub listening at ${this.url}, lockfile ${this.lockPath}`);
  }

  private async claim(): Promise<void> {
    const text = formatLockfile(this.secret, this.url, new Date());
    if (await claimLockfileOrExplain(this.lockPath, text)) return;
    // Another file appeared or a stale one is there: look again before overwriting.
    const again = await readLockfile(this.opts.lock).catch(() => null);
    if (again && (await pingHub(again.xmlrpcUrl))) throw new HubRunningError(this.lockPath);
    this.log(`replacing stale lockfile ${this.lockPath}`);
    await fs.rm(this.lockPath, { force: true }).catch((e: NodeJS.ErrnoException) => {
      throw new LockfileError(`cannot replace the SAMP lockfile ${this.lockPath}: ${e.code ?? e.message}`);
    });
    if (!(await claimLockfileOrExplain(this.lockPath, text))) throw new HubRunningError(this.lockPath);
  }

  /** Send `samp.hub.event.shutdown` (awaited, capped), stop serving, release the lockfile. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.server) return;
      const shutdown: SampMessage = { 'samp.mtype': 'samp.hub.event.shutdown', 'samp.params': newMap() };
      // Straight to each client, ahead of whatever its queue still holds.
      const deliveries = this.subscribers(shutdown['samp.mtype'], HUB_ID).map((r) => {
        r.queue.close('hub shutting down');
        return this.send(r, 'samp.client.receiveNotification', [HUB_ID, shutdown], undefined, 2000);
      });
      await Promise.race([Promise.allSettled(deliveries), new Promise((r) => setTimeout(r, 2500))]);
      for (const c of this.clients.values()) c.queue.close('hub shutting down');
      for (const p of this.pending.values()) p.settle?.(errorMap('hub shutting down'));
      this.pending.clear();
      releaseLockfileSync(this.lockPath, this.secret);
      await this.server.close();
      this.server = null;
      this.log('hub stopped');
    })();
    return this.stopping;
  }

  /** Last-resort synchronous cleanup for process exit paths that cannot await. */
  releaseLockfileNow(): void {
    if (this.lockPath) releaseLockfileSync(this.lockPath, this.secret);
  }

  private log(text: string): void {
    this.emit('log', text);
  }

  private caller(args: SampValue[], method: string): HubClientState {
    const key = stringArg(args, 0, method);
    const client = this.byKey.get(key);
    if (!client || client.id === HUB_ID) throw new SampFault(`${method}: unknown private key`);
    return client;
  }

  private client(id: string, method: string): HubClientState {
    const c = this.clients.get(id);
    if (!c) throw new SampFault(`${method}: no registered client with id "${id}"`);
    return c;
  }

  private async dispatch(method: string, a: SampValue[]): Promise<SampValue> {
    if (this.stopping) throw new SampFault('hub is shutting down');
    switch (method) {
      case 'samp.hub.ping':
        return '';
      case 'samp.hub.register':
        return this.register(stringArg(a, 0, method));
      case 'samp.hub.unregister':
        this.unregister(this.caller(a, method));
        return '';
      case 'samp.hub.setXmlrpcCallback': {
        const c = this.caller(a, method);
        const url = stringArg(a, 1, method);
        if (!/^https?:\/\//.test(url)) throw new SampFault(`${method}: "${url}" is not an http URL`);
        c.callbackUrl = url;
        return '';
      }
      case 'samp.hub.declareMetadata': {
        const c = this.caller(a, method);
        c.metadata = mapArg(a, 1, method);
        this.hubEvent('samp.hub.event.metadata', { id: c.id, metadata: c.metadata });
        return '';
      }
      case 'samp.hub.getMetadata':
        this.caller(a, method);
        return this.client(stringArg(a, 1, method), method).metadata;
      case 'samp.hub.declareSubscriptions': {
        const c = this.caller(a, method);
        const subs = mapArg(a, 1, method);
        if (!c.callbackUrl) throw new SampFault(`${method}: client is not callable (call setXmlrpcCallback first)`);
        for (const k of Object.keys(subs)) {
          if (!isMap(subs[k])) throw new SampFault(`${method}: annotation of "${k}" must be a map`);
        }
        c.subscriptions = subs;
        this.hubEvent('samp.hub.event.subscriptions', { id: c.id, subscriptions: subs });
        return '';
      }
      case 'samp.hub.getSubscriptions':
        this.caller(a, method);
        return this.client(stringArg(a, 1, method), method).subscriptions;
      case 'samp.hub.getRegisteredClients': {
        const c = this.caller(a, method);
        return [...this.clients.keys()].filter((id) => id !== c.id);
      }
      case 'samp.hub.getSubscribedClients': {
        const c = this.caller(a, method);
        const mtype = stringArg(a, 1, method);
        const out = newMap();
        for (const other of this.clients.values()) {
          if (other.id === c.id) continue;
          const ann = matchSubscription(other.subscriptions, mtype);
          if (ann) out[other.id] = ann;
        }
        return out;
      }
      case 'samp.hub.notify': {
        const c = this.caller(a, method);
        const recipient = this.client(stringArg(a, 1, method), method);
        const msg = asMessage(a[2], method);
        this.checkSubscribed(recipient, msg, method);
        await this.room(recipient, method);
        this.deliverNotification(c.id, recipient, msg);
        return '';
      }
      case 'samp.hub.notifyAll': {
        const c = this.caller(a, method);
        const msg = asMessage(a[1], method);
        const ids: string[] = [];
        for (const r of this.subscribers(msg['samp.mtype'], c.id)) {
          if (!(await this.room(r, method, false))) continue;
          ids.push(r.id);
          this.deliverNotification(c.id, r, msg);
        }
        return ids;
      }
      case 'samp.hub.call': {
        const c = this.caller(a, method);
        const recipient = this.client(stringArg(a, 1, method), method);
        const tag = stringArg(a, 2, method);
        const msg = asMessage(a[3], method);
        if (!c.callbackUrl) throw new SampFault(`${method}: caller is not callable, it could not receive the response`);
        this.checkSubscribed(recipient, msg, method);
        await this.room(recipient, method);
        return this.startCall(c, recipient, tag, msg);
      }
      case 'samp.hub.callAll': {
        const c = this.caller(a, method);
        const tag = stringArg(a, 1, method);
        const msg = asMessage(a[2], method);
        if (!c.callbackUrl) throw new SampFault(`${method}: caller is not callable, it could not receive the response`);
        const out = newMap();
        for (const r of this.subscribers(msg['samp.mtype'], c.id)) {
          if (await this.room(r, method, false)) out[r.id] = this.startCall(c, r, tag, msg);
        }
        return out;
      }
      case 'samp.hub.callAndWait':
        return this.callAndWait(a, method);
      case 'samp.hub.reply': {
        const c = this.caller(a, method);
        this.reply(c, stringArg(a, 1, method), mapArg(a, 2, method), method);
        return '';
      }
      default:
        throw new SampFault(`unknown method "${method}"`);
    }
  }

  /**
   * Hold a sender back until `r`'s queue has room (back-pressure). When it stays full, refuse the
   * message with a fault (`orThrow`) or skip that recipient (broadcasts): the recipient stays
   * registered either way.
   */
  private async room(r: HubClientState, method: string, orThrow = true): Promise<boolean> {
    if (r.id === HUB_ID) return true;
    try {
      await r.queue.room(this.opts.roomTimeoutMs);
    } catch (e) {
      if (!(e instanceof NoRoomError)) throw e;
      this.log(`${method}: ${r.id} is not keeping up (${e.message}); message refused`);
      if (orThrow) throw new SampFault(`${method}: ${r.id} is busy (${e.message}); the message was not sent, try again later`);
      return false;
    }
    if (this.clients.get(r.id) !== r) {
      if (orThrow) throw new SampFault(`${method}: client ${r.id} unregistered meanwhile`);
      return false;
    }
    return true;
  }

  private register(secret: string): SampMap {
    if (!sameSecret(secret, this.secret)) throw new SampFault('samp.hub.register: bad secret');
    const c = this.newClientState(`c${this.nextClient++}`, `k${randomKey(16)}`);
    this.clients.set(c.id, c);
    this.byKey.set(c.privateKey, c);
    this.hubEvent('samp.hub.event.register', { id: c.id });
    this.emit('clients');
    return { 'samp.hub-id': HUB_ID, 'samp.self-id': c.id, 'samp.private-key': c.privateKey };
  }

  private unregister(c: HubClientState): void {
    if (!this.clients.delete(c.id)) return;
    this.byKey.delete(c.privateKey);
    c.queue.close(`client ${c.id} unregistered`);
    // Calls still waiting on this client will never be answered.
    for (const [msgId, p] of this.pending) {
      if (p.recipientId === c.id) {
        this.pending.delete(msgId);
        p.settle?.(errorMap(`recipient ${c.id} unregistered before replying`));
      } else if (p.senderId === c.id && !p.settle) this.pending.delete(msgId);
    }
    this.hubEvent('samp.hub.event.unregister', { id: c.id });
    this.emit('clients');
  }

  private checkSubscribed(recipient: HubClientState, msg: SampMessage, method: string): void {
    if (!matchSubscription(recipient.subscriptions, msg['samp.mtype'])) {
      throw new SampFault(`${method}: client ${recipient.id} is not subscribed to ${msg['samp.mtype']}`);
    }
  }

  private subscribers(mtype: string, exceptId: string): HubClientState[] {
    return [...this.clients.values()].filter((r) => r.id !== exceptId && matchSubscription(r.subscriptions, mtype));
  }

  private startCall(sender: HubClientState, recipient: HubClientState, tag: string, msg: SampMessage): string {
    const msgId = `${sender.id}_${this.nextMsg++}_${randomKey(6)}`;
    this.pending.set(msgId, { senderId: sender.id, recipientId: recipient.id, msgTag: tag });
    this.deliverCall(sender.id, recipient, msgId, msg);
    return msgId;
  }

  private async callAndWait(a: SampValue[], method: string): Promise<SampMap> {
    const c = this.caller(a, method);
    const recipient = this.client(stringArg(a, 1, method), method);
    const msg = asMessage(a[2], method);
    const timeoutText = stringArg(a, 3, method);
    const timeoutS = Number(timeoutText);
    if (!/^\s*[+-]?\d+\s*$/.test(timeoutText)) throw new SampFault(`${method}: timeout "${timeoutText}" is not a SAMP int`);
    this.checkSubscribed(recipient, msg, method);
    if (this.waiters >= this.opts.maxWaiters) throw new SampFault(`${method}: too many pending synchronous calls`);
    await this.room(recipient, method);
    const limitS = timeoutS > 0 ? Math.min(timeoutS, this.opts.maxCallTimeoutS) : this.opts.maxCallTimeoutS;
    const msgId = `${c.id}_S${this.nextMsg++}_${randomKey(6)}`;
    this.waiters++;
    try {
      return await new Promise<SampMap>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending.delete(msgId);
          reject(new SampFault(`${method}: no reply from ${recipient.id} within ${limitS} s`));
        }, limitS * 1000);
        this.pending.set(msgId, {
          senderId: c.id,
          recipientId: recipient.id,
          msgTag: '',
          settle: (response) => {
            clearTimeout(timer);
            resolve(response);
          },
        });
        this.deliverCall(c.id, recipient, msgId, msg);
      });
    } finally {
      this.waiters--;
    }
  }

  private reply(replier: HubClientState, msgId: string, response: SampMap, method: string): void {
    const p = this.pending.get(msgId);
    if (!p) throw new SampFault(`${method}: no pending call with id "${msgId}" (already answered or timed out)`);
    if (p.recipientId !== replier.id) throw new SampFault(`${method}: call "${msgId}" was not sent to ${replier.id}`);
    this.pending.delete(msgId);
    if (p.settle) {
      p.settle(response);
      return;
    }
    const sender = this.clients.get(p.senderId);
    if (!sender) return;
    if (sender.id === HUB_ID) return;
    this.deliver(sender, 'samp.client.receiveResponse', [replier.id, p.msgTag, response]);
  }

  /** Messages addressed to the hub itself: it answers pings. */
  private handleOwn(senderId: string, msgId: string | null, msg: SampMessage): void {
    if (msgId === null) return;
    setImmediate(() => {
      const response: SampMap = msg['samp.mtype'] === 'samp.app.ping' ? (okResponse() as SampMap) : errorMap(`hub does not handle ${msg['samp.mtype']}`);
      const p = this.pending.get(msgId);
      if (!p || p.senderId !== senderId) return;
      this.pending.delete(msgId);
      if (p.settle) p.settle(response);
      else {
        const sender = this.clients.get(senderId);
        if (sender) this.deliver(sender, 'samp.client.receiveResponse', [HUB_ID, p.msgTag, response]);
      }
    });
  }

  private deliverNotification(senderId: string, r: HubClientState, msg: SampMessage): void {
    if (r.id === HUB_ID) return this.handleOwn(senderId, null, msg);
    this.deliver(r, 'samp.client.receiveNotification', [senderId, msg]);
  }

  private deliverCall(senderId: string, r: HubClientState, msgId: string, msg: SampMessage): void {
    if (r.id === HUB_ID) return this.handleOwn(senderId, msgId, msg);
    this.deliver(r, 'samp.client.receiveCall', [senderId, msgId, msg], () => {
      // The recipient never got the call: answer the sender now rather than let it wait.
      const p = this.pending.get(msgId);
      if (!p) return;
      this.pending.delete(msgId);
      const failure = errorMap(`could not deliver the call to ${r.id}`);
      if (p.settle) p.settle(failure);
      else {
        const sender = this.clients.get(senderId);
        if (sender && sender.id !== HUB_ID) this.deliver(sender, 'samp.client.receiveResponse', [r.id, p.msgTag, failure]);
      }
    });
  }

  /** Queue a callback to a client (fire-and-forget, as JSAMP does); resolves once it has run. */
  private deliver(r: HubClientState, method: string, args: SampValue[], onFail?: () => void, timeoutMs?: number): Promise<void> {
    return r.queue.push(() => this.send(r, method, args, onFail, timeoutMs));
  }

  /**
   * Make one callback. A refused connection counts toward unregistering the client; a timeout
   * does not (the message may well have arrived: the recipient is busy, not gone), and a call is
   * only failed back to its sender when it surely did not arrive.
   */
  private async send(r: HubClientState, method: string, args: SampValue[], onFail?: () => void, timeoutMs?: number): Promise<void> {
    if (!r.callbackUrl) {
      onFail?.();
      return;
    }
    try {
      await xmlRpcCall(r.callbackUrl, method, [r.privateKey, ...args], { timeoutMs: timeoutMs ?? this.opts.deliveryTimeoutMs });
      r.unreachableStreak = 0;
    } catch (e) {
      if (e instanceof SampTransportError && e.kind === 'timeout') {
        if (r.timeouts++ % 50 === 0) this.log(`${method} to ${r.id} got no answer in time (${r.timeouts} so far; a slow client stays registered)`);
        return;
      }
      onFail?.();
      if (!(e instanceof SampTransportError && e.kind === 'unreachable')) {
        this.log(`${method} to ${r.id} failed: ${(e as Error).message}`);
        return;
      }
      r.unreachableStreak++;
      this.log(`${method} to ${r.id} failed: ${(e as Error).message} (${r.unreachableStreak} in a row)`);
      if (r.unreachableStreak >= this.opts.unreachableLimit && this.clients.get(r.id) === r && !this.stopping) {
        this.eject(r, `its callback server at ${r.callbackUrl} refused ${r.unreachableStreak} deliveries in a row`);
      }
    }
  }

  /**
   * Unregister a client that cannot be reached. It is sent `samp.hub.disconnect` as the standard
   * says (best effort: it is most likely gone), and the others `samp.hub.event.unregister`.
   */
  private eject(r: HubClientState, reason: string): void {
    this.log(`unregistering ${r.id} (${String(r.metadata['samp.name'] ?? 'no name')}): ${reason}`);
    if (r.callbackUrl && matchSubscription(r.subscriptions, 'samp.hub.disconnect')) {
      const msg: SampMessage = { 'samp.mtype': 'samp.hub.disconnect', 'samp.params': { reason: toSampText(reason) } };
      void xmlRpcCall(r.callbackUrl, 'samp.client.receiveNotification', [r.privateKey, HUB_ID, msg], { timeoutMs: 2000 }).catch(() => undefined);
    }
    this.unregister(r);
  }

  private hubEvent(mtype: string, params: SampMap): void {
    this.broadcastFromHub({ 'samp.mtype': mtype, 'samp.params': params });
  }

  private broadcastFromHub(msg: SampMessage): void {
    checkSampString(msg['samp.mtype'], 'hub event');
    for (const r of this.subscribers(msg['samp.mtype'], HUB_ID)) void this.deliver(r, 'samp.client.receiveNotification', [HUB_ID, msg]);
  }
}

function errorMap(text: string): SampMap {
  return { 'samp.status': 'samp.error', 'samp.error': { 'samp.errortxt': text } };
}

/** Refuse a lockfile path that cannot be a file before anything listens (a directory, say). */
async function checkLockPath(file: string): Promise<void> {
  const stat = await fs.stat(file).catch(() => null);
  if (stat && !stat.isFile()) {
    throw new LockfileError(`the SAMP lockfile ${file} is ${stat.isDirectory() ? 'a directory' : 'not a regular file'} (check SAMP_HUB)`);
  }
}

/** `claimLockfile`, with a clear error when the file cannot be created at all. */
async function claimLockfileOrExplain(file: string, text: string): Promise<boolean> {
  try {
    return await claimLockfile(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new LockfileError(`cannot create the SAMP lockfile ${file}: ${why} (check SAMP_HUB)`);
  }
}
