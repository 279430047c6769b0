/**
 * XML-RPC decoder for SAMP, on fast-xml-parser. Untyped <value>text</value> is a string (JSAMP
 * writes those), <int>/<i4>/<double>/<boolean> are accepted leniently as their text, <nil/> is "".
 * Any DOCTYPE is refused before parsing (entity expansion), values are never trimmed, and every
 * string is checked against SAMP's 7-bit character set.
 */
import { XMLParser } from 'fast-xml-parser';
import { MAX_DEPTH } from './xmlrpc-encode';
import { SampFault, checkSampString, newMap, type SampValue } from './values';

/** A decoded `<methodCall>`. */
export interface DecodedCall {
  method: string;
  params: SampValue[];
}

/** A decoded `<methodResponse>`: a value, or a fault from the peer. */
export type DecodedResponse = { ok: true; value: SampValue } | { ok: false; fault: SampFault };

type Node = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  // Entities are decoded by `unescapeXml` below: the library's entity pass costs ~10× the parse.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: '#comment',
});

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decode XML's five predefined entities and numeric character references; others are errors. */
function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new SampFault('XML-RPC: bare "&" in text');
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff) throw new SampFault(`XML-RPC: bad character reference ${whole}`);
      return String.fromCodePoint(code);
    }
    const ch = PREDEFINED[ref];
    if (ch === undefined) throw new SampFault(`XML-RPC: unknown entity ${whole}`);
    return ch;
  });
}

function tagOf(node: Node): string {
  for (const k of Object.keys(node)) if (k !== ':@') return k;
  return '';
}

/** Element children of `nodes`, skipping whitespace text and comments; other text is an error. */
function elements(nodes: Node[], where: string): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag === '#comment') continue;
    if (tag === '#text') {
      if (String(n['#text']).trim() !== '') throw new SampFault(`XML-RPC: unexpected text in <${where}>`);
      continue;
    }
    out.push(n);
  }
  return out;
}

/** Concatenated text (and CDATA) of `nodes`; elements inside are an error. */
function textOf(nodes: Node[], where: string): string {
  let s = '';
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag === '#text') s += unescapeXml(String(n['#text']));
    else if (tag === '#cdata') s += textOf(n['#cdata'] as Node[], where);
    else if (tag !== '#comment') throw new SampFault(`XML-RPC: unexpected <${tag}> inside <${where}>`);
  }
  return s;
}

function only(nodes: Node[], tag: string, where: string): Node[] {
  const els = elements(nodes, where);
  if (els.length !== 1 || tagOf(els[0]) !== tag) throw new SampFault(`XML-RPC: <${where}> must hold one <${tag}>`);
  return els[0][tag] as Node[];
}

function decodeValue(children: Node[], depth: number): SampValue {
  if (depth > MAX_DEPTH) throw new SampFault(`XML-RPC: value nested deeper than ${MAX_DEPTH}`);
  const hasElement = children.some((n) => !['#text', '#cdata', '#comment'].includes(tagOf(n)));
  if (!hasElement) {
    const text = textOf(children, 'value');
    checkSampString(text, 'XML-RPC value');
    return text;
  }
  const els = elements(children, 'value');
  if (els.length > 1) throw new SampFault('XML-RPC: <value> holds more than one element');
  const tag = tagOf(els[0]);
  const inner = els[0][tag] as Node[];
  switch (tag) {
    case 'string':
    case 'int':
    case 'i4':
    case 'i8':
    case 'double':
    case 'boolean': {
      const text = textOf(inner, tag);
      checkSampString(text, `XML-RPC <${tag}>`);
      return text;
    }
    case 'nil':
      return '';
    case 'array': {
      const data = only(inner, 'data', 'array');
      return elements(data, 'data').map((n) => {
        if (tagOf(n) !== 'value') throw new SampFault('XML-RPC: <data> may only hold <value>');
        return decodeValue(n['value'] as Node[], depth + 1);
      });
    }
    case 'struct': {
      const map = newMap();
      for (const member of elements(inner, 'struct')) {
        if (tagOf(member) !== 'member') throw new SampFault('XML-RPC: <struct> may only hold <member>');
        let name: string | undefined;
        let value: SampValue | undefined;
        for (const part of elements(member['member'] as Node[], 'member')) {
          const t = tagOf(part);
          if (t === 'name') name = textOf(part['name'] as Node[], 'name');
          else if (t === 'value') value = decodeValue(part['value'] as Node[], depth + 1);
          else throw new SampFault(`XML-RPC: unexpected <${t}> in <member>`);
        }
        if (name === undefined || value === undefined) throw new SampFault('XML-RPC: <member> needs <name> and <value>');
        checkSampString(name, 'XML-RPC member name');
        map[name] = value;
      }
      return map;
    }
    case 'base64':
    case 'dateTime.iso8601':
      throw new SampFault(`XML-RPC: <${tag}> is not a SAMP type`);
    default:
      throw new SampFault(`XML-RPC: unknown element <${tag}>`);
  }
}

/**
 * Well-formedness of the element structure: fast-xml-parser silently closes unclosed tags, and its
 * own validator costs more than the parse, so tags are matched here in one regex pass.
 */
function checkTagBalance(xml: string): void {
  const body = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g, '');
  const stack: string[] = [];
  const tagRe = /<(\/?)([A-Za-z_][\w.:-]*)(\s[^<>]*?)?(\/?)>|</g;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(body))) {
    if (m[2] === undefined) throw new SampFault('XML-RPC: malformed XML (stray "<")');
    if (m[1]) {
      if (stack.pop() !== m[2]) throw new SampFault(`XML-RPC: malformed XML (unexpected </${m[2]}>)`);
    } else if (!m[4]) stack.push(m[2]);
  }
  if (stack.length) throw new SampFault(`XML-RPC: malformed XML (<${stack[stack.length - 1]}> not closed)`);
}

function parseDocument(xml: string): Node[] {
  if (/<!DOCTYPE/i.test(xml)) throw new SampFault('XML-RPC: a DOCTYPE is not allowed');
  if (/<!ENTITY/i.test(xml)) throw new SampFault('XML-RPC: entity declarations are not allowed');
  checkTagBalance(xml);
  let doc: Node[];
  try {
    doc = parser.parse(xml) as Node[];
  } catch (e) {
    throw new SampFault(`XML-RPC: malformed XML (${(e as Error).message.split('\n')[0]})`);
  }
  return elements(doc, 'document');
}

function decodeParams(nodes: Node[] | undefined): SampValue[] {
  if (!nodes) return [];
  return elements(nodes, 'params').map((p) => {
    if (tagOf(p) !== 'param') throw new SampFault('XML-RPC: <params> may only hold <param>');
    return decodeValue(only(p['param'] as Node[], 'value', 'param'), 0);
  });
}

/** Decode a `<methodCall>` document or throw a `SampFault` saying what is wrong. */
export function decodeCall(xml: string): DecodedCall {
  const root = parseDocument(xml);
  if (root.length !== 1 || tagOf(root[0]) !== 'methodCall') throw new SampFault('XML-RPC: expected one <methodCall>');
  let method: string | undefined;
  let params: SampValue[] = [];
  for (const n of elements(root[0]['methodCall'] as Node[], 'methodCall')) {
    const t = tagOf(n);
    if (t === 'methodName') method = textOf(n['methodName'] as Node[], 'methodName').trim();
    else if (t === 'params') params = decodeParams(n['params'] as Node[]);
    else throw new SampFault(`XML-RPC: unexpected <${t}> in <methodCall>`);
  }
  if (!method) throw new SampFault('XML-RPC: <methodName> missing');
  checkSampString(method, 'method name');
  return { method, params };
}

/** Decode a `<methodResponse>`; a fault comes back as `{ ok: false }`, malformed XML throws. */
export function decodeResponse(xml: string): DecodedResponse {
  const root = parseDocument(xml);
  if (root.length !== 1 || tagOf(root[0]) !== 'methodResponse') throw new SampFault('XML-RPC: expected one <methodResponse>');
  const els = elements(root[0]['methodResponse'] as Node[], 'methodResponse');
  if (els.length !== 1) throw new SampFault('XML-RPC: <methodResponse> must hold <params> or <fault>');
  const tag = tagOf(els[0]);
  if (tag === 'params') {
    const params = decodeParams(els[0]['params'] as Node[]);
    // SAMP void: some peers send <params/> with no value at all.
    return { ok: true, value: params[0] ?? '' };
  }
  if (tag === 'fault') {
    let fault: SampValue;
    try {
      fault = decodeValue(only(els[0]['fault'] as Node[], 'value', 'fault'), 0);
    } catch {
      return { ok: false, fault: new SampFault('unreadable fault from peer') };
    }
    const f = fault as Record<string, SampValue>;
    const text = typeof f.faultString === 'string' ? f.faultString : 'fault without faultString';
    const code = Number(f.faultCode);
    return { ok: false, fault: new SampFault(text, Number.isFinite(code) ? code : 0) };
  }
  throw new SampFault(`XML-RPC: unexpected <${tag}> in <methodResponse>`);
}
