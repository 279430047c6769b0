import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'electron/cli/bin.mjs');
const FIXTURES = join(ROOT, 'test/fixtures/survey');
const dir = mkdtempSync(join(tmpdir(), 'spica-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('companion CLI', () => {
  const data = join(dir, 'data');

  it('imports a file and lists targets as JSON with the documented keys', () => {
    const imported = run('import', join(FIXTURES, 'spicadb_partial_wp5.vot'), '--data-dir', data, '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ added: 42, format: 'spicadb-votable' });
    const listed = run('targets', '--json', '--data-dir', data, '--dec-min', '40');
    expect(listed.code).toBe(0);
    const targets = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) {
      for (const key of ['id', 'name', 'spicadb_id', 'ra_deg', 'dec_deg', 'vmag', 'programmes', 'completion_rate', 'final_priority']) expect(t).toHaveProperty(key);
      expect(t.dec_deg as number).toBeGreaterThanOrEqual(40);
    }
  });

  it('exports VOTable and CSV that re-import without duplicates', () => {
    const out = join(dir, 'export.vot');
    expect(run('export', '--format', 'votable', '--output', out, '--data-dir', data).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('<FIELD name="target_main_id"');
    const again = run('import', out, '--data-dir', data, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, unchanged: 42 });
    const csv = run('export', '--format', 'csv', '--data-dir', data);
    expect(csv.stdout.split('\n')[0]).toMatch(/^spicadb_id,target_main_id,ra,dec/);
  });

  it('exits 2 with one line naming the problem on bad input, the store unchanged', () => {
    const before = execFileSync(process.execPath, [BIN, 'targets', '--json', '--data-dir', data], { cwd: ROOT, encoding: 'utf8' });
    const bad = run('import', join(FIXTURES, 'truncated_spicadb.vot'), '--data-dir', data);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/truncated_spicadb.vot: line \d+/);
    expect(run('targets', '--priority', '9', '--data-dir', data)).toMatchObject({ code: 2 });
    expect(run('targets', '--bogus', '--data-dir', data)).toMatchObject({ code: 2 });
    expect(run('export', '--format', 'pdf', '--data-dir', data).stderr).toMatch(/--format must be votable or csv/);
    expect(run('frobnicate').code).toBe(2);
    expect(run('import', join(dir, 'missing.csv'), '--data-dir', data).stderr).toMatch(/no such file/);
    const after = execFileSync(process.execPath, [BIN, 'targets', '--json', '--data-dir', data], { cwd: ROOT, encoding: 'utf8' });
    expect(after).toBe(before);
  });

  it('honours SPICA_COMPANION_DATA_DIR', () => {
    const other = join(dir, 'env-data');
    writeFileSync(join(dir, 'one.csv'), 'name,ra_deg,dec_deg\nsolo,10,10\n');
    const r = spawnSync(process.execPath, [BIN, 'import', join(dir, 'one.csv')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SPICA_COMPANION_DATA_DIR: other } });
    expect(r.status).toBe(0);
    expect(JSON.parse(run('targets', '--json', '--data-dir', other).stdout)).toHaveLength(1);
  });
});
