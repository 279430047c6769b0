/**
 * Builds the bundled calibrator backbone (`resources/calibrators/backbone.json.gz`) from the
 * offline catalogues in
 * `../shared/data/catalogs/` (see `resources/calibrators/README.md` for sources and licences).
 *
 *   npx tsx resources/scripts/build-calibrator-backbone.ts [--catalogs DIR] [--out DIR]
 *
 * The backbone is one row per Hipparcos entry of the Stellarium decoding (V ≤ 10, Dec ≥ −40°),
 * enriched by HD with BSC5 (SB codes, v sin i, multiplicity, BSC spectral type), the SIMBAD
 * snapshot of the BSC (OTYPE, B V J H K with errors), and kept side tables for JMDC measured
 * diameters and the CATCH JSDC rows. No value is edited: each source keeps its own column so the
 * vetting can name where a flag came from.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { parseCatchList } from '../../shared/calibrators/import/catch-list';
import type { BackboneFile, JmdcRow } from '../../shared/calibrators/backbone-types';
import type { JmmcTables } from '../../shared/calibrators/jmmc-tables';
import { checkColours } from '../../shared/calibrators/colour-check';
import { parseSpectralType } from '../../shared/calibrators/spectral-type';

const { values } = parseArgs({
  options: {
    catalogs: { type: 'string', default: resolve(import.meta.dirname, '../../../shared/data/catalogs') },
    out: { type: 'string', default: resolve(import.meta.dirname, '../calibrators') },
  },
  strict: true,
});
const catalogsDir = values.catalogs!;
const outDir = values.out!;

type Row = Record<string, string>;

function readCsv(path: string): Row[] {
  const raw = path.endsWith('.gz') ? gunzipSync(readFileSync(path)).toString('utf8') : readFileSync(path, 'utf8');
  const parsed = Papa.parse<Row>(raw, { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new Error(`${path}: CSV error at row ${e.row}: ${e.message}`);
  }
  return parsed.data;
}

function num(s: string | undefined): number | null {
  if (s === undefined) return null;
  const t = s.trim();
  if (t === '') return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

function round(v: number | null, digits: number): number | null {
  if (v === null) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const paths = {
  hip: join(catalogsDir, 'stellarium-hip/hip_stellarium_V10_dec-40.csv.gz'),
  bsc: join(catalogsDir, 'bsc5/bsc5.csv'),
  simbad: join(catalogsDir, 'bsc5/bsc5_simbad.csv.gz'),
  jmdc: join(catalogsDir, 'jmmc-searchcal/JMDC_full_20200730.csv'),
  catch: ['HD10516', 'HD197481', 'HD203280', 'HD20902'].map((t) => join(catalogsDir, `catch-examples/${t}_Calibrators.txt`)),
};

const hipRows = readCsv(paths.hip);
const bscByHd = new Map<string, Row>();
for (const r of readCsv(paths.bsc)) if (r.HD) bscByHd.set(r.HD.trim(), r);
const simbadByHd = new Map<string, Row>();
for (const r of readCsv(paths.simbad)) if (r.HD) simbadByHd.set(r.HD.trim(), r);

/** Column store; `null` marks a missing value (JSON has no NaN). */
const cols = {
  hip: [] as number[],
  comp: [] as string[],
  hd: [] as (number | null)[],
  hr: [] as (number | null)[],
  name: [] as string[],
  raDeg: [] as (number | null)[],
  decDeg: [] as (number | null)[],
  pmRaMasYr: [] as (number | null)[],
  pmDecMasYr: [] as (number | null)[],
  plxMas: [] as (number | null)[],
  vmag: [] as (number | null)[],
  eVmag: [] as (number | null)[],
  bv: [] as (number | null)[],
  bmag: [] as (number | null)[],
  eBmag: [] as (number | null)[],
  jmag: [] as (number | null)[],
  eJmag: [] as (number | null)[],
  hmag: [] as (number | null)[],
  eHmag: [] as (number | null)[],
  kmag: [] as (number | null)[],
  eKmag: [] as (number | null)[],
  spType: [] as string[],
  spTypeHip: [] as string[],
  spTypeBsc: [] as string[],
  otype: [] as string[],
  gcvsType: [] as string[],
  wdsSepArcsec: [] as (number | null)[],
  bscMultiple: [] as string[],
  bscSb: [] as string[],
  bscSepArcsec: [] as (number | null)[],
  bscDmag: [] as (number | null)[],
  vsiniKms: [] as (number | null)[],
  bscName: [] as string[],
  gcvsName: [] as string[],
  photRejected: [] as string[],
};

let photRejectedCount = 0;
// The colour check reads the intrinsic-colour tables built from the same SearchCal files.
const jmmc = buildJmmcTables(join(catalogsDir, 'jmmc-searchcal'));
for (const r of hipRows) {
  const hdKey = r.HD?.trim() ?? '';
  const bsc = hdKey ? bscByHd.get(hdKey) : undefined;
  const sim = hdKey ? simbadByHd.get(hdKey) : undefined;
  // Only the primary (or unsplit) Hipparcos entry gets the BSC/SIMBAD photometry of the system.
  const isPrimary = r.comp === '' || r.comp === 'A';
  const withBright = isPrimary ? sim : undefined;
  const hipV = num(r.Vmag);
  const simV = num(withBright?.V);
  cols.hip.push(Number(r.HIP));
  cols.comp.push(r.comp ?? '');
  cols.hd.push(num(r.HD));
  cols.hr.push(num(r.HR));
  cols.name.push(withBright ? simbadName(withBright.main_id) : '');
  cols.raDeg.push(round(num(r.RAdeg), 5));
  cols.decDeg.push(round(num(r.DEdeg), 5));
  cols.pmRaMasYr.push(round(num(r.pmRA), 2));
  cols.pmDecMasYr.push(round(num(r.pmDE), 2));
  cols.plxMas.push(round(num(withBright?.plx_mas) ?? num(r.plx_mas), 3));
  // SIMBAD V is to 0.01 mag; Stellarium's is quantised to 0.05 mag.
  cols.vmag.push(simV ?? hipV);
  cols.eVmag.push(simV !== null ? num(withBright?.e_V) : null);
  cols.bv.push(num(r.BV) !== null ? num(r.BV) : null);
  cols.bmag.push(num(withBright?.B));
  cols.eBmag.push(num(withBright?.e_B));
  cols.jmag.push(num(withBright?.J));
  cols.eJmag.push(num(withBright?.e_J));
  cols.hmag.push(num(withBright?.H));
  cols.eHmag.push(num(withBright?.e_H));
  cols.kmag.push(num(withBright?.K));
  cols.eKmag.push(num(withBright?.e_K));
  const simSp = withBright?.SpType?.trim() ?? '';
  const hipSp = r.SpType?.trim() ?? '';
  cols.spType.push(simSp || hipSp);
  cols.spTypeHip.push(hipSp === (simSp || hipSp) ? '' : hipSp);
  cols.spTypeBsc.push(isPrimary ? (bsc?.SpType?.trim() ?? '') : '');
  cols.otype.push(withBright?.otype?.trim() ?? '');
  cols.gcvsType.push(r.gcvs_type?.trim() ?? '');
  cols.wdsSepArcsec.push(num(r.wds_min_sep_arcsec));
  cols.bscMultiple.push(isPrimary ? (bsc?.Multiple?.trim() ?? '') : '');
  cols.bscSb.push(isPrimary ? (bsc?.n_RadVel?.trim() ?? '') : '');
  cols.bscSepArcsec.push(isPrimary ? num(bsc?.Sep) : null);
  cols.bscDmag.push(isPrimary ? num(bsc?.Dmag) : null);
  cols.vsiniKms.push(isPrimary ? num(bsc?.RotVel) : null);
  cols.bscName.push(isPrimary ? (bsc?.Name?.trim() ?? '') : '');
  cols.gcvsName.push(r.gcvs_name?.trim() ?? '');
  // Colours against the spectral type: a magnitude that cannot be this star's leaves the
  // magnitude columns and is kept, with the reason, in photRejected.
  const n = cols.hip.length - 1;
  const rejected = checkColours(parseSpectralType(cols.spType[n]), {
    V: cols.vmag[n], eV: cols.eVmag[n], bv: cols.bv[n], J: cols.jmag[n], eJ: cols.eJmag[n], H: cols.hmag[n], eH: cols.eHmag[n],
    K: cols.kmag[n], eK: cols.eKmag[n], plxMas: cols.plxMas[n],
  }, jmmc);
  for (const x of rejected) {
    if (x.band === 'J') cols.jmag[n] = cols.eJmag[n] = null;
    if (x.band === 'H') cols.hmag[n] = cols.eHmag[n] = null;
    if (x.band === 'K') cols.kmag[n] = cols.eKmag[n] = null;
    if (x.band === 'B') cols.bv[n] = null;
  }
  cols.photRejected.push(rejected.map((x) => `${x.band === 'B' ? 'B−V' : x.band} ${x.value.toFixed(2)}: ${x.reason}`).join('|'));
  if (rejected.length) photRejectedCount++;
}

/** SIMBAD main ids such as "* eta Tau" or "V* gam Cas" → "eta Tau" / "gam Cas". */
function simbadName(mainId: string | undefined): string {
  return (mainId ?? '').replace(/^(\*+|V\*|NAME)\s+/, '').replace(/\s+/g, ' ').trim();
}

const jmdc: JmdcRow[] = [];
for (const r of readCsv(paths.jmdc)) {
  const id = (r.ID1 ?? '').replace(/\s+/g, '');
  const m = /^HD(\d+)/i.exec(id);
  const ld = num(r.LD_DIAM);
  const ud = num(r.UD_DIAM);
  if (!m || (ld === null && ud === null)) continue;
  jmdc.push({
    hd: Number(m[1]),
    ldMas: ld,
    udMas: ud,
    eLdMas: num(r.E_LD_DIAM),
    band: (r.BAND ?? '').trim(),
    notes: (r.NOTES ?? '').trim(),
    bibcode: (r.BIBCODE ?? '').trim(),
  });
}

const catchRows = paths.catch.flatMap((p) => parseCatchList(readFileSync(p, 'utf8'), p));

const backbone: BackboneFile = {
  format: 'spica-calibrator-backbone',
  version: 1,
  builtAt: new Date().toISOString().slice(0, 10),
  sources: [
    { id: 'stellarium-hip', file: 'stellarium-hip/hip_stellarium_V10_dec-40.csv.gz', sha256: sha256(paths.hip), what: 'Hipparcos (V≤10, Dec≥−40°) from Debian stellarium-data 0.22.2 with GCVS 2013Apr types and WDS separations', licence: 'GPL-2+ (Stellarium packaging); ESA Hipparcos, GCVS, WDS free with citation' },
    { id: 'bsc5', file: 'bsc5/bsc5.csv', sha256: sha256(paths.bsc), what: 'Yale Bright Star Catalogue 5th ed. (CDS V/50)', licence: 'public (NASA ADC / CDS)' },
    { id: 'simbad-bsc', file: 'bsc5/bsc5_simbad.csv.gz', sha256: sha256(paths.simbad), what: 'SIMBAD snapshot of the BSC5 objects, 2023-09-29', licence: 'SIMBAD terms: acknowledge SIMBAD/CDS, cite Wenger et al. 2000' },
    { id: 'jmdc', file: 'jmmc-searchcal/JMDC_full_20200730.csv', sha256: sha256(paths.jmdc), what: 'JMMC Measured stellar Diameters Catalogue export of 2020-07-30', licence: 'GPL-3.0 (JMMC-OpenDev/SearchCal)' },
    { id: 'jsdc-catch', file: 'catch-examples/*_Calibrators.txt', sha256: paths.catch.map(sha256).join(','), what: 'JSDC v2 rows (II/346) with Gaia DR3, Kervella PMa and MDFC flags from CATCH example outputs', licence: 'MIT (akshat-chaturvedi/CATCH); JSDC data GPL-3.0/CDS' },
  ],
  count: cols.hip.length,
  columns: cols,
  jmdc,
  jsdc: catchRows,
};

mkdirSync(outDir, { recursive: true });
const tablesPath = resolve(import.meta.dirname, '../../shared/calibrators/data/jmmc-tables.json');
mkdirSync(resolve(tablesPath, '..'), { recursive: true });
writeAtomic(tablesPath, Buffer.from(JSON.stringify(jmmc, null, 1)));
writeAtomic(join(outDir, 'backbone.json.gz'), gzipSync(JSON.stringify(backbone), { level: 9 }));
console.log(`backbone: ${backbone.count} stars (${photRejectedCount} with magnitudes dropped by the colour check), ${jmdc.length} JMDC rows, ${catchRows.length} JSDC (CATCH) rows → ${outDir}`);

function writeAtomic(path: string, data: Buffer): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

/**
 * The JMMC engine tables, copied number for number from the SearchCal `.cfg` files (GPL-3.0) into
 * `shared/calibrators/data/jmmc-tables.json`, so the pure engine needs no file access.
 */
function buildJmmcTables(dir: string): JmmcTables {
  const dataLines = (file: string): string[][] =>
    readFileSync(join(dir, file), 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '' && !l.startsWith('#'))
      .map((l) => l.trim().split(/\s+/));
  const toNums = (cells: string[], file: string): number[] =>
    cells.map((c) => {
      const v = Number(c);
      if (!Number.isFinite(v)) throw new Error(`${file}: "${c}" is not a number`);
      return v;
    });
  const polyLines = dataLines('alxAngDiamPolynomial.cfg');
  const polynomial: Record<string, number[]> = {};
  for (const cells of polyLines) polynomial[cells[0]] = toNums(cells.slice(1), 'alxAngDiamPolynomial.cfg');
  const domainLine = readFileSync(join(dir, 'alxAngDiamPolynomial.cfg'), 'utf8').match(/#domain:\s+([\d.]+)\s+([\d.]+)/);
  if (!domainLine) throw new Error('alxAngDiamPolynomial.cfg: no "#domain:" line');
  const covariance = dataLines('alxAngDiamPolynomialCovariance.cfg').map((c) => toNums(c.slice(1), 'alxAngDiamPolynomialCovariance.cfg'));
  if (covariance.length !== 15 || covariance.some((r) => r.length !== 15)) throw new Error('alxAngDiamPolynomialCovariance.cfg: expected a 15×15 matrix');
  const extinctionRatio: Record<string, number> = {};
  for (const [band, rc] of dataLines('alxExtinctionRatioTable.cfg')) extinctionRatio[band] = Number(rc);
  const udBands = ['U', 'B', 'V', 'R', 'I', 'J', 'H', 'K', 'L', 'M', 'N'];
  const udTable = dataLines('alxTableUDCoefficientCorrection.cfg').map((c) => {
    const v = toNums(c, 'alxTableUDCoefficientCorrection.cfg');
    return { logg: v[0], teff: v[1], u: Object.fromEntries(udBands.map((b, i) => [b, v[2 + i]])) };
  });
  const teffLogg = dataLines('alxTableTeffLogg.cfg').map((c) => {
    const m = /^([OBAFGKM])([\d.]+)$/.exec(c[0]);
    if (!m) throw new Error(`alxTableTeffLogg.cfg: bad spectral type "${c[0]}"`);
    const v = toNums(c.slice(2), 'alxTableTeffLogg.cfg');
    return { code: m[1], quantity: Number(m[2]), teff: [v[0], v[2], v[4]], logRelG: [v[1], v[3], v[5]] };
  });
  const colourTable = (file: string) =>
    dataLines(file).map((c) => {
      const m = /^([OBAFGKM])([\d.]+)$/.exec(c[0]);
      if (!m) throw new Error(`${file}: bad spectral type "${c[0]}"`);
      const v = toNums(c.slice(1, 7), file);
      // 99.990 is the files' "no value".
      const opt = (x: number) => (x > 99 ? null : x);
      return { code: m[1], quantity: Number(m[2]), bv: v[0], vIc: v[1], vR: v[2], icJc: opt(v[3]), jcHc: opt(v[4]), jcKc: opt(v[5]) };
    });
  return {
    source: 'JMMC-OpenDev/SearchCal@ce4505595d63f600540e3ddb6015446ae24857d6 SearchCal/alx/config (GPL-3.0)',
    polynomial: { VJ: polynomial['V-J'], VH: polynomial['V-H'], VK: polynomial['V-K'] },
    domain: [Number(domainLine[1]), Number(domainLine[2])],
    covariance,
    extinctionRatio,
    udTable,
    teffLogg,
    colourTables: {
      dwarf: colourTable('alxColorTableForDwarfStar.cfg'),
      giant: colourTable('alxColorTableForGiantStar.cfg'),
      supergiant: colourTable('alxColorTableForSuperGiantStar.cfg'),
    },
  };
}
