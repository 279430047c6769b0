/**
 * One star of the calibrator catalogue: the backbone's columns for it, plus any imported JSDC
 * row and JMDC measurements. Each value keeps its source so vetoes can say where they came from.
 */
import type { JmdcRow, JsdcRow } from './backbone-types';

/** A catalogue star. */
export interface CalStar {
  key: string;
  name: string;
  hip: number | null;
  comp: string;
  hd: number | null;
  hr: number | null;
  raDeg: number;
  decDeg: number;
  pmRaMasYr: number | null;
  pmDecMasYr: number | null;
  /** Parallax (mas), used to bound the reddening in the colour check. */
  plxMas: number | null;
  vmag: number | null;
  eVmag: number | null;
  bv: number | null;
  jmag: number | null;
  eJmag: number | null;
  hmag: number | null;
  eHmag: number | null;
  kmag: number | null;
  eKmag: number | null;
  spType: string;
  spTypeHip: string;
  spTypeBsc: string;
  otype: string;
  gcvsType: string;
  wdsSepArcsec: number | null;
  bscMultiple: string;
  bscSb: string;
  bscSepArcsec: number | null;
  bscDmag: number | null;
  vsiniKms: number | null;
  /** BSC5 Bayer/Flamsteed cell and GCVS name (for name look-ups), '' when none. */
  bscName?: string;
  gcvsName?: string;
  /** Magnitudes the backbone build dropped after its colour check, with why ("K 12.36: …"). */
  photRejected?: string[];
  /** Imported or bundled JSDC row (tier A), newest import last. */
  jsdc: JsdcRow | null;
  /** Row of the SPICA primary-calibrator list, when the star is on it (NSS's `spica_calprim`). */
  primary: JsdcRow | null;
  jmdc: JmdcRow[];
}

/** Display name: common name, else HD, else HIP, else the key. */
export function displayName(s: Pick<CalStar, 'name' | 'hd' | 'hip' | 'comp' | 'key'>): string {
  if (s.name) return s.name;
  if (s.hd !== null) return `HD ${s.hd}${s.comp && s.comp !== 'A' ? s.comp : ''}`;
  if (s.hip !== null) return `HIP ${s.hip}${s.comp}`;
  return s.key;
}
