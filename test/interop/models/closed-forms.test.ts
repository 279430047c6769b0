/**
 * The model engine against closed forms computed live by scipy (Debian's python3-scipy):
 * uniform disk 2J₁(x)/x, Gaussian, ring (difference of disks), thin circle J₀, and the
 * quadratic limb-darkened disk as a numerical Hankel transform (scipy.integrate.quad) of its
 * intensity profile. CI installs python3-scipy and sets SPICA_REQUIRE_PEERS=1, so a missing scipy
 * fails there instead of skipping.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { complexVisibility, type ObjectModel } from '../../../shared/models';

const PYTHON = '/usr/bin/python3';
const hasScipy = spawnSync(PYTHON, ['-c', 'import scipy.special, scipy.integrate'], { encoding: 'utf8' }).status === 0;
const required = process.env.SPICA_REQUIRE_PEERS === '1';
const reason = hasScipy ? '' : ' (SKIPPED: /usr/bin/python3 cannot import scipy; apt-get install python3-scipy)';

/** Spatial frequencies (rad⁻¹) from 0 to 8.3·10⁸ (330 m at 0.4 µm): several nulls of every model. */
const RHO = Array.from({ length: 120 }, (_, i) => i * 7.0e6);

interface Case {
  label: string;
  model: ObjectModel;
  function: string;
  args: number[];
  tol: number;
}

const one = (type: ObjectModel[0]['type'], params: Record<string, number>): ObjectModel => [{ type, params: { flux_weight: 1, x: 0, y: 0, ...params } }];

const CASES: Case[] = [
  { label: 'uniform disk 1.04 mas', model: one('disk', { diameter: 1.04 }), function: 'disk', args: [1.04], tol: 1e-8 },
  { label: 'uniform disk 3.7 mas (past the third null)', model: one('disk', { diameter: 3.7 }), function: 'disk', args: [3.7], tol: 1e-8 },
  { label: 'uniform disk 40 mas (beyond the table)', model: one('disk', { diameter: 40 }), function: 'disk', args: [40], tol: 1e-8 },
  { label: 'Gaussian FWHM 1.1 mas', model: one('gaussian', { fwhm: 1.1 }), function: 'gaussian', args: [1.1], tol: 1e-12 },
  { label: 'ring 1.2 mas, width 0.4 mas', model: one('ring', { diameter: 1.2, width: 0.4 }), function: 'ring', args: [1.2, 0.4], tol: 1e-8 },
  { label: 'thin circle 1.5 mas', model: one('circle', { diameter: 1.5 }), function: 'circle', args: [1.5], tol: 1e-8 },
  {
    label: 'quadratic limb-darkened disk 1.3 mas (0.45, 0.2)',
    model: one('limb_quadratic', { diameter: 1.3, a1_coeff: 0.45, a2_coeff: 0.2 }),
    function: 'limb_quadratic',
    args: [1.3, 0.45, 0.2],
    tol: 1e-7,
  },
];

describe.skipIf(!hasScipy && !required)(`model engine vs scipy closed forms${reason}`, () => {
  it('scipy is there (CI requires it)', () => {
    expect(hasScipy).toBe(true);
  });

  const run = (() => {
    let cached: { scipy: string; values: number[][] } | null = null;
    return () => {
      if (cached) return cached;
      const r = spawnSync(PYTHON, [join(import.meta.dirname, 'closed_forms.py')], {
        input: JSON.stringify({ rho: RHO, cases: CASES.map((c) => ({ function: c.function, args: c.args })) }),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      if (r.status !== 0) throw new Error(`closed_forms.py failed: ${r.stderr}`);
      cached = JSON.parse(r.stdout) as { scipy: string; values: number[][] };
      return cached;
    };
  })();

  CASES.forEach((c, n) => {
    it(`${c.label}: agrees to ${c.tol}`, () => {
      const ref = run().values[n];
      // ρ = |B|/λ: put the frequency on u with λ = 1 µm, so u = ρ·1e-6 m.
      const u = RHO.map((rho) => rho * 1e-6);
      const grid = complexVisibility(c.model, u, u.map(() => 0), [1]);
      let worst = 0;
      ref.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(grid.re[i] - v));
        expect(grid.im[i]).toBe(0);
      });
      expect(worst).toBeLessThan(c.tol);
      // The same frequencies over 32 identical channels (3840 samples, past WASM_MIN_SAMPLES): the
      // path of the WebAssembly kernel for disks and circles.
      const wide = complexVisibility(c.model, u, u.map(() => 0), new Array<number>(32).fill(1));
      let worstWide = 0;
      ref.forEach((v, i) => {
        for (let l = 0; l < 32; l++) worstWide = Math.max(worstWide, Math.abs(wide.re[i * 32 + l] - v));
      });
      expect(worstWide).toBeLessThan(c.tol);
      // The grid covers nulls and sidelobes, not just the easy first lobe.
      if (c.function === 'disk') expect(Math.min(...ref)).toBeLessThan(-0.05);
    });
  });
});
