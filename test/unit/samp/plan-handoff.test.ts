/**
 * "Send to ASPRO2" of tonight's plan (issues #11 and #19), on a real store and a real plan: every
 * science target with the calibrators of its CAL blocks, each star once (a science target that
 * calibrates another is not renamed "30 Psc (2)"), the PoP set of each sequence, and PERIOD /
 * CONFIGURATIONS / BEAMS that ASPRO2's reference CHARA.xml (test/fixtures/samp/CHARA.xml) holds.
 */
import { XMLParser } from 'fast-xml-parser';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignCalibrator } from '../../../electron/db/repos/calibrators';
import { backbonePath, loadBackbone } from '../../../electron/services/calibrators/backbone-file';
import { CalibratorCatalogue } from '../../../shared/calibrators/catalogue';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import { asproRequestFromPlan, asproRequestFromStore } from '../../../electron/services/samp/aspro-request';
import type { PlanBlockView, PlanView } from '../../../shared/planner/api-types';
import { buildAspro2Votable } from '../../../shared/votable/aspro2';

/** A night of the B semester: CHARA.xml (dd2d3de) knows periods up to 2026A only. */
const NIGHT = '2026-09-14';

/** SPICA configurations of CHARA.xml: version → [{stations, channels}]. */
function charaXmlSpica(): Map<string, Array<{ stations: string; channels: string }>> {
  const xml = readFileSync(join(import.meta.dirname, '../../fixtures/samp/CHARA.xml'), 'utf8');
  const doc = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, isArray: (name) => ['configuration', 'instrument'].includes(name) }).parse(xml);
  const root = doc.interferometerSetting ?? doc[Object.keys(doc).find((k) => k !== '?xml')!];
  const out = new Map<string, Array<{ stations: string; channels: string }>>();
  for (const c of root.configuration as Array<Record<string, unknown>>) {
    for (const ins of (c.instrument as Array<Record<string, unknown>>) ?? []) {
      if (String(ins.focalInstrument) !== 'SPICA') continue;
      out.set(
        String(c.version),
        (ins.configuration as Array<Record<string, unknown>>).map((x) => ({ stations: String(x.stations).trim(), channels: String(x.channels).trim() })),
      );
    }
  }
  return out;
}

let dir: string;
let s: Services;
let plan: PlanView;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spica-handoff-'));
  s = createServices({ paths: resolvePaths(dir), transport: 'cli' });
  await s.call('survey.demo.generate', { count: 300 });
  plan = await s.call('planner.plan', { night: NIGHT, config: { stations: ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'], pops: 'auto' } });
}, 180_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

let cat: CalibratorCatalogue | null = null;
/** The bundled calibrator catalogue, as the calibrators service loads it. */
const catalogue = () => (cat ??= new CalibratorCatalogue(loadBackbone(backbonePath(s.paths.resourcesDir))));

describe('the plan sent to ASPRO2', () => {
  it('holds every science target and every CAL star of the plan, linked as the CAL blocks say', () => {
    const { request } = asproRequestFromPlan(s.store, plan, { operation: 'NEW' }, catalogue());
    const names = new Set(request.targets.map((t) => t.name));
    const sci = plan.blocks.filter((b) => b.kind === 'SCI');
    const cal = plan.blocks.filter((b) => b.kind === 'CAL');
    expect(cal.length).toBeGreaterThan(sci.length - 1);
    for (const b of sci) expect(names, b.name).toContain(b.name);
    for (const b of cal) expect(names, b.name).toContain(b.name);
    const links = new Set(request.calibrators.map((l) => `${l.science} ← ${l.calibrator}`));
    for (const b of cal) for (const science of b.calibrates) expect(links, `${science} ← ${b.name}`).toContain(`${science} ← ${b.name}`);
    for (const b of sci) for (const c of b.calibrators) expect(links).toContain(`${b.name} ← ${c}`);
    // Each star once: no renamed duplicate.
    expect(request.targets.filter((t) => / \(\d+\)$/.test(t.name))).toEqual([]);
    expect(request.targets.filter((t) => t.nssType === 'SCI')).toHaveLength(new Set(sci.map((b) => b.starKey)).size);
  });

  it("gives each star its plan's PoP set in CONFIGURATIONS order, and POPS when the plan uses one set", () => {
    const handoff = asproRequestFromPlan(s.store, plan, { operation: 'NEW' }, catalogue());
    const { settings } = handoff.request;
    const order = settings.configurations[0].split(' ');
    const inOrder = (b: PlanBlockView) => order.map((st) => b.pops[plan.config.stations.indexOf(st)]).join('');
    const sci = plan.blocks.filter((b) => b.kind === 'SCI');
    for (const b of sci) expect(handoff.request.targets.find((t) => t.name === b.name)?.pops, b.name).toBe(inOrder(b));
    const sets = new Set(sci.map(inOrder));
    expect(new Set(handoff.popSets.map((p) => p.pops))).toEqual(sets);
    if (sets.size === 1) expect(settings.pops).toBe([...sets][0]);
    else {
      expect(settings.pops).toBeUndefined();
      expect(handoff.notes.join(' ')).toMatch(new RegExp(`uses ${sets.size} PoP sets`));
      // One observation per PoP set: each fixes its POPS and carries only its sequences.
      for (const p of handoff.popSets) {
        const one = asproRequestFromPlan(s.store, plan, { operation: 'NEW', popSet: p.pops }, catalogue());
        expect(one.request.settings.pops).toBe(p.pops);
        expect(one.request.targets.filter((t) => t.nssType === 'SCI').map((t) => t.name).sort()).toEqual([...p.targets].sort());
      }
    }
    // Calibrators carry the PoPs of their CAL blocks too.
    for (const b of plan.blocks.filter((x) => x.kind === 'CAL')) {
      const row = handoff.request.targets.find((t) => t.name === b.name)!;
      if (row.nssType === 'CAL') expect(row.pops!.split('/')).toContain(inOrder(b));
    }
  });

  it("sends a PERIOD, stations and BEAMS that ASPRO2's CHARA.xml holds, even for a night it has no period for", () => {
    const chara = charaXmlSpica();
    const handoff = asproRequestFromPlan(s.store, plan, { operation: 'NEW' }, catalogue());
    const st = handoff.request.settings;
    expect(chara.has('2026B')).toBe(false);
    expect(st.period).toBe('CHARA 2026A');
    expect(handoff.notes.join(' ')).toMatch(/no 2026B configuration .* sent CHARA 2026A/);
    const confs = chara.get('2026A')!;
    const match = confs.find((c) => c.stations === st.configurations[0]);
    expect(match, `${st.configurations[0]} is one of CHARA.xml's SPICA 2026A configurations`).toBeDefined();
    expect(st.beams).toBe(match!.channels);
    // A 4T subset keeps CHARA.xml's order and beams too.
    const four = asproRequestFromStore(s.store, {
      targetIds: [plan.blocks.find((b) => b.kind === 'SCI')!.starKey], night: '2026-05-15', configuration: 'S1 S2 W1 W2', pops: '1235',
      instrument: 'SPICA_4T', minElevationDeg: 30, operation: 'NEW', includeCalibrators: false,
    }).request.settings;
    expect(four.period).toBe('CHARA 2026A');
    const m4 = confs.find((c) => c.stations === four.configurations[0]);
    expect(m4).toBeDefined();
    expect(four.beams).toBe(m4!.channels);
    // POPS follow the stations: S1→1 S2→2 W1→3 W2→5 rewritten in CHARA.xml's order.
    expect(four.pops).toBe(four.configurations[0].split(' ').map((x) => ({ S1: '1', S2: '2', W1: '3', W2: '5' })[x]).join(''));
    const xml = buildAspro2Votable(handoff.request);
    expect(xml).toContain(`<PARAM name="BEAMS" datatype="char" arraysize="*" value="${match!.channels}"/>`);
  });
});

describe('a star in both roles is sent once', () => {
  it('from the Survey: a science target assigned as another target\'s calibrator keeps its row', async () => {
    const { rows } = await s.call('survey.list', { filter: {}, sort: { key: 'name', direction: 'asc' } });
    const [a, b] = rows;
    assignCalibrator(s.store, { targetId: a.id, key: b.name, name: b.name, hd: null, hip: null, raDeg: b.raDeg, decDeg: b.decDeg, vmag: b.vmag, uddMas: 0.5, uddErrMas: 0.02, kind: 'primary', isPinned: false, notes: null, source: 'test' });
    const { request } = asproRequestFromStore(s.store, { targetIds: [a.id, b.id], night: '2026-05-15', configuration: 'S1 S2 E1 E2 W1 W2', instrument: 'SPICA_6T', minElevationDeg: 30, operation: 'NEW', includeCalibrators: true });
    expect(request.targets.map((t) => t.name).sort()).toEqual([a.name, b.name].sort());
    expect(request.targets.find((t) => t.name === b.name)).toMatchObject({ nssType: 'SCI' });
    expect(request.calibrators).toEqual([{ science: a.name, calibrator: b.name }]);
  });

  it('from a plan: a CAL block on a science target of the same plan links to its science row', () => {
    const sci = plan.blocks.filter((b) => b.kind === 'SCI');
    const [x, y] = sci;
    // The same plan with y also used as a calibrator of x (as the planner does when y is x's assigned calibrator).
    const extra: PlanBlockView = { ...y, id: 'extra-cal', kind: 'CAL', sequenceId: x.sequenceId, calibrates: [x.name], calibrators: [], starKey: `cal:${y.name}` };
    const shaped: PlanView = { ...plan, blocks: [...plan.blocks, extra] };
    const { request } = asproRequestFromPlan(s.store, shaped, { operation: 'NEW' }, catalogue());
    expect(request.targets.filter((t) => t.name === y.name || t.name.startsWith(`${y.name} (`))).toHaveLength(1);
    expect(request.calibrators).toContainEqual({ science: x.name, calibrator: y.name });
  });
});
