/**
 * OIFITS reader: bytes → FITS structure → OI tables. Lenient by design: a missing column or
 * keyword yields an empty value here and a finding in the validator, never an exception. Only a
 * file that is not readable FITS (truncated, corrupt) throws, as a FitsError.
 */
import { BinTable, LOGICAL_TRUE, type ColumnValues } from './bintable';
import { readFitsStructure } from './fits-file';
import type { FitsFile, FitsHdu } from './fits-file';
import {
  isOiTableName,
  type OiArrayTable,
  type OiCorrTable,
  type OiDataTable,
  type OiDataTableName,
  type OiFitsFile,
  type OiInspolTable,
  type OiTable,
  type OiTableBase,
  type OiTargetTable,
  type OiWavelengthTable,
} from './model';

/** Main data column of each data table: decides NWAVE when FLAG is missing. */
export const MAIN_DATA_COLUMN: Record<OiDataTableName, string> = {
  OI_VIS: 'VISAMP',
  OI_VIS2: 'VIS2DATA',
  OI_T3: 'T3PHI',
  OI_FLUX: 'FLUXDATA',
};

/** Stations per row in STA_INDEX of each data table. */
const STATIONS_PER_ROW: Record<OiDataTableName, number> = { OI_VIS: 2, OI_VIS2: 2, OI_T3: 3, OI_FLUX: 1 };

/** Numbers of a column as doubles (ints widened), or undefined when the column is absent or not numeric. */
export function numericColumn(table: BinTable, name: string): Float64Array | undefined {
  if (!table.has(name)) return undefined;
  const c = table.read(name);
  if (c.kind === 'number') return c.values;
  if (c.kind === 'int') return Float64Array.from(c.values);
  return undefined;
}

function intColumn(table: BinTable, name: string, length: number): Int32Array {
  if (!table.has(name)) return new Int32Array(length);
  const c: ColumnValues = table.read(name);
  if (c.kind === 'int') return c.values;
  if (c.kind === 'number') return Int32Array.from(c.values, (v) => Math.round(v));
  return new Int32Array(length);
}

function stringColumn(table: BinTable, name: string, rows: number): string[] {
  if (!table.has(name)) return new Array<string>(rows).fill('');
  const c = table.read(name);
  return c.kind === 'string' ? c.values.map((s) => s.trim()) : new Array<string>(rows).fill('');
}

function keyword(hdu: FitsHdu, key: string): string | undefined {
  const v = hdu.header.get(key);
  if (v === undefined) return undefined;
  return String(v).trim();
}

function buildTable(hdu: FitsHdu, table: BinTable): OiTable {
  const extname = hdu.extname;
  if (!isOiTableName(extname)) throw new Error(`not an OI table: ${extname}`);
  const revn = hdu.header.get('OI_REVN');
  const base: OiTableBase = {
    extname,
    hduIndex: hdu.index,
    revision: typeof revn === 'number' ? revn : undefined,
    rows: table.rows,
    header: hdu.header,
    table,
  };
  const rows = table.rows;
  switch (extname) {
    case 'OI_TARGET': {
      const ids = intColumn(table, 'TARGET_ID', rows);
      const names = stringColumn(table, 'TARGET', rows);
      const ra = numericColumn(table, 'RAEP0') ?? new Float64Array(rows).fill(NaN);
      const dec = numericColumn(table, 'DECEP0') ?? new Float64Array(rows).fill(NaN);
      const category = table.has('CATEGORY') ? stringColumn(table, 'CATEGORY', rows) : undefined;
      const targets = Array.from({ length: rows }, (_, r) => ({
        id: ids[r],
        name: names[r],
        raDeg: ra[r],
        decDeg: dec[r],
        category: category?.[r] || undefined,
      }));
      return { ...base, extname, targets } satisfies OiTargetTable;
    }
    case 'OI_ARRAY': {
      const index = intColumn(table, 'STA_INDEX', rows);
      const tel = stringColumn(table, 'TEL_NAME', rows);
      const sta = stringColumn(table, 'STA_NAME', rows);
      const diameter = numericColumn(table, 'DIAMETER') ?? new Float64Array(rows).fill(NaN);
      const stations = Array.from({ length: rows }, (_, r) => ({
        index: index[r],
        telName: tel[r],
        staName: sta[r],
        diameterM: diameter[r],
      }));
      return { ...base, extname, arrname: keyword(hdu, 'ARRNAME') ?? '', stations } satisfies OiArrayTable;
    }
    case 'OI_WAVELENGTH':
      return {
        ...base,
        extname,
        insname: keyword(hdu, 'INSNAME') ?? '',
        effWaveM: numericColumn(table, 'EFF_WAVE') ?? new Float64Array(rows).fill(NaN),
        effBandM: numericColumn(table, 'EFF_BAND') ?? new Float64Array(rows).fill(NaN),
      } satisfies OiWavelengthTable;
    case 'OI_CORR':
      return { ...base, extname, corrname: keyword(hdu, 'CORRNAME') ?? '', ndata: hdu.header.number('NDATA') } satisfies OiCorrTable;
    case 'OI_INSPOL':
      return {
        ...base,
        extname,
        arrname: keyword(hdu, 'ARRNAME'),
        insnames: [...new Set(stringColumn(table, 'INSNAME', rows))],
      } satisfies OiInspolTable;
    case 'OI_VIS':
    case 'OI_VIS2':
    case 'OI_T3':
    case 'OI_FLUX': {
      const flagInfo = table.column('FLAG');
      const mainInfo = table.column(MAIN_DATA_COLUMN[extname]);
      const nwave = flagInfo?.repeat ?? mainInfo?.repeat ?? 0;
      const flag = new Uint8Array(rows * nwave);
      if (flagInfo && flagInfo.tform.code === 'L') {
        const f = table.read('FLAG');
        if (f.kind === 'logical') for (let i = 0; i < flag.length && i < f.values.length; i++) flag[i] = f.values[i] === LOGICAL_TRUE ? 1 : 0;
      }
      const staPerRow = table.column('STA_INDEX')?.repeat ?? STATIONS_PER_ROW[extname];
      return {
        ...base,
        extname,
        insname: keyword(hdu, 'INSNAME') ?? '',
        arrname: keyword(hdu, 'ARRNAME'),
        corrname: keyword(hdu, 'CORRNAME'),
        dateObs: keyword(hdu, 'DATE-OBS'),
        nwave,
        targetId: intColumn(table, 'TARGET_ID', rows),
        mjd: numericColumn(table, 'MJD') ?? new Float64Array(rows).fill(NaN),
        flag,
        staIndex: intColumn(table, 'STA_INDEX', rows * staPerRow),
        staPerRow,
      } satisfies OiDataTable;
    }
  }
}

/** Read an OIFITS file from its bytes. Throws FitsError when the FITS structure is unreadable. */
export function readOifits(bytes: Uint8Array): OiFitsFile {
  const fits = readFitsStructure(bytes);
  const tables: OiTable[] = [];
  const otherHdus: OiFitsFile['otherHdus'] = [];
  for (const hdu of fits.hdus.slice(1)) {
    if (hdu.xtension === 'BINTABLE' && isOiTableName(hdu.extname)) {
      tables.push(buildTable(hdu, new BinTable(hdu, bytes)));
    } else {
      otherHdus.push({ hduIndex: hdu.index, extname: hdu.extname, xtension: hdu.xtension });
    }
  }
  const content = fits.hdus[0].header.string('CONTENT')?.trim();
  const isV2 = content === 'OIFITS2' || tables.some((t) => t.revision === 2);
  return { fits, version: isV2 ? 2 : 1, content, tables, otherHdus };
}

/**
 * The first OI_TARGET table of a file, decoded alone: what a folder scan needs to link a file to
 * a survey target, without decoding the data tables.
 */
export function readOiTargetTable(fits: FitsFile): OiTargetTable | undefined {
  const hdu = fits.hdus.find((h) => h.xtension === 'BINTABLE' && h.extname === 'OI_TARGET');
  return hdu ? (buildTable(hdu, new BinTable(hdu, fits.bytes)) as OiTargetTable) : undefined;
}

/** The table type of an EXTNAME. */
export type TableOf<N extends OiTable['extname']> = N extends OiDataTableName ? OiDataTable : Extract<OiTable, { extname: N }>;

/** All tables of one kind, in file order. */
export function tablesOf<N extends OiTable['extname']>(file: OiFitsFile, extname: N): TableOf<N>[] {
  return file.tables.filter((t) => t.extname === extname) as TableOf<N>[];
}

/** The OI_WAVELENGTH table with this INSNAME (first match), if any. */
export function wavelengthFor(file: OiFitsFile, insname: string): OiWavelengthTable | undefined {
  return tablesOf(file, 'OI_WAVELENGTH').find((w) => w.insname === insname);
}

/** The OI_ARRAY table with this ARRNAME; with no ARRNAME, the only OI_ARRAY when there is exactly one. */
export function arrayFor(file: OiFitsFile, arrname: string | undefined): OiArrayTable | undefined {
  const arrays = tablesOf(file, 'OI_ARRAY');
  if (arrname === undefined) return arrays.length === 1 ? arrays[0] : undefined;
  return arrays.find((a) => a.arrname === arrname);
}

/** Target name for a TARGET_ID (first OI_TARGET), or undefined. */
export function targetName(file: OiFitsFile, id: number): string | undefined {
  return tablesOf(file, 'OI_TARGET')[0]?.targets.find((t) => t.id === id)?.name;
}

/** Station names by STA_INDEX, built once per OI_ARRAY (first row of an index wins, as `find` did). */
const stationNames = new WeakMap<OiArrayTable, Map<number, string>>();

function namesOf(array: OiArrayTable): Map<number, string> {
  let names = stationNames.get(array);
  if (!names) {
    names = new Map();
    for (const st of array.stations) if (!names.has(st.index)) names.set(st.index, st.staName || st.telName || `#${st.index}`);
    stationNames.set(array, names);
  }
  return names;
}

/** Station label (`S1-E1`, `S1-E1-W2`) for STA_INDEX values; unknown indices show as `#n`. */
export function stationLabel(array: OiArrayTable | undefined, indices: ArrayLike<number>): string {
  // A lookup table rather than a search per index: rows × stations grows quadratically in a
  // hostile file with a huge OI_ARRAY.
  const names = array ? namesOf(array) : undefined;
  const out: string[] = [];
  for (let i = 0; i < indices.length; i++) out.push(names?.get(indices[i]) ?? `#${indices[i]}`);
  return out.join('-');
}
