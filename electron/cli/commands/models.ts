/** `companion` commands of the models domain: visibility predictions and model checks. */
import { readFileSync } from 'node:fs';
import { isoFromMjd } from '../../../shared/astro/time';
import { ModelError, parseModelText, writeAsproModelXml, writeModelJson } from '../../../shared/models';
import { parseFlags } from '../args';
import { CliError, numberFlag, type Command } from '../command';

const iso = (mjd: number) => new Date(Math.round(Date.parse(isoFromMjd(mjd)) / 1000) * 1000).toISOString().replace('.000Z', 'Z');

const visibilityCommand: Command = {
  name: ['visibility'],
  usage:
    'companion visibility --target NAME | --ra DEG --dec DEG --model JSON|XML  --night YYYY-MM-DD\n' +
    '  [--model JSON|XML] [--config S1,S2,E1,E2,W1,W2] [--pops auto|NNNNNN] [--mode LR|MR|HR|MR640…] [--step 30]\n' +
    '  [--channels N] [--min-elev 30] [--all-dark] [--json] [--data-dir DIR]\n' +
    '  A survey target uses its model (local, else SPICA-DB, else a uniform disk of its predicted diameter).\n' +
    '  --step is the sampling in minutes (ASPRO2 samples SPICA every 30); --channels thins the mode’s\n' +
    '  channels (default: all). u, v are in metres as `companion uv` gives them; MR means MR720.\n' +
    '  JSON: {samples:[{baseline, utc, u_m, v_m, lambda_um, vis2, phase_deg}], triangles:[{triangle, utc, lambda_um, closure_phase_deg}]}',
  async run(args, io) {
    const { values } = parseFlags({
      args,
      options: {
        target: { type: 'string' }, ra: { type: 'string' }, dec: { type: 'string' }, model: { type: 'string' },
        night: { type: 'string' }, config: { type: 'string' }, pops: { type: 'string', default: 'auto' }, mode: { type: 'string', default: 'LR' },
        step: { type: 'string' }, channels: { type: 'string' }, 'min-elev': { type: 'string' }, 'all-dark': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false }, 'data-dir': { type: 'string' },
      },
      strict: true,
    });
    if (!values.night) throw new CliError('--night YYYY-MM-DD is required');
    if (!values.target && (values.ra === undefined || values.dec === undefined)) throw new CliError('give --target NAME, or --ra DEG --dec DEG with --model');
    if (values.target && (values.ra !== undefined || values.dec !== undefined)) throw new CliError('give --target or --ra/--dec, not both');
    if (!values.target && !values.model) throw new CliError('--ra/--dec need --model (a JSON or XML model)');
    if (values.model) {
      try {
        parseModelText(values.model);
      } catch (e) {
        if (e instanceof ModelError) throw new CliError(`--model: ${e.message}`);
        throw e;
      }
    }
    const channels = values.channels === undefined ? 600 : numberFlag('channels', values.channels);
    if (!Number.isInteger(channels) || channels < 1 || channels > 600) throw new CliError(`--channels must be a whole number 1..600, got ${values.channels}`);
    const stations = (values.config ?? 'S1,S2,E1,E2,W1,W2').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
    const services = await io.openServices(values['data-dir']);
    let targetId: string | undefined;
    if (values.target) {
      const wanted = values.target.trim().toLowerCase().replace(/\s+/g, ' ');
      const { rows } = await services.call('survey.list', { filter: { text: values.target.trim() } });
      const match = rows.filter((r) => r.name.toLowerCase().replace(/\s+/g, ' ') === wanted);
      if (match.length === 0) throw new CliError(`--target: no survey target named "${values.target}"${rows.length ? ` (similar: ${rows.slice(0, 3).map((r) => r.name).join(', ')})` : ''}`);
      if (match.length > 1) throw new CliError(`--target: ${match.length} survey targets are named "${values.target}"`);
      targetId = match[0].id;
    }
    const p = await services.call('models.predict', {
      ...(targetId ? { targetId } : { raDeg: numberFlag('ra', values.ra), decDeg: numberFlag('dec', values.dec) }),
      ...(values.model ? { model: values.model } : {}),
      night: values.night,
      stations: stations as never,
      pops: values.pops ?? 'auto',
      mode: values.mode ?? 'LR',
      stepMin: numberFlag('step', values.step, 30),
      minElevationDeg: numberFlag('min-elev', values['min-elev'], 30),
      onlyObservable: !values['all-dark'],
      maxChannels: channels,
    });
    const L = p.lambdaUm.length;
    const samples = p.baselines.flatMap((b) =>
      p.timesMjd.flatMap((mjd, t) =>
        p.lambdaUm.map((lambda, l) => ({ baseline: b.baseline, utc: iso(mjd), u_m: b.uM[t], v_m: b.vM[t], lambda_um: lambda, vis2: b.vis2[t * L + l], phase_deg: b.phaseDeg[t * L + l] })),
      ),
    );
    const triangles = p.triangles.flatMap((tri) =>
      p.timesMjd.flatMap((mjd, t) => p.lambdaUm.map((lambda, l) => ({ triangle: tri.triangle, utc: iso(mjd), lambda_um: lambda, closure_phase_deg: tri.closureDeg[t * L + l] }))),
    );
    if (values.json) {
      io.out(
        `${JSON.stringify({
          target: p.target, night: values.night, stations: p.stations, pops: p.pops, mode: p.mode,
          model: p.model, verdicts: p.verdicts, bounds: p.bounds, samples, triangles,
        })}\n`,
      );
      return 0;
    }
    io.out(`${p.target.name} on ${values.night}, ${p.stations.join('-')}, PoPs ${p.pops || '-'}, ${p.mode} (${L} channels), ${p.timesMjd.length} instants\n`);
    io.out(`model: ${p.model.note}\n`);
    for (const w of p.model.warnings) io.out(`warning: ${w}\n`);
    for (const v of p.verdicts) {
      const range = v.vis2Lowest === null ? 'no data' : `V² ${v.vis2Lowest.toFixed(3)}–${v.vis2Highest!.toFixed(3)}`;
      io.out(`${v.baseline.padEnd(6)} ${v.status.padEnd(13)} ${range}  (${Math.round(v.fractionWithin * 100)}% within ${p.bounds.vis2Min}–${p.bounds.vis2Max})\n`);
    }
    return 0;
  },
};

interface CheckedEntry {
  name: string;
  ok: boolean;
  error: string | null;
  components: number;
}

/** Entries of a model file: one model (JSON list or XML), or named models ({name: model} / [{name, model}]). */
function entriesOf(text: string): Array<{ name: string; text: string }> {
  if (text.trim().startsWith('<')) return [{ name: 'model', text }];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [{ name: 'model', text }];
  }
  if (Array.isArray(value) && value.every((v) => v && typeof v === 'object' && 'model' in (v as object) && !('type' in (v as object)))) {
    return (value as Array<{ name?: unknown; model: unknown }>).map((v, i) => ({ name: String(v.name ?? `#${i + 1}`), text: typeof v.model === 'string' ? v.model : JSON.stringify(v.model) }));
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && !('type' in (value as object))) {
    return Object.entries(value as Record<string, unknown>).map(([name, m]) => ({ name, text: typeof m === 'string' ? m : JSON.stringify(m) }));
  }
  return [{ name: 'model', text }];
}

const checkCommand: Command = {
  name: ['models', 'check'],
  usage:
    'companion models check FILE [--json] [--xml]\n' +
    '  FILE holds one model ([{"type":"disk","diameter":1.04}] or tm:model XML), or several:\n' +
    '  {"NAME": model, …} or [{"name": NAME, "model": model}, …]. Exit 2 when any is invalid;\n' +
    '  errors name the model, component and parameter. --xml prints ASPRO2 XML of valid models.',
  async run(args, io) {
    const { values, positionals } = parseFlags({ args, options: { json: { type: 'boolean', default: false }, xml: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new CliError('give exactly one FILE');
    let text: string;
    try {
      text = readFileSync(positionals[0], 'utf8');
    } catch (e) {
      throw new CliError(`cannot read ${positionals[0]}: ${(e as Error).message}`);
    }
    const results: CheckedEntry[] = [];
    const xml: string[] = [];
    for (const entry of entriesOf(text)) {
      try {
        const m = parseModelText(entry.text);
        results.push({ name: entry.name, ok: true, error: null, components: m.length });
        xml.push(writeAsproModelXml(m));
        if (values.json) continue;
        io.out(`${entry.name}: ok, ${m.length} component${m.length > 1 ? 's' : ''} ${writeModelJson(m)}\n`);
      } catch (e) {
        if (!(e instanceof ModelError)) throw e;
        results.push({ name: entry.name, ok: false, error: e.message, components: 0 });
        if (!values.json) io.err(`${positionals[0]}: ${entry.name}: ${e.message}`);
      }
    }
    if (values.json) io.out(`${JSON.stringify({ file: positionals[0], ok: results.every((r) => r.ok), models: results })}\n`);
    else if (values.xml) io.out(xml.join(''));
    return results.every((r) => r.ok) ? 0 : 2;
  },
};

export const modelsCommands: Command[] = [visibilityCommand, checkCommand];
