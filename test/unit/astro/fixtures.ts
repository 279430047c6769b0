/** Readers of the astro fixtures copied from ../shared (see test/fixtures/astro/PROVENANCE.md). */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultObservabilityOptions } from '../../../shared/astro/observability';
import { mjdFromIso } from '../../../shared/astro/time';
import type { ObservabilityOptions } from '../../../shared/astro/types';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/astro');

/** Rows of a simple comma-separated file with a header line. */
export function readCsv(name: string): Array<Record<string, string>> {
  const lines = readFileSync(resolve(FIXTURES, name), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const values = line.split(',');
    return Object.fromEntries(head.map((h, i) => [h, values[i]]));
  });
}

/** A JSON fixture. */
export function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8')) as T;
}

/** The astroplan benchmark configuration (site, window, constraints). */
export interface BenchConfig {
  site: { lat_deg: number; lon_deg: number; height_m: number };
  night_local_date: string;
  window_utc: { start: string; end: string };
  grid_step_min: number;
  constraints: { altitude_min_deg: number; sun_altitude_max_deg: number; moon_separation_min_deg: number };
}

/**
 * Our engine's options for exactly astroplan's benchmark constraints (site, grid, altitude, Sun,
 * Moon; no horizons, no delay lines, no 85° limit). The mask test and `bench:observability` both
 * use it, so the speed comparison and the correctness check are about the same computation.
 */
export function astroplanBenchOptions(config: BenchConfig): ObservabilityOptions {
  const c = config.constraints;
  return defaultObservabilityOptions(config.night_local_date, {
    site: { latDeg: config.site.lat_deg, lonDeg: config.site.lon_deg, heightM: config.site.height_m },
    gridStartMjd: mjdFromIso(config.window_utc.start),
    gridEndMjd: mjdFromIso(config.window_utc.end),
    stepMin: config.grid_step_min,
    minElevationDeg: c.altitude_min_deg,
    twilightDeg: c.sun_altitude_max_deg,
    minMoonSepDeg: c.moon_separation_min_deg,
    useDelayLines: false,
    useHorizons: false,
    maxElevationDeg: 90,
    moonRuleBelowHorizon: true,
  });
}
