/**
 * The key that groups versions of one data product: a regenerated L2 of the same target, night
 * and instrument mode, from the same pipeline step (file-name stem), is a new version of the same
 * product, not a new product. Content (the hash of the data HDUs) identifies each version.
 */

/** `HD 12345`, `hd12345`, `HD_12345` → `hd12345`. */
function squash(text: string): string {
  return text.toLowerCase().replace(/[\s_]+/g, '');
}

/**
 * The file-name stem: extension and a trailing version tag (`_v2`, `-v03`, `.v1`, `_2`) dropped,
 * lower case. `SPICA_zetOph_2023-05-19_MR_v2.fits` → `spica_zetoph_2023-05-19_mr`.
 */
export function fileStem(fileName: string): string {
  return fileName
    .replace(/\.(fits|oifits|fit)(\.gz)?$/i, '')
    // A date's day (`…_2024-03-11`) is not a version tag.
    .replace(/(?<!\d{4}-\d{2})[._-](v\d+|\d{1,2})$/i, '')
    .toLowerCase();
}

/** What the key is made of. */
export interface ProductKeyInputs {
  /** The file's science target (first OI_TARGET that is not a calibrator). */
  target: string | null;
  /** Night folder (`YYYY-MM-DD`), else the date of DATE-OBS. */
  night: string | null;
  dateObs: string | null;
  /** INSNAMEs of the file (its instrument modes). */
  insnames: string[];
  fileName: string;
}

/** `target|night|mode|stem`, e.g. `zetoph|2023-05-19|spica_mr|aspro2_zet_oph_chara_spica`. */
export function productKey(p: ProductKeyInputs): string {
  const night = p.night ?? (p.dateObs ? p.dateObs.slice(0, 10) : '');
  const mode = [...new Set(p.insnames.map(squash).filter(Boolean))].sort().join('+');
  return [squash(p.target ?? ''), night, mode, fileStem(p.fileName)].join('|');
}
