/** `companion` commands of the planner domain: `plan` (a night of CAL–SCI–CAL sequences). */
import { readFileSync } from 'node:fs';
import { localMidnightMjd } from '../../../shared/astro/night';
import { defaultObservabilityOptions } from '../../../shared/astro/observability';
import { CHARA_SITE } from '../../../shared/astro/site';
import { isoFromMjd } from '../../../shared/astro/time';
import { STATION_NAMES, type StationName } from '../../../shared/astro/types';
import type { PlanBlockView } from '../../../shared/planner/api-types';
import { nearestCalibrators, prepareNight, type CalibratorChoice } from '../../../shared/planner/night-input';
import { replanFrom } from '../../../shared/planner/replan';
import { parseTargetsCsv, type CsvTarget } from '../../../shared/planner/targets-csv';
import { DEFAULT_PLAN_SETTINGS, type LeftOut, type PlanSettings } from '../../../shared/planner/types';
import { blockViews, sequenceInfo } from '../../../shared/planner/view';
import { resolvePaths } from '../../services/paths';
import { CalibratorSource } from '../../services/planner/calibrator-source';
import { parseFlags } from '../args';
import { CliError, numberFlag, type Command } from '../command';

/** The UTC instant of `hhmm` during the night of `night` (the one closest to local midnight). */
export function fromHhmm(night: string, hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new CliError(`--from must be HH:MM (UTC), got "${hhmm}"`);
  const midnight = localMidnightMjd(night, CHARA_SITE);
  const dayFraction = (Number(m[1]) * 60 + Number(m[2])) / 1440;
  const base = Math.floor(midnight);
  const options = [base - 1, base, base + 1].map((d) => d + dayFraction);
  return options.reduce((a, b) => (Math.abs(b - midnight) < Math.abs(a - midnight) ? b : a));
}

function parseStations(raw: string | undefined): StationName[] {
  const list = (raw ?? STATION_NAMES.join(',')).split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  for (const s of list) {
    if (!(STATION_NAMES as readonly string[]).includes(s)) throw new CliError(`--config: unknown station "${s}" (use ${STATION_NAMES.join(', ')})`);
  }
  if (list.length < 2 || new Set(list).size !== list.length) throw new CliError(`--config needs 2 to 6 distinct stations, got "${raw}"`);
  return list as StationName[];
}

interface CliPlan {
  night: string;
  window: { start_utc: string; end_utc: string };
  blocks: Array<{
    kind: 'SCI' | 'CAL';
    target: string;
    ra_deg: number;
    dec_deg: number;
    start_utc: string;
    end_utc: string;
    pops?: string;
    calibrators?: string[];
    calibrator_source?: string;
    status: string;
  }>;
  leftOut: Array<{ target: string; reason: string }>;
  stats: Record<string, number>;
}

function cliBlocks(blocks: readonly PlanBlockView[]): CliPlan['blocks'] {
  return blocks.map((b) => ({
    kind: b.kind,
    target: b.name,
    ra_deg: b.raDeg,
    dec_deg: b.decDeg,
    start_utc: b.startUtc,
    end_utc: b.endUtc,
    ...(b.pops ? { pops: b.pops } : {}),
    ...(b.kind === 'SCI' && b.calibrators.length ? { calibrators: b.calibrators, calibrator_source: b.calibratorSource } : {}),
    status: b.status,
  }));
}

function cliLeftOut(leftOut: readonly LeftOut[]): CliPlan['leftOut'] {
  return leftOut.map((l) => ({ target: l.name, reason: l.reason }));
}

function printText(plan: CliPlan, io: { out(t: string): void }): void {
  io.out(`Night ${plan.night}: dark ${plan.window.start_utc.slice(11, 16)}–${plan.window.end_utc.slice(11, 16)} UTC\n`);
  for (const b of plan.blocks) {
    const cals = b.calibrators ? `  cal ${b.calibrators.join(', ')}` : '';
    io.out(`${b.start_utc.slice(11, 16)}–${b.end_utc.slice(11, 16)}  ${b.kind}  ${b.target.padEnd(16)} ${b.pops ?? ''}${cals}\n`);
  }
  io.out(`${plan.stats.scienceBlocks} science blocks, ${plan.leftOut.length} left out, idle ${Math.round(plan.stats.idleS / 60)} min\n`);
}

const planCommand: Command = {
  name: ['plan'],
  usage:
    'companion plan --night YYYY-MM-DD [--from HH:MM] [--config S1,S2,...] [--pops auto|DIGITS]\n' +
    '               [--targets FILE.csv | --targets survey] [--calibrators auto|csv|none]\n' +
    '               [--min-elevation 30] [--twilight -18] [--moon 5] [--no-delay-lines]\n' +
    '               [--point-s 600] [--points 1] [--acquisition-s 600] [--bracket cal-sci-cal|none]\n' +
    '               [--slew-rate DEG_PER_S] [--pop-change-s 900] [--json] [--data-dir DIR]\n' +
    '  --targets FILE: CSV with name, ra_deg, dec_deg, priority (1 = most important), optional vmag.\n' +
    '  --targets survey (default): the store\'s survey, saved as a plan.\n' +
    '  --calibrators (CSV mode): auto = calibrator engine / bright stars, csv = nearest rows of the file.\n' +
    '  --from HH:MM: re-plan from that UTC time of the night. Output times are ISO 8601 UTC.',
  async run(args, io) {
    const { values } = parseFlags({
      args,
      options: {
        night: { type: 'string' },
        from: { type: 'string' },
        config: { type: 'string' },
        pops: { type: 'string', default: 'auto' },
        targets: { type: 'string', default: 'survey' },
        calibrators: { type: 'string', default: 'auto' },
        'min-elevation': { type: 'string' },
        twilight: { type: 'string' },
        moon: { type: 'string' },
        'no-delay-lines': { type: 'boolean', default: false },
        'point-s': { type: 'string' },
        points: { type: 'string' },
        'acquisition-s': { type: 'string' },
        bracket: { type: 'string', default: 'cal-sci-cal' },
        'slew-rate': { type: 'string' },
        'pop-change-s': { type: 'string' },
        json: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
      },
      strict: true,
    });
    const night = values.night;
    if (!night || !/^\d{4}-\d{2}-\d{2}$/.test(night)) throw new CliError(`--night YYYY-MM-DD is required${night ? `, got "${night}"` : ''}`);
    const stations = parseStations(values.config);
    if (values.pops !== 'auto' && !new RegExp(`^[1-5]{${stations.length}}$`).test(values.pops)) {
      throw new CliError(`--pops must be "auto" or ${stations.length} digits 1-5 (one per station), got "${values.pops}"`);
    }
    if (!['cal-sci-cal', 'none'].includes(values.bracket)) throw new CliError(`--bracket must be cal-sci-cal or none, got "${values.bracket}"`);
    if (!['auto', 'csv', 'none'].includes(values.calibrators)) throw new CliError(`--calibrators must be auto, csv or none, got "${values.calibrators}"`);
    const config = {
      stations,
      pops: values.pops,
      minElevationDeg: numberFlag('min-elevation', values['min-elevation'], 30),
      twilightDeg: numberFlag('twilight', values.twilight, -18),
      minMoonSepDeg: numberFlag('moon', values.moon, 5),
      useDelayLines: !values['no-delay-lines'],
    };
    const settings: PlanSettings = {
      ...DEFAULT_PLAN_SETTINGS,
      pointS: numberFlag('point-s', values['point-s'], DEFAULT_PLAN_SETTINGS.pointS),
      pointsPerTarget: Math.max(1, Math.round(numberFlag('points', values.points, 1))),
      acquisitionS: numberFlag('acquisition-s', values['acquisition-s'], DEFAULT_PLAN_SETTINGS.acquisitionS),
      bracket: values.bracket === 'none' ? 'none' : 'CAL-SCI-CAL',
      slewRateDegPerS: numberFlag('slew-rate', values['slew-rate'], 0),
      popChangeS: numberFlag('pop-change-s', values['pop-change-s'], DEFAULT_PLAN_SETTINGS.popChangeS),
    };
    const fromMjd = values.from ? fromHhmm(night, values.from) : undefined;

    let plan: CliPlan;
    if (values.targets === 'survey') {
      const services = await io.openServices(values['data-dir']);
      try {
        const view = await services.call('planner.plan', {
          night,
          config,
          settings,
          ...(fromMjd !== undefined ? { fromUtc: isoFromMjd(fromMjd) } : {}),
        });
        plan = {
          night,
          window: { start_utc: view.windowStartUtc, end_utc: view.windowEndUtc },
          blocks: cliBlocks(view.blocks),
          leftOut: cliLeftOut(view.leftOut),
          stats: { ...view.stats },
        };
      } finally {
        await services.close();
      }
    } else {
      let text: string;
      try {
        text = readFileSync(values.targets, 'utf8');
      } catch (e) {
        throw new CliError(`--targets: cannot read ${values.targets}: ${(e as Error).message}`);
      }
      let targets: CsvTarget[];
      try {
        targets = parseTargetsCsv(text, values.targets);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      const source = new CalibratorSource(resolvePaths(values['data-dir']).resourcesDir);
      let proposals = 0;
      const calibratorsOf = (i: number): CalibratorChoice => {
        const t = targets[i];
        if (values.calibrators === 'none' || settings.bracket === 'none') return { source: 'none', calibrators: [] };
        if (values.calibrators === 'csv') {
          const cals = nearestCalibrators(t, targets, { maxSepDeg: 10, maxDeltaV: 3, count: 3 });
          return { source: cals.length ? 'nearest' : 'none', calibrators: cals };
        }
        // The calibrator engine costs tens of ms per target; the 40 best-ranked get a proposal.
        return source.choose(t, undefined, proposals++ < 40);
      };
      // Best priority first, so the proposal budget goes to the targets most likely to be placed.
      targets = targets.map((t, i) => ({ t, i })).sort((a, b) => a.t.finalPriority - b.t.finalPriority || a.i - b.i).map((x) => x.t);
      const options = defaultObservabilityOptions(night, config);
      let prepared;
      try {
        prepared = prepareNight(targets, options, calibratorsOf);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      const result = replanFrom({
        blocks: [],
        night: prepared.window,
        fromMjd: fromMjd ?? prepared.window.startMjd,
        candidates: prepared.candidates,
        settings,
        sidereal: prepared.sidereal,
      });
      plan = {
        night,
        window: { start_utc: isoFromMjd(prepared.window.startMjd), end_utc: isoFromMjd(prepared.window.endMjd) },
        blocks: cliBlocks(blockViews(result.blocks, sequenceInfo(prepared.candidates))),
        leftOut: cliLeftOut(result.leftOut),
        stats: { ...result.stats },
      };
    }
    if (values.json) io.out(`${JSON.stringify(plan, null, 2)}\n`);
    else printText(plan, io);
    return 0;
  },
};

export const plannerCommands: Command[] = [planCommand];

