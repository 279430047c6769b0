/** `companion plan` run as a subprocess on the benchmark CSV: output shape, feasibility, --from, bad input. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeNightObservability, defaultObservabilityOptions } from '../../../shared/astro/observability';
import { mjdFromIso } from '../../../shared/astro/time';
import { FIXTURE_DIR } from './bench-fixture';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'electron/cli/bin.mjs');
const work = mkdtempSync(join(tmpdir(), 'planner-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const csv = join(work, 'targets.csv');
writeFileSync(csv, readFileSync(join(FIXTURE_DIR, 'targets.csv'), 'utf8').split('\n').slice(0, 301).join('\n'));

function companion(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SPICA_COMPANION_DATA_DIR: join(work, 'data') } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface CliBlock {
  kind: 'SCI' | 'CAL';
  target: string;
  ra_deg: number;
  dec_deg: number;
  start_utc: string;
  end_utc: string;
  pops?: string;
  calibrators?: string[];
}

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const options = defaultObservabilityOptions('2024-05-15', { stations: ['S1', 'S2', 'E1', 'E2'], twilightDeg: -18 });

/** Spectroscopic binaries the calibrator engine rejects, fully resolved at 330 m (issue #10), by position (BSC5). */
const REJECTED = [
  { name: 'HD 151613', raDeg: 251.32417, decDeg: 56.78194 },
  { name: 'ν¹ Dra (HD 159541)', raDeg: 263.04417, decDeg: 55.18417 },
];

describe('companion plan on the benchmark night with the Calibrators service', () => {
  const full = companion(['plan', '--night', '2024-05-15', '--targets', join(FIXTURE_DIR, 'targets.csv'), '--json']);
  const out = full.code === 0 ? (JSON.parse(full.stdout) as { blocks: Array<CliBlock & { unvetted?: true }>; leftOut: Array<{ target: string; reason: string; code?: string }>; summary: Record<string, number> }) : null;

  it('never schedules HD 151613 or ν¹ Dra, nor any unvetted star, and says why targets without vetted calibrators are out', () => {
    expect(full.code, full.stderr).toBe(0);
    const cals = out!.blocks.filter((b) => b.kind === 'CAL');
    expect(cals.length).toBeGreaterThan(0);
    for (const b of cals) {
      expect(b.unvetted, b.target).toBeUndefined();
      for (const r of REJECTED) expect(Math.hypot((b.ra_deg - r.raDeg) * Math.cos((r.decDeg * Math.PI) / 180), b.dec_deg - r.decDeg), `${b.target} is ${r.name}`).toBeGreaterThan(0.01);
    }
    expect(out!.leftOut.filter((l) => l.code === 'no-vetted-calibrator').every((l) => /^no vetted calibrator/.test(l.reason))).toBe(true);
    expect(out!.summary.science).toBe(out!.blocks.filter((b) => b.kind === 'SCI').length);
    expect(out!.summary.bound).toBeGreaterThanOrEqual(out!.summary.value - 1e-6);
  });
});

describe('companion plan --targets FILE', () => {
  const run = companion(['plan', '--night', '2024-05-15', '--config', 'S1,S2,E1,E2', '--targets', csv, '--calibrators', 'csv', '--json']);
  const out = run.code === 0 ? (JSON.parse(run.stdout) as { blocks: CliBlock[]; leftOut: Array<{ target: string; reason: string }> }) : null;

  it('prints bracketed blocks in ISO 8601 UTC and the left-out targets with reasons', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(out!.blocks.some((b) => b.kind === 'SCI')).toBe(true);
    out!.blocks.forEach((b, i) => {
      expect(b.start_utc).toMatch(ISO_UTC);
      expect(b.end_utc).toMatch(ISO_UTC);
      if (b.kind === 'SCI') expect(b.calibrators).toEqual([out!.blocks[i - 1].target, out!.blocks[i + 1].target]);
    });
    expect(out!.blocks.filter((b) => b.kind === 'SCI').length + out!.leftOut.length).toBe(300);
    expect(out!.leftOut.every((l) => l.reason.length > 0)).toBe(true);
  });

  it('gives blocks the engine finds observable at their start and end with their PoPs', () => {
    for (const b of out!.blocks) {
      const s = mjdFromIso(b.start_utc);
      const e = mjdFromIso(b.end_utc);
      const stepMin = (e - s) * 1440;
      const obs = computeNightObservability([{ raDeg: b.ra_deg, decDeg: b.dec_deg }], { ...options, pops: b.pops!, stepMin, gridStartMjd: s, gridEndMjd: e + stepMin / 2880 });
      expect([obs.targets[0].observable[0], obs.targets[0].observable[1]], `${b.kind} ${b.target} ${b.start_utc}`).toEqual([1, 1]);
    }
  });

  it('re-plans from --from: nothing starts earlier', () => {
    const r = companion(['plan', '--night', '2024-05-15', '--config', 'S1,S2,E1,E2', '--targets', csv, '--calibrators', 'csv', '--from', '08:00', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const blocks = (JSON.parse(r.stdout) as { blocks: CliBlock[] }).blocks;
    for (const b of blocks) expect(Date.parse(b.start_utc)).toBeGreaterThanOrEqual(Date.parse('2024-05-16T08:00:00Z'));
  });

  it('refuses bad input with one line naming the flag, exit code 2', () => {
    const bad = companion(['plan', '--night', '2024-05-15', '--targets', csv, '--from', '25:99']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from must be HH:MM/);
    const pops = companion(['plan', '--night', '2024-05-15', '--config', 'S1,S2', '--pops', '123', '--targets', csv]);
    expect(pops.code).toBe(2);
    expect(pops.stderr).toMatch(/--pops must be "auto" or 2 digits/);
  });
});
