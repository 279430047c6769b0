/**
 * One recipient's deliveries at the hub: at most `maxInFlight` callbacks open at once, the rest
 * waiting in order. Senders of new messages first wait for `room()` while `maxQueued` messages are
 * already waiting, so a recipient that is slow to answer slows its senders down (back-pressure,
 * as JSAMP's hub does by writing each delivery from the sender's own request thread) instead of
 * piling up connections until deliveries time out.
 */

export interface DeliveryQueueOptions {
  /** Callbacks open at once to this recipient. */
  maxInFlight: number;
  /** Messages waiting beyond which senders wait for room. */
  maxQueued: number;
}

/** Thrown by `room()` when the recipient made no room in time, or the queue was closed. */
export class NoRoomError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoRoomError';
  }
}

export class DeliveryQueue {
  private inFlight = 0;
  private readonly waiting: Array<{ run: () => Promise<void>; done: () => void }> = [];
  private readonly roomWaiters = new Set<() => void>();
  private closedReason: string | null = null;

  constructor(private readonly opts: DeliveryQueueOptions) {}

  /** Messages waiting or being delivered. */
  get size(): number {
    return this.waiting.length + this.inFlight;
  }

  /** Messages waiting for a free slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Resolve once fewer than `maxQueued` messages wait; reject with `NoRoomError` after
   * `timeoutMs` or when the queue is closed.
   */
  room(timeoutMs: number): Promise<void> {
    if (this.closedReason !== null) return Promise.reject(new NoRoomError(this.closedReason));
    if (this.waiting.length < this.opts.maxQueued) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.roomWaiters.delete(wake);
        if (this.closedReason !== null) reject(new NoRoomError(this.closedReason));
        else resolve();
      };
      const timer = setTimeout(() => {
        this.roomWaiters.delete(wake);
        reject(new NoRoomError(`${this.waiting.length} messages have been waiting for more than ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.roomWaiters.add(wake);
    });
  }

  /** Queue one delivery; resolves when it has run (its own errors are its business). */
  push(task: () => Promise<void>): Promise<void> {
    if (this.closedReason !== null) return Promise.resolve();
    return new Promise((done) => {
      this.waiting.push({ run: () => task().catch(() => undefined).finally(done), done });
      this.pump();
    });
  }

  /** Drop what waits and refuse new work; running deliveries finish on their own. */
  close(reason: string): void {
    this.closedReason = reason;
    for (const w of this.waiting.splice(0)) w.done();
    for (const wake of [...this.roomWaiters]) wake();
  }

  private pump(): void {
    while (this.inFlight < this.opts.maxInFlight && this.waiting.length > 0) {
      const next = this.waiting.shift() as { run: () => Promise<void> };
      this.inFlight++;
      void next.run().finally(() => {
        this.inFlight--;
        this.pump();
      });
      this.wakeSenders();
    }
  }

  private wakeSenders(): void {
    // Wake as many senders as there is room for (a woken sender pushes without checking again).
    let room = this.opts.maxQueued - this.waiting.length;
    for (const wake of [...this.roomWaiters]) {
      if (room-- <= 0) break;
      wake();
    }
  }
}
