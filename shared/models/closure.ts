/**
 * Closure phases of a configuration. Baselines are the station pairs (i < j) in station order
 * with B = pos_i − pos_j (ASPRO2 and `baselinePairs`), so for stations i < j < k the closed loop
 * is B_ij + B_jk − B_ik = 0 and the closure phase is arg(V_ij · V_jk · conj(V_ik)).
 */
import type { VisibilityGrid } from './visibility';
import { closureSignsWasm, WASM_MIN_SAMPLES } from './wasm-kernel';

/** One triangle: its name (`S1-S2-E1`) and the indices of its baselines ij, jk, ik. */
export interface Triangle {
  name: string;
  baselines: [number, number, number];
}

/** Every triangle of a configuration of `stations`, in (i < j < k) order. */
export function configurationTriangles(stations: readonly string[]): Triangle[] {
  const n = stations.length;
  const index = new Map<string, number>();
  let b = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) index.set(`${i},${j}`, b++);
  const out: Triangle[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      for (let k = j + 1; k < n; k++) {
        out.push({
          name: `${stations[i]}-${stations[j]}-${stations[k]}`,
          baselines: [index.get(`${i},${j}`)!, index.get(`${j},${k}`)!, index.get(`${i},${k}`)!],
        });
      }
    }
  }
  return out;
}

/**
 * Closure phases in degrees for a grid whose points are baseline-major (point = baseline·nTimes
 * + time, every baseline sampled at the same instants). Result: triangle-major, then time, then
 * wavelength; pass `out` (at least that long) to reuse a buffer.
 */
export function closurePhasesDeg(grid: VisibilityGrid, nTimes: number, triangles: readonly Triangle[], out?: Float64Array): Float64Array {
  const L = grid.nLambda;
  const { re, im } = grid;
  const block = nTimes * L;
  const size = triangles.length * block;
  const result = out && out.length >= size ? out.subarray(0, size) : new Float64Array(size);
  const toDeg = 180 / Math.PI;
  if (grid.isReal && size >= WASM_MIN_SAMPLES) {
    // The WebAssembly kernel computes the same signs two samples at a time, in place on
    // `createVisibilityBuffers` arrays, else through its own memory (so the grid must hold every
    // baseline the triangles name).
    let last = 0;
    for (const t of triangles) last = Math.max(last, ...t.baselines);
    if ((last + 1) * block <= re.length && closureSignsWasm(re.subarray(0, (last + 1) * block), block, triangles, result)) return result;
  }
  for (let n = 0; n < triangles.length; n++) {
    const t = triangles[n];
    const a = t.baselines[0] * block;
    const b = t.baselines[1] * block;
    const c = t.baselines[2] * block;
    const o = n * block;
    if (grid.isReal) {
      // Real visibilities: the triple product is real, its phase 0° or 180° by its sign.
      // Branch-free: signs flip at every null, so a branch would be mispredicted half the time.
      for (let k = 0; k < block; k++) result[o + k] = Number(re[a + k] * re[b + k] * re[c + k] < 0) * 180;
      continue;
    }
    for (let k = 0; k < block; k++) {
      // V_ab = V_ij·V_jk, then times conj(V_ik).
      const r1 = re[a + k] * re[b + k] - im[a + k] * im[b + k];
      const i1 = re[a + k] * im[b + k] + im[a + k] * re[b + k];
      const r2 = r1 * re[c + k] + i1 * im[c + k];
      const i2 = i1 * re[c + k] - r1 * im[c + k];
      result[o + k] = Math.atan2(i2, r2) * toDeg;
    }
  }
  return result;
}
