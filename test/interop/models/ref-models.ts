/**
 * `npm run ref:models`: run oimodeler live on the reference cases and compare it with the committed
 * fixture and with our engine. oimodeler is not installable in CI (see docs/models.md), so this is
 * an optional script, not a test: it fails loudly (exit 1) when oimodeler cannot be imported.
 *
 *   REF_PYTHON=/path/to/python OIMODELER_PATH=/path/to/oimodeler[:placeholders] npm run ref:models
 *
 * Prints, per case, the largest |ΔV| and |Δclosure phase| of the engine against live oimodeler,
 * and of live oimodeler against the fixture.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { closurePhasesDeg, complexVisibility, normaliseModel, rawComponentsFromJson } from '../../../shared/models';
import { readOimodelerFixture, type OimodelerFixture } from '../../fixtures/models/oimodeler-fixture';

const python = process.env.REF_PYTHON;
const path = process.env.OIMODELER_PATH;
if (!python || !path) {
  console.error('ref:models needs REF_PYTHON (a python with numpy/scipy/astropy) and OIMODELER_PATH (an oimodeler checkout on PYTHONPATH); see docs/models.md');
  process.exit(1);
}
const r = spawnSync(python, [join(import.meta.dirname, '../../fixtures/models/oimodeler_reference.py')], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
  env: { ...process.env, PYTHONPATH: path, MPLBACKEND: 'Agg', PYTHONWARNINGS: 'ignore' },
});
if (r.status !== 0) {
  console.error(`oimodeler did not run: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  process.exit(1);
}
const live = JSON.parse(r.stdout) as OimodelerFixture;
const recorded = readOimodelerFixture();
const wrap = (d: number) => ((((d + 180) % 360) + 360) % 360) - 180;

let worstEngine = 0;
let worstCp = 0;
let worstFixture = 0;
console.log(`oimodeler live (python ${live.provenance.python}, numpy ${live.provenance.numpy}) vs engine and vs fixture ${recorded.provenance.commit?.slice(0, 7)}`);
for (const c of live.cases) {
  const model = normaliseModel(rawComponentsFromJson(c.model));
  const grid = complexVisibility(model, live.uv_m.map((p) => p[0]), live.uv_m.map((p) => p[1]), live.lambda_um);
  const L = live.lambda_um.length;
  let dv = 0;
  let df = 0;
  const ref = recorded.cases.find((x) => x.name === c.name);
  c.visibilities.forEach((v, l) =>
    v.re.forEach((re, i) => {
      dv = Math.max(dv, Math.abs(grid.re[i * L + l] - re), Math.abs(grid.im[i * L + l] - v.im[i]));
      if (ref) df = Math.max(df, Math.abs(ref.visibilities[l].re[i] - re), Math.abs(ref.visibilities[l].im[i] - v.im[i]));
    }),
  );
  let dcp = 0;
  for (const cl of c.closures) {
    const b3 = [cl.b1_m[0] + cl.b2_m[0], cl.b1_m[1] + cl.b2_m[1]];
    const g = complexVisibility(model, [cl.b1_m[0], cl.b2_m[0], b3[0]], [cl.b1_m[1], cl.b2_m[1], b3[1]], [cl.lambda_um]);
    const amp = Math.hypot(g.re[0], g.im[0]) * Math.hypot(g.re[1], g.im[1]) * Math.hypot(g.re[2], g.im[2]);
    if (amp > 1e-6) dcp = Math.max(dcp, Math.abs(wrap(closurePhasesDeg(g, 1, [{ name: 't', baselines: [0, 1, 2] }])[0] - cl.closure_phase_deg)));
  }
  worstEngine = Math.max(worstEngine, dv);
  worstCp = Math.max(worstCp, dcp);
  worstFixture = Math.max(worstFixture, df);
  console.log(`  ${c.name.padEnd(20)} engine |ΔV| ${dv.toExponential(2)}  |ΔCP| ${dcp.toExponential(2)}°   live vs fixture |ΔV| ${df.toExponential(2)}`);
}
const ok = worstEngine < 1e-6 && worstCp < 1e-6 && worstFixture < 1e-9;
console.log(`worst: engine |ΔV| ${worstEngine.toExponential(2)}, |ΔCP| ${worstCp.toExponential(2)}°, live vs fixture ${worstFixture.toExponential(2)} → ${ok ? 'agree' : 'DISAGREE'}`);
process.exit(ok ? 0 : 1);
