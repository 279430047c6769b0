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
  /** Reduced χ² of the estimates about the mean (rᵀC⁻¹r / n). */
  chi2: number;
  /** θ_LD and σ(θ_LD) in mas. */
  lddMas: number;
  eLddMas: number;
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
  let chi = 0;
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) chi += (used[a].logDiam - mean) * inv[a][b] * (used[b].logDiam - mean);
  const eMean = 1 / Math.sqrt(sumW);
  const lddMas = 10 ** mean;
  return {
    estimates: used.map((u, a) => ({ colour: u.colour, logDiam: u.logDiam, eLogDiam: Math.sqrt(cov[a][a]) })),
    logDiamMean: mean,
    eLogDiamMean: eMean,
    chi2: chi / n,
    lddMas,
    eLddMas: lddMas * Math.LN10 * eMean,
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
