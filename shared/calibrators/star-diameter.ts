/**
 * A star's best angular diameter and its tier (note §6.2): M measured (JMDC) when it beats the
 * prediction and has no binarity note, A imported JSDC, B the JSDC engine on V J H K and the
 * spectral type, C a V/(B−V) surface-brightness fit. θ_UD at any SPICA wavelength follows from θ_LD.
 *
 * Every relation is used only inside its validity domain; when none applies the star gets no
 * diameter and the reasons say why. Before any relation, the colours are checked against the
 * spectral type (`colour-check.ts`) and a magnitude that cannot be this star's is dropped. An
 * uncertain spectral type (a range, a bare class, or no O–M class at all) is handled as SearchCal
 * does: the JSDC mean is scanned over the compatible types (`scanJsdcDiameter`).
 */
import type { JmdcRow } from './backbone-types';
import { checkColours, type RejectedMagnitude } from './colour-check';
import { nearestByBv } from './colours';
import { estimateJsdcDiameter, scanJsdcDiameter, searchCalPhotometry, type JsdcPhotometry } from './jsdc-diameter';
import { jmmcTables } from './jmmc-tables';
import { ldCoefficientAt, ldToUdRatio, linearLdCoefficient, teffLoggFromSpectralType } from './ld-to-ud';
import { parseSpectralType, spectralTypeOfIndex, type SpectralType } from './spectral-type';
import type { CalStar } from './star';
import type { DiameterTier } from './types';

/** The diameter the engine uses for a star. */
export interface StarDiameter {
  tier: DiameterTier;
  lddMas: number;
  /** σ(θ_LD) (mas): for tier B it includes SearchCal's 2 % bias term, as JSDC's e_LDD does. */
  eLddMas: number;
  /** Reduced χ² of a JSDC mean (tiers A/B; SearchCal's definition), else null. */
  chi2: number | null;
  source: string;
  teff: number;
  logg: number;
  /** Remarks that become soft warnings (e.g. assumed luminosity class, missing IR errors). */
  notes: string[];
  /** When the type was scanned: the JMMC index range compatible with the colours, e.g. "K0–M0". */
  scannedTypes: string | null;
}

/** A diameter (or none) with the reasons behind it. */
export interface DiameterAssessment {
  diameter: StarDiameter | null;
  /** Why a relation was not used (every relation when `diameter` is null). */
  refused: string[];
  /** Magnitudes the colour check dropped, with the reason. */
  rejected: RejectedMagnitude[];
}

/** Error assumed for J/H/K magnitudes published without one (saturated 2MASS of bright stars). */
export const MISSING_IR_ERROR_MAG = 0.3;

/** Tier-C relations fitted on JMDC × BSC5 (note §4): log θ_LD + 0.2 V = poly(B−V), with rms and the fitted B−V range. */
export const TIER_C = {
  dwarf: { label: 'IV–V', coeffs: [0.511, 0.8355, -0.2324], relErr: 0.065, bv: [-0.2, 1.0] },
  giantBlue: { label: 'III blue', coeffs: [0.5952, 0.5511], relErr: 0.054, bv: [0.3, 1.0] },
  giantRed: { label: 'III red', coeffs: [1.4631, -1.0062, 0.684], relErr: 0.105, bv: [0.8, 1.7] },
} as const;

/** GCVS types whose V and J/H/K, taken at different epochs, do not describe one state of the star. */
const LARGE_AMPLITUDE_GCVS = new Set(['M', 'RCB', 'SRA', 'RV', 'RVA', 'RVB']);

/** Best diameter of a star, or null when no relation applies (see `assessDiameter` for why). */
export function starDiameter(star: CalStar, sp: SpectralType = parseSpectralType(star.spType)): StarDiameter | null {
  return assessDiameter(star, sp).diameter;
}

/** Best diameter of a star with the reasons behind it. */
export function assessDiameter(star: CalStar, sp: SpectralType = parseSpectralType(star.spType)): DiameterAssessment {
  const refused: string[] = [];
  const rejected = checkColours(sp, {
    V: star.vmag, eV: star.eVmag, bv: star.bv, J: star.jmag, eJ: star.eJmag, H: star.hmag, eH: star.eHmag, K: star.kmag, eK: star.eKmag, plxMas: star.plxMas,
  });
  const predicted = predictedDiameter(star, sp, rejected, refused);
  const measured = bestMeasurement(star.jmdc);
  if (measured && measured.eLdMas !== null && measured.ldMas !== null) {
    const relM = measured.eLdMas / measured.ldMas;
    if (!predicted || relM < predicted.eLddMas / predicted.lddMas) {
      const tl = teffLoggFromSpectralType(sp) ?? teffLoggFromBv(star.bv);
      return {
        diameter: {
          tier: 'M', lddMas: measured.ldMas, eLddMas: measured.eLdMas, chi2: null,
          source: `JMDC ${measured.band} ${measured.bibcode}`.trim(), teff: tl.teff, logg: tl.logg, notes: [], scannedTypes: null,
        },
        refused,
        rejected,
      };
    }
  }
  return { diameter: predicted, refused, rejected };
}

function teffLoggFromBv(bv: number | null): { teff: number; logg: number } {
  const row = nearestByBv(bv ?? 0.6);
  const sp = parseSpectralType(`${row.code}${row.quantity}V`);
  return teffLoggFromSpectralType(sp) ?? { teff: 5800, logg: 4.4 };
}

function predictedDiameter(star: CalStar, sp: SpectralType, rejected: RejectedMagnitude[], refused: string[]): StarDiameter | null {
  const notes: string[] = [];
  const a = star.jsdc;
  const exactTl = teffLoggFromSpectralType(sp);
  if (a && a.eLddMas !== null) {
    const tl = exactTl ?? teffLoggFromBv(star.bv);
    let ldd = a.lddMas;
    let how = 'LDD';
    if (ldd === null && a.uddRMas !== null) {
      ldd = a.uddRMas * ldToUdRatio(linearLdCoefficient(tl.teff, tl.logg, 'R'));
      how = 'UDDR→LD';
    } else if (ldd === null && a.uddKMas !== null) {
      ldd = a.uddKMas * ldToUdRatio(linearLdCoefficient(tl.teff, tl.logg, 'K'));
      how = 'UDDK→LD';
    } else if (ldd === null && a.uddHMas !== null) {
      ldd = a.uddHMas * ldToUdRatio(linearLdCoefficient(tl.teff, tl.logg, 'H'));
      how = 'UDDH→LD';
    }
    if (ldd !== null && ldd > 0) {
      if (!exactTl) notes.push('Teff from B−V (no usable spectral type) for limb darkening');
      return { tier: 'A', lddMas: ldd, eLddMas: a.eLddMas, chi2: a.lddChi2, source: `JSDC ${how} (${a.source})`, teff: tl.teff, logg: tl.logg, notes, scannedTypes: null };
    }
  }
  const dropped = new Set(rejected.map((r) => r.band));
  for (const r of rejected) notes.push(`${r.band === 'B' ? 'B−V' : r.band} dropped: ${r.reason}`);
  const gcvsParts = (star.gcvsType ?? '').split(/[+|/]/).map((p) => p.replace(/:$/, ''));
  const largeAmplitude = gcvsParts.find((p) => LARGE_AMPLITUDE_GCVS.has(p));
  if (largeAmplitude && star.vmag !== null) {
    const vk = star.kmag !== null ? `, V−K ${(star.vmag - star.kmag).toFixed(2)} here` : '';
    refused.push(`large-amplitude variable (GCVS ${star.gcvsType}): its V, B−V and J/H/K come from different epochs${vk}, so no colour relation describes the star`);
    return null;
  }
  const presentIr = (['J', 'H', 'K'] as const).filter((b) => ({ J: star.jmag, H: star.hmag, K: star.kmag })[b] !== null);
  if (presentIr.length >= 2 && presentIr.every((b) => dropped.has(b))) {
    // Every near-IR colour disagrees: the spectral type or the V magnitude is wrong, not one
    // magnitude, so no relation (V/(B−V) included) can be trusted.
    refused.push(`${presentIr.map((b) => `V−${b}`).join(', ')} all disagree with the spectral type "${sp.raw}": the type or the V magnitude is wrong, so no colour relation is used`);
    return null;
  }
  const mag = (band: 'J' | 'H' | 'K', m: number | null) => (dropped.has(band) ? null : m);
  const J = mag('J', star.jmag);
  const H = mag('H', star.hmag);
  const K = mag('K', star.kmag);
  const irCount = [J, H, K].filter((m) => m !== null).length;
  const [lo, hi] = jmmcTables.domain;
  if (star.vmag === null) {
    refused.push('no V magnitude');
    return null;
  }
  if (irCount > 0) {
    const hasIrErr = [star.eJmag, star.eHmag, star.eKmag].some((e) => e !== null);
    const scanFaint = sp.indexRange === null;
    const phot: JsdcPhotometry = searchCalPhotometry({
      V: star.vmag, eV: star.eVmag,
      J, eJ: hasIrErr ? star.eJmag : MISSING_IR_ERROR_MAG,
      H, eH: hasIrErr ? star.eHmag : MISSING_IR_ERROR_MAG,
      K, eK: hasIrErr ? star.eKmag : MISSING_IR_ERROR_MAG,
    }, scanFaint);
    const colours = (['J', 'H', 'K'] as const).filter((b) => phot[b] !== null).map((b) => `V−${b}`).join(',');
    const irNote = hasIrErr ? [] : [`J/H/K published without errors: ${MISSING_IR_ERROR_MAG} mag assumed`];
    const exact = sp.indexRange !== null && sp.indexRange[0] === sp.indexRange[1];
    if (exact && sp.index! >= lo && sp.index! <= hi) {
      const d = estimateJsdcDiameter(sp.index!, phot);
      const tl = exactTl ?? teffLoggFromBv(star.bv);
      return {
        tier: 'B', lddMas: d.lddMas, eLddMas: d.eLddMas, chi2: d.chi2, source: `JSDC engine ${colours} (${sp.raw}; σ with the 2 % bias term)`,
        teff: tl.teff, logg: tl.logg, notes: [...notes, ...irNote], scannedTypes: null,
      };
    }
    if (exact) {
      refused.push(`spectral type "${sp.raw}" (JMMC index ${sp.index}) is outside the JSDC polynomials' domain ${lo}–${hi} (B0.5–M8)`);
    } else {
      const range: [number, number] = sp.indexRange ?? [lo, hi];
      const what = sp.indexRange === null
        ? `spectral type "${sp.raw || 'none'}" has no O–M class: every JSDC type B0.5–M8 scanned (SearchCal's faint method)`
        : `spectral type "${sp.raw}" is uncertain: types ${typeName(range[0])}–${typeName(range[1])} scanned`;
      try {
        const s = scanJsdcDiameter(range, phot);
        const mid = Math.round((s.compatibleRange[0] + s.compatibleRange[1]) / 2);
        const spMid = spectralTypeOfIndex(mid, sp.lumClass);
        const tl = teffLoggFromSpectralType(spMid) ?? teffLoggFromBv(star.bv);
        const compatible = `${typeName(s.compatibleRange[0])}–${typeName(s.compatibleRange[1])}`;
        const scanNotes = [`${what}; colours compatible with ${compatible} (χ² ≤ ${s.chi2.toFixed(2)})`];
        if (s.isOpenEnded) scanNotes.push(`the compatible types reach the end of the scanned range (${typeName(s.scannedRange[0])}–${typeName(s.scannedRange[1])}): the colours do not bound the type`);
        return {
          tier: 'B', lddMas: s.lddMas, eLddMas: s.eLddMas, chi2: s.chi2,
          source: `JSDC engine ${colours}, spectral type scanned ${compatible} (SearchCal method; σ with the 2 % bias term)`,
          teff: tl.teff, logg: tl.logg, notes: [...notes, ...irNote, ...scanNotes], scannedTypes: compatible,
        };
      } catch (e) {
        refused.push(`${what}, but ${(e as Error).message}`);
      }
    }
  } else if (star.jmag !== null || star.hmag !== null || star.kmag !== null) {
    refused.push('every J/H/K magnitude failed the colour check');
  }
  return tierC(star, sp, dropped.has('B'), notes, refused);
}

/** The V/(B−V) relations, inside their fitted B−V range only. */
function tierC(star: CalStar, sp: SpectralType, bvDropped: boolean, notes: string[], refused: string[]): StarDiameter | null {
  if (star.vmag === null || star.bv === null) {
    refused.push('no B−V for the V/(B−V) relation');
    return null;
  }
  if (bvDropped) {
    refused.push('B−V failed the colour check, so the V/(B−V) relation cannot be used');
    return null;
  }
  if (sp.raw && sp.code === null) {
    refused.push(`spectral type "${sp.raw}" is not a normal O–M star: the V/(B−V) relations were fitted on B–M stars`);
    return null;
  }
  if (sp.lumClass !== null && sp.lumClass <= 1) {
    refused.push(`supergiant "${sp.raw}": no V/(B−V) relation was fitted on supergiants`);
    return null;
  }
  const bv = star.bv;
  const isGiant = sp.lumClass !== null ? sp.lumClass <= 3 : bv >= 0.8;
  if (sp.lumClass === null) notes.push(`luminosity class unknown: ${isGiant ? 'giant' : 'dwarf'} relation assumed from B−V`);
  const rel = !isGiant ? TIER_C.dwarf : bv < 0.9 ? TIER_C.giantBlue : TIER_C.giantRed;
  if (bv < rel.bv[0] || bv > rel.bv[1]) {
    refused.push(`B−V ${bv.toFixed(2)} is outside the ${rel.label} V/(B−V) relation's fitted range ${rel.bv[0]}…${rel.bv[1]}`);
    return null;
  }
  let poly = 0;
  rel.coeffs.forEach((c, i) => (poly += c * bv ** i));
  const ldd = 10 ** (poly - 0.2 * star.vmag);
  const tl = teffLoggFromSpectralType(sp) ?? teffLoggFromBv(bv);
  if (!teffLoggFromSpectralType(sp)) notes.push('Teff from B−V (no usable spectral type) for limb darkening');
  return { tier: 'C', lddMas: ldd, eLddMas: ldd * rel.relErr, chi2: null, source: `V, B−V relation (${rel.label}, JMDC fit)`, teff: tl.teff, logg: tl.logg, notes, scannedTypes: null };
}

/** "K0", "M4.5", "B6" for a JMMC spectral index. */
export function typeName(index: number): string {
  const sp = spectralTypeOfIndex(index, null);
  return `${sp.code}${Number(sp.subType!.toFixed(2))}`;
}

function bestMeasurement(rows: JmdcRow[]): JmdcRow | null {
  let best: JmdcRow | null = null;
  for (const r of rows) {
    if (r.ldMas === null || r.eLdMas === null || r.ldMas <= 0) continue;
    if (/binar|companion|double|multiple|triple/i.test(r.notes)) continue;
    if (!best || r.eLdMas / r.ldMas < best.eLdMas! / best.ldMas!) best = r;
  }
  return best;
}

/** θ_UD (mas) at a wavelength for a diameter: θ_LD over the limb-darkening ratio at that λ. */
export function udAt(d: StarDiameter, lambdaUm: number): number {
  return d.lddMas / ldToUdRatio(ldCoefficientAt(d.teff, d.logg, lambdaUm));
}
