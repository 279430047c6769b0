/**
 * A VOTable reader for the tables this app meets (SPICA-DB exports, ASPRO2 target lists,
 * SearchCal results, TOPCAT tables): TABLEDATA serialisation, PARAMs, FIELDs with UCD and unit,
 * GROUPs kept as field-name lists. DOCTYPEs are refused: a received table is untrusted input.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One FIELD or PARAM description. */
export interface VoField {
  name: string;
  id?: string;
  datatype?: string;
  ucd?: string;
  unit?: string;
  arraysize?: string;
}

/** A PARAM: a field with a value. */
export interface VoParam extends VoField {
  value: string;
}

/** One TABLE of a VOTable, cells as strings (null for an empty TD). */
export interface VoTable {
  name?: string;
  params: VoParam[];
  fields: VoField[];
  rows: Array<Array<string | null>>;
  /** GROUP name/ID → referenced field or param names, in document order. */
  groups: Array<{ name?: string; id?: string; refs: string[] }>;
}

/** A whole VOTable document: resource-level PARAMs and every TABLE in document order. */
export interface VoDocument {
  params: VoParam[];
  tables: VoTable[];
}

/** A VOTable the reader cannot accept, with the line (when known) and what is wrong. */
export class VoTableError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line !== undefined ? `line ${line}: ${message}` : message);
    this.name = 'VoTableError';
  }
}

type XmlNode = Record<string, unknown>;

const ARRAY_TAGS = new Set(['RESOURCE', 'TABLE', 'FIELD', 'PARAM', 'TR', 'TD', 'GROUP', 'FIELDref', 'PARAMref', 'INFO']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => ARRAY_TAGS.has(name),
});

function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function fieldOf(node: XmlNode): VoField {
  const f: VoField = { name: String(node['@name'] ?? node['@ID'] ?? '') };
  if (node['@ID'] !== undefined) f.id = String(node['@ID']);
  if (node['@datatype'] !== undefined) f.datatype = String(node['@datatype']);
  if (node['@ucd'] !== undefined) f.ucd = String(node['@ucd']);
  if (node['@unit'] !== undefined) f.unit = String(node['@unit']);
  if (node['@arraysize'] !== undefined) f.arraysize = String(node['@arraysize']);
  return f;
}

function paramsOf(node: XmlNode): VoParam[] {
  return asArray(node.PARAM as XmlNode[] | undefined).map((p) => ({ ...fieldOf(p), value: String(p['@value'] ?? '') }));
}

function cellText(td: unknown): string | null {
  if (td === undefined || td === null || td === '') return null;
  if (typeof td === 'object') {
    const text = (td as XmlNode)['#text'];
    return text === undefined || text === '' ? null : String(text);
  }
  return String(td);
}

function collectGroups(node: XmlNode, byId: Map<string, string>, out: VoTable['groups']): void {
  for (const g of asArray(node.GROUP as XmlNode[] | undefined)) {
    const refs = [
      ...asArray(g.FIELDref as XmlNode[] | undefined),
      ...asArray(g.PARAMref as XmlNode[] | undefined),
    ].map((r) => {
      const ref = String(r['@ref'] ?? '');
      return byId.get(ref) ?? ref;
    });
    for (const p of paramsOf(g)) refs.push(p.name);
    out.push({ name: g['@name'] as string | undefined, id: g['@ID'] as string | undefined, refs });
    collectGroups(g, byId, out);
  }
}

function readTable(node: XmlNode, index: number): VoTable {
  const fields = asArray(node.FIELD as XmlNode[] | undefined).map(fieldOf);
  if (fields.length === 0) throw new VoTableError(`TABLE #${index + 1} has no FIELD`);
  const data = node.DATA as XmlNode | undefined;
  if (data && (data.BINARY !== undefined || data.BINARY2 !== undefined || data.FITS !== undefined)) {
    throw new VoTableError(`TABLE #${index + 1}: only TABLEDATA serialisation is supported (save as TABLEDATA)`);
  }
  const tableData = (data?.TABLEDATA ?? {}) as XmlNode;
  const rows = asArray(tableData.TR as XmlNode[] | undefined).map((tr, r) => {
    const cells = asArray(tr.TD as unknown[] | undefined).map(cellText);
    if (cells.length > fields.length) {
      throw new VoTableError(`TABLE #${index + 1}, row ${r + 1}: ${cells.length} cells for ${fields.length} FIELDs`);
    }
    while (cells.length < fields.length) cells.push(null);
    return cells;
  });
  const byId = new Map<string, string>();
  for (const f of fields) if (f.id) byId.set(f.id, f.name);
  const params = paramsOf(node);
  for (const p of params) if (p.id) byId.set(p.id, p.name);
  const groups: VoTable['groups'] = [];
  collectGroups(node, byId, groups);
  return { name: node['@name'] as string | undefined, params, fields, rows, groups };
}

/** Parse a VOTable document; throws `VoTableError` naming the line or table/row at fault. */
export function readVoTable(xml: string): VoDocument {
  if (/<!DOCTYPE/i.test(xml)) throw new VoTableError('DOCTYPE declarations are not accepted');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new VoTableError(`malformed XML: ${valid.err.msg}`, valid.err.line);
  const doc = parser.parse(xml) as XmlNode;
  const root = doc.VOTABLE as XmlNode | undefined;
  if (!root) throw new VoTableError('not a VOTable: the root element is not VOTABLE');
  const params = paramsOf(root);
  const tables: VoTable[] = [];
  const walk = (resource: XmlNode): void => {
    params.push(...paramsOf(resource));
    for (const t of asArray(resource.TABLE as XmlNode[] | undefined)) tables.push(readTable(t, tables.length));
    for (const r of asArray(resource.RESOURCE as XmlNode[] | undefined)) walk(r);
  };
  for (const r of asArray(root.RESOURCE as XmlNode[] | undefined)) walk(r);
  if (tables.length === 0) throw new VoTableError('the VOTable holds no TABLE');
  return { params, tables };
}
