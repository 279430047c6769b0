/** `companion` commands of the planner domain: `plan` (a night of CAL–SCI–CAL sequences). */
import { readFileSync } from 'node:fs';
import { localMidnightMjd } from '../../../shared/astro/night';
import { defaultObservabilityOptions } from '../../../shared/astro/observability';
import { CHARA_SITE } from '../../../shared/astro/site';
import { isoFromMjd } from '../../../shared/astro/time';
import { STATION_NAMES, type StationName } from '../../../shared/astro/types';
import type { PlanBlockView, PlanSummaryView } from '../../../shared/planner/api-types';
import { nearestCalibrators, type CalibratorChoice } from '../../../shared/planner/night-input';
import type { ModelPolicy } from '../../../shared/planner/pipeline';
import { parseTargetsCsv, type CsvTarget } from '../../../shared/planner/targets-csv';
import { DEFAULT_PLAN_SETTINGS, type LeftOut, type PlanSettings } from '../../../shared/planner/types';
import { blockViews, sequenceInfo, summaryView } from '../../../shared/planner/view';
import { DEFAULT_VIS2_BOUNDS } from '../../../shared/models';
import { choiceOf } from '../../services/planner/calibrator-cache';
import { orchestrate } from '../../services/planner/orchestrate';
import { PlanRunner } from '../../services/planner/plan-runner';
import type { Services } from '../../services/registry';
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
    /** CAL blocks only, and only with --allow-unvetted: the star failed a veto of the Calibrators service. */
    unvetted?: true;
    status: string;
  }>;
  leftOut: Array<{ target: string; reason: string; code?: string }>;
  stats: Record<string, number>;
  summary: PlanSummaryView;
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
    ...(b.kind === 'CAL' && b.isVetted === false ? { unvetted: true as const } : {}),
    status: b.status,
  }));
}

function cliLeftOut(leftOut: readonly LeftOut[]): CliPlan['leftOut'] {
  return leftOut.map((l) => ({ target: l.name, reason: l.reason, ...(l.code ? { code: l.code } : {}) }));
}

function printText(plan: CliPlan, io: { out(t: string): void }): void {
  io.out(`Night ${plan.night}: dark ${plan.window.start_utc.slice(11, 16)}–${plan.window.end_utc.slice(11, 16)} UTC\n`);
  for (const b of plan.blocks) {
    const cals = b.calibrators ? `  cal ${b.calibrators.join(', ')}` : '';
    io.out(`${b.start_utc.slice(11, 16)}–${b.end_utc.slice(11, 16)}  ${b.kind}  ${b.target.padEnd(16)} ${b.pops ?? ''}${cals}${b.unvetted ? '  UNVETTED calibrator' : ''}\n`);
  }
  const s = plan.summary;
  io.out(
    `${s.science} science sequences, idle ${s.idleMin} min, ${s.popChanges} PoP changes, value ${s.value.toFixed(0)}${s.bound !== null ? ` of bound ${s.bound.toFixed(0)}` : ''}, ${plan.leftOut.length} left out\n`,
  );
}

const planCommand: Command = {
  name: ['plan'],
  usage:
    'companion plan --night YYYY-MM-DD [--from HH:MM] [--config S1,S2,...] [--pops auto|DIGITS]\n' +
    '               [--targets FILE.csv | --targets survey] [--calibrators auto|csv|none]\n' +
    '               [--min-elevation 30] [--twilight -18] [--moon 5] [--no-delay-lines]\n' +
    '               [--point-s 600] [--points 1] [--acquisition-s 600] [--bracket cal-sci-cal|none]\n' +
    '               [--slew-rate DEG_PER_S] [--pop-change-s 900] [--allow-unvetted] [--models prefer|filter|off]\n' +
    '               [--json] [--data-dir DIR]\n' +
    '  --targets FILE: CSV with name, ra_deg, dec_deg, priority (1 = most important), optional vmag.\n' +
    '  --targets survey (default): the store\'s survey, saved as a plan.\n' +
    '  --calibrators (CSV mode): auto = the Calibrators service (vetted stars only), csv = nearest rows of the file.\n' +
    '  --allow-unvetted: a target with no vetted calibrator gets the nearest rejected star, marked UNVETTED.\n' +
    '  JSON: blocks, leftOut[] {target, reason, code}, stats and summary {science, idleMin, popChanges, value, bound}.\n' +
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
        'allow-unvetted': { type: 'boolean', default: false },
        models: { type: 'string', default: 'prefer' },
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
    if (!['prefer', 'filter', 'off'].includes(values.models)) throw new CliError(`--models must be prefer, filter or off, got "${values.models}"`);
    const planOptions = { allowUnvetted: values['allow-unvetted'], modelPolicy: values.models as ModelPolicy };
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
          options: planOptions,
          ...(fromMjd !== undefined ? { fromUtc: isoFromMjd(fromMjd) } : {}),
        });
        plan = {
          night,
          window: { start_utc: view.windowStartUtc, end_utc: view.windowEndUtc },
          blocks: cliBlocks(view.blocks),
          leftOut: cliLeftOut(view.leftOut),
          stats: { ...view.stats },
          summary: summaryView(view.stats),
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
      const needsCalibrators = settings.bracket !== 'none' && values.calibrators !== 'none';
      const services: Services | null = needsCalibrators && values.calibrators === 'auto' ? await io.openServices(values['data-dir']) : null;
      try {
        // The app's one calibrator engine (the Calibrators service), asked for the plausible targets only.
        const fetch = async (indices: number[]): Promise<Map<number, CalibratorChoice>> => {
          const out = new Map<number, CalibratorChoice>();
          if (!needsCalibrators) {
            for (const i of indices) out.set(i, { source: 'none', calibrators: [] });
            return out;
          }
          if (values.calibrators === 'csv') {
            for (const i of indices) {
              const cals = nearestCalibrators(targets[i], targets, { maxSepDeg: 10, maxDeltaV: 3, count: 3 });
              out.set(i, { source: cals.length ? 'nearest' : 'none', calibrators: cals });
            }
            return out;
          }
          for (let k = 0; k < indices.length; k += 50) {
            const batch = indices.slice(k, k + 50);
            const answer = await services!.call('calibrators.forTargets', {
              targets: batch.map((i) => ({ key: targets[i].key, name: targets[i].name, raDeg: targets[i].raDeg, decDeg: targets[i].decDeg, vmag: targets[i].vmag ?? null })),
              night,
              stations,
              pops: 'auto',
              useDelayLines: config.useDelayLines,
              count: settings.maxCalibratorsTried,
              allowUnvetted: planOptions.allowUnvetted,
            });
            answer.targets.forEach((t, n) => out.set(batch[n], choiceOf(t, planOptions.allowUnvetted)));
          }
          return out;
        };
        const options = defaultObservabilityOptions(night, config);
        let result;
        try {
          result = await orchestrate({
            prepare: { key: `csv|${values.targets}|${night}|${JSON.stringify(config)}`, targets, options, prepare: { popPoolSize: 12 }, settings, perSlot: 6 },
            runner: new PlanRunner('inline'),
            everyTarget: !needsCalibrators || values.calibrators === 'csv',
            fetch,
            plan: {
              modelPolicy: 'off',
              vis2Bounds: DEFAULT_VIS2_BOUNDS,
              blocks: [],
              fromMjd: fromMjd ?? -Infinity,
              settings,
              skippedKeys: [],
              withShadows: needsCalibrators,
            },
            progress: () => undefined,
            isCancelled: () => false,
          });
        } catch (e) {
          throw new CliError((e as Error).message);
        }
        const { out } = result;
        plan = {
          night,
          window: { start_utc: isoFromMjd(out.window.startMjd), end_utc: isoFromMjd(out.window.endMjd) },
          blocks: cliBlocks(blockViews(out.result.blocks, sequenceInfo(out.candidates))),
          leftOut: cliLeftOut(out.result.leftOut),
          stats: { ...out.result.stats },
          summary: summaryView(out.result.stats),
        };
      } finally {
        await services?.close();
      }
    }
    if (values.json) io.out(`${JSON.stringify(plan, null, 2)}\n`);
    else printText(plan, io);
    return 0;
  },
};

export const plannerCommands: Command[] = [planCommand];

