/**
 * Hard vetoes and soft warnings of a catalogue star that do not depend on the target (note §6.3,
 * §6.4): BadCal, Be/emission/shell (all sources combined), multiplicity, variability, diameter
 * quality; and warnings (fast rotation, peculiar, bright/M giants, photometry, tier C, IR flag).
 * Every flag names the catalogue its value came from.
 */
import type { BadCalEntry, CalibratorCatalogue } from './catalogue';
import { SAME_STAR_ARCSEC } from './catalogue';
import type { CalibratorPolicy } from './policy';
import { separationDeg } from './sky';
import type { CalStar } from './star';
import type { CalibratorFlag } from './types';

/** SIMBAD object types of emission-line stars (Herbig Ae/Be stars are under Ae*). */
const EMISSION_OTYPES = new Set(['Be*', 'Ae*', 'Em*', 'Pe*', 'Be?', 'Ae?', 'Em?']);
/** GCVS types of Be / γ Cas / λ Eri stars. */
const EMISSION_GCVS = new Set(['BE', 'GCAS', 'LERI']);
/** SIMBAD object types of binaries. */
const BINARY_OTYPES = new Set(['SB*', 'EB*', 'El*', 'RS*', 'Al*', 'bL*', 'WU*', 'SB?', 'EB?', 'XB*', 'LXB', 'HXB', 'CV*', 'Sy*', 'No*']);
/** SIMBAD object types of variables: the JMMC CalFlag-bit-2 list plus generic and eruptive variables. */
const VARIABLE_OTYPES = new Set([
  'C*', 'S*', 'Pu*', 'RR*', 'Ce*', 'dS*', 'RV*', 'WV*', 'bC*', 'cC*', 'gD*', 'SX*', 'Mi*', 'Al*',
  'V*', 'LP*', 'LP?', 'a2*', 'Ro*', 'BY*', 'Er*', 'Ir*', 'Or*', 'RI*', 'WR*', 'Y*O', 'TT*', 'V*?', 'Pu?', 'Ce?', 'RR?', 'Mi?', 'bC?', 'gD?', 'dS?',
]);
/** GCVS types of eclipsing or ellipsoidal binaries. */
const ECLIPSING_GCVS = /^(E|EA|EB|EW|ELL|EP|AR|BY|RS|R)\b/;
/** GCVS types that mean "constant" or "not a variable". */
const CONSTANT_GCVS = new Set(['CST', 'CST:', '*', '']);

/**
 * Bad-calibrator lists indexed for lookups by HD, HIP and position. An entry with a name only
 * (an imported list without positions) is resolved to its catalogue star by name when a
 * catalogue is given.
 */
export class BadCalIndex {
  private readonly byHd = new Map<number, BadCalEntry>();
  private readonly byHip = new Map<number, BadCalEntry>();
  private readonly byKey = new Map<string, BadCalEntry>();
  private readonly positional: BadCalEntry[] = [];

  constructor(entries: BadCalEntry[], catalogue?: CalibratorCatalogue) {
    for (const e of entries) {
      if (e.hd !== null) this.byHd.set(e.hd, e);
      if (e.hip !== null) this.byHip.set(e.hip, e);
      if (e.raDeg !== null && e.decDeg !== null) this.positional.push(e);
      if (catalogue && e.hd === null && e.hip === null && (e.raDeg === null || e.decDeg === null)) {
        const i = catalogue.resolveName(e.name);
        if (i !== null) this.byKey.set(catalogue.stars[i].key, e);
      }
    }
  }

  get size(): number {
    return this.positional.length + this.byHd.size + this.byHip.size + this.byKey.size;
  }

  /** The entry matching a star by HD, HIP or position ≤ 5″, or null. */
  match(star: Pick<CalStar, 'hd' | 'hip' | 'raDeg' | 'decDeg' | 'key'>): BadCalEntry | null {
    if (this.byKey.has(star.key)) return this.byKey.get(star.key)!;
    if (star.hd !== null && this.byHd.has(star.hd)) return this.byHd.get(star.hd)!;
    if (star.hip !== null && this.byHip.has(star.hip)) return this.byHip.get(star.hip)!;
    for (const e of this.positional) {
      if (Math.abs(e.decDeg! - star.decDeg) > 0.01) continue;
      if (separationDeg(e.raDeg!, e.decDeg!, star.raDeg, star.decDeg) * 3600 <= SAME_STAR_ARCSEC) return e;
    }
    return null;
  }
}

/** Target-independent flags of catalogue star `i`, vetoes first in rule order. */
export function staticFlags(cat: CalibratorCatalogue, i: number, policy: CalibratorPolicy, badcal: BadCalIndex): CalibratorFlag[] {
  const s = cat.stars[i];
  const flags: CalibratorFlag[] = [];
  const veto = (code: CalibratorFlag['code'], label: string, reason: string, source: string) => flags.push({ code, severity: 'veto', label, reason, source });
  const warn = (code: CalibratorFlag['code'], label: string, reason: string, source: string) => flags.push({ code, severity: 'warn', label, reason, source });
  const simbadSource = s.otype ? 'SIMBAD SpType' : 'Hipparcos SpType';

  const bad = badcal.match(s);
  if (bad) veto('badcal', 'BadCal', `listed as a bad calibrator${bad.night ? ` (night ${bad.night})` : ''}: ${bad.reason || 'no reason given'}`, bad.source === 'local' ? 'local BadCal' : `BadCal (${bad.source})`);

  // Emission: any one source is enough, because catalogues disagree (η Tau is "B7III" in
  // Hipparcos and SIMBAD's SpType but "B7IIIe" in BSC5 and Be* in SIMBAD's OTYPE).
  const spTypes: Array<[string, string]> = [[s.spType, simbadSource], [s.spTypeHip, 'Hipparcos SpType'], [s.spTypeBsc, 'BSC5 SpType']];
  if (s.jsdc?.spType) spTypes.push([s.jsdc.spType, `JSDC SpType (${s.jsdc.source})`]);
  for (const [t, src] of spTypes) {
    if (t && cat.parseType(t).hasEmission) {
      veto('emission', 'Be/em', `emission-line or shell spectral type "${t}": a disc biases V² and the diameter in SPICA's band (Hα)`, src);
      break;
    }
  }
  if (EMISSION_OTYPES.has(s.otype)) veto('emission', s.otype, `SIMBAD object type ${s.otype} (emission-line star)`, 'SIMBAD OTYPE');
  const gcvsParts = s.gcvsType.split(/[+|/]/).map((p) => p.replace(/:$/, ''));
  const gcvsEm = gcvsParts.find((p) => EMISSION_GCVS.has(p));
  if (gcvsEm) veto('emission', `Var: ${s.gcvsType}`, `GCVS type ${s.gcvsType} (Be / γ Cas variable)`, 'GCVS');
  if (s.jsdc?.objTypes) {
    const em = s.jsdc.objTypes.split(',').find((o) => EMISSION_OTYPES.has(o));
    if (em) veto('emission', em, `object types of ${s.jsdc.source} include ${em}`, s.jsdc.source);
  }

  // Multiplicity.
  if (/^SB/.test(s.bscSb)) veto('multiple', s.bscSb, `spectroscopic binary (BSC5 n_RadVel = ${s.bscSb})`, 'BSC5');
  if (BINARY_OTYPES.has(s.otype)) veto('multiple', s.otype, `SIMBAD object type ${s.otype} (binary)`, 'SIMBAD OTYPE');
  const seps: Array<[number, number | null, string]> = [];
  if (s.wdsSepArcsec !== null) seps.push([s.wdsSepArcsec, s.bscSepArcsec !== null && Math.abs(s.bscSepArcsec - s.wdsSepArcsec) < 0.5 ? s.bscDmag : null, 'WDS']);
  if (s.bscSepArcsec !== null) seps.push([s.bscSepArcsec, s.bscDmag, 'BSC5 Sep/Dmag']);
  let sepVetoed = false;
  for (const [sep, dmag, src] of seps) {
    if (sepVetoed) break;
    const chip = `${src === 'WDS' ? 'WDS' : 'BSC'} ${sep.toFixed(1)}″`;
    if (sep < policy.wdsVetoArcsec) {
      veto('multiple', chip, `companion at ${sep}″ < ${policy.wdsVetoArcsec}″`, src);
      sepVetoed = true;
    } else if (sep < policy.wdsContamArcsec && dmag !== null && dmag < policy.wdsContamDmag) {
      veto('multiple', chip, `companion at ${sep}″ with Δm ${dmag} < ${policy.wdsContamDmag} contaminates the fibre / tip-tilt field`, src);
      sepVetoed = true;
    } else if (sep < policy.wdsContamArcsec && dmag === null) {
      warn('multiple', chip, `companion at ${sep}″, Δm unknown: check the fibre field`, src);
      sepVetoed = true;
    }
  }
  if (s.comp) {
    const primary = s.comp === 'A';
    const already = flags.some((f) => f.code === 'multiple' && f.severity === 'veto');
    const reason = primary
      ? `Hipparcos resolves this star into components (this is ${s.comp}) and no separation is known here: a companion may be in the fibre / tip-tilt field`
      : `component ${s.comp} of a multiple system resolved by Hipparcos${s.wdsSepArcsec !== null ? ` (WDS separation ${s.wdsSepArcsec}″)` : ', separation unknown here'}: its catalogue photometry is blended with the primary's`;
    if (!already && (!primary || s.wdsSepArcsec === null)) veto('multiple', `comp. ${s.comp}`, reason, 'Hipparcos (component letter)');
  }
  if (s.otype === '**' && seps.length === 0) warn('multiple', '**', 'SIMBAD object type ** (double star) without a known separation', 'SIMBAD OTYPE');
  const bscMult = s.bscMultiple.match(/[ADS]/)?.[0];
  if (bscMult) {
    const what = { A: 'astrometric binary', D: 'duplicity found by occultation', S: 'duplicity found by speckle' }[bscMult as 'A' | 'D' | 'S'];
    veto('multiple', `BSC ${bscMult}`, `${what} (BSC5 multiple code ${s.bscMultiple})`, 'BSC5');
  }
  if (cat.spectralType(i).isComposite) veto('multiple', 'comp.', `composite spectral type "${s.spType}"`, simbadSource);
  if (gcvsParts.some((p) => ECLIPSING_GCVS.test(p))) veto('multiple', `Var: ${s.gcvsType}`, `GCVS type ${s.gcvsType} (eclipsing or ellipsoidal binary)`, 'GCVS');
  const j = s.jsdc;
  if (j) {
    if (j.calFlag !== null && (j.calFlag & 2) !== 0) veto('multiple', 'CalFlag 2', 'JSDC CalFlag bit 1: WDS double with separation < 1″', j.source);
    if (j.pmaBinary) veto('multiple', 'PMa bin', 'Kervella et al. proper-motion-anomaly binarity flag set', j.source);
    if (j.pmaSnrMax !== null && j.pmaSnrMax > policy.maxPmaSnr) veto('multiple', `PMa S/N ${j.pmaSnrMax.toFixed(1)}`, `proper-motion anomaly S/N ${j.pmaSnrMax} > ${policy.maxPmaSnr}`, j.source);
    if (j.ruwe !== null && j.ruwe > policy.maxRuwe) veto('multiple', `RUWE ${j.ruwe.toFixed(1)}`, `Gaia DR3 RUWE ${j.ruwe} > ${policy.maxRuwe}`, j.source);
    if (j.ipdFracMultiPeak !== null && j.ipdFracMultiPeak > policy.maxIpdFracMultiPeak) veto('multiple', `IPDfmp ${j.ipdFracMultiPeak}`, `Gaia DR3 ipd_frac_multi_peak ${j.ipdFracMultiPeak} > ${policy.maxIpdFracMultiPeak}`, j.source);
    const mult = j.multFlag.split(',').filter((m) => m && m !== 'BADCAL');
    if (mult.length) veto('multiple', `Mult ${mult.join('')}`, `SearchCal MultFlag ${mult.join(',')}`, j.source);
    if (j.multFlag.includes('BADCAL') && !bad) veto('badcal', 'BadCal', 'marked BADCAL by SearchCal', j.source);
    if (j.sb9) veto('multiple', 'SB9', `in the SB9 catalogue (${j.sb9})`, j.source);
  }

  // Variability.
  const gcvsVar = gcvsParts.filter((p) => !CONSTANT_GCVS.has(p));
  if (gcvsVar.length && !gcvsEm) veto('variable', `Var: ${s.gcvsType}`, `GCVS variability type ${s.gcvsType}`, 'GCVS');
  if (VARIABLE_OTYPES.has(s.otype)) veto('variable', s.otype, `SIMBAD object type ${s.otype} (variable)`, 'SIMBAD OTYPE');
  if (j) {
    if (j.calFlag !== null && (j.calFlag & 4) !== 0) veto('variable', 'CalFlag 4', 'JSDC CalFlag bit 2: variable or binary object type', j.source);
    const [v1, v2, v3] = j.varFlags.split('|');
    if (v1 || v2 || (v3 && v3 !== 'C')) veto('variable', 'VarFlag', `SearchCal VarFlag1/2/3 = ${v1 || '-'}/${v2 || '-'}/${v3 || '-'}`, j.source);
  }

  // Diameter quality.
  const sp = cat.spectralType(i);
  const assessment = cat.assessment(i);
  const d = assessment.diameter;
  for (const r of assessment.rejected) {
    warn('photometry', `${r.band === 'B' ? 'B−V' : r.band} dropped`, r.reason, 'colour check vs spectral type');
  }
  for (const text of s.photRejected ?? []) {
    warn('photometry', `${text.split(' ')[0]} dropped`, text, 'backbone build colour check');
  }
  if (!d) {
    let why = assessment.refused.length ? assessment.refused.join('; ') : 'neither V with B−V, nor V J H K, nor a measurement';
    if (s.photRejected?.length) why += ` (the backbone build dropped ${s.photRejected.map((x) => x.split(':')[0]).join(', ')}: colours impossible for "${s.spType}")`;
    veto('diameter', 'no θ', `no diameter: ${why}`, 'catalogue');
  } else {
    const rel = d.eLddMas / d.lddMas;
    const predicted = d.tier === 'B' || d.tier === 'C';
    if (d.chi2 !== null && d.chi2 > policy.maxDiamChi2) veto('diameter', `χ² ${d.chi2.toFixed(1)}`, `diameter χ² ${d.chi2.toFixed(2)} > ${policy.maxDiamChi2}: colours disagree with the spectral type`, d.source);
    if (j?.calFlag !== null && j?.calFlag !== undefined && (j.calFlag & 1) !== 0 && d.tier === 'A') veto('diameter', 'CalFlag 1', 'JSDC CalFlag bit 0: LDDCHI > 5', j.source);
    if (rel > policy.maxDiamRelErr) veto('diameter', `σθ ${(rel * 100).toFixed(0)}%`, `diameter error ${(rel * 100).toFixed(1)} % > ${(policy.maxDiamRelErr * 100).toFixed(0)} %`, d.source);
    if (predicted && d.scannedTypes !== null) {
      veto('diameter', 'SpT?', `spectral type "${sp.raw || 'none'}" is uncertain: the diameter comes from a scan over the types its colours allow (${d.scannedTypes}), not from a known type`, simbadSource);
    } else if (predicted && sp.isRange) {
      veto('diameter', 'SpT range', `spectral type "${sp.raw}" is a range: the JSDC relation is ambiguous`, simbadSource);
    } else if (predicted && sp.raw && sp.code === null) {
      veto('diameter', 'SpT', `spectral type "${sp.raw}" is outside the JSDC domain (B0.5–M8)`, simbadSource);
    } else if (predicted && sp.indexRange !== null && sp.indexRange[0] !== sp.indexRange[1]) {
      veto('diameter', 'SpT?', `spectral type "${sp.raw}" has no sub-type`, simbadSource);
    }
    if (d.tier === 'B' && sp.index !== null && sp.indexRange !== null && sp.indexRange[0] === sp.indexRange[1] && (sp.index < 42 || sp.index > 272)) veto('diameter', 'SpT', `spectral type "${sp.raw}" (index ${sp.index}) is outside the JSDC domain 42–272`, simbadSource);
    for (const note of d.notes) {
      if (note.includes(' dropped: ')) continue;
      warn(d.tier === 'C' || /photometr|J\/H\/K/.test(note) ? 'photometry' : 'diameter', 'note', note, d.source);
    }
    if (d.tier === 'C') warn('tier', 'tier C', `diameter from V and B−V only (±${(rel * 100).toFixed(0)} %)`, d.source);
  }
  if (sp.lumClass !== null && sp.lumClass <= 1) veto('diameter', 'I', `supergiant "${sp.raw}": extended atmosphere, unreliable diameter`, simbadSource);

  // Soft warnings.
  if (s.vsiniKms !== null && s.vsiniKms > policy.fastRotatorKms) warn('rotation', `vsini ${s.vsiniKms}`, `v sin i ${s.vsiniKms} km/s > ${policy.fastRotatorKms}: oblate, gravity-darkened`, 'BSC5');
  if (j?.vbroadKms !== null && j?.vbroadKms !== undefined && j.vbroadKms > policy.fastRotatorKms) warn('rotation', `vbroad ${j.vbroadKms.toFixed(0)}`, `Gaia vbroad ${j.vbroadKms} km/s > ${policy.fastRotatorKms}`, j.source);
  if (sp.isPeculiar) warn('peculiar', 'pec', `chemically peculiar spectral type "${sp.raw}"`, simbadSource);
  if (sp.lumClass === 2) warn('giant', 'II', `bright giant "${sp.raw}"`, simbadSource);
  if (sp.code === 'M' && sp.lumClass !== null && sp.lumClass <= 3) warn('giant', 'M giant', 'M giant: molecular bands in R, irregular variability', simbadSource);
  if (j?.irFlag) warn('infrared', `IRflag ${j.irFlag}`, `MDFC IRflag ${j.irFlag}: mid-IR excess or extension`, j.source);
  for (const m of s.jmdc) {
    if (/binar|companion|double|multiple|triple|resolved/i.test(m.notes)) {
      warn('measured', 'JMDC note', `JMDC note: ${m.notes} (${m.bibcode})`, 'JMDC');
      break;
    }
  }
  const spHip = s.spTypeHip ? cat.parseType(s.spTypeHip) : null;
  if (spHip && spHip.code && sp.code && spHip.code !== sp.code) warn('diameter', 'SpT?', `spectral types disagree: "${s.spType}" vs Hipparcos "${s.spTypeHip}"`, 'SIMBAD / Hipparcos');
  return flags;
}
