/**
 * Per-station horizon profiles as lookup tables at 0.1° of azimuth (ASPRO2 HorizonService
 * tests polygon containment in 0.1° integer units; the profile is linear between points).
 */
import { charaStation } from '../chara/model';
import type { StationName } from './types';

const STEPS = 3600;
const cache = new Map<string, Float32Array>();

/** Horizon elevation (degrees) of `station` every 0.1° of azimuth, index 0..3600. */
export function horizonTable(station: StationName): Float32Array {
  const hit = cache.get(station);
  if (hit) return hit;
  const profile = charaStation(station).horizonAzElDeg;
  const table = new Float32Array(STEPS + 1);
  let seg = 0;
  for (let k = 0; k <= STEPS; k++) {
    const az = k / 10;
    while (seg < profile.length - 2 && profile[seg + 1][0] < az) seg++;
    const [az0, el0] = profile[seg];
    const [az1, el1] = profile[Math.min(seg + 1, profile.length - 1)];
    // Vertical steps (two points at one azimuth) take the higher elevation.
    table[k] = az1 === az0 ? Math.max(el0, el1) : el0 + ((el1 - el0) * (az - az0)) / (az1 - az0);
  }
  cache.set(station, table);
  return table;
}

/** Horizon elevation of `station` at azimuth `azDeg` (North through East), degrees. */
export function horizonElevationDeg(station: StationName, azDeg: number): number {
  const a = ((azDeg % 360) + 360) % 360;
  return horizonTable(station)[Math.round(a * 10)];
}

/** Highest horizon point of any station: above it no horizon test is needed. */
export function maxHorizonDeg(stations: readonly StationName[]): number {
  let max = 0;
  for (const s of stations) for (const [, el] of charaStation(s).horizonAzElDeg) max = Math.max(max, el);
  return max;
}
