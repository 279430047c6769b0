/**
 * Shapes of the bundled calibrator backbone (`resources/calibrators/backbone.json.gz`) and of the
 * catalogue rows the importers produce. Column-oriented so the file stays small and loads fast;
 * `null` marks a missing value.
 */

/** One JSDC-style row: an imported JSDC/SearchCal/CATCH record (tier A diameter source). */
export interface JsdcRow {
  /** Identifier as given by the source (e.g. "HD 9943", "* g Per"). */
  name: string;
  /** HD number when the name or a column gives one. */
  hd: number | null;
  hip: number | null;
  raDeg: number;
  decDeg: number;
  spType: string;
  vmag: number | null;
  rmag: number | null;
  jmag: number | null;
  hmag: number | null;
  kmag: number | null;
  /** Limb-darkened diameter and its error (mas); JSDC's e_LDD is also the error of every UDD. */
  lddMas: number | null;
  eLddMas: number | null;
  /** Uniform-disc diameters per band as published (mas). */
  uddRMas: number | null;
  uddIMas: number | null;
  uddHMas: number | null;
  uddKMas: number | null;
  /** Reduced χ² of the mean diameter (LDDCHI / diam_chi2). */
  lddChi2: number | null;
  /** JSDC CalFlag bit field (bit 0 χ²>5, bit 1 WDS < 1″, bit 2 variable/binary OTYPE). */
  calFlag: number | null;
  /** MDFC IRflag (mid-IR excess/extension). */
  irFlag: number | null;
  /** Gaia DR3 RUWE, ipd_frac_multi_peak and vbroad (km/s). */
  ruwe: number | null;
  ipdFracMultiPeak: number | null;
  vbroadKms: number | null;
  /** Kervella PMa binarity flags (any set) and the largest PMa S/N. */
  pmaBinary: boolean | null;
  pmaSnrMax: number | null;
  /** SIMBAD object types (comma list) when the source carries them (SearchCal ObjTypes). */
  objTypes: string;
  /** SearchCal multiplicity/variability flags, WDS separations (″) and BADCAL marks. */
  multFlag: string;
  varFlags: string;
  sb9: string;
  wdsSepArcsec: number | null;
  /** Where the row came from: file name or catalogue id. */
  source: string;
}

/** One measured diameter from JMDC. */
export interface JmdcRow {
  hd: number;
  ldMas: number | null;
  udMas: number | null;
  eLdMas: number | null;
  band: string;
  notes: string;
  bibcode: string;
}

/** Description of one input of the bundled backbone. */
export interface BackboneSource {
  id: string;
  file: string;
  sha256: string;
  what: string;
  licence: string;
}

/** Column arrays of the backbone, all of length `count`. */
export interface BackboneColumns {
  hip: number[];
  comp: string[];
  hd: (number | null)[];
  hr: (number | null)[];
  name: string[];
  raDeg: (number | null)[];
  decDeg: (number | null)[];
  pmRaMasYr: (number | null)[];
  pmDecMasYr: (number | null)[];
  plxMas: (number | null)[];
  vmag: (number | null)[];
  eVmag: (number | null)[];
  bv: (number | null)[];
  bmag: (number | null)[];
  eBmag: (number | null)[];
  jmag: (number | null)[];
  eJmag: (number | null)[];
  hmag: (number | null)[];
  eHmag: (number | null)[];
  kmag: (number | null)[];
  eKmag: (number | null)[];
  /** Best spectral type (SIMBAD for BSC stars, else Hipparcos via Stellarium). */
  spType: string[];
  /** Hipparcos spectral type when it differs from `spType`, else ''. */
  spTypeHip: string[];
  /** BSC5 spectral type ('' when not a BSC star). */
  spTypeBsc: string[];
  /** SIMBAD main object type (BSC stars only). */
  otype: string[];
  /** GCVS variability type (e.g. BE, GCAS, EA, DSCTC). */
  gcvsType: string[];
  /** Smallest WDS separation for the HIP star (″). */
  wdsSepArcsec: (number | null)[];
  /** BSC5 multiplicity code (A W D I R S) and n_RadVel (SB, SB1, SB2, V, V?, ...). */
  bscMultiple: string[];
  bscSb: string[];
  bscSepArcsec: (number | null)[];
  bscDmag: (number | null)[];
  vsiniKms: (number | null)[];
  /** BSC5 Bayer/Flamsteed designation cell as printed ("21Alp And", "17    Lib"), '' when none. */
  bscName: string[];
  /** GCVS variable-star name ("R Tri", "V526 Cas"), '' when none. */
  gcvsName: string[];
  /**
   * Magnitudes the build's colour check moved out of `jmag`/`hmag`/`kmag` (or B−V) because they
   * cannot belong to a star of this spectral type: "K 12.36: reason", '|'-separated; '' when none.
   */
  photRejected: string[];
}

/** The whole bundled file. */
export interface BackboneFile {
  format: 'spica-calibrator-backbone';
  version: 1;
  /** Build date, `YYYY-MM-DD`. */
  builtAt: string;
  sources: BackboneSource[];
  count: number;
  columns: BackboneColumns;
  jmdc: JmdcRow[];
  jsdc: JsdcRow[];
}

