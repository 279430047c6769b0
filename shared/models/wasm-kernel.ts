/**
 * WebAssembly SIMD kernels for the two hot loops of a night's prediction (`bench:models`):
 *
 * - `table_grid`: a centred radial-table component (uniform disk, thin circle) of weight 1 at
 *   every (point, channel): re[p·L + l] = f(k_p/λ_l), the table read two channels at a time;
 * - `closure_sign`: closure phases of a real grid, 180° where the triple product is negative.
 *
 * They compute exactly what the JavaScript loops compute (same IEEE operations in the same order:
 * Horner without fused multiply-add, truncation towards zero), so results are bit-identical and
 * the engine may take either path. The kernels own their memory: inputs are copied in and results
 * copied out into the caller's arrays, so no caller ever holds a view that a memory growth could
 * detach. Where WebAssembly is missing or refused (a renderer whose Content-Security-Policy has
 * no 'wasm-unsafe-eval'), everything stays in JavaScript.
 */
import { control, encodeModule, f64, f64x2, get, I32, i32, i32x4, F64, set, V128, v128, type Code, type WasmFunction } from './wasm-encoder';
import type { RadialTable } from './radial-tables';

const { block, loop, br, brIf, select } = control;

/**
 * table_grid(cubic, out, inv, nLambda, ks, nPoints): for each point p (k_p = ks[p], the table
 * index scale k·64), for each channel l, s = k_p·inv[l], i = trunc(s), t = s − i,
 * out = c0 + t·(c1 + t·(c2 + t·c3)) with c = cubic[4i … 4i+3]. Byte addresses; 16-byte aligned
 * inv. Four channels per turn (two f64x2 pairs: the loop costs less), then a pair, then one.
 */
function tableGrid(): WasmFunction {
  const [cub, out, inv, nLambda, ks, nPoints] = [0, 1, 2, 3, 4, 5];
  const [ksEnd, l, quadsEnd, kS, k, s, iv, t, q0, q1, a0, b0, a1, b1, sS, iS, qS, tS, cubs] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
  const horner = (c0: Code, c1: Code, c2: Code, c3: Code, tt: Code, mul: typeof f64.mul, add: typeof f64.add) => add(c0, mul(tt, add(c1, mul(tt, add(c2, mul(tt, c3))))));
  // Two channels at byte offset `at` of inv and out: the table is gathered by two scalar addresses
  // and transposed with shuffles (WebAssembly SIMD has no gather).
  const pair = (at: number): Code[] => [
    set(s, f64x2.mul(get(k), v128.load(get(l), at))),
    set(t, f64x2.sub(get(s), f64x2.trunc(get(s)))),
    set(iv, i32x4.add(i32x4.shl(i32x4.truncSatF64x2SZero(get(s)), i32.const(5)), get(cubs))),
    set(q0, i32x4.extractLane(get(iv), 0)),
    set(q1, i32x4.extractLane(get(iv), 1)),
    set(a0, v128.load(get(q0))),
    set(b0, v128.load(get(q0), 16)),
    set(a1, v128.load(get(q1))),
    set(b1, v128.load(get(q1), 16)),
    v128.store(
      get(out),
      horner(f64x2.lows(get(a0), get(a1)), f64x2.highs(get(a0), get(a1)), f64x2.lows(get(b0), get(b1)), f64x2.highs(get(b0), get(b1)), get(t), f64x2.mul, f64x2.add),
      at,
    ),
  ];
  const advance = (bytes: number): Code[] => [set(out, i32.add(get(out), i32.const(bytes))), set(l, i32.add(get(l), i32.const(bytes)))];
  return {
    name: 'table_grid',
    params: [I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, F64, V128, V128, V128, V128, I32, I32, V128, V128, V128, V128, F64, I32, I32, F64, V128],
    body: [
      set(ksEnd, i32.add(get(ks), i32.shl(get(nPoints), i32.const(3)))),
      set(quadsEnd, i32.add(get(inv), i32.shl(i32.and(get(nLambda), i32.const(-4)), i32.const(3)))),
      set(cubs, i32x4.splat(get(cub))),
      block(
        loop(
          brIf(1, i32.geU(get(ks), get(ksEnd))),
          set(kS, f64.load(get(ks))),
          set(k, f64x2.splat(get(kS))),
          set(l, get(inv)),
          block(loop(brIf(1, i32.geU(get(l), get(quadsEnd))), ...pair(0), ...pair(16), ...advance(32), br(0))),
          control.if(i32.and(get(nLambda), i32.const(2)), ...pair(0), ...advance(16)),
          // An odd channel count leaves one channel: the same read, scalar.
          control.if(
            i32.and(get(nLambda), i32.const(1)),
            set(sS, f64.mul(get(kS), f64.load(get(l)))),
            set(iS, i32.truncSatF64S(get(sS))),
            set(tS, f64.sub(get(sS), f64.convertI32S(get(iS)))),
            set(qS, i32.add(i32.shl(get(iS), i32.const(5)), get(cub))),
            f64.store(get(out), horner(f64.load(get(qS)), f64.load(get(qS), 8), f64.load(get(qS), 16), f64.load(get(qS), 24), get(tS), f64.mul, f64.add)),
            ...advance(8),
          ),
          set(ks, i32.add(get(ks), i32.const(8))),
          br(0),
        ),
      ),
    ],
  };
}

/**
 * The body of an element-wise kernel over `n` doubles: two at a time (`pair`, storing at `out`),
 * then the odd last one (`single`). `inputs` and `out` are byte-address locals, moved on 16 bytes
 * per turn; `pairsEnd` is a free i32 local.
 */
function elementwise(inputs: number[], out: number, n: number, pairsEnd: number, pair: Code, single: Code): Code[] {
  return [
    set(pairsEnd, i32.add(get(out), i32.shl(i32.and(get(n), i32.const(-2)), i32.const(3)))),
    block(loop(brIf(1, i32.geU(get(out), get(pairsEnd))), pair, ...[...inputs, out].map((p) => set(p, i32.add(get(p), i32.const(16)))), br(0))),
    control.if(i32.and(get(n), i32.const(1)), single),
  ];
}

/** closure_sign(a, b, c, out, n): out[k] = 180 where a[k]·b[k]·c[k] < 0, else 0. */
function closureSign(): WasmFunction {
  const [a, b, c, out, n, pairsEnd] = [0, 1, 2, 3, 4, 5];
  const product = (load: typeof f64.load, mul: typeof f64.mul) => mul(mul(load(get(a)), load(get(b))), load(get(c)));
  return {
    name: 'closure_sign',
    params: [I32, I32, I32, I32, I32],
    results: [],
    locals: [I32],
    body: elementwise(
      [a, b, c],
      out,
      n,
      pairsEnd,
      v128.store(get(out), v128.and(f64x2.const(180, 180), f64x2.lt(product(v128.load, f64x2.mul), f64x2.const(0, 0)))),
      f64.store(get(out), select(f64.const(180), f64.const(0), f64.lt(product(f64.load, f64.mul), f64.const(0)))),
    ),
  };
}

/** square(in, out, n): out[k] = in[k]·in[k] (V² of a real grid). */
function square(): WasmFunction {
  const [src, out, n, pairsEnd] = [0, 1, 2, 3];
  return {
    name: 'square',
    params: [I32, I32, I32],
    results: [],
    locals: [I32],
    body: elementwise(
      [src],
      out,
      n,
      pairsEnd,
      v128.store(get(out), f64x2.mul(v128.load(get(src)), v128.load(get(src)))),
      f64.store(get(out), f64.mul(f64.load(get(src)), f64.load(get(src)))),
    ),
  };
}

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  table_grid(cubic: number, out: number, inv: number, nLambda: number, ks: number, nPoints: number): void;
  closure_sign(a: number, b: number, c: number, out: number, n: number): void;
  square(src: number, out: number, n: number): void;
}

/** The part of the WebAssembly global we use (typed here: shared/ has neither DOM nor Node types). */
interface WasmGlobal {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const PAGE = 65536;
/** Grids smaller than this stay in JavaScript (copying in and out would not pay). */
export const WASM_MIN_SAMPLES = 2048;
/** Scratch doubles (points' scales, inverse wavelengths) of a buffer set's memory. */
const BUFFER_SCRATCH = 1 << 16;

/**
 * One instance and its memory. The shared kernel grows its memory as calls need and is only ever
 * reached through copies; a buffer set's kernel is sized once and never grows, since callers
 * hold views of its memory (a growth would detach them).
 */
interface Kernel {
  exports: Exports;
  f64: Float64Array;
  /** Byte offset of each radial table's cubic coefficients in the memory. */
  tables: Map<RadialTable, number>;
  /** First free byte after the tables: the scratch area of one call. */
  scratch: number;
  /** End of the scratch area (bytes); Infinity for the growing shared kernel. */
  scratchEnd: number;
}

/** The kernels' module, encoded. */
export function kernelModuleBytes(): Uint8Array<ArrayBuffer> {
  return encodeModule([tableGrid(), closureSign(), square()], 1);
}

let compiled: { wasm: WasmGlobal; module: object } | null | undefined;

function newKernel(): Kernel | null {
  if (compiled === undefined) {
    const wasm = (globalThis as { WebAssembly?: WasmGlobal }).WebAssembly;
    try {
      compiled = wasm ? { wasm, module: new wasm.Module(kernelModuleBytes()) } : null;
    } catch {
      // CompileError under a CSP without 'wasm-unsafe-eval', or an engine without SIMD.
      compiled = null;
    }
  }
  if (!compiled) return null;
  const exports = new compiled.wasm.Instance(compiled.module, {}).exports as Exports;
  return { exports, f64: new Float64Array(exports.memory.buffer), tables: new Map(), scratch: 0, scratchEnd: Infinity };
}

/** undefined: not tried yet; null: WebAssembly unavailable or refused. */
let shared: Kernel | null | undefined;

function sharedKernel(): Kernel | null {
  if (shared === undefined) shared = newKernel();
  return shared;
}

/** True when the kernels run here (Node, Electron's main process, workers). */
export function wasmKernelAvailable(): boolean {
  return sharedKernel() !== null;
}

/** Make the memory at least `bytes` long; false when it cannot grow. */
function reserve(k: Kernel, bytes: number): boolean {
  const have = k.exports.memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    k.exports.memory.grow(Math.ceil((bytes - have) / PAGE));
  } catch {
    return false;
  }
  k.f64 = new Float64Array(k.exports.memory.buffer);
  return true;
}

const align16 = (bytes: number) => (bytes + 15) & ~15;

function tableOffset(k: Kernel, table: RadialTable): number | null {
  let at = k.tables.get(table);
  if (at !== undefined) return at;
  if (k.scratchEnd !== Infinity) return null; // a buffer set's tables are placed at its creation
  at = k.scratch;
  if (!reserve(k, at + table.cubic.byteLength)) return null;
  k.f64.set(table.cubic, at / 8);
  k.tables.set(table, at);
  k.scratch = align16(at + table.cubic.byteLength);
  return at;
}

/** Buffer sets by the ArrayBuffer of their memory. */
const bufferKernels = new WeakMap<ArrayBuffer, Kernel>();

/** The buffer set's kernel an array views, if any. */
function kernelOf(a: Float64Array): Kernel | undefined {
  return bufferKernels.get(a.buffer as ArrayBuffer);
}

/**
 * Float64 arrays of the given lengths living in one fresh kernel memory (with the given tables
 * copied in), or null when WebAssembly is unavailable or the memory cannot be had.
 */
export function kernelArrays(lengths: readonly number[], tables: readonly RadialTable[]): Float64Array[] | null {
  const k = newKernel();
  if (!k) return null;
  let at = 0;
  for (const t of tables) {
    k.tables.set(t, at);
    at = align16(at + t.cubic.byteLength);
  }
  k.scratch = at;
  k.scratchEnd = at + 8 * BUFFER_SCRATCH;
  at = k.scratchEnd;
  const offsets = lengths.map((n) => {
    const start = at;
    at = align16(start + 8 * n);
    return start;
  });
  if (!reserve(k, at)) return null;
  for (const [t, offset] of k.tables) k.f64.set(t.cubic, offset / 8);
  bufferKernels.set(k.exports.memory.buffer, k);
  return offsets.map((offset, i) => new Float64Array(k.exports.memory.buffer, offset, lengths[i]));
}

const overlaps = (a: Float64Array, b: Float64Array) => a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;

/**
 * out[p·L + l] = table(ks[p]·inv[l] / 64) for every point and channel (ks already scaled by the
 * table's steps per unit; every ks[p]·inv[l] must lie inside the table). In place when `out`
 * is a buffer set's array holding the table; else through the shared kernel's memory. False
 * when no kernel can do it: the caller then runs its JavaScript loop.
 */
export function tableGridWasm(table: RadialTable, ks: Float64Array, inv: Float64Array, out: Float64Array): boolean {
  const n = ks.length * inv.length;
  const own = kernelOf(out);
  const invBytes = align16(inv.byteLength);
  if (own && own.tables.has(table) && own.scratch + invBytes + ks.byteLength <= own.scratchEnd) {
    own.f64.set(inv, own.scratch / 8);
    own.f64.set(ks, (own.scratch + invBytes) / 8);
    own.exports.table_grid(own.tables.get(table)!, out.byteOffset, own.scratch, inv.length, own.scratch + invBytes, ks.length);
    return true;
  }
  const k = sharedKernel();
  if (!k) return false;
  const cubic = tableOffset(k, table);
  if (cubic === null) return false;
  const invAt = k.scratch;
  const ksAt = invAt + invBytes;
  const outAt = align16(ksAt + ks.byteLength);
  if (!reserve(k, outAt + 8 * n)) return false;
  k.f64.set(inv, invAt / 8);
  k.f64.set(ks, ksAt / 8);
  k.exports.table_grid(cubic, outAt, invAt, inv.length, ksAt, ks.length);
  out.set(k.f64.subarray(outAt / 8, outAt / 8 + n));
  return true;
}

/**
 * Closure phases of a real grid (`re`, baseline-major blocks of `block` samples): for triangle n,
 * out[n·block + k] = 180 where re[a+k]·re[b+k]·re[c+k] < 0, else 0. In place when `re` and `out`
 * are arrays of one buffer set; else through the shared kernel. False when unavailable.
 */
export function closureSignsWasm(re: Float64Array, block: number, triangles: ReadonlyArray<{ baselines: readonly [number, number, number] }>, out: Float64Array): boolean {
  const size = triangles.length * block;
  const own = kernelOf(re);
  let k: Kernel | null | undefined;
  let reAt: number;
  let outAt: number;
  if (own && kernelOf(out) === own && !overlaps(re, out)) {
    k = own;
    reAt = re.byteOffset;
    outAt = out.byteOffset;
  } else {
    k = sharedKernel();
    if (!k) return false;
    reAt = k.scratch;
    outAt = align16(reAt + re.byteLength);
    if (!reserve(k, outAt + 8 * size)) return false;
    k.f64.set(re, reAt / 8);
  }
  for (let n = 0; n < triangles.length; n++) {
    const [a, b, c] = triangles[n].baselines;
    k.exports.closure_sign(reAt + 8 * a * block, reAt + 8 * b * block, reAt + 8 * c * block, outAt + 8 * n * block, block);
  }
  if (k !== own) out.set(k.f64.subarray(outAt / 8, outAt / 8 + size));
  return true;
}

/** out[k] = re[k]² in place, when both are arrays of one buffer set (else false: a copy would not pay). */
export function squareWasm(re: Float64Array, out: Float64Array): boolean {
  const own = kernelOf(re);
  if (!own || kernelOf(out) !== own || (overlaps(re, out) && re.byteOffset !== out.byteOffset)) return false;
  own.exports.square(re.byteOffset, out.byteOffset, re.length);
  return true;
}
