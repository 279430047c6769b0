/** Readers of the astro fixtures copied from ../shared (see test/fixtures/astro/PROVENANCE.md). */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
