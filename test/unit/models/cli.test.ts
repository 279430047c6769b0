/**
 * `companion visibility` and `companion models check` run as subprocesses over a real store:
 * the samples sit on the same (u, v) tracks `companion uv` prints, a centred disk has V² of the
 * closed form 2J₁(x)/x squared and closure phases of 0/±180°, a binary has non-trivial ones,
 * and bad models exit 2 naming the component and parameter.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { besselJ } from '../../../shared/calibrators/visibility';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'electron/cli/bin.mjs');
const work = mkdtempSync(join(tmpdir(), 'models-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function companion(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, SPICA_COMPANION_DATA_DIR: join(work, 'data') } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Out {
  samples: Array<{ baseline: string; utc: string; u_m: number; v_m: number; lambda_um: number; vis2: number; phase_deg: number }>;
  triangles: Array<{ triangle: string; utc: string; lambda_um: number; closure_phase_deg: number }>;
}

const MAS = Math.PI / 180 / 3600 / 1000;

describe('companion visibility', () => {
  it('predicts a centred disk on the tracks of `companion uv`: closed-form V², closure phases 0 or 180°', () => {
    const args = ['--ra', '186.65', '--dec', '12.39', '--night', '2026-04-15', '--config', 'S1,S2,E1,E2,W1,W2', '--pops', '341325', '--step', '30'];
    const r = companion(['visibility', ...args, '--model', '[{"type":"disk","diameter":1.04}]', '--mode', 'LR', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.samples.length).toBeGreaterThan(15 * 59);
    expect(out.samples.length % (15 * 59)).toBe(0);
    expect(out.triangles.length).toBe((out.samples.length / 15) * 20 / 1);
    for (const s of out.samples.filter((_, i) => i % 97 === 0)) {
      const x = (Math.PI * 1.04 * MAS * Math.hypot(s.u_m, s.v_m)) / (s.lambda_um * 1e-6);
      const v = (2 * besselJ(1, x)) / x;
      expect(Math.abs(s.vis2 - v * v)).toBeLessThan(2e-6);
    }
    expect(out.triangles.every((t) => Math.abs(t.closure_phase_deg) < 1e-6 || Math.abs(Math.abs(t.closure_phase_deg) - 180) < 1e-6)).toBe(true);

    const uv = companion(['uv', ...args, '--mode', 'LR', '--json']);
    expect(uv.code, uv.stderr).toBe(0);
    const tracks = JSON.parse(uv.stdout) as { baselines: Array<{ baseline: string; points: Array<{ utc: string; u_m: number; v_m: number }> }> };
    for (const b of tracks.baselines) {
      for (const p of b.points) {
        const s = out.samples.find((x) => x.baseline === b.baseline && x.utc === p.utc);
        if (!s) continue; // uv samples every 5 min, visibility every 30
        expect(s.u_m).toBeCloseTo(p.u_m, 6);
        expect(s.v_m).toBeCloseTo(p.v_m, 6);
      }
    }
  });

  it('gives a binary non-zero closure phases and uses a survey target by name with its fallback model', () => {
    const binary = '[{"type":"disk","diameter":0.9},{"type":"punct","x":2.5,"y":-1.2,"flux_weight":0.3}]';
    const r = companion(['visibility', '--ra', '186.65', '--dec', '12.39', '--night', '2026-04-15', '--model', binary, '--mode', 'MR', '--channels', '5', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Out & { mode: string };
    expect(out.mode).toBe('MR720');
    expect(out.triangles.some((t) => Math.abs(t.closure_phase_deg) > 10 && Math.abs(t.closure_phase_deg) < 170)).toBe(true);

    const csv = join(work, 't.csv');
    writeFileSync(csv, 'name,ra_deg,dec_deg,vmag,jmag,hmag,kmag,sp_type,ldd_mas\nalf Test,186.6,12.4,4.0,3.0,2.5,2.4,K0III,1.2\n');
    expect(companion(['import', csv]).code).toBe(0);
    const t = companion(['visibility', '--target', 'alf Test', '--night', '2026-04-15', '--json', '--channels', '3']);
    expect(t.code, t.stderr).toBe(0);
    const model = (JSON.parse(t.stdout) as { model: { source: string; note: string } }).model;
    expect(model.source).toBe('fallback-ldd');
    expect(model.note).toMatch(/uniform disk of the predicted diameter/);
  });

  it('refuses bad input with one line naming what', () => {
    const bad = companion(['visibility', '--ra', '10', '--dec', '20', '--night', '2026-04-15', '--model', '[{"type":"disk","diameter":-2}]']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--model: component 1 \(disk\): diameter -2 is below 0/);
    expect(companion(['visibility', '--ra', '10', '--dec', '20', '--night', '2026-04-15']).stderr).toMatch(/need --model/);
    expect(companion(['visibility', '--target', 'nobody', '--night', '2026-04-15']).stderr).toMatch(/no survey target named "nobody"/);
    expect(companion(['visibility', '--ra', '10', '--dec', '20', '--night', '2026-04-15', '--model', '[{"type":"punct"}]', '--mode', 'XR']).stderr).toMatch(/unknown SPICA mode "XR"/);
  });
});

describe('companion models check', () => {
  it('accepts valid models, names the model, component and parameter of invalid ones, exit 2', () => {
    const file = join(work, 'models.json');
    writeFileSync(file, JSON.stringify({ good: [{ type: 'disk', diameter: 1 }], bad: [{ type: 'disk', diameter: 1 }, { type: 'elong_gaussian', minor_axis_fwhm: 1, elong_ratio: 0.5 }] }));
    const r = companion(['models', 'check', file, '--json']);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { ok: boolean; models: Array<{ name: string; ok: boolean; error: string | null }> };
    expect(out.ok).toBe(false);
    expect(out.models[0]).toMatchObject({ name: 'good', ok: true });
    expect(out.models[1].error).toMatch(/component 2 \(elong_gaussian\): elong_ratio 0.5 is below 1/);
    const xml = join(work, 'model.xml');
    writeFileSync(xml, '<tm:model name="d" type="disk"><tm:parameter name="d_diameter" type="diameter"><value>1.5</value></tm:parameter></tm:model>');
    const ok = companion(['models', 'check', xml]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/model: ok, 1 component/);
  });
});
