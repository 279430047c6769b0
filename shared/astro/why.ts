/** Human reasons for a sample that is not observable, naming the telescope or baseline. */
import { baselineNames } from './baselines';
import { horizonElevationDeg } from './horizon';
import { Why, type NightGrid, type ObservabilityOptions, type StationName, type TargetObservability } from './types';

/** Context the explainer needs besides the target's flags. */
export interface WhyContext {
  grid: NightGrid;
  options: ObservabilityOptions;
  /** Moon–target separation at the sample, degrees (optional; improves the Moon reason). */
  moonSepDeg?: number;
}

const fmt = (v: number, digits = 1) => v.toFixed(digits);

/**
 * Reasons why sample `k` of `target` is not observable, most fundamental first
 * (e.g. "W1 below horizon (az 212°, alt 31.2° < 34.0°)", "delay line S1-W2 out of reach").
 * Empty when the sample is observable.
 */
export function explainSample(target: TargetObservability, k: number, ctx: WhyContext): string[] {
  const flags = target.why[k];
  if (!flags) return [];
  const o = ctx.options;
  const stations = o.stations as StationName[];
  const alt = target.altDeg[k];
  const az = target.azDeg[k];
  const reasons: string[] = [];
  if (flags & Why.twilight) {
    reasons.push(`Sun at ${fmt(ctx.grid.sunAltDeg[k])}° (night needs < ${fmt(o.twilightDeg, 0)}°)`);
  }
  if (flags & Why.minElevation && alt > 0) {
    reasons.push(`elevation ${fmt(alt)}° < minimum ${fmt(o.minElevationDeg, 0)}°`);
  }
  if (flags & Why.maxElevation) {
    reasons.push(`elevation ${fmt(alt)}° > telescope limit ${fmt(o.maxElevationDeg ?? 85, 0)}°`);
  }
  if (alt <= 0) {
    reasons.push(`target below the horizon (alt ${fmt(alt)}°)`);
  } else if (flags & Why.horizon) {
    const bits = target.horizonStations[k];
    stations.forEach((s, i) => {
      if (bits & (1 << i)) {
        reasons.push(`${s} below horizon (az ${fmt(az, 0)}°, alt ${fmt(alt)}° < ${fmt(horizonElevationDeg(s, az))}°)`);
      }
    });
  }
  if (flags & Why.moon) {
    const sep = ctx.moonSepDeg;
    reasons.push(sep === undefined ? `Moon closer than ${fmt(o.minMoonSepDeg, 0)}°` : `Moon ${fmt(sep)}° away (< ${fmt(o.minMoonSepDeg, 0)}°)`);
  }
  if (flags & Why.delayLine) {
    const names = baselineNames(stations);
    const bits = target.delayBaselines[k];
    names.forEach((name, b) => {
      if (bits & (1 << b)) reasons.push(`delay line ${name} out of reach (PoPs ${target.pops})`);
    });
  }
  return reasons;
}
