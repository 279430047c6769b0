/**
 * Import matching as astronomers match stars: SPICA-DB id; else a cone of a few arcseconds AND a
 * shared normalised identifier (SIMBAD "* alf Sco" = "alf Sco" = "HD 148478", the last through the
 * bundled bright-star cross-identifications); never across demo and real data; ambiguous rows
 * reported and skipped. The VV Cep, alf Sco and eta Cas cases are the issue's, with the SPICA-DB
 * sample `spicadb_partial_wp5.vot` imported over the demo survey.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CrossIdIndex, identifiersOf, normaliseIdentifier } from '../../../shared/survey/identifiers';
import { loadBrightStars } from '../../../electron/services/survey/import-job';
import { count, read, REPO_ROOT, Sandbox } from './helpers';

const box = new Sandbox();
afterEach(() => box.cleanup());

describe('identifiers', () => {
  it('normalise SIMBAD forms, Greek letters, catalogue numbers; keep components apart', () => {
    const same = (a: string, b: string) => expect(normaliseIdentifier(a)).toBe(normaliseIdentifier(b));
    same('* alf Sco', 'alf Sco');
    same('alpha Sco', 'α Sco');
    same('alf Sco', 'ALF SCO');
    same('* mu. Cep', 'mu Cep');
    same('NAME * iot UMa BC', 'iot UMa BC');
    same('V* VV Cep', 'VV Cep');
    same('HD  75632A', 'hd75632A');
    same('HD 000038', 'HD 38');
    same('HIP1234', 'HIP 1234');
    expect(normaliseIdentifier('HD 75632A')).not.toBe(normaliseIdentifier('HD 75632B'));
    expect(normaliseIdentifier('HD 38')).not.toBe(normaliseIdentifier('HD 38B'));
    expect(normaliseIdentifier('  ')).toBeNull();
    expect([...identifiersOf({ name: 'alf Sco', hd: '148478', hip: 80763 })]).toEqual(['alf sco', 'hd 148478', 'hip 80763']);
  });

  it('cross-identify through the bundled bright-star list only where the star coincides', () => {
    const index = new CrossIdIndex(loadBrightStars(join(REPO_ROOT, 'resources')), 5);
    const at = index.expand(new Set(['alf sco']), 247.35191, -26.43200);
    expect(at).toContain('hd 148478');
    expect(at).toContain('hip 80763');
    expect(at).toContain('hr 6134');
    expect(index.expand(new Set(['alf sco']), 247.36, -26.43)).toEqual(new Set(['alf sco']));
  });
});

describe('importing the SPICA-DB sample over the demo survey', () => {
  it('never merges a demo row into a real one: VV Cep, alf Sco and eta Cas come in as real targets', async () => {
    const s = box.services();
    await s.call('survey.demo.generate', { count: 3000, seed: 2026 });
    const demoOf = (name: string) => s.store.sqlite.prepare('select id, spicadb_id, source, is_demo from targets where name = ? and deleted = 0').get(name);
    const vvCepBefore = demoOf('V* VV Cep');
    expect(vvCepBefore).toMatchObject({ spicadb_id: 'DEMO-2723', source: 'demo-generator', is_demo: 1 });
    const report = await s.call('survey.import', { fileName: 'spicadb_partial_wp5.vot', content: read('spicadb_partial_wp5.vot') });
    expect(report).toMatchObject({ added: 42, updated: 0, unchanged: 0, ambiguous: [] });
    // The demo row is untouched: it keeps its id, source and demo flag, so "Remove demo data" removes it.
    expect(demoOf('V* VV Cep')).toEqual(vvCepBefore);
    const twins = report.warnings.filter((w) => /demo target/.test(w.message)).map((w) => w.name).sort();
    expect(twins).toEqual(expect.arrayContaining(['* alf Sco', '* eta Cas', 'V* VV Cep']));

    await s.call('survey.demo.remove', {});
    const live = (await s.call('survey.list', { filter: {} })).rows;
    expect(live).toHaveLength(42);
    expect(live.every((t) => !t.isDemo && !(t.spicadbId ?? '').startsWith('DEMO-'))).toBe(true);
    for (const name of ['* alf Sco', '* eta Cas', 'V* VV Cep']) expect(live.filter((t) => t.name === name)).toHaveLength(1);
    expect(count(s.store.sqlite, "select count(*) n from targets where deleted = 0 and source = 'demo-generator'")).toBe(0);
  });

  it('generating the demo over real data keeps the demo apart too', async () => {
    const s = box.services();
    await s.call('survey.import', { fileName: 'spicadb_partial_wp5.vot', content: read('spicadb_partial_wp5.vot') });
    await s.call('survey.demo.generate', { count: 3000, seed: 2026 });
    const real = s.store.sqlite.prepare("select name, is_demo, source from targets where name = '* alf Sco'").all();
    expect(real).toEqual([{ name: '* alf Sco', is_demo: 0, source: 'spicadb_partial_wp5.vot' }]);
    expect(count(s.store.sqlite, "select count(*) n from targets where name = 'alf Sco' and is_demo = 1")).toBe(1);
  });
});

describe('matching real data to real data', () => {
  it('"alf Sco", "HD 148478" and "alpha Sco" are the star SPICA-DB calls "* alf Sco" (rule position+identifier)', async () => {
    const s = box.services();
    const first = await s.call('survey.import', {
      fileName: 'mine.csv',
      content: 'name,ra_deg,dec_deg,vmag\nalf Sco,247.35167,-26.43194,0.96\neta Cas,12.275,57.81583,3.44\nHD 208816,329.16292,63.62556,4.91\n',
    });
    expect(first.added).toBe(3);
    const report = await s.call('survey.import', { fileName: 'spicadb_partial_wp5.vot', content: read('spicadb_partial_wp5.vot') });
    expect(report).toMatchObject({ added: 39, updated: 3, ambiguous: [] });
    expect(report.matches.map((m) => [m.name, m.targetName, m.rule, m.identifier])).toEqual([
      ['* eta Cas', 'eta Cas', 'position+identifier', 'eta cas'],
      ['* alf Sco', 'alf Sco', 'position+identifier', 'alf sco'],
      // Shared through the bright-star cross-identifications: HD 208816 is VV Cep.
      ['V* VV Cep', 'HD 208816', 'position+identifier', 'vv cep'],
    ]);
    for (const m of report.matches) expect(m.separationArcsec).toBeLessThan(5);
    expect((await s.call('survey.list', { filter: {} })).total).toBe(42);

    // A name alone, no HD column: the bundled bright-star list knows alf Sco is HD 148478. The
    // target keeps its name; the (slightly different) position is taken from the file.
    const alias = await s.call('survey.import', { fileName: 'alias.csv', content: 'name,ra_deg,dec_deg\nHD 148478,247.35191,-26.43200\nalpha Sco,247.35191,-26.43200\n' });
    expect(alias.matches.map((m) => [m.name, m.targetName, m.identifier])).toEqual([['HD 148478', 'alf Sco', 'hd 148478']]);
    expect(alias).toMatchObject({ added: 0, updated: 1 });
    expect((await s.call('survey.list', { filter: { text: 'sco' } })).rows.map((t) => t.name)).toEqual(['alf Sco']);
    expect(alias.ambiguous).toEqual([
      expect.objectContaining({ name: 'alpha Sco', reason: expect.stringMatching(/row 1 of this file already matched "alf Sco"/) }),
    ]);
  });

  it('matches by SPICA-DB id first, and reports the rule of each updated row', async () => {
    const s = box.services();
    const dachs = read('../votable/dachs_spica_overflow100_td.vot');
    expect((await s.call('survey.import', { fileName: 'dachs.vot', content: dachs })).added).toBe(100);
    const edited = dachs.replace('<TD>* synthetic 1</TD><TD>HD 100001</TD><TD>80.355866</TD>', '<TD>* synthetic 1 renamed</TD><TD>HD 100001</TD><TD>80.5</TD>');
    const again = await s.call('survey.import', { fileName: 'dachs2.vot', content: edited });
    expect(again).toMatchObject({ added: 0, updated: 1, unchanged: 99, matchedBy: { 'spicadb-id': 100, 'position+identifier': 0 } });
    expect(again.matches).toEqual([
      { row: 1, name: '* synthetic 1 renamed', targetName: '* synthetic 1', targetId: expect.any(String), rule: 'spicadb-id', separationArcsec: null, identifier: null },
    ]);
  });

  it('reports and skips an ambiguous row: two coincident targets, or the same identifier beyond the cone', async () => {
    const s = box.services();
    await s.call('survey.import', {
      fileName: 'pair.csv',
      content: 'spicadb_id,name,ra_deg,dec_deg\n1,HD 1,10,20\n2,HD 1,10.0003,20\n3,HD 2,30,40\n',
    });
    const before = count(s.store.sqlite, 'select count(*) n from change_log');
    const r = await s.call('survey.import', { fileName: 'again.csv', content: 'name,ra_deg,dec_deg,vmag\nHD 1,10.0001,20,6\nHD 2,30.003,40,7\n' });
    expect(r).toMatchObject({ added: 0, updated: 0 });
    expect(r.ambiguous).toEqual([
      expect.objectContaining({ row: 1, name: 'HD 1', reason: '2 targets within 5″ share an identifier with it', candidates: [expect.objectContaining({ name: 'HD 1' }), expect.objectContaining({ name: 'HD 1' })] }),
      expect.objectContaining({ row: 2, name: 'HD 2', reason: expect.stringMatching(/"HD 2" has the identifier "hd 2" but lies 8\.\d+″ away \(beyond the 5″ cone\)/) }),
    ]);
    expect(count(s.store.sqlite, 'select count(*) n from change_log')).toBe(before);
    expect(count(s.store.sqlite, 'select count(*) n from targets where vmag is not null')).toBe(0);
  });

  it('adds a close neighbour with no identifier in common, and says so', async () => {
    const s = box.services();
    await s.call('survey.import', { fileName: 'a.csv', content: 'name,ra_deg,dec_deg\nHD 75632A,133.853305,70.794313\n' });
    const r = await s.call('survey.import', { fileName: 'b.csv', content: 'name,ra_deg,dec_deg\nHD 75632B,133.853837,70.793939\n' });
    expect(r.added).toBe(1);
    expect(r.warnings).toEqual([{ row: 1, name: 'HD 75632B', message: expect.stringMatching(/lies 1\.\d+″ from "HD 75632A" with no identifier in common/) }]);
  });
});
