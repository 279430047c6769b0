/** Configurations, baselines and projected baseline coordinates of the CHARA Array. */
import { charaStation } from '../chara/model';
import { STATION_NAMES, type StationName } from './types';

/**
 * Validate a station list: 2 to 6 distinct CHARA stations. Throws naming the bad entry.
 * The order is kept: it is the order of PoP digits and of `baselinePairs`.
 */
export function parseStations(list: readonly string[]): StationName[] {
  if (list.length < 2 || list.length > 6) {
    throw new Error(`a configuration has 2 to 6 stations, got ${list.length} (${list.join(',')})`);
  }
  const seen = new Set<string>();
  for (const name of list) {
    if (!(STATION_NAMES as readonly string[]).includes(name)) {
      throw new Error(`unknown station "${name}" in configuration (expected ${STATION_NAMES.join(' ')})`);
    }
    if (seen.has(name)) throw new Error(`station ${name} appears twice in the configuration`);
    seen.add(name);
  }
  return [...list] as StationName[];
}

/** Baselines of a configuration: every pair (i < j) in station order, as index pairs. */
export function baselinePairs(stations: readonly StationName[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < stations.length; i++) {
    for (let j = i + 1; j < stations.length; j++) pairs.push([i, j]);
  }
  return pairs;
}

/** Names of the baselines of a configuration, `S1-E1` style, in `baselinePairs` order. */
export function baselineNames(stations: readonly StationName[]): string[] {
  return baselinePairs(stations).map(([i, j]) => `${stations[i]}-${stations[j]}`);
}

/** Baseline vector first − second in ASPRO2's equatorial XYZ frame, metres. */
export function baselineXyzM(first: StationName, second: StationName): [number, number, number] {
  const a = charaStation(first).xyzM;
  const b = charaStation(second).xyzM;
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

/**
 * Projected baseline (u, v, w) in metres for hour angle and declination in radians
 * (ASPRO2 CalcUVW): w is the geometric delay the delay lines must compensate.
 */
export function projectBaseline(b: readonly [number, number, number], haRad: number, decRad: number): { uM: number; vM: number; wM: number } {
  const sh = Math.sin(haRad);
  const ch = Math.cos(haRad);
  const sd = Math.sin(decRad);
  const cd = Math.cos(decRad);
  return {
    uM: sh * b[0] + ch * b[1],
    vM: -sd * ch * b[0] + sd * sh * b[1] + cd * b[2],
    wM: cd * (ch * b[0] - sh * b[1]) + sd * b[2],
  };
}
