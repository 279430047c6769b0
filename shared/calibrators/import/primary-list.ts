/**
 * A SPICA primary-calibrator list (CSV with a header) → JSDC-style rows. Columns are matched by
 * name, case-insensitively: name (or star/id), ra/raDeg/RAJ2000 (deg or sexagesimal hours),
 * dec/decDeg/DEJ2000, and optionally hd, hip, sptype, vmag, rmag, ldd/ldd_mas, e_ldd,
 * udd_r/udd (mas), e_udd.
 */
import Papa from 'papaparse';
import type { JsdcRow } from '../backbone-types';
import { cellNumber, emptyJsdcRow, parseSexagesimal } from './jsdc-row';

/** Parsed rows and the rows skipped, with why. */
export interface PrimaryListParse {
  rows: JsdcRow[];
  skipped: Array<{ row: number; name: string; reason: string }>;
}

/** Parse a primary-calibrator CSV; `source` names the file. */
export function parsePrimaryList(text: string, source: string): PrimaryListParse {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^#.*$/gm, '').trim(), {
    header: true,
    skipEmptyLines: true,
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const fields = parsed.meta.fields ?? [];
  const pick = (...names: string[]) => names.find((n) => fields.includes(n));
  const fName = pick('name', 'star', 'id', 'calibrator');
  const fRa = pick('radeg', 'ra_deg', 'ra', 'raj2000', '_raj2000');
  const fDec = pick('decdeg', 'dec_deg', 'dec', 'dej2000', '_dej2000');
  if (!fName || !fRa || !fDec) throw new Error(`${source}: a primary-calibrator CSV needs name, ra and dec columns (found: ${fields.join(', ')})`);
  const fLdd = pick('ldd', 'ldd_mas', 'lddmas');
  const fELdd = pick('e_ldd', 'eldd', 'e_ldd_mas', 'ldd_err_mas', 'e_udd', 'udd_err_mas');
  const fUdd = pick('udd_r', 'uddr', 'udd', 'udd_mas', 'ud_r');
  const rows: JsdcRow[] = [];
  const skipped: PrimaryListParse['skipped'] = [];
  parsed.data.forEach((r, k) => {
    const name = (r[fName] ?? '').trim();
    const where = `${source} row ${k + 1}`;
    try {
      const rawRa = (r[fRa] ?? '').trim();
      const rawDec = (r[fDec] ?? '').trim();
      if (rawRa === '') throw new Error(`column ${fRa}: blank cell`);
      if (rawDec === '') throw new Error(`column ${fDec}: blank cell`);
      const raDeg = /[\s:]/.test(rawRa) ? parseSexagesimal(rawRa, true, `${where} ra`) : Number(rawRa);
      const decDeg = /[\s:]/.test(rawDec) ? parseSexagesimal(rawDec, false, `${where} dec`) : Number(rawDec);
      if (!name) throw new Error('no name');
      if (!Number.isFinite(raDeg) || raDeg < 0 || raDeg >= 360) throw new Error(`ra "${rawRa}" is not in [0, 360) deg`);
      if (!Number.isFinite(decDeg) || decDeg < -90 || decDeg > 90) throw new Error(`dec "${rawDec}" is not in [-90, 90] deg`);
      const row = emptyJsdcRow(name, raDeg, decDeg, `SPICA primary (${source})`);
      const hd = cellNumber(r.hd);
      if (hd !== null) row.hd = hd;
      row.hip = cellNumber(r.hip);
      row.spType = (r.sptype ?? r.sp_type ?? '').trim();
      row.vmag = cellNumber(r.vmag ?? r.v);
      row.rmag = cellNumber(r.rmag ?? r.r);
      row.lddMas = fLdd ? cellNumber(r[fLdd]) : null;
      row.uddRMas = fUdd ? cellNumber(r[fUdd]) : null;
      row.eLddMas = fELdd ? cellNumber(r[fELdd]) : null;
      if (row.lddMas === null && row.uddRMas === null) throw new Error('no diameter (ldd or udd column)');
      if (row.eLddMas === null) throw new Error('no diameter error (e_ldd or e_udd column)');
      rows.push(row);
    } catch (e) {
      skipped.push({ row: k + 1, name, reason: (e as Error).message });
    }
  });
  return { rows, skipped };
}
