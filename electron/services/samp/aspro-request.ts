/**
 * Reads the chosen targets and their calibrators from the store and shapes them as ASPRO2 rows:
 * science targets grouped by their first programme's PI priority, calibrators as calprim /
 * calsecond, all sorted by transit on the night, as SPICA-NSS does.
 */
import { ApiError } from '../../../shared/contract/define';
import { CHARA_SITE } from '../../../shared/astro/site';
import { resolveTargetModel, uniformDisk, writeAsproModelXml } from '../../../shared/models';
import { charaPeriodOf, sortByTransit, type Aspro2Request, type Aspro2Target } from '../../../shared/votable/aspro2';
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

function stripPrefix(id: string | null, prefix: string): string | null {
  if (!id) return null;
  return id.replace(new RegExp(`^${prefix}\\s*`, 'i'), '').trim() || null;
}

/** Build the ASPRO2 request for `input` from the store; unknown ids are an `ApiError`. */
export function asproRequestFromStore(store: Store, input: SendTargetsInput): Aspro2Request {
  const db = store.sqlite;
  const placeholders = input.targetIds.map(() => '?').join(',');
  const rows = db.prepare(`select * from targets where deleted = 0 and id in (${placeholders})`).all(...input.targetIds) as TargetRow[];
  const found = new Set(rows.map((r) => r.id));
  const missing = input.targetIds.filter((id) => !found.has(id));
  if (missing.length) throw new ApiError('not-found', `no target with id ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` (+${missing.length - 3} more)` : ''}`);

  const firstMembership = db.prepare(
    `select m.pi_priority as priority, p.code as programme, pi.name as pi
       from memberships m join programmes p on p.id = m.programme_id left join pis pi on pi.id = m.pi_id
      where m.target_id = ? and m.deleted = 0 order by m.rank limit 1`,
  );
  const names = new Set<string>();
  const uniqueName = (name: string): string => {
    let n = name.trim();
    for (let i = 2; names.has(n); i++) n = `${name.trim()} (${i})`;
    names.add(n);
    return n;
  };

  const science: Aspro2Target[] = rows.map((r) => {
    const m = firstMembership.get(r.id) as { priority: number; programme: string; pi: string | null } | undefined;
    return {
      name: uniqueName(r.name),
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
  });

  const calibrators: Aspro2Target[] = [];
  const links: Aspro2Request['calibrators'] = [];
  if (input.includeCalibrators) {
    // Primary calibrators first, then by name, as ASPRO2 lists them.
    const cals = input.targetIds
      .flatMap((id) => listAssociations(store, id))
      .sort((x, y) => x.kind.localeCompare(y.kind) || x.calibratorName.localeCompare(y.calibratorName));
    const byName = new Map<string, string>();
    const scienceName = new Map(rows.map((r, i) => [r.id, science[i].name]));
    for (const c of cals) {
      const key = c.calibratorName.trim().toLowerCase();
      let name = byName.get(key);
      if (!name) {
        name = uniqueName(c.calibratorName);
        byName.set(key, name);
        calibrators.push({
          name,
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
      }
      links.push({ science: scienceName.get(c.targetId) as string, calibrator: name });
    }
  }

  return {
    settings: {
      interferometer: 'CHARA',
      period: charaPeriodOf(input.night),
      instrument: input.instrument,
      configurations: [input.configuration],
      pops: input.pops || undefined,
      night: true,
      date: input.night,
      minElevationDeg: input.minElevationDeg,
      operation: input.operation,
      editable: { INTERFEROMETER: false, INSTRUMENT: false },
    },
    targets: sortByTransit([...science, ...calibrators], input.night, CHARA_SITE),
    calibrators: links,
  };
}
