/**
 * `companion oifits inspect|flag` through the real CLI dispatcher: JSON shape and figures for a
 * file whose tables the data README lists (astropy figures), the one-line error and exit code for
 * an unreadable file, and a flag written to a temp copy and recorded in a temp store.
 */
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { readFitsStructure, readQuality } from '../../../shared/oifits';

const FIXTURES = join(__dirname, '../../fixtures/oifits');
const dirs: string[] = [];

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('companion oifits', () => {
  it('inspect --json lists every OI table in file order with its keys (bigtest2: all nine table types)', async () => {
    const r = await run(['oifits', 'inspect', join(FIXTURES, 'oifitslib__bigtest2.fits'), '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.version).toBe(2);
    expect(json.targets).toHaveLength(3);
    // README: TARGET 3; ARRAY 7+3; WAVELENGTH 20+1; VIS 3+9; VIS2 3+9; T3 3+9; FLUX 2+2; CORR 3; INSPOL 10; flagged 87/211
    const rows = (name: string) => json.tables.filter((t: { extname: string }) => t.extname === name).map((t: { rows: number }) => t.rows);
    expect(rows('OI_ARRAY')).toEqual([7, 3]);
    expect(rows('OI_VIS2')).toEqual([3, 9]);
    expect(rows('OI_CORR')).toEqual([3]);
    expect(rows('OI_INSPOL')).toEqual([10]);
    expect(json.flaggedFraction).toBeCloseTo(87 / 211, 12);
    const vis2 = json.tables.find((t: { extname: string }) => t.extname === 'OI_VIS2');
    expect(vis2).toMatchObject({ insname: expect.any(String), arrname: expect.any(String), nwave: 20 });
    expect(json.tables.find((t: { extname: string }) => t.extname === 'OI_CORR').corrname).toBeTruthy();
    for (const f of json.findings) expect(Object.keys(f)).toEqual(expect.arrayContaining(['severity', 'rule', 'hdu', 'message']));
  });

  it('inspect of an unreadable file: exit 2 and one line naming HDU and offset', async () => {
    const r = await run(['oifits', 'inspect', join(FIXTURES, 'oitools__testdata_opt_TRUNC.fits'), '--json']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/HDU 0 at byte 0/);
  });

  it('flag writes the level into the file and the store, keeping the original', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oifits-cli-'));
    dirs.push(dir);
    const file = join(dir, 'bet_Ari.fits');
    copyFileSync(join(FIXTURES, 'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits'), file);
    chmodSync(file, 0o644);
    const r = await run(['oifits', 'flag', file, '--level', '3', '--comment', 'quick look only', '--reviewer', 'CLI', '--data-dir', join(dir, 'data'), '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.item).toMatchObject({ qualityLevel: 3, reviewer: 'CLI', reviewComment: 'quick look only' });
    expect(readQuality(readFitsStructure(new Uint8Array(readFileSync(file))).hdus[0].header)).toMatchObject({ level: 3, reviewer: 'CLI', comment: 'quick look only' });
    expect(readFileSync(result.backupPath).equals(readFileSync(join(FIXTURES, 'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits')))).toBe(true);

    const bad = await run(['oifits', 'flag', file, '--level', '7', '--data-dir', join(dir, 'data')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--level/);
  });
});
