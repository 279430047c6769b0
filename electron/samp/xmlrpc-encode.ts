/**
 * XML-RPC encoder restricted to SAMP's types. A generic XML-RPC library would write numbers and
 * booleans as <int>/<boolean>, which JSAMP (hence ASPRO2) rejects; here anything that is not a
 * string, list or map is a programming error and throws.
 */
import { SampFault, checkSampString, type SampValue } from './values';

const XML_DECL = '<?xml version="1.0" encoding="US-ASCII"?>\n';

/** Escape a checked SAMP string; CR becomes a character reference so XML parsers keep it. */
function escapeText(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

function encodeValue(v: SampValue, where: string, out: string[], depth: number): void {
  if (depth > MAX_DEPTH) throw new SampFault(`${where}: value nested deeper than ${MAX_DEPTH}`);
  if (typeof v === 'string') {
    checkSampString(v, where);
    out.push('<value><string>', escapeText(v), '</string></value>');
  } else if (Array.isArray(v)) {
    out.push('<value><array><data>');
    for (const item of v) encodeValue(item, where, out, depth + 1);
    out.push('</data></array></value>');
  } else if (typeof v === 'object' && v !== null) {
    out.push('<value><struct>');
    for (const key of Object.keys(v)) {
      const item = v[key];
      if (item === undefined) continue;
      checkSampString(key, `${where} (map key)`);
      out.push('<member><name>', escapeText(key), '</name>');
      encodeValue(item, `${where}.${key}`, out, depth + 1);
      out.push('</member>');
    }
    out.push('</struct></value>');
  } else {
    throw new SampFault(`${where}: ${typeof v} is not a SAMP type (only string, list and map)`);
  }
}

/** Deepest nesting accepted in either direction; SAMP messages are shallow. */
export const MAX_DEPTH = 64;

/** `<methodCall>` for `method` with `params`. */
export function encodeCall(method: string, params: SampValue[]): string {
  checkSampString(method, 'method name');
  const out = [XML_DECL, '<methodCall><methodName>', escapeText(method), '</methodName><params>'];
  params.forEach((p, i) => {
    out.push('<param>');
    encodeValue(p, `${method} argument ${i + 1}`, out, 0);
    out.push('</param>');
  });
  out.push('</params></methodCall>\n');
  return out.join('');
}

/** `<methodResponse>` carrying one value (SAMP's void is the empty string). */
export function encodeResponse(value: SampValue): string {
  const out = [XML_DECL, '<methodResponse><params><param>'];
  encodeValue(value, 'response', out, 0);
  out.push('</param></params></methodResponse>\n');
  return out.join('');
}

/** `<methodResponse>` carrying a fault; faultCode is XML-RPC's mandatory <int>. */
export function encodeFault(message: string, code: number): string {
  const text = escapeText(message.replace(/[^\t\n\r\x20-\x7f]/g, '?'));
  return (
    XML_DECL +
    '<methodResponse><fault><value><struct>' +
    `<member><name>faultCode</name><value><int>${Math.trunc(code)}</int></value></member>` +
    `<member><name>faultString</name><value><string>${text}</string></value></member>` +
    '</struct></value></fault></methodResponse>\n'
  );
}
