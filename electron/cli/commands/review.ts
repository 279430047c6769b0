/** `companion` commands of the review domain: `oifits inspect` and `oifits flag`. */
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { QUALITY_LABELS, type OiFileSummary } from '../../../shared/oifits';
import { summariseFile } from '../../services/review';
import { OifitsWorkerPool } from '../../services/review/oifits-pool';
import { parseFlags } from '../args';
import { CliError, numberFlag, type CliIo, type Command } from '../command';

/** The JSON `inspect` prints: the summary's stable subset (see docs/oifits.md). */
function inspectJson(path: string, s: OiFileSummary) {
  return {
    path,
    version: s.version,
    content: s.content,
    targets: s.targets,
    tables: s.tables.map((t) => ({
      extname: t.extname,
      hdu: t.hdu,
      rows: t.rows,
      ...(t.insname !== undefined ? { insname: t.insname } : {}),
      ...(t.arrname !== undefined ? { arrname: t.arrname } : {}),
      ...(t.corrname !== undefined ? { corrname: t.corrname } : {}),
      ...(t.nwave !== undefined ? { nwave: t.nwave } : {}),
    })),
    flaggedFraction: s.flaggedFraction,
    flaggedCount: s.flaggedCount,
    flagTotal: s.flagTotal,
    quality: s.quality,
    findings: s.findings.map((f) => ({ severity: f.severity, rule: f.rule, hdu: f.hdu, extname: f.extname, ...(f.member ? { member: f.member } : {}), message: f.message })),
  };
}

function inspectText(path: string, s: OiFileSummary): string {
  const lines = [
    `${path}`,
    `  OIFITS v${s.version}${s.content ? ` (CONTENT=${s.content})` : ''}; targets: ${s.targets.join(', ') || '(none)'}`,
    `  flagged: ${s.flaggedCount}/${s.flagTotal} (${(100 * s.flaggedFraction).toFixed(1)}%)`,
    ...(s.quality.level !== undefined ? [`  quality: ${s.quality.level} ${QUALITY_LABELS[s.quality.level]} by ${s.quality.reviewer ?? '?'} at ${s.quality.date ?? '?'}`] : []),
    '  tables:',
    ...s.tables.map(
      (t) =>
        `    HDU ${String(t.hdu).padStart(2)} ${t.extname.padEnd(13)} ${String(t.rows).padStart(6)} rows` +
        `${t.nwave !== undefined ? ` × ${t.nwave} ch` : ''}${t.insname ? ` INSNAME=${t.insname}` : ''}${t.arrname ? ` ARRNAME=${t.arrname}` : ''}`,
    ),
    `  findings: ${s.findings.filter((f) => f.severity === 'error').length} error(s), ${s.findings.filter((f) => f.severity === 'warning').length} warning(s)`,
    ...s.findings.map((f) => `    ${f.severity.toUpperCase().padEnd(7)} ${f.rule}: ${f.message}`),
  ];
  return `${lines.join('\n')}\n`;
}

const inspect: Command = {
  name: ['oifits', 'inspect'],
  usage: 'Usage: companion oifits inspect FILE [--json]\n  Unreadable file: one-line error, exit code 2.',
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags({
      args,
      options: { json: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new CliError('expected exactly one FILE');
    const path = resolve(positionals[0]);
    // Read on a worker thread like the app does: a hostile file ends with its budget, not a hang.
    const pool = new OifitsWorkerPool();
    let summary: OiFileSummary;
    try {
      summary = await summariseFile(pool, path);
    } finally {
      await pool.close();
    }
    io.out(values.json ? `${JSON.stringify(inspectJson(path, summary), null, 2)}\n` : inspectText(path, summary));
    return 0;
  },
};

const flag: Command = {
  name: ['oifits', 'flag'],
  usage:
    'Usage: companion oifits flag FILE --level N [--comment TEXT] [--reviewer NAME] [--no-backup] [--json] [--data-dir DIR]\n' +
    `  N: ${QUALITY_LABELS.map((l, i) => `${i} ${l}`).join(', ')}\n` +
    '  The original is kept in .review-backups/ next to the file unless --no-backup is given.',
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags({
      args,
      options: {
        level: { type: 'string' },
        comment: { type: 'string', default: '' },
        reviewer: { type: 'string' },
        'no-backup': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new CliError('expected exactly one FILE');
    const level = numberFlag('level', values.level);
    if (!Number.isInteger(level) || level < 0 || level > 5) throw new CliError(`--level: ${values.level} is not an integer 0–5`);
    const services = await io.openServices(values['data-dir']);
    const settings = await services.call('review.getSettings', {});
    const reviewer = values.reviewer ?? (settings.reviewer || userInfo().username);
    const result = await services.call('review.setQuality', {
      path: resolve(positionals[0]),
      level,
      comment: values.comment,
      reviewer,
      ...(values['no-backup'] ? { backup: false } : {}),
    });
    for (const w of result.warnings) io.err(`warning: ${w}`);
    if (values.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
    else {
      io.out(
        `${result.item.path}: quality ${level} (${QUALITY_LABELS[level]}) by ${reviewer}` +
          `${result.backupPath ? `; original kept at ${result.backupPath}` : ''}` +
          `${result.hasChecksum ? '; CHECKSUM/DATASUM recomputed' : ''}\n`,
      );
    }
    return 0;
  },
};

export const reviewCommands: Command[] = [inspect, flag];
