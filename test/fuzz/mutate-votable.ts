/**
 * Mutations of VOTable documents for the fuzz suite: numeric character references out of range,
 * deep nesting, `VALUES null`, DOCTYPE and entity bombs, broken tags, comments and CDATA in
 * TABLEDATA, hostile cell values, duplicated rows, invalid UTF-8, truncation.
 */
import type { Rng } from './rng';

const ENTITIES = ['&#0;', '&#xFFFFFFFF;', '&#99999999999;', '&#x110000;', '&#xD800;', '&#-1;', '&#;', '&#x;', '&amp', '&unknown;', '&#1114111;', '&#65;', '&lt;&gt;'];
const CELLS = ['1e+308', '-1e+308', '-99999', '0x10', 'NaN', 'Infinity', '', ' ', '1e-400', '+-1', '٣', 'x'.repeat(100_000), '12:34:56.7', '-00:00:00.1', '99:99:99', '<', ']]>'];

function at(text: string, r: Rng): number {
  return r.int(text.length + 1);
}

/** A position just inside a random occurrence of `tag` (after its `>`), or -1. */
function inside(text: string, tag: string, r: Rng): number {
  const hits: number[] = [];
  const re = new RegExp(`<${tag}\\b[^>]*>`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && hits.length < 5000) hits.push(m.index + m[0].length);
  return hits.length ? r.pick(hits) : -1;
}

function insertAt(text: string, pos: number, what: string): string {
  return text.slice(0, pos) + what + text.slice(pos);
}

function entity(text: string, r: Rng): [string, string] {
  const e = r.pick(ENTITIES);
  const td = inside(text, 'TD', r);
  if (td >= 0 && r.chance(0.7)) return [insertAt(text, td, e), `entity ${e} in a TD`];
  const attr = text.indexOf('name="', r.int(Math.max(1, text.length)));
  if (attr >= 0) return [insertAt(text, attr + 6, e), `entity ${e} in an attribute`];
  return [insertAt(text, at(text, r), e), `entity ${e}`];
}

function nest(text: string, r: Rng): [string, string] {
  const depth = r.pick([200, 1000, 5000, 20000, 100000]);
  const tag = r.pick(['GROUP', 'RESOURCE', 'INFO', 'DESCRIPTION', 'X']);
  const pos = Math.max(0, inside(text, r.pick(['TABLE', 'RESOURCE', 'VOTABLE']), r));
  const closed = r.chance(0.7);
  const open = `<${tag}>`.repeat(depth);
  return [insertAt(text, pos, open + (closed ? `</${tag}>`.repeat(depth) : '')), `nesting ${depth} × ${tag}${closed ? '' : ' unclosed'}`];
}

function valuesNull(text: string, r: Rng): [string, string] {
  const field = inside(text, 'FIELD', r);
  const value = r.pick(['-99999', 'NaN', '', '&#0;', '" broken', 'x'.repeat(1000)]);
  if (field < 0) return flip(text, r);
  return [insertAt(text, field, `<VALUES null="${value}"/>`), `VALUES null="${value.slice(0, 20)}"`];
}

function doctype(text: string, r: Rng): [string, string] {
  const bomb = '<!DOCTYPE VOTABLE [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>';
  const pos = text.indexOf('<VOTABLE');
  const doc = r.chance(0.5) ? bomb : '<!DOCTYPE VOTABLE SYSTEM "http://example.invalid/x.dtd">';
  return [insertAt(text, pos < 0 ? 0 : pos, doc), 'DOCTYPE'];
}

function breakTags(text: string, r: Rng): [string, string] {
  const op = r.int(5);
  const pos = at(text, r);
  if (op === 0) {
    const i = text.indexOf('>', pos);
    return i < 0 ? flip(text, r) : [text.slice(0, i) + text.slice(i + 1), 'drop a >'];
  }
  if (op === 1) {
    const i = text.indexOf('<', pos);
    return i < 0 ? flip(text, r) : [text.slice(0, i) + text.slice(i + 1), 'drop a <'];
  }
  if (op === 2) {
    const tr = inside(text, 'TR', r);
    return tr < 0 ? flip(text, r) : [insertAt(text, tr, '</TR>'), 'extra </TR>'];
  }
  if (op === 3) {
    const td = inside(text, 'TD', r);
    return td < 0 ? flip(text, r) : [insertAt(text, td, '<TD>'), 'unclosed <TD>'];
  }
  const i = text.indexOf('</TABLEDATA>');
  return i < 0 ? flip(text, r) : [text.slice(0, i) + text.slice(i + 12), 'TABLEDATA not closed'];
}

function attributes(text: string, r: Rng): [string, string] {
  const field = text.indexOf('<FIELD ', at(text, r));
  if (field < 0) return flip(text, r);
  const extra = r.pick([` name="${'n'.repeat(200_000)}"`, ' name="a" name="b"', ' datatype=double', ' arraysize="*" ', ` ucd="${'&#0;'}"`, ' xmlns:x="y" x:name="z"']);
  return [insertAt(text, field + 7, extra + ' '), `FIELD attribute ${extra.slice(0, 24)}`];
}

function commentsAndCdata(text: string, r: Rng): [string, string] {
  const td = inside(text, r.pick(['TD', 'TABLEDATA', 'TR']), r);
  if (td < 0) return flip(text, r);
  const what = r.pick(['<!-- c -->', '<!-- unterminated', '<![CDATA[1.5]]>', '<![CDATA[<TD>]]>', '<?pi x?>', '<!---->']);
  return [insertAt(text, td, what), `insert ${what}`];
}

function cells(text: string, r: Rng): [string, string] {
  let n = 0;
  const value = r.pick(CELLS);
  const out = text.replace(/<TD>([^<]*)<\/TD>/g, (whole) => (r.chance(0.05) && n++ < 200 ? `<TD>${value}</TD>` : whole));
  return [out, `${n} cells set to ${JSON.stringify(value.slice(0, 16))}`];
}

function rows(text: string, r: Rng): [string, string] {
  const m = /<TR\b[^>]*>[\s\S]*?<\/TR>/.exec(text.slice(at(text, r))) ?? /<TR\b[^>]*>[\s\S]*?<\/TR>/.exec(text);
  if (!m) return flip(text, r);
  const i = text.indexOf(m[0]);
  if (r.chance(0.5)) {
    const copies = r.pick([2, 100, 5000]);
    return [insertAt(text, i, m[0].repeat(copies)), `row repeated ${copies} times`];
  }
  return [insertAt(text, i + m[0].length - 5, '<TD>extra</TD>'.repeat(r.pick([1, 50]))), 'row with extra cells'];
}

function flip(text: string, r: Rng): [string, string] {
  const chars = text.split('');
  const n = r.range(1, 16);
  for (let i = 0; i < n && chars.length > 0; i++) chars[r.int(chars.length)] = String.fromCharCode(r.int(256));
  return [chars.join(''), `flip ${n} characters`];
}

function encoding(text: string, r: Rng): [string, string] {
  const what = r.pick(['\uFEFF', '\uFFFD', '\u0000', '\uD800', '\u2028', '\x1b[31m']);
  return [insertAt(text, at(text, r), what), `insert U+${what.codePointAt(0)?.toString(16)}`];
}

/** Apply one random mutation (or two or three) to a VOTable document. */
export function mutateVoTable(base: string, r: Rng): { text: string; what: string } {
  let text = base;
  const steps = r.chance(0.2) ? r.range(2, 3) : 1;
  const what: string[] = [];
  for (let s = 0; s < steps; s++) {
    const op = r.pick([entity, entity, nest, valuesNull, doctype, breakTags, breakTags, attributes, commentsAndCdata, cells, cells, rows, flip, encoding, 'truncate'] as const);
    if (op === 'truncate') {
      const cut = r.int(text.length);
      text = text.slice(0, cut);
      what.push(`truncate to ${cut} characters`);
      continue;
    }
    const [next, description] = op(text, r);
    text = next;
    what.push(description);
  }
  return { text, what: what.join(' + ') };
}
