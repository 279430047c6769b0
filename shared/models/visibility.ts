/**
 * Complex visibility of a model over many (u, v) points and wavelengths at once, in ASPRO2's
 * conventions (jmal `FourierFunctions`, `Functions`): spatial frequencies u/λ, v/λ in rad⁻¹ with
 * u towards East and v towards North (ASPRO2 `CalcUVW`, our `projectBaseline`); a component at
 * offset (x, y) mas contributes w·g·exp(−2πi(x·u + y·v)/λ); elongated and flattened components
 * see (u, v) rotated by β = 90° − PA and stretched along the major (elong) or minor (flatten)
 * axis; weights are normalised by the total flux. Results are laid out point-major,
 * wavelength-minor: index = point·nLambda + channel.
 */
import { MODEL_PARAMETERS, type ModelComponent, type ObjectModel } from './definitions';
import { circleExact, diskExact, lookup, quadraticExact, radialTable, sphericalExact, TABLE_MAX_X, TABLE_STEPS_PER_UNIT, type RadialTable } from './radial-tables';
import { kernelArrays, squareWasm, tableGridWasm, WASM_MIN_SAMPLES } from './wasm-kernel';

/** Milliarcseconds to radians, as jmal defines it. */
export const MAS_TO_RAD = Math.PI / 180 / 3600 / 1000;
const GAUSS_CST_INV = 1 / (4 * Math.log(2));

/** Complex visibilities, point-major then wavelength. */
export interface VisibilityGrid {
  re: Float64Array;
  im: Float64Array;
  nPoints: number;
  nLambda: number;
  /**
   * True when every component is centred: ASPRO2's profiles are real and even, so V is real
   * (im is all zeros, a shared read-only view: do not write to it) and phases are 0° or 180°.
   * Consumers use it to skip complex arithmetic.
   */
  isReal: boolean;
}

type Profile =
  | { kind: 'one' }
  | { kind: 'table'; table: RadialTable; scale: number }
  | { kind: 'gauss'; scale: number }
  | { kind: 'ring'; table: RadialTable; scale: number; alpha2: number }
  | { kind: 'ld'; scale: number; a: number; b: number; c: number; s: number; disk: RadialTable; spherical: RadialTable; quadratic: RadialTable };

interface Prepared {
  weight: number;
  profile: Profile;
  /** Rotation/stretch of (u, v) before taking the norm; null for circular components. */
  stretch: { cosB: number; sinB: number; ratio: number } | null;
  /** 2π·x and 2π·y in rad per (m/µm): phase = (px·u + py·v)/λ with u, v in m and λ in µm. */
  px: number;
  py: number;
  shifted: boolean;
}

/** x = π·θ·ρ with θ in mas, ρ = r/λ for r in metres and λ in µm. */
const sizeScale = (mas: number) => Math.PI * mas * MAS_TO_RAD * 1e6;

function profileOf(c: ModelComponent): { profile: Profile; stretch: Prepared['stretch'] } {
  const p = c.params;
  const angle = (pa: number, ratio: number) => {
    const beta = ((90 - pa) * Math.PI) / 180;
    return ratio === 1 ? null : { cosB: Math.cos(beta), sinB: Math.sin(beta), ratio };
  };
  switch (c.type) {
    case 'punct':
      return { profile: { kind: 'one' }, stretch: null };
    case 'disk':
      return { profile: { kind: 'table', table: radialTable(diskExact), scale: sizeScale(p.diameter) }, stretch: null };
    case 'elong_disk':
      return {
        profile: { kind: 'table', table: radialTable(diskExact), scale: sizeScale(p.minor_axis_diameter) },
        stretch: angle(p.major_axis_pos_angle, p.elong_ratio),
      };
    case 'flatten_disk':
      return {
        profile: { kind: 'table', table: radialTable(diskExact), scale: sizeScale(p.major_axis_diameter) },
        stretch: angle(p.minor_axis_pos_angle, 1 / p.flatten_ratio),
      };
    case 'circle':
      return { profile: { kind: 'table', table: radialTable(circleExact), scale: sizeScale(p.diameter) }, stretch: null };
    case 'ring':
    case 'elong_ring':
    case 'flatten_ring': {
      const d = c.type === 'ring' ? p.diameter : c.type === 'elong_ring' ? p.minor_internal_diameter : p.major_internal_diameter;
      const stretch =
        c.type === 'ring' ? null : c.type === 'elong_ring' ? angle(p.major_axis_pos_angle, p.elong_ratio) : angle(p.minor_axis_pos_angle, 1 / p.flatten_ratio);
      const w = p.width;
      // jmal computeRing: width 0 is the thin circle, diameter 0 a disk of radius `width`.
      if (w === 0) return { profile: { kind: 'table', table: radialTable(circleExact), scale: sizeScale(d) }, stretch };
      if (d === 0) return { profile: { kind: 'table', table: radialTable(diskExact), scale: sizeScale(2 * w) }, stretch };
      const alpha = 1 + w / (d / 2);
      return { profile: { kind: 'ring', table: radialTable(diskExact), scale: sizeScale(d), alpha2: alpha * alpha }, stretch };
    }
    case 'gaussian':
      return { profile: { kind: 'gauss', scale: sizeScale(p.fwhm) }, stretch: null };
    case 'elong_gaussian':
      return { profile: { kind: 'gauss', scale: sizeScale(p.minor_axis_fwhm) }, stretch: angle(p.major_axis_pos_angle, p.elong_ratio) };
    case 'flatten_gaussian':
      return { profile: { kind: 'gauss', scale: sizeScale(p.major_axis_fwhm) }, stretch: angle(p.minor_axis_pos_angle, 1 / p.flatten_ratio) };
    case 'limb_quadratic': {
      const a = 1 - p.a1_coeff - p.a2_coeff;
      const b = p.a1_coeff + 2 * p.a2_coeff;
      const cc = -p.a2_coeff;
      return {
        profile: {
          kind: 'ld',
          scale: sizeScale(p.diameter),
          a,
          b,
          c: cc,
          s: a / 2 + b / 3 + cc / 4,
          disk: radialTable(diskExact),
          spherical: radialTable(sphericalExact),
          quadratic: radialTable(quadraticExact),
        },
        stretch: null,
      };
    }
  }
}

/** Turn a model into per-component evaluation plans (flux normalised). */
function prepare(model: ObjectModel): Prepared[] {
  let total = 0;
  for (const c of model) total += c.params.flux_weight;
  return model.map((c) => {
    if (!MODEL_PARAMETERS[c.type]) throw new Error(`unknown model type ${c.type}`);
    const { profile, stretch } = profileOf(c);
    const k = 2 * Math.PI * MAS_TO_RAD * 1e6;
    return { weight: c.params.flux_weight / total, profile, stretch, px: k * c.params.x, py: k * c.params.y, shifted: c.params.x !== 0 || c.params.y !== 0 };
  });
}

function evaluateProfile(p: Profile, x: number): number {
  switch (p.kind) {
    case 'one':
      return 1;
    case 'table':
      return lookup(p.table, x);
    case 'gauss':
      return Math.exp(-x * x * GAUSS_CST_INV);
    case 'ring':
      return (p.alpha2 * lookup(p.table, Math.sqrt(p.alpha2) * x) - lookup(p.table, x)) / (p.alpha2 - 1);
    case 'ld':
      return (p.a * 0.5 * lookup(p.disk, x) + p.b * lookup(p.spherical, x) + p.c * lookup(p.quadratic, x)) / p.s;
  }
}

/** Zeros shared by every real grid's `im` (read only; grown on demand). */
let zeros = new Float64Array(0);

function zerosView(n: number): Float64Array {
  if (zeros.length < n) zeros = new Float64Array(Math.max(n, 2 * zeros.length));
  return zeros.subarray(0, n);
}

/**
 * The hot path (centred disks, circles): re[base + l] += w·f(k/λ_l), with the table read inlined
 * (same interpolation as `lookup`).
 */
function addCentredTable(re: Float64Array, base: number, w: number, table: RadialTable, k: number, invLambda: Float64Array, isFirst: boolean, maxInvLambda: number): void {
  const cubic = table.cubic;
  const n = invLambda.length;
  if (isFirst && w === 1 && k * maxInvLambda < TABLE_MAX_X) {
    // The common case (one centred disk): no range check, no accumulation.
    const k64 = k * TABLE_STEPS_PER_UNIT;
    for (let l = 0; l < n; l++) {
      const s = k64 * invLambda[l];
      const i = s | 0;
      const t = s - i;
      const j = i << 2;
      re[base + l] = cubic[j] + t * (cubic[j + 1] + t * (cubic[j + 2] + t * cubic[j + 3]));
    }
    return;
  }
  for (let l = 0; l < n; l++) {
    const x = k * invLambda[l];
    let g: number;
    if (x < TABLE_MAX_X) {
      const s = x * TABLE_STEPS_PER_UNIT;
      const i = s | 0;
      const t = s - i;
      const j = i << 2;
      g = cubic[j] + t * (cubic[j + 1] + t * (cubic[j + 2] + t * cubic[j + 3]));
    } else {
      g = table.exact(x);
    }
    // The first component writes, the others add (saves clearing the grid).
    if (isFirst) re[base + l] = w * g;
    else re[base + l] += w * g;
  }
}

/** |(u, v)| in a component's frame: rotated and stretched for an elongated or flattened one. */
function stretchedRadius(stretch: Prepared['stretch'], u: number, v: number): number {
  if (!stretch) return Math.sqrt(u * u + v * v);
  const us = (u * stretch.cosB + v * stretch.sinB) * stretch.ratio;
  const vs = -u * stretch.sinB + v * stretch.cosB;
  return Math.sqrt(us * us + vs * vs);
}

/**
 * The hot path in WebAssembly: one centred table component (a uniform disk, a thin circle) over
 * a large grid, every sample inside the table. Same values as `addCentredTable`'s first branch,
 * bit for bit; false (nothing written) when the case does not apply or the kernel is unavailable.
 */
function centredTableWasm(comp: Prepared, uM: ArrayLike<number>, vM: ArrayLike<number>, invLambda: Float64Array, maxInvLambda: number, re: Float64Array): boolean {
  const { profile, stretch } = comp;
  if (profile.kind !== 'table' || comp.shifted || comp.weight !== 1) return false;
  // The kernel reads the table at trunc(k·64/λ) unchecked: every 1/λ must be finite and ≥ 0.
  for (let l = 0; l < invLambda.length; l++) if (!(Number.isFinite(invLambda[l]) && invLambda[l] >= 0)) return false;
  const ks = new Float64Array(uM.length);
  for (let i = 0; i < uM.length; i++) {
    const u = uM[i];
    const v = vM[i];
    const r = stretchedRadius(stretch, u, v);
    const k = profile.scale * r;
    if (!(k * maxInvLambda < TABLE_MAX_X)) return false;
    ks[i] = k * TABLE_STEPS_PER_UNIT;
  }
  return tableGridWasm(profile.table, ks, invLambda, re);
}

/**
 * Complex visibility of `model` at every (uM[i], vM[i]) (projected baselines in metres) and every
 * wavelength of `lambdaUm` (µm). Pass `out` to reuse buffers at least uM.length·lambdaUm.length long
 * (the result then views their first part).
 */
export function complexVisibility(
  model: ObjectModel,
  uM: ArrayLike<number>,
  vM: ArrayLike<number>,
  lambdaUm: ArrayLike<number>,
  out?: VisibilityGrid,
): VisibilityGrid {
  const nPoints = uM.length;
  const nLambda = lambdaUm.length;
  if (vM.length !== nPoints) throw new Error(`u and v have different lengths (${nPoints} and ${vM.length})`);
  const n = nPoints * nLambda;
  const prepared = prepare(model);
  const isReal = prepared.every((c) => !c.shifted);
  // Buffers at least n long are reused through views (a planner loops over many targets). A real
  // grid's im is a view of a shared zero array, never written: that saves clearing it.
  const reuse = out && out.re.length >= n && out.im.length >= n;
  const re = reuse ? out.re.subarray(0, n) : new Float64Array(n);
  let im: Float64Array;
  if (isReal) im = zerosView(n);
  else if (reuse && out.im.buffer !== zeros.buffer) im = out.im.subarray(0, n);
  else im = new Float64Array(n);
  const grid: VisibilityGrid = { re, im, nPoints, nLambda, isReal };
  const invLambda = new Float64Array(nLambda);
  let maxInvLambda = 0;
  for (let l = 0; l < nLambda; l++) {
    invLambda[l] = 1 / lambdaUm[l];
    if (invLambda[l] > maxInvLambda) maxInvLambda = invLambda[l];
  }
  // A first centred table component overwrites every sample; otherwise start from zero.
  const firstWrites = prepared[0].profile.kind === 'table' && !prepared[0].shifted;
  if (!firstWrites) re.fill(0);
  if (!isReal) im.fill(0);
  if (prepared.length === 1 && n >= WASM_MIN_SAMPLES && centredTableWasm(prepared[0], uM, vM, invLambda, maxInvLambda, re)) return grid;
  prepared.forEach((comp, index) => {
    const { weight: w, profile, stretch } = comp;
    for (let i = 0; i < nPoints; i++) {
      const u = uM[i];
      const v = vM[i];
      const r = stretchedRadius(stretch, u, v);
      const base = i * nLambda;
      const phase0 = comp.px * u + comp.py * v;
      if (profile.kind === 'table' && !comp.shifted) {
        addCentredTable(re, base, w, profile.table, profile.scale * r, invLambda, index === 0 && firstWrites, maxInvLambda);
        continue;
      }
      const k = profile.kind === 'one' ? 0 : profile.scale * r;
      for (let l = 0; l < nLambda; l++) {
        const g = w * evaluateProfile(profile, k * invLambda[l]);
        if (comp.shifted) {
          const phase = phase0 * invLambda[l];
          re[base + l] += g * Math.cos(phase);
          im[base + l] -= g * Math.sin(phase);
        } else {
          re[base + l] += g;
        }
      }
    }
  });
  return grid;
}

/** V² = |V|² of every sample (into `buffer` when it is long enough). */
export function squaredVisibility(grid: VisibilityGrid, buffer?: Float64Array): Float64Array {
  const { re, im } = grid;
  const out = buffer && buffer.length >= re.length ? buffer.subarray(0, re.length) : new Float64Array(re.length);
  if (grid.isReal && re.length >= WASM_MIN_SAMPLES && squareWasm(re, out)) return out;
  if (grid.isReal) for (let k = 0; k < re.length; k++) out[k] = re[k] * re[k];
  else for (let k = 0; k < re.length; k++) out[k] = re[k] * re[k] + im[k] * im[k];
  return out;
}

/** Phase of every sample, degrees in (−180, 180] (into `buffer` when it is long enough). */
export function visibilityPhaseDeg(grid: VisibilityGrid, buffer?: Float64Array): Float64Array {
  const { re, im } = grid;
  const out = buffer && buffer.length >= re.length ? buffer.subarray(0, re.length) : new Float64Array(re.length);
  for (let k = 0; k < re.length; k++) out[k] = (Math.atan2(im[k], re[k]) * 180) / Math.PI;
  return out;
}

/** Output buffers a loop over many targets reuses (see `createVisibilityBuffers`). */
export interface VisibilityBuffers {
  /** For `complexVisibility(..., { re, im, ... })`. */
  re: Float64Array;
  im: Float64Array;
  /** For `squaredVisibility(grid, vis2)`. */
  vis2: Float64Array;
  /** For `closurePhasesDeg(grid, nTimes, triangles, closureDeg)`. */
  closureDeg: Float64Array;
}

/**
 * Output buffers for `samples` visibilities and `closurePhases` closure phases, to reuse target
 * after target (a planner's loop, `bench:models`). They live in the memory of a WebAssembly
 * kernel of their own, so the uniform-disk, V² and closure-phase kernels work on them in place
 * instead of copying through their own memory; where WebAssembly is unavailable they are plain
 * arrays. Either way the results are the same, bit for bit.
 */
export function createVisibilityBuffers(samples: number, closurePhases: number): VisibilityBuffers {
  const lengths = [samples, samples, samples, closurePhases];
  const [re, im, vis2, closureDeg] = kernelArrays(lengths, [radialTable(diskExact), radialTable(circleExact)]) ?? lengths.map((n) => new Float64Array(n));
  return { re, im, vis2, closureDeg };
}
