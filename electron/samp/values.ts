/**
 * SAMP's data model: strings, lists and maps only. Numbers and booleans travel as strings, and
 * strings are restricted to 0x09, 0x0a, 0x0d and 0x20–0x7f (JSAMP rejects anything else, so ASPRO2
 * would too). Everything that crosses the wire is checked here.
 */

/** A SAMP value: the only three types the protocol knows. */
export type SampValue = string | SampValue[] | SampMap;
/** A SAMP map (keys are strings). Built with a null prototype so `__proto__` keys stay data. */
export interface SampMap {
  [key: string]: SampValue;
}

/** A SAMP message: an mtype and its params. Hubs may add keys, which receivers ignore. */
export interface SampMessage {
  'samp.mtype': string;
  'samp.params': SampMap;
  [extra: string]: SampValue;
}

/** A SAMP response map (`samp.status` ok / warning / error). */
export interface SampResponse {
  'samp.status': string;
  'samp.result'?: SampMap;
  'samp.error'?: SampMap;
  [extra: string]: SampValue | undefined;
}

/** Error codes of XML-RPC faults we send; the number itself carries no meaning in SAMP. */
export const FAULT_CODE = 1;

/** A failure reported by a peer as an XML-RPC fault, or one we report as such. */
export class SampFault extends Error {
  constructor(
    message: string,
    readonly faultCode = FAULT_CODE,
  ) {
    super(message);
    this.name = 'SampFault';
  }
}

/** The first character not allowed in a SAMP string, or -1. */
export function badSampCharIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c <= 0x7f)) continue;
    return i;
  }
  return -1;
}

/** Throw a `SampFault` naming `where` when `text` holds a character SAMP forbids. */
export function checkSampString(text: string, where: string): void {
  const i = badSampCharIndex(text);
  if (i >= 0) {
    const hex = text.charCodeAt(i).toString(16).padStart(2, '0');
    throw new SampFault(`Bad SAMP string in ${where}: character 0x${hex} at index ${i} (SAMP strings are 7-bit ASCII)`);
  }
}

/** A fresh map with no prototype, so keys like `__proto__` or `constructor` are plain data. */
export function newMap(): SampMap {
  return Object.create(null) as SampMap;
}

/** True when `v` is a SAMP map (not a list, not a string). */
export function isMap(v: unknown): v is SampMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Read a required string argument or throw a fault naming the method and position. */
export function stringArg(args: SampValue[], index: number, where: string): string {
  const v = args[index];
  if (typeof v !== 'string') throw new SampFault(`${where}: argument ${index + 1} must be a string`);
  return v;
}

/** Read a required map argument or throw a fault naming the method and position. */
export function mapArg(args: SampValue[], index: number, where: string): SampMap {
  const v = args[index];
  if (!isMap(v)) throw new SampFault(`${where}: argument ${index + 1} must be a map`);
  return v;
}

/** Check that `v` is a well-formed message and return it typed. */
export function asMessage(v: SampValue | undefined, where: string): SampMessage {
  if (!isMap(v)) throw new SampFault(`${where}: the message must be a map`);
  const mtype = v['samp.mtype'];
  if (typeof mtype !== 'string' || !MTYPE_RE.test(mtype)) {
    throw new SampFault(`${where}: samp.mtype missing or not a valid MType`);
  }
  const params = v['samp.params'];
  if (params === undefined) v['samp.params'] = newMap();
  else if (!isMap(params)) throw new SampFault(`${where}: samp.params must be a map`);
  return v as SampMessage;
}

/** Syntax of an MType (SAMP 1.3 §3.8). */
export const MTYPE_RE = /^[0-9a-zA-Z_-]+(\.[0-9a-zA-Z_-]+)*$/;

/** Build a message map. */
export function message(mtype: string, params: SampMap = newMap()): SampMessage {
  return { 'samp.mtype': mtype, 'samp.params': params };
}

/** An ok response carrying `result`. */
export function okResponse(result: SampMap = newMap()): SampResponse {
  return { 'samp.status': 'samp.ok', 'samp.result': result };
}

/** An error response whose text says what went wrong. */
export function errorResponse(text: string): SampResponse {
  return { 'samp.status': 'samp.error', 'samp.error': { 'samp.errortxt': toSampText(text) } };
}

/** Replace characters SAMP forbids with '?', for free text (error messages, file names). */
export function toSampText(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out += c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c <= 0x7f && ch.length === 1) ? ch : '?';
  }
  return out;
}
