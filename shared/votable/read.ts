/**
 * A VOTable reader for the tables this app meets (SPICA-DB exports and TAP results, ASPRO2 target
 * lists, SearchCal results, TOPCAT/STILTS tables): TABLEDATA, BINARY and BINARY2 (base64 STREAM)
 * serialisations, PARAMs, INFOs (TAP's QUERY_STATUS), FIELDs with UCD, unit and `VALUES@null`,
 * GROUPs kept as field-name lists. A received table is untrusted input: DOCTYPEs are refused,
 * entities and nesting depth are checked first, and every error names its line and column.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BinaryStreamError, decodeBase64, decodeBinaryRows } from './binary';

/** One FIELD or PARAM description. */
export interface VoField {
  name: string;
  id?: string;
  datatype?: string;
  ucd?: string;
  unit?: string;
  arraysize?: string;
  /** `VALUES@null`: the value that stands for NULL (TAP services use it for integers). */
  nullValue?: string;
}

/** A PARAM: a field with a value. */
export interface VoParam extends VoField {
  value: string;
}

/** An INFO element: name, value and its text content. */
export interface VoInfo {
  name: string;
  value: string;
  content: string;
}

/** One TABLE of a VOTable, cells as strings (null for an empty TD or a NULL value). */
export interface VoTable {
  name?: string;
  params: VoParam[];
  fields: VoField[];
  rows: Array<Array<string | null>>;
  /** GROUP name/ID → referenced field or param names, in document order. */
  groups: Array<{ name?: string; id?: string; refs: string[] }>;
  /** How the rows were serialised in the file. */
  serialization: 'TABLEDATA' | 'BINARY' | 'BINARY2' | 'none';
}

/** A whole VOTable document: PARAMs and INFOs of the document and its RESOURCEs, every TABLE in document order. */
export interface VoDocument {
  params: VoParam[];
  /** INFOs of the VOTABLE and RESOURCE elements (before and after their tables) and of the TABLEs. */
  infos: VoInfo[];
  /**
   * TAP's `INFO name="QUERY_STATUS"`, the most serious when there are several (DaCHS writes OK
   * before the table and OVERFLOW after it): ERROR, then OVERFLOW, then anything else. Null when absent.
   */
  queryStatus: { value: string; message: string } | null;
  tables: VoTable[];
}

/** A VOTable the reader cannot accept, with the line and column (when known) and what is wrong. */
export class VoTableError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line !== undefined ? `line ${line}${column !== undefined ? `, column ${column}` : ''}: ${message}` : message);
    this.name = 'VoTableError';
  }
}

/** Deepest element nesting accepted; real VOTables nest about eight deep (VOTABLE/RESOURCE/TABLE/FIELD/VALUES/MIN). */
export const MAX_NESTING_DEPTH = 64;

type XmlNode = Record<string, unknown>;

const ARRAY_TAGS = new Set(['RESOURCE', 'TABLE', 'FIELD', 'PARAM', 'TR', 'TD', 'GROUP', 'FIELDref', 'PARAMref', 'INFO']);

// Entities are decoded by `decodeEntities` after `checkEntities` has vetted every one in the file.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: false,
  isArray: (name) => ARRAY_TAGS.has(name),
});

function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function position(xml: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (xml.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function errorAt(xml: string, offset: number, message: string): VoTableError {
  const { line, column } = position(xml, offset);
  return new VoTableError(message, line, column);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Whether a code point is a legal XML 1.0 character (`Char` production). */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** Offsets [start, end) of the comments, CDATA sections and processing instructions of `xml`, in order. */
function opaqueRanges(xml: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  if (!xml.includes('<!') && !xml.includes('<?')) return ranges;
  const opaque = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<\?[\s\S]*?(?:\?>|$)/g;
  let m: RegExpExecArray | null;
  while ((m = opaque.exec(xml)) !== null) {
    ranges.push([m.index, m.index + m[0].length]);
    if (m[0].length === 0) opaque.lastIndex++;
  }
  return ranges;
}

/**
 * Refuse any entity reference that is not one of XML's five or a legal character reference, so
 * decoding can never fail later (`&#x110000;` is an input error with its place, not a RangeError).
 */
function checkEntities(xml: string): void {
  const ranges = opaqueRanges(xml);
  let r = 0;
  const amp = /&([^;\s<&]{0,32});?/g;
  let m: RegExpExecArray | null;
  while ((m = amp.exec(xml)) !== null) {
    while (r < ranges.length && ranges[r][1] <= m.index) r++;
    if (r < ranges.length && ranges[r][0] <= m.index) continue;
    const body = m[1];
    const isTerminated = m[0].endsWith(';');
    if (isTerminated && ENTITIES[body] !== undefined) continue;
    const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body);
    if (isTerminated && numeric) {
      const cp = numeric[1][0] === 'x' ? parseInt(numeric[1].slice(1), 16) : parseInt(numeric[1], 10);
      if (isXmlChar(cp)) continue;
      throw errorAt(xml, m.index, `character reference &${body}; is not a legal XML character`);
    }
    throw errorAt(xml, m.index, `"${m[0]}" is not an XML entity reference (write & as &amp;)`);
  }
}

/** Decode the five XML entities and character references (already checked by `checkEntities`). */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITIES[e],
  );
}

/** Refuse element nesting deeper than `MAX_NESTING_DEPTH`, at the element that goes too deep. */
function checkDepth(xml: string): void {
  const token = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)[A-Za-z_][\w.:-]*(?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(\/?)>/g;
  let depth = 0;
  let m: RegExpExecArray | null;
  while ((m = token.exec(xml)) !== null) {
    if (m[0][1] === '!' || m[0][1] === '?') continue;
    if (m[1] === '/') depth--;
    else if (m[2] !== '/') {
      depth++;
      if (depth > MAX_NESTING_DEPTH) throw errorAt(xml, m.index, `elements nested deeper than ${MAX_NESTING_DEPTH}`);
    }
  }
}

function attr(node: XmlNode, name: string): string | undefined {
  const v = node[`@${name}`];
  return v === undefined ? undefined : decodeEntities(String(v));
}

function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return decodeEntities(node);
  const t = (node as XmlNode)['#text'];
  return t === undefined ? '' : decodeEntities(String(t));
}

function fieldOf(node: XmlNode): VoField {
  const f: VoField = { name: attr(node, 'name') ?? attr(node, 'ID') ?? '' };
  const id = attr(node, 'ID');
  if (id !== undefined) f.id = id;
  for (const key of ['datatype', 'ucd', 'unit', 'arraysize'] as const) {
    const v = attr(node, key);
    if (v !== undefined) f[key] = v;
  }
  const values = node.VALUES as XmlNode | undefined;
  if (values && typeof values === 'object') {
    const nullValue = attr(values, 'null');
    if (nullValue !== undefined) f.nullValue = nullValue;
  }
  return f;
}

function paramsOf(node: XmlNode): VoParam[] {
  return asArray(node.PARAM as XmlNode[] | undefined).map((p) => ({ ...fieldOf(p), value: attr(p, 'value') ?? '' }));
}

function infosOf(node: XmlNode): VoInfo[] {
  return asArray(node.INFO as Array<XmlNode | string> | undefined).map((i) =>
    typeof i === 'string' ? { name: '', value: '', content: decodeEntities(i) } : { name: attr(i, 'name') ?? '', value: attr(i, 'value') ?? '', content: textOf(i) },
  );
}

function collectGroups(node: XmlNode, byId: Map<string, string>, out: VoTable['groups']): void {
  for (const g of asArray(node.GROUP as XmlNode[] | undefined)) {
    const refs = [...asArray(g.FIELDref as XmlNode[] | undefined), ...asArray(g.PARAMref as XmlNode[] | undefined)].map((r) => {
      const ref = attr(r, 'ref') ?? '';
      return byId.get(ref) ?? ref;
    });
    for (const p of paramsOf(g)) refs.push(p.name);
    out.push({ name: attr(g, 'name'), id: attr(g, 'ID'), refs });
    collectGroups(g, byId, out);
  }
}

/** A cut-out body (TABLEDATA or STREAM content) with its place in the original text. */
interface Body {
  kind: 'TABLEDATA' | 'STREAM';
  start: number;
  end: number;
  /** The opening tag, for STREAM attributes. */
  openTag: string;
}

/** Marker text standing for a cut body (private-use characters: legal XML, never in a real file). */
const BODY_MARK = '\uE000body:';

/**
 * Cut every TABLEDATA and STREAM body out of the document. The structure goes through the
 * validating XML parser; each body is replaced by a marker text (plus as many newlines, so line
 * numbers still match) that links it back to its element.
 */
function cutBodies(xml: string): { skeleton: string; bodies: Body[] } {
  const bodies: Body[] = [];
  let skeleton = '';
  let cursor = 0;
  const open = /<((?:[\w.-]+:)?)(TABLEDATA|STREAM)\b(?:[^>"']|"[^"]*"|'[^']*')*>/g;
  let o: RegExpExecArray | null;
  while ((o = open.exec(xml)) !== null) {
    if (o[0].endsWith('/>')) continue;
    const start = o.index + o[0].length;
    const closeTag = `</${o[1]}${o[2]}`;
    const end = xml.indexOf(closeTag, start);
    if (end < 0) throw errorAt(xml, o.index, `${o[2]} is not closed (truncated file?)`);
    skeleton += xml.slice(cursor, start);
    skeleton += `${BODY_MARK}${bodies.length}\uE000`;
    skeleton += '\n'.repeat(countNewlines(xml, start, end));
    bodies.push({ kind: o[2] as Body['kind'], start, end, openTag: o[0] });
    cursor = end;
    open.lastIndex = end;
  }
  skeleton += xml.slice(cursor);
  return { skeleton, bodies };
}

function countNewlines(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', start); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function bodyOf(node: unknown, bodies: Body[]): Body | null {
  const text = typeof node === 'string' ? node : textOf(node);
  const m = /\uE000body:(\d+)\uE000/.exec(text);
  return m ? bodies[Number(m[1])] : null;
}

/** Whether the character code may appear in an XML name (ASCII subset: VOTable names are ASCII). */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46 || c === 58;
}

/** Set by `tagEnd`: whether the tag it just read was self-closing (`<TD/>`). */
let lastTagWasEmpty = false;

/**
 * If a tag `<name …>` (or `</name>` when `isClose`) with local name `name` (any namespace prefix)
 * starts at `i`, the offset just after its `>`; otherwise -1. Hand-rolled because TABLEDATA has
 * one TD per cell: a regular expression per cell costs several times more.
 */
function tagEnd(xml: string, i: number, name: string, isClose: boolean): number {
  if (xml.charCodeAt(i) !== 60) return -1;
  let j = i + 1;
  if (isClose) {
    if (xml.charCodeAt(j) !== 47) return -1;
    j++;
  }
  const nameStart = j;
  let localStart = j;
  while (j < xml.length && isNameChar(xml.charCodeAt(j))) {
    if (xml.charCodeAt(j) === 58) localStart = j + 1;
    j++;
  }
  if (j === nameStart || j - localStart !== name.length || !xml.startsWith(name, localStart)) return -1;
  let quote = 0;
  for (; j < xml.length; j++) {
    const c = xml.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      if (isClose) return -1;
      quote = c;
    } else if (c === 62) {
      lastTagWasEmpty = xml.charCodeAt(j - 1) === 47;
      return j + 1;
    } else if (c === 60) return -1;
  }
  return -1;
}

/** Offset of the next `</TD>` (any prefix) at or after `from`, and the offset after it; null when there is none. */
function nextTdClose(xml: string, from: number): { index: number; after: number } | null {
  for (let i = xml.indexOf('</', from); i >= 0; i = xml.indexOf('</', i + 2)) {
    const after = tagEnd(xml, i, 'TD', true);
    if (after >= 0) return { index: i, after };
  }
  return null;
}

function skipSpaceAndComments(xml: string, i: number, end: number): number {
  for (;;) {
    while (i < end && (xml.charCodeAt(i) === 32 || xml.charCodeAt(i) === 10 || xml.charCodeAt(i) === 13 || xml.charCodeAt(i) === 9)) i++;
    if (!xml.startsWith('<!--', i)) return i;
    const close = xml.indexOf('-->', i + 4);
    if (close < 0 || close + 3 > end) throw errorAt(xml, i, 'unterminated comment in TABLEDATA');
    i = close + 3;
  }
}

/** Whether `xml` has a '<' in [start, end). */
function hasMarkupBetween(xml: string, start: number, end: number): boolean {
  const lt = xml.indexOf('<', start);
  return lt >= 0 && lt < end;
}

/** Whether `text` ends inside an unclosed comment or CDATA section. */
function endsInsideOpaque(text: string): boolean {
  if (!text.includes('<!')) return false;
  const comment = text.lastIndexOf('<!--');
  const cdata = text.lastIndexOf('<![CDATA[');
  return (comment >= 0 && text.indexOf('-->', comment + 4) < 0) || (cdata >= 0 && text.indexOf(']]>', cdata + 9) < 0);
}

/** The value of a TD's content: comments dropped, CDATA kept verbatim, entities decoded. */
function cellValue(xml: string, raw: string, offset: number): string {
  if (!raw.includes('<')) return decodeEntities(raw.trim());
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const lt = raw.indexOf('<', i);
    if (lt < 0) {
      out += decodeEntities(raw.slice(i));
      break;
    }
    out += decodeEntities(raw.slice(i, lt));
    if (raw.startsWith('<!--', lt)) {
      const close = raw.indexOf('-->', lt + 4);
      if (close < 0) throw errorAt(xml, offset + lt, 'unterminated comment inside a TD');
      i = close + 3;
    } else if (raw.startsWith('<![CDATA[', lt)) {
      const close = raw.indexOf(']]>', lt + 9);
      if (close < 0) throw errorAt(xml, offset + lt, 'unterminated CDATA section inside a TD');
      out += raw.slice(lt + 9, close);
      i = close + 3;
    } else throw errorAt(xml, offset + lt, 'markup inside a TD');
  }
  return out.trim();
}

/**
 * Rows of one TABLEDATA body. TABLEDATA is a flat TR/TD grid, so a scanner reads it ~10× faster
 * than a general XML parser; XML comments may sit anywhere between rows and cells (ASPRO2's own
 * documented template has them), and anything else outside the grammar is reported with its place.
 */
function scanTableData(xml: string, body: Body): Array<Array<string | null>> {
  const rows: Array<Array<string | null>> = [];
  const end = body.end;
  let i = skipSpaceAndComments(xml, body.start, end);
  while (i < end) {
    const trEnd = tagEnd(xml, i, 'TR', false);
    if (trEnd < 0 || trEnd > end) throw errorAt(xml, i, `unexpected content in TABLEDATA (row ${rows.length + 1})`);
    i = trEnd;
    const cells: Array<string | null> = [];
    if (!lastTagWasEmpty) {
      for (;;) {
        i = skipSpaceAndComments(xml, i, end);
        const trClose = tagEnd(xml, i, 'TR', true);
        if (trClose >= 0) {
          i = trClose;
          break;
        }
        const tdStart = i;
        const contentStart = tagEnd(xml, i, 'TD', false);
        if (contentStart < 0 || contentStart > end) {
          throw errorAt(xml, i, `row ${rows.length + 1}: unexpected content between TD cells`);
        }
        if (lastTagWasEmpty) {
          cells.push(null);
          i = contentStart;
          continue;
        }
        let c = nextTdClose(xml, contentStart);
        // A TD's own text may hold a comment or CDATA that contains "</TD>": skip over those.
        while (c && c.index <= end && hasMarkupBetween(xml, contentStart, c.index) && endsInsideOpaque(xml.slice(contentStart, c.index))) {
          c = nextTdClose(xml, c.after);
        }
        if (!c || c.index > end) throw errorAt(xml, tdStart, `row ${rows.length + 1}: TD is not closed`);
        const value = hasMarkupBetween(xml, contentStart, c.index)
          ? cellValue(xml, xml.slice(contentStart, c.index), contentStart)
          : decodeEntities(xml.slice(contentStart, c.index).trim());
        cells.push(value === '' ? null : value);
        i = c.after;
      }
    }
    rows.push(cells);
    i = skipSpaceAndComments(xml, i, end);
  }
  return rows;
}

function sameAsNull(cell: string, nullValue: string): boolean {
  if (cell === nullValue.trim()) return true;
  const a = Number(cell);
  return cell.trim() !== '' && Number.isFinite(a) && a === Number(nullValue);
}

function readStream(xml: string, node: XmlNode, kind: 'BINARY' | 'BINARY2', fields: VoField[], bodies: Body[], tableIndex: number): Array<Array<string | null>> {
  const stream = node.STREAM;
  const body = stream === undefined ? null : bodyOf(stream, bodies);
  const where = `TABLE #${tableIndex + 1} (${kind})`;
  if (stream !== undefined && typeof stream === 'object' && attr(stream as XmlNode, 'href') !== undefined) {
    throw new VoTableError(`${where}: the STREAM points to an external file (href); only inline base64 streams are read`);
  }
  if (!body) return [];
  const encoding = /\bencoding\s*=\s*["']([^"']*)["']/.exec(body.openTag)?.[1];
  if (encoding !== 'base64') {
    throw errorAt(xml, body.start, `${where}: STREAM encoding "${encoding ?? '(none)'}" is not base64`);
  }
  try {
    return decodeBinaryRows(decodeBase64(xml.slice(body.start, body.end)), fields, kind === 'BINARY2');
  } catch (e) {
    if (e instanceof BinaryStreamError) throw errorAt(xml, body.start, `${where}: ${e.message}`);
    throw e;
  }
}

function readTable(xml: string, node: XmlNode, index: number, bodies: Body[]): VoTable {
  const fields = asArray(node.FIELD as XmlNode[] | undefined).map(fieldOf);
  if (fields.length === 0) throw new VoTableError(`TABLE #${index + 1} has no FIELD`);
  const byId = new Map<string, string>();
  for (const f of fields) if (f.id) byId.set(f.id, f.name);
  const params = paramsOf(node);
  for (const p of params) if (p.id) byId.set(p.id, p.name);
  const groups: VoTable['groups'] = [];
  collectGroups(node, byId, groups);
  const table: VoTable = { name: attr(node, 'name'), params, fields, rows: [], groups, serialization: 'none' };
  const data = node.DATA as XmlNode | undefined;
  if (!data || typeof data !== 'object') return table;
  if (data.FITS !== undefined) {
    throw new VoTableError(`TABLE #${index + 1}: FITS serialisation inside a VOTable is not read (save it as TABLEDATA or BINARY)`);
  }
  if (data.TABLEDATA !== undefined) {
    table.serialization = 'TABLEDATA';
    const body = bodyOf(data.TABLEDATA, bodies);
    if (body) table.rows = scanTableData(xml, body);
  } else if (data.BINARY !== undefined || data.BINARY2 !== undefined) {
    const kind = data.BINARY2 !== undefined ? 'BINARY2' : 'BINARY';
    table.serialization = kind;
    table.rows = readStream(xml, data[kind] as XmlNode, kind, fields, bodies, index);
  }
  table.rows.forEach((cells, r) => {
    if (cells.length > fields.length) {
      throw new VoTableError(`TABLE #${index + 1}, row ${r + 1}: ${cells.length} cells for ${fields.length} FIELDs`);
    }
    while (cells.length < fields.length) cells.push(null);
    if (table.serialization === 'TABLEDATA') {
      fields.forEach((f, j) => {
        const cell = cells[j];
        if (f.nullValue !== undefined && cell !== null && sameAsNull(cell, f.nullValue)) cells[j] = null;
      });
    }
  });
  return table;
}

const STATUS_RANK: Record<string, number> = { ERROR: 3, OVERFLOW: 2 };

/** Parse a VOTable document; throws `VoTableError` naming the line and column (or table and row) at fault. */
export function readVoTable(xml: string): VoDocument {
  if (/<!DOCTYPE/i.test(xml)) throw new VoTableError('DOCTYPE declarations are not accepted');
  checkEntities(xml);
  const { skeleton, bodies } = cutBodies(xml);
  const valid = XMLValidator.validate(skeleton);
  if (valid !== true) throw new VoTableError(`malformed XML: ${valid.err.msg}`, valid.err.line, valid.err.col);
  checkDepth(skeleton);
  let doc: XmlNode;
  try {
    doc = parser.parse(skeleton) as XmlNode;
  } catch (e) {
    throw new VoTableError(`malformed XML: ${(e as Error).message}`);
  }
  const root = doc.VOTABLE as XmlNode | undefined;
  if (!root || typeof root !== 'object') throw new VoTableError('not a VOTable: the root element is not VOTABLE');
  const params = paramsOf(root);
  const infos = infosOf(root);
  const tables: VoTable[] = [];
  const walk = (resource: XmlNode): void => {
    params.push(...paramsOf(resource));
    infos.push(...infosOf(resource));
    for (const t of asArray(resource.TABLE as XmlNode[] | undefined)) {
      tables.push(readTable(xml, t, tables.length, bodies));
      infos.push(...infosOf(t));
    }
    for (const r of asArray(resource.RESOURCE as XmlNode[] | undefined)) if (typeof r === 'object') walk(r);
  };
  for (const r of asArray(root.RESOURCE as XmlNode[] | undefined)) if (typeof r === 'object') walk(r);
  let queryStatus: VoDocument['queryStatus'] = null;
  for (const info of infos) {
    if (info.name !== 'QUERY_STATUS') continue;
    const value = info.value.toUpperCase();
    if (!queryStatus || (STATUS_RANK[value] ?? 1) > (STATUS_RANK[queryStatus.value] ?? 1)) queryStatus = { value, message: info.content };
  }
  // A TAP error document (DALI) carries its QUERY_STATUS=ERROR and no table; anything else needs one.
  if (tables.length === 0 && queryStatus?.value !== 'ERROR') throw new VoTableError('the VOTable holds no TABLE');
  return { params, infos, queryStatus, tables };
}
