/**
 * Mutations of FITS files for the fuzz suite: bit flips, header values set to hostile numbers
 * (negative PCOUNT/GCOUNT, counts past 2^31 or 2^53, non-integers), TFORM/TDIM nonsense, CONTINUE
 * floods, missing END, truncation, duplicated or dropped blocks, trailing garbage. Headers are
 * located by a naive block scan written here, independent of the reader under test.
 */
import type { Rng } from './rng';

const BLOCK = 2880;
const CARD = 80;

interface HeaderSpan {
  /** Offset of the first card. */
  start: number;
  /** Offset of the END card, or -1 when none was found. */
  end: number;
}

function ascii(bytes: Uint8Array, from: number, length: number): string {
  let s = '';
  for (let i = from; i < from + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** Header spans found by scanning block starts for SIMPLE/XTENSION and cards up to END. */
export function findHeaders(bytes: Uint8Array): HeaderSpan[] {
  const out: HeaderSpan[] = [];
  for (let b = 0; b + CARD <= bytes.length; b += BLOCK) {
    const first = ascii(bytes, b, 9);
    if (first !== 'SIMPLE  =' && first !== 'XTENSION=') continue;
    let end = -1;
    for (let c = b; c + CARD <= bytes.length; c += CARD) {
      if (ascii(bytes, c, 8) === 'END     ') {
        end = c;
        break;
      }
    }
    out.push({ start: b, end });
  }
  return out;
}

/** Cards (offset, keyword) of a header span. */
function cardsOf(bytes: Uint8Array, h: HeaderSpan): Array<{ at: number; key: string }> {
  const last = h.end < 0 ? Math.min(bytes.length, h.start + BLOCK) : h.end;
  const out: Array<{ at: number; key: string }> = [];
  for (let c = h.start; c + CARD <= last; c += CARD) out.push({ at: c, key: ascii(bytes, c, 8).trimEnd() });
  return out;
}

function writeCard(bytes: Uint8Array, at: number, text: string): void {
  const card = text.slice(0, CARD).padEnd(CARD, ' ');
  for (let i = 0; i < CARD && at + i < bytes.length; i++) bytes[at + i] = card.charCodeAt(i) & 0xff;
}

const HOSTILE_INTS = ['-1', '-2', '-2880', '-5926', '0', '1', '2', '7', '999', '1000', '2147483647', '2147483648', '4294967296', '9007199254740993', '-9007199254740993', '1E300', '-1E300', '1.5', "'abc'", 'T', '', 'NAN'];
const HOSTILE_TFORMS = ["'9999999999D'", "'-1J'", "'0D'", "'1PE(5)'", "'1QD(3)'", "'4X'", "'D'", "'999999999999999999999E'", "'16A'", "'2K'", "'Z'", "''", "'1M'", "'3C'"];
const HOSTILE_TDIMS = ["'(2,3)'", "'(0,0)'", "'(99999,99999)'", "'(-1)'", "'()'", "'(a,b)'", "'(1,1,1,1,1,1,1,1,1,1)'"];
const STRUCTURAL = /^(BITPIX|NAXIS\d*|PCOUNT|GCOUNT|TFIELDS|THEAP|TSCAL\d+|TZERO\d+|OI_REVN|NWAVE|NDATA)$/;

function mutateCardValue(bytes: Uint8Array, r: Rng): string {
  const headers = findHeaders(bytes);
  if (headers.length === 0) return flip(bytes, r);
  const h = r.pick(headers);
  const cards = cardsOf(bytes, h).filter((c) => STRUCTURAL.test(c.key) || /^T(FORM|DIM)\d+$/.test(c.key) || /^(EXTNAME|INSNAME|ARRNAME|CONTENT|XTENSION|SIMPLE)$/.test(c.key));
  if (cards.length === 0) return flip(bytes, r);
  const card = r.pick(cards);
  const value = /^TFORM/.test(card.key) ? r.pick(HOSTILE_TFORMS)
    : /^TDIM/.test(card.key) ? r.pick(HOSTILE_TDIMS)
    : /^(EXTNAME|INSNAME|ARRNAME|CONTENT|XTENSION)$/.test(card.key) ? r.pick(["'OI_VIS2'", "'OI_TARGET'", "'OI_WAVELENGTH'", "'BINTABLE'", "'IMAGE'", "''", '5', "'OIFITS2'"])
    : r.pick(HOSTILE_INTS);
  writeCard(bytes, card.at, `${card.key.padEnd(8, ' ')}= ${value.padStart(20, ' ')}`);
  return `card ${card.key}=${value} in header at ${h.start}`;
}

/** The freezing case of issue #18: PCOUNT/GCOUNT so negative that the next HDU starts at or before this header. */
function mutateLoop(bytes: Uint8Array, r: Rng): string {
  const headers = findHeaders(bytes).filter((h) => h.start > 0 && h.end > 0);
  if (headers.length === 0) return mutateCardValue(bytes, r);
  const h = r.pick(headers);
  const cards = cardsOf(bytes, h);
  const get = (k: string) => {
    const c = cards.find((x) => x.key === k);
    return c ? Number(ascii(bytes, c.at + 10, 20).trim()) : NaN;
  };
  const headerBytes = Math.ceil((h.end + CARD - h.start) / BLOCK) * BLOCK;
  const back = headerBytes + r.pick([0, 0, BLOCK, 2 * BLOCK]);
  const main = get('NAXIS1') * get('NAXIS2');
  if (r.chance(0.5)) {
    const pc = cards.find((x) => x.key === 'PCOUNT');
    if (!pc || !Number.isFinite(main)) return mutateCardValue(bytes, r);
    writeCard(bytes, pc.at, `PCOUNT  = ${String(-(main + back)).padStart(20, ' ')}`);
    return `loop: PCOUNT=${-(main + back)} in header at ${h.start}`;
  }
  const gc = cards.find((x) => x.key === 'GCOUNT');
  if (!gc) return mutateCardValue(bytes, r);
  const g = r.pick([-1, -2, -100]);
  writeCard(bytes, gc.at, `GCOUNT  = ${String(g).padStart(20, ' ')}`);
  return `loop: GCOUNT=${g} in header at ${h.start}`;
}

function flip(bytes: Uint8Array, r: Rng): string {
  const n = r.range(1, 16);
  for (let i = 0; i < n; i++) {
    const at = r.int(bytes.length);
    bytes[at] ^= 1 << r.int(8);
  }
  return `flip ${n} bits`;
}

function headerBytes(bytes: Uint8Array, r: Rng): string {
  const headers = findHeaders(bytes);
  if (headers.length === 0) return flip(bytes, r);
  const h = r.pick(headers);
  const span = (h.end < 0 ? BLOCK : h.end - h.start + CARD);
  const n = r.range(1, 8);
  for (let i = 0; i < n; i++) bytes[h.start + r.int(span)] = r.chance(0.5) ? r.range(0x20, 0x7e) : r.int(256);
  return `overwrite ${n} header bytes at ${h.start}`;
}

function removeEnd(bytes: Uint8Array, r: Rng): string {
  const headers = findHeaders(bytes).filter((h) => h.end >= 0);
  if (headers.length === 0) return flip(bytes, r);
  const h = r.pick(headers);
  writeCard(bytes, h.end, r.chance(0.5) ? '' : 'ENDX');
  return `END removed in header at ${h.start}`;
}

function continueFlood(bytes: Uint8Array, r: Rng): string {
  const headers = findHeaders(bytes).filter((h) => h.end >= 0);
  if (headers.length === 0) return flip(bytes, r);
  const h = r.pick(headers);
  // Turn every card after the first few into a chained long string, up to END.
  const from = h.start + CARD * r.range(3, 8);
  writeCard(bytes, from, "LONGSTR = 'x&'");
  let n = 0;
  for (let c = from + CARD; c < h.end; c += CARD, n++) writeCard(bytes, c, "CONTINUE  'yyyyyyyyyyyyyyyyyyyy&'");
  return `CONTINUE flood of ${n} cards in header at ${h.start}`;
}

function truncate(bytes: Uint8Array, r: Rng): Uint8Array {
  const at = r.chance(0.3) ? Math.floor(r.int(bytes.length) / BLOCK) * BLOCK + r.pick([0, 1, -1, CARD]) : r.int(bytes.length);
  return bytes.subarray(0, Math.max(0, Math.min(bytes.length, at)));
}

function blocks(bytes: Uint8Array, r: Rng): { bytes: Uint8Array; what: string } {
  const count = Math.floor(bytes.length / BLOCK);
  if (count < 2) return { bytes, what: flip(bytes, r) };
  const i = r.int(count);
  const block = bytes.slice(i * BLOCK, (i + 1) * BLOCK);
  const op = r.pick(['dup', 'drop', 'swap', 'zero'] as const);
  if (op === 'dup') return { bytes: concat(bytes.subarray(0, i * BLOCK), block, bytes.subarray(i * BLOCK)), what: `duplicate block ${i}` };
  if (op === 'drop') return { bytes: concat(bytes.subarray(0, i * BLOCK), bytes.subarray((i + 1) * BLOCK)), what: `drop block ${i}` };
  if (op === 'zero') {
    bytes.fill(0, i * BLOCK, (i + 1) * BLOCK);
    return { bytes, what: `zero block ${i}` };
  }
  const j = r.int(count);
  bytes.copyWithin(i * BLOCK, j * BLOCK, (j + 1) * BLOCK);
  bytes.set(block, j * BLOCK);
  return { bytes, what: `swap blocks ${i} and ${j}` };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Apply one random mutation (or a combination of two or three) to a copy of `base`. */
export function mutateFits(base: Uint8Array, r: Rng): { bytes: Uint8Array; what: string } {
  let bytes: Uint8Array = base.slice();
  const steps = r.chance(0.2) ? r.range(2, 3) : 1;
  const what: string[] = [];
  for (let s = 0; s < steps; s++) {
    const op = r.pick(['flip', 'header', 'card', 'card', 'card', 'loop', 'end', 'continue', 'truncate', 'blocks', 'garbage'] as const);
    switch (op) {
      case 'flip':
        what.push(flip(bytes, r));
        break;
      case 'header':
        what.push(headerBytes(bytes, r));
        break;
      case 'card':
        what.push(mutateCardValue(bytes, r));
        break;
      case 'loop':
        what.push(mutateLoop(bytes, r));
        break;
      case 'end':
        what.push(removeEnd(bytes, r));
        break;
      case 'continue':
        what.push(continueFlood(bytes, r));
        break;
      case 'truncate': {
        bytes = truncate(bytes, r).slice();
        what.push(`truncate to ${bytes.length} bytes`);
        break;
      }
      case 'blocks': {
        const b = blocks(bytes, r);
        bytes = b.bytes;
        what.push(b.what);
        break;
      }
      case 'garbage': {
        const tail = new Uint8Array(r.range(1, 12_000));
        for (let i = 0; i < tail.length; i++) tail[i] = r.int(256);
        bytes = concat(bytes, tail);
        what.push(`append ${tail.length} random bytes`);
        break;
      }
    }
  }
  return { bytes, what: what.join(' + ') };
}
