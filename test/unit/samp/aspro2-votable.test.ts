/**
 * The VOTable we send ASPRO2 against ASPRO2's documented sample (Aspro2_samp_load_votable.xml):
 * same PARAM names and types, same FIELD names / UCDs / units for every column both carry, the
 * calibrator link table second, and NSS's groups and transit order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHARA_SITE } from '../../../shared/astro/site';
import { localSiderealTimeH } from '../../../shared/astro/frame';
import { localMidnightMjd } from '../../../shared/astro/night';
import { buildAspro2Votable, charaPeriodOf, sortByTransit, type Aspro2Request } from '../../../shared/votable/aspro2';
import { readVoTable } from '../../../shared/votable/read';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures/samp');
const reference = readVoTable(readFileSync(path.join(FIXTURES, 'Aspro2_samp_load_votable.xml'), 'utf8').replace(/<!--[\s\S]*?-->/g, ''));

function request(): Aspro2Request {
  return {
    settings: {
      interferometer: 'CHARA',
      period: charaPeriodOf('2026-09-14'),
      instrument: 'SPICA_6T',
      configurations: ['S1 S2 W1 W2 E1 E2'],
      pops: '123455',
      beams: 'V1 V2 V3 V4 V5 V6',
      night: true,
      date: '2026-09-14',
      minElevationDeg: 30,
      operation: 'NEW',
      editable: { INTERFEROMETER: false, INSTRUMENT: false },
    },
    targets: [
      { name: 'HD 1234 & <Véga>', raDeg: 4.115, decDeg: -36.796, hd: '1234', vmag: 5.2, spicadbId: 'SPICA-42', programme: 'S01', pi: 'Mourard', diameterMas: 0.71, nssType: 'SCI', group: 'priority_pi=0' },
      { name: 'ETA TAU', raDeg: 56.871, decDeg: 24.105, pmRaMasYr: 19.35, pmDecMasYr: -43.11, parallaxMas: 8.87, vmag: 2.873, jmag: 2.735, hmag: 2.735, kmag: 2.636, spType: 'B7III', nssType: 'CAL', group: 'calprim' },
    ],
    calibrators: [{ science: 'HD 1234 & <Véga>', calibrator: 'ETA TAU' }],
  };
}

describe('VOTable for ASPRO2', () => {
  const doc = readVoTable(buildAspro2Votable(request()));

  it('carries every PARAM of the ASPRO2 sample, with the same datatypes', () => {
    const ours = new Map(doc.params.map((p) => [p.name, p]));
    for (const ref of reference.params) {
      const mine = ours.get(ref.name);
      expect(mine, `PARAM ${ref.name}`).toBeDefined();
      expect(mine?.datatype, `PARAM ${ref.name} datatype`).toBe(ref.datatype);
    }
    const value = (n: string) => ours.get(n)?.value;
    expect(value('INTERFEROMETER')).toBe('CHARA');
    expect(value('PERIOD')).toBe('CHARA 2026B');
    expect(value('INSTRUMENT')).toBe('SPICA_6T');
    expect(value('CONFIGURATIONS')).toBe('S1 S2 W1 W2 E1 E2');
    expect(value('POPS')).toBe('123455');
    expect(value('BEAMS')).toBe('V1 V2 V3 V4 V5 V6');
    expect(value('NIGHT')).toBe('true');
    expect(value('DATE')).toBe('2026-09-14');
    expect(value('MIN_ELEVATION')).toBe('30');
    expect(value('OPERATION')).toBe('NEW');
    expect(value('INTERFEROMETER_EDITABLE')).toBe('false');
    expect(value('CONFIGURATIONS_EDITABLE')).toBe('true');
  });

  it('names, types and UCDs its columns as the sample does, so ASPRO2 finds them by UCD', () => {
    const [refTargets, refLinks] = reference.tables;
    const [targets, links] = doc.tables;
    expect(targets.name).toBe('Targets');
    const ours = new Map(targets.fields.map((f) => [f.name, f]));
    const shared = refTargets.fields.filter((f) => ours.has(f.name));
    expect(shared.map((f) => f.name)).toEqual(expect.arrayContaining(['NAME', 'RA', 'DEC', 'PMRA', 'PMDEC', 'PLX', 'e_PLX', 'HD', 'HIP', 'SP_TYPES', 'FLUX_V', 'FLUX_J', 'FLUX_H', 'FLUX_K']));
    for (const ref of shared) {
      const mine = ours.get(ref.name);
      expect({ name: mine?.name, ucd: mine?.ucd, unit: mine?.unit, datatype: mine?.datatype }).toEqual({ name: ref.name, ucd: ref.ucd, unit: ref.unit, datatype: ref.datatype });
    }
    expect(ours.get('grp')?.ucd).toBe('meta.code.class;meta.id');
    for (const extra of ['spicadb_id', 'progname', 'piname', 'diam', 'nss_type']) expect(ours.get(extra)?.ucd).toBe('meta.code.class');
    expect(links.fields.map((f) => [f.name, f.ucd])).toEqual(refLinks.fields.map((f) => [f.name, f.ucd]));
  });

  it('writes the rows: sexagesimal J2000, escaped UTF-8 names, empty cells for unknowns, groups and links', () => {
    const [targets, links, groups] = doc.tables;
    const col = (n: string) => targets.fields.findIndex((f) => f.name === n);
    const [sci, cal] = targets.rows;
    expect(sci[col('NAME')]).toBe('HD 1234 & <Véga>');
    expect(sci[col('RA')]).toBe('00:16:27.6000');
    expect(sci[col('DEC')]).toBe('-36:47:45.600');
    expect(sci[col('PMRA')]).toBeNull();
    expect(sci[col('grp')]).toBe('priority_pi=0');
    expect(sci[col('nss_type')]).toBe('SCI');
    expect(cal[col('grp')]).toBe('calprim');
    expect(links.rows).toEqual([['HD 1234 & <Véga>', 'ETA TAU']]);
    expect(Object.fromEntries(groups.rows.map((r) => [r[0], r[1]]))).toEqual({ calprim: '#3232ff', 'priority_pi=0': '#ff4c4c' });
  });

  it('refuses input ASPRO2 would misread, naming the row or setting', () => {
    const bad = request();
    bad.targets[1].raDeg = 400;
    expect(() => buildAspro2Votable(bad)).toThrow(/target 2 \(ETA TAU\): raDeg 400/);
    const dup = request();
    dup.targets[1].name = dup.targets[0].name;
    expect(() => buildAspro2Votable(dup)).toThrow(/duplicate name/);
    const pops = request();
    pops.settings.pops = '1234';
    expect(() => buildAspro2Votable(pops)).toThrow(/one digit per station/);
    const link = request();
    link.calibrators.push({ science: 'nobody', calibrator: 'ETA TAU' });
    expect(() => buildAspro2Votable(link)).toThrow(/"nobody" is not in the target list/);
  });

  it('names the CHARA period like NSS and sorts by transit through the night', () => {
    expect(charaPeriodOf('2026-07-31')).toBe('CHARA 2026A');
    expect(charaPeriodOf('2026-08-01')).toBe('CHARA 2026B');
    const night = '2026-09-14';
    const lstMidnightDeg = localSiderealTimeH(localMidnightMjd(night, CHARA_SITE), CHARA_SITE.lonDeg) * 15;
    // Offsets in RA from the midnight meridian: -5 h transits first, +5 h last; +13 h is before -5 h (day side).
    const at = (offsetH: number, name: string) => ({ name, raDeg: (((lstMidnightDeg + offsetH * 15) % 360) + 360) % 360 });
    const sorted = sortByTransit([at(5, 'late'), at(0, 'midnight'), at(-5, 'early')], night, CHARA_SITE).map((t) => t.name);
    expect(sorted).toEqual(['early', 'midnight', 'late']);
  });
});
