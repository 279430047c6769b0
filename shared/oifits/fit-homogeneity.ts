/**
 * A night's homogeneity from its quick-look fits: per target, the weighted mean of the files' UD
 * diameters and whether the files agree with each other. This is what a reviewer checks across a
 * night folder before calling it science ready: one file whose diameter stands apart points at a
 * bad calibrator or a bad night, not at the star.
 */
import type { DiameterFit } from './fit';

/** One target's UD diameters across the files of a batch. */
export interface TargetDiameterSummary {
  target: string;
  files: number;
  /** Inverse-variance weighted mean of the files' UD diameters (mas), weights from `errorScaledMas`. */
  meanUdMas: number;
  /** 1σ error of that mean (mas). */
  errorMas: number;
  /** χ² of the files about the mean over (files − 1); null with one file. */
  chi2r: number | null;
  /** (max − min) / mean of the files' diameters, in per cent. */
  spreadPercent: number;
  /** False when the files disagree: χ²r above `maxChi2r`. */
  consistent: boolean;
}

/**
 * Per target (files without a target are grouped under "?"), the weighted mean UD diameter of a
 * batch of fits and the consistency of the files, sorted by target name. A fit with a
 * non-positive or non-finite error is left out (it has no weight).
 */
export function diameterHomogeneity(fits: readonly { target: string | null; ud: DiameterFit }[], maxChi2r = 3): TargetDiameterSummary[] {
  const byTarget = new Map<string, DiameterFit[]>();
  for (const f of fits) {
    if (!(f.ud.errorScaledMas > 0) || !Number.isFinite(f.ud.diameterMas)) continue;
    const key = f.target ?? '?';
    byTarget.set(key, [...(byTarget.get(key) ?? []), f.ud]);
  }
  return [...byTarget.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([target, uds]) => {
      let sw = 0;
      let swx = 0;
      for (const u of uds) {
        const w = 1 / u.errorScaledMas ** 2;
        sw += w;
        swx += w * u.diameterMas;
      }
      const mean = swx / sw;
      const chi2 = uds.reduce((s, u) => s + ((u.diameterMas - mean) / u.errorScaledMas) ** 2, 0);
      const chi2r = uds.length > 1 ? chi2 / (uds.length - 1) : null;
      const ds = uds.map((u) => u.diameterMas);
      return {
        target,
        files: uds.length,
        meanUdMas: mean,
        errorMas: 1 / Math.sqrt(sw),
        chi2r,
        spreadPercent: (100 * (Math.max(...ds) - Math.min(...ds))) / mean,
        consistent: chi2r === null || chi2r <= maxChi2r,
      };
    });
}
