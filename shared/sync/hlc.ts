/**
 * Hybrid logical clocks (Kulkarni et al. 2014), in the string form Actual Budget uses
 * (`packages/crdt/src/crdt/timestamp.ts`): `2026-12-07T01:02:03.456Z-0001-0123456789abcdef`, that is
 * the physical millis as ISO 8601, a 4-hex-digit counter within the millisecond, and the 16-hex-digit
 * node id of the installation. Strings compare in causal order, so a per-field last-writer-wins merge
 * is a string comparison. The state lives in the caller (the store persists it in `sync_state`).
 */

/** The parts of one HLC value. */
export interface HlcParts {
  millis: number;
  counter: number;
  node: string;
}

/** Largest counter a timestamp can carry (4 hex digits). */
export const HLC_MAX_COUNTER = 0xffff;

/** Remote clocks further ahead than this are refused by `receive` (the machine's clock is probably wrong). */
export const HLC_MAX_DRIFT_MS = 5 * 60 * 1000;

const HLC_PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9A-F]{4})-([0-9a-f]{16})$/;

/** A node id: 16 lower-case hex digits. */
export function isNodeId(node: string): boolean {
  return /^[0-9a-f]{16}$/.test(node);
}

/** Format HLC parts as the sortable string. */
export function formatHlc(parts: HlcParts): string {
  if (!isNodeId(parts.node)) throw new Error(`HLC: node id "${parts.node}" is not 16 hex digits`);
  if (!Number.isInteger(parts.counter) || parts.counter < 0 || parts.counter > HLC_MAX_COUNTER) {
    throw new Error(`HLC: counter ${parts.counter} is outside 0..${HLC_MAX_COUNTER}`);
  }
  const counter = parts.counter.toString(16).toUpperCase().padStart(4, '0');
  return `${new Date(parts.millis).toISOString()}-${counter}-${parts.node}`;
}

/** Parse an HLC string; throws naming the value when it is not one. */
export function parseHlc(value: string): HlcParts {
  const m = HLC_PATTERN.exec(value);
  if (!m) throw new Error(`HLC: "${value}" is not a hybrid logical clock value`);
  return { millis: Date.parse(m[1]), counter: parseInt(m[2], 16), node: m[3] };
}

/** The clock difference the caller should show ("system clock appears off by …") rather than hide. */
export class ClockDriftError extends Error {
  constructor(readonly driftMs: number) {
    super(`a remote clock is ${Math.round(driftMs / 1000)} s ahead of this machine's clock: check the system time`);
    this.name = 'ClockDriftError';
  }
}

/**
 * One node's clock. `send` stamps a local event, `receive` merges a remote timestamp; both return a
 * value strictly greater than every value this clock produced or saw before.
 */
export class HybridLogicalClock {
  private millis: number;
  private counter: number;

  constructor(
    readonly node: string,
    last: string | null = null,
  ) {
    if (!isNodeId(node)) throw new Error(`HLC: node id "${node}" is not 16 hex digits`);
    const parts = last ? parseHlc(last) : { millis: 0, counter: 0 };
    this.millis = parts.millis;
    this.counter = parts.counter;
  }

  /** The last value produced (or seen), to persist. */
  last(): string {
    return formatHlc({ millis: this.millis, counter: this.counter, node: this.node });
  }

  /** A timestamp for a local event at wall time `nowMs`. */
  send(nowMs: number): string {
    if (nowMs > this.millis) {
      this.millis = nowMs;
      this.counter = 0;
    } else this.bump();
    return this.last();
  }

  /** Merge a remote timestamp seen at wall time `nowMs`; returns the new local value. */
  receive(remote: string, nowMs: number): string {
    const r = parseHlc(remote);
    if (r.millis - nowMs > HLC_MAX_DRIFT_MS) throw new ClockDriftError(r.millis - nowMs);
    const top = Math.max(this.millis, r.millis, nowMs);
    if (top === nowMs && nowMs > this.millis && nowMs > r.millis) {
      this.millis = nowMs;
      this.counter = 0;
    } else if (this.millis === r.millis && top === this.millis) {
      this.counter = Math.max(this.counter, r.counter);
      this.bump();
    } else if (top === this.millis) {
      this.bump();
    } else {
      this.millis = r.millis;
      this.counter = r.counter;
      this.bump();
    }
    return this.last();
  }

  /**
   * Next counter in the same millisecond. Where Actual throws on overflow, this moves the clock
   * one millisecond ahead: a bulk import can stamp more than 65 536 changes within one millisecond
   * of wall time, and the order stays strict either way.
   */
  private bump(): void {
    if (this.counter < HLC_MAX_COUNTER) this.counter++;
    else {
      this.millis++;
      this.counter = 0;
    }
  }
}
