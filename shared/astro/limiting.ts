/**
 * Why a target is not observable tonight, in one sentence: the LIMITING constraint, not the first
 * reason at the first dark sample. Constraints are peeled in order — darkness, elevation, the
 * telescopes' horizons, the Moon, the delay lines — and the one that leaves no sample is named,
 * with the part of the night the earlier ones allowed. A target above 30° from 02:10 to 06:40
 * that no PoP setting can bring within the carts' reach is "out of the delay lines' reach", even
 * if at dusk it was also below the horizon.
 */
import type { ConstraintRow } from '../contract/astro';
import { isoFromMjd } from './time';

/** What the sentence is made from (a subset of `TargetNight`). */
export interface LimitingInput {
  timesMjd: ArrayLike<number>;
  altDeg: ArrayLike<number>;
  azDeg: ArrayLike<number>;
  rows: readonly ConstraintRow[];
  /** PoPs used, one digit per station ('' without delay lines). */
  pops: string;
  stations: readonly string[];
  minElevationDeg: number;
  twilightDeg: number;
}

const hhmm = (mjd: number) => isoFromMjd(mjd).slice(11, 16);
const deg = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)}°`.replace('-', '−');

function span(times: ArrayLike<number>, samples: readonly number[]): string {
  return `${hhmm(times[samples[0]])}–${hhmm(times[samples[samples.length - 1]])} UT`;
}

/** Names failing on every sample of `samples`, else the ones failing most often, most first. */
function culprits(rows: readonly ConstraintRow[], samples: readonly number[]): { names: string[]; isEverywhere: boolean } {
  const counts = rows.map((r) => ({ name: r.label, fails: samples.filter((k) => !r.ok[k]).length }));
  const everywhere = counts.filter((c) => c.fails === samples.length).map((c) => c.name);
  if (everywhere.length) return { names: everywhere, isEverywhere: true };
  return { names: counts.filter((c) => c.fails > 0).sort((a, b) => b.fails - a.fails).map((c) => c.name), isEverywhere: false };
}

const list = (names: string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

/**
 * The limiting constraint of a night that has no observable sample, as a sentence without the
 * leading "Not observable: "; null when some sample is observable.
 */
export function limitingReason(input: LimitingInput): string | null {
  const { rows, timesMjd, altDeg } = input;
  const n = timesMjd.length;
  const okIn = (kind: ConstraintRow['kind'], k: number) => rows.filter((r) => r.kind === kind).every((r) => r.ok[k] === 1);
  let samples = Array.from({ length: n }, (_, k) => k).filter((k) => okIn('night', k));
  if (samples.length === 0) return `no dark time tonight (the Sun never goes below ${deg(input.twilightDeg)})`;

  const dark = samples;
  const highest = dark.reduce((best, k) => (altDeg[k] > altDeg[best] ? k : best), dark[0]);
  samples = dark.filter((k) => okIn('elevation', k));
  if (samples.length === 0) {
    const top = `highest ${deg(altDeg[highest])} at ${hhmm(timesMjd[highest])} UT`;
    if (altDeg[highest] <= 0) return `below the horizon all through the dark hours (${top})`;
    if (altDeg[highest] < input.minElevationDeg) return `never above the minimum elevation ${deg(input.minElevationDeg)} in the dark (${top})`;
    return `above the telescopes' elevation limit whenever it is dark (${top})`;
  }
  const elevated = samples;
  const above = `above ${deg(input.minElevationDeg)} (${span(timesMjd, elevated)})`;

  samples = elevated.filter((k) => okIn('horizon', k));
  if (samples.length === 0) {
    const c = culprits(rows.filter((r) => r.kind === 'horizon'), elevated);
    const stations = c.names.map((x) => x.replace(/^horizon /, ''));
    const az = elevated.map((k) => input.azDeg[k]);
    const where = `az ${Math.round(Math.min(...az))}–${Math.round(Math.max(...az))}°`;
    return c.isEverywhere
      ? `hidden by the horizon of ${list(stations)} whenever it is ${above} (${where})`
      : `hidden by a telescope's horizon (${list(stations)}) at every moment it is ${above} (${where})`;
  }
  const clear = samples;
  samples = clear.filter((k) => okIn('moon', k));
  if (samples.length === 0) return `too close to the Moon whenever it is ${above}`;
  const moonFree = samples;

  samples = moonFree.filter((k) => okIn('baseline', k));
  if (samples.length === 0) {
    const c = culprits(rows.filter((r) => r.kind === 'baseline'), moonFree);
    const pops = `PoPs ${input.pops} (${input.stations.join(' ')})`;
    return c.isEverywhere
      ? `out of the delay lines' reach with ${pops}: ${list(c.names)} cannot reach it while it is ${above}`
      : `out of the delay lines' reach with ${pops}: while it is ${above}, one of ${c.names.join(', ')} is always out of reach`;
  }
  return null;
}
