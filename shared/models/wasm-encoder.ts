/**
 * A minimal WebAssembly binary encoder: just what the model kernels (`wasm-kernel.ts`) need — one
 * module with its own exported memory and a few functions over i32, f64 and v128 (SIMD) values.
 * Instructions are written in folded form, as in the text format's S-expressions: each builder
 * takes its operands' code first, e.g. `f64.mul(get(0), get(1))`. Opcodes are those of the
 * WebAssembly core specification 2.0 (binary format §5.4, SIMD prefix 0xFD).
 *
 * Why not a tool: `wat2wasm`/`wabt`, binaryen or AssemblyScript would be a new build step for
 * shared/ (consumed by three bundlers, vitest and tsx) and a new package; the kernels are a few
 * dozen instructions, so encoding them here keeps them readable, reviewable and pure TypeScript.
 */

/** Encoded bytes of an instruction sequence. */
export type Code = number[];

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

function uleb(n: number): Code {
  const out: Code = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): Code {
  const out: Code = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function f64Bytes(x: number): Code {
  return Array.from(new Uint8Array(Float64Array.of(x).buffer));
}

const cat = (...parts: Code[]): Code => parts.flat();
/** memarg: alignment (log2 bytes) and constant offset. */
const memarg = (alignLog2: number, offset: number): Code => [...uleb(alignLog2), ...uleb(offset)];
const simd = (opcode: number, ...rest: Code[]): Code => [0xfd, ...uleb(opcode), ...rest.flat()];

export const get = (local: number): Code => [0x20, ...uleb(local)];
export const set = (local: number, value: Code): Code => [...value, 0x21, ...uleb(local)];

/** Control: a `block` whose `br 0` leaves it, a `loop` whose `br 0` restarts it. */
export const control = {
  block: (...body: Code[]): Code => [0x02, 0x40, ...body.flat(), 0x0b],
  loop: (...body: Code[]): Code => [0x03, 0x40, ...body.flat(), 0x0b],
  if: (cond: Code, ...body: Code[]): Code => [...cond, 0x04, 0x40, ...body.flat(), 0x0b],
  br: (depth: number): Code => [0x0c, ...uleb(depth)],
  brIf: (depth: number, cond: Code): Code => [...cond, 0x0d, ...uleb(depth)],
  /** `select(a, b, cond)`: a when cond ≠ 0, else b. */
  select: (a: Code, b: Code, cond: Code): Code => cat(a, b, cond, [0x1b]),
};

export const i32 = {
  const: (n: number): Code => [0x41, ...sleb(n)],
  add: (a: Code, b: Code): Code => cat(a, b, [0x6a]),
  and: (a: Code, b: Code): Code => cat(a, b, [0x71]),
  shl: (a: Code, b: Code): Code => cat(a, b, [0x74]),
  geU: (a: Code, b: Code): Code => cat(a, b, [0x4f]),
  /** Saturating truncation towards zero (never traps), as JavaScript's `x | 0` in range. */
  truncSatF64S: (a: Code): Code => cat(a, [0xfc, 0x02]),
};

export const f64 = {
  const: (x: number): Code => [0x44, ...f64Bytes(x)],
  add: (a: Code, b: Code): Code => cat(a, b, [0xa0]),
  sub: (a: Code, b: Code): Code => cat(a, b, [0xa1]),
  mul: (a: Code, b: Code): Code => cat(a, b, [0xa2]),
  lt: (a: Code, b: Code): Code => cat(a, b, [0x63]),
  convertI32S: (a: Code): Code => cat(a, [0xb7]),
  load: (addr: Code, offset = 0): Code => cat(addr, [0x2b], memarg(3, offset)),
  store: (addr: Code, value: Code, offset = 0): Code => cat(addr, value, [0x39], memarg(3, offset)),
};

export const v128 = {
  load: (addr: Code, offset = 0): Code => cat(addr, simd(0x00, memarg(4, offset))),
  store: (addr: Code, value: Code, offset = 0): Code => cat(addr, value, simd(0x0b, memarg(4, offset))),
  and: (a: Code, b: Code): Code => cat(a, b, simd(0x4e)),
};

export const i32x4 = {
  splat: (a: Code): Code => cat(a, simd(0x11)),
  extractLane: (a: Code, lane: number): Code => cat(a, simd(0x1b, [lane])),
  shl: (a: Code, bits: Code): Code => cat(a, bits, simd(0xab)),
  add: (a: Code, b: Code): Code => cat(a, b, simd(0xae)),
  /** Lanes 0–1 = trunc_sat(a[0]), trunc_sat(a[1]); lanes 2–3 = 0. */
  truncSatF64x2SZero: (a: Code): Code => cat(a, simd(0xfc)),
};

export const f64x2 = {
  splat: (a: Code): Code => cat(a, simd(0x14)),
  const: (x0: number, x1: number): Code => simd(0x0c, f64Bytes(x0), f64Bytes(x1)),
  add: (a: Code, b: Code): Code => cat(a, b, simd(0xf0)),
  sub: (a: Code, b: Code): Code => cat(a, b, simd(0xf1)),
  mul: (a: Code, b: Code): Code => cat(a, b, simd(0xf2)),
  /** All-ones lanes where a < b. */
  lt: (a: Code, b: Code): Code => cat(a, b, simd(0x49)),
  convertLowI32x4S: (a: Code): Code => cat(a, simd(0xfe)),
  /** Rounding towards zero, lane by lane. */
  trunc: (a: Code): Code => cat(a, simd(0x7a)),
  /** (a[0], b[0]): the low lanes of two vectors. */
  lows: (a: Code, b: Code): Code => cat(a, b, simd(0x0d, [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23])),
  /** (a[1], b[1]): the high lanes of two vectors. */
  highs: (a: Code, b: Code): Code => cat(a, b, simd(0x0d, [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31])),
};

/** One exported function: parameters then extra locals are numbered from 0. */
export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  locals: number[];
  body: Code[];
}

const vec = (items: Code[]): Code => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: Code): Code => [id, ...uleb(content.length), ...content];
const name = (s: string): Code => vec(Array.from(s, (ch) => [ch.charCodeAt(0)]));

/** A module exporting `functions` and a memory named `memory` of `minPages` × 64 KiB. */
export function encodeModule(functions: WasmFunction[], minPages: number): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const bodies = functions.map((f) => {
    const body = [...vec(f.locals.map((t) => [1, t])), ...f.body.flat(), 0x0b];
    return [...uleb(body.length), ...body];
  });
  const exports = [...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]), [...name('memory'), 0x02, 0]];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(minPages)]])),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
