/**
 * The two textual forms of a model: SPICA-DB's JSON and ASPRO2's XML. The writer must produce
 * a2p2's XML byte for byte (a2p2's own output, recorded from its code: see PROVENANCE.md), the
 * reader must take a2p2's and ASPRO2's XML (an .asprox from ASPRO2's test resources), and bad
 * models must be refused with the component and parameter named.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ModelError,
  MODEL_TYPES,
  parseAsproModelXml,
  parseAsproTargetModels,
  parseModelJson,
  parseModelText,
  pythonFloat,
  uniformDisk,
  writeAsproModelXml,
  writeModelJson,
  type ObjectModel,
} from '../../../shared/models';

const a2p2 = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/models/a2p2_models_reference.json'), 'utf8')) as Record<string, string>;
const asprox = readFileSync(join(import.meta.dirname, '../../fixtures/models/CHARA_DYN_CONF.asprox'), 'utf8');

function expectModelError(fn: () => unknown, message: RegExp, componentIndex: number | null, parameter: string | null): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    expect((e as ModelError).message).toMatch(message);
    expect((e as ModelError).componentIndex).toBe(componentIndex);
    expect((e as ModelError).parameter).toBe(parameter);
    return;
  }
  throw new Error('expected a ModelError');
}

describe('ASPRO2 XML as a2p2 writes it', () => {
  it("writes NSS's calibrator and fallback disks byte for byte", () => {
    expect(writeAsproModelXml([{ ...uniformDisk(0.512)[0], name: 'disk2' }])).toBe(a2p2.nss_calibrator_disk2);
    expect(writeAsproModelXml(uniformDisk(1.234))).toBe(a2p2.nss_fallback_disk1);
  });

  it('writes full SPICA-DB models byte for byte (elongated disk, binary)', () => {
    expect(writeAsproModelXml(parseModelJson('[{"type":"elong_disk","minor_axis_diameter":2.1,"elong_ratio":1.25,"major_axis_pos_angle":30}]'))).toBe(
      a2p2.spicadb_elong_disk,
    );
    expect(writeAsproModelXml(parseModelJson('[{"type":"disk","diameter":1.5},{"type":"punct","flux_weight":0.2,"x":3.5,"y":-1.25}]'))).toBe(a2p2.spicadb_binary);
  });

  it('writes every model type with its parameters in ASPRO2 order, as generated_models.py does', () => {
    const all: ObjectModel = parseAsproModelXml(a2p2.all_types);
    expect(all.map((c) => c.type)).toEqual([...MODEL_TYPES]);
    expect(writeAsproModelXml(all)).toBe(a2p2.all_types);
  });

  it('completes a sparse SPICA-DB model with ASPRO2 defaults (a2p2 writes only the given parameters)', () => {
    const ours = writeAsproModelXml(parseModelJson('[{"type":"disk","diameter":1.04}]'));
    expect(parseAsproModelXml(ours)).toEqual(parseAsproModelXml(a2p2.spicadb_disk));
    for (const line of a2p2.spicadb_disk.split('\n').filter((l) => l.includes('tm:parameter'))) expect(ours).toContain(line.trim());
  });

  it('formats numbers as Python str(float) does', () => {
    expect([1, 0, -0, 1.04, 0.00001, 1e-7, 123456789, 2.5e16, 0.1 + 0.2].map(pythonFloat)).toEqual([
      '1.0', '0.0', '-0.0', '1.04', '1e-05', '1e-07', '123456789.0', '2.5e+16', '0.30000000000000004',
    ]);
  });
});

describe("reading ASPRO2's own XML", () => {
  it('reads the elongated disks of each target of an .asprox (units, bounds, descriptions, namespaces)', () => {
    const perTarget = parseAsproTargetModels(asprox);
    const hd1234 = perTarget.find((t) => t.target === 'HD 1234')!.model;
    expect(hd1234).toHaveLength(1);
    expect(hd1234[0]).toMatchObject({ type: 'elong_disk', name: 'elong_disk1' });
    expect(hd1234[0].params).toEqual({ flux_weight: 1, x: 0, y: 0, minor_axis_diameter: 3, elong_ratio: 1.3, major_axis_pos_angle: hd1234[0].params.major_axis_pos_angle });
    expect(perTarget.map((t) => t.target)).not.toContain('ETA TAU');
    // Two targets each name their component elong_disk1: one model of all of them is refused.
    expect(() => parseAsproModelXml(asprox)).toThrow(/duplicate component name "elong_disk1"/);
  });

  it('round-trips JSON → XML → JSON and XML → JSON → XML for every type', () => {
    const all = parseAsproModelXml(a2p2.all_types);
    expect(parseModelJson(writeModelJson(all))).toEqual(all);
    expect(writeAsproModelXml(parseModelJson(writeModelJson(all)))).toBe(a2p2.all_types);
    expect(parseModelText(writeAsproModelXml(all))).toEqual(all);
    expect(parseModelText(writeModelJson(all))).toEqual(all);
  });

  it('refuses a DOCTYPE and malformed XML', () => {
    expect(() => parseAsproModelXml('<!DOCTYPE x [<!ENTITY a "b">]><tm:model type="disk"/>')).toThrow(/DOCTYPE/);
    expect(() => parseAsproModelXml('<tm:model type="disk"><tm:parameter')).toThrow(/not well-formed/);
    expect(() => parseAsproModelXml('<nothing/>')).toThrow(/no tm:model/);
  });
});

describe('SPICA-DB JSON', () => {
  it("reads NSS's forms: a list, one object, objects back to back, numeric strings", () => {
    expect(parseModelJson('[{"type": "disk", "diameter": 1.04}]')[0].params).toEqual({ flux_weight: 1, x: 0, y: 0, diameter: 1.04 });
    expect(parseModelJson('{"type": "disk", "diameter": 1.04}')).toHaveLength(1);
    expect(parseModelJson('{"type":"disk","diameter":1}{"type":"punct","x":"2.5","flux_weight":"0.1"}').map((c) => c.type)).toEqual(['disk', 'punct']);
  });

  it('names the component and parameter of each fault', () => {
    expectModelError(() => parseModelJson('[{"type":"disk","diameter":-1}]'), /component 1 \(disk\): diameter -1 is below 0/, 0, 'diameter');
    expectModelError(
      () => parseModelJson('[{"type":"disk","diameter":1},{"type":"elong_disk","name":"env","minor_axis_diameter":2,"elong_ratio":0.8}]'),
      /component 2 \(env\): elong_ratio 0.8 is below 1 \(it is major \/ minor\)/,
      1,
      'elong_ratio',
    );
    expectModelError(() => parseModelJson('[{"type":"blob","diameter":1}]'), /component 1: unknown model type "blob" \(expected one of punct, disk/, 0, null);
    expectModelError(() => parseModelJson('[{"type":"ring","width":0.2}]'), /component 1 \(ring\): missing parameter diameter/, 0, 'diameter');
    expectModelError(() => parseModelJson('[{"type":"disk","diam":1}]'), /unknown parameter "diam" for disk/, 0, 'diam');
    expectModelError(() => parseModelJson('[{"type":"disk","diameter":"big"}]'), /diameter "big" is not a finite number/, 0, 'diameter');
    expectModelError(() => parseModelJson('[{"type":"elong_disk","minor_axis_diameter":1,"elong_ratio":1.2,"major_axis_pos_angle":200}]'), /major_axis_pos_angle 200 is above 180/, 0, 'major_axis_pos_angle');
    expectModelError(() => parseModelJson('[{"type":"limb_quadratic","diameter":1,"a1_coeff":1.5}]'), /a1_coeff 1.5 is above 1/, 0, 'a1_coeff');
    expectModelError(() => parseModelJson('[{"type":"disk","diameter":1,"flux_weight":0}]'), /flux weights add up to 0/, null, 'flux_weight');
    expectModelError(() => parseModelJson('[]'), /at least one component/, null, null);
    expectModelError(() => parseModelJson('[{"type":"disk","diameter":1'), /does not parse/, null, null);
    expectModelError(() => parseModelJson('[{"type":"disk","diameter":1,"name":"a"},{"type":"punct","name":"a"}]'), /duplicate component name "a"/, 1, null);
  });
});
