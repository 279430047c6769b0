/**
 * The model engine against oimodeler: complex visibilities and closure phases of every ASPRO2
 * model type, and of binaries with offsets, at fixed (u, v, λ). The numbers were produced by
 * oimodeler itself (test/fixtures/models/oimodeler_reference.py, provenance in the JSON and in
 * PROVENANCE.md); oimodeler cannot be installed in CI, so this compares with its recorded output.
 * `npm run ref:models` re-runs oimodeler live where it is importable.
 */
import { describe, expect, it } from 'vitest';
import { closurePhasesDeg, complexVisibility, normaliseModel, rawComponentsFromJson, type Triangle } from '../../../shared/models';
import { WASM_MIN_SAMPLES } from '../../../shared/models/wasm-kernel';
import { readOimodelerFixture } from '../../fixtures/models/oimodeler-fixture';

const fixture = readOimodelerFixture();
const TOL = 1e-6;

/** Difference of two angles in degrees, wrapped to (−180, 180]. */
function angleDiffDeg(a: number, b: number): number {
  let d = (a - b) % 360;
  if (d > 180) d -= 360;
  if (d <= -180) d += 360;
  return d;
}

describe(`model engine vs oimodeler ${fixture.provenance.commit?.slice(0, 7)} (recorded)`, () => {
  it('covers every ASPRO2 model type and two binaries with offsets', () => {
    const types = new Set(fixture.cases.flatMap((c) => (c.model as Array<{ type: string }>).map((m) => m.type)));
    expect([...types].sort()).toEqual(
      ['circle', 'disk', 'elong_disk', 'elong_gaussian', 'elong_ring', 'flatten_disk', 'flatten_gaussian', 'flatten_ring', 'gaussian', 'limb_quadratic', 'punct', 'ring'].sort(),
    );
    expect(fixture.cases.filter((c) => c.model.length > 1).length).toBeGreaterThanOrEqual(2);
  });

  for (const c of fixture.cases) {
    it(`${c.name}: complex visibility agrees to 1e-6`, () => {
      const model = normaliseModel(rawComponentsFromJson(c.model));
      const u = fixture.uv_m.map((p) => p[0]);
      const v = fixture.uv_m.map((p) => p[1]);
      const grid = complexVisibility(model, u, v, fixture.lambda_um);
      let worst = 0;
      c.visibilities.forEach((ref, l) => {
        expect(ref.lambda_um).toBe(fixture.lambda_um[l]);
        ref.re.forEach((re, i) => {
          const k = i * fixture.lambda_um.length + l;
          worst = Math.max(worst, Math.abs(grid.re[k] - re), Math.abs(grid.im[k] - ref.im[i]));
        });
      });
      expect(worst).toBeLessThan(TOL);
    });

    it(`${c.name}: closure phases agree to 1e-6 deg where the triple product is not ~0`, () => {
      const model = normaliseModel(rawComponentsFromJson(c.model));
      const triangle: Triangle = { name: 't', baselines: [0, 1, 2] };
      for (const ref of c.closures) {
        const b3: [number, number] = [ref.b1_m[0] + ref.b2_m[0], ref.b1_m[1] + ref.b2_m[1]];
        const grid = complexVisibility(model, [ref.b1_m[0], ref.b2_m[0], b3[0]], [ref.b1_m[1], ref.b2_m[1], b3[1]], [ref.lambda_um]);
        const amp = Math.hypot(grid.re[0], grid.im[0]) * Math.hypot(grid.re[1], grid.im[1]) * Math.hypot(grid.re[2], grid.im[2]);
        const cp = closurePhasesDeg(grid, 1, [triangle])[0];
        // Near a null of the triple product the phase is undefined; 1e-6 in V means 1e-6/amp rad.
        const tol = Math.max(1e-6, (1e-9 / amp) * (180 / Math.PI));
        expect(Math.abs(angleDiffDeg(cp, ref.closure_phase_deg))).toBeLessThan(tol);
      }
    });
  }

  it('centred disks and circles agree to 1e-6 through the WebAssembly kernel too (a grid of ≥ 2048 samples)', () => {
    const copies = Math.ceil(WASM_MIN_SAMPLES / (fixture.uv_m.length * fixture.lambda_um.length));
    const u = Array.from({ length: copies }, () => fixture.uv_m.map((p) => p[0])).flat();
    const v = Array.from({ length: copies }, () => fixture.uv_m.map((p) => p[1])).flat();
    const L = fixture.lambda_um.length;
    const centred = fixture.cases.filter((c) => c.model.length === 1 && ['disk', 'elong_disk', 'flatten_disk', 'circle'].includes((c.model[0] as { type: string }).type));
    expect(centred.length).toBeGreaterThanOrEqual(4);
    for (const c of centred) {
      const grid = complexVisibility(normaliseModel(rawComponentsFromJson(c.model)), u, v, fixture.lambda_um);
      expect(grid.re.length).toBeGreaterThanOrEqual(WASM_MIN_SAMPLES);
      let worst = 0;
      c.visibilities.forEach((ref, l) => ref.re.forEach((re, i) => {
        for (let copy = 0; copy < copies; copy++) worst = Math.max(worst, Math.abs(grid.re[(copy * fixture.uv_m.length + i) * L + l] - re));
      }));
      expect(worst).toBeLessThan(TOL);
    }
  });

  it('the binary closure phases are far from 0 and 180 (the sign convention is tested)', () => {
    const binary = fixture.cases.find((c) => c.name === 'binary_disk_punct')!;
    expect(binary.closures.some((r) => Math.abs(r.closure_phase_deg) > 20 && Math.abs(r.closure_phase_deg) < 160)).toBe(true);
  });
});
