/**
 * A small VOTable (TABLEDATA) reader for the calibrator importers: JSDC exports from VizieR,
 * SearchCal `.scvot` files, BadCal cone-search results. BINARY/FITS serialisations are refused with
 * a clear message rather than half-read.
 */
import { XMLParser } from 'fast-xml-parser';

/** The first table of a VOTable as strings (empty cells are ''). */
export interface VoTable {
  /** FIELD names (or IDs when a FIELD has no name), in column order. */
  fields: string[];
  /** FIELD units, '' when absent. */
  units: string[];
  /** PARAM name → value of the RESOURCE and TABLE. */
  params: Record<string, string>;
  rows: string[][];
  description: string;
}

const ARRAY_TAGS = new Set(['RESOURCE', 'TABLE', 'FIELD', 'PARAM', 'TR', 'TD', 'INFO', 'OPTION']);

/** Parse VOTable text; `source` names the file in errors. */
export function parseVoTable(xml: string, source: string): VoTable {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => ARRAY_TAGS.has(name),
  });
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${source}: not valid XML (${(e as Error).message})`);
  }
  const root = doc.VOTABLE as Record<string, unknown> | undefined;
  if (!root) throw new Error(`${source}: no <VOTABLE> root element`);
  const table = findTable(root);
  if (!table) throw new Error(`${source}: no <TABLE> in the VOTable`);
  const fieldEls = (table.FIELD as Record<string, string>[] | undefined) ?? [];
  if (fieldEls.length === 0) throw new Error(`${source}: the table has no FIELD`);
  const fields = fieldEls.map((f) => f['@name'] ?? f['@ID'] ?? '');
  const units = fieldEls.map((f) => f['@unit'] ?? '');
  const params: Record<string, string> = {};
  for (const holder of [root, ...((root.RESOURCE as Record<string, unknown>[]) ?? []), table]) {
    for (const p of (holder.PARAM as Record<string, string>[] | undefined) ?? []) if (p['@name']) params[p['@name']] = p['@value'] ?? '';
  }
  const data = table.DATA as Record<string, unknown> | undefined;
  if (data && (data.BINARY || data.BINARY2 || data.FITS)) throw new Error(`${source}: BINARY/FITS VOTable serialisation is not supported; export as TABLEDATA`);
  const trs = ((data?.TABLEDATA as Record<string, unknown> | undefined)?.TR as Array<Record<string, unknown>> | undefined) ?? [];
  const rows = trs.map((tr, i) => {
    const tds = (tr.TD as unknown[] | undefined) ?? [];
    if (tds.length !== fields.length) throw new Error(`${source}: row ${i + 1} has ${tds.length} cells for ${fields.length} fields`);
    return tds.map(cellText);
  });
  const description = String((root.DESCRIPTION as string | undefined) ?? '').trim();
  return { fields, units, params, rows, description };
}

function findTable(node: Record<string, unknown>): Record<string, unknown> | null {
  const tables = node.TABLE as Record<string, unknown>[] | undefined;
  if (tables?.length) return tables[0];
  for (const r of (node.RESOURCE as Record<string, unknown>[] | undefined) ?? []) {
    const t = findTable(r);
    if (t) return t;
  }
  return null;
}

function cellText(td: unknown): string {
  if (td === null || td === undefined) return '';
  if (typeof td === 'string') return td;
  if (typeof td === 'object' && '#text' in (td as Record<string, unknown>)) return String((td as Record<string, unknown>)['#text']);
  return '';
}

/** Index of a column by any of its accepted names (case-insensitive), or -1. */
export function columnIndex(table: VoTable, ...names: string[]): number {
  const lower = table.fields.map((f) => f.toLowerCase());
  for (const n of names) {
    const i = lower.indexOf(n.toLowerCase());
    if (i >= 0) return i;
  }
  return -1;
}
