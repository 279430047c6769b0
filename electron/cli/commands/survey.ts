/** `companion` commands of the survey: import, targets, export, demo. */
import { writeFileSync } from 'node:fs';
import type { TargetFilter } from '../../../shared/model/survey';
import { parseFlags } from '../args';
import { CliError, numberFlag, type Command } from '../command';

const common = { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } } as const;

const importCommand: Command = {
  name: ['import'],
  usage: 'companion import FILE [--data-dir DIR] [--json]\n  All-or-nothing; re-importing updates, never duplicates.',
  async run(args, io) {
    const { values, positionals } = parseFlags({ args, options: common, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new CliError('give exactly one FILE to import');
    const services = await io.openServices(values['data-dir']);
    const path = positionals[0];
    const report = await services.call('survey.import', { fileName: path, path });
    if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else {
      io.out(`${report.fileName} (${report.format}): ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.skipped.length} skipped in ${report.durationMs} ms\n`);
      for (const s of report.skipped) io.out(`  skipped row ${s.row}${s.name ? ` (${s.name})` : ''}: ${s.reason}\n`);
    }
    return 0;
  },
};

const filterOptions = {
  ...common,
  text: { type: 'string' },
  programme: { type: 'string', multiple: true },
  pi: { type: 'string', multiple: true },
  mode: { type: 'string', multiple: true },
  priority: { type: 'string', multiple: true },
  'v-min': { type: 'string' },
  'v-max': { type: 'string' },
  'dec-min': { type: 'string' },
  'dec-max': { type: 'string' },
  demo: { type: 'boolean' },
} as const;

type FilterValues = {
  text?: string;
  programme?: string[];
  pi?: string[];
  mode?: string[];
  priority?: string[];
  'v-min'?: string;
  'v-max'?: string;
  'dec-min'?: string;
  'dec-max'?: string;
  demo?: boolean;
};

function filterFrom(values: FilterValues): TargetFilter {
  const f: TargetFilter = {};
  if (values.text) f.text = values.text;
  if (values.programme) f.programmes = values.programme.flatMap((p) => p.split(','));
  if (values.pi) f.pis = values.pi;
  if (values.mode) f.modes = values.mode.flatMap((m) => m.split(',')).map((m) => m.toUpperCase());
  if (values.priority) {
    f.finalPriorities = values.priority.flatMap((p) => p.split(',')).map((p) => {
      const n = Number(p);
      if (![1, 2, 3, 4].includes(n)) throw new CliError(`--priority: "${p}" is not 1, 2, 3 or 4`);
      return n;
    });
  }
  if (values['v-min'] !== undefined) f.vmagMin = numberFlag('v-min', values['v-min']);
  if (values['v-max'] !== undefined) f.vmagMax = numberFlag('v-max', values['v-max']);
  if (values['dec-min'] !== undefined) f.decMinDeg = numberFlag('dec-min', values['dec-min']);
  if (values['dec-max'] !== undefined) f.decMaxDeg = numberFlag('dec-max', values['dec-max']);
  if (values.demo !== undefined) f.isDemo = values.demo;
  return f;
}

const FILTER_USAGE =
  '  --text T  --programme S01[,S02]  --pi NAME  --mode DIA[,DLD]  --priority 1[,2]\n' +
  '  --v-min V --v-max V  --dec-min DEG --dec-max DEG  --demo';

const targetsCommand: Command = {
  name: ['targets'],
  usage: `companion targets [filters] [--json] [--data-dir DIR]\n${FILTER_USAGE}`,
  async run(args, io) {
    const { values } = parseFlags({ args, options: filterOptions, strict: true });
    const services = await io.openServices(values['data-dir']);
    const { rows } = await services.call('survey.list', { filter: filterFrom(values) });
    if (values.json) {
      const out = rows.map((t) => ({
        id: t.id,
        name: t.name,
        spicadb_id: t.spicadbId,
        ra_deg: t.raDeg,
        dec_deg: t.decDeg,
        vmag: t.vmag,
        hmag: t.hmag,
        sp_type: t.spType,
        mode: t.mode,
        programmes: t.programmes.map((m) => ({ programme: m.programme, pi: m.pi, pi_priority: m.piPriority, mode: m.mode, rank: m.rank })),
        completion_rate: t.completionRate,
        final_priority: t.finalPriority,
        n_obs: t.observationCount,
        last_observed: t.lastObservedNight,
        is_demo: t.isDemo,
      }));
      io.out(`${JSON.stringify(out)}\n`);
    } else {
      for (const t of rows) {
        io.out(`${t.name.padEnd(24)} ${t.raDeg.toFixed(4).padStart(9)} ${t.decDeg.toFixed(4).padStart(9)}  V=${t.vmag ?? '-'}  P${t.finalPriority}  ${t.programmes.map((m) => m.programme).join('+')}\n`);
      }
      io.err(`${rows.length} targets`);
    }
    return 0;
  },
};

const exportCommand: Command = {
  name: ['export'],
  usage: `companion export --format votable|csv [--output FILE] [filters] [--data-dir DIR]\n${FILTER_USAGE}`,
  async run(args, io) {
    const { values } = parseFlags({
      args,
      options: { ...filterOptions, format: { type: 'string' }, output: { type: 'string', short: 'o' } },
      strict: true,
    });
    if (values.format !== 'votable' && values.format !== 'csv') throw new CliError('--format must be votable or csv');
    const services = await io.openServices(values['data-dir']);
    const result = await services.call('survey.export', { filter: filterFrom(values), format: values.format });
    if (values.output) {
      writeFileSync(values.output, result.content);
      io.err(`${result.count} targets written to ${values.output}`);
    } else io.out(result.content);
    return 0;
  },
};

const demoCommand: Command = {
  name: ['demo'],
  usage: 'companion demo [--seed N] [--count N] [--remove] [--data-dir DIR] [--json]',
  async run(args, io) {
    const { values } = parseFlags({
      args,
      options: { ...common, seed: { type: 'string' }, count: { type: 'string' }, remove: { type: 'boolean', default: false } },
      strict: true,
    });
    const services = await io.openServices(values['data-dir']);
    if (values.remove) {
      const r = await services.call('survey.demo.remove', {});
      io.out(values.json ? `${JSON.stringify(r)}\n` : `${r.removed} demo targets removed\n`);
      return 0;
    }
    const r = await services.call('survey.demo.generate', {
      seed: numberFlag('seed', values.seed, 2026),
      count: numberFlag('count', values.count, 3000),
    });
    io.out(values.json ? `${JSON.stringify(r)}\n` : `demo survey: ${r.targets} targets, ${r.observations} observations\n`);
    return 0;
  },
};

export const surveyCommands: Command[] = [importCommand, targetsCommand, exportCommand, demoCommand];
