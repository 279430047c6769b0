/** `companion` commands of the survey: import (and its history and revert), targets, target delete, export, demo. */
import { writeFileSync } from 'node:fs';
import type { ImportReport, TargetFilter } from '../../../shared/model/survey';
import { parseFlags } from '../args';
import { CliError, numberFlag, type Command } from '../command';

const common = { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } } as const;

/** The import report as a human reads it: counts, then what was matched, left out or remarked. */
function printReport(report: ImportReport, out: (text: string) => void): void {
  out(
    `${report.fileName} (${report.format}): ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ` +
      `${report.skipped.length} skipped, ${report.ambiguous.length} ambiguous in ${report.durationMs} ms` +
      `${report.batchId ? ` (batch ${report.batchId})` : ''}\n`,
  );
  for (const n of report.notices) out(`  note: ${n}\n`);
  for (const m of report.matches) {
    const how = m.rule === 'spicadb-id' ? 'SPICA-DB id' : `position (${m.separationArcsec}″) and identifier "${m.identifier}"`;
    out(`  updated row ${m.row} (${m.name}) → ${m.targetName}, matched by ${how}\n`);
  }
  for (const a of report.ambiguous) out(`  ambiguous row ${a.row} (${a.name}), not written: ${a.reason}\n`);
  for (const s of report.skipped) out(`  skipped row ${s.row}${s.name ? ` (${s.name})` : ''}: ${s.reason}\n`);
  for (const w of report.warnings) out(`  note row ${w.row} (${w.name}): ${w.message}\n`);
}

const importCommand: Command = {
  name: ['import'],
  usage:
    'companion import FILE [--data-dir DIR] [--json]\n' +
    '  All-or-nothing, recorded as a batch (see companion imports, companion import revert ID).\n' +
    '  Rows match existing targets by SPICA-DB id, else by position (5″) and a shared identifier;\n' +
    '  demo and real data are never merged; ambiguous rows are reported and not written.',
  async run(args, io) {
    const { values, positionals } = parseFlags({ args, options: common, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new CliError('give exactly one FILE to import');
    const services = await io.openServices(values['data-dir']);
    const path = positionals[0];
    const report = await services.call('survey.import', { fileName: path, path });
    if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else printReport(report, io.out);
    return 0;
  },
};

const importsCommand: Command = {
  name: ['imports'],
  usage: 'companion imports [--json] [--data-dir DIR]\n  --json prints [{id, file, at, added, updated, reverted}].',
  async run(args, io) {
    const { values } = parseFlags({ args, options: common, strict: true });
    const services = await io.openServices(values['data-dir']);
    const batches = await services.call('survey.batches.list', { kinds: ['import'] });
    if (values.json) {
      io.out(`${JSON.stringify(batches.map((b) => ({ id: b.id, file: b.file, at: b.at, added: b.added, updated: b.updated, reverted: b.reverted })))}\n`);
    } else {
      for (const b of batches) {
        io.out(`${b.id}  ${b.at}  ${b.file}  ${b.added} added, ${b.updated} updated${b.reverted ? '  [reverted]' : ''}\n`);
      }
      io.err(`${batches.length} imports`);
    }
    return 0;
  },
};

const importRevertCommand: Command = {
  name: ['import', 'revert'],
  usage:
    'companion import revert ID [--data-dir DIR] [--json]\n' +
    '  Targets it added are removed (tombstones), fields it changed get their old values;\n' +
    '  refused, naming the rows, if later changes touch them.',
  async run(args, io) {
    const { values, positionals } = parseFlags({ args, options: common, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new CliError('give exactly one import ID (see companion imports)');
    const services = await io.openServices(values['data-dir']);
    const revert = await services.call('survey.batches.revert', { id: positionals[0] });
    if (values.json) io.out(`${JSON.stringify(revert)}\n`);
    else io.out(`${revert.file}: ${revert.updated} rows restored (batch ${revert.id})\n`);
    return 0;
  },
};

const targetDeleteCommand: Command = {
  name: ['target', 'delete'],
  usage: 'companion target delete ID|SPICADB_ID|NAME [--data-dir DIR] [--json]',
  async run(args, io) {
    const { values, positionals } = parseFlags({ args, options: common, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new CliError('give exactly one target: its id, SPICA-DB id or name (quote names with spaces)');
    const services = await io.openServices(values['data-dir']);
    const r = await services.call('survey.targets.delete', { query: positionals[0] });
    if (values.json) io.out(`${JSON.stringify(r)}\n`);
    else io.out(`deleted ${r.deleted.map((t) => `${t.name} (${t.id})`).join(', ')}; undo: companion import revert ${r.batchId}\n`);
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
        io.out(`${t.name.padEnd(24)} ${t.raDeg.toFixed(4).padStart(9)} ${t.decDeg.toFixed(4).padStart(9)}  V=${t.vmag ?? '-'}  ${t.finalPriority === null ? 'unranked' : `P${t.finalPriority}`}  ${t.programmes.map((m) => m.programme).join('+')}\n`);
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
      io.out(values.json ? `${JSON.stringify(r)}\n` : `${r.removed} demo targets removed (undo: companion import revert ${r.batchId})\n`);
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

export const surveyCommands: Command[] = [
  importCommand,
  importsCommand,
  importRevertCommand,
  targetsCommand,
  targetDeleteCommand,
  exportCommand,
  demoCommand,
];
