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
  const rows: Array<Array<string | null>> = [];
  const byId = new Map<string, string>();
  for (const f of fields) if (f.id) byId.set(f.id, f.name);
  const params = paramsOf(node);
  for (const p of params) if (p.id) byId.set(p.id, p.name);
  const groups: VoTable['groups'] = [];
  collectGroups(node, byId, groups);
  return { name: node['@name'] as string | undefined, params, fields, rows, groups };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITIES[e],
  );
}

function lineAt(xml: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (xml.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Rows of one TABLEDATA body. TABLEDATA is a flat TR/TD grid, so a scanner reads it ~10× faster
 * than a general XML parser; anything outside the grammar is reported with its line.
 */
function scanTableData(xml: string, bodyStart: number, bodyEnd: number): Array<Array<string | null>> {
  const rows: Array<Array<string | null>> = [];
  const tr = /<TR\b[^>]*>([\s\S]*?)<\/TR\s*>|<TR\b[^>]*\/>|(\S)/g;
  const td = /<TD\b[^>]*\/>|<TD\b[^>]*>([\s\S]*?)<\/TD\s*>|(\S)/g;
  tr.lastIndex = bodyStart;
  const body = xml.slice(0, bodyEnd);
  let m: RegExpExecArray | null;
  while ((m = tr.exec(body)) !== null) {
    if (m[2] !== undefined) {
      if (body.startsWith('<!--', m.index)) {
        const close = body.indexOf('-->', m.index);
        if (close < 0) throw new VoTableError('unterminated comment in TABLEDATA', lineAt(xml, m.index));
        tr.lastIndex = close + 3;
        continue;
      }
      throw new VoTableError(`unexpected content in TABLEDATA (row ${rows.length + 1})`, lineAt(xml, m.index));
    }
    const cells: Array<string | null> = [];
    const inner = m[1] ?? '';
    td.lastIndex = 0;
    let c: RegExpExecArray | null;
    while ((c = td.exec(inner)) !== null) {
      if (c[2] !== undefined) {
        throw new VoTableError(`row ${rows.length + 1}: unexpected content between TD cells`, lineAt(xml, m.index));
      }
      const raw = c[1];
      if (raw !== undefined && raw.includes('<')) {
        throw new VoTableError(`row ${rows.length + 1}: markup inside a TD`, lineAt(xml, m.index));
      }
      const value = raw === undefined ? '' : unescapeXml(raw.trim());
      cells.push(value === '' ? null : value);
    }
    rows.push(cells);
  }
  return rows;
}

/** Parse a VOTable document; throws `VoTableError` naming the line or table/row at fault. */
export function readVoTable(xml: string): VoDocument {
  if (/<!DOCTYPE/i.test(xml)) throw new VoTableError('DOCTYPE declarations are not accepted');
  // Cut every TABLEDATA body out: the structure goes through the validating XML parser, the
  // bodies through the scanner, and the two are joined back by table order.
  const bodies: Array<[number, number]> = [];
  let skeleton = '';
  let cursor = 0;
  const open = /<TABLEDATA\b[^>]*>/g;
  let o: RegExpExecArray | null;
  while ((o = open.exec(xml)) !== null) {
    const start = o.index + o[0].length;
    const end = xml.indexOf('</TABLEDATA>', start);
    if (end < 0) throw new VoTableError('TABLEDATA is not closed (truncated file?)', lineAt(xml, o.index));
    skeleton += xml.slice(cursor, start);
    // Keep the line count of the skeleton equal to the original for error messages.
    skeleton += '\n'.repeat(xml.slice(start, end).split('\n').length - 1);
    bodies.push([start, end]);
    cursor = end;
    open.lastIndex = end;
  }
  skeleton += xml.slice(cursor);
  const valid = XMLValidator.validate(skeleton);
  if (valid !== true) throw new VoTableError(`malformed XML: ${valid.err.msg}`, valid.err.line);
  const doc = parser.parse(skeleton) as XmlNode;
  const root = doc.VOTABLE as XmlNode | undefined;
  if (!root) throw new VoTableError('not a VOTable: the root element is not VOTABLE');
  const params = paramsOf(root);
  const tables: VoTable[] = [];
  const walk = (resource: XmlNode): void => {
    params.push(...paramsOf(resource));
    for (const t of asArray(resource.TABLE as XmlNode[] | undefined)) {
      const table = readTable(t, tables.length);
      const data = t.DATA as XmlNode | undefined;
      if (data && data.TABLEDATA !== undefined) {
        const body = bodies.shift();
        if (body) table.rows = scanTableData(xml, body[0], body[1]);
        table.rows.forEach((cells, r) => {
          if (cells.length > table.fields.length) {
            throw new VoTableError(`TABLE #${tables.length + 1}, row ${r + 1}: ${cells.length} cells for ${table.fields.length} FIELDs`);
          }
          while (cells.length < table.fields.length) cells.push(null);
        });
      }
      tables.push(table);
    }
    for (const r of asArray(resource.RESOURCE as XmlNode[] | undefined)) walk(r);
  };
  for (const r of asArray(root.RESOURCE as XmlNode[] | undefined)) walk(r);
  if (tables.length === 0) throw new VoTableError('the VOTable holds no TABLE');
  return { params, tables };
}
