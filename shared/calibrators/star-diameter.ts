/**
 * A star's best angular diameter and its tier (note §6.2): M measured (JMDC) when it beats the
 * prediction and has no binarity note, A imported JSDC, B the JSDC engine on V J H K and the
 * spectral type, C a V/(B−V) surface-brightness fit. θ_UD at any SPICA wavelength follows from θ_LD.
 */
import type { JmdcRow } from './backbone-types';
import { nearestByBv } from './colours';
import { estimateJsdcDiameter, searchCalPhotometry } from './jsdc-diameter';
import { jmmcTables } from './jmmc-tables';
import { ldCoefficientAt, ldToUdRatio, linearLdCoefficient, teffLoggFromSpectralType } from './ld-to-ud';
import { inJsdcDomain, parseSpectralType, type SpectralType } from './spectral-type';
import type { CalStar } from './star';
import type { DiameterTier } from './types';

/** The diameter the engine uses for a star. */
export interface StarDiameter {
  tier: DiameterTier;
  lddMas: number;
  eLddMas: number;
  /** Reduced χ² of a JSDC mean (tiers A/B), else null. */
  chi2: number | null;
  source: string;
  teff: number;
  logg: number;
  /** Remarks that become soft warnings (e.g. assumed luminosity class, missing IR errors). */
  notes: string[];
}

/** Error assumed for J/H/K magnitudes published without one (saturated 2MASS of bright stars). */
export const MISSING_IR_ERROR_MAG = 0.3;

/** Tier-C relations fitted on JMDC × BSC5 (note §4): log θ_LD + 0.2 V = poly(B−V), with rms. */
const TIER_C = {
  dwarf: { coeffs: [0.511, 0.8355, -0.2324], relErr: 0.065, bv: [-0.2, 1.0] },
  giantBlue: { coeffs: [0.5952, 0.5511], relErr: 0.054, bv: [0.3, 1.0] },
  giantRed: { coeffs: [1.4631, -1.0062, 0.684], relErr: 0.105, bv: [0.8, 1.7] },
} as const;

/** Best diameter of a star, or null when it has neither photometry nor a measurement. */
export function starDiameter(star: CalStar, sp: SpectralType = parseSpectralType(star.spType)): StarDiameter | null {
  const notes: string[] = [];
  const tl = teffLoggFromSpectralType(sp) ?? teffLoggFromBv(star.bv);
  if (!teffLoggFromSpectralType(sp)) notes.push('Teff from B−V (no usable spectral type) for limb darkening');
  const predicted = predictedDiameter(star, sp, tl, notes);
  const measured = bestMeasurement(star.jmdc);
  if (measured && measured.eLdMas !== null && measured.ldMas !== null) {
    const relM = measured.eLdMas / measured.ldMas;
    if (!predicted || relM < predicted.eLddMas / predicted.lddMas) {
      return {
        tier: 'M', lddMas: measured.ldMas, eLddMas: measured.eLdMas, chi2: null,
        source: `JMDC ${measured.band} ${measured.bibcode}`.trim(), teff: tl.teff, logg: tl.logg, notes,
      };
    }
  }
  return predicted;
}

function teffLoggFromBv(bv: number | null): { teff: number; logg: number } {
  const row = nearestByBv(bv ?? 0.6);
  const sp = parseSpectralType(`${row.code}${row.quantity}V`);
  return teffLoggFromSpectralType(sp) ?? { teff: 5800, logg: 4.4 };
}

function predictedDiameter(star: CalStar, sp: SpectralType, tl: { teff: number; logg: number }, notes: string[]): StarDiameter | null {
  const a = star.jsdc;
  if (a && a.eLddMas !== null) {
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
      return { tier: 'A', lddMas: ldd, eLddMas: a.eLddMas, chi2: a.lddChi2, source: `JSDC ${how} (${a.source})`, teff: tl.teff, logg: tl.logg, notes };
    }
  }
  const irCount = [star.jmag, star.hmag, star.kmag].filter((m) => m !== null).length;
  if (star.vmag !== null && irCount > 0 && inJsdcDomain(sp, jmmcTables.domain) && !sp.isRange && sp.subType !== null) {
    const hasIrErr = [star.eJmag, star.eHmag, star.eKmag].some((e) => e !== null);
    if (!hasIrErr) notes.push(`J/H/K published without errors: ${MISSING_IR_ERROR_MAG} mag assumed`);
    const phot = searchCalPhotometry({
      V: star.vmag, eV: star.eVmag,
      J: star.jmag, eJ: hasIrErr ? star.eJmag : MISSING_IR_ERROR_MAG,
      H: star.hmag, eH: hasIrErr ? star.eHmag : MISSING_IR_ERROR_MAG,
      K: star.kmag, eK: hasIrErr ? star.eKmag : MISSING_IR_ERROR_MAG,
    });
    const d = estimateJsdcDiameter(sp.index!, phot);
    const colours = d.estimates.map((e) => `V−${e.colour[1]}`).join(',');
    return { tier: 'B', lddMas: d.lddMas, eLddMas: d.eLddMas, chi2: d.chi2, source: `JSDC engine ${colours} (SIMBAD photometry, ${sp.raw})`, teff: tl.teff, logg: tl.logg, notes };
  }
  if (star.vmag !== null && star.bv !== null) {
    const bv = star.bv;
    let rel: { coeffs: readonly number[]; relErr: number; bv: readonly number[] };
    let label: string;
    const isGiant = sp.lumClass !== null ? sp.lumClass <= 3 : bv >= 0.8;
    if (sp.lumClass === null) notes.push(`luminosity class unknown: ${isGiant ? 'giant' : 'dwarf'} relation assumed from B−V`);
    if (!isGiant) {
      rel = TIER_C.dwarf;
      label = 'IV–V';
    } else if (bv < 0.9) {
      rel = TIER_C.giantBlue;
      label = 'III blue';
    } else {
      rel = TIER_C.giantRed;
      label = 'III red';
    }
    let poly = 0;
    rel.coeffs.forEach((c, i) => (poly += c * bv ** i));
    let relErr = rel.relErr;
    if (bv < rel.bv[0] || bv > rel.bv[1]) {
      relErr *= 1.5;
      notes.push(`B−V ${bv.toFixed(2)} outside the ${label} fit range ${rel.bv[0]}…${rel.bv[1]}`);
    }
    const ldd = 10 ** (poly - 0.2 * star.vmag);
    return { tier: 'C', lddMas: ldd, eLddMas: ldd * relErr, chi2: null, source: `V, B−V relation (${label}, JMDC fit)`, teff: tl.teff, logg: tl.logg, notes };
  }
  return null;
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
