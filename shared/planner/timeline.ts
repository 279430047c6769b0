/**
 * The slot timeline of a finished plan: which placed option (or kept block) holds each slot. The
 * scheduler fills it (the optimiser's choice, then every option that still fits) and the left-out
 * judge (`left-out.ts`) reads it.
 */
import { SECONDS_PER_DAY } from './intervals';

/** Format an MJD as HH:MM UTC for reasons shown to the observer. */
export function hhmmUtc(mjd: number): string {
  const ms = Math.round((mjd - 40587) * SECONDS_PER_DAY * 1000);
  return new Date(ms).toISOString().slice(11, 16);
}

/** A placed option or fixed stretch on the slot timeline. */
export interface Occupant {
  /** Option index, or −1 for a fixed stretch. */
  option: number;
  pop: number;
  value: number;
  label: string;
  startMjd: number;
  endMjd: number;
}

/** The slot timeline of a finished plan, for the final fill and the left-out reasons. */
export class Timeline {
  readonly owner: Int32Array;
  readonly occupants: Occupant[] = [];
  /** For a free slot, the first slot of its free run, and one past its last; −1 when taken. */
  private runStart: Int32Array;
  private runEnd: Int32Array;
  private isDirty = true;

  constructor(
    readonly slots: number,
    readonly changeSlots: number,
    readonly initialPop: number | null,
  ) {
    this.owner = new Int32Array(slots).fill(-1);
    this.runStart = new Int32Array(slots);
    this.runEnd = new Int32Array(slots);
  }

  /** Put `occupant` on slots `[start, start+len)` (cut to the timeline). */
  occupy(start: number, len: number, occupant: Occupant): void {
    const id = this.occupants.length;
    this.occupants.push(occupant);
    for (let k = Math.max(0, start); k < Math.min(this.slots, start + len); k++) this.owner[k] = id;
    this.isDirty = true;
  }

  /** Recompute the free runs after `occupy`. */
  private runs(): void {
    if (!this.isDirty) return;
    let a = 0;
    for (let k = 0; k <= this.slots; k++) {
      if (k < this.slots && this.owner[k] < 0) continue;
      for (let i = a; i < k; i++) {
        this.runStart[i] = a;
        this.runEnd[i] = k;
      }
      if (k < this.slots) {
        this.runStart[k] = -1;
        this.runEnd[k] = -1;
      }
      a = k + 1;
    }
    this.isDirty = false;
  }

  /** Length (slots) of the longest free run. */
  longestFreeRun(): number {
    this.runs();
    let longest = 0;
    for (let k = 0; k < this.slots; k++) if (this.runStart[k] === k) longest = Math.max(longest, this.runEnd[k] - k);
    return longest;
  }

  /** PoP set of the occupant at slot k (null for none, −1 for "any"). */
  private popAtSlot(k: number): number | null {
    const o = this.owner[k];
    return o < 0 ? null : this.occupants[o].pop;
  }

  /**
   * Whether `[start, start+len)` is free and the PoP changes it needs on either side fit in the
   * free run around it ('too-short' when it is free but the changes do not fit).
   */
  fit(start: number, len: number, pop: number): 'fits' | 'too-short' | 'taken' {
    this.runs();
    const end = start + len;
    if (this.runStart[start] < 0 || this.runEnd[start] < end) return 'taken';
    const a = this.runStart[start];
    const b = this.runEnd[start];
    const left = a > 0 ? this.popAtSlot(a - 1) : this.initialPop;
    const right = b < this.slots ? this.popAtSlot(b) : null;
    const needsLeft = left !== null && left >= 0 && pop >= 0 && left !== pop;
    const needsRight = right !== null && right >= 0 && pop >= 0 && right !== pop;
    if (needsLeft && start - a < this.changeSlots) return 'too-short';
    if (needsRight && b - end < this.changeSlots) return 'too-short';
    return 'fits';
  }

  /** Occupants overlapping `[start, start+len)`. */
  overlapping(start: number, len: number): Occupant[] {
    const out: Occupant[] = [];
    let last = -1;
    for (let k = start; k < Math.min(this.slots, start + len); k++) {
      const o = this.owner[k];
      if (o >= 0 && o !== last && !out.includes(this.occupants[o])) out.push(this.occupants[o]);
      last = o;
    }
    return out;
  }

  /** The free run around slot k (slots), or null when k is taken. */
  freeRun(k: number): [number, number] | null {
    this.runs();
    return this.runStart[k] < 0 ? null : [this.runStart[k], this.runEnd[k]];
  }
}
