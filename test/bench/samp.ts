/**
 * `npm run bench:samp`: JSAMP CalcStorm (several clients firing calc queries at each other through
 * the hub) against the JSAMP hub and against our embedded hub, in the same run, alternating, and
 * the ratio of the medians. Options: --clients N --queries N --runs N.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SampHub } from '../../electron/samp/hub';

const JAR = '/usr/share/java/jsamp.jar';
const { values } = parseArgs({ options: { clients: { type: 'string', default: '5' }, queries: { type: 'string', default: '100' }, runs: { type: 'string', default: '3' } } });
const clients = Number(values.clients);
const queries = Number(values.queries);
const runs = Number(values.runs);

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve) => {
    const p = spawn('java', ['-Djava.awt.headless=true', '-cp', JAR, 'org.astrogrid.samp.JSamp', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    p.stdout.on('data', (c: Buffer) => (text += c));
    p.stderr.on('data', (c: Buffer) => (text += c));
    p.on('exit', (code) => resolve({ code, text }));
  });
}

/** CPU time (user + system) of a process so far, ms, from /proc (clock ticks of 10 ms). */
function procCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface RunResult {
  elapsedMs: number;
  hubCpuMs: number;
}

async function calcstorm(env: NodeJS.ProcessEnv): Promise<number> {
  const r = await run(['calcstorm', '-nclient', String(clients), '-nquery', String(queries)], env);
  const m = /Elapsed time: (\d+) ms/.exec(r.text);
  if (r.code !== 0 || !m) throw new Error(`calcstorm failed (rc ${r.code}):\n${r.text}`);
  return Number(m[1]);
}

async function waitFile(file: string): Promise<void> {
  for (let i = 0; i < 400 && !(existsSync(file) && readFileSync(file, 'latin1').includes('samp.hub.xmlrpc.url')); i++) await new Promise((r) => setTimeout(r, 50));
}

async function jsampHubRun(): Promise<RunResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'samp-bench-'));
  const lock = path.join(dir, 'lockfile');
  const env = { ...process.env, SAMP_HUB: `std-lockurl:file://${lock}` };
  const hub = spawn('java', ['-Djava.awt.headless=true', '-cp', JAR, 'org.astrogrid.samp.JSamp', 'hub', '-mode', 'no-gui', '-profiles', 'std'], { env, stdio: 'ignore' });
  try {
    await waitFile(lock);
    const cpu0 = procCpuMs(hub.pid as number);
    const elapsedMs = await calcstorm(env);
    return { elapsedMs, hubCpuMs: procCpuMs(hub.pid as number) - cpu0 };
  } finally {
    await new Promise<void>((r) => {
      hub.once('exit', () => r());
      hub.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ourHubRun(): Promise<RunResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'samp-bench-'));
  const lock = path.join(dir, 'lockfile');
  const hub = new SampHub({ lock: { kind: 'file', path: lock } });
  await hub.start();
  try {
    // The hub runs in this process, which does nothing else while CalcStorm runs.
    const cpu0 = process.cpuUsage();
    const elapsedMs = await calcstorm({ ...process.env, SAMP_HUB: `std-lockurl:file://${lock}` });
    const cpu = process.cpuUsage(cpu0);
    return { elapsedMs, hubCpuMs: Math.round((cpu.user + cpu.system) / 1000) };
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

if (!existsSync(JAR)) {
  console.error(`bench:samp needs JSAMP (${JAR}): apt-get install jsamp`);
  process.exit(2);
}
const messages = clients * queries;
console.log(`JSAMP CalcStorm, ${clients} clients x ${queries} queries (${messages} messages), ${runs} runs per hub, alternating`);
const ours: RunResult[] = [];
const anchor: RunResult[] = [];
for (let i = 0; i < runs; i++) {
  anchor.push(await jsampHubRun());
  ours.push(await ourHubRun());
  console.log(
    `  run ${i + 1}: JSAMP hub ${anchor[i].elapsedMs} ms (hub CPU ${anchor[i].hubCpuMs} ms), ` +
      `SPICA Companion hub ${ours[i].elapsedMs} ms (hub CPU ${ours[i].hubCpuMs} ms)`,
  );
}
const a = median(anchor.map((r) => r.elapsedMs));
const o = median(ours.map((r) => r.elapsedMs));
const aCpu = median(anchor.map((r) => r.hubCpuMs));
const oCpu = median(ours.map((r) => r.hubCpuMs));
console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs (figures are noisy when the machine is busy)`);
console.log(`SPICA Companion hub: ${o} ms median wall (${((o * 1000) / messages).toFixed(0)} us/message), hub CPU ${oCpu} ms`);
console.log(`JSAMP 1.3.7 hub (anchor): ${a} ms median wall (${((a * 1000) / messages).toFixed(0)} us/message), hub CPU ${aCpu} ms`);
console.log(`ratio wall time (JSAMP / ours): ${(a / o).toFixed(2)}x ${a / o >= 2 ? '(goal of 2x met)' : '(goal: 2x)'}`);
console.log(`ratio hub CPU time (JSAMP / ours): ${(aCpu / oCpu).toFixed(2)}x`);
