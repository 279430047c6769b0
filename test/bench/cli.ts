/**
 * npm run bench:cli — CPU time of the `companion` CLI as users run it (node electron/cli/bin.mjs:
 * freshness check, then the esbuild bundle out/cli), against `node -e 0` measured in the same
 * run: `companion help` (goal ≤ 3×) and `companion targets --json` on a 3000-target store
 * (goal ≤ 5×). CPU = user + system time of the child process (getrusage of children, read by
 * Debian's python3 so the harness's own start-up is not counted). Cold = the first run after the
 * bundle was rebuilt (and, for targets, after the store was written); warm = median of 7 more.
 * For comparison it also runs the sources through tsx, as bin.mjs did before the bundle.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCli } from '../../scripts/build-cli.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'electron/cli/bin.mjs');
const WARM_RUNS = 7;
const RUSAGE = 'import resource, subprocess, sys, time\nt = time.perf_counter()\nr = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\nw = time.perf_counter() - t\nu = resource.getrusage(resource.RUSAGE_CHILDREN)\nprint(r.returncode, u.ru_utime + u.ru_stime, w)';

interface Sample {
  cpuMs: number;
  wallMs: number;
}

function measure(argv: string[]): Sample {
  const r = spawnSync('/usr/bin/python3', ['-c', RUSAGE, ...argv], { cwd: ROOT, encoding: 'utf8' });
  const [code, cpu, wall] = r.stdout.trim().split(' ').map(Number);
  if (r.status !== 0 || code !== 0) throw new Error(`${argv.join(' ')} failed (${code}): ${r.stderr}`);
  return { cpuMs: cpu * 1000, wallMs: wall * 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function series(argv: string[]): { cold: Sample; warm: Sample } {
  const cold = measure(argv);
  const runs = Array.from({ length: WARM_RUNS }, () => measure(argv));
  return { cold, warm: { cpuMs: median(runs.map((s) => s.cpuMs)), wallMs: median(runs.map((s) => s.wallMs)) } };
}

const dataDir = mkdtempSync(join(tmpdir(), 'spica-bench-cli-'));
try {
  const node = process.execPath;
  const tsxHelp = [node, '--import', 'tsx/esm', '--input-type=module', '-e', "const { main } = await import('./electron/cli/main.ts'); process.exitCode = await main(['help']);"];

  await buildCli(ROOT);
  const anchor = series([node, '-e', '0']);
  const help = series([node, BIN, 'help']);
  const tsx = series(tsxHelp);

  const demo = spawnSync(node, [BIN, 'demo', '--count', '3000', '--data-dir', dataDir], { cwd: ROOT, encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);
  const targets = series([node, BIN, 'targets', '--json', '--data-dir', dataDir]);
  const listed = JSON.parse(spawnSync(node, [BIN, 'targets', '--json', '--data-dir', dataDir], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout) as unknown[];
  if (listed.length !== 3000) throw new Error(`targets --json listed ${listed.length}, not 3000`);

  const row = (what: string, s: { cold: Sample; warm: Sample }, goal?: number) => {
    const ratio = (k: 'cold' | 'warm') => s[k].cpuMs / anchor[k].cpuMs;
    const verdict = goal === undefined ? '' : `   goal ≤ ${goal}×: ${ratio('cold') <= goal && ratio('warm') <= goal ? 'met' : 'NOT met'}`;
    console.log(
      `${what.padEnd(44)} cold ${s.cold.cpuMs.toFixed(0).padStart(5)} ms CPU (${ratio('cold').toFixed(2)}×)   warm ${s.warm.cpuMs.toFixed(0).padStart(5)} ms CPU (${ratio('warm').toFixed(2)}×)   wall warm ${s.warm.wallMs.toFixed(0)} ms${verdict}`,
    );
  };
  console.log(`companion CLI, CPU (user+sys) of one process; ratio = ours / node -e 0 in this run; warm = median of ${WARM_RUNS}`);
  row('anchor: node -e 0', anchor);
  row('companion help', help, 3);
  row('companion targets --json (3000 targets)', targets, 5);
  row('for comparison: help from the sources via tsx', tsx);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
