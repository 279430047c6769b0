/**
 * `npm run ref:review-fit`: run oimodeler live on the reference fits and compare it with the
 * committed numbers and with our fit. oimodeler is not installable in CI (docs/review.md), so this
 * is an optional script, not a test: it fails loudly (exit 1) when oimodeler cannot be imported.
 *
 *   REF_PYTHON=/path/to/python OIMODELER_PATH=/path/to/oimodeler[:placeholders] npm run ref:review-fit
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPlotData, fitDiameter, readOifits, vis2PointsFromSeries } from '../../../shared/oifits';

interface RefFit { file: string; model: 'ud' | 'ld'; ld_coefficient?: number; diameter_mas: number; error_mas: number; chi2r: number; n: number }

const python = process.env.REF_PYTHON;
const path = process.env.OIMODELER_PATH;
if (!python || !path) {
  console.error('ref:review-fit needs REF_PYTHON (a python with numpy/scipy/astropy) and OIMODELER_PATH (an oimodeler checkout on PYTHONPATH); see docs/review.md');
  process.exit(1);
}
const fixtureDir = join(import.meta.dirname, '../../fixtures/review');
const r = spawnSync(python, [join(fixtureDir, 'oimodeler_fit_reference.py')], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
  env: { ...process.env, PYTHONPATH: path, MPLBACKEND: 'Agg', PYTHONWARNINGS: 'ignore' },
});
if (r.status !== 0) {
  console.error(`oimodeler did not run: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  process.exit(1);
}
const live = (JSON.parse(r.stdout) as { fits: RefFit[] }).fits;
const recorded = (JSON.parse(readFileSync(join(fixtureDir, 'oimodeler_fit_reference.json'), 'utf8')) as { fits: RefFit[] }).fits;
let ok = true;
for (const ref of live) {
  const file = readOifits(new Uint8Array(readFileSync(join(import.meta.dirname, '../../fixtures/oifits', ref.file))));
  const fit = fitDiameter(vis2PointsFromSeries(buildPlotData(file, ['vis2']).series), ref.model, { ldCoefficient: ref.ld_coefficient });
  const old = recorded.find((x) => x.file === ref.file && x.model === ref.model);
  const sigmas = Math.abs(fit.diameterMas - ref.diameter_mas) / ref.error_mas;
  const drift = old ? Math.abs(old.diameter_mas - ref.diameter_mas) / ref.error_mas : NaN;
  ok &&= sigmas < 1 && drift < 0.01;
  console.log(
    `${ref.file.slice(0, 44).padEnd(44)} ${ref.model}  oimodeler ${ref.diameter_mas.toFixed(5)} ± ${ref.error_mas.toPrecision(3)} χ²r ${ref.chi2r.toFixed(3)}` +
      `  ours ${fit.diameterMas.toFixed(5)} ± ${fit.errorMas.toPrecision(3)} χ²r ${fit.chi2r.toFixed(3)}  |Δ| ${sigmas.toFixed(3)}σ  live vs recorded ${drift.toExponential(1)}σ`,
  );
}
console.log(ok ? 'agree' : 'DISAGREE');
process.exit(ok ? 0 : 1);
