/**
 * The VOTable that drives ASPRO2 over SAMP (`table.load.votable`), as SPICA-NSS sends it: the
 * RESOURCE-level PARAMs of ASPRO2's documented contract (Aspro2_samp_load_votable.xml, read by
 * vot2AsproObservation.xsl), a Targets table whose columns ASPRO2 finds by UCD, then a
 * TargetsCalibrators table and a group-colour table. ASPRO2 reads the target table as TABLE[1] and
 * the calibrator links as TABLE[2], so the order matters. The file is UTF-8; names with accents
 * are fine here because only the URL travels in the (7-bit) SAMP message.
 */
import { localMidnightMjd } from '../astro/night';
import { localSiderealTimeH, wrapHourAngleH } from '../astro/frame';
import { formatDecDms, formatRaHms } from '../astro/sexagesimal';
import type { Site } from '../astro/site';
import { xmlEscape } from './escape';

/** Observation settings carried as PARAMs. */
export interface Aspro2Settings {
  /** `CHARA`. */
  interferometer: string;
  /** ASPRO2 configuration name, e.g. `CHARA 2026A` (see `asproPeriodFor`). */
  period: string;
  /** ASPRO2 instrument name, e.g. `SPICA_6T`. */
  instrument: string;
  /** One or more station lists, e.g. `['S1 S2 W1 W2 E1 E2']`. */
  configurations: string[];
  /** PoP digits in station order, e.g. `123455`; omitted when empty. */
  pops?: string;
  /** Beams in station order, e.g. `V1 V2 V3 V4 V5 V6`; omitted when empty. */
  beams?: string;
  /** Night restriction on. */
  night: boolean;
  /** Night date, `YYYY-MM-DD`. */
  date: string;
  /** Minimum elevation, whole degrees. */
  minElevationDeg: number;
  /** `NEW` replaces ASPRO2's observation, `ADD` adds targets to it. */
  operation: 'NEW' | 'ADD';
  /** GUI locks; a field is editable unless given false here. */
  editable?: Partial<Record<Aspro2EditableField, boolean>>;
}

/** ASPRO2 fields that the `*_EDITABLE` PARAMs lock. */
export type Aspro2EditableField =
  | 'INTERFEROMETER'
  | 'PERIOD'
  | 'INSTRUMENT'
  | 'POPS'
  | 'CONFIGURATIONS'
  | 'NIGHT'
  | 'DATE'
  | 'MIN_ELEVATION'
  | 'TARGETS';

/** NSS groups: science targets by PI priority, primary and secondary calibrators. */
export type Aspro2Group = `priority_pi=${number}` | 'calprim' | 'calsecond';

/** One row of the Targets table. Optional numbers are written as empty cells when null. */
export interface Aspro2Target {
  name: string;
  raDeg: number;
  decDeg: number;
  rvKmS?: number | null;
  pmRaMasYr?: number | null;
  pmDecMasYr?: number | null;
  parallaxMas?: number | null;
  parallaxErrMas?: number | null;
  /** HD number without the prefix, as ASPRO2 adds `HD `. */
  hd?: string | null;
  hip?: string | null;
  spType?: string | null;
  vmag?: number | null;
  rmag?: number | null;
  jmag?: number | null;
  hmag?: number | null;
  kmag?: number | null;
  spicadbId?: string | null;
  programme?: string | null;
  pi?: string | null;
  /** Angular diameter (UD or LD as the caller knows it), mas. */
  diameterMas?: number | null;
  /** `SCI` or `CAL`, as NSS writes it. */
  nssType: 'SCI' | 'CAL';
  /**
   * The target's model as ASPRO2 XML (`tm:model` elements, `writeAsproModelXml`), or null: the
   * model column NSS fills with a2p2's `Models` helpers.
   */
  modelXml?: string | null;
  /**
   * PoPs the plan uses for this star, one digit per station of CONFIGURATIONS (several sets
   * separated by "/"): an extra-information column, since ASPRO2's POPS PARAM holds one set.
   */
  pops?: string | null;
  group: Aspro2Group;
}

/** What to send: settings, targets (in the order they should appear) and calibrator links. */
export interface Aspro2Request {
  settings: Aspro2Settings;
  targets: Aspro2Target[];
  /** Science target name → calibrator name pairs (names as in `targets`). */
  calibrators: Array<{ science: string; calibrator: string }>;
}

/** Group colours NSS gives ASPRO2. */
export const ASPRO2_GROUP_COLORS: Record<string, string> = {
  calprim: '#3232ff',
  calsecond: '#b2b2ff',
  'priority_pi=0': '#ff4c4c',
  'priority_pi=1': '#ffb2b2',
};

/** ASPRO2's CHARA configuration name for a night: `CHARA <year>A` before August, else `B`. */
export function charaPeriodOf(date: string): string {
  const m = /^(\d{4})-(\d{2})-\d{2}$/.exec(date);
  if (!m) throw new Error(`date "${date}" is not YYYY-MM-DD`);
  return `CHARA ${m[1]}${Number(m[2]) < 8 ? 'A' : 'B'}`;
}

/** The PERIOD to send for a night, and why when it is not the night's own semester. */
export interface Aspro2Period {
  /** A configuration CHARA.xml holds, e.g. `CHARA 2026A`. */
  period: string;
  /** The night's own semester, e.g. `CHARA 2026B`. */
  semester: string;
  /** Null when `period` is the night's semester; else why another one is sent. */
  note: string | null;
}

/**
 * The CHARA.xml configuration to send for a night: its own semester when ASPRO2 knows it, else the
 * latest known before it (or the first known, for a night older than all of them). ASPRO2 does
 * not refuse an unknown PERIOD: its ConfigurationManager.changeConfiguration ADDS a made-up
 * configuration holding only the instrument and stations sent, with no channels unless BEAMS is
 * given, so the observation would not be CHARA's real one.
 */
export function asproPeriodFor(date: string, knownVersions: readonly string[]): Aspro2Period {
  const semester = charaPeriodOf(date);
  const version = semester.slice('CHARA '.length);
  const sorted = [...knownVersions].sort();
  if (sorted.length === 0 || sorted.includes(version)) return { period: semester, semester, note: null };
  const earlier = sorted.filter((v) => v < version);
  const chosen = earlier.length ? earlier[earlier.length - 1] : sorted[0];
  return {
    period: `CHARA ${chosen}`,
    semester,
    note: `ASPRO2's CHARA.xml has no ${version} configuration (it knows ${sorted[0]}–${sorted[sorted.length - 1]}); sent CHARA ${chosen}`,
  };
}

/**
 * Stations in CHARA.xml's order for SPICA (the order of its beams V1…V6: E1 W2 W1 S2 S1 E2), so
 * CONFIGURATIONS names the configuration ASPRO2 lists, and the BEAMS of that order.
 */
export function charaStationOrder(stations: readonly string[], channelOfStation: Readonly<Record<string, string>>): { stations: string[]; beams: string[] } {
  const unknown = stations.filter((s) => !channelOfStation[s]);
  if (unknown.length) throw new Error(`no SPICA beam for station ${unknown.join(', ')} in CHARA.xml`);
  const ordered = [...stations].sort((a, b) => channelOfStation[a].localeCompare(channelOfStation[b]));
  return { stations: ordered, beams: ordered.map((s) => channelOfStation[s]) };
}

/** PoP digits given in `from` station order, rewritten in `to` order. */
export function reorderPops(pops: string, from: readonly string[], to: readonly string[]): string {
  if (pops.length !== from.length) throw new Error(`pops "${pops}" needs one digit per station of ${from.join(' ')}`);
  return to.map((s) => pops[from.indexOf(s)]).join('');
}

/**
 * Sort targets by meridian transit during the night of `date` at `site` (as NSS does): by hour
 * angle at local midnight, latest-rising first, so the list reads in observing order.
 */
export function sortByTransit<T extends { raDeg: number; name: string }>(targets: readonly T[], date: string, site: Site): T[] {
  const lstH = localSiderealTimeH(localMidnightMjd(date, site), site.lonDeg);
  const key = (t: T): number => wrapHourAngleH(t.raDeg / 15 - lstH);
  return [...targets].sort((a, b) => key(a) - key(b) || a.name.localeCompare(b.name));
}

interface Column {
  name: string;
  ucd: string;
  datatype: 'char' | 'double';
  unit?: string;
  ref?: string;
  id?: string;
  description: string;
  cell(t: Aspro2Target): string | number | null | undefined;
}

/** Target table columns: ASPRO2's reference names and UCDs, then NSS's extra-information columns. */
const COLUMNS: Column[] = [
  { name: 'NAME', ucd: 'meta.id;meta.main', datatype: 'char', description: 'Target name (identifier)', cell: (t) => t.name },
  { name: 'RA', ucd: 'pos.eq.ra;meta.main', datatype: 'char', unit: 'h:m:s', ref: 'J2000', description: 'Right ascension - J2000', cell: (t) => formatRaHms(t.raDeg, 4) },
  { name: 'DEC', ucd: 'pos.eq.dec;meta.main', datatype: 'char', unit: 'd:m:s', ref: 'J2000', description: 'Declination - J2000', cell: (t) => formatDecDms(t.decDeg, 3) },
  { name: 'RV', ucd: 'spect.dopplerVeloc.opt', datatype: 'double', unit: 'km.s-1', description: 'Radial velocity', cell: (t) => t.rvKmS },
  { name: 'PMRA', ucd: 'pos.pm;pos.eq.ra', datatype: 'double', unit: 'mas.yr-1', description: 'Proper motion in RA', cell: (t) => t.pmRaMasYr },
  { name: 'PMDEC', ucd: 'pos.pm;pos.eq.dec', datatype: 'double', unit: 'mas.yr-1', description: 'Proper motion in DEC', cell: (t) => t.pmDecMasYr },
  { name: 'PLX', ucd: 'pos.parallax.trig', datatype: 'double', unit: 'mas', description: 'Parallax', cell: (t) => t.parallaxMas },
  { name: 'e_PLX', ucd: 'stat.error;pos.parallax.trig', datatype: 'double', unit: 'mas', description: 'Parallax error', cell: (t) => t.parallaxErrMas },
  { name: 'HD', id: 'ID_HD', ucd: 'meta.id', datatype: 'char', description: 'HD identifier (H. Draper: III/135A)', cell: (t) => t.hd },
  { name: 'HIP', id: 'ID_HIP', ucd: 'meta.id', datatype: 'char', description: 'HIP identifier (Hipparcos catalogue: I/239)', cell: (t) => t.hip },
  { name: 'SP_TYPES', ucd: 'src.spType', datatype: 'char', description: 'MK spectral type(s)', cell: (t) => t.spType },
  { name: 'FLUX_V', ucd: 'phot.mag;em.opt.V', datatype: 'double', unit: 'mag', description: 'Magnitude V', cell: (t) => t.vmag },
  { name: 'FLUX_R', ucd: 'phot.mag;em.opt.R', datatype: 'double', unit: 'mag', description: 'Magnitude R', cell: (t) => t.rmag },
  { name: 'FLUX_J', ucd: 'phot.mag;em.IR.J', datatype: 'double', unit: 'mag', description: 'Magnitude J', cell: (t) => t.jmag },
  { name: 'FLUX_H', ucd: 'phot.mag;em.IR.H', datatype: 'double', unit: 'mag', description: 'Magnitude H', cell: (t) => t.hmag },
  { name: 'FLUX_K', ucd: 'phot.mag;em.IR.K', datatype: 'double', unit: 'mag', description: 'Magnitude K', cell: (t) => t.kmag },
  { name: 'spicadb_id', ucd: 'meta.code.class', datatype: 'char', description: 'SPICA-DB identifier (extra information, carried into the OB)', cell: (t) => t.spicadbId },
  { name: 'progname', ucd: 'meta.code.class', datatype: 'char', description: 'SPICA programme (extra information)', cell: (t) => t.programme },
  { name: 'piname', ucd: 'meta.code.class', datatype: 'char', description: 'Principal investigator (extra information)', cell: (t) => t.pi },
  { name: 'diam', ucd: 'meta.code.class', datatype: 'double', unit: 'mas', description: 'Angular diameter (extra information)', cell: (t) => t.diameterMas },
  { name: 'nss_type', ucd: 'meta.code.class', datatype: 'char', description: 'SCI or CAL (extra information)', cell: (t) => t.nssType },
  { name: 'pops', ucd: 'meta.code.class', datatype: 'char', description: 'PoPs the plan uses for this star, one digit per station of CONFIGURATIONS; several sets separated by / (extra information)', cell: (t) => t.pops },
  { name: 'grp', ucd: 'meta.code.class;meta.id', datatype: 'char', description: 'Target group (priority_pi=N, calprim, calsecond)', cell: (t) => t.group },
  // ASPRO2 copies this cell, unescaped, into the target of its observation, where the tm prefix
  // is bound to the models namespace (vot2AsproObservation.xsl, TARGET_MODEL).
  { name: 'model', ucd: 'meta.code.class;meta.modelled', datatype: 'char', description: 'ASPRO2 analytical model (tm:model XML)', cell: (t) => t.modelXml },
];

const EDITABLE_ORDER: Aspro2EditableField[] = ['INTERFEROMETER', 'PERIOD', 'INSTRUMENT', 'POPS', 'CONFIGURATIONS', 'NIGHT', 'DATE', 'MIN_ELEVATION', 'TARGETS'];

function param(name: string, datatype: 'char' | 'boolean' | 'int', value: string): string {
  const size = datatype === 'char' ? ' arraysize="*"' : '';
  return `    <PARAM name="${name}" datatype="${datatype}"${size} value="${xmlEscape(value)}"/>`;
}

function cellText(v: string | number | null | undefined, where: string): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${where}: ${v} is not a finite number`);
    return String(Number(v.toPrecision(10)));
  }
  return xmlEscape(v);
}

function fieldXml(c: Column): string {
  const attrs = [
    c.id ? `ID="${c.id}"` : '',
    `name="${c.name}"`,
    `datatype="${c.datatype}"`,
    `ucd="${c.ucd}"`,
    c.datatype === 'char' ? 'arraysize="*"' : '',
    c.unit ? `unit="${c.unit}"` : '',
    c.ref ? `ref="${c.ref}"` : '',
  ].filter(Boolean);
  return `      <FIELD ${attrs.join(' ')}><DESCRIPTION>${xmlEscape(c.description)}</DESCRIPTION></FIELD>`;
}

function checkRequest(req: Aspro2Request): void {
  const s = req.settings;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.date)) throw new Error(`ASPRO2 settings: date "${s.date}" is not YYYY-MM-DD`);
  if (!Number.isInteger(s.minElevationDeg) || s.minElevationDeg < 0 || s.minElevationDeg > 90) {
    throw new Error(`ASPRO2 settings: minElevationDeg ${s.minElevationDeg} is not a whole number of degrees in 0..90`);
  }
  if (s.configurations.length === 0 || s.configurations.some((c) => !/^[A-Z]\d( [A-Z]\d)*$/.test(c.trim()))) {
    throw new Error(`ASPRO2 settings: configurations ${JSON.stringify(s.configurations)} must be station lists like "S1 S2 E1"`);
  }
  if (s.configurations.some((c) => c.includes(','))) throw new Error('ASPRO2 settings: a configuration may not contain a comma');
  if (s.pops && !/^[1-5]+$/.test(s.pops)) throw new Error(`ASPRO2 settings: pops "${s.pops}" must be digits 1-5`);
  if (s.pops && s.configurations.length === 1 && s.pops.length !== s.configurations[0].trim().split(' ').length) {
    throw new Error(`ASPRO2 settings: pops "${s.pops}" needs one digit per station of "${s.configurations[0]}"`);
  }
  if (s.beams && s.configurations.length === 1 && s.beams.trim().split(/\s+/).length !== s.configurations[0].trim().split(' ').length) {
    throw new Error(`ASPRO2 settings: beams "${s.beams}" needs one beam per station of "${s.configurations[0]}"`);
  }
  const names = new Set<string>();
  req.targets.forEach((t, i) => {
    const where = `target ${i + 1} (${t.name})`;
    if (!t.name.trim()) throw new Error(`target ${i + 1}: empty name`);
    if (names.has(t.name)) throw new Error(`${where}: duplicate name (ASPRO2 identifies targets by name)`);
    names.add(t.name);
    if (!(t.raDeg >= 0 && t.raDeg < 360)) throw new Error(`${where}: raDeg ${t.raDeg} outside 0..360`);
    if (!(t.decDeg >= -90 && t.decDeg <= 90)) throw new Error(`${where}: decDeg ${t.decDeg} outside -90..90`);
  });
  for (const link of req.calibrators) {
    if (!names.has(link.science)) throw new Error(`calibrator link: science target "${link.science}" is not in the target list`);
    if (!names.has(link.calibrator)) throw new Error(`calibrator link: calibrator "${link.calibrator}" is not in the target list`);
  }
}

/** Write the VOTable for ASPRO2. Throws, naming the row or setting, on input ASPRO2 would misread. */
export function buildAspro2Votable(req: Aspro2Request): string {
  checkRequest(req);
  const s = req.settings;
  const editable = (f: Aspro2EditableField): string => String(s.editable?.[f] ?? true);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    '  <DESCRIPTION>Targets and calibrators sent by SPICA Companion to ASPRO2</DESCRIPTION>',
    '  <COOSYS ID="J2000" equinox="2000" epoch="J2000" system="eq_FK5"/>',
    '  <RESOURCE name="SPICA Companion">',
    param('OPERATION', 'char', s.operation),
    param('INTERFEROMETER', 'char', s.interferometer),
    param('PERIOD', 'char', s.period),
    param('INSTRUMENT', 'char', s.instrument),
    ...(s.pops ? [param('POPS', 'char', s.pops)] : []),
    ...(s.beams ? [param('BEAMS', 'char', s.beams)] : []),
    param('CONFIGURATIONS', 'char', s.configurations.map((c) => c.trim()).join(',')),
    param('NIGHT', 'boolean', String(s.night)),
    param('DATE', 'char', s.date),
    param('MIN_ELEVATION', 'int', String(s.minElevationDeg)),
    ...EDITABLE_ORDER.map((f) => param(`${f}_EDITABLE`, 'boolean', editable(f))),
    '    <TABLE name="Targets">',
    ...COLUMNS.map(fieldXml),
    '      <DATA><TABLEDATA>',
  ];
  req.targets.forEach((t, i) => {
    const cells = COLUMNS.map((c) => `<TD>${cellText(c.cell(t), `target ${i + 1} (${t.name}) ${c.name}`)}</TD>`);
    out.push(`        <TR>${cells.join('')}</TR>`);
  });
  out.push('      </TABLEDATA></DATA>', '    </TABLE>');
  out.push(
    '    <TABLE name="TargetsCalibrators">',
    '      <FIELD name="SCIENCE_TARGET_NAME" datatype="char" ucd="meta.id" arraysize="*"><DESCRIPTION>Science target name, as in Targets</DESCRIPTION></FIELD>',
    '      <FIELD name="CALIBRATOR_NAME" datatype="char" ucd="meta.id" arraysize="*"><DESCRIPTION>Calibrator name, as in Targets</DESCRIPTION></FIELD>',
    '      <DATA><TABLEDATA>',
    ...req.calibrators.map((l) => `        <TR><TD>${xmlEscape(l.science)}</TD><TD>${xmlEscape(l.calibrator)}</TD></TR>`),
    '      </TABLEDATA></DATA>',
    '    </TABLE>',
  );
  const groups = [...new Set(req.targets.map((t) => t.group))].sort();
  out.push(
    '    <TABLE name="TargetGroups">',
    '      <FIELD name="GROUP_NAME" datatype="char" ucd="meta.id" arraysize="*"><DESCRIPTION>Group name, as in the grp column</DESCRIPTION></FIELD>',
    '      <FIELD name="GROUP_COLOR" datatype="char" ucd="meta.code" arraysize="*"><DESCRIPTION>Group colour (#rrggbb)</DESCRIPTION></FIELD>',
    '      <DATA><TABLEDATA>',
    ...groups.map((g) => `        <TR><TD>${xmlEscape(g)}</TD><TD>${ASPRO2_GROUP_COLORS[g] ?? '#ffb2b2'}</TD></TR>`),
    '      </TABLEDATA></DATA>',
    '    </TABLE>',
    '  </RESOURCE>',
    '</VOTABLE>',
    '',
  );
  return out.join('\n');
}
