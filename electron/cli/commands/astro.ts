/** `companion` commands of the astro domain: altaz, observability, uv. */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { altAzOf } from '../../../shared/astro/altaz';
import { targetUv } from '../../../shared/astro/detail';
import { computeNightObservability, defaultObservabilityOptions } from '../../../shared/astro/observability';
import { DEFAULT_ATMOSPHERE } from '../../../shared/astro/refraction';
import { CHARA_SITE, type Site } from '../../../shared/astro/site';
import { isoFromMjd, mjdFromIso } from '../../../shared/astro/time';
import { Why, type ObservabilityOptions, type SkyTarget, type StationName } from '../../../shared/astro/types';
import { explainSample } from '../../../shared/astro/why';
import { parseFlags } from '../args';
import { CliError, describeFsError, numberFlag, type Command } from '../command';

/** ISO UTC to the second (grid instants carry float jitter below a millisecond). */
const iso = (mjd: number | null) =>
  mjd === null || !Number.isFinite(mjd) ? null : new Date(Math.round(Date.parse(isoFromMjd(mjd)) / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Rows of a CSV with a header line (names lower-cased). Every group of `required` needs one of
 * its columns, and the file needs a row: a file without them is refused, not read as no targets.
 */
function readCsvRows(path: string, required: string[][]): Array<Record<string, string>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${describeFsError(e)?.message ?? (e as Error).message}`);
  }
  const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim().toLowerCase() });
  // A one-column file has no delimiter to detect: that is not an error in itself.
  const errors = parsed.errors.filter((e) => e.code !== 'UndetectableDelimiter');
  if (errors.length) throw new CliError(`${path}: CSV row ${(errors[0].row ?? 0) + 2}: ${errors[0].message}`);
  const fields = parsed.meta.fields ?? [];
  const missing = required.filter((names) => !names.some((n) => fields.includes(n)));
  if (missing.length) {
    throw new CliError(`${path}: missing column ${missing.map((names) => names.join(' or ')).join(', ')} (found: ${fields.join(', ') || 'none'})`);
  }
  if (parsed.data.length === 0) throw new CliError(`${path}: no rows after the header line`);
  return parsed.data;
}

function csvNumber(row: Record<string, string>, keys: string[], path: string, line: number, required = true): number | undefined {
  const key = keys.find((k) => row[k] !== undefined && row[k] !== '');
  if (key === undefined) {
    if (required) throw new CliError(`${path} line ${line}: missing column ${keys[0]}`);
    return undefined;
  }
  const v = Number(row[key]);
  if (!Number.isFinite(v)) throw new CliError(`${path} line ${line}: ${key} "${row[key]}" is not a number`);
  return v;
}

function parseSite(raw: string): Site {
  const parts = raw.split(',').map(Number);
  if (parts.length !== 3 || parts.some((v) => !Number.isFinite(v)) || Math.abs(parts[0]) > 90 || Math.abs(parts[1]) > 180) {
    throw new CliError(`--site must be LAT_DEG,LON_DEG,HEIGHT_M, got "${raw}"`);
  }
  return { latDeg: parts[0], lonDeg: parts[1], heightM: parts[2] };
}

function parseConfig(raw: string | undefined): StationName[] {
  const list = (raw ?? 'S1,S2,E1,E2,W1,W2').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  return list as StationName[];
}

function engineError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message);
  }
}

const altazCommand: Command = {
  name: ['altaz'],
  usage:
    'companion altaz --input FILE.csv [--refraction] [--site LAT,LON,HEIGHT_M] [--json]\n' +
    '  CSV columns: ra_deg, dec_deg, utc (ISO 8601, UTC); optional pressure_hpa, temperature_c,\n' +
    '  rel_humidity, obswl_um (refraction weather; default 820 hPa, 10 °C, 0.5, 0.75 µm) and dut1_s.\n' +
    '  Output in input order: {alt_deg, az_deg (N through E), lst_h, ha_h (−12..12)}. Default site: CHARA S1.',
  async run(args, io) {
    const { values } = parseFlags({
      args,
      options: { input: { type: 'string' }, refraction: { type: 'boolean', default: false }, site: { type: 'string' }, json: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
      strict: true,
    });
    if (!values.input) throw new CliError('--input FILE.csv is required');
    const path = values.input;
    const site = values.site ? parseSite(values.site) : CHARA_SITE;
    const rows = readCsvRows(path, [['ra_deg', 'ra'], ['dec_deg', 'dec'], ['utc']]);
    const out = rows.map((row, i) => {
      const line = i + 2;
      const raDeg = csvNumber(row, ['ra_deg', 'ra'], path, line)!;
      const decDeg = csvNumber(row, ['dec_deg', 'dec'], path, line)!;
      if (raDeg < 0 || raDeg >= 360 || decDeg < -90 || decDeg > 90) throw new CliError(`${path} line ${line}: ra_deg must be in [0, 360) and dec_deg in [-90, 90]`);
      const utc = row.utc;
      if (!utc) throw new CliError(`${path} line ${line}: missing column utc`);
      let mjd: number;
      try {
        mjd = mjdFromIso(utc);
      } catch {
        throw new CliError(`${path} line ${line}: utc "${utc}" is not an ISO 8601 date-time`);
      }
      const r = altAzOf(raDeg, decDeg, mjd, {
        site,
        refraction: values.refraction,
        ut1MinusUtcS: csvNumber(row, ['dut1_s'], path, line, false) ?? 0,
        atmosphere: {
          pressureHpa: csvNumber(row, ['pressure_hpa'], path, line, false) ?? DEFAULT_ATMOSPHERE.pressureHpa,
          temperatureC: csvNumber(row, ['temperature_c'], path, line, false) ?? DEFAULT_ATMOSPHERE.temperatureC,
          relativeHumidity: csvNumber(row, ['rel_humidity'], path, line, false) ?? DEFAULT_ATMOSPHERE.relativeHumidity,
          wavelengthUm: csvNumber(row, ['obswl_um'], path, line, false) ?? DEFAULT_ATMOSPHERE.wavelengthUm,
        },
      });
      return { alt_deg: r.altDeg, az_deg: r.azDeg, lst_h: r.lstH, ha_h: r.haH };
    });
    if (values.json) io.out(`${JSON.stringify(out, null, 2)}\n`);
    else for (const r of out) io.out(`alt ${r.alt_deg.toFixed(5)}  az ${r.az_deg.toFixed(5)}  LST ${r.lst_h.toFixed(6)} h  HA ${r.ha_h.toFixed(6)} h\n`);
    return 0;
  },
};

async function loadTargets(source: string | undefined, dataDir: string | undefined, io: Parameters<Command['run']>[1]): Promise<SkyTarget[]> {
  if (!source) throw new CliError('--targets FILE.csv or --targets survey is required');
  if (source === 'survey') {
    const services = await io.openServices(dataDir);
    const { rows } = await services.call('survey.list', { filter: {} });
    return rows.map((r) => ({ name: r.name, raDeg: r.raDeg, decDeg: r.decDeg }));
  }
  return readCsvRows(source, [['ra_deg', 'ra'], ['dec_deg', 'dec']]).map((row, i) => ({
    name: row.name ?? row.target ?? `row ${i + 2}`,
    raDeg: csvNumber(row, ['ra_deg', 'ra'], source, i + 2)!,
    decDeg: csvNumber(row, ['dec_deg', 'dec'], source, i + 2)!,
  }));
}

const constraintFlags = {
  night: { type: 'string' },
  config: { type: 'string' },
  pops: { type: 'string', default: 'auto' },
  'min-elev': { type: 'string' },
  twilight: { type: 'string' },
  step: { type: 'string' },
  'no-delay': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
} as const;

function optionsFrom(values: { night?: string; config?: string; pops?: string; 'min-elev'?: string; twilight?: string; step?: string; 'no-delay'?: boolean }): ObservabilityOptions {
  if (!values.night) throw new CliError('--night YYYY-MM-DD is required');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.night)) throw new CliError(`--night: "${values.night}" is not YYYY-MM-DD`);
  return defaultObservabilityOptions(values.night, {
    stations: parseConfig(values.config),
    pops: values.pops ?? 'auto',
    minElevationDeg: numberFlag('min-elev', values['min-elev'], 30),
    twilightDeg: numberFlag('twilight', values.twilight, -12),
    stepMin: numberFlag('step', values.step, 5),
    useDelayLines: !values['no-delay'],
  });
}

const observabilityCommand: Command = {
  name: ['observability'],
  usage:
    'companion observability --night YYYY-MM-DD --targets FILE.csv|survey [--config S1,S2,E1,E2,W1,W2]\n' +
    '  [--pops auto|NNNNNN] [--min-elev 30] [--twilight -12] [--step 5] [--no-delay] [--json] [--data-dir DIR]\n' +
    '  FILE.csv has columns name, ra_deg, dec_deg (J2000). Times are UTC.',
  async run(args, io) {
    const { values } = parseFlags({ args, options: { ...constraintFlags, targets: { type: 'string' } }, strict: true });
    const options = optionsFrom(values);
    const targets = await loadTargets(values.targets, values['data-dir'], io);
    const t0 = performance.now();
    const result = engineError(() => computeNightObservability(targets, options));
    const computeMs = performance.now() - t0;
    const g = result.grid;
    const rows = result.targets.map((t, i) => {
      const blocked = new Map<string, number>();
      for (let k = 0; k < t.why.length; k++) {
        if (!t.why[k] || t.why[k] & Why.twilight) continue;
        for (const reason of explainSample(t, k, { grid: g, options: result.options })) {
          // Group per constraint: drop the per-sample numbers (parenthesised, or "12.3°").
          const key = reason.replace(/\s*\(.*\)$/, '').replace(/ -?\d+(\.\d+)?°/g, '').trim();
          blocked.set(key, (blocked.get(key) ?? 0) + options.stepMin);
        }
      }
      return {
        name: targets[i].name ?? `#${i + 1}`,
        ra_deg: targets[i].raDeg,
        dec_deg: targets[i].decDeg,
        pops: t.pops,
        observable_min: t.observable.reduce((a, b) => a + b, 0) * options.stepMin,
        intervals: t.intervals.map((iv) => ({ start: iso(iv.startMjd), end: iso(iv.endMjd) })),
        blocked_dark_min: [...blocked.entries()].sort((a, b) => b[1] - a[1]).map(([reason, minutes]) => ({ reason, minutes })),
      };
    });
    const summary = {
      night: options.night,
      stations: result.options.stations,
      pops: options.pops,
      min_elevation_deg: options.minElevationDeg,
      twilight_deg: options.twilightDeg,
      step_min: options.stepMin,
      delay_lines: options.useDelayLines,
      sunset: iso(g.sunsetMjd),
      twilight_end: iso(options.twilightDeg <= -18 ? g.astroDuskMjd : g.nauticalDuskMjd),
      twilight_start: iso(options.twilightDeg <= -18 ? g.astroDawnMjd : g.nauticalDawnMjd),
      sunrise: iso(g.sunriseMjd),
      moon_illumination: Math.round(g.moonIllumination * 1000) / 1000,
      compute_ms: Math.round(computeMs * 10) / 10,
      targets: rows,
    };
    if (values.json) {
      io.out(`${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    }
    io.out(`Night ${summary.night} (UTC): dark ${summary.twilight_end} → ${summary.twilight_start}, ${summary.stations.join('-')}, PoPs ${summary.pops}\n`);
    for (const r of rows) {
      const span = r.intervals.map((iv) => `${iv.start?.slice(11, 16)}–${iv.end?.slice(11, 16)}`).join(', ') || 'not observable';
      const why = r.blocked_dark_min[0] ? `  (${r.blocked_dark_min[0].reason}: ${r.blocked_dark_min[0].minutes} min)` : '';
      io.out(`${r.name.padEnd(16)} ${String(r.observable_min).padStart(4)} min  PoPs ${r.pops || '-'}  ${span}${why}\n`);
    }
    return 0;
  },
};

const uvCommand: Command = {
  name: ['uv'],
  usage:
    'companion uv --ra DEG --dec DEG --night YYYY-MM-DD [--config S1,S2,...] [--pops auto|NNNNNN]\n' +
    '  [--min-elev 30] [--step 5] [--mode LR] [--all-dark] [--json]',
  async run(args, io) {
    const { values } = parseFlags({
      args,
      options: { ...constraintFlags, ra: { type: 'string' }, dec: { type: 'string' }, mode: { type: 'string', default: 'LR' }, 'all-dark': { type: 'boolean', default: false } },
      strict: true,
    });
    const raDeg = numberFlag('ra', values.ra);
    const decDeg = numberFlag('dec', values.dec);
    if (raDeg < 0 || raDeg >= 360) throw new CliError(`--ra must be in [0, 360), got ${raDeg}`);
    if (decDeg < -90 || decDeg > 90) throw new CliError(`--dec must be in [-90, 90], got ${decDeg}`);
    const options = optionsFrom(values);
    const uv = engineError(() => targetUv({ id: null, name: `${raDeg} ${decDeg}`, raDeg, decDeg }, options, values.mode ?? 'LR', !values['all-dark'], 600));
    const out = {
      night: options.night,
      stations: uv.stations,
      pops: uv.pops,
      lambda_ref_um: uv.lambdaRefUm,
      channels_um: uv.channelsUm,
      baselines: uv.tracks.map((t) => ({
        baseline: t.baseline,
        points: t.timesMjd.map((mjd, k) => ({ utc: iso(mjd), ha_h: t.haH[k], u_m: t.uM[k], v_m: t.vM[k] })),
      })),
    };
    if (values.json) io.out(`${JSON.stringify(out, null, 2)}\n`);
    else {
      io.out(`uv for RA ${raDeg} Dec ${decDeg} on ${options.night}, ${out.stations.join('-')}, PoPs ${out.pops}\n`);
      for (const b of out.baselines) io.out(`${b.baseline.padEnd(6)} ${b.points.length} points\n`);
    }
    return 0;
  },
};

export const astroCommands: Command[] = [altazCommand, observabilityCommand, uvCommand];
