/**
 * The in-memory calibrator catalogue: the bundled backbone, imported JSDC/SearchCal rows merged
 * onto it (by HD, else position ≤ 5″), and a declination-band sky index so a cone search touches
 * only the bands it overlaps. Diameters and parsed spectral types are computed once per star, on
 * first use.
 */
import type { BackboneFile, JmdcRow, JsdcRow } from './backbone-types';
import { bscDesignations, canonicalStarName } from './names';
import { parseSpectralType, type SpectralType } from './spectral-type';
import { assessDiameter, type DiameterAssessment, type StarDiameter } from './star-diameter';
import { displayName, type CalStar } from './star';

const DEG = Math.PI / 180;
/** Height of one declination band of the sky index (deg). */
const BAND_DEG = 2;
/** Two positions closer than this are the same star when no identifier links them. */
export const SAME_STAR_ARCSEC = 5;

/** One entry of a bad-calibrator list (JMMC BadCal or the team's own). */
export interface BadCalEntry {
  name: string;
  hd: number | null;
  hip: number | null;
  raDeg: number | null;
  decDeg: number | null;
  reason: string;
  night: string | null;
  /** 'jmmc' for the imported BadCal list, 'local' for the team's list, or an import file name. */
  source: string;
}

/** The catalogue: stars, identifier maps, sky index and per-star diameter cache. */
export class CalibratorCatalogue {
  readonly stars: CalStar[] = [];
  readonly builtAt: string;
  readonly sources: BackboneFile['sources'];
  private x = new Float64Array(0);
  private y = new Float64Array(0);
  private z = new Float64Array(0);
  private bands: number[][] = [];
  private readonly byHd = new Map<number, number>();
  private readonly byHip = new Map<number, number>();
  /** Cached diameter assessments; `undefined` = not computed yet. */
  private diameters: Array<DiameterAssessment | undefined> = [];

  /**
   * Build from the backbone file, extra JSDC rows (imports, later rows winning) and the rows of
   * the SPICA primary-calibrator list.
   */
  constructor(backbone: BackboneFile, extraJsdc: JsdcRow[] = [], primaryRows: JsdcRow[] = []) {
    this.builtAt = backbone.builtAt;
    this.sources = backbone.sources;
    const c = backbone.columns;
    const jmdcByHd = new Map<number, JmdcRow[]>();
    for (const m of backbone.jmdc) {
      const list = jmdcByHd.get(m.hd) ?? [];
      list.push(m);
      jmdcByHd.set(m.hd, list);
    }
    for (let i = 0; i < backbone.count; i++) {
      const ra = c.raDeg[i];
      const dec = c.decDeg[i];
      if (ra === null || dec === null) continue;
      const hd = c.hd[i];
      const isPrimary = c.comp[i] === '' || c.comp[i] === 'A';
      const star: CalStar = {
        key: `HIP ${c.hip[i]}${c.comp[i]}`,
        name: c.name[i], hip: c.hip[i], comp: c.comp[i], hd, hr: c.hr[i], raDeg: ra, decDeg: dec,
        pmRaMasYr: c.pmRaMasYr[i], pmDecMasYr: c.pmDecMasYr[i], plxMas: c.plxMas[i], vmag: c.vmag[i], eVmag: c.eVmag[i], bv: c.bv[i],
        jmag: c.jmag[i], eJmag: c.eJmag[i], hmag: c.hmag[i], eHmag: c.eHmag[i], kmag: c.kmag[i], eKmag: c.eKmag[i],
        spType: c.spType[i], spTypeHip: c.spTypeHip[i], spTypeBsc: c.spTypeBsc[i], otype: c.otype[i],
        gcvsType: c.gcvsType[i], wdsSepArcsec: c.wdsSepArcsec[i], bscMultiple: c.bscMultiple[i], bscSb: c.bscSb[i],
        bscSepArcsec: c.bscSepArcsec[i], bscDmag: c.bscDmag[i], vsiniKms: c.vsiniKms[i],
        bscName: c.bscName?.[i] ?? '', gcvsName: c.gcvsName?.[i] ?? '', photRejected: c.photRejected?.[i] ? c.photRejected[i].split('|') : [],
        jsdc: null, primary: null, jmdc: hd !== null && isPrimary ? (jmdcByHd.get(hd) ?? []) : [],
      };
      const idx = this.stars.push(star) - 1;
      if (hd !== null && isPrimary && !this.byHd.has(hd)) this.byHd.set(hd, idx);
      if (isPrimary && !this.byHip.has(star.hip!)) this.byHip.set(star.hip!, idx);
    }
    this.reindex();
    this.mergeJsdc([...backbone.jsdc, ...extraJsdc]);
    this.mergeJsdc(primaryRows, true);
  }

  /**
   * Attach JSDC rows to their stars (HD, HIP, else ≤ 5″), adding stars the backbone lacks. Rows of
   * the primary list (`isPrimaryList`) mark the star as primary; their diameter is used only when
   * the star has no JSDC row.
   */
  mergeJsdc(rows: JsdcRow[], isPrimaryList = false): { matched: number; added: number } {
    let matched = 0;
    let added = 0;
    for (const row of rows) {
      let idx = row.hd !== null ? this.byHd.get(row.hd) : undefined;
      if (idx === undefined && row.hip !== null) idx = this.byHip.get(row.hip);
      if (idx === undefined) idx = this.nearest(row.raDeg, row.decDeg, SAME_STAR_ARCSEC) ?? undefined;
      if (idx !== undefined) {
        const star = this.stars[idx];
        if (isPrimaryList) {
          star.primary = row;
          if (!star.jsdc || star.jsdc.source === row.source) star.jsdc = row;
        } else {
          star.jsdc = row;
        }
        this.diameters[idx] = undefined;
        matched++;
        continue;
      }
      const star: CalStar = {
        key: `JSDC ${row.name}`, name: row.hd !== null ? '' : row.name, hip: row.hip, comp: '', hd: row.hd, hr: null,
        raDeg: row.raDeg, decDeg: row.decDeg, pmRaMasYr: null, pmDecMasYr: null, plxMas: null, vmag: row.vmag, eVmag: null, bv: null,
        jmag: row.jmag, eJmag: null, hmag: row.hmag, eHmag: null, kmag: row.kmag, eKmag: null,
        spType: row.spType, spTypeHip: '', spTypeBsc: '', otype: '', gcvsType: '', wdsSepArcsec: row.wdsSepArcsec,
        bscMultiple: '', bscSb: '', bscSepArcsec: null, bscDmag: null, vsiniKms: null, jsdc: row, primary: isPrimaryList ? row : null, jmdc: [],
      };
      const i = this.stars.push(star) - 1;
      if (row.hd !== null) this.byHd.set(row.hd, i);
      this.addToIndex(i);
      this.nameIndex = null;
      added++;
    }
    return { matched, added };
  }

  private reindex(): void {
    const n = this.stars.length;
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    this.z = new Float64Array(n);
    this.bands = Array.from({ length: Math.ceil(180 / BAND_DEG) }, () => []);
    for (let i = 0; i < n; i++) this.addToIndex(i);
  }

  private addToIndex(i: number): void {
    if (i >= this.x.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(Math.max(i + 1, Math.ceil(a.length * 1.5)));
        b.set(a);
        return b;
      };
      this.x = grow(this.x);
      this.y = grow(this.y);
      this.z = grow(this.z);
    }
    const s = this.stars[i];
    const ra = s.raDeg * DEG;
    const dec = s.decDeg * DEG;
    this.x[i] = Math.cos(dec) * Math.cos(ra);
    this.y[i] = Math.cos(dec) * Math.sin(ra);
    this.z[i] = Math.sin(dec);
    this.bands[bandOf(s.decDeg)].push(i);
  }

  /** Indices of the stars within `radiusDeg` of a position. */
  within(raDeg: number, decDeg: number, radiusDeg: number): number[] {
    const ra = raDeg * DEG;
    const dec = decDeg * DEG;
    const tx = Math.cos(dec) * Math.cos(ra);
    const ty = Math.cos(dec) * Math.sin(ra);
    const tz = Math.sin(dec);
    const minCos = Math.cos(radiusDeg * DEG);
    const out: number[] = [];
    const lo = bandOf(Math.max(-90, decDeg - radiusDeg));
    const hi = bandOf(Math.min(90, decDeg + radiusDeg));
    for (let b = lo; b <= hi; b++) {
      for (const i of this.bands[b]) {
        if (this.x[i] * tx + this.y[i] * ty + this.z[i] * tz >= minCos) out.push(i);
      }
    }
    return out;
  }

  /** Indices of the stars with Dec strictly between `loDeg` and `hiDeg` (NSS's Dec strips). */
  inDecBand(loDeg: number, hiDeg: number): number[] {
    const out: number[] = [];
    for (let b = bandOf(Math.max(-90, loDeg)); b <= bandOf(Math.min(90, hiDeg)); b++) {
      for (const i of this.bands[b]) {
        const d = this.stars[i].decDeg;
        if (d > loDeg && d < hiDeg) out.push(i);
      }
    }
    return out;
  }

  /** Index of the nearest star within `maxArcsec`, or null. */
  nearest(raDeg: number, decDeg: number, maxArcsec: number): number | null {
    let best: number | null = null;
    let bestDot = Math.cos((maxArcsec / 3600) * DEG);
    const ra = raDeg * DEG;
    const dec = decDeg * DEG;
    const tx = Math.cos(dec) * Math.cos(ra);
    const ty = Math.cos(dec) * Math.sin(ra);
    const tz = Math.sin(dec);
    const lo = bandOf(Math.max(-90, decDeg - maxArcsec / 3600));
    const hi = bandOf(Math.min(90, decDeg + maxArcsec / 3600));
    for (let b = lo; b <= hi; b++) {
      for (const i of this.bands[b]) {
        const d = this.x[i] * tx + this.y[i] * ty + this.z[i] * tz;
        if (d >= bestDot) {
          bestDot = d;
          best = i;
        }
      }
    }
    return best;
  }

  /** Star index by HD or HIP number. */
  indexOfHd(hd: number): number | undefined {
    return this.byHd.get(hd);
  }
  indexOfHip(hip: number): number | undefined {
    return this.byHip.get(hip);
  }

  private readonly parsedTypes = new Map<string, SpectralType>();

  /** Parse a spectral-type string, cached: catalogues repeat the same few thousand strings. */
  parseType(text: string): SpectralType {
    let sp = this.parsedTypes.get(text);
    if (!sp) {
      sp = parseSpectralType(text);
      this.parsedTypes.set(text, sp);
    }
    return sp;
  }

  /** Parsed spectral type of star i (cached). */
  spectralType(i: number): SpectralType {
    return this.parseType(this.stars[i].spType);
  }

  /** Best diameter of star i (cached); null when no relation applies (`assessment(i)` says why). */
  diameter(i: number): StarDiameter | null {
    return this.assessment(i).diameter;
  }

  /** Diameter of star i with the refused relations and dropped magnitudes (cached). */
  assessment(i: number): DiameterAssessment {
    const hit = this.diameters[i];
    if (hit !== undefined) return hit;
    let a: DiameterAssessment;
    try {
      a = assessDiameter(this.stars[i], this.spectralType(i));
    } catch (e) {
      // Data the engine cannot use give no diameter; vetting shows the reason.
      a = { diameter: null, refused: [(e as Error).message], rejected: [] };
    }
    this.diameters[i] = a;
    return a;
  }

  private nameIndex: Map<string, number> | null = null;
  private keyIndex: Map<string, number> | null = null;

  /** Index of the star with a catalogue key ("HIP 1234", "JSDC HD 9943"), or undefined. */
  indexOfKey(key: string): number | undefined {
    if (!this.keyIndex || this.keyIndex.size !== this.stars.length) this.keyIndex = new Map(this.stars.map((s, i) => [s.key, i]));
    return this.keyIndex.get(key);
  }

  /** Canonical names star i answers to: HD, HIP (with component), HR, SIMBAD main id, Bayer, Flamsteed, GCVS. */
  namesOf(i: number): string[] {
    const s = this.stars[i];
    const out: string[] = [];
    if (s.hd !== null) out.push(`hd ${s.hd}`);
    if (s.hip !== null) out.push(`hip ${s.hip}${s.comp ? ` ${s.comp.toLowerCase()}` : ''}`);
    if (s.hr !== null) out.push(`hr ${s.hr}`);
    if (s.name) out.push(canonicalStarName(s.name));
    if (s.bscName) out.push(...bscDesignations(s.bscName));
    if (s.gcvsName) out.push(canonicalStarName(s.gcvsName));
    if (s.jsdc?.name) out.push(canonicalStarName(s.jsdc.name));
    return out;
  }

  /**
   * The star a name designates (HD/HIP/HR numbers, SIMBAD main ids, Bayer and Flamsteed designations,
   * GCVS names; "HIP 43137 B" for a component), or null. For HD, HIP and HR the primary component wins.
   */
  resolveName(name: string): number | null {
    const key = canonicalStarName(name);
    if (!key) return null;
    if (!this.nameIndex) {
      const index = new Map<string, number>();
      for (let i = 0; i < this.stars.length; i++) {
        const primary = this.stars[i].comp === '' || this.stars[i].comp === 'A';
        for (const k of this.namesOf(i)) {
          // Components share HD and HR: the primary keeps the bare number.
          if (!index.has(k) || (primary && /^(hd|hr) /.test(k))) index.set(k, i);
        }
        // A bare HIP number names the primary component, or the first one when there is no A.
        const hip = this.stars[i].hip;
        if (hip !== null && (primary || !index.has(`hip ${hip}`))) index.set(`hip ${hip}`, i);
      }
      this.nameIndex = index;
    }
    return this.nameIndex.get(key) ?? null;
  }

  /** Display name of star i. */
  nameOf(i: number): string {
    return displayName(this.stars[i]);
  }
}

function bandOf(decDeg: number): number {
  return Math.min(Math.floor((decDeg + 90) / BAND_DEG), Math.ceil(180 / BAND_DEG) - 1);
}
