import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCall, decodeResponse } from '../../../electron/samp/xmlrpc-decode';
import { encodeCall, encodeFault, encodeResponse } from '../../../electron/samp/xmlrpc-encode';
import { SampFault, type SampValue } from '../../../electron/samp/values';

describe('SAMP XML-RPC codec', () => {
  it('round-trips strings, lists and maps with escaping, CR and significant spaces', () => {
    const params: SampValue[] = ['  padded  ', 'a & b < c > d', 'line1\r\nline2\ttab', '', ['x', ['y']], { 'samp.mtype': 'm', 'samp.params': { url: 'file:///t.vot' } }];
    const decoded = decodeCall(encodeCall('samp.hub.notify', params));
    expect(decoded.method).toBe('samp.hub.notify');
    expect(decoded.params).toEqual(params);
  });

  it('writes only <string>, <array> and <struct> (JSAMP rejects <int> and <boolean>)', () => {
    const xml = encodeCall('m', ['1', { a: '0' }, ['2']]);
    expect(xml).not.toMatch(/<(int|i4|double|boolean|nil)/);
    expect(() => encodeCall('m', [1 as unknown as SampValue])).toThrow(/number is not a SAMP type/);
    expect(() => encodeCall('m', [{ a: true } as unknown as SampValue])).toThrow(/boolean is not a SAMP type/);
    expect(() => encodeCall('m', [null as unknown as SampValue])).toThrow(SampFault);
  });

  it('refuses non-ASCII strings on both sides, naming the character', () => {
    expect(() => encodeCall('m', ['V\u00e9ga'])).toThrow(/0xe9/);
    const raw = '<?xml version="1.0"?><methodCall><methodName>m</methodName><params><param><value>V\u00e9ga</value></param></params></methodCall>';
    expect(() => decodeCall(raw)).toThrow(/0xe9/);
    expect(() => decodeCall(raw.replace('V\u00e9ga', 'x&#233;'))).toThrow(/0xe9/);
  });

  it('on request, accepts a non-ASCII string and reports it, so a callback can answer with a SAMP error', () => {
    const raw = '<?xml version="1.0"?><methodCall><methodName>samp.client.receiveCall</methodName><params><param><value>k</value></param><param><value><struct><member><name>name</name><value>V\u00e9ga</value></member></struct></value></param></params></methodCall>';
    const decoded = decodeCall(raw, { strictStrings: false });
    expect(decoded.params[1]).toEqual({ name: 'V\u00e9ga' });
    expect(decoded.badString).toMatch(/character 0xe9 at index 1/);
    expect(decodeCall(raw.replace('V\u00e9ga', 'Vega'), { strictStrings: false }).badString).toBeNull();
  });

  it('skips comments, processing instructions and attributes (with ">" inside quotes) anywhere XML allows them', () => {
    const xml = '\ufeff<?xml version="1.0"?><!-- a --><methodCall a="x>y"><?pi data?><methodName>m</methodName><!-- b --><params><param><value>v<!-- c -->w</value></param></params></methodCall><!-- end -->\n';
    expect(decodeCall(xml)).toEqual({ method: 'm', params: ['vw'], badString: null });
    expect(() => decodeCall('<methodCall><methodName>m</methodName></methodCall><methodCall/>')).toThrow(/more than one/);
    expect(() => decodeCall('<methodCall><methodName>m</methodName></methodCall> trailing')).toThrow(/outside/);
    expect(() => decodeCall('<methodCall><methodName>a & b</methodName></methodCall>')).toThrow(/bare "&"/);
  });

  it('decodes a 6 MB string value intact', () => {
    const big = 'x'.repeat(6 * 1024 * 1024 - 3) + '&<>';
    const { params } = decodeCall(encodeCall('samp.hub.notifyAll', ['k', { 'samp.mtype': 'test.big', 'samp.params': { data: big } }]));
    expect(((params[1] as Record<string, Record<string, string>>)['samp.params']).data).toBe(big);
  });

  it('decodes what JSAMP and node-xmlrpc write: untyped values, CDATA, lenient scalars, character references', () => {
    const xml = `<?xml version='1.0' encoding='UTF-8'?>
<methodCall>
  <methodName>samp.hub.register</methodName>
  <params>
    <param>
      <value>  secret  </value>
    </param>
    <param><value><string><![CDATA[a<b]]]]><![CDATA[>c]]></string></value></param>
    <param><value><int>5</int></value></param>
    <param><value><boolean>1</boolean></value></param>
    <param><value/></param>
    <param><value>x&#13;y&#xA;z</value></param>
    <param><value><struct><member><name>__proto__</name><value>p</value></member></struct></value></param>
  </params>
</methodCall>`;
    const { params } = decodeCall(xml);
    expect(params.slice(0, 6)).toEqual(['  secret  ', 'a<b]]>c', '5', '1', '', 'x\ry\nz']);
    const map = params[6] as Record<string, SampValue>;
    expect(Object.keys(map)).toEqual(['__proto__']);
    expect(map['__proto__']).toBe('p');
    expect(Object.getPrototypeOf(map)).toBeNull();
  });

  it('rejects DOCTYPEs, entities, malformed XML and non-SAMP types with a fault', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><methodCall><methodName>&a;</methodName></methodCall>';
    expect(() => decodeCall(bomb)).toThrow(/DOCTYPE/);
    expect(() => decodeCall('<methodCall><methodName>x</methodName><params>')).toThrow(/not closed/);
    expect(() => decodeCall('<methodCall><methodName>x</methodName></params></methodCall>')).toThrow(/malformed/);
    expect(() => decodeCall('not xml at all')).toThrow(SampFault);
    expect(() => decodeCall('<methodCall><methodName>x</methodName><params><param><value><base64>AA==</base64></value></param></params></methodCall>')).toThrow(/not a SAMP type/);
    expect(() => decodeCall('<methodCall><methodName>x</methodName><params><param><value><dateTime.iso8601>2020</dateTime.iso8601></value></param></params></methodCall>')).toThrow(/not a SAMP type/);
    expect(() => decodeCall('<methodCall><methodName>x</methodName><params><param><value>a &bogus; b</value></param></params></methodCall>')).toThrow(/unknown entity/);
  });

  it('rejects values nested too deep', () => {
    const deep = `${'<value><array><data>'.repeat(80)}<value>x</value>${'</data></array></value>'.repeat(80)}`;
    expect(() => decodeCall(`<methodCall><methodName>m</methodName><params><param>${deep}</param></params></methodCall>`)).toThrow(/deeper|nested/);
  });

  it('decodes responses, void responses and faults', () => {
    expect(decodeResponse(encodeResponse({ a: ['b'] }))).toEqual({ ok: true, value: { a: ['b'] } });
    expect(decodeResponse('<methodResponse><params><param><value></value></param></params></methodResponse>')).toEqual({ ok: true, value: '' });
    expect(decodeResponse('<methodResponse><params/></methodResponse>')).toEqual({ ok: true, value: '' });
    const fault = decodeResponse(encodeFault('Bad password \u00e9', 7));
    expect(fault.ok).toBe(false);
    if (!fault.ok) {
      expect(fault.fault.message).toBe('Bad password ?');
      expect(fault.fault.faultCode).toBe(7);
    }
  });
});

describe('SAMP XML-RPC codec on XML captured from JSAMP 1.3.7 (xml-log)', () => {
  const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../../fixtures/samp', name), 'utf8');

  it('decodes a real callAndWait call', () => {
    const { method, params } = decodeCall(fixture('jsamp-callAndWait.xml'));
    expect(method).toBe('samp.hub.callAndWait');
    expect(params).toEqual([
      'k:2_hvbnygmrgfgrclap',
      'c1',
      { 'samp.mtype': 'table.load.votable', 'samp.params': { name: 'SPICA & <targets>', url: 'file:///tmp/a%20b/targets.vot' } },
      '0',
    ]);
    expect(decodeCall(encodeCall(method, params))).toEqual({ method, params, badString: null });
  });

  it('decodes a real warning response, empty struct included', () => {
    const r = decodeResponse(fixture('jsamp-response-warning.xml'));
    expect(r).toEqual({ ok: true, value: { 'samp.status': 'samp.warning', 'samp.result': {}, 'samp.error': { 'samp.errortxt': 'Message logged, not acted on' } } });
  });
});
