/**
 * `companion targets --json` prints each target's `final_priority` as NSS computes it (issue #10):
 * the expected value is re-derived here from the table of ../shared/docs/aspro2-chara.md §4.3
 * (nss.py v2025-09 `onQuery` → `update_priority_final2`, completion flags per mode), written out
 * independently of shared/nss/rules.ts, for every target of the seeded demo survey in a real store.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'electron/cli/bin.mjs');
const work = mkdtempSync(join(tmpdir(), 'planner-targets-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function companion(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', join(work, 'data')], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** §4.3 completion flag: DIA 1 if rate > 0; DLD/IMA/TMP 1 if ≥ 0.5, 2 if 0 < rate < 0.5; SPI always 3; rate 0 (or NULL) 3. */
function nssFlag(mode: string | null, rate: number | null): 1 | 2 | 3 | null {
  const r = rate ?? 0;
  if (mode === 'SPI') return 3;
  if (r === 0) return ['DIA', 'DLD', 'IMA', 'TMP'].includes(mode ?? '') ? 3 : null;
  if (mode === 'DIA') return 1;
  if (mode === 'DLD' || mode === 'IMA' || mode === 'TMP') return r >= 0.5 ? 1 : 2;
  return null;
}

/** §4.3 table (rows: flag; columns: PI priority 0 high, 1 low; NULL PI counts as 0). */
const TABLE: Record<1 | 2 | 3, [number, number]> = { 1: [1, 1], 2: [1, 3], 3: [2, 4] };

describe('companion targets --json final_priority', () => {
  it('is NSS’s final priority for every demo target, null when NSS cannot rank it', () => {
    const demo = companion(['demo']);
    expect(demo.code, demo.stderr).toBe(0);
    const run = companion(['targets', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout) as Array<{ name: string; mode: string | null; completion_rate: number | null; final_priority: number | null; programmes: Array<{ pi_priority: number | null }> }>;
    expect(rows.length).toBe(3000);
    const seen = new Set<number | null>();
    for (const t of rows) {
      const flag = nssFlag(t.mode, t.completion_rate);
      const pi = t.programmes[0]?.pi_priority ?? 0;
      const expected = flag === null || (pi !== 0 && pi !== 1) ? null : TABLE[flag][pi];
      expect(t.final_priority, `${t.name} ${t.mode} ${t.completion_rate} PI ${pi}`).toBe(expected);
      seen.add(t.final_priority);
    }
    // The demo survey exercises every rank.
    for (const p of [1, 2, 3, 4]) expect(seen.has(p), `P${p} occurs`).toBe(true);
  });
});
