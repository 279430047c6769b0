/** `companion` commands of the calibrators domain: propose, night, diameter, import, bad, unbad, resolve, policy. */
import { readFileSync } from 'node:fs';
import { diametersFromCsv } from '../../../shared/calibrators/diameter-table';
import { DEFAULT_POLICY, policyPresets, proposalLambdasUm, type PolicyPreset } from '../../../shared/calibrators/policy';
import type { CalibratorProposal } from '../../../shared/calibrators/types';
import { calibratorImportKinds, type CalibratorImportKind } from '../../../shared/contract/calibrators';
import { parseFlags } from '../args';
import { CliError, numberFlag, type Command } from '../command';

const common = { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } } as const;

/** The CLI's JSON shape of a proposal (snake_case, as documented in the issue). */
export function proposalToCliJson(p: CalibratorProposal) {
  return {
    target: { name: p.target.name, ra_deg: p.target.raDeg, dec_deg: p.target.decDeg, vmag: p.target.vmag, rmag: p.target.rmag },
    night: p.night,
    baseline_m: p.baselineM,
    lambdas_um: p.lambdasUm,
    veto_lambda_um: p.vetoLambdaUm,
    preset: p.preset,
    refusal: p.refusal,
    candidates_total: p.candidatesTotal,
    rejected_total: p.rejectedTotal,
    candidates: p.candidates.map((c) => ({
      name: c.name,
      ...(c.hd !== null ? { hd: c.hd } : {}),
      ...(c.hip !== null ? { hip: c.hip } : {}),
      ra_deg: c.raDeg,
      dec_deg: c.decDeg,
      vmag: c.vmag,
      rmag: c.rmag,
      sp_type: c.spType,
      sep_deg: c.sepDeg,
      pa_deg: c.paDeg,
      tier: c.tier,
      udd_mas: c.udMas,
      udd_err_mas: c.eUdMas,
      vis2: c.channels[0].vis2,
      vis2_err: c.channels[0].vis2Err,
      channels: c.channels.map((ch) => ({ lambda_um: ch.lambdaUm, udd_mas: ch.udMas, vis2: ch.vis2, vis2_err: ch.vis2Err })),
      score: c.score,
      terms: c.terms,
      role: c.role,
      is_primary: c.isPrimary,
      flags: c.flags.map((f) => f.label),
      observable: c.observable ? { intervals_mjd: c.observable.intervalsMjd, hours: c.observable.hours, pops: c.observable.pops, basis: c.observable.basis } : null,
    })),
    rejected: p.rejected.map((r) => ({
      name: r.name,
      ...(r.hd !== null ? { hd: r.hd } : {}),
      ...(r.hip !== null ? { hip: r.hip } : {}),
      sep_deg: r.sepDeg,
      rule: r.rule,
      reason: r.reason,
      is_user_marked: r.isUserMarked,
    })),
    provenance: p.provenance,
  };
}

/** "12" (one digit per station) or "auto". */
function popsFlag(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^(auto|[1-5]{2,6})$/.test(raw)) throw new CliError(`--pops: "${raw}" is not "auto" or one digit 1-5 per station, e.g. 12 for S1-E1`);
  return raw;
}

function intFlag(name: string, raw: string): number {
  const v = numberFlag(name, raw);
  if (!Number.isInteger(v) || v < 0) throw new CliError(`--${name}: "${raw}" is not a whole number ≥ 0`);
  return v;
}

/** "03:12–07:40 UT" for observable intervals (MJD). */
function windowText(intervals: Array<[number, number]>): string {
  const hhmm = (mjd: number) => {
    const m = Math.round(((mjd % 1) + 1) % 1 * 1440) % 1440;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };
  return intervals.length ? `${intervals.map(([a, b]) => `${hhmm(a)}–${hhmm(b)}`).join(',')} UT` : 'never';
}

/** "S1-E1", "S1,E1" or "S1 E1" → station list. */
function stationsFlag(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw.split(/[-,\s]+/).filter(Boolean).map((s) => s.toUpperCase());
  if (list.length < 2) throw new CliError(`--config: "${raw}" needs at least two stations, e.g. S1-E1`);
  return list;
}

const proposeCommand: Command = {
  name: ['calibrators'],
  usage:
    'companion calibrators (--ra DEG --dec DEG | --target ID) [--vmag V] [--rmag R] [--sptype T]\n' +
    '    [--night YYYY-MM-DD] [--config S1-E1] [--pops 12|auto] [--baseline M] [--max-rejected N] [--data-dir DIR] [--json]\n' +
    '  The policy preset (app rules or "NSS 2025") is the saved one: companion calibrators policy --preset NAME.\n' +
    '  Ranks stars of the bundled backbone (plus imports) by expected calibration error; --json prints\n' +
    '  {candidates:[{name,hd,hip,ra_deg,dec_deg,tier,udd_mas,udd_err_mas,vis2,vis2_err,score,terms,flags}], rejected:[{name,hd,hip,reason}]}.',
  async run(args, io) {
    const { values } = parseFlags({
      args,
      options: {
        ...common, ra: { type: 'string' }, dec: { type: 'string' }, target: { type: 'string' }, vmag: { type: 'string' }, rmag: { type: 'string' },
        sptype: { type: 'string' }, night: { type: 'string' }, config: { type: 'string' }, baseline: { type: 'string' },
        pops: { type: 'string' }, 'max-rejected': { type: 'string' },
      },
      strict: true,
    });
    if (values.target === undefined && (values.ra === undefined || values.dec === undefined)) throw new CliError('give --ra and --dec (degrees), or --target ID');
    const raDeg = values.ra !== undefined ? numberFlag('ra', values.ra) : undefined;
    const decDeg = values.dec !== undefined ? numberFlag('dec', values.dec) : undefined;
    if (raDeg !== undefined && (raDeg < 0 || raDeg >= 360)) throw new CliError(`--ra: ${raDeg} is not in [0, 360) degrees`);
    if (decDeg !== undefined && (decDeg < -90 || decDeg > 90)) throw new CliError(`--dec: ${decDeg} is not in [-90, 90] degrees`);
    if (values.night !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.night)) throw new CliError(`--night: "${values.night}" is not YYYY-MM-DD`);
    const services = await io.openServices(values['data-dir']);
    const proposal = await services.call('calibrators.propose', {
      targetId: values.target,
      raDeg,
      decDeg,
      vmag: values.vmag !== undefined ? numberFlag('vmag', values.vmag) : undefined,
      rmag: values.rmag !== undefined ? numberFlag('rmag', values.rmag) : undefined,
      spType: values.sptype,
      night: values.night,
      stations: stationsFlag(values.config),
      pops: popsFlag(values.pops),
      baselineM: values.baseline !== undefined ? numberFlag('baseline', values.baseline) : undefined,
      maxRejected: values['max-rejected'] !== undefined ? intFlag('max-rejected', values['max-rejected']) : undefined,
    });
    if (values.json) {
      io.out(`${JSON.stringify(proposalToCliJson(proposal), null, 2)}\n`);
      return 0;
    }
    const cut = proposal.rejected.length < proposal.rejectedTotal ? ` (nearest ${proposal.rejected.length} of ${proposal.rejectedTotal} listed, every star you marked included; --max-rejected N for more)` : '';
    io.out(`${proposal.target.name} (${proposal.target.raDeg.toFixed(4)}, ${proposal.target.decDeg.toFixed(4)}), preset ${proposal.preset}, B = ${proposal.baselineM.toFixed(1)} m, vetoes at ${proposal.vetoLambdaUm} µm: ${proposal.candidates.length} of ${proposal.candidatesTotal} candidates, ${proposal.rejectedTotal} rejected${cut}\n`);
    if (proposal.refusal) io.out(`  ${proposal.refusal}\n`);
    for (const c of proposal.candidates) {
      const v = c.channels.map((ch) => `V²(${ch.lambdaUm})=${ch.vis2.toFixed(3)}±${ch.vis2Err.toFixed(3)}`).join(' ');
      const obs = c.observable ? ` obs ${windowText(c.observable.intervalsMjd)}` : '';
      io.out(`${String(c.rank).padStart(3)} ${c.name.padEnd(14)} ${c.tier}${c.isPrimary ? ' primary' : ''} θUD=${c.udMas.toFixed(3)}±${c.eUdMas.toFixed(3)} ${v} sep=${c.sepDeg.toFixed(1)}° score=${(c.score * 100).toFixed(2)}%${obs} ${c.role ?? ''} ${c.flags.map((f) => f.label).join(',')}\n`);
    }
    return 0;
  },
};

const diameterCommand: Command = {
  name: ['diameter'],
  usage:
    'companion diameter --input FILE.csv [--lambda 0.65,0.85] [--json]\n' +
    '  CSV columns (header, any case): name, sptype, v, e_v, bv, j, e_j, h, e_h, k, e_k [, ldd, e_ldd].',
  async run(args, io) {
    const { values } = parseFlags({ args, options: { ...common, input: { type: 'string' }, lambda: { type: 'string' } }, strict: true });
    if (!values.input) throw new CliError('--input FILE.csv is required');
    const lambdas = values.lambda ? values.lambda.split(',').map((x) => numberFlag('lambda', x)) : proposalLambdasUm(DEFAULT_POLICY);
    let text: string;
    try {
      text = readFileSync(values.input, 'utf8');
    } catch {
      throw new CliError(`--input: cannot read ${values.input}`);
    }
    let rows;
    try {
      rows = diametersFromCsv(text, values.input, lambdas);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    if (values.json) {
      io.out(`${JSON.stringify(rows.map((r) => ({ name: r.name, tier: r.tier, ldd_mas: r.lddMas, ldd_err_mas: r.eLddMas, chi2: r.chi2, source: r.source, udd: r.udd.map((u) => ({ lambda_um: u.lambdaUm, udd_mas: u.udMas, udd_err_mas: u.eUdMas })), notes: r.notes, error: r.error })), null, 2)}\n`);
    } else {
      for (const r of rows) {
        if (r.error) io.out(`${r.name}: ${r.error}\n`);
        else io.out(`${r.name}: tier ${r.tier} LDD ${r.lddMas!.toFixed(4)} ± ${r.eLddMas!.toFixed(4)} mas; ${r.udd.map((u) => `UD(${u.lambdaUm} µm) ${u.udMas.toFixed(4)}`).join(', ')} [${r.source}]\n`);
      }
    }
    return rows.some((r) => r.error) ? 1 : 0;
  },
};

const importCommand: Command = {
  name: ['calibrators', 'import'],
  usage: `companion calibrators import KIND FILE [--data-dir DIR] [--json]\n  KIND: ${calibratorImportKinds.join(' | ')}. Idempotent: re-importing reports rows unchanged.`,
  async run(args, io) {
    const { values, positionals } = parseFlags({ args, options: common, allowPositionals: true, strict: true });
    if (positionals.length !== 2) throw new CliError('give KIND and FILE');
    const kind = positionals[0] as CalibratorImportKind;
    if (!calibratorImportKinds.includes(kind)) throw new CliError(`KIND "${positionals[0]}" is not one of ${calibratorImportKinds.join(', ')}`);
    const services = await io.openServices(values['data-dir']);
    const report = await services.call('calibrators.import', { kind, path: positionals[1] });
    if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else {
      io.out(`${report.file} (${report.kind}): ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.skipped.length} skipped\n`);
      for (const s of report.skipped) io.out(`  skipped row ${s.row}${s.name ? ` (${s.name})` : ''}: ${s.reason}\n`);
    }
    return 0;
  },
};

const badCommand: Command = {
  name: ['calibrators', 'bad'],
  usage:
    'companion calibrators bad [--name NAME --reason TEXT [--hd N] [--hip N] [--ra DEG --dec DEG] [--night YYYY-MM-DD]] [--json]\n' +
    '  NAME is resolved to the catalogue star (HD/HIP/HR numbers, SIMBAD names, Bayer/Flamsteed, GCVS);\n' +
    '  a name that matches no star is refused unless --hd, --hip or --ra/--dec say which star it is.\n' +
    '  Without --name: the list (local entries first). Undo with companion calibrators unbad ID.',
  async run(args, io) {
    const { values } = parseFlags({
      args,
      options: { ...common, name: { type: 'string' }, reason: { type: 'string' }, hd: { type: 'string' }, hip: { type: 'string' }, ra: { type: 'string' }, dec: { type: 'string' }, night: { type: 'string' } },
      strict: true,
    });
    const services = await io.openServices(values['data-dir']);
    if (values.name === undefined) {
      const list = await services.call('calibrators.badList', {});
      io.out(values.json ? `${JSON.stringify(list, null, 2)}\n` : list.map((b) => `${b.name}\t${b.night ?? ''}\t${b.source}\t${b.reason}\n`).join(''));
      return 0;
    }
    if (!values.reason) throw new CliError('--reason is required with --name');
    const entry = await services.call('calibrators.markBad', {
      name: values.name,
      reason: values.reason,
      hd: values.hd !== undefined ? numberFlag('hd', values.hd) : null,
      hip: values.hip !== undefined ? numberFlag('hip', values.hip) : null,
      raDeg: values.ra !== undefined ? numberFlag('ra', values.ra) : null,
      decDeg: values.dec !== undefined ? numberFlag('dec', values.dec) : null,
      night: values.night ?? null,
    });
    io.out(values.json ? `${JSON.stringify(entry, null, 2)}\n` : `marked ${entry.name}${entry.hd ? ` (HD ${entry.hd})` : ''} as a bad calibrator (${entry.id}; undo: companion calibrators unbad ${entry.id})\n`);
    return 0;
  },
};

const unbadCommand: Command = {
  name: ['calibrators', 'unbad'],
  usage: 'companion calibrators unbad ID [--data-dir DIR] [--json]',
  async run(args, io) {
    const { values, positionals } = parseFlags({ args, options: common, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new CliError('give the ID of the entry (companion calibrators bad lists them)');
    const services = await io.openServices(values['data-dir']);
    const r = await services.call('calibrators.unmarkBad', { id: positionals[0] });
    io.out(values.json ? `${JSON.stringify(r)}\n` : `removed ${r.id} from the bad-calibrator list\n`);
    return 0;
  },
};

const resolveCommand: Command = {
  name: ['calibrators', 'resolve'],
  usage: 'companion calibrators resolve NAME [--data-dir DIR] [--json]',
  async run(args, io) {
    const { values, positionals } = parseFlags({ args, options: common, allowPositionals: true, strict: true });
    if (positionals.length < 1) throw new CliError('give a star name, e.g. "HD 89239" or "alf Lyr"');
    const services = await io.openServices(values['data-dir']);
    const r = await services.call('calibrators.resolve', { name: positionals.join(' ') });
    io.out(values.json ? `${JSON.stringify(r, null, 2)}\n` : `${r.name} = ${r.key}${r.hd ? ` HD ${r.hd}` : ''} (${r.raDeg.toFixed(5)}, ${r.decDeg.toFixed(5)}) V ${r.vmag ?? '?'} ${r.spType}\n`);
    return 0;
  },
};

const policyCommand: Command = {
  name: ['calibrators', 'policy'],
  usage: `companion calibrators policy [--preset ${policyPresets.join('|')}] [--reset] [--data-dir DIR] [--json]`,
  async run(args, io) {
    const { values } = parseFlags({ args, options: { ...common, preset: { type: 'string' }, reset: { type: 'boolean', default: false } }, strict: true });
    if (values.preset !== undefined && !policyPresets.includes(values.preset as PolicyPreset)) throw new CliError(`--preset: "${values.preset}" is not one of ${policyPresets.join(', ')}`);
    const services = await io.openServices(values['data-dir']);
    const p =
      values.reset || values.preset !== undefined
        ? await services.call('calibrators.policy.set', values.reset ? { reset: true } : { patch: { preset: values.preset as PolicyPreset } })
        : await services.call('calibrators.policy.get', {});
    io.out(values.json ? `${JSON.stringify(p, null, 2)}\n` : `preset ${p.preset}; V² ≥ ${p.minVis2} at ${proposalLambdasUm(p)[0]} µm; σ(V²)/V² ≤ ${p.maxVis2RelErr * 100} %; radius ${p.radiusDeg}° (→ ${p.widenRadiusDeg}°); primary first: ${p.preferPrimary}\n`);
    return 0;
  },
};

const nightCommand: Command = {
  name: ['calibrators', 'night'],
  usage:
    'companion calibrators night --night YYYY-MM-DD --config S1-E1 [--pops 12|auto] [--target ID ...] [--count N] [--allow-unvetted] [--data-dir DIR] [--json]\n' +
    '  Without --target: every unfinished survey target.',
  async run(args, io) {
    const { values } = parseFlags({
      args,
      options: {
        ...common, night: { type: 'string' }, config: { type: 'string' }, pops: { type: 'string' }, target: { type: 'string', multiple: true },
        count: { type: 'string' }, 'allow-unvetted': { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (!values.night || !/^\d{4}-\d{2}-\d{2}$/.test(values.night)) throw new CliError('--night YYYY-MM-DD is required');
    const stations = stationsFlag(values.config) ?? ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'];
    const services = await io.openServices(values['data-dir']);
    const ids = new Set(values.target ?? []);
    const rows = services.store.sqlite
      .prepare('select id, name, ra_deg, dec_deg, vmag, rmag, sp_type from targets where deleted = 0 and completion_rate < 1 order by name')
      .all() as Array<{ id: string; name: string; ra_deg: number; dec_deg: number; vmag: number | null; rmag: number | null; sp_type: string | null }>;
    const chosen = ids.size ? rows.filter((r) => ids.has(r.id)) : rows;
    for (const id of ids) if (!rows.some((r) => r.id === id)) throw new CliError(`--target: no unfinished survey target with id ${id}`);
    const r = await services.call('calibrators.forTargets', {
      targets: chosen.map((t) => ({ key: t.id, targetId: t.id, name: t.name, raDeg: t.ra_deg, decDeg: t.dec_deg, vmag: t.vmag, rmag: t.rmag, spType: t.sp_type })),
      night: values.night,
      stations,
      pops: popsFlag(values.pops) ?? 'auto',
      count: values.count !== undefined ? intFlag('count', values.count) : 3,
      allowUnvetted: values['allow-unvetted'],
    });
    if (values.json) {
      io.out(`${JSON.stringify(r, null, 2)}\n`);
      return 0;
    }
    io.out(`${r.night} ${r.stations.join('-')} PoPs ${r.pops}, preset ${r.preset}: ${r.targets.length} targets in ${r.elapsedMs} ms\n`);
    r.targets.forEach((t, k) => {
      io.out(`${chosen[k].name} [${t.source}]${t.refusal ? ` ${t.refusal}` : ''}\n`);
      for (const c of t.calibrators) io.out(`   ${c.isVetted ? '' : 'UNVETTED '}${c.name} ${c.tier ?? '?'} θUD=${c.udMas?.toFixed(3) ?? '?'} ${c.observable ? windowText(c.observable.intervalsMjd) : ''}${c.isAssigned ? ' assigned' : ''}\n`);
    });
    return 0;
  },
};

export const calibratorsCommands: Command[] = [proposeCommand, nightCommand, diameterCommand, importCommand, badCommand, unbadCommand, resolveCommand, policyCommand];
