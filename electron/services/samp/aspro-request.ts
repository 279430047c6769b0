/**
 * Shapes what is sent to ASPRO2 as rows: science targets grouped by their first programme's PI
 * priority, calibrators as calprim / calsecond, all sorted by transit on the night, as SPICA-NSS
 * does. Two sources: targets chosen in the Survey with their stored calibrators
 * (`asproRequestFromStore`), or tonight's plan with the calibrators of its CAL blocks and the PoP
 * set of every sequence (`asproRequestFromPlan`). A star is sent once: a calibrator that is also a
 * science target keeps its science row and is linked as a calibrator too (ASPRO2 identifies
 * targets by name, so a second row would have to be renamed).
 */
import { ApiError } from '../../../shared/contract/define';
import { CHARA_SITE } from '../../../shared/astro/site';
import { resolveTargetModel, uniformDisk, writeAsproModelXml } from '../../../shared/models';
import { udAt } from '../../../shared/calibrators/star-diameter';
import type { CalibratorCatalogue } from '../../../shared/calibrators/catalogue';
import { CHARA } from '../../../shared/chara/model';
import type { PlanView } from '../../../shared/planner/api-types';
import {
  asproPeriodFor,
  charaStationOrder,
  reorderPops,
  sortByTransit,
  type Aspro2Request,
  type Aspro2Settings,
  type Aspro2Target,
} from '../../../shared/votable/aspro2';
import { listAssociations } from '../../db/repos/calibrators';
import type { Store } from '../../db/store';

interface TargetRow {
  id: string;
  name: string;
  spicadb_id: string | null;
  hd: string | null;
  hip: string | null;
  ra_deg: number;
  dec_deg: number;
  pm_ra_mas_yr: number | null;
  pm_dec_mas_yr: number | null;
  parallax_mas: number | null;
  vmag: number | null;
  rmag: number | null;
  jmag: number | null;
  hmag: number | null;
  kmag: number | null;
  sp_type: string | null;
  ldd_mas: number | null;
  ldd_err_mas: number | null;
  model_json: string | null;
  extra_json: string | null;
}

/**
 * Wavelength at which a science target without a model gets its uniform-disk fallback: SPICA's
 * reference wavelength in ASPRO2 (HR and MR720 λref), mid-band.
 */
export const HANDOFF_LAMBDA_UM = 0.72;

/**
 * The model column of a science target, as NSS's `add_targetmodel` fills it: its model (local,
 * else SPICA-DB's), else a uniform disk of its diameter named `disk1`.
 */
function scienceModelXml(r: TargetRow): string | null {
  const extra = r.extra_json ? (JSON.parse(r.extra_json) as Record<string, string>) : {};
  const resolved = resolveTargetModel(
    {
      name: r.name, raDeg: r.ra_deg, decDeg: r.dec_deg, localModel: r.model_json, spicadbModel: extra.model ?? null,
      lddMas: r.ldd_mas, lddErrMas: r.ldd_err_mas, spType: r.sp_type, vmag: r.vmag, jmag: r.jmag, hmag: r.hmag, kmag: r.kmag,
    },
    HANDOFF_LAMBDA_UM,
  );
  return resolved.model ? writeAsproModelXml(resolved.model) : null;
}

/** A calibrator's model column, as NSS's `add_toymodel`: a uniform disk named `disk2`. */
function calibratorModelXml(uddMas: number | null): string | null {
  return uddMas !== null && uddMas > 0 ? writeAsproModelXml([{ ...uniformDisk(uddMas)[0], name: 'disk2' }]) : null;
}

/** Options of one send, already validated by the contract. */
export interface SendTargetsInput {
  targetIds: string[];
  night: string;
  configuration: string;
  pops?: string;
  instrument: string;
  minElevationDeg: number;
  operation: 'NEW' | 'ADD';
  includeCalibrators: boolean;
}

/** A request and what the sender should be told about it (period substituted, PoP sets). */
export interface AsproHandoff {
  request: Aspro2Request;
  notes: string[];
  /** PoP sets of the plan's sequences, in CONFIGURATIONS order, with their science targets. */
  popSets: Array<{ pops: string; targets: string[] }>;
}

function stripPrefix(id: string | number | null, prefix: string): string | null {
  if (id === null) return null;
  return String(id).replace(new RegExp(`^${prefix}\\s*`, 'i'), '').trim() || null;
}

const ONE_ARCSEC_RAD = Math.PI / (180 * 3600);

/** Whether two rows are the same star: the same name, or within 2″. */
function isSameStar(a: Aspro2Target, b: Aspro2Target): boolean {
  const norm = (n: string) => n.trim().toLowerCase().replace(/\s+/g, ' ');
  if (norm(a.name) === norm(b.name)) return true;
  const r = Math.PI / 180;
  const cos = Math.sin(a.decDeg * r) * Math.sin(b.decDeg * r) + Math.cos(a.decDeg * r) * Math.cos(b.decDeg * r) * Math.cos((a.raDeg - b.raDeg) * r);
  return Math.acos(Math.min(1, cos)) < 2 * ONE_ARCSEC_RAD;
}

/** The rows of one send: each star once, science targets first, with the calibrator links. */
class HandoffRows {
  private readonly rows: Aspro2Target[] = [];
  private readonly links = new Map<string, { science: string; calibrator: string }>();

  /** Add a science target; another science target of the same name gets a suffix. */
  science(t: Aspro2Target): string {
    let name = t.name.trim();
    for (let i = 2; this.rows.some((r) => r.name === name); i++) name = `${t.name.trim()} (${i})`;
    this.rows.push({ ...t, name });
    return name;
  }

  /** Add a calibrator, or find the row that already holds this star (as a science target too). */
  calibrator(t: Aspro2Target): Aspro2Target {
    const same = this.rows.find((r) => isSameStar(r, t));
    if (same) return same;
    const row = { ...t, name: t.name.trim() };
    this.rows.push(row);
    return row;
  }

  link(science: string, calibrator: string): void {
    if (science !== calibrator) this.links.set(`${science}\n${calibrator}`, { science, calibrator });
  }

  request(settings: Aspro2Settings, night: string): Aspro2Request {
    return { settings, targets: sortByTransit(this.rows, night, CHARA_SITE), calibrators: [...this.links.values()] };
  }
}

/** Stations (and PoPs) in CHARA.xml's SPICA order with their beams, and the period of the night. */
function settingsFor(o: { night: string; stations: string[]; pops?: string; instrument: string; minElevationDeg: number; operation: 'NEW' | 'ADD' }) {
  const order = charaStationOrder(o.stations, CHARA.spica.channelOfStation);
  const period = asproPeriodFor(o.night, CHARA.spica.configurationVersions);
  const settings: Aspro2Settings = {
    interferometer: 'CHARA',
    period: period.period,
    instrument: o.instrument,
    configurations: [order.stations.join(' ')],
    pops: o.pops ? reorderPops(o.pops, o.stations, order.stations) : undefined,
    beams: order.beams.join(' '),
    night: true,
    date: o.night,
    minElevationDeg: o.minElevationDeg,
    operation: o.operation,
    editable: { INTERFEROMETER: false, INSTRUMENT: false },
  };
  return { settings, order: order.stations, notes: period.note ? [period.note] : [] };
}

function firstMembershipOf(store: Store) {
  const statement = store.sqlite.prepare(
    `select m.pi_priority as priority, p.code as programme, pi.name as pi
       from memberships m join programmes p on p.id = m.programme_id left join pis pi on pi.id = m.pi_id
      where m.target_id = ? and m.deleted = 0 order by m.rank limit 1`,
  );
  return (id: string) => statement.get(id) as { priority: number; programme: string; pi: string | null } | undefined;
}

/** Survey rows of `ids` (all of them, or an `ApiError` naming the missing ones). */
function targetRows(store: Store, ids: string[]): TargetRow[] {
  const placeholders = ids.map(() => '?').join(',');
  const rows = store.sqlite.prepare(`select * from targets where deleted = 0 and id in (${placeholders})`).all(...ids) as TargetRow[];
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new ApiError('not-found', `no target with id ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` (+${missing.length - 3} more)` : ''}`);
  const order = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

function scienceRow(r: TargetRow, m: ReturnType<ReturnType<typeof firstMembershipOf>>): Aspro2Target {
  return {
    name: r.name,
    raDeg: r.ra_deg,
    decDeg: r.dec_deg,
    pmRaMasYr: r.pm_ra_mas_yr,
    pmDecMasYr: r.pm_dec_mas_yr,
    parallaxMas: r.parallax_mas,
    hd: stripPrefix(r.hd, 'HD'),
    hip: stripPrefix(r.hip, 'HIP'),
    spType: r.sp_type,
    vmag: r.vmag,
    rmag: r.rmag,
    jmag: r.jmag,
    hmag: r.hmag,
    kmag: r.kmag,
    spicadbId: r.spicadb_id,
    programme: m?.programme ?? null,
    pi: m?.pi ?? null,
    diameterMas: r.ldd_mas,
    nssType: 'SCI',
    modelXml: scienceModelXml(r),
    group: `priority_pi=${m?.priority ?? 1}`,
  };
}

/** Build the ASPRO2 request for targets chosen by id, with their stored calibrators; unknown ids are an `ApiError`. */
export function asproRequestFromStore(store: Store, input: SendTargetsInput): AsproHandoff {
  const rows = targetRows(store, input.targetIds);
  const membership = firstMembershipOf(store);
  const set = new HandoffRows();
  const scienceName = new Map(rows.map((r) => [r.id, set.science(scienceRow(r, membership(r.id)))]));
  if (input.includeCalibrators) {
    // Primary calibrators first, then by name, as ASPRO2 lists them.
    const cals = input.targetIds
      .flatMap((id) => listAssociations(store, id))
      .sort((x, y) => x.kind.localeCompare(y.kind) || x.calibratorName.localeCompare(y.calibratorName));
    for (const c of cals) {
      const row = set.calibrator({
        name: c.calibratorName,
        raDeg: c.raDeg,
        decDeg: c.decDeg,
        hd: stripPrefix(c.hd, 'HD'),
        hip: stripPrefix(c.hip, 'HIP'),
        vmag: c.vmag,
        diameterMas: c.uddMas,
        nssType: 'CAL',
        // NSS puts the JSDC LDD in a UD model; the association holds the UD the calibrator
        // engine derived from that LDD at SPICA's wavelength, the right size for a UD.
        modelXml: calibratorModelXml(c.uddMas),
        group: c.kind === 'primary' ? 'calprim' : 'calsecond',
      });
      set.link(scienceName.get(c.targetId) as string, row.name);
    }
  }
  const stations = input.configuration.trim().split(/\s+/);
  const { settings, notes } = settingsFor({ ...input, stations });
  return { request: set.request(settings, input.night), notes, popSets: settings.pops ? [{ pops: settings.pops, targets: [...scienceName.values()] }] : [] };
}

/** Options of a plan hand-off. */
export interface PlanHandoffInput {
  /** Send only the sequences observed with this PoP set (digits in CONFIGURATIONS order), fixing POPS. */
  popSet?: string;
  instrument?: string;
  operation: 'NEW' | 'ADD';
}

/** Details of a CAL block's star: its association with a science target of the plan, else the catalogue. */
function calibratorDetails(store: Store, catalogue: CalibratorCatalogue | null, name: string, scienceIds: string[]): Partial<Aspro2Target> & { group: Aspro2Target['group'] } {
  for (const id of scienceIds) {
    const a = listAssociations(store, id).find((x) => x.calibratorName === name);
    if (a) {
      return { hd: stripPrefix(a.hd, 'HD'), hip: stripPrefix(a.hip, 'HIP'), vmag: a.vmag, diameterMas: a.uddMas, modelXml: calibratorModelXml(a.uddMas), group: a.kind === 'primary' ? 'calprim' : 'calsecond' };
    }
  }
  const i = catalogue?.resolveName(name) ?? null;
  if (catalogue && i !== null) {
    const star = catalogue.stars[i];
    const d = catalogue.diameter(i);
    const udMas = d ? udAt(d, HANDOFF_LAMBDA_UM) : null;
    return {
      hd: stripPrefix(star.hd, 'HD'),
      hip: stripPrefix(star.hip, 'HIP'),
      pmRaMasYr: star.pmRaMasYr,
      pmDecMasYr: star.pmDecMasYr,
      parallaxMas: star.plxMas,
      spType: star.spType || null,
      vmag: star.vmag,
      jmag: star.jmag,
      hmag: star.hmag,
      kmag: star.kmag,
      diameterMas: udMas,
      modelXml: calibratorModelXml(udMas),
      group: star.primary ? 'calprim' : 'calsecond',
    };
  }
  return { group: 'calsecond' };
}

/**
 * Build the ASPRO2 request of a plan: every science target of its (not skipped) SCI blocks, the
 * calibrators of its CAL blocks linked to the targets they calibrate, and each star's PoP set.
 * ASPRO2's VOTable holds one POPS per observation (vot2AsproObservation.xsl: "TODO: support
 * multiple values for configurations/beams/pops"): one set is sent as POPS; several are left to
 * ASPRO2's own best-PoP search, each star carrying its set in the `pops` column, and `popSet`
 * sends one observation per set instead.
 */
export function asproRequestFromPlan(store: Store, plan: PlanView, input: PlanHandoffInput, catalogue: CalibratorCatalogue | null): AsproHandoff {
  const stations = plan.config.stations;
  const order = charaStationOrder(stations, CHARA.spica.channelOfStation).stations;
  const popsOf = (b: PlanView['blocks'][number]) => (b.pops && b.pops.length === stations.length ? reorderPops(b.pops, stations, order) : '');
  const live = plan.blocks.filter((b) => b.status !== 'skipped');
  const sciBlocks = [...new Map(live.filter((b) => b.kind === 'SCI').map((b) => [b.starKey, b])).values()];
  if (sciBlocks.length === 0) throw new ApiError('invalid-input', `plan ${plan.name} has no science block to send`);
  const popSets = new Map<string, string[]>();
  for (const b of sciBlocks) popSets.set(popsOf(b), [...(popSets.get(popsOf(b)) ?? []), b.name]);
  if (input.popSet !== undefined && !popSets.has(input.popSet)) {
    throw new ApiError('invalid-input', `the plan uses no PoP set "${input.popSet}" (it uses ${[...popSets.keys()].map((p) => p || 'none').join(', ')}; digits in ${order.join(' ')} order)`);
  }
  const chosen = input.popSet === undefined ? sciBlocks : sciBlocks.filter((b) => popsOf(b) === input.popSet);
  const rows = targetRows(store, chosen.map((b) => b.starKey));
  const membership = firstMembershipOf(store);
  const set = new HandoffRows();
  const scienceByName = new Map<string, { id: string; sent: string }>();
  chosen.forEach((b, i) => {
    const sent = set.science({ ...scienceRow(rows[i], membership(rows[i].id)), pops: popsOf(b) || null });
    scienceByName.set(b.name, { id: b.starKey, sent });
  });
  const cals = live.filter((b) => b.kind === 'CAL' && b.calibrates.some((n) => scienceByName.has(n)));
  const calPops = new Map<string, Set<string>>();
  for (const c of cals) {
    const sciences = c.calibrates.map((n) => scienceByName.get(n)).filter((x): x is { id: string; sent: string } => x !== undefined);
    const row = set.calibrator({
      name: c.name,
      raDeg: c.raDeg,
      decDeg: c.decDeg,
      vmag: c.vmag,
      nssType: 'CAL',
      ...calibratorDetails(store, catalogue, c.name, sciences.map((s) => s.id)),
    });
    for (const s of sciences) set.link(s.sent, row.name);
    if (row.nssType === 'CAL' && popsOf(c)) {
      const mine = calPops.get(row.name) ?? new Set<string>();
      mine.add(popsOf(c));
      calPops.set(row.name, mine);
      row.pops = [...mine].join('/');
    }
  }
  const single = input.popSet ?? (popSets.size === 1 ? [...popSets.keys()][0] : undefined);
  const { settings, notes } = settingsFor({
    night: plan.night,
    stations: order,
    pops: single || undefined,
    instrument: input.instrument ?? `SPICA_${stations.length}T`,
    minElevationDeg: Math.round(plan.config.minElevationDeg),
    operation: input.operation,
  });
  if (!single && popSets.size > 1) {
    notes.push(`the plan uses ${popSets.size} PoP sets; ASPRO2 holds one per observation, so POPS was left for ASPRO2 to choose per target and each star's set is in its "pops" column (send one set at a time to fix it)`);
  }
  return { request: set.request(settings, plan.night), notes, popSets: [...popSets].map(([pops, targets]) => ({ pops, targets })) };
}
