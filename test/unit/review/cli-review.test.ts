/**
 * The review CLI commands through the real dispatcher: `oifits flag` with PLATO flags,
 * `oifits flag-points --where`, `oifits fit --json` (against the committed oimodeler numbers),
 * `oifits plot` (a PNG drawn by plotly in Debian Chromium), and `oifits inspect` listing an HDU
 * the reader does not know (OITools' Multi_OIINSPOL_TESTV2.fits, OI_SPECTRUM, 5 rows).
 */
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { readFitsStructure, readOifits, readQuality, selectPoints } from '../../../shared/oifits';

const FIXTURES = join(import.meta.dirname, '../../fixtures/oifits');
const REVIEW = join(import.meta.dirname, '../../fixtures/review');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const dirs: string[] = [];

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

function copy(name: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'oifits-cli-review-'));
  dirs.push(dir);
  const file = join(dir, name);
  copyFileSync(join(FIXTURES, name), file);
  chmodSync(file, 0o644);
  return { dir, file };
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('companion oifits (review)', () => {
  it('inspect lists every HDU, marking the OI_SPECTRUM table the reader does not know', async () => {
    const r = await run(['oifits', 'inspect', join(REVIEW, 'oitools__Multi_OIINSPOL_TESTV2.fits'), '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.hdus).toHaveLength(12);
    expect(json.hdus[9]).toMatchObject({ hdu: 9, extname: 'OI_SPECTRUM', xtension: 'BINTABLE', rows: 5, isKnown: false });
    expect(json.hdus.filter((h: { isKnown: boolean }) => !h.isKnown)).toHaveLength(1);
    const text = await run(['oifits', 'inspect', join(REVIEW, 'oitools__Multi_OIINSPOL_TESTV2.fits')]);
    expect(text.out).toMatch(/HDU  9 OI_SPECTRUM\s+5 rows BINTABLE, not an OIFITS table/);
  });

  it('inspect says which tables the flag counts cover (the 50 of 2100 and 42 of 1470 of the SPICA file)', async () => {
    const r = await run(['oifits', 'inspect', join(FIXTURES, 'oimodeler__Aspro2_zet_Oph_CHARA_SPICA_0.60249-0.80749-42ch_S1-S2-E1-E2-W1-W2_2023-05-19.fits'), '--json']);
    const json = JSON.parse(r.out);
    expect([json.flaggedCount, json.flagTotal]).toEqual([50, 2100]);
    const byTable = Object.fromEntries(json.flagCounts.map((c: { extname: string; flagged: number; total: number }) => [c.extname, [c.flagged, c.total]]));
    expect(byTable).toEqual({ OI_VIS2: [10, 630], OI_VIS: [8, 630], OI_T3: [32, 840] });
    // The plot's count: V² + T3 = 42 of 1470.
    expect(byTable.OI_VIS2[0] + byTable.OI_T3[0]).toBe(42);
    expect(byTable.OI_VIS2[1] + byTable.OI_T3[1]).toBe(1470);
  });

  it('flag writes the level and PLATO flags into the header', async () => {
    const { dir, file } = copy('oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits');
    const r = await run(['oifits', 'flag', file, '--level', '4', '--processing', '3', '--calibrators', '2', '--analysis', '0', '--reviewer', 'CLI', '--data-dir', join(dir, 'data'), '--json']);
    expect(r.code, r.err).toBe(0);
    expect(readQuality(readFitsStructure(new Uint8Array(readFileSync(file))).hdus[0].header)).toMatchObject({ level: 4, plato: { processing: 3, calibrators: 2, analysis: 0 } });
    const bad = await run(['oifits', 'flag', file, '--level', '4', '--analysis', '7', '--data-dir', join(dir, 'data')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--analysis: 7 is not an integer 0–3/);
  });

  it('flag-points sets the FLAG of the points the rule chooses', async () => {
    const { dir, file } = copy('oimodeler__Aspro2_zet_Oph_CHARA_SPICA_0.60249-0.80749-42ch_S1-S2-E1-E2-W1-W2_2023-05-19.fits');
    const rule = 'wave < 0.62 um and table = OI_VIS2';
    const chosen = selectPoints(readOifits(new Uint8Array(readFileSync(file))), rule);
    expect(chosen.length).toBe(15 * 4); // 0.6025, 0.6075, 0.6125 and 0.6175 µm on 15 baselines
    const r = await run(['oifits', 'flag-points', file, '--where', rule, '--reason', 'blue channels', '--reviewer', 'CLI', '--data-dir', join(dir, 'data'), '--json']);
    expect(r.code, r.err).toBe(0);
    const after = readOifits(new Uint8Array(readFileSync(file)));
    const vis2 = after.tables.find((t) => t.extname === 'OI_VIS2') as { flag: Uint8Array; nwave: number };
    for (const p of chosen) expect(vis2.flag[p.row * vis2.nwave + p.channel]).toBe(1);
    expect(JSON.parse(r.out).changed).toBeGreaterThan(0);
    const bad = await run(['oifits', 'flag-points', file, '--where', 'colour < 3', '--reason', 'x', '--data-dir', join(dir, 'data')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown field colour/);
  });

  it('fit --json gives {diameter_mas, error_mas, chi2r, n} matching oimodeler', async () => {
    const ref = JSON.parse(readFileSync(join(REVIEW, 'oimodeler_fit_reference.json'), 'utf8')).fits.find((f: { file: string; model: string }) => f.file.includes('MATISSE') && f.model === 'ud');
    const r = await run(['oifits', 'fit', join(FIXTURES, ref.file), '--model', 'ud', '--json']);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['diameter_mas', 'error_mas', 'chi2r', 'n']));
    expect(json.n).toBe(ref.n);
    expect(Math.abs(json.diameter_mas - ref.diameter_mas)).toBeLessThan(ref.error_mas);
    expect(json.chi2r).toBeCloseTo(ref.chi2r, 3);
  });

  it.skipIf(!existsSync(CHROMIUM) && process.env.SPICA_REQUIRE_PEERS !== '1')('plot writes a PNG of the chosen axes (headless Chromium)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oifits-plot-'));
    dirs.push(dir);
    const out = join(dir, 'plot.png');
    const r = await run(['oifits', 'plot', join(FIXTURES, 'oifitslib__bigtest2.fits'), '--x', 'wave', '--y', 'vis2,t3phi,flux', '--out', out, '--width', '900', '--height', '700']);
    expect(r.code, r.err).toBe(0);
    const png = readFileSync(out);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([900, 700]);
    expect(r.out).toMatch(/of alp_ori/);
    const bad = await run(['oifits', 'plot', join(FIXTURES, 'oimodeler__PIONI.2014-02-02T02_15_51.790_oidataCalibrated.fits'), '--y', 'flux', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/has no flux/);
  }, 60_000);
});
