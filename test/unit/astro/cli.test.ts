/** The astro CLI run as a subprocess (`node electron/cli/bin.mjs ...`) against astropy references. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv, readJson, type BenchConfig } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'electron/cli/bin.mjs');
const work = mkdtempSync(join(tmpdir(), 'astro-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function companion(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SPICA_COMPANION_DATA_DIR: join(work, 'data') } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const config = readJson<BenchConfig>('config.json');
const site = `${config.site.lat_deg},${config.site.lon_deg},${config.site.height_m}`;
const reference = readCsv('altaz_reference.csv');

function subsetCsv(name: string, refraction: '0' | '1'): { file: string; rows: Array<Record<string, string>> } {
  const rows = reference.filter((r) => r.refraction === refraction);
  const head = 'ra_deg,dec_deg,utc,pressure_hpa,temperature_c,rel_humidity,obswl_um,dut1_s';
  const body = rows.map((r) => [r.ra_deg, r.dec_deg, r.utc, r.pressure_hpa, r.temperature_c, r.rel_humidity, r.obswl_um, r.dut1_s].join(','));
  const file = join(work, name);
  writeFileSync(file, [head, ...body].join('\n'));
  return { file, rows };
}

describe('companion altaz', () => {
  it('reproduces astropy alt/az (1″), LST and HA (0.1 s) in input order', () => {
    const { file, rows } = subsetCsv('plain.csv', '0');
    const r = companion(['altaz', '--input', file, '--site', site, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Array<{ alt_deg: number; az_deg: number; lst_h: number; ha_h: number }>;
    expect(out).toHaveLength(rows.length);
    out.forEach((o, i) => {
      expect(Math.abs(o.alt_deg - +rows[i].alt_deg) * 3600).toBeLessThan(1);
      expect(Math.abs(((o.az_deg - +rows[i].az_deg + 540) % 360) - 180) * 3600 * Math.cos((o.alt_deg * Math.PI) / 180)).toBeLessThan(1);
      expect(Math.abs(o.lst_h - +rows[i].last_hours) * 3600).toBeLessThan(0.1);
      expect(Math.abs(o.ha_h - +rows[i].ha_hours) * 3600).toBeLessThan(0.1);
    });
  });

  it('with --refraction matches astropy/ERFA refraction within 5″ above 15°', () => {
    const { file, rows } = subsetCsv('refr.csv', '1');
    const r = companion(['altaz', '--input', file, '--site', site, '--refraction', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Array<{ alt_deg: number }>;
    rows.forEach((row, i) => {
      if (row.refraction_reliable === '1') expect(Math.abs(out[i].alt_deg - +row.alt_deg) * 3600).toBeLessThan(5);
    });
  });

  it('rejects a bad row with exit code 2 and a message naming the line', () => {
    const file = join(work, 'bad.csv');
    writeFileSync(file, 'ra_deg,dec_deg,utc\n10,20,2024-05-16T04:30:00\n10,abc,2024-05-16T04:30:00\n');
    const r = companion(['altaz', '--input', file, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.csv line 3: dec_deg "abc" is not a number/);
  });
});

describe('companion observability / uv', () => {
  it('gives HD 30652 with S2-E2-W2 on PoPs 215 its tutorial window (UT 05:35–11:31) to 10 min', () => {
    const file = join(work, 'hd30652.csv');
    writeFileSync(file, 'name,ra_deg,dec_deg\nHD 30652,72.460042,6.961278\n');
    const r = companion(['observability', '--night', '2017-11-30', '--targets', file, '--config', 'S2,E2,W2', '--pops', '215', '--min-elev', '25', '--twilight=-12', '--step', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const t = out.targets[0];
    expect(t.pops).toBe('215');
    expect(t.intervals).toHaveLength(1);
    const minutesOff = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) / 60000;
    expect(minutesOff(t.intervals[0].start, '2017-12-01T05:35:00Z')).toBeLessThanOrEqual(10);
    expect(minutesOff(t.intervals[0].end, '2017-12-01T11:31:00Z')).toBeLessThanOrEqual(10);
  });

  it('explains a fully blocked night per baseline', () => {
    const file = join(work, 'vega.csv');
    writeFileSync(file, 'name,ra_deg,dec_deg\nVega,279.234735,38.783689\n');
    const r = companion(['observability', '--night', '2026-06-21', '--targets', file, '--pops', '111111', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const t = JSON.parse(r.stdout).targets[0];
    expect(t.observable_min).toBe(0);
    expect(t.blocked_dark_min[0].reason).toMatch(/^delay line [SEW][12]-[SEW][12] out of reach$/);
  });

  it('prints uv tracks for every baseline of the configuration', () => {
    const r = companion(['uv', '--ra', '72.460042', '--dec', '6.961278', '--night', '2017-11-30', '--config', 'S2,E2,W2', '--pops', '215', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.baselines.map((b: { baseline: string }) => b.baseline)).toEqual(['S2-E2', 'S2-W2', 'E2-W2']);
    for (const b of out.baselines) {
      expect(b.points.length).toBeGreaterThan(30);
      for (const p of b.points) expect(Math.hypot(p.u_m, p.v_m)).toBeLessThan(250);
    }
    expect(out.channels_um).toHaveLength(59);
  });

  it('reads the survey store with --targets survey', () => {
    const dataDir = join(work, 'survey-data');
    const file = join(work, 'two.csv');
    writeFileSync(file, 'name,ra_deg,dec_deg\nVega,279.234735,38.783689\nHD 30652,72.460042,6.961278\n');
    const imported = companion(['import', file, '--data-dir', dataDir]);
    expect(imported.code, imported.stderr).toBe(0);
    const r = companion(['observability', '--night', '2026-06-21', '--targets', 'survey', '--data-dir', dataDir, '--no-delay', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const names = JSON.parse(r.stdout).targets.map((t: { name: string }) => t.name).sort();
    expect(names).toEqual(['HD 30652', 'Vega']);
  });

  it('says which flag is wrong', () => {
    const r = companion(['uv', '--ra', '72', '--dec', '95', '--night', '2017-11-30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dec must be in \[-90, 90\]/);
  });
});
