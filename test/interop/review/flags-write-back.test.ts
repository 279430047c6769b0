/**
 * Per-point flags and PLATO flags written through the real review service (real store and
 * migrations, real files in a temp SPICA night folder), read back by astropy and checked by
 * fitsverify: the FLAG elements astropy reads are exactly the ones flagged, every CHECKSUM/DATASUM
 * astropy verifies still verifies, fitsverify finds no errors and no more warnings than in the
 * original, the header records reviewer, date, count and reason, the plots honour the new FLAG
 * (buildPlotData), the history keeps the edit, and an undo restores the original FLAG columns.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import { buildPlotData, readOifits, selectPoints } from '../../../shared/oifits';
import { findAstropyPython, findFitsverify, runPython } from '../oifits/astropy';

const FIXTURES = join(import.meta.dirname, '../../fixtures/oifits');
const python = findAstropyPython();
const fitsverify = findFitsverify();
const required = process.env.SPICA_REQUIRE_PEERS === '1';

const SPICA = 'oimodeler__Aspro2_zet_Oph_CHARA_SPICA_0.60249-0.80749-42ch_S1-S2-E1-E2-W1-W2_2023-05-19.fits';
const GRAVITY = 'oitools__GRAVI.2016-06-23T03_10_17.458_singlesciviscalibrated.fits';

/** FLAG arrays of every data HDU, checksum failures, and the header records, as astropy sees them. */
const ASTROPY_READ = String.raw`
import sys, json, warnings
from astropy.io import fits
path = sys.argv[1]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    with fits.open(path, checksum=True) as hl:
        flags = {}
        for i, h in enumerate(hl):
            if h.name in ('OI_VIS', 'OI_VIS2', 'OI_T3', 'OI_FLUX') and 'FLAG' in h.columns.names:
                flags[str(i)] = h.data['FLAG'].astype(int).tolist()
        p = hl[0].header
        head = {k: p.get(k) for k in ('FLAGEDIT REVIEWER', 'FLAGEDIT DATE', 'FLAGEDIT COUNT', 'FLAGEDIT REASON', 'PLATO FLAG PROC', 'PLATO FLAG CAL', 'PLATO FLAG ANA', 'QUALITY LEVEL')}
        history = [str(c) for c in p.get('HISTORY', [])]
    failed = [str(w.message).strip() for w in caught if 'verification failed' in str(w.message)]
print(json.dumps({'flags': flags, 'header': head, 'history': history, 'checksumFailures': failed}))
`;

interface AstropyView {
  flags: Record<string, number[][]>;
  header: Record<string, string | number | null>;
  history: string[];
  checksumFailures: string[];
}

const read = (path: string): AstropyView => JSON.parse(runPython(python as string, ASTROPY_READ, [path])) as AstropyView;

function fitsverifyCounts(path: string): { warnings: number; errors: number } {
  const r = spawnSync('fitsverify', [path], { encoding: 'utf8' });
  const m = /Verification found (\d+) warning\(s\) and (\d+) error\(s\)/.exec(r.stdout);
  if (!m) throw new Error(`fitsverify output not understood for ${path}: ${r.stdout.slice(-300)}`);
  return { warnings: Number(m[1]), errors: Number(m[2]) };
}

describe.skipIf((!python || !fitsverify) && !required)(`per-point and PLATO flags written back${python && fitsverify ? '' : ' (SKIPPED: astropy or fitsverify missing)'}`, () => {
  let dir: string;
  let services: Services;
  const night = () => join(dir, 'night', 'Results', '2026-11-21');
  const file = (name: string) => join(night(), name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'review-flags-'));
    mkdirSync(night(), { recursive: true });
    for (const f of [SPICA, GRAVITY]) {
      copyFileSync(join(FIXTURES, f), file(f));
      chmodSync(file(f), 0o644);
    }
    services = createServices({ paths: resolvePaths(join(dir, 'data')), transport: 'cli' });
    await services.call('review.addFolder', { root: join(dir, 'night') });
  });

  afterAll(async () => {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('flags points chosen by a rule; astropy reads exactly those FLAGs; checksums and fitsverify stay clean', async () => {
    const path = file(GRAVITY);
    const before = read(path);
    const verifyBefore = fitsverifyCounts(path);
    const rule = 'wave < 2.0 um and table = OI_VIS2';
    const expected = selectPoints(readOifits(new Uint8Array(readFileSync(path))), rule);
    expect(expected.length).toBeGreaterThan(0);
    const r = await services.call('review.flagPoints', { path, rule, reason: 'blue edge of K unreliable', reviewer: 'Flag Tester' });
    const alreadySet = expected.filter((p) => before.flags[String(p.hdu)][p.row][p.channel] === 1).length;
    expect(r.changed).toBe(expected.length - alreadySet);
    expect(r.historyId).toBeTruthy();

    const after = read(path);
    expect(after.checksumFailures).toEqual([]);
    for (const [hdu, rows] of Object.entries(after.flags)) {
      rows.forEach((row, i) =>
        row.forEach((f, j) => {
          const wanted = expected.some((p) => String(p.hdu) === hdu && p.row === i && p.channel === j) ? 1 : before.flags[hdu][i][j];
          expect(f, `HDU ${hdu} row ${i} channel ${j}`).toBe(wanted);
        }),
      );
    }
    expect(after.header['FLAGEDIT REVIEWER']).toBe('Flag Tester');
    expect(after.header['FLAGEDIT COUNT']).toBe(r.changed);
    expect(after.header['FLAGEDIT REASON']).toBe('blue edge of K unreliable');
    expect(String(after.header['FLAGEDIT DATE'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(after.history.join(' ')).toContain('Flag Tester');
    expect(after.history.join(' ')).toContain(rule);
    const verifyAfter = fitsverifyCounts(path);
    expect(verifyAfter.errors).toBe(0);
    expect(verifyAfter.warnings).toBeLessThanOrEqual(verifyBefore.warnings);

    // The plots honour the new FLAG: none of the flagged V² points is plotted as good.
    const plot = buildPlotData(readOifits(new Uint8Array(readFileSync(path))), ['vis2']);
    for (const p of expected) {
      const s = plot.series.find((x) => x.hdu === p.hdu && x.row === p.row);
      expect(s?.flagged[p.channel]).toBe(true);
    }
  });

  it('undo restores the FLAG columns astropy read before, and the history says who did what', async () => {
    const path = file(SPICA);
    const before = read(path);
    const points = [
      { hdu: 0, row: 0, channel: 0 },
      { hdu: 0, row: 3, channel: 10 },
      { hdu: 0, row: 7, channel: 41 },
    ];
    const vis2Hdu = Number(Object.keys(before.flags).find((h) => before.flags[h].length === 15 && before.flags[h][0].length === 42));
    const r = await services.call('review.flagPoints', { path, points: points.map((p) => ({ ...p, hdu: vis2Hdu })), reason: 'picked on the plot', reviewer: 'Undo Tester' });
    expect(r.changed).toBe(3);
    const flagged = read(path);
    for (const p of points) expect(flagged.flags[String(vis2Hdu)][p.row][p.channel]).toBe(1);
    expect(flagged.checksumFailures).toEqual([]);

    const undo = await services.call('review.undoFlags', { path, historyId: r.historyId as string, reviewer: 'Undo Tester' });
    expect(undo.changed).toBe(3);
    const restored = read(path);
    expect(restored.flags).toEqual(before.flags);
    expect(restored.checksumFailures).toEqual([]);
    expect(fitsverifyCounts(path).errors).toBe(0);

    const history = await services.call('review.history', { path });
    const kinds = history.events.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['flags', 'flags-undo']));
    const edit = history.events.find((e) => e.kind === 'flags');
    expect(edit?.reviewer).toBe('Undo Tester');
    expect(edit?.undoneBy).toBe(history.events.find((e) => e.kind === 'flags-undo')?.id);
    await expect(services.call('review.undoFlags', { path, historyId: r.historyId as string, reviewer: 'Undo Tester' })).rejects.toThrow(/already undone/);
  });

  it('an older edit is undone when later edits touched other points, refused when they touched its points', async () => {
    const path = file(SPICA);
    const before = read(path);
    const vis2Hdu = Number(Object.keys(before.flags).find((h) => before.flags[h].length === 15 && before.flags[h][0].length === 42));
    const at = (row: number, channel: number) => ({ hdu: vis2Hdu, row, channel });
    const first = await services.call('review.flagPoints', { path, points: [at(1, 5), at(2, 6)], reason: 'first', reviewer: 'Order Tester' });
    const second = await services.call('review.flagPoints', { path, points: [at(4, 20)], reason: 'second', reviewer: 'Order Tester' });
    const third = await services.call('review.flagPoints', { path, points: [at(2, 6)], flag: false, reason: 'third unflags one of the first', reviewer: 'Order Tester' });
    expect([first.changed, second.changed, third.changed]).toEqual([2, 1, 1]);
    // The first edit's point (2, 6) was changed by the third: its undo is refused, nothing written.
    const held = read(path);
    await expect(services.call('review.undoFlags', { path, historyId: first.historyId as string, reviewer: 'Order Tester' })).rejects.toThrow(/later edit changed 1 of the 2 points/);
    expect(read(path).flags).toEqual(held.flags);
    // The second edit's point was not touched since: it is undone although the third came later.
    const undo = await services.call('review.undoFlags', { path, historyId: second.historyId as string, reviewer: 'Order Tester' });
    expect(undo.changed).toBe(1);
    const after = read(path);
    expect(after.flags[String(vis2Hdu)][4][20]).toBe(before.flags[String(vis2Hdu)][4][20]);
    expect(after.flags[String(vis2Hdu)][1][5]).toBe(1);
    expect(after.checksumFailures).toEqual([]);
    expect(fitsverifyCounts(path).errors).toBe(0);
  });

  it('writes PLATO flags with the verdict; astropy reads them; the store and history keep them', async () => {
    const path = file(SPICA);
    const r = await services.call('review.setQuality', { path, level: 4, comment: 'fine', reviewer: 'PLATO Tester', plato: { processing: 3, calibrators: 2, analysis: 1 } });
    expect(r.item.plato).toEqual({ processing: 3, calibrators: 2, analysis: 1 });
    const v = read(path);
    expect(v.header).toMatchObject({ 'PLATO FLAG PROC': 3, 'PLATO FLAG CAL': 2, 'PLATO FLAG ANA': 1, 'QUALITY LEVEL': 4 });
    expect(v.checksumFailures).toEqual([]);
    expect(fitsverifyCounts(path).errors).toBe(0);
    const history = await services.call('review.history', { path });
    expect(history.events.find((e) => e.kind === 'verdict')?.summary).toMatch(/Q4.*PLATO 3\/2\/1/);
    // A verdict changes only the primary header: the product keeps its content hash and row.
    expect(history.versions).toHaveLength(1);
  });
});
