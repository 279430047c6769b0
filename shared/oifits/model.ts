/**
 * The OIFITS v1/v2 data model as the reader builds it: every OI table of a file in file order,
 * cross-references kept as values (INSNAME, ARRNAME, CORRNAME, TARGET_ID, STA_INDEX) and resolved
 * by lookup helpers, never by row position.
 */
import type { BinTable } from './bintable';
import type { FitsFile } from './fits-file';
import type { FitsHeader } from './fits-header';

/** Names of the OIFITS tables (v1 and v2). */
export const OI_TABLE_NAMES = [
  'OI_TARGET',
  'OI_ARRAY',
  'OI_WAVELENGTH',
  'OI_VIS',
  'OI_VIS2',
  'OI_T3',
  'OI_FLUX',
  'OI_CORR',
  'OI_INSPOL',
] as const;

/** One of OI_TABLE_NAMES. */
export type OiTableName = (typeof OI_TABLE_NAMES)[number];

/** Whether an EXTNAME is an OIFITS table name. */
export function isOiTableName(name: string): name is OiTableName {
  return (OI_TABLE_NAMES as readonly string[]).includes(name);
}

/** Data tables: those with per-wavelength data and a FLAG column. */
export type OiDataTableName = 'OI_VIS' | 'OI_VIS2' | 'OI_T3' | 'OI_FLUX';

/** Fields every OI table has. */
export interface OiTableBase {
  extname: OiTableName;
  /** Index of the HDU in the file (0 = primary). */
  hduIndex: number;
  /** OI_REVN keyword, or undefined when missing. */
  revision: number | undefined;
  rows: number;
  header: FitsHeader;
  table: BinTable;
}

/** One OI_TARGET row. */
export interface OiTargetEntry {
  id: number;
  name: string;
  raDeg: number;
  decDeg: number;
  /** `SCI` / `CAL` (v2 CATEGORY column), when present. */
  category: string | undefined;
}

/** OI_TARGET. */
export interface OiTargetTable extends OiTableBase {
  extname: 'OI_TARGET';
  targets: OiTargetEntry[];
}

/** One OI_ARRAY station. */
export interface OiStation {
  index: number;
  telName: string;
  staName: string;
  diameterM: number;
}

/** OI_ARRAY. */
export interface OiArrayTable extends OiTableBase {
  extname: 'OI_ARRAY';
  arrname: string;
  stations: OiStation[];
}

/** OI_WAVELENGTH. */
export interface OiWavelengthTable extends OiTableBase {
  extname: 'OI_WAVELENGTH';
  insname: string;
  effWaveM: Float64Array;
  effBandM: Float64Array;
}

/** OI_VIS, OI_VIS2, OI_T3, OI_FLUX: per-row, per-wavelength data with FLAG. */
export interface OiDataTable extends OiTableBase {
  extname: OiDataTableName;
  insname: string;
  arrname: string | undefined;
  corrname: string | undefined;
  dateObs: string | undefined;
  /** Vector length of the data columns (the FLAG repeat count). */
  nwave: number;
  targetId: Int32Array;
  mjd: Float64Array;
  /** FLAG, row-major `rows × nwave`: 1 = flagged (T). Undefined cells count as not flagged. */
  flag: Uint8Array;
  /** STA_INDEX, row-major `rows × staPerRow` (2 for VIS/VIS2, 3 for T3, 1 for FLUX; 0 when absent). */
  staIndex: Int32Array;
  staPerRow: number;
}

/** OI_CORR. */
export interface OiCorrTable extends OiTableBase {
  extname: 'OI_CORR';
  corrname: string;
  ndata: number | undefined;
}

/** OI_INSPOL. */
export interface OiInspolTable extends OiTableBase {
  extname: 'OI_INSPOL';
  arrname: string | undefined;
  insnames: string[];
}

/** Any OI table. */
export type OiTable = OiTargetTable | OiArrayTable | OiWavelengthTable | OiDataTable | OiCorrTable | OiInspolTable;

/** A whole OIFITS file. */
export interface OiFitsFile {
  fits: FitsFile;
  /** 2 when CONTENT='OIFITS2' or any table has OI_REVN=2 (the real files disagree; see docs). */
  version: 1 | 2;
  /** CONTENT keyword of the primary header, if any. */
  content: string | undefined;
  /** OI tables in file order. */
  tables: OiTable[];
  /** HDUs after the primary that are not OI tables (index and EXTNAME). */
  otherHdus: { hduIndex: number; extname: string; xtension: string }[];
}

/** Type guard for data tables. */
export function isDataTable(t: OiTable): t is OiDataTable {
  return t.extname === 'OI_VIS' || t.extname === 'OI_VIS2' || t.extname === 'OI_T3' || t.extname === 'OI_FLUX';
}
