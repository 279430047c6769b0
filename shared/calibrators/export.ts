/**
 * Export of a proposal's candidates as CSV or as a VOTable (TABLEDATA) that ASPRO2/TOPCAT read.
 * Pure text builders: the renderer turns them into a download.
 */
import type { CalibratorProposal } from './types';

const COLUMNS = [
  ['rank', 'int', ''], ['name', 'char', ''], ['hd', 'int', ''], ['hip', 'int', ''], ['ra_deg', 'double', 'deg'], ['dec_deg', 'double', 'deg'],
  ['vmag', 'double', 'mag'], ['rmag', 'double', 'mag'], ['sp_type', 'char', ''], ['tier', 'char', ''], ['ldd_mas', 'double', 'mas'],
  ['ldd_err_mas', 'double', 'mas'], ['udd_mas', 'double', 'mas'], ['udd_err_mas', 'double', 'mas'], ['vis2_ref', 'double', ''],
  ['vis2_ref_err', 'double', ''], ['sep_deg', 'double', 'deg'], ['pa_deg', 'double', 'deg'], ['score', 'double', ''], ['role', 'char', ''],
  ['flags', 'char', ''],
] as const;

function rowsOf(p: CalibratorProposal): Array<Array<string | number | null>> {
  return p.candidates.map((c) => [
    c.rank, c.name, c.hd, c.hip, c.raDeg, c.decDeg, c.vmag, c.rmag, c.spType, c.tier, c.lddMas, c.eLddMas, c.udMas, c.eUdMas,
    c.channels[0].vis2, c.channels[0].vis2Err, c.sepDeg, c.paDeg, c.score, c.role, c.flags.map((f) => f.label).join(';'),
  ]);
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Candidates as CSV with a header line; the first comment lines give target, night and baseline. */
export function proposalToCsv(p: CalibratorProposal): string {
  const head = [
    `# calibrators for ${p.target.name} (${p.target.raDeg.toFixed(5)}, ${p.target.decDeg.toFixed(5)})`,
    `# night ${p.night ?? 'none'}, baseline ${p.baselineM.toFixed(1)} m, reference λ ${p.lambdasUm[0]} µm; ${p.provenance.engineVersion}`,
    COLUMNS.map((c) => c[0]).join(','),
  ];
  return `${[...head, ...rowsOf(p).map((r) => r.map(csvCell).join(','))].join('\n')}\n`;
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Candidates as a VOTable 1.3 (TABLEDATA), with the target and baseline as PARAMs. */
export function proposalToVoTable(p: CalibratorProposal): string {
  const fields = COLUMNS.map(([name, type, unit]) => `<FIELD name="${name}" datatype="${type}"${type === 'char' ? ' arraysize="*"' : ''}${unit ? ` unit="${unit}"` : ''}/>`).join('\n');
  const rows = rowsOf(p).map((r) => `<TR>${r.map((v) => `<TD>${v === null ? '' : xml(String(v))}</TD>`).join('')}</TR>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<RESOURCE name="SPICA Companion calibrators">
<TABLE name="calibrators">
<DESCRIPTION>${xml(`Calibrators for ${p.target.name}; ${p.provenance.engineVersion}; ${p.provenance.baselineSource}`)}</DESCRIPTION>
<PARAM name="target" datatype="char" arraysize="*" value="${xml(p.target.name)}"/>
<PARAM name="target_ra_deg" datatype="double" unit="deg" value="${p.target.raDeg}"/>
<PARAM name="target_dec_deg" datatype="double" unit="deg" value="${p.target.decDeg}"/>
<PARAM name="baseline_m" datatype="double" unit="m" value="${p.baselineM}"/>
<PARAM name="night" datatype="char" arraysize="*" value="${p.night ?? ''}"/>
${fields}
<DATA><TABLEDATA>
${rows}
</TABLEDATA></DATA>
</TABLE>
</RESOURCE>
</VOTABLE>
`;
}
