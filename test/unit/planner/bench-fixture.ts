/** Loads the astroplan benchmark fixture (copied from ../shared/bench/astroplan, see PROVENANCE.md). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ObservabilityOptions } from '../../../shared/astro/types';
import { mjdFromIso } from '../../../shared/astro/time';
import { defaultObservabilityOptions } from '../../../shared/astro/observability';
import { nearestCalibrators, prepareNight } from '../../../shared/planner/night-input';
import { parseTargetsCsv } from '../../../shared/planner/targets-csv';
import type { PlanJob } from '../../../shared/planner/pipeline';
import { DEFAULT_PLAN_SETTINGS } from '../../../shared/planner/types';
import { DEFAULT_VIS2_BOUNDS } from '../../../shared/models';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'planner');

/** The 1000 bench targets. */
export function benchTargets() {
  return parseTargetsCsv(readFileSync(join(FIXTURE_DIR, 'targets.csv'), 'utf8'), 'targets.csv');
}

/**
 * A CHARA 6T night (2024-05-15, best PoPs, delay lines, −18° twilight) of the first 150 bench
 * targets (priorities folded to 1–4), each with up to 3 of the other 850 as nearest calibrators.
 */
export function sixTNight() {
  const all = benchTargets();
  const science = all.slice(0, 150).map((t) => ({ ...t, finalPriority: Math.ceil(t.finalPriority / 250) }));
  const pool = all.slice(150);
  const options = defaultObservabilityOptions('2024-05-15', { twilightDeg: -18 });
  const prepared = prepareNight(science, options, (i) => {
    const cals = nearestCalibrators(science[i], pool, { maxSepDeg: 12, maxDeltaV: 10, count: 3 });
    return { source: cals.length ? ('nearest' as const) : ('none' as const), calibrators: cals };
  });
  return { science, pool, options, prepared };
}

/** The bench constraints as engine options: astroplan's site, grid, Moon rule and no CHARA extras. */
export function benchOptions(): ObservabilityOptions {
  const cfg = JSON.parse(readFileSync(join(FIXTURE_DIR, 'config.json'), 'utf8'));
  return {
    night: cfg.night_local_date,
    stations: ['S1', 'S2'],
    pops: 'auto',
    minElevationDeg: cfg.constraints.altitude_min_deg,
    twilightDeg: cfg.constraints.sun_altitude_max_deg,
    minMoonSepDeg: cfg.constraints.moon_separation_min_deg,
    stepMin: cfg.grid_step_min,
    useDelayLines: false,
    site: { latDeg: cfg.site.lat_deg, lonDeg: cfg.site.lon_deg, heightM: cfg.site.height_m },
    gridStartMjd: mjdFromIso(cfg.window_utc.start),
    gridEndMjd: mjdFromIso(cfg.window_utc.end),
    maxElevationDeg: 90,
    useHorizons: false,
    moonRuleBelowHorizon: true,
  };
}

/** astroplan's combined masks by target name, and its grid instants (MJD). */
export function astroplanMasks(): { masks: Map<string, string>; timesMjd: number[] } {
  const rows = readFileSync(join(FIXTURE_DIR, 'observability_astroplan.csv'), 'utf8').trim().split('\n').slice(1);
  const masks = new Map(rows.map((r) => {
    const c = r.split(',');
    return [c[0], c[5]] as const;
  }));
  const timesMjd = readFileSync(join(FIXTURE_DIR, 'grid_times_utc.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((r) => mjdFromIso(r.split(',')[1]));
  return { masks, timesMjd };
}

/** Number of science blocks astroplan's PriorityScheduler placed (5-min resolution). */
export function astroplanBlockCount(): number {
  return readFileSync(join(FIXTURE_DIR, 'schedule_astroplan.csv'), 'utf8').split('\n').filter((l) => l.startsWith('block,')).length;
}

/**
 * A plan job on 120 bench targets (priorities folded to 1–4) with their nearest calibrators from
 * the rest, 6T on 2024-05-15 with 4 PoP sets, a whole-night plan: the pipeline tests' job, on the
 * pipeline's night cache under `key`.
 */
export function benchPlanJob(key: string): PlanJob {
  const all = benchTargets();
  const targets = all.slice(0, 120).map((t) => ({ ...t, finalPriority: Math.ceil(t.finalPriority / 250) }));
  const pool = all.slice(120);
  const options = { ...defaultObservabilityOptions('2024-05-15', { twilightDeg: -18 }), stations: ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'] as const };
  return {
    prepare: { key, targets, options: { ...options, stations: [...options.stations] }, prepare: { popPoolSize: 4 }, settings: DEFAULT_PLAN_SETTINGS, perSlot: 6 },
    choices: targets.map((t, i) => [i, { source: 'nearest', calibrators: nearestCalibrators(t, pool, { maxSepDeg: 12, maxDeltaV: 10, count: 3 }) }]),
    modelPolicy: 'off',
    vis2Bounds: DEFAULT_VIS2_BOUNDS,
    blocks: [],
    fromMjd: -Infinity,
    settings: DEFAULT_PLAN_SETTINGS,
    skippedKeys: [],
    withShadows: true,
  };
}
