/**
 * The ASPRO2 hand-off as NSS does it, over a real SAMP hub (our embedded one) with a client
 * named Aspro2 standing in for ASPRO2 (it only receives and sends tables, as ASPRO2 does over
 * `table.load.votable`): the VOTable carries the model column (UCD meta.code.class;meta.modelled,
 * a2p2's XML) for science targets (their model, or a UD of their diameter) and calibrators (a UD),
 * and a table sent back with an edited model lands in the store as the target's local model.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignCalibrator } from '../../../electron/db/repos/calibrators';
import { SampClient } from '../../../electron/samp/client';
import { message } from '../../../electron/samp/values';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';
import { HANDOFF_LAMBDA_UM } from '../../../electron/services/samp/aspro-request';
import { parseAsproModelXml, parseModelJson, writeAsproModelXml, writeModelJson } from '../../../shared/models';
import { readVoTable } from '../../../shared/votable/read';

const a2p2 = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../fixtures/models/a2p2_models_reference.json'), 'utf8')) as Record<string, string>;

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const SPICADB_MODEL = '[{"type":"elong_disk","minor_axis_diameter":2.1,"elong_ratio":1.25,"major_axis_pos_angle":30}]';

describe('models in the ASPRO2 hand-off', () => {
  let dir: string;
  let services: Services;
  let aspro: SampClient;
  const received: string[] = [];
  let ids: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'models-handoff-'));
    process.env.SAMP_HUB = `std-lockurl:file://${path.join(dir, 'lockfile')}`;
    delete process.env.SPICA_SAMP;
    services = createServices({ paths: resolvePaths(path.join(dir, 'data')), transport: 'browser' });
    const csv = [
      'name,ra_deg,dec_deg,vmag,jmag,hmag,kmag,sp_type,ldd_mas,model,progname,priority_pi',
      `with model,100.0,20.0,4.5,3.4,2.9,2.8,K0III,2.3,"${SPICADB_MODEL.replace(/"/g, '""')}",S01,0`,
      'ldd only,101.0,21.0,5.0,3.9,3.4,3.3,G8III,0.84,,S01,1',
      'edited here,102.0,22.0,5.5,4.4,3.9,3.8,K2III,1.1,,S02,0',
    ].join('\n');
    await services.call('survey.import', { fileName: 'handoff.csv', content: csv });
    const { rows } = await services.call('survey.list', { filter: {} });
    ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
    assignCalibrator(services.store, {
      targetId: ids['with model'], key: 'HD 1', name: 'HD 1', hd: 1, hip: null, raDeg: 100.5, decDeg: 20.4, vmag: 5.9,
      uddMas: 0.512, uddErrMas: 0.03, kind: 'primary', isPinned: false, notes: null, source: 'test',
    });
    await services.call('models.set', { targetId: ids['edited here'], model: '[{"type":"disk","diameter":1.0},{"type":"punct","x":3,"y":1,"flux_weight":0.2}]' });
    await services.call('samp.connect', {});
    aspro = new SampClient({
      env: { SAMP_HUB: process.env.SAMP_HUB },
      metadata: { 'samp.name': 'Aspro2' },
      handlers: { 'table.load.votable': (m) => void received.push(String(m.params.url)) },
    });
    await aspro.connect();
  }, 60_000);
  afterAll(async () => {
    await aspro?.close();
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends every target and calibrator with its model in the model column, as NSS does', async () => {
    await waitFor(() => aspro.peersNamed('SPICA Companion').length > 0, 5000, 'the companion on the hub');
    const result = await services.call('samp.sendTargets', {
      targetIds: Object.values(ids), night: '2026-01-15', configuration: 'S1 S2 W1 W2 E1 E2', includeCalibrators: true,
    });
    expect(result.recipients).toEqual(['Aspro2']);
    await waitFor(() => received.length === 1, 5000, 'the table at Aspro2');
    const doc = readVoTable(await (await fetch(received[0])).text());
    const table = doc.tables[0];
    const col = table.fields.findIndex((f) => f.ucd === 'meta.code.class;meta.modelled');
    expect(col).toBeGreaterThanOrEqual(0);
    expect(table.fields[col]).toMatchObject({ name: 'model', datatype: 'char', arraysize: '*' });
    // The VOTable reader trims cell text; a2p2's XML ends with a newline.
    const cell = (name: string) => table.rows.find((r) => r[0] === name)![col] as string;
    const a2p2Xml = (key: string) => a2p2[key].trim();

    // A SPICA-DB model: a2p2's XML of the same model, byte for byte.
    expect(cell('with model')).toBe(a2p2Xml('spicadb_elong_disk'));
    expect(parseAsproModelXml(cell('with model'))).toEqual(parseAsproModelXml(writeAsproModelXml(parseModelJson(SPICADB_MODEL))));
    // No model: a UD named disk1 (NSS add_targetmodel) of the LDD-derived UD at 0.72 µm.
    const fallback = parseAsproModelXml(cell('ldd only'));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]).toMatchObject({ type: 'disk', name: 'disk1' });
    expect(fallback[0].params.diameter).toBeGreaterThan(0.78);
    expect(fallback[0].params.diameter).toBeLessThan(0.84);
    const info = await services.call('models.get', { targetId: ids['ldd only'], lambdaUm: HANDOFF_LAMBDA_UM });
    expect(info.source).toBe('fallback-ldd');
    expect(cell('ldd only')).toBe(info.xml?.trim());
    // A local model wins over everything.
    expect(parseAsproModelXml(cell('edited here')).map((c) => c.type)).toEqual(['disk', 'punct']);
    // The calibrator: a UD named disk2 (NSS add_toymodel), exactly a2p2's Models.disk("disk2", diameter=0.512).
    expect(cell('HD 1')).toBe(a2p2Xml('nss_calibrator_disk2'));
  });

  it('stores a model sent back over SAMP as the local model of the matching target', async () => {
    // "ASPRO2" edits the model of one target and sends the table back.
    const text = await (await fetch(received[0])).text();
    const edited = parseModelJson('[{"type":"flatten_disk","major_axis_diameter":2.4,"flatten_ratio":1.15,"minor_axis_pos_angle":100}]');
    const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
    const back = text.replace(escaped(a2p2.spicadb_elong_disk.trim()), escaped(writeAsproModelXml(edited).trim()));
    expect(back).not.toBe(text);
    const file = path.join(dir, 'from-aspro2.vot');
    (await import('node:fs')).writeFileSync(file, back);
    const companion = aspro.peersNamed('SPICA Companion')[0];
    const response = await aspro.callAndWait(companion, message('table.load.votable', { url: `file://${file}`, name: 'from ASPRO2' }), 10);
    expect(response['samp.status']).toBe('samp.ok');
    const pending = await services.call('samp.pending', {});
    expect(pending).toHaveLength(1);
    const report = await services.call('samp.acceptTable', { id: pending[0].id });
    // The calibrator row is not a survey target: the import adds it (the survey import's rule).
    expect(report.added).toBe(1);
    const info = await services.call('models.get', { targetId: ids['with model'] });
    expect(info.source).toBe('local');
    expect(info.localJson).toBe(writeModelJson(parseAsproModelXml(writeAsproModelXml(edited))));
    // SPICA-DB's own model is kept apart, untouched.
    expect(info.spicadbText).toBe(SPICADB_MODEL);
    // Unchanged models round-trip to the same local model.
    const other = await services.call('models.get', { targetId: ids['edited here'] });
    expect(other.components?.map((c) => c.type)).toEqual(['disk', 'punct']);
  });
});
