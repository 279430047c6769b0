/**
 * JSDC and SearchCal VOTables → `JsdcRow`s. Accepts SearchCal GETCAL output (`.scvot`: LDD,
 * e_LDD, UD_R, diam_chi2, CalFlag, ObjTypes, MultFlag, VarFlag*, SBC9, sep1/sep2, BADCAL) and
 * VizieR II/346 exports (Name, RAJ2000, LDD, e_LDD, UDDR, UDDI, LDDCHI, CalFlag).
 */
import type { JsdcRow } from '../backbone-types';
import { cellNumber, emptyJsdcRow, hdFromName, parseSexagesimal } from './jsdc-row';
import { columnIndex, parseVoTable, type VoTable } from './votable-table';

/** Rows of a JSDC/SearchCal VOTable and the table itself (for its params and extra columns). */
export interface JsdcTable {
  rows: JsdcRow[];
  table: VoTable;
}

/** Parse a JSDC or SearchCal VOTable; `source` names the file in errors and in each row. */
export function parseJsdcVoTable(xml: string, source: string): JsdcTable {
  const table = parseVoTable(xml, source);
  const col = (...names: string[]) => columnIndex(table, ...names);
  const iRa = col('RAJ2000', '_RAJ2000', 'RA', 'ra');
  const iDec = col('DEJ2000', '_DEJ2000', 'DEC', 'dec');
  if (iRa < 0 || iDec < 0) throw new Error(`${source}: no RAJ2000/DEJ2000 columns; not a JSDC/SearchCal table`);
  const iLdd = col('LDD', 'Dia0', 'LDD_mas');
  const iUddR = col('UD_R', 'UDDR');
  const iUddK = col('UD_K', 'UDDK');
  if (iLdd < 0 && iUddR < 0 && iUddK < 0) throw new Error(`${source}: no LDD or UDD column; not a JSDC/SearchCal table`);
  const c = {
    hd: col('HD'), hip: col('HIP'), name: col('Name', 'SIMBAD'), sp: col('SpType'),
    V: col('V', 'Vmag'), R: col('R', 'Rmag'), J: col('J', 'Jmag'), H: col('H', 'Hmag'), K: col('K', 'Kmag'),
    eLdd: col('e_LDD', 'e_Dia0'), uddI: col('UD_I', 'UDDI'), uddH: col('UD_H', 'UDDH'), chi2: col('diam_chi2', 'LDDCHI'),
    calFlag: col('CalFlag'), irFlag: col('IRflag'), obj: col('ObjTypes'), mult: col('MultFlag'),
    v1: col('VarFlag1'), v2: col('VarFlag2'), v3: col('VarFlag3'), sb9: col('SBC9'), sep1: col('sep1'), sep2: col('sep2'),
    badcal: col('BADCAL'), simbad: col('SIMBAD'),
  };
  const rows = table.rows.map((r, i) => {
    const where = `${source}, row ${i + 1}`;
    const raDeg = /[\s:]/.test(r[iRa].trim()) ? parseSexagesimal(r[iRa], true, `${where} RAJ2000`) : num(r[iRa], `${where} RA`);
    const decDeg = /[\s:]/.test(r[iDec].trim()) ? parseSexagesimal(r[iDec], false, `${where} DEJ2000`) : num(r[iDec], `${where} DEC`);
    const hd = c.hd >= 0 ? cellNumber(r[c.hd]) : null;
    const label = hd !== null ? `HD ${hd}` : c.name >= 0 && r[c.name] ? r[c.name].trim() : `${source}#${i + 1}`;
    const row = emptyJsdcRow(label, raDeg, decDeg, source);
    row.hd = hd ?? hdFromName(label);
    const get = (k: number) => (k >= 0 ? cellNumber(r[k]) : null);
    const str = (k: number) => (k >= 0 ? r[k].trim() : '');
    row.hip = get(c.hip);
    row.spType = str(c.sp);
    row.vmag = get(c.V);
    row.rmag = get(c.R);
    row.jmag = get(c.J);
    row.hmag = get(c.H);
    row.kmag = get(c.K);
    row.lddMas = get(iLdd);
    row.eLddMas = get(c.eLdd);
    row.uddRMas = get(iUddR);
    row.uddIMas = get(c.uddI);
    row.uddHMas = get(c.uddH);
    row.uddKMas = get(iUddK);
    row.lddChi2 = get(c.chi2);
    row.calFlag = get(c.calFlag);
    row.irFlag = get(c.irFlag);
    row.objTypes = str(c.obj);
    row.multFlag = [str(c.mult), str(c.badcal) ? 'BADCAL' : ''].filter(Boolean).join(',');
    row.varFlags = [str(c.v1), str(c.v2), str(c.v3)].join('|');
    row.sb9 = str(c.sb9);
    const seps = [get(c.sep1), get(c.sep2)].filter((v): v is number => v !== null);
    row.wdsSepArcsec = seps.length ? Math.min(...seps) : null;
    return row;
  });
  return { rows, table };
}

function num(text: string, where: string): number {
  const v = cellNumber(text);
  if (v === null) throw new Error(`${where}: "${text}" is not a number`);
  return v;
}
