/**
 * XML-RPC decoder for SAMP. Untyped <value>text</value> is a string (JSAMP writes those),
 * <int>/<i4>/<double>/<boolean> are accepted leniently as their text, <nil/> is "". Any DOCTYPE
 * or entity declaration is refused, values are never trimmed, maps have a null prototype, and
 * every string is checked against SAMP's 7-bit character set (or, for a client's callbacks,
 * reported instead, so the message can be answered with a SAMP error rather than a fault).
 *
 * The XML is read by the small tokenizer below rather than a general XML library: XML-RPC uses a
 * handful of elements and no namespaces or DTDs, and fast-xml-parser took 2.7 s on a 6 MB string
 * value and a third of the hub's CPU on small messages (see docs/samp.md).
 */
import { MAX_DEPTH } from './xmlrpc-encode';
import { SampFault, badSampCharIndex, newMap, type SampValue } from './values';

/** A decoded `<methodCall>`. */
export interface DecodedCall {
  method: string;
  params: SampValue[];
  /**
   * The first string that breaks SAMP's character rules, described, when decoded with
   * `{ strictStrings: false }`; null otherwise.
   */
  badString: string | null;
}

/** A decoded `<methodResponse>`: a value, or a fault from the peer. */
export type DecodedResponse = { ok: true; value: SampValue } | { ok: false; fault: SampFault };

export interface DecodeOptions {
  /** Throw on a non-SAMP character (default), or accept it and report it in `badString`. */
  strictStrings?: boolean;
}

/** An element of the document: its name and its children (elements, or text already unescaped). */
interface El {
  name: string;
  kids: Array<El | string>;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decode XML's five predefined entities and numeric character references; others are errors. */
function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+)?(;?)/g, (whole, ref: string | undefined, semi: string) => {
    if (!ref || !semi) throw new SampFault('XML-RPC: bare "&" in text');
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

const NAME_RE = /[A-Za-z_:][\w.:-]*/y;
const WS_RE = /^[ \t\r\n]*$/;

/**
 * Read the element tree of `xml`. Comments, processing instructions and the XML declaration are
 * skipped, CDATA is text, attributes are read (quoted values may hold '>') and ignored.
 * Returns the root element, or null when the document has none.
 */
function parseDocument(xml: string): El | null {
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: El[] = [];
  let root: El | null = null;
  const text = (t: string): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      if (!WS_RE.test(t)) throw new SampFault('XML-RPC: expected one <methodCall> or <methodResponse> document, found text outside it');
      return;
    }
    top.kids.push(t);
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) {
      text(unescapeXml(xml.slice(i)));
      break;
    }
    if (lt > i) text(unescapeXml(xml.slice(i, lt)));
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end < 0) throw new SampFault('XML-RPC: malformed XML (comment not closed)');
        i = end + 3;
        continue;
      }
      if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end < 0) throw new SampFault('XML-RPC: malformed XML (CDATA not closed)');
        if (!stack.length) throw new SampFault('XML-RPC: CDATA outside the document element');
        stack[stack.length - 1].kids.push(xml.slice(lt + 9, end));
        i = end + 3;
        continue;
      }
      if (/^<!DOCTYPE/i.test(xml.slice(lt, lt + 9))) throw new SampFault('XML-RPC: a DOCTYPE is not allowed');
      if (/^<!ENTITY/i.test(xml.slice(lt, lt + 8))) throw new SampFault('XML-RPC: entity declarations are not allowed');
      throw new SampFault('XML-RPC: malformed XML (unexpected "<!")');
    }
    if (next === 0x3f /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) throw new SampFault('XML-RPC: malformed XML (processing instruction not closed)');
      i = end + 2;
      continue;
    }
    if (next === 0x2f /* / */) {
      const gt = xml.indexOf('>', lt + 2);
      if (gt < 0) throw new SampFault('XML-RPC: malformed XML (end tag not closed)');
      const name = xml.slice(lt + 2, gt).trimEnd();
      const open = stack.pop();
      if (!open || open.name !== name) throw new SampFault(`XML-RPC: malformed XML (unexpected </${name}>)`);
      i = gt + 1;
      continue;
    }
    NAME_RE.lastIndex = lt + 1;
    const m = NAME_RE.exec(xml);
    if (!m) throw new SampFault('XML-RPC: malformed XML (stray "<")');
    let j = lt + 1 + m[0].length;
    // Attributes: skip to the closing '>' outside quotes.
    let quote = 0;
    for (; j < xml.length; j++) {
      const c = xml.charCodeAt(j);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3e /* > */ || c === 0x3c /* < */) break;
    }
    if (j >= xml.length || xml.charCodeAt(j) !== 0x3e) throw new SampFault(`XML-RPC: malformed XML (<${m[0]}> not closed)`);
    const isEmpty = xml.charCodeAt(j - 1) === 0x2f;
    const el: El = { name: m[0], kids: [] };
    if (stack.length) stack[stack.length - 1].kids.push(el);
    else if (root) throw new SampFault('XML-RPC: more than one document element');
    else root = el;
    if (!isEmpty) stack.push(el);
    i = j + 1;
  }
  if (stack.length) throw new SampFault(`XML-RPC: malformed XML (<${stack[stack.length - 1].name}> not closed)`);
  return root;
}

/** Element children of `el`, skipping whitespace text; other text is an error. */
function elements(el: El): El[] {
  const out: El[] = [];
  for (const k of el.kids) {
    if (typeof k === 'string') {
      if (!WS_RE.test(k)) throw new SampFault(`XML-RPC: unexpected text in <${el.name}>`);
    } else out.push(k);
  }
  return out;
}

/** The text of `el`; elements inside are an error. */
function textOf(el: El): string {
  if (el.kids.length === 1 && typeof el.kids[0] === 'string') return el.kids[0];
  let s = '';
  for (const k of el.kids) {
    if (typeof k !== 'string') throw new SampFault(`XML-RPC: unexpected <${k.name}> inside <${el.name}>`);
    s += k;
  }
  return s;
}

function only(el: El, name: string): El {
  const els = elements(el);
  if (els.length !== 1 || els[0].name !== name) throw new SampFault(`XML-RPC: <${el.name}> must hold one <${name}>`);
  return els[0];
}

/** Turns the element tree into SAMP values, checking (or recording) every string. */
class ValueReader {
  badString: string | null = null;
  constructor(private readonly strict: boolean) {}

  check(text: string, where: string): string {
    if (this.badString !== null && !this.strict) return text;
    const i = badSampCharIndex(text);
    if (i >= 0) {
      const hex = text.charCodeAt(i).toString(16).padStart(2, '0');
      const problem = `Bad SAMP string in ${where}: character 0x${hex} at index ${i} (SAMP strings are 7-bit ASCII)`;
      if (this.strict) throw new SampFault(problem);
      this.badString = problem;
    }
    return text;
  }

  value(v: El, depth: number): SampValue {
    if (depth > MAX_DEPTH) throw new SampFault(`XML-RPC: value nested deeper than ${MAX_DEPTH}`);
    if (v.kids.every((k) => typeof k === 'string')) return this.check(textOf(v), 'XML-RPC value');
    const els = elements(v);
    if (els.length > 1) throw new SampFault('XML-RPC: <value> holds more than one element');
    const inner = els[0];
    switch (inner.name) {
      case 'string':
      case 'int':
      case 'i4':
      case 'i8':
      case 'double':
      case 'boolean':
        return this.check(textOf(inner), `XML-RPC <${inner.name}>`);
      case 'nil':
        return '';
      case 'array':
        return elements(only(inner, 'data')).map((n) => {
          if (n.name !== 'value') throw new SampFault('XML-RPC: <data> may only hold <value>');
          return this.value(n, depth + 1);
        });
      case 'struct': {
        const map = newMap();
        for (const member of elements(inner)) {
          if (member.name !== 'member') throw new SampFault('XML-RPC: <struct> may only hold <member>');
          let name: string | undefined;
          let value: SampValue | undefined;
          for (const part of elements(member)) {
            if (part.name === 'name') name = textOf(part);
            else if (part.name === 'value') value = this.value(part, depth + 1);
            else throw new SampFault(`XML-RPC: unexpected <${part.name}> in <member>`);
          }
          if (name === undefined || value === undefined) throw new SampFault('XML-RPC: <member> needs <name> and <value>');
          map[this.check(name, 'XML-RPC member name')] = value;
        }
        return map;
      }
      case 'base64':
      case 'dateTime.iso8601':
        throw new SampFault(`XML-RPC: <${inner.name}> is not a SAMP type`);
      default:
        throw new SampFault(`XML-RPC: unknown element <${inner.name}>`);
    }
  }

  params(el: El | undefined): SampValue[] {
    if (!el) return [];
    return elements(el).map((p) => {
      if (p.name !== 'param') throw new SampFault('XML-RPC: <params> may only hold <param>');
      return this.value(only(p, 'value'), 0);
    });
  }
}

/** Decode a `<methodCall>` document or throw a `SampFault` saying what is wrong. */
export function decodeCall(xml: string, opts: DecodeOptions = {}): DecodedCall {
  const root = parseDocument(xml);
  if (!root || root.name !== 'methodCall') throw new SampFault('XML-RPC: expected one <methodCall>');
  const reader = new ValueReader(opts.strictStrings ?? true);
  let method: string | undefined;
  let params: SampValue[] = [];
  for (const n of elements(root)) {
    if (n.name === 'methodName') method = textOf(n).trim();
    else if (n.name === 'params') params = reader.params(n);
    else throw new SampFault(`XML-RPC: unexpected <${n.name}> in <methodCall>`);
  }
  if (!method) throw new SampFault('XML-RPC: <methodName> missing');
  const i = badSampCharIndex(method);
  if (i >= 0) throw new SampFault(`Bad SAMP string in method name: character 0x${method.charCodeAt(i).toString(16).padStart(2, '0')} at index ${i}`);
  return { method, params, badString: reader.badString };
}

/**
 * Decode a `<methodResponse>`; a fault comes back as `{ ok: false }`, malformed XML throws.
 * Strings are read leniently (astropy's hub passes non-ASCII metadata on): an answer is shown or
 * passed on, and whatever we send on is checked again by the encoder.
 */
export function decodeResponse(xml: string): DecodedResponse {
  const root = parseDocument(xml);
  if (!root || root.name !== 'methodResponse') throw new SampFault('XML-RPC: expected one <methodResponse>');
  const els = elements(root);
  if (els.length !== 1) throw new SampFault('XML-RPC: <methodResponse> must hold <params> or <fault>');
  const reader = new ValueReader(false);
  if (els[0].name === 'params') {
    const params = reader.params(els[0]);
    // SAMP void: some peers send <params/> with no value at all.
    return { ok: true, value: params[0] ?? '' };
  }
  if (els[0].name === 'fault') {
    let fault: SampValue;
    try {
      fault = new ValueReader(false).value(only(els[0], 'value'), 0);
    } catch {
      return { ok: false, fault: new SampFault('unreadable fault from peer') };
    }
    const f = fault as Record<string, SampValue>;
    const text = typeof f.faultString === 'string' ? f.faultString : 'fault without faultString';
    const code = Number(f.faultCode);
    return { ok: false, fault: new SampFault(text, Number.isFinite(code) ? code : 0) };
  }
  throw new SampFault(`XML-RPC: unexpected <${els[0].name}> in <methodResponse>`);
}
