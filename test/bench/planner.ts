/**
 * Night-planner benchmark: astroplan's PriorityScheduler (Debian python3-astroplan, offline) and
 * our planner on the same 1000 targets, night and constraints (../shared/bench/astroplan), in one
 * run. Prints both times, the ratio and plan quality (blocks placed, sum of priorities, idle time),
 * then our re-plan time for the rest of the night and our time with CHARA 6T CAL–SCI–CAL brackets.
 *
 *   npm run bench:planner            (BENCH_REPS=3 astroplan repetitions; default 1, ~7 s each)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultObservabilityOptions } from '../../shared/astro/observability';
import { mjdFromIso } from '../../shared/astro/time';
import { nearestCalibrators, prepareNight } from '../../shared/planner/night-input';
import { replanFrom } from '../../shared/planner/replan';
import { buildPlan } from '../../shared/planner/scheduler';
import { DEFAULT_PLAN_SETTINGS, type PlannedBlock } from '../../shared/planner/types';
import { benchOptions, benchTargets } from '../unit/planner/bench-fixture';

const HERE = dirname(fileURLToPath(import.meta.url));
const ANCHOR_DIR = join(HERE, '..', '..', '..', 'shared', 'bench', 'astroplan');
const PYTHON = '/usr/bin/python3';
const REPS = Number(process.env.BENCH_REPS ?? 1);
/** Our runs: JIT warm-up first (astroplan's reps also run with imports and caches warm), then timed. */
const WARMUP = 3;
const TIMED = 15;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;

interface Quality {
  blocks: number;
  prioritySum: number;
  idleMin: number;
}

function quality(blocks: Array<{ startMjd: number; endMjd: number; priority: number }>, dusk: number, dawn: number): Quality {
  const busy = blocks.reduce((s, b) => s + Math.max(0, Math.min(b.endMjd, dawn) - Math.max(b.startMjd, dusk)), 0);
  return { blocks: blocks.length, prioritySum: blocks.reduce((s, b) => s + b.priority, 0), idleMin: Math.round((dawn - dusk - busy) * 1440) };
}

function runAstroplan(): { timeS: number; q: (dusk: number, dawn: number) => Quality; night: { dusk: number; dawn: number } } | null {
  if (!existsSync(PYTHON) || !existsSync(join(ANCHOR_DIR, 'bench_astroplan.py'))) return null;
  const out = mkdtempSync(join(tmpdir(), 'bench-astroplan-'));
  try {
    execFileSync(PYTHON, [join(ANCHOR_DIR, 'bench_astroplan.py'), '--reps', String(REPS), '--skip-table', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    const timings = JSON.parse(readFileSync(join(out, 'timings.json'), 'utf8'));
    const rows = readFileSync(join(out, 'schedule_astroplan.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const blocks = rows.filter((r) => r[0] === 'block').map((r) => ({ startMjd: mjdFromIso(r[3]), endMjd: mjdFromIso(r[4]), priority: Number(r[2]) }));
    const night = { dusk: mjdFromIso(timings.night.evening_astro_twilight_utc), dawn: mjdFromIso(timings.night.morning_astro_twilight_utc) };
    return { timeS: timings.sched_median_s, q: (dusk, dawn) => quality(blocks, dusk, dawn), night };
  } catch (e) {
    console.error(`astroplan anchor failed: ${(e as Error).message}`);
    return null;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function main(): void {
  const targets = benchTargets();
  const options = benchOptions();
  const settings = { ...DEFAULT_PLAN_SETTINGS, bracket: 'none' as const, acquisitionS: 0, pointS: 1800, slewRateDegPerS: 0.8, popChangeS: 0 };
  const prio = new Map(targets.map((t) => [t.key, t.finalPriority]));

  // Ours: observability of the 1000 targets (engine) + scheduling, as astroplan's timing includes its constraints.
  const runs: Array<{ obsMs: number; planMs: number }> = [];
  let blocks: PlannedBlock[] = [];
  const c0 = performance.now();
  let prepared = prepareNight(targets, options, () => ({ source: 'none', calibrators: [] }));
  const c1 = performance.now();
  buildPlan({ window: prepared.window, candidates: prepared.candidates, settings });
  const coldMs = { obs: c1 - c0, plan: performance.now() - c1 };
  for (let r = 0; r < WARMUP + TIMED; r++) {
    const t0 = performance.now();
    prepared = prepareNight(targets, options, () => ({ source: 'none', calibrators: [] }));
    const t1 = performance.now();
    blocks = buildPlan({ window: prepared.window, candidates: prepared.candidates, settings }).blocks;
    if (r >= WARMUP) runs.push({ obsMs: t1 - t0, planMs: performance.now() - t1 });
  }
  const oursObs = median(runs.map((r) => r.obsMs));
  const oursPlan = median(runs.map((r) => r.planMs));
  const oursTotal = median(runs.map((r) => r.obsMs + r.planMs));

  // Re-plan the rest of the night: first three blocks done, clouds until 2 h after dusk.
  const done = blocks.slice(0, 3).map((b) => ({ ...b, status: 'done' as const }));
  const fromMjd = prepared.window.startMjd + 2 / 24;
  const replanMs: number[] = [];
  for (let r = 0; r < WARMUP + TIMED; r++) {
    const t0 = performance.now();
    replanFrom({ blocks: [...done, ...blocks.slice(3)], night: prepared.window, fromMjd, candidates: prepared.candidates, settings });
    if (r >= WARMUP) replanMs.push(performance.now() - t0);
  }

  // CHARA 6T, best PoPs + delay lines, CAL–SCI–CAL with the nearest other bench stars as calibrators.
  const chara = defaultObservabilityOptions(options.night, { twilightDeg: -18 });
  const t6 = performance.now();
  const prepared6 = prepareNight(targets, chara, (i) => {
    const cals = nearestCalibrators(targets[i], targets, { maxSepDeg: 10, maxDeltaV: 10, count: 3 });
    return { source: cals.length ? 'nearest' : 'none', calibrators: cals };
  });
  const t7 = performance.now();
  const plan6 = buildPlan({ window: prepared6.window, candidates: prepared6.candidates, settings: DEFAULT_PLAN_SETTINGS, sidereal: prepared6.sidereal, popPreference: prepared6.popPreference });
  const t8 = performance.now();

  console.log('astroplan anchor: PriorityScheduler, 1000 targets, 30-min blocks, 5-min resolution, slew 0.8°/s');
  const anchor = runAstroplan();
  const dusk = anchor?.night.dusk ?? prepared.window.startMjd;
  const dawn = anchor?.night.dawn ?? prepared.window.endMjd;
  const ours = quality(blocks.map((b) => ({ startMjd: b.startMjd, endMjd: b.endMjd, priority: prio.get(b.sequenceId) ?? 0 })), dusk, dawn);

  console.log('\n| measure | ours | astroplan | ratio (astroplan / ours) |');
  console.log('|---|---|---|---|');
  if (anchor) {
    console.log(`| full night, 1000 targets (observability + scheduling) | ${ms(oursTotal)} | ${ms(anchor.timeS * 1000)} | ${(anchor.timeS * 1000 / oursTotal).toFixed(0)}× |`);
    const aq = anchor.q(dusk, dawn);
    console.log(`| blocks placed | ${ours.blocks} | ${aq.blocks} | |`);
    console.log(`| sum of priorities of placed blocks (1 = most important) | ${ours.prioritySum} | ${aq.prioritySum} | |`);
    console.log(`| mean priority of placed blocks | ${(ours.prioritySum / ours.blocks).toFixed(1)} | ${(aq.prioritySum / aq.blocks).toFixed(1)} | |`);
    console.log(`| idle time in the astronomical night (min) | ${ours.idleMin} | ${aq.idleMin} | |`);
  } else {
    console.log(`| full night, 1000 targets | ${ms(oursTotal)} | (python3-astroplan missing: not run) | |`);
    console.log(`| blocks placed | ${ours.blocks} | | |`);
  }
  console.log(`\nours, split: observability ${ms(oursObs)}, scheduling ${ms(oursPlan)} (median of ${runs.length} after ${WARMUP} warm-up runs); astroplan reps: ${REPS}`);
  console.log(`ours, first (cold) run in this process: observability ${ms(coldMs.obs)}, scheduling ${ms(coldMs.plan)}`);
  console.log(`re-plan of the rest of the night (3 done, from dusk + 2 h): ${ms(median(replanMs))} median of ${replanMs.length}`);
  console.log(
    `CHARA 6T, best PoPs, delay lines, CAL–SCI–CAL (no anchor): observability incl. calibrators and PoP variants ${ms(t7 - t6)}, scheduling ${ms(t8 - t7)}; ` +
      `${plan6.stats.scienceBlocks} sequences, idle ${Math.round(plan6.stats.idleS / 60)} min, ${plan6.stats.popChanges} PoP changes`,
  );
}

main();
