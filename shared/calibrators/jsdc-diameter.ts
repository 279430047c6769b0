/**
 * The JSDC v2/v3 angular-diameter estimator (Chelli et al. 2016; SearchCal
 * `alxAngularDiameter.c`): one reddening-free pseudo-magnitude diameter per colour V−J, V−H, V−K,
 * their full covariance (polynomial coefficients + shared V), and the generalised-least-squares
 * mean with its reduced χ².
 */
import { jmmcTables, type JmmcTables } from './jmmc-tables';

/** A magnitude with its 1σ error (mag). */
export interface Magnitude {
  mag: number;
  err: number;
}

/** Photometry the estimator uses; J, H, K may be missing (null) individually. */
export interface JsdcPhotometry {
  V: Magnitude;
  J: Magnitude | null;
  H: Magnitude | null;
  K: Magnitude | null;
}

/** Colour of one pseudo-magnitude estimate. */
export type JsdcColour = 'VJ' | 'VH' | 'VK';

/** Result of the estimator. */
export interface JsdcDiameter {
  /** Per colour: log10 θ_LD (mas) and its 1σ (dex). */
  estimates: Array<{ colour: JsdcColour; logDiam: number; eLogDiam: number }>;
  /** GLS mean of log10 θ_LD and its 1σ (dex). */
  logDiamMean: number;
  eLogDiamMean: number;
  /**
   * Reduced χ² of the estimates about the mean as SearchCal 5.1 computes it (the version that wrote
   * the η Tau reference file): |r|ᵀC⁻¹|r| / (n − 1), with |r| the absolute residuals; 0 for one colour.
   */
  chi2: number;
  /** θ_LD (mas) and its statistical 1σ (mas), without the calibration bias term. */
  lddMas: number;
  eLddStatMas: number;
  /** σ(θ_LD) with SearchCal's 2 % bias term in quadrature (`JSDC_BIAS_REL`): JSDC's e_LDD. */
  eLddMas: number;
}

/**
 * Relative systematic error SearchCal adds in quadrature to every computed LDD error
 * (`sclsvrCALIBRATOR::ComputeAngularDiameter`: "here we add 2% on relative error to take into
 * account biases"; the JSDC ReadMe states biases of about 2 %). Without it a calibrator's σ(V²)
 * and ranking would be flattered.
 */
export const JSDC_BIAS_REL = 0.02;

/** σ(θ)/θ with the 2 % bias term added in quadrature. */
export function withJsdcBias(relErr: number): number {
  return Math.sqrt(relErr * relErr + JSDC_BIAS_REL * JSDC_BIAS_REL);
}

/** SearchCal's χ² threshold above which a diameter has LOW confidence (CalFlag bit 0). */
export const JSDC_CHI2_THRESHOLD = 5;

const COLOUR_BAND: Record<JsdcColour, 'J' | 'H' | 'K'> = { VJ: 'J', VH: 'H', VK: 'K' };
const COLOUR_BLOCK: Record<JsdcColour, number> = { VJ: 0, VH: 1, VK: 2 };

/**
 * Estimate θ_LD from the JMMC spectral index and V, J, H, K. Throws when the index is outside
 * the polynomial domain or no colour is available, naming which.
 */
export function estimateJsdcDiameter(spIndex: number, phot: JsdcPhotometry, tables: JmmcTables = jmmcTables): JsdcDiameter {
  const [lo, hi] = tables.domain;
  if (!(spIndex >= lo && spIndex <= hi)) throw new Error(`spectral index ${spIndex} is outside the JSDC domain ${lo}–${hi}`);
  const cV = tables.extinctionRatio.V;
  const x = [1, spIndex, spIndex ** 2, spIndex ** 3, spIndex ** 4];
  const used: Array<{ colour: JsdcColour; logDiam: number; cmI: number; cmJ: number; eX: number }> = [];
  for (const colour of ['VJ', 'VH', 'VK'] as const) {
    const m = phot[COLOUR_BAND[colour]];
    if (!m) continue;
    const cJ = tables.extinctionRatio[COLOUR_BAND[colour]];
    const coeffs = tables.polynomial[colour];
    let poly = 0;
    for (let k = 0; k < 5; k++) poly += coeffs[k] * x[k];
    const cmI = cV / (cV - cJ);
    const cmJ = cJ / (cV - cJ);
    // Reddening cancels in C_J·m_V − C_V·m_J, which is why no extinction estimate is needed.
    used.push({ colour, logDiam: poly + 0.2 * (cmJ * phot.V.mag - cmI * m.mag), cmI, cmJ, eX: m.err });
  }
  if (used.length === 0) throw new Error('no J, H or K magnitude: the JSDC estimator needs at least one of V−J, V−H, V−K');
  const n = used.length;
  const cov: number[][] = [];
  for (let a = 0; a < n; a++) {
    cov.push([]);
    for (let b = 0; b < n; b++) {
      const ba = COLOUR_BLOCK[used[a].colour] * 5;
      const bb = COLOUR_BLOCK[used[b].colour] * 5;
      let c = 0;
      for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) c += x[i] * tables.covariance[ba + i][bb + j] * x[j];
      const sV2 = phot.V.err ** 2;
      c += a === b
        ? 0.04 * (used[a].cmJ ** 2 * sV2 + used[a].cmI ** 2 * used[a].eX ** 2)
        : 0.04 * used[a].cmJ * used[b].cmJ * sV2;
      cov[a].push(c);
    }
  }
  const inv = invert(cov);
  let sumW = 0;
  let sumWd = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      sumW += inv[a][b];
      sumWd += inv[a][b] * used[b].logDiam;
    }
  }
  const mean = sumWd / sumW;
  // SearchCal takes the absolute residuals (alxComputeMeanAngularDiameter); with correlated
  // estimates that is not the same quadratic form, and the η Tau file is only reproduced with it.
  const absRes = used.map((u) => Math.abs(u.logDiam - mean));
  let chi = 0;
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) chi += absRes[a] * inv[a][b] * absRes[b];
  const eMean = 1 / Math.sqrt(sumW);
  const lddMas = 10 ** mean;
  const eStat = lddMas * Math.LN10 * eMean;
  return {
    estimates: used.map((u, a) => ({ colour: u.colour, logDiam: u.logDiam, eLogDiam: Math.sqrt(cov[a][a]) })),
    logDiamMean: mean,
    eLogDiamMean: eMean,
    chi2: n > 1 ? chi / (n - 1) : 0,
    lddMas,
    eLddStatMas: eStat,
    eLddMas: lddMas * withJsdcBias(eStat / lddMas),
  };
}

/** Gauss–Jordan inverse of a small symmetric positive-definite matrix. */
function invert(m: number[][]): number[][] {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    const p = a[col][col];
    if (p === 0) throw new Error('singular diameter covariance matrix');
    for (let j = 0; j < 2 * n; j++) a[col][j] /= p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r][col];
      if (f !== 0) for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[col][j];
    }
  }
  return a.map((row) => row.slice(n));
}

/** Raw magnitudes as a catalogue gives them: errors may be missing. */
export interface RawPhotometry {
  V: number;
  eV: number | null;
  J: number | null;
  eJ: number | null;
  H: number | null;
  eH: number | null;
  K: number | null;
  eK: number | null;
}

/**
 * SearchCal's run-time error rules (`sclsvrCALIBRATOR.cpp`, bright mode): V error floor 0.01 mag,
 * a missing V error becomes 0.04 mag (0.1 mag if V ≤ 3); J, H, K all take the largest of their
 * errors; every error is capped at 0.35 mag (0.25 in faint mode). A J/H/K magnitude without any
 * error is dropped, since the engine cannot weight it.
 */
export function searchCalPhotometry(raw: RawPhotometry, faint = false): JsdcPhotometry {
  const cap = faint ? 0.25 : 0.35;
  let eV = raw.eV ?? (raw.V <= 3 ? 0.1 : 0.04);
  eV = Math.min(cap, Math.max(0.01, eV));
  const ir = [raw.eJ, raw.eH, raw.eK].filter((e): e is number => e !== null && Number.isFinite(e));
  const eIr = ir.length ? Math.min(cap, Math.max(...ir)) : null;
  const mk = (mag: number | null): Magnitude | null => (mag === null || eIr === null ? null : { mag, err: eIr });
  return { V: { mag: raw.V, err: eV }, J: mk(raw.J), H: mk(raw.H), K: mk(raw.K) };
}

/** Result of a spectral-type scan: the diameter SearchCal adopts and the types compatible with the colours. */
export interface JsdcScan {
  lddMas: number;
  eLddStatMas: number;
  /** With the 2 % bias term, as SearchCal writes e_LDD. */
  eLddMas: number;
  /** χ² threshold that delimits the compatible types, which SearchCal reports as diam_chi2. */
  chi2: number;
  /** Smallest χ² over the scanned range and the index where it occurs. */
  minChi2: number;
  bestIndex: number;
  /** Spectral indices whose χ² is within the threshold (the "confidence area"). */
  compatibleRange: [number, number];
  /** Scanned indices (clipped to the polynomial domain). */
  scannedRange: [number, number];
  /** The confidence area touches an end of the scanned range: the colours do not bound the type. */
  isOpenEnded: boolean;
}

/**
 * SearchCal 5.1's treatment of an uncertain spectral type (`sclsvrCALIBRATOR::ComputeAngularDiameter`
 * at JMMC-OpenDev/SearchCal e3b6e7df, 2017-06, the version that wrote the η Tau reference file):
 * compute the JSDC mean at every integer index of the range, find the smallest reduced χ², keep
 * the indices with χ² ≤ max(1, χ²_min + 1/(n−1)), and adopt the mean of their log θ with an error
 * of √(rms² + largest σ²) (dex) converted at the best-χ² diameter, plus the 2 % bias term. Needs
 * all three colours, as SearchCal does (`nbRequiredDiameters = 3`). Throws naming what is missing.
 */
export function scanJsdcDiameter(range: readonly [number, number], phot: JsdcPhotometry, tables: JmmcTables = jmmcTables): JsdcScan {
  const [lo, hi] = [Math.max(tables.domain[0], Math.ceil(range[0])), Math.min(tables.domain[1], Math.floor(range[1]))];
  if (lo > hi) throw new Error(`spectral indices ${range[0]}–${range[1]} are outside the JSDC domain ${tables.domain[0]}–${tables.domain[1]}`);
  if (!phot.J || !phot.H || !phot.K) throw new Error('an uncertain spectral type needs J, H and K: with fewer colours the χ² cannot tell the compatible types apart');
  const samples: Array<{ idx: number; logD: number; eLog: number; chi2: number }> = [];
  for (let idx = lo; idx <= hi; idx++) {
    const d = estimateJsdcDiameter(idx, phot, tables);
    samples.push({ idx, logD: d.logDiamMean, eLog: d.eLogDiamMean, chi2: d.chi2 });
  }
  let best = samples[0];
  for (const s of samples) if (s.chi2 < best.chi2) best = s;
  // One free parameter (the index): Δχ² = 1 on the unreduced χ², i.e. 1/(n − 1) on the reduced one.
  const threshold = Math.max(1, best.chi2 + 1 / 2);
  const selected = samples.length > 1 ? samples.filter((s) => s.chi2 <= threshold) : [best];
  let maxErr = best.eLog;
  for (const s of selected) maxErr = Math.max(maxErr, s.eLog);
  const meanLog = selected.reduce((a, s) => a + s.logD, 0) / selected.length;
  const rms = Math.sqrt(selected.reduce((a, s) => a + (s.logD - meanLog) ** 2, 0) / selected.length);
  const lddMas = 10 ** meanLog;
  // SearchCal converts the dex error at the best-χ² diameter, not at the adopted mean.
  const eStat = Math.hypot(rms, maxErr) * 10 ** best.logD * Math.LN10;
  const compatibleRange: [number, number] = [selected[0].idx, selected[selected.length - 1].idx];
  return {
    lddMas,
    eLddStatMas: eStat,
    eLddMas: lddMas * withJsdcBias(eStat / lddMas),
    chi2: samples.length > 1 ? threshold : best.chi2,
    minChi2: best.chi2,
    bestIndex: best.idx,
    compatibleRange,
    scannedRange: [lo, hi],
    isOpenEnded: samples.length > 1 && (compatibleRange[0] === lo || compatibleRange[1] === hi),
  };
}
