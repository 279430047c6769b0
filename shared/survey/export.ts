/**
 * Survey export: the (filtered) target list as CSV or as a VOTable whose column names are the
 * NSS / SPICA-DB ones, so an export re-imports into this app (or NSS) without loss of identity.
 */
import Papa from 'papaparse';
import { formatDecDms, formatRaHms } from '../astro/sexagesimal';
import type { TargetSummary } from '../model/survey';
import { xmlEscape } from '../votable/escape';

interface Column {
  name: string;
  datatype: 'char' | 'double' | 'int';
  ucd?: string;
  unit?: string;
  value(t: TargetSummary): string | number | null;
}

const COLUMNS: Column[] = [
  { name: 'spicadb_id', datatype: 'char', ucd: 'meta.id', value: (t) => t.spicadbId },
  { name: 'target_main_id', datatype: 'char', ucd: 'meta.id;meta.main', value: (t) => t.name },
  { name: 'ra', datatype: 'double', ucd: 'pos.eq.ra;meta.main', unit: 'deg', value: (t) => t.raDeg },
  { name: 'dec', datatype: 'double', ucd: 'pos.eq.dec;meta.main', unit: 'deg', value: (t) => t.decDeg },
  { name: 'ra_hms', datatype: 'char', value: (t) => formatRaHms(t.raDeg, 3) },
  { name: 'dec_dms', datatype: 'char', value: (t) => formatDecDms(t.decDeg, 2) },
  { name: 'vmag', datatype: 'double', ucd: 'phot.mag;em.opt.V', unit: 'mag', value: (t) => t.vmag },
  { name: 'hmag', datatype: 'double', ucd: 'phot.mag;em.IR.H', unit: 'mag', value: (t) => t.hmag },
  { name: 'spt', datatype: 'char', ucd: 'src.spType', value: (t) => t.spType },
  { name: 'spica_mode', datatype: 'char', value: (t) => t.mode },
  { name: 'progname', datatype: 'char', value: (t) => t.programmes[0]?.programme ?? null },
  { name: 'piname', datatype: 'char', value: (t) => t.programmes[0]?.pi ?? null },
  { name: 'priority_pi', datatype: 'int', value: (t) => t.programmes[0]?.piPriority ?? null },
  { name: 'comments', datatype: 'char', value: (t) => t.programmes[0]?.comments ?? null },
  { name: 'progname2', datatype: 'char', value: (t) => t.programmes[1]?.programme ?? null },
  { name: 'piname2', datatype: 'char', value: (t) => t.programmes[1]?.pi ?? null },
  { name: 'priority_pi2', datatype: 'int', value: (t) => t.programmes[1]?.piPriority ?? null },
  { name: 'comments2', datatype: 'char', value: (t) => t.programmes[1]?.comments ?? null },
  { name: 'completion_rate', datatype: 'double', value: (t) => t.completionDatabase ?? t.completionRate },
  { name: 'priority_final', datatype: 'int', value: (t) => t.finalPriority },
  { name: 'n_obs', datatype: 'int', value: (t) => t.observationCount },
  { name: 'last_observed', datatype: 'char', value: (t) => t.lastObservedNight },
];

/** First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection"). */
export const FORMULA_LEAD = /^[=+\-@\t\r]/;

/**
 * Text cells papaparse's `escapeFormulae` guards (a leading single quote), as OWASP's CSV-injection
 * guidance says: those starting with =, +, -, @, tab or carriage return, except text that stays
 * inert in a spreadsheet although it starts with a sign (a plain number, a sexagesimal angle such as
 * "-05:30:00.0"). Numbers are written as numbers and never guarded, so a negative Dec round-trips;
 * the importer removes the quote again.
 */
const FORMULA_CELL = /^(?![+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$)(?![+-]?\d{1,3}:\d{2}:\d{2}(?:\.\d+)?$)[=+\-@\t\r]/;

/** The targets as CSV with NSS column names, formula-like text cells guarded. */
export function targetsToCsv(targets: TargetSummary[]): string {
  return Papa.unparse(
    {
      fields: COLUMNS.map((c) => c.name),
      data: targets.map((t) => COLUMNS.map((c) => c.value(t) ?? '')),
    },
    { escapeFormulae: FORMULA_CELL },
  );
}

/** The targets as a VOTable 1.3 (TABLEDATA) with NSS column names and UCDs. */
export function targetsToVoTable(targets: TargetSummary[], description: string): string {
  const fields = COLUMNS.map((c) => {
    const attrs = [`name="${c.name}"`, `datatype="${c.datatype}"`];
    if (c.datatype === 'char') attrs.push('arraysize="*"');
    if (c.ucd) attrs.push(`ucd="${c.ucd}"`);
    if (c.unit) attrs.push(`unit="${c.unit}"`);
    return `      <FIELD ${attrs.join(' ')}/>`;
  });
  const rows = targets.map((t) => {
    const cells = COLUMNS.map((c) => {
      const v = c.value(t);
      return v === null || v === undefined ? '<TD/>' : `<TD>${xmlEscape(String(v))}</TD>`;
    });
    return `        <TR>${cells.join('')}</TR>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">',
    '  <RESOURCE>',
    `    <DESCRIPTION>${xmlEscape(description)}</DESCRIPTION>`,
    `    <TABLE name="spica_survey" nrows="${targets.length}">`,
    ...fields,
    '      <DATA>',
    '        <TABLEDATA>',
    ...rows,
    '        </TABLEDATA>',
    '      </DATA>',
    '    </TABLE>',
    '  </RESOURCE>',
    '</VOTABLE>',
    '',
  ].join('\n');
}
