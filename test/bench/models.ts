/**
 * Model benchmark: V² and closure phases of uniform-disk models for a night of 6T tracks at SPICA
 * MR720 channels (510), for the 1000 targets of the astro fixture (test/fixtures/astro), against
 * an anchor doing the same work in the same run:
 *   - numpy/scipy (`models_anchor.py numpy`, Debian /usr/bin/python3), always;
 *   - oimodeler (`models_anchor.py oimodeler`) when REF_PYTHON and OIMODELER_PATH point to a
 *     Python and an oimodeler checkout that imports (it is not installable in CI; see docs/models.md).
 * Tracks: the observable samples (5-min grid, best PoPs, 30° elevation, −12° twilight) of each
 * target on the fixture night, projected with ASPRO2's CalcUVW. Untimed setup.
 *
 *   npm run bench:models [-- --targets 1000]
 *
 * Our figure: the engine's `complexVisibility` + `squaredVisibility` + `closurePhasesDeg` per
 * target (what `models.predict` runs), output buffers from `createVisibilityBuffers` reused across
 * targets (a warm pass with plain Float64Array buffers is printed too); cold = first pass in
 * a fresh process (tables built, JIT cold), warm = second pass. Wall and process CPU time are
 * both printed: on a shared 2-core machine other jobs inflate wall time, CPU time less so.
 * Goal: ≥ 20× the anchor and ≤ 50 ms for one target's whole night.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { computeNightObservability, defaultObservabilityOptions } from '../../shared/astro/observability';
import { uvCoverageAt } from '../../shared/astro/uv';
import { STATION_NAMES } from '../../shared/astro/types';
import { spicaChannelWavelengthsUm } from '../../shared/chara/model';
import { closurePhasesDeg, complexVisibility, configurationTriangles, createVisibilityBuffers, squaredVisibility, uniformDisk, type VisibilityBuffers } from '../../shared/models';

const { values } = parseArgs({ options: { targets: { type: 'string', default: '1000' } }, strict: true });
const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/astro');
const config = JSON.parse(readFileSync(join(FIXTURES, 'config.json'), 'utf8')) as { night_local_date: string };
const targets = readFileSync(join(FIXTURES, 'targets.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1, 1 + Number(values.targets))
  .map((line) => {
    const [name, ra, dec] = line.split(',');
    return { name, raDeg: +ra, decDeg: +dec };
  });

// Deterministic diameters 0.2–4 mas (log-uniform), as the survey's stars span.
let seed = 20261207;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const diameters = targets.map(() => 0.2 * 20 ** rand());

const stations = [...STATION_NAMES];
const options = defaultObservabilityOptions(config.night_local_date, { stations, pops: 'auto', stepMin: 5 });
const lambdaUm = spicaChannelWavelengthsUm('MR720');
const triangles = configurationTriangles(stations);

console.log(`Setup: ${targets.length} targets, night ${config.night_local_date}, 6T best PoPs, 5-min grid, MR720 ${lambdaUm.length} channels`);
const t0 = performance.now();
const obs = computeNightObservability(targets, options);
const tracks = obs.targets.map((t, i) => {
  const times = Array.from(obs.grid.timesMjd).filter((_, k) => t.observable[k] === 1);
  const uv = uvCoverageAt(targets[i].raDeg, targets[i].decDeg, obs.options.stations, times);
  const nT = times.length;
  const u = new Float64Array(uv.tracks.length * nT);
  const v = new Float64Array(uv.tracks.length * nT);
  uv.tracks.forEach((tr, b) => tr.uM.forEach((x, k) => ((u[b * nT + k] = x), (v[b * nT + k] = tr.vM[k]))));
  return { nT, u, v };
});
const samples = tracks.reduce((s, t) => s + t.u.length * lambdaUm.length, 0);
const maxT = Math.max(...tracks.map((t) => t.nT));
console.log(
  `  tracks in ${(performance.now() - t0).toFixed(0)} ms (untimed): ${tracks.filter((t) => t.nT > 0).length} targets observable, ` +
    `${samples.toLocaleString('en')} V² samples, ${(samples / 15 * 20).toLocaleString('en')} closure phases, longest night ${maxT} instants`,
);

/** Checksums (the anchor sums with numpy's pairwise sum): four accumulators. */
function sum(a: Float64Array): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let k = 0;
  for (; k + 3 < a.length; k += 4) {
    s0 += a[k];
    s1 += a[k + 1];
    s2 += a[k + 2];
    s3 += a[k + 3];
  }
  for (; k < a.length; k++) s0 += a[k];
  return s0 + s1 + s2 + s3;
}

/**
 * Σ|x|. Not `Math.abs`: closure phases of centred models are exactly 0 or ±180, and V8 then
 * speculates small integers in `Math.abs` and bails out of the optimised loop again and again
 * (`--trace-deopt`), a harness artefact that cost ~0.07–0.15 s of our timed passes; the
 * comparison computes the same sum.
 */
function sumAbs(a: Float64Array): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let k = 0;
  for (; k + 3 < a.length; k += 4) {
    const x0 = a[k], x1 = a[k + 1], x2 = a[k + 2], x3 = a[k + 3];
    s0 += x0 < 0 ? -x0 : x0;
    s1 += x1 < 0 ? -x1 : x1;
    s2 += x2 < 0 ? -x2 : x2;
    s3 += x3 < 0 ? -x3 : x3;
  }
  for (; k < a.length; k++) s0 += a[k] < 0 ? -a[k] : a[k];
  return s0 + s1 + s2 + s3;
}

// Output buffers sized for the longest night, reused target after target as a planner would:
// `createVisibilityBuffers` (in the kernels' memory: they work in place), and for comparison plain
// Float64Arrays (the kernels then copy through their own memory).
const most = 15 * maxT * lambdaUm.length;
const kernelBuffers = createVisibilityBuffers(most, (most / 15) * 20);
const plainBuffers = { re: new Float64Array(most), im: new Float64Array(most), vis2: new Float64Array(most), closureDeg: new Float64Array((most / 15) * 20) };

function ours(buffers: VisibilityBuffers = kernelBuffers): { totalMs: number; cpuMs: number; perTargetMs: number[]; sumVis2: number; sumAbsCp: number } {
  const perTargetMs: number[] = [];
  let sumVis2 = 0;
  let sumAbsCp = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  tracks.forEach((t, i) => {
    const a = performance.now();
    if (t.nT > 0) {
      const grid = complexVisibility(uniformDisk(diameters[i]), t.u, t.v, lambdaUm, { ...buffers, nPoints: 0, nLambda: 0, isReal: false });
      const vis2 = squaredVisibility(grid, buffers.vis2);
      const cp = closurePhasesDeg(grid, t.nT, triangles, buffers.closureDeg);
      sumVis2 += sum(vis2);
      sumAbsCp += sumAbs(cp);
    }
    perTargetMs.push(performance.now() - a);
  });
  const cpu = process.cpuUsage(cpu0);
  return { totalMs: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000, perTargetMs, sumVis2, sumAbsCp };
}

const cold = ours();
const warm = ours();
ours(plainBuffers); // warms the copying path (the shared kernel's memory grows once)
const warmPlain = ours(plainBuffers);
if (warmPlain.sumVis2 !== warm.sumVis2 || warmPlain.sumAbsCp !== warm.sumAbsCp) throw new Error('plain buffers gave other sums than kernel buffers');

// The anchor's input: the same tracks, diameters, wavelengths and triangles.
const dir = mkdtempSync(join(tmpdir(), 'bench-models-'));
const data: number[] = [targets.length, 15, lambdaUm.length, ...lambdaUm, ...triangles.flatMap((t) => t.baselines)];
const parts: Float64Array[] = [Float64Array.from(data)];
tracks.forEach((t, i) => parts.push(Float64Array.from([diameters[i], t.nT]), t.u, t.v));
const file = join(dir, 'tracks.bin');
writeFileSync(file, Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));

interface AnchorPass { total_s: number; cpu_s: number; per_target_s: number[]; sum_vis2: number; sum_abs_cp: number }
interface Anchor { anchor: string; numpy: string; python: string; import_s: number; cold: AnchorPass; warm: AnchorPass }

function runAnchor(python: string, which: string, env: Record<string, string> = {}): Anchor | string {
  const r = spawnSync(python, [join(import.meta.dirname, 'models_anchor.py'), file, which], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, MPLBACKEND: 'Agg', PYTHONWARNINGS: 'ignore', ...env },
  });
  if (r.status !== 0) return `${which} anchor failed: ${r.stderr.split('\n').slice(-3).join(' ')}`;
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Anchor;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const longest = tracks.findIndex((t) => t.nT === maxT);
console.log('\nOurs (TypeScript engine, this process):');
for (const [label, r] of [['cold', cold], ['warm', warm]] as const) {
  const observed = r.perTargetMs.filter((_, i) => tracks[i].nT > 0);
  console.log(
    `  ${label}: ${r.totalMs.toFixed(0).padStart(6)} ms wall, ${r.cpuMs.toFixed(0).padStart(6)} ms CPU for ${targets.length} targets; per target median ${pct(observed, 0.5).toFixed(2)} ms, ` +
      `p95 ${pct(observed, 0.95).toFixed(2)} ms, longest night (${maxT} instants) ${r.perTargetMs[longest].toFixed(2)} ms`,
  );
}

console.log(`  warm with plain Float64Array buffers (kernels copy in and out): ${warmPlain.totalMs.toFixed(0)} ms wall, ${warmPlain.cpuMs.toFixed(0)} ms CPU (same sums)`);
console.log(`  load average at the end of our passes: ${loadavg().map((x) => x.toFixed(2)).join(', ')} (${availableParallelism()} CPUs)`);

const anchors: Array<[string, Anchor | string]> = [['numpy/scipy (/usr/bin/python3)', runAnchor('/usr/bin/python3', 'numpy')]];
if (process.env.REF_PYTHON && process.env.OIMODELER_PATH) {
  anchors.push([`oimodeler (${process.env.OIMODELER_PATH})`, runAnchor(process.env.REF_PYTHON, 'oimodeler', { PYTHONPATH: process.env.OIMODELER_PATH })]);
} else {
  console.log('\n(oimodeler anchor not run: set REF_PYTHON and OIMODELER_PATH; see docs/models.md)');
}
for (const [label, a] of anchors) {
  if (typeof a === 'string') {
    console.log(`\nAnchor ${label}: ${a}`);
    continue;
  }
  const sameWork = Math.abs(a.warm.sum_vis2 - warm.sumVis2) / warm.sumVis2 < 1e-6 && Math.abs(a.warm.sum_abs_cp - warm.sumAbsCp) / Math.max(1, warm.sumAbsCp) < 1e-6;
  console.log(`\nAnchor ${label}, python ${a.python}, numpy ${a.numpy} (imports ${a.import_s.toFixed(2)} s, untimed):`);
  for (const [lbl, pass, mine] of [['cold', a.cold, cold], ['warm', a.warm, warm]] as const) {
    const observed = pass.per_target_s.filter((_, i) => tracks[i].nT > 0).map((s) => s * 1000);
    console.log(
      `  ${lbl}: ${(pass.total_s * 1000).toFixed(0).padStart(6)} ms wall, ${(pass.cpu_s * 1000).toFixed(0).padStart(6)} ms CPU; per target median ${pct(observed, 0.5).toFixed(2)} ms, ` +
        `longest night ${(pass.per_target_s[longest] * 1000).toFixed(2)} ms → ratio ${((pass.total_s * 1000) / mine.totalMs).toFixed(1)}× wall, ` +
        `${((pass.cpu_s * 1000) / mine.cpuMs).toFixed(1)}× CPU (${lbl} vs ${lbl})`,
    );
  }
  console.log(`  same work: ΣV² ${a.warm.sum_vis2.toExponential(9)} vs ours ${warm.sumVis2.toExponential(9)}, Σ|CP| ${a.warm.sum_abs_cp.toExponential(6)} vs ${warm.sumAbsCp.toExponential(6)} → ${sameWork ? 'agree (1e-6)' : 'DIFFER'}`);
}
rmSync(dir, { recursive: true, force: true });
console.log(`\nLoad average at the end: ${loadavg().map((x) => x.toFixed(2)).join(', ')}.`);
console.log(`\nGoal: ≥ 20× the anchor, ≤ 50 ms for one target's whole night (warm longest night: ${warm.perTargetMs[longest].toFixed(2)} ms).`);
