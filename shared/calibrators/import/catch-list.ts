/**
 * Parser of the CATCH calibrator lists (fixed-width text: one comment line, one header line, then
 * rows whose Name and sexagesimal RA/Dec contain spaces). Columns after SpType are numeric, so a
 * row is read from its right end: that keeps names such as "V* V552 Per" and types such as
 * "K0III+..." intact.
 */
import type { JsdcRow } from '../backbone-types';
import { cellNumber, emptyJsdcRow, parseSexagesimal } from './jsdc-row';

/** Parse one CATCH `HD*_Calibrators.txt` file; `source` names it in errors and in each row. */
export function parseCatchList(text: string, source: string): JsdcRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const headerAt = lines.findIndex((l) => /^\s*Name\s+_r\s+/.test(l));
  if (headerAt < 0) throw new Error(`${source}: no "Name _r ..." header line; not a CATCH list`);
  const header = lines[headerAt].trim().split(/\s+/);
  const spAt = header.indexOf('SpType');
  if (spAt !== 4) throw new Error(`${source}: expected columns Name _r _RAJ2000 _DEJ2000 SpType, got ${header.slice(0, 5).join(' ')}`);
  const numericCols = header.slice(spAt + 1);
  const rows: JsdcRow[] = [];
  for (let i = headerAt + 1; i < lines.length; i++) {
    const tokens = lines[i].trim().split(/\s+/);
    const where = `${source}, line ${i + 1}`;
    if (tokens.length < numericCols.length + 9) throw new Error(`${where}: ${tokens.length} fields, too few for the header`);
    const nums = tokens.slice(tokens.length - numericCols.length);
    const spType = tokens[tokens.length - numericCols.length - 1];
    const decTokens = tokens.slice(tokens.length - numericCols.length - 4, tokens.length - numericCols.length - 1);
    const raTokens = tokens.slice(tokens.length - numericCols.length - 7, tokens.length - numericCols.length - 4);
    const name = tokens.slice(0, tokens.length - numericCols.length - 8).join(' ');
    const row = emptyJsdcRow(name, parseSexagesimal(raTokens.join(' '), true, where), parseSexagesimal(decTokens.join(' '), false, where), source);
    row.spType = spType;
    const get = (col: string): number | null => {
      const k = numericCols.indexOf(col);
      return k < 0 ? null : cellNumber(nums[k]);
    };
    row.vmag = get('Vmag');
    row.rmag = get('Rmag');
    row.jmag = get('Jmag');
    row.hmag = get('Hmag');
    row.kmag = get('Kmag');
    row.uddHMas = get('UDDH');
    row.uddKMas = get('UDDK');
    row.eLddMas = get('e_LDD');
    row.ipdFracMultiPeak = get('IPDfmp');
    row.ruwe = get('RUWE');
    row.vbroadKms = get('Vbroad');
    row.calFlag = get('CalFlag');
    row.irFlag = get('IRflag');
    const binCols = ['DMS', 'W', 'BinH', 'BinG2', 'BinHG1', 'BinH2G2', 'BinH2EG3b'].filter((c) => numericCols.includes(c));
    row.pmaBinary = binCols.length ? binCols.some((c) => (get(c) ?? 0) !== 0) : null;
    const snrCols = numericCols.filter((c) => c.startsWith('snrPMa'));
    row.pmaSnrMax = snrCols.length ? Math.max(...snrCols.map((c) => get(c) ?? 0)) : null;
    rows.push(row);
  }
  return rows;
}
