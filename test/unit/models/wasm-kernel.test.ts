/**
 * The WebAssembly kernels (shared/models/wasm-kernel.ts) against the engine's JavaScript loops
 * and the closed forms: large grids go through the kernels (in place in `createVisibilityBuffers`
 * memory, or copied through the shared kernel), a single point's channels (fewer than
 * WASM_MIN_SAMPLES samples) through the JavaScript loop. Both must give the same numbers bit for
 * bit, since callers may get either path; channel counts of the form 4n, 4n+2 and 4n+1 exercise
 * the kernel's four-, two- and one-channel steps.
 */
import { describe, expect, it } from 'vitest';
import {
  closurePhasesDeg,
  complexVisibility,
  configurationTriangles,
  createVisibilityBuffers,
  squaredVisibility,
  uniformDisk,
  type ObjectModel,
  type VisibilityGrid,
} from '../../../shared/models';
import { circleExact, diskExact } from '../../../shared/models/radial-tables';
import { kernelModuleBytes, WASM_MIN_SAMPLES, wasmKernelAvailable } from '../../../shared/models/wasm-kernel';

const STATIONS = ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'];
const TRIANGLES = configurationTriangles(STATIONS);

/** 15 baselines × nTimes instants of (u, v) in metres, baseline-major, up to ~330 m. */
function tracks(nTimes: number): { u: Float64Array; v: Float64Array } {
  const u = new Float64Array(15 * nTimes);
  const v = new Float64Array(15 * nTimes);
  for (let b = 0; b < 15; b++) {
    for (let t = 0; t < nTimes; t++) {
      const h = (t / nTimes) * 2 - 1;
      u[b * nTimes + t] = (20 + 21 * b) * Math.cos(0.4 * b + 0.7 * h);
      v[b * nTimes + t] = (20 + 21 * b) * Math.sin(0.4 * b + 0.7 * h) * 0.8;
    }
  }
  return { u, v };
}

const channels = (n: number) => Float64Array.from({ length: n }, (_, l) => 0.6 + (0.25 * l) / n);

/** The grid computed point by point: each call is one point's channels, the JavaScript loop. */
function pointByPoint(model: ObjectModel, u: Float64Array, v: Float64Array, lambdaUm: Float64Array): Float64Array {
  const out = new Float64Array(u.length * lambdaUm.length);
  for (let i = 0; i < u.length; i++) out.set(complexVisibility(model, [u[i]], [v[i]], lambdaUm).re, i * lambdaUm.length);
  return out;
}

const grid = (re: Float64Array, im: Float64Array): VisibilityGrid => ({ re, im, nPoints: 0, nLambda: 0, isReal: false });

describe('WebAssembly kernels of the model engine', () => {
  it('compile and run under Node (so the tests below exercise them, not only the JavaScript loops)', () => {
    expect(WebAssembly.validate(kernelModuleBytes())).toBe(true);
    expect(wasmKernelAvailable()).toBe(true);
  });

  const cases: Array<[string, ObjectModel]> = [
    ['uniform disk 2.7 mas', uniformDisk(2.7)],
    ['thin circle 1.9 mas', [{ type: 'circle', params: { flux_weight: 1, x: 0, y: 0, diameter: 1.9 } }]],
    ['elongated disk', [{ type: 'elong_disk', params: { flux_weight: 2, x: 0, y: 0, minor_axis_diameter: 1.5, elong_ratio: 1.7, major_axis_pos_angle: 33 } }]],
  ];
  for (const [label, model] of cases) {
    for (const nLambda of [64, 66, 67]) {
      it(`${label}, ${nLambda} channels: kernel (in place and copied) = JavaScript loop, bit for bit`, () => {
        const { u, v } = tracks(9);
        const lambdaUm = channels(nLambda);
        const n = u.length * nLambda;
        expect(n).toBeGreaterThanOrEqual(WASM_MIN_SAMPLES);
        const reference = pointByPoint(model, u, v, lambdaUm);
        const buffers = createVisibilityBuffers(n + 5, 10);
        const inPlace = complexVisibility(model, u, v, lambdaUm, grid(buffers.re, buffers.im));
        expect(inPlace.re.buffer).toBe(buffers.re.buffer);
        const copied = complexVisibility(model, u, v, lambdaUm, grid(new Float64Array(n), new Float64Array(n)));
        const fresh = complexVisibility(model, u, v, lambdaUm);
        for (const g of [inPlace, copied, fresh]) {
          expect(g.isReal).toBe(true);
          expect(g.re.length).toBe(n);
          expect(Array.from(g.re)).toEqual(Array.from(reference));
        }
      });
    }
  }

  it('the kernel values are the closed forms (2J₁(x)/x, J₀) to 1e-8, past several nulls', () => {
    const { u, v } = tracks(9);
    const lambdaUm = channels(67);
    for (const [model, exact, mas] of [
      [uniformDisk(4.4), diskExact, 4.4],
      [[{ type: 'circle', params: { flux_weight: 1, x: 0, y: 0, diameter: 3.1 } }], circleExact, 3.1],
    ] as const) {
      const g = complexVisibility(model as ObjectModel, u, v, lambdaUm);
      let worst = 0;
      let lowest = Infinity;
      for (let i = 0; i < u.length; i++) {
        for (let l = 0; l < lambdaUm.length; l++) {
          const x = (Math.PI * mas * (Math.PI / 180 / 3600 / 1000) * Math.hypot(u[i], v[i])) / (lambdaUm[l] * 1e-6);
          const value = g.re[i * lambdaUm.length + l];
          worst = Math.max(worst, Math.abs(value - exact(x)));
          lowest = Math.min(lowest, value);
        }
      }
      expect(worst).toBeLessThan(1e-8);
      expect(lowest).toBeLessThan(-0.1);
    }
  });

  it('a grid reaching beyond the table falls back to the exact functions', () => {
    const { u, v } = tracks(9);
    const lambdaUm = channels(66);
    const g = complexVisibility(uniformDisk(60), u, v, lambdaUm);
    expect(Array.from(g.re)).toEqual(Array.from(pointByPoint(uniformDisk(60), u, v, lambdaUm)));
    const x = (Math.PI * 60 * (Math.PI / 180 / 3600 / 1000) * Math.hypot(u[14 * 9], v[14 * 9])) / (lambdaUm[0] * 1e-6);
    expect(x).toBeGreaterThan(256);
    expect(Math.abs(g.re[14 * 9 * 66] - diskExact(x))).toBeLessThan(1e-12);
  });

  for (const nLambda of [64, 66, 67]) {
    it(`V² and closure phases of a real grid, ${nLambda} channels: the definitions, in place and copied`, () => {
      const nTimes = 7;
      const { u, v } = tracks(nTimes);
      const lambdaUm = channels(nLambda);
      const n = u.length * nLambda;
      const block = nTimes * nLambda;
      const buffers = createVisibilityBuffers(n, 20 * block);
      const g = complexVisibility(uniformDisk(3.3), u, v, lambdaUm, grid(buffers.re, buffers.im));
      const re = Array.from(g.re);
      const vis2InPlace = squaredVisibility(g, buffers.vis2);
      expect(vis2InPlace.buffer).toBe(buffers.vis2.buffer);
      const vis2Copied = squaredVisibility(g, new Float64Array(n));
      for (const vis2 of [vis2InPlace, vis2Copied]) expect(Array.from(vis2)).toEqual(re.map((x) => x * x));
      const cpInPlace = closurePhasesDeg(g, nTimes, TRIANGLES, buffers.closureDeg);
      expect(cpInPlace.buffer).toBe(buffers.closureDeg.buffer);
      const cpCopied = closurePhasesDeg(g, nTimes, TRIANGLES);
      const expected = TRIANGLES.flatMap((t) =>
        Array.from({ length: block }, (_, k) => (re[t.baselines[0] * block + k] * re[t.baselines[1] * block + k] * re[t.baselines[2] * block + k] < 0 ? 180 : 0)),
      );
      expect(expected.filter((x) => x === 180).length).toBeGreaterThan(block);
      expect(expected.filter((x) => x === 0).length).toBeGreaterThan(block);
      for (const cp of [cpInPlace, cpCopied]) expect(Array.from(cp)).toEqual(expected);
    });
  }

  it('buffers stay valid when the shared kernel grows its own memory', () => {
    const lambdaUm = channels(66);
    const { u, v } = tracks(9);
    const buffers = createVisibilityBuffers(u.length * 66, 20 * 9 * 66);
    const first = Array.from(complexVisibility(uniformDisk(2), u, v, lambdaUm, grid(buffers.re, buffers.im)).re);
    // A large grid without buffers goes through the shared kernel, which grows its memory.
    const big = tracks(400);
    complexVisibility(uniformDisk(2), big.u, big.v, channels(510));
    expect(buffers.re.length).toBe(u.length * 66);
    expect(Array.from(buffers.re.subarray(0, first.length))).toEqual(first);
    expect(Array.from(complexVisibility(uniformDisk(2), u, v, lambdaUm, grid(buffers.re, buffers.im)).re)).toEqual(first);
  });
});
