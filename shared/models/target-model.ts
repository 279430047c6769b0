/**
 * Which model the app uses for a survey target: the model edited here (or received from ASPRO2),
 * else SPICA-DB's `model` column, else a uniform disk of the star's diameter from the calibrator
 * engine (`starDiameter`: the target's JSDC LDD when SPICA-DB gives one, else the JSDC engine on
 * its V J H K photometry and spectral type), converted to a UD at the wavelength of interest —
 * marked as a fallback so nobody mistakes it for a measured model.
 */
import { starDiameter, udAt } from '../calibrators/star-diameter';
import type { CalStar } from '../calibrators/star';
import { uniformDisk, type ObjectModel } from './definitions';
import { parseModelText } from './text';
import { ModelError } from './validate';

/** Where a target's model comes from. */
export type ModelSource = 'local' | 'spicadb' | 'fallback-ldd' | 'fallback-predicted' | 'none';

/** The fields of a target the resolution reads. */
export interface TargetModelInputs {
  name: string;
  raDeg: number;
  decDeg: number;
  /** `targets.model_json`: the local model (SPICA-DB JSON form), or null. */
  localModel: string | null;
  /** SPICA-DB's `model` column as imported (in `extra_json`), or null. */
  spicadbModel: string | null;
  lddMas: number | null;
  lddErrMas: number | null;
  spType: string | null;
  vmag: number | null;
  jmag: number | null;
  hmag: number | null;
  kmag: number | null;
}

/** A target's model and how it was chosen. */
export interface ResolvedModel {
  model: ObjectModel | null;
  source: ModelSource;
  /** One line for the UI: where the model comes from, or why there is none. */
  note: string;
  /** Problems met on the way (an unusable SPICA-DB model…), for the UI to show. */
  warnings: string[];
}

function asCalStar(t: TargetModelInputs): CalStar {
  const jsdc =
    t.lddMas !== null && t.lddMas > 0
      ? {
          name: t.name, hd: null, hip: null, raDeg: t.raDeg, decDeg: t.decDeg, spType: t.spType ?? '',
          vmag: t.vmag, rmag: null, jmag: t.jmag, hmag: t.hmag, kmag: t.kmag,
          // starDiameter takes a JSDC row only with an error; SPICA-DB sometimes has none.
          lddMas: t.lddMas, eLddMas: t.lddErrMas ?? 0.1 * t.lddMas,
          uddRMas: null, uddIMas: null, uddHMas: null, uddKMas: null, lddChi2: null, calFlag: null,
          irFlag: null, ruwe: null, ipdFracMultiPeak: null, vbroadKms: null, pmaBinary: null, pmaSnrMax: null,
          objTypes: '', multFlag: '', varFlags: '', sb9: '', wdsSepArcsec: null, source: 'SPICA-DB',
        }
      : null;
  return {
    key: t.name, name: t.name, hip: null, comp: '', hd: null, hr: null, raDeg: t.raDeg, decDeg: t.decDeg,
    pmRaMasYr: null, pmDecMasYr: null, plxMas: null, vmag: t.vmag, eVmag: null, bv: null,
    jmag: t.jmag, eJmag: null, hmag: t.hmag, eHmag: null, kmag: t.kmag, eKmag: null,
    spType: t.spType ?? '', spTypeHip: '', spTypeBsc: '', otype: '', gcvsType: '',
    wdsSepArcsec: null, bscMultiple: '', bscSb: '', bscSepArcsec: null, bscDmag: null, vsiniKms: null,
    jsdc, primary: null, jmdc: [],
  };
}

/**
 * The uniform-disk diameter (mas) the calibrator engine predicts for a target at `lambdaUm`,
 * with its origin, or null when it has neither a LDD nor usable photometry.
 */
export function fallbackUdMas(t: TargetModelInputs, lambdaUm: number): { udMas: number; source: 'fallback-ldd' | 'fallback-predicted'; how: string } | null {
  const d = starDiameter(asCalStar(t));
  if (!d || !(d.lddMas > 0)) return null;
  const udMas = udAt(d, lambdaUm);
  return { udMas, source: d.tier === 'A' ? 'fallback-ldd' : 'fallback-predicted', how: `${d.source}, LDD ${d.lddMas.toFixed(3)} mas` };
}

/** Resolve the model of a target for predictions at `lambdaUm` (the UD fallback depends on λ). */
export function resolveTargetModel(t: TargetModelInputs, lambdaUm: number): ResolvedModel {
  const warnings: string[] = [];
  if (t.localModel) {
    try {
      return { model: parseModelText(t.localModel), source: 'local', note: 'model edited in SPICA Companion (local, not in SPICA-DB)', warnings };
    } catch (e) {
      warnings.push(`local model unusable: ${(e as Error).message}`);
    }
  }
  if (t.spicadbModel && t.spicadbModel.trim() !== '' && t.spicadbModel.trim() !== 'None') {
    try {
      return { model: parseModelText(t.spicadbModel), source: 'spicadb', note: 'SPICA-DB model', warnings };
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      warnings.push(`SPICA-DB model unusable: ${e.message}`);
    }
  }
  const ud = fallbackUdMas(t, lambdaUm);
  if (ud) {
    return {
      model: uniformDisk(ud.udMas),
      source: ud.source,
      note: `no model: uniform disk of the predicted diameter, UD ${ud.udMas.toFixed(3)} mas at ${lambdaUm.toFixed(3)} µm (${ud.how})`,
      warnings,
    };
  }
  return { model: null, source: 'none', note: 'no model, no LDD and no usable photometry: nothing to predict', warnings };
}
