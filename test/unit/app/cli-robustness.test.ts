/**
 * The CLI's handling of awkward input, through the real bundle (bin.mjs → out/cli): negative
 * numbers as flag values, --help on every command and group, paths that cannot be read or
 * written (one line naming them, exit 2), CSVs without the needed columns; and what `help`
 * loads (the manifest only, never the service graph).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { MANIFEST } from '../../../electron/cli/manifest';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'electron/cli/bin.mjs');
const dir = mkdtempSync(join(tmpdir(), 'spica-cli-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], options: { asNobody?: boolean; execArgv?: string[] } = {}) {
  const node = [...(options.execArgv ?? []), BIN, ...args];
  // root reads every file whatever its mode: drop to nobody to meet a real permission error.
  const [cmd, argv] = options.asNobody && process.getuid?.() === 0 ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...node]] : [process.execPath, node];
  const r = spawnSync(cmd as string, argv as string[], { cwd: dir, encoding: 'utf8', env: { ...process.env, SPICA_COMPANION_DATA_DIR: join(dir, 'default-data') } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const oneLine = (stderr: string) => stderr.trim().split('\n');

async function inProcess(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += `${t}\n`), openServices: () => Promise.reject(new Error('no services in this test')) });
  return { code, out, err };
}

describe('negative numbers are values', () => {
  writeFileSync(join(dir, 'south.csv'), 'name,ra_deg,dec_deg\nHD 1,10.0,-28.5\n');

  it('takes --dec -28.5 and --twilight -18 (uv, observability)', () => {
    const uv = run(['uv', '--ra', '10', '--dec', '-28.5', '--night', '2026-05-01', '--json']);
    expect(uv.code, uv.stderr).toBe(0);
    expect(JSON.parse(uv.stdout).night).toBe('2026-05-01');
    const obs = run(['observability', '--night', '2026-05-01', '--targets', 'south.csv', '--twilight', '-18', '--min-elev', '35', '--json']);
    expect(obs.code, obs.stderr).toBe(0);
    expect(JSON.parse(obs.stdout)).toMatchObject({ twilight_deg: -18, targets: [{ dec_deg: -28.5 }] });
  });

  it('takes --dec -11.16 for the calibrator search (Spica)', () => {
    const r = run(['calibrators', '--ra', '201.298', '--dec', '-11.16', '--vmag', '0.97', '--json', '--data-dir', join(dir, 'cal-data')]);
    expect(r.code, r.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(r.stdout).candidates)).toBe(true);
  });

  it('still refuses a flag without its value, with the whole hint on one line', () => {
    const r = run(['uv', '--ra', '10', '--dec', '--night', '2026-05-01']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/--dec.*argument is ambiguous.*To specify an option argument starting with a dash use '--dec=-XYZ'/);
  });
});

describe('--help', () => {
  it('prints the usage of every command, exit 0, without running it', async () => {
    for (const entry of MANIFEST) {
      const r = await inProcess([...entry.name.split(' '), '--help']);
      expect(r.code, entry.name).toBe(0);
      expect(r.out, entry.name).toMatch(new RegExp(`companion ${entry.name}`));
    }
  });

  it('works for import and for the oifits and samp groups (through the bundle)', () => {
    const imp = run(['import', '--help']);
    expect(imp).toMatchObject({ code: 0, stderr: '' });
    expect(imp.stdout).toMatch(/^companion import FILE/);
    const group = run(['oifits', '--help']);
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/oifits inspect .*\n.*oifits flag/);
    expect(run(['samp', '-h']).stdout).toMatch(/samp hub/);
    expect(run(['help', 'oifits']).stdout).toMatch(/oifits flag/);
    const bare = run(['oifits']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/companion oifits: give a sub-command/);
  });

  it('lists sub-commands under a command that has them', async () => {
    expect((await inProcess(['calibrators', '--help'])).out).toMatch(/Sub-commands:\n.*calibrators import/);
  });
});

describe('paths that cannot be used: one line naming the path, exit 2', () => {
  writeFileSync(join(dir, 'a-file'), 'x');

  it('a --data-dir that is a file, or below a file', () => {
    const file = run(['targets', '--data-dir', 'a-file']);
    expect(file.code).toBe(2);
    expect(oneLine(file.stderr)).toEqual([`companion targets: --data-dir ${join(dir, 'a-file')}: is a file, not a folder`]);
    const below = run(['targets', '--data-dir', 'a-file/sub']);
    expect(below.code).toBe(2);
    expect(oneLine(below.stderr)).toEqual([`companion targets: --data-dir ${join(dir, 'a-file/sub')}: a part of the path is not a folder (stat)`]);
  });

  it('an --output in a missing folder or below a file', () => {
    const data = join(dir, 'out-data');
    const missing = run(['export', '--format', 'csv', '--output', 'no-such-folder/x.csv', '--data-dir', data]);
    expect(missing.code).toBe(2);
    expect(oneLine(missing.stderr)).toEqual(['companion export: no-such-folder/x.csv: no such file or folder (open)']);
    const belowFile = run(['export', '--format', 'csv', '--output', 'a-file/x.csv', '--data-dir', data]);
    expect(belowFile.code).toBe(2);
    expect(oneLine(belowFile.stderr)).toEqual(['companion export: a-file/x.csv: a part of the path is not a folder (open)']);
  });

  it('a folder given as the file to import', () => {
    mkdirSync(join(dir, 'a-folder'), { recursive: true });
    const r = run(['import', 'a-folder', '--data-dir', join(dir, 'import-data')]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual(['companion import: a-folder: is a directory, not a file to import']);
  });

  it('an unreadable file, and a data folder the user cannot create', () => {
    writeFileSync(join(dir, 'secret.csv'), 'name,ra_deg,dec_deg\nx,1,1\n');
    chmodSync(join(dir, 'secret.csv'), 0o000);
    const data = join(dir, 'open-data');
    mkdirSync(data, { recursive: true });
    chmodSync(data, 0o777);
    chmodSync(dir, 0o755);
    const r = run(['import', 'secret.csv', '--data-dir', data], { asNobody: true });
    expect(r.code, r.stderr).toBe(2);
    expect(oneLine(r.stderr)).toEqual(['companion import: secret.csv: permission denied']);
    const inspect = run(['oifits', 'inspect', 'secret.csv'], { asNobody: true });
    expect(inspect.code).toBe(2);
    expect(oneLine(inspect.stderr)).toEqual([`companion oifits inspect: ${join(dir, 'secret.csv')}: permission denied (the file is not readable)`]);
    mkdirSync(join(dir, 'locked'));
    chmodSync(join(dir, 'locked'), 0o555);
    const noCreate = run(['targets', '--data-dir', join(dir, 'locked', 'data')], { asNobody: true });
    expect(noCreate.code).toBe(2);
    expect(oneLine(noCreate.stderr)).toEqual([`companion targets: --data-dir ${join(dir, 'locked', 'data')}: cannot create it (permission denied (mkdir))`]);
  });
});

describe('CSV targets without what observability needs', () => {
  it('exits 2 naming the missing columns, or the missing rows', () => {
    writeFileSync(join(dir, 'wrong-columns.csv'), 'star,alpha,delta\nHD 1,10,20\n');
    const wrong = run(['observability', '--night', '2026-05-01', '--targets', 'wrong-columns.csv']);
    expect(wrong.code).toBe(2);
    expect(oneLine(wrong.stderr)).toEqual(['companion observability: wrong-columns.csv: missing column ra_deg or ra, dec_deg or dec (found: star, alpha, delta)']);
    writeFileSync(join(dir, 'header-only.csv'), 'name,ra_deg,dec_deg\n');
    const empty = run(['observability', '--night', '2026-05-01', '--targets', 'header-only.csv', '--json']);
    expect(empty.code).toBe(2);
    expect(oneLine(empty.stderr)).toEqual(['companion observability: header-only.csv: no rows after the header line']);
  });
});

describe('what a command loads', () => {
  // A resolve hook that prints every module URL the process loads (hooks run off-thread).
  const TRACE = `data:text/javascript,${encodeURIComponent("import{register}from'node:module';register('data:text/javascript,'+encodeURIComponent('export async function resolve(s,c,n){const r=await n(s,c);console.error(\"LOAD \"+r.url);return r}'));")}`;
  const loaded = (args: string[]) => run(args, { execArgv: ['--import', TRACE] }).stderr.split('\n').filter((l) => l.startsWith('LOAD ')).map((l) => l.slice(5));

  it('help loads the manifest, not a command module nor the service graph', () => {
    const urls = loaded(['help']);
    expect(urls.some((u) => u.endsWith('/out/cli/main.mjs'))).toBe(true);
    for (const heavy of ['better-sqlite3', 'drizzle-orm', 'zod', 'astronomy-engine', 'papaparse', 'fast-xml-parser']) expect(urls.filter((u) => u.includes(`/node_modules/${heavy}/`)), heavy).toEqual([]);
    expect(urls.filter((u) => /\/out\/cli\/(app|survey|astro|planner|calibrators|samp|review|registry)-/.test(u))).toEqual([]);
  });

  it('targets loads its own command module and the services, not the other commands', () => {
    const urls = loaded(['targets', '--json', '--data-dir', join(dir, 'trace-data')]);
    expect(urls.some((u) => /\/out\/cli\/survey-/.test(u))).toBe(true);
    expect(urls.some((u) => u.includes('/node_modules/better-sqlite3/'))).toBe(true);
    expect(urls.filter((u) => /\/out\/cli\/(app|astro|planner|calibrators|samp|review)-/.test(u))).toEqual([]);
  });
});
