/**
 * Quick-look fits to measured V²: a uniform disk (UD), a linearly limb-darkened disk (LD, fixed
 * coefficient u) and the homothetic scale of any model of the target — the check a reviewer makes
 * before calling a product "science ready". One free parameter, so the fit is done the robust way:
 * χ² on a fine logarithmic grid (a resolved star's UD χ² has several minima, one per lobe), a
 * golden-section refinement around the best grid value, and the 1σ error where χ² = χ²min + 1 on
 * each side (the standard error of one fitted parameter; the mean of the two half-widths). Model
 * visibilities come from the model engine (`shared/models`), so the fit, the overlay and the
 * predictions agree.
 */
import { complexVisibility, squaredVisibility, MAS_TO_RAD, uniformDisk, MODEL_PARAMETERS, type ObjectModel } from '../models';
import type { PlotSeries } from './plot-data';

/** One measured V² with its error and where it was taken. */
export interface Vis2Point {
  /** Projected baseline (m), East and North. */
  uM: number;
  vM: number;
  lambdaM: number;
  vis2: number;
  err: number;
}

/** Which model a quick-look fit adjusts. */
export type FitModelKind = 'ud' | 'ld' | 'model';

/** A fitted size. */
export interface DiameterFit {
  model: FitModelKind;
  /** Fitted diameter (mas) for UD/LD; for `model`, the fitted scale factor. */
  diameterMas: number;
  /** 1σ error (Δχ² = 1). */
  errorMas: number;
  /** Error scaled by √χ²r when χ²r > 1 (what to quote when the error bars are too small). */
  errorScaledMas: number;
  chi2: number;
  /** χ² / (n − 1). */
  chi2r: number;
  n: number;
  /** LD only: the linear limb-darkening coefficient used. */
  ldCoefficient?: number;
}

/** Default linear limb-darkening coefficient when nothing better is known (a solar-type star in R/I). */
export const DEFAULT_LD_COEFFICIENT = 0.5;

/** Points with finite V², a positive finite error and a non-zero baseline, from plot series. */
export function vis2PointsFromSeries(series: readonly PlotSeries[], keep: (s: PlotSeries, j: number) => boolean = (s, j) => !s.flagged[j]): Vis2Point[] {
  const out: Vis2Point[] = [];
  for (const s of series) {
    if (s.kind !== 'vis2' || !s.uv) continue;
    for (let j = 0; j < s.y.length; j++) {
      const y = s.y[j];
      const e = s.err[j];
      const w = s.waveUm[j];
      if (y === null || e === null || !(e > 0) || w === null || !keep(s, j)) continue;
      out.push({ uM: s.uv.u1M, vM: s.uv.v1M, lambdaM: w * 1e-6, vis2: y, err: e });
    }
  }
  return out;
}

/** Spatial-frequency coordinates of the points in the units the model engine takes (m with λ = 1 µm). */
function engineCoordinates(points: readonly Vis2Point[]): { u: Float64Array; v: Float64Array } {
  const u = new Float64Array(points.length);
  const v = new Float64Array(points.length);
  points.forEach((p, i) => {
    // The engine takes u, v in metres and λ in µm: u/λ in units of 10⁶ rad⁻¹ with λ = 1.
    u[i] = (p.uM / p.lambdaM) * 1e-6;
    v[i] = (p.vM / p.lambdaM) * 1e-6;
  });
  return { u, v };
}

const ONE_MICRON = [1];

/** V² of a model at the points (λ folded into u, v). */
export function modelVis2(model: ObjectModel, points: readonly Vis2Point[]): Float64Array {
  const { u, v } = engineCoordinates(points);
  return squaredVisibility(complexVisibility(model, u, v, ONE_MICRON));
}

/** χ² of a model against the points. */
export function chi2Of(model: ObjectModel, points: readonly Vis2Point[]): number {
  const m = modelVis2(model, points);
  let chi2 = 0;
  points.forEach((p, i) => {
    const r = (p.vis2 - m[i]) / p.err;
    chi2 += r * r;
  });
  return chi2;
}

/** A linearly limb-darkened disk I(μ) = 1 − u(1 − μ): the engine's quadratic law with a2 = 0. */
export function linearLdDisk(diameterMas: number, u: number): ObjectModel {
  return [{ type: 'limb_quadratic', params: { flux_weight: 1, x: 0, y: 0, diameter: diameterMas, a1_coeff: u, a2_coeff: 0 } }];
}

/** `model` with every size and offset (the parameters in mas) multiplied by `scale`. */
export function scaleModel(model: ObjectModel, scale: number): ObjectModel {
  return model.map((c) => {
    const params = { ...c.params };
    for (const def of MODEL_PARAMETERS[c.type]) if (def.units === 'mas') params[def.name] = (params[def.name] ?? def.defaultValue) * scale;
    return { ...c, params };
  });
}

/** Minimise a one-parameter χ² over [lo, hi] (log grid, then golden section); returns the minimum and its 1σ interval. */
export function fitOneParameter(chi2: (p: number) => number, lo: number, hi: number, gridSteps = 1500): { best: number; chi2: number; low: number; high: number } {
  const ratio = Math.pow(hi / lo, 1 / (gridSteps - 1));
  let bestI = 0;
  let bestC = Infinity;
  const grid: number[] = [];
  for (let i = 0; i < gridSteps; i++) {
    const p = lo * Math.pow(ratio, i);
    grid.push(p);
    const c = chi2(p);
    if (c < bestC) {
      bestC = c;
      bestI = i;
    }
  }
  let a = grid[Math.max(0, bestI - 1)];
  let b = grid[Math.min(gridSteps - 1, bestI + 1)];
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a);
  let x2 = a + g * (b - a);
  let f1 = chi2(x1);
  let f2 = chi2(x2);
  for (let k = 0; k < 200 && b - a > 1e-12 * Math.max(1, Math.abs(b)); k++) {
    if (f1 < f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - g * (b - a);
      f1 = chi2(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + g * (b - a);
      f2 = chi2(x2);
    }
  }
  let best = (a + b) / 2;
  let cMin = chi2(best);
  if (bestC < cMin) {
    best = grid[bestI];
    cMin = bestC;
  }
  const crossing = (direction: 1 | -1): number => {
    const target = cMin + 1;
    let step = Math.max(1e-9, 1e-4 * best);
    let far = best + direction * step;
    for (let k = 0; k < 200 && chi2(far) < target; k++) {
      step *= 2;
      far = best + direction * step;
      if (far <= 0) {
        far = 1e-12;
        break;
      }
    }
    let near = best;
    for (let k = 0; k < 100; k++) {
      const mid = (near + far) / 2;
      if (chi2(mid) < target) near = mid;
      else far = mid;
      if (Math.abs(far - near) < 1e-12 * Math.max(1, best)) break;
    }
    return (near + far) / 2;
  };
  return { best, chi2: cMin, low: crossing(-1), high: crossing(1) };
}

/** Shortest non-zero spatial frequency of the points, rad⁻¹. */
function minSpatialFrequency(points: readonly Vis2Point[]): number {
  let min = Infinity;
  for (const p of points) {
    const sf = Math.hypot(p.uM, p.vM) / p.lambdaM;
    if (sf > 0 && sf < min) min = sf;
  }
  return min;
}

/** Options of `fitDiameter`. */
export interface FitOptions {
  /** Linear limb-darkening coefficient of the LD fit (default DEFAULT_LD_COEFFICIENT). */
  ldCoefficient?: number;
}

/**
 * Fit a UD or linear-LD diameter to V² points. The search runs from 0.01 mas to past the third
 * null of the shortest baseline, so every minimum the data can show is covered. Throws when there
 * are fewer than 2 usable points.
 */
export function fitDiameter(points: readonly Vis2Point[], kind: 'ud' | 'ld', options: FitOptions = {}): DiameterFit {
  if (points.length < 2) throw new Error(`a fit needs at least 2 V² points with errors; ${points.length} selected`);
  const u = options.ldCoefficient ?? DEFAULT_LD_COEFFICIENT;
  const modelOf = (d: number) => (kind === 'ud' ? uniformDisk(d) : linearLdDisk(d, u));
  const sfMin = minSpatialFrequency(points);
  const hi = Number.isFinite(sfMin) ? (3.3 * 1.22) / sfMin / MAS_TO_RAD : 100;
  const r = fitOneParameter((d) => chi2Of(modelOf(d), points), 0.01, Math.max(hi, 0.1));
  return result(kind, r, points.length, kind === 'ld' ? u : undefined);
}

/** Fit the homothetic scale of `model` (every size and offset × s, s from 0.05 to 20). */
export function fitModelScale(points: readonly Vis2Point[], model: ObjectModel): DiameterFit & { chi2AsGiven: number; chi2rAsGiven: number } {
  if (points.length < 2) throw new Error(`a fit needs at least 2 V² points with errors; ${points.length} selected`);
  const r = fitOneParameter((s) => chi2Of(scaleModel(model, s), points), 0.05, 20, 800);
  const asGiven = chi2Of(model, points);
  return { ...result('model', r, points.length, undefined), chi2AsGiven: asGiven, chi2rAsGiven: asGiven / Math.max(1, points.length) };
}

function result(kind: FitModelKind, r: { best: number; chi2: number; low: number; high: number }, n: number, ldCoefficient: number | undefined): DiameterFit {
  const chi2r = r.chi2 / Math.max(1, n - 1);
  const errorMas = (r.high - r.low) / 2;
  return {
    model: kind,
    diameterMas: r.best,
    errorMas,
    errorScaledMas: errorMas * Math.sqrt(Math.max(1, chi2r)),
    chi2: r.chi2,
    chi2r,
    n,
    ...(ldCoefficient !== undefined ? { ldCoefficient } : {}),
  };
}

/**
 * Whether a fitted diameter disagrees with a predicted one: more than 3σ apart, σ the two errors
 * added in quadrature (the fit's scaled error, the prediction's own error), and more than 5 %.
 */
export function diameterDisagrees(fit: { diameterMas: number; errorScaledMas: number }, predictedMas: number, predictedErrMas: number | null): boolean {
  const sigma = Math.hypot(fit.errorScaledMas, predictedErrMas ?? 0.05 * predictedMas);
  const delta = Math.abs(fit.diameterMas - predictedMas);
  return delta > 3 * sigma && delta > 0.05 * predictedMas;
}

/**
 * A model's prediction for plotted series, channel by channel: V² for `vis2`, |V| for `visamp`,
 * closure phase (degrees) for `t3phi`, |V₁₂·V₂₃·V₃₁| for `t3amp`; null for other quantities and
 * for rows without (u, v). Uses the file's own (u, v, λ), as the overlay on measured data needs.
 */
export function predictSeries(model: ObjectModel, series: readonly PlotSeries[]): ((number | null)[] | null)[] {
  return series.map((s) => {
    if (!s.uv || (s.kind !== 'vis2' && s.kind !== 'visamp' && s.kind !== 't3phi' && s.kind !== 't3amp')) return null;
    const lambdaUm = s.waveUm.map((w) => w ?? NaN);
    if (s.kind === 'vis2' || s.kind === 'visamp') {
      const g = complexVisibility(model, [s.uv.u1M], [s.uv.v1M], lambdaUm);
      return lambdaUm.map((_, l) => {
        const amp2 = g.re[l] * g.re[l] + g.im[l] * g.im[l];
        return Number.isFinite(amp2) ? (s.kind === 'vis2' ? amp2 : Math.sqrt(amp2)) : null;
      });
    }
    const { u1M, v1M, u2M = NaN, v2M = NaN } = s.uv;
    // OIFITS: baseline AB = (U1, V1), BC = (U2, V2), so CA = −(AB + BC); T3 = V_AB · V_BC · V_CA.
    const g = complexVisibility(model, [u1M, u2M, -(u1M + u2M)], [v1M, v2M, -(v1M + v2M)], lambdaUm);
    const L = lambdaUm.length;
    return lambdaUm.map((_, l) => {
      const [a, b, c] = [0, 1, 2].map((k) => ({ re: g.re[k * L + l], im: g.im[k * L + l] }));
      const abRe = a.re * b.re - a.im * b.im;
      const abIm = a.re * b.im + a.im * b.re;
      const re = abRe * c.re - abIm * c.im;
      const im = abRe * c.im + abIm * c.re;
      if (!Number.isFinite(re) || !Number.isFinite(im)) return null;
      return s.kind === 't3phi' ? (Math.atan2(im, re) * 180) / Math.PI : Math.hypot(re, im);
    });
  });
}
