/**
 * The JMMC BadCal list as its cone search exports it (CSV: id, ra, dec, ra_sexa, dec_sexa, name;
 * or the same columns as a VOTable) → bad-calibrator entries. HD/HIP numbers are read from the name.
 */
import Papa from 'papaparse';
import type { BadCalEntry } from '../catalogue';
import { cellNumber, hdFromName, parseSexagesimal } from './jsdc-row';
import { columnIndex, parseVoTable } from './votable-table';

/** Parsed list and the rows that could not be used, with why. */
export interface BadCalParse {
  entries: BadCalEntry[];
  skipped: Array<{ row: number; name: string; reason: string }>;
}

/** Parse a BadCal export (CSV or VOTable, detected from the text). */
export function parseBadCalList(text: string, source: string): BadCalParse {
  let fields: string[];
  let rows: string[][];
  if (/^\s*<\?xml|<VOTABLE/i.test(text)) {
    const t = parseVoTable(text, source);
    fields = t.fields;
    rows = t.rows;
  } else {
    const parsed = Papa.parse<string[]>(text.replace(/^#.*$/gm, '').trim(), { skipEmptyLines: true });
    if (parsed.data.length === 0) throw new Error(`${source}: empty BadCal file`);
    fields = parsed.data[0].map((f) => f.trim());
    rows = parsed.data.slice(1);
  }
  const table = { fields, units: [], params: {}, rows, description: '' };
  const iName = columnIndex(table, 'name', 'Name', 'star', 'main_id');
  const iRa = columnIndex(table, 'ra', 'RAJ2000', 'ra_deg');
  const iDec = columnIndex(table, 'dec', 'DEJ2000', 'dec_deg');
  const iRaS = columnIndex(table, 'ra_sexa');
  const iDecS = columnIndex(table, 'dec_sexa');
  if (iName < 0 && iRa < 0 && iRaS < 0) throw new Error(`${source}: no "name" or "ra"/"dec" column; expected the BadCal export columns id, ra, dec, ra_sexa, dec_sexa, name`);
  const entries: BadCalEntry[] = [];
  const skipped: BadCalParse['skipped'] = [];
  rows.forEach((r, k) => {
    const name = iName >= 0 ? (r[iName] ?? '').trim() : '';
    let raDeg = iRa >= 0 ? cellNumber(r[iRa]) : null;
    let decDeg = iDec >= 0 ? cellNumber(r[iDec]) : null;
    try {
      // A cell holding only spaces is blank too: parseSexagesimal says so, naming row and column.
      if (raDeg === null && iRaS >= 0 && r[iRaS] !== undefined && r[iRaS] !== '') raDeg = parseSexagesimal(r[iRaS], true, `${source} row ${k + 1} column ra_sexa`);
      if (decDeg === null && iDecS >= 0 && r[iDecS] !== undefined && r[iDecS] !== '') decDeg = parseSexagesimal(r[iDecS], false, `${source} row ${k + 1} column dec_sexa`);
      if (raDeg !== null && decDeg === null) throw new Error(`${source} row ${k + 1} column ${iDecS >= 0 ? 'dec_sexa' : 'dec'}: blank cell, but ra is given`);
      if (decDeg !== null && raDeg === null) throw new Error(`${source} row ${k + 1} column ${iRaS >= 0 ? 'ra_sexa' : 'ra'}: blank cell, but dec is given`);
    } catch (e) {
      skipped.push({ row: k + 1, name, reason: (e as Error).message });
      return;
    }
    const hip = /^\s*HIP\s*(\d+)/i.exec(name);
    const hd = hdFromName(name);
    if ((raDeg === null || decDeg === null) && hd === null && !hip) {
      skipped.push({ row: k + 1, name, reason: 'neither a position nor an HD/HIP name' });
      return;
    }
    if (raDeg !== null && (raDeg < 0 || raDeg >= 360)) {
      skipped.push({ row: k + 1, name, reason: `ra ${raDeg} outside [0, 360)` });
      return;
    }
    entries.push({ name: name || `${raDeg},${decDeg}`, hd, hip: hip ? Number(hip[1]) : null, raDeg, decDeg, reason: 'JMMC BadCal list', night: null, source: 'jmmc' });
  });
  return { entries, skipped };
}
