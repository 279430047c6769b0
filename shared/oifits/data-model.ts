/** Types of the OIFITS data model table generated from OITools' rules (`data-model.generated.ts`). */

/** A keyword of an OI table or of the primary header (`MAIN_HEADER`). */
export interface KeywordSpec {
  name: string;
  /** FITS type letter: A (string), I/J (integer), E/D (real), L (logical). */
  type: string;
  optional: boolean;
  /** Accepted values, when the standard restricts them. */
  values?: (string | number)[];
}

/** A column of an OI table. */
export interface ColumnSpec {
  name: string;
  /** TFORM type letter: A, I, J, E, D, L, C. */
  type: string;
  optional: boolean;
  /** Vector length: a number, `NWAVE` (per wavelength) or `NWAVE2` (NWAVE × NWAVE). */
  repeat: number | 'NWAVE' | 'NWAVE2';
  /** Expected unit, when fixed by the standard. */
  unit?: string;
  values?: (string | number)[];
}

/** One table of the model. */
export interface TableSpec {
  keywords: KeywordSpec[];
  columns: ColumnSpec[];
}

/** The model per version ('1', '2'): table name → spec. */
export type OiDataModel = Record<'1' | '2', Record<string, TableSpec>>;
