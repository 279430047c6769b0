/**
 * `companion` commands of the review domain: `oifits inspect`, `oifits flag` (quality level and
 * PLATO flags), `oifits flag-points` (per-point FLAG by rule), `oifits fit` (quick-look UD/LD
 * diameter), `oifits fit-folder` (the same over a night, with its homogeneity) and `oifits plot`
 * (headless PNG export through Chromium).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { mainFigure, NO_FILTER, defaultTargets, X_AXES, type ViewOptions, type XAxis } from '../../../shared/oifits/figures';
import { PLATO_FLAG_LABELS, QUALITY_LABELS, SERIES_KINDS, type OiFileSummary, type SeriesKind } from '../../../shared/oifits';
import { diameterHomogeneity } from '../../../shared/oifits/fit-homogeneity';
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
    hdus: s.hdus,
    flagCounts: s.flagCounts,
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
    `  flagged: ${s.flaggedCount}/${s.flagTotal} (${(100 * s.flaggedFraction).toFixed(1)}%) = ${s.flagCounts.map((c) => `${c.extname} ${c.flagged}/${c.total}`).join(' + ') || 'no data tables'}`,
    ...(s.quality.level !== undefined ? [`  quality: ${s.quality.level} ${QUALITY_LABELS[s.quality.level]} by ${s.quality.reviewer ?? '?'} at ${s.quality.date ?? '?'}`] : []),
    '  HDUs:',
    ...s.hdus.map((h) => {
      const t = s.tables.find((x) => x.hdu === h.hdu);
      if (h.hdu === 0) return `    HDU  0 PRIMARY       ${h.cards} cards`;
      if (!t) return `    HDU ${String(h.hdu).padStart(2)} ${(h.extname || '(no EXTNAME)').padEnd(13)} ${h.rows === null ? '      ' : String(h.rows).padStart(6)}${h.rows === null ? '     ' : ' rows'} ${h.xtension}, not an OIFITS table: not read`;
      return (
        `    HDU ${String(t.hdu).padStart(2)} ${t.extname.padEnd(13)} ${String(t.rows).padStart(6)} rows` +
        `${t.nwave !== undefined ? ` × ${t.nwave} ch` : ''}${t.insname ? ` INSNAME=${t.insname}` : ''}${t.arrname ? ` ARRNAME=${t.arrname}` : ''}`
      );
    }),
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
    'Usage: companion oifits flag FILE --level N [--processing N --calibrators N --analysis N] [--comment TEXT] [--reviewer NAME] [--no-backup] [--json] [--data-dir DIR]\n' +
    `  N: ${QUALITY_LABELS.map((l, i) => `${i} ${l}`).join(', ')}\n` +
    `  PLATO flags (HIERARCH PLATO FLAG PROC|CAL|ANA): ${PLATO_FLAG_LABELS.map((l, i) => `${i} ${l}`).join(', ')}\n` +
    '  The original is kept in .review-backups/ next to the file unless --no-backup is given.',
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags({
      args,
      options: {
        level: { type: 'string' },
        processing: { type: 'string' },
        calibrators: { type: 'string' },
        analysis: { type: 'string' },
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
    const plato: Record<string, number> = {};
    for (const key of ['processing', 'calibrators', 'analysis'] as const) {
      if (values[key] === undefined) continue;
      const n = numberFlag(key, values[key]);
      if (!Number.isInteger(n) || n < 0 || n > 3) throw new CliError(`--${key}: ${values[key]} is not an integer 0–3`);
      plato[key] = n;
    }
    const services = await io.openServices(values['data-dir']);
    const settings = await services.call('review.getSettings', {});
    const reviewer = values.reviewer ?? (settings.reviewer || userInfo().username);
    const result = await services.call('review.setQuality', {
      path: resolve(positionals[0]),
      level,
      comment: values.comment,
      reviewer,
      ...(values['no-backup'] ? { backup: false } : {}),
      ...(Object.keys(plato).length > 0 ? { plato } : {}),
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

const flagPoints: Command = {
  name: ['oifits', 'flag-points'],
  usage:
    'Usage: companion oifits flag-points FILE --where RULE --reason TEXT [--reviewer NAME] [--unflag] [--no-backup] [--json] [--data-dir DIR]\n' +
    '  RULE: clauses FIELD OP VALUE joined by "and"; FIELD: snr, wave (µm; units um/nm), value, err, baseline (= S1-E1),\n' +
    '        table (= OI_VIS2), mjd, sf (Mλ). SNR and value are each table\'s amplitude (VIS2DATA, VISAMP, T3AMP, FLUXDATA).\n' +
    '  Reviewer, date, count and reason go in the primary header (HIERARCH FLAGEDIT …, HISTORY); undo from the app.',
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags({
      args,
      options: {
        where: { type: 'string' },
        reason: { type: 'string' },
        reviewer: { type: 'string' },
        unflag: { type: 'boolean', default: false },
        'no-backup': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new CliError('expected exactly one FILE');
    if (!values.where?.trim()) throw new CliError('--where is required (e.g. --where "SNR < 3")');
    if (!values.reason?.trim()) throw new CliError('--reason is required: say why the points are flagged');
    const services = await io.openServices(values['data-dir']);
    const settings = await services.call('review.getSettings', {});
    const reviewer = values.reviewer ?? (settings.reviewer || userInfo().username);
    const result = await services.call('review.flagPoints', {
      path: resolve(positionals[0]),
      rule: values.where,
      reason: values.reason,
      reviewer,
      ...(values.unflag ? { flag: false } : {}),
      ...(values['no-backup'] ? { backup: false } : {}),
    });
    for (const w of result.warnings) io.err(`warning: ${w}`);
    if (values.json) io.out(`${JSON.stringify({ changed: result.changed, historyId: result.historyId, backupPath: result.backupPath, contentHash: result.contentHash }, null, 2)}\n`);
    else io.out(`${resolve(positionals[0])}: ${result.changed} FLAG element(s) ${values.unflag ? 'cleared' : 'set'} where ${values.where}${result.backupPath ? `; original kept at ${result.backupPath}` : ''}\n`);
    return 0;
  },
};

const fit: Command = {
  name: ['oifits', 'fit'],
  usage:
    'Usage: companion oifits fit FILE [--model ud|ld] [--target NAME] [--ld-coefficient U] [--json]\n' +
    '  --json prints {diameter_mas, error_mas, chi2r, n, ...}; error_mas is the 1σ error (Δχ² = 1),\n' +
    '  error_scaled_mas the same × √χ²r. LD is the linear law I(μ) = 1 − U(1 − μ) (default U = 0.5).',
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags({
      args,
      options: {
        model: { type: 'string', default: 'ud' },
        target: { type: 'string' },
        'ld-coefficient': { type: 'string' },
        json: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new CliError('expected exactly one FILE');
    if (values.model !== 'ud' && values.model !== 'ld') throw new CliError(`--model: ${values.model} is not ud or ld`);
    const u = values['ld-coefficient'] === undefined ? undefined : numberFlag('ld-coefficient', values['ld-coefficient']);
    if (u !== undefined && (u < -1 || u > 1)) throw new CliError(`--ld-coefficient: ${u} is outside -1..1`);
    const path = resolve(positionals[0]);
    const pool = new OifitsWorkerPool();
    let r;
    try {
      r = await pool.run({ kind: 'fit', path, request: { ...(values.target ? { target: values.target } : {}), ...(u !== undefined ? { ldCoefficient: u } : {}) } });
    } finally {
      await pool.close();
    }
    const f = values.model === 'ud' ? r.ud : r.ld;
    const json = {
      diameter_mas: f.diameterMas,
      error_mas: f.errorMas,
      chi2r: f.chi2r,
      n: f.n,
      model: values.model,
      error_scaled_mas: f.errorScaledMas,
      chi2: f.chi2,
      target: r.target,
      lambda_um: r.lambdaUm,
      ...(f.ldCoefficient !== undefined ? { ld_coefficient: f.ldCoefficient } : {}),
    };
    if (values.json) io.out(`${JSON.stringify(json, null, 2)}\n`);
    else io.out(`${path}: ${values.model.toUpperCase()} ${f.diameterMas.toFixed(4)} ± ${f.errorMas.toFixed(4)} mas (± ${f.errorScaledMas.toFixed(4)} scaled), χ²r ${f.chi2r.toFixed(3)}, n ${f.n}, target ${r.target ?? '?'}\n`);
    return 0;
  },
};

const fitFolder: Command = {
  name: ['oifits', 'fit-folder'],
  usage:
    'Usage: companion oifits fit-folder DIR [--ld-coefficient U] [--json] [--data-dir DIR]\n' +
    '  DIR: a SPICA data root (its Results/ L2 files) or any folder of OIFITS files. Each file gets the quick-look\n' +
    '  UD and LD fits (recorded in its history), the survey\'s predicted UD diameter when the target is linked, and\n' +
    '  a DISAGREES mark beyond 3σ and 5 %; then, per target, the weighted mean UD of the files and their χ²r about\n' +
    '  it (files that disagree with each other: χ²r > 3). Files that cannot be fitted are listed with the reason.\n' +
    '  Exit 0 when every file was fitted, 1 when some were left out.',
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags({
      args,
      options: {
        'ld-coefficient': { type: 'string' },
        json: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new CliError('expected exactly one DIR');
    const u = values['ld-coefficient'] === undefined ? undefined : numberFlag('ld-coefficient', values['ld-coefficient']);
    if (u !== undefined && (u < -1 || u > 1)) throw new CliError(`--ld-coefficient: ${u} is outside -1..1`);
    const services = await io.openServices(values['data-dir']);
    const batch = await services.call('review.fitFolder', { folder: resolve(positionals[0]), ...(u !== undefined ? { ldCoefficient: u } : {}) });
    const targets = diameterHomogeneity(batch.fits);
    if (values.json) {
      const json = {
        folder: batch.folder,
        fits: batch.fits.map((f) => ({
          path: f.path,
          target: f.target,
          lambda_um: f.lambdaUm,
          ud_mas: f.ud.diameterMas,
          ud_error_mas: f.ud.errorScaledMas,
          ud_chi2r: f.ud.chi2r,
          ld_mas: f.ld.diameterMas,
          ld_error_mas: f.ld.errorScaledMas,
          n: f.ud.n,
          predicted_ud_mas: f.predicted?.udMas ?? null,
          predicted_source: f.predicted?.source ?? null,
          disagrees: f.disagrees,
        })),
        targets: targets.map((t) => ({ target: t.target, files: t.files, mean_ud_mas: t.meanUdMas, error_mas: t.errorMas, chi2r: t.chi2r, spread_percent: t.spreadPercent, consistent: t.consistent })),
        failed: batch.failed,
      };
      io.out(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      const lines = [`${batch.folder}: ${batch.fits.length} file(s) fitted${batch.failed.length ? `, ${batch.failed.length} left out` : ''}`];
      for (const f of batch.fits) {
        lines.push(
          `  ${f.fileName}: ${f.target ?? '?'} UD ${f.ud.diameterMas.toFixed(4)} ± ${f.ud.errorScaledMas.toFixed(4)} mas (χ²r ${f.ud.chi2r.toFixed(2)}, n ${f.ud.n}), ` +
            `LD ${f.ld.diameterMas.toFixed(4)} mas${f.predicted ? `; predicted UD ${f.predicted.udMas.toFixed(4)} mas (${f.predicted.source})${f.disagrees ? ' DISAGREES' : ''}` : '; no prediction'}`,
        );
      }
      if (targets.length) lines.push('  per target (weighted mean UD of its files):');
      for (const t of targets) {
        lines.push(
          `    ${t.target}: ${t.meanUdMas.toFixed(4)} ± ${t.errorMas.toFixed(4)} mas from ${t.files} file(s)` +
            `${t.chi2r === null ? '' : `, χ²r ${t.chi2r.toFixed(2)}, spread ${t.spreadPercent.toFixed(1)} %${t.consistent ? '' : ' FILES DISAGREE'}`}`,
        );
      }
      for (const f of batch.failed) lines.push(`  left out ${f.fileName}: ${f.message}`);
      io.out(`${lines.join('\n')}\n`);
    }
    return batch.failed.length ? 1 : 0;
  },
};

/** Chromium for headless export: CHROMIUM_PATH, else Debian's. */
function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new CliError(`oifits plot renders with Chromium; none at ${path} (set CHROMIUM_PATH)`);
  return path;
}

/**
 * plotly's cartesian distribution: beside the CLI bundle (scripts/build-cli.mjs copies it there, so
 * the installed app has it without the devDependency), else from the package when running from
 * the sources.
 */
function plotlyScript(): string {
  const besideBundle = join(import.meta.dirname, 'plotly-cartesian.min.js');
  if (existsSync(besideBundle)) return besideBundle;
  try {
    return createRequire(import.meta.url).resolve('plotly.js/dist/plotly-cartesian.min.js');
  } catch {
    throw new CliError(`oifits plot needs plotly's cartesian bundle: none at ${besideBundle} and no plotly.js package (rebuild with npm run build:cli)`);
  }
}

const plot: Command = {
  name: ['oifits', 'plot'],
  usage:
    'Usage: companion oifits plot FILE --out plot.png [--x sf|baseline|mjd|ha|wave] [--y vis2,t3phi] [--target NAME]\n' +
    '       [--errors bars|bands|off] [--show-flagged] [--theme dark|night] [--width PX] [--height PX]\n' +
    `  y: ${SERIES_KINDS.join(', ')} (comma-separated, one panel each). The same figure as the Review screen,\n` +
    '  drawn by plotly in headless Chromium (playwright-core; CHROMIUM_PATH or /usr/bin/chromium).',
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags({
      args,
      options: {
        out: { type: 'string' },
        x: { type: 'string', default: 'sf' },
        y: { type: 'string' },
        target: { type: 'string' },
        errors: { type: 'string', default: 'bars' },
        'show-flagged': { type: 'boolean', default: false },
        theme: { type: 'string', default: 'dark' },
        width: { type: 'string', default: '1200' },
        height: { type: 'string', default: '800' },
        'data-dir': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new CliError('expected exactly one FILE');
    if (!values.out) throw new CliError('--out is required (a .png path)');
    if (!X_AXES.some((a) => a.value === values.x)) throw new CliError(`--x: ${values.x} is not one of ${X_AXES.map((a) => a.value).join(', ')}`);
    if (!['bars', 'bands', 'off'].includes(values.errors as string)) throw new CliError(`--errors: ${values.errors} is not bars, bands or off`);
    if (values.theme !== 'dark' && values.theme !== 'night') throw new CliError(`--theme: ${values.theme} is not dark or night`);
    const width = numberFlag('width', values.width);
    const height = numberFlag('height', values.height);
    if (width < 200 || width > 8000 || height < 200 || height > 8000) throw new CliError('--width/--height: 200 to 8000 px');
    const path = resolve(positionals[0]);
    const pool = new OifitsWorkerPool();
    const wanted = values.y ? values.y.split(',').map((s) => s.trim()) : undefined;
    for (const k of wanted ?? []) if (!(SERIES_KINDS as readonly string[]).includes(k)) throw new CliError(`--y: ${k} is not one of ${SERIES_KINDS.join(', ')}`);
    let read;
    try {
      read = await pool.run({ kind: 'summary', path, withPlot: true, ...(wanted ? { kinds: wanted as SeriesKind[] } : {}) });
    } finally {
      await pool.close();
    }
    const data = read.plot as NonNullable<typeof read.plot>;
    const panels = (wanted as SeriesKind[] | undefined) ?? data.included;
    const missing = panels.filter((k) => !data.available.includes(k));
    if (missing.length) throw new CliError(`--y: the file has no ${missing.join(', ')} (it has ${data.available.join(', ') || 'no data'})`);
    const file = { key: path, name: path.split('/').at(-1) as string, night: null, plot: data };
    const night = values.theme === 'night';
    const options: ViewOptions = { x: values.x as XAxis, panels, colorBy: 'baseline', errors: values.errors as ViewOptions['errors'], showFlagged: values['show-flagged'] };
    const filter = { ...NO_FILTER, targets: values.target ? [values.target] : defaultTargets([file]) };
    const palette = night
      ? { series: ['#ff5050', '#c03030', '#ff9090', '#902020', '#e07070', '#b04040', '#ff7070', '#a02828'], flagged: '#5a2020', model: '#ffb0b0', fit: '#ff9090', selected: '#ffd0d0', isNight: true }
      : { series: ['#4dabf7', '#ff8787', '#69db7c', '#ffd43b', '#da77f2', '#ffa94d', '#3bc9db', '#a9e34b', '#f783ac', '#748ffc', '#38d9a9', '#e599f7', '#ffc078', '#66d9e8', '#c0eb75'], flagged: '#6c6f75', model: '#f8f9fa', fit: '#fcc419', selected: '#ffffff', isNight: false };
    const fig = mainFigure([file], { options, filter, palette, hasWebGl: false });
    const text = night ? '#d05050' : '#c1c2c5';
    const grid = night ? '#3a1010' : '#373a40';
    const axis = { gridcolor: grid, zerolinecolor: grid, linecolor: grid, color: text };
    const layout: Record<string, unknown> = { ...fig.layout, width, height, paper_bgcolor: night ? '#0a0202' : '#1a1b1e', plot_bgcolor: night ? '#0a0202' : '#1a1b1e', font: { color: text, size: 12 }, title: { text: `${file.name}${filter.targets ? ` — ${filter.targets.join(', ')}` : ''}`, font: { size: 13 } }, margin: { l: 60, r: 8, t: 36, b: 44 } };
    for (const k of Object.keys(layout)) if (/^[xy]axis\d*$/.test(k)) layout[k] = { ...axis, ...(layout[k] as object) };
    let chromium;
    try {
      ({ chromium } = await import('playwright-core'));
    } catch {
      throw new CliError('oifits plot needs playwright-core (npm) to drive Chromium');
    }
    const browser = await chromium.launch({ executablePath: chromiumPath() });
    try {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.setContent('<!doctype html><html><body style="margin:0"><div id="p"></div></body></html>');
      await page.addScriptTag({ path: plotlyScript() });
      const png = await page.evaluate(
        async ({ data: traces, layout: l }) => {
          // Runs in the page; this file is compiled without the DOM library, hence the local types.
          type Page = { Plotly: { newPlot(el: unknown, d: unknown[], l: object, c: object): Promise<unknown>; toImage(el: unknown, o: object): Promise<string> }; document: { getElementById(id: string): unknown } };
          const page = globalThis as unknown as Page;
          const P = page.Plotly;
          const el = page.document.getElementById('p');
          await P.newPlot(el, traces, l, { staticPlot: true });
          return P.toImage(el, { format: 'png', width: (l as { width: number }).width, height: (l as { height: number }).height });
        },
        { data: fig.data, layout },
      );
      writeFileSync(resolve(values.out), Buffer.from(png.replace(/^data:image\/png;base64,/, ''), 'base64'));
    } finally {
      await browser.close();
    }
    io.out(`${resolve(values.out)}: ${panels.join(' + ')} against ${values.x}, ${fig.shown} points${filter.targets ? ` of ${filter.targets.join(', ')}` : ''}\n`);
    return 0;
  },
};

export const reviewCommands: Command[] = [inspect, flag, flagPoints, fit, fitFolder, plot];
