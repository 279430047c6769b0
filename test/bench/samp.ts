/**
 * `npm run bench:samp`: our embedded hub against JSAMP 1.3.7's hub (the anchor), doing the same
 * work in the same run, alternating which goes first.
 *
 * A. JSAMP CalcStorm: several JSAMP clients firing calc messages at each other through the hub
 *    (notify, call and callAndWait mixed). Each hub runs as its own process (ours: `companion samp
 *    hub`), so both are measured the same way: "cold" is the first CalcStorm on a fresh hub
 *    process, "warm" the second one on the same process. Hub CPU comes from /proc/<pid>/stat,
 *    and so does the CPU of CalcStorm's own JVM within its timed window: on a 2-core machine the
 *    clients' CPU bounds the wall time whatever the hub does, so the bench prints that bound.
 * B. Flood: a JSAMP client (test/interop/samp/JsampFlood.java) sends 3000 coord.pointAt.sky
 *    notifications, 20 in flight, to the app's SAMP client (in this process); the figure is the
 *    time until the app has handled all of them. Needs a JDK (single-file Java launch).
 *
 * Options: --clients N --queries N --runs N (CalcStorm rounds), --flood N (messages, 0 = skip).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COMPANION_NAME, SampBridge } from '../../electron/samp/bridge';

const JAR = '/usr/share/java/jsamp.jar';
const ROOT = path.join(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'electron/cli/bin.mjs');
const FLOOD_SOURCE = path.join(ROOT, 'test/interop/samp/JsampFlood.java');
const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '5' },
    queries: { type: 'string', default: '100' },
    runs: { type: 'string', default: '3' },
    flood: { type: 'string', default: '3000' },
  },
});
const clients = Number(values.clients);
const queries = Number(values.queries);
const runs = Number(values.runs);
const floodCount = Number(values.flood);

type HubKind = 'ours' | 'jsamp';
const LABEL: Record<HubKind, string> = { ours: 'SPICA Companion hub', jsamp: 'JSAMP 1.3.7 hub' };

function collect(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    p.stdout.on('data', (c: Buffer) => (text += c));
    p.stderr.on('data', (c: Buffer) => (text += c));
    p.on('exit', (code) => resolve({ code, text }));
  });
}

/** CPU time (user + system, all threads) of a process so far, ms, from /proc (10 ms ticks). */
function procCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface HubProcess {
  env: NodeJS.ProcessEnv;
  cpuMs(): number;
  stop(): Promise<void>;
}

async function startHub(kind: HubKind): Promise<HubProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'samp-bench-'));
  const lock = path.join(dir, 'lockfile');
  const env = { ...process.env, SAMP_HUB: `std-lockurl:file://${lock}` };
  const proc: ChildProcess =
    kind === 'jsamp'
      ? spawn('java', ['-Djava.awt.headless=true', '-cp', JAR, 'org.astrogrid.samp.JSamp', 'hub', '-mode', 'no-gui', '-profiles', 'std'], { env, stdio: 'ignore' })
      : spawn(process.execPath, [CLI, 'samp', 'hub'], { env, stdio: 'ignore' });
  for (let i = 0; i < 600 && !(existsSync(lock) && readFileSync(lock, 'latin1').includes('samp.hub.xmlrpc.url')); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(lock)) throw new Error(`${LABEL[kind]} did not start`);
  return {
    env,
    cpuMs: () => procCpuMs(proc.pid as number),
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        proc.kill('SIGTERM');
      }),
  };
}

/** Busy CPU time of the whole machine so far (all cores, ms), from /proc/stat. */
function machineBusyMs(): number {
  const f = readFileSync('/proc/stat', 'latin1').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const ticks = f.reduce((a, b) => a + b, 0) - f[3] - f[4];
  return ticks * 10;
}

interface StormFigure {
  wallMs: number;
  /** CPU of CalcStorm's own JVM (all its clients) within its timed window. */
  clientCpuMs: number;
  /** CPU of the whole machine within that window, so the other processes' share can be told. */
  machineBusyMs: number;
}

/**
 * One CalcStorm run. Its JVM's CPU and the machine's busy time are sampled every 10 ms, so the
 * part inside CalcStorm's own timed window ("Elapsed time", printed as it ends, which excludes
 * the JVM's start) can be read off: the clients' CPU is a floor no hub can go below.
 */
function calcstorm(env: NodeJS.ProcessEnv): Promise<StormFigure> {
  const args = ['-Djava.awt.headless=true', '-cp', JAR, 'org.astrogrid.samp.JSamp', 'calcstorm', '-nclient', String(clients), '-nquery', String(queries)];
  return new Promise((resolve, reject) => {
    const p = spawn('java', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const samples: Array<{ atMs: number; jvmMs: number; busyMs: number }> = [];
    const sample = (): void => {
      try {
        samples.push({ atMs: performance.now(), jvmMs: procCpuMs(p.pid as number), busyMs: machineBusyMs() });
      } catch {
        // The JVM has just exited: its last sample stands.
      }
    };
    const timer = setInterval(sample, 10);
    let text = '';
    let end: { atMs: number; elapsedMs: number } | null = null;
    p.stdout.on('data', (c: Buffer) => {
      text += c;
      const m = /Elapsed time: (\d+) ms/.exec(text);
      if (m && !end) {
        sample();
        end = { atMs: performance.now(), elapsedMs: Number(m[1]) };
      }
    });
    p.stderr.on('data', (c: Buffer) => (text += c));
    p.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0 || !end || samples.length === 0) return reject(new Error(`calcstorm failed (rc ${code}):\n${text}`));
      const startMs = end.atMs - end.elapsedMs;
      const first = samples.findLast((s) => s.atMs <= startMs) ?? samples[0];
      const last = samples.findLast((s) => s.atMs <= end!.atMs) ?? samples[samples.length - 1];
      resolve({ wallMs: end.elapsedMs, clientCpuMs: last.jvmMs - first.jvmMs, machineBusyMs: last.busyMs - first.busyMs });
    });
  });
}

interface Figure {
  wallMs: number;
  hubCpuMs: number;
  clientCpuMs?: number;
  /** CPU used by neither the hub nor the clients during the run (other work on the machine). */
  otherCpuMs?: number;
}

/** CalcStorm twice on one fresh hub process: cold, then warm. */
async function stormRound(kind: HubKind): Promise<{ cold: Figure; warm: Figure }> {
  const hub = await startHub(kind);
  try {
    const measure = async (): Promise<Figure> => {
      const cpu0 = hub.cpuMs();
      const storm = await calcstorm(hub.env);
      const hubCpuMs = hub.cpuMs() - cpu0;
      return { wallMs: storm.wallMs, hubCpuMs, clientCpuMs: storm.clientCpuMs, otherCpuMs: Math.max(0, storm.machineBusyMs - storm.clientCpuMs - hubCpuMs) };
    };
    const cold = await measure();
    const warm = await measure();
    return { cold, warm };
  } finally {
    await hub.stop();
  }
}

/** The flood: JsampFlood → the app's client, through a fresh hub of `kind`. */
async function floodRun(kind: HubKind): Promise<Figure & { handled: number }> {
  const hub = await startHub(kind);
  const bridge = new SampBridge({ env: hub.env, embeddedHub: false, downloadDir: os.tmpdir(), reconnectIntervalMs: 3000 });
  try {
    let handled = 0;
    bridge.on('pointAt', () => handled++);
    await bridge.start();
    if (!(await bridge.waitConnected(30_000))) throw new Error('the app did not register');
    const cpu0 = hub.cpuMs();
    const t0 = Date.now();
    const r = await collect('java', ['-cp', JAR, FLOOD_SOURCE, COMPANION_NAME, String(floodCount), '20'], hub.env);
    if (!/FLOOD sent=\d+ failed=0/.test(r.text)) throw new Error(`flood failed:\n${r.text}`);
    while (handled < floodCount && Date.now() - t0 < 600_000) await new Promise((res) => setTimeout(res, 20));
    return { wallMs: Date.now() - t0, hubCpuMs: hub.cpuMs() - cpu0, handled };
  } finally {
    await bridge.stop();
    await hub.stop();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function report(what: string, ours: Figure[], anchor: Figure[], unit: number): void {
  const o = median(ours.map((f) => f.wallMs));
  const a = median(anchor.map((f) => f.wallMs));
  const oCpu = median(ours.map((f) => f.hubCpuMs));
  const aCpu = median(anchor.map((f) => f.hubCpuMs));
  const us = (ms: number) => `${((ms * 1000) / unit).toFixed(0)} us/message`;
  console.log(`${what}:`);
  console.log(`  ${LABEL.ours}: ${o} ms median wall (${us(o)}), hub CPU ${oCpu} ms`);
  console.log(`  ${LABEL.jsamp} (anchor): ${a} ms median wall (${us(a)}), hub CPU ${aCpu} ms`);
  console.log(`  ratio wall time (JSAMP / ours): ${(a / o).toFixed(2)}x${a / o >= 2 ? ' (goal of 2x met)' : ' (goal: 2x)'}; hub CPU: ${(aCpu / oCpu).toFixed(2)}x`);
  const withClients = ours.filter((f) => f.clientCpuMs !== undefined);
  if (withClients.length === 0) return;
  // CalcStorm's clients and the hub share the machine's cores: when they keep them busy, the wall
  // time is their CPU divided by the cores, and the clients' own CPU is a floor for any hub.
  const cores = os.cpus().length;
  const oClient = median(withClients.map((f) => f.clientCpuMs as number));
  const aClient = median(anchor.map((f) => f.clientCpuMs as number));
  const oBound = (oClient + oCpu) / cores;
  const aBound = (aClient + aCpu) / cores;
  const floor = oClient / cores;
  console.log(`  CalcStorm's own JVM (the ${clients} clients) in its timed window: ${oClient} ms CPU with our hub, ${aClient} ms with JSAMP's; other processes: ${median(withClients.map((f) => f.otherCpuMs as number))} ms`);
  console.log(
    `  CPU-bound estimate, (clients + hub CPU) / ${cores} cores: ours ${oBound.toFixed(0)} ms, JSAMP ${aBound.toFixed(0)} ms (${(aBound / oBound).toFixed(2)}x); a hub costing nothing: ${floor.toFixed(0)} ms (${(aBound / floor).toFixed(2)}x at most)`,
  );
}

if (!existsSync(JAR)) {
  console.error(`bench:samp needs JSAMP (${JAR}): apt-get install jsamp`);
  process.exit(2);
}
const messages = clients * queries;
console.log(`A. JSAMP CalcStorm, ${clients} clients x ${queries} queries (${messages} messages); ${runs} rounds, each on a fresh hub process: cold run then warm run`);
const results: Record<HubKind, { cold: Figure[]; warm: Figure[] }> = { ours: { cold: [], warm: [] }, jsamp: { cold: [], warm: [] } };
for (let i = 0; i < runs; i++) {
  const order: HubKind[] = i % 2 === 0 ? ['jsamp', 'ours'] : ['ours', 'jsamp'];
  for (const kind of order) {
    const r = await stormRound(kind);
    results[kind].cold.push(r.cold);
    results[kind].warm.push(r.warm);
    const line = (f: Figure) => `${f.wallMs} ms (hub CPU ${f.hubCpuMs} ms, clients CPU ${f.clientCpuMs} ms, others ${f.otherCpuMs} ms)`;
    console.log(`  round ${i + 1}, ${LABEL[kind]}: cold ${line(r.cold)}, warm ${line(r.warm)}`);
  }
}
report('CalcStorm, cold', results.ours.cold, results.jsamp.cold, messages);
report('CalcStorm, warm', results.ours.warm, results.jsamp.warm, messages);

const jdk = /^jdk\.compiler@/m.test(spawnSync('java', ['--list-modules'], { encoding: 'utf8' }).stdout ?? '');
if (floodCount > 0 && jdk) {
  console.log(`B. Flood: a JSAMP client sends ${floodCount} coord.pointAt.sky (20 in flight) to the app's client; time until all are handled (fresh hub each)`);
  const flood: Record<HubKind, Figure[]> = { ours: [], jsamp: [] };
  for (const kind of ['jsamp', 'ours'] as HubKind[]) {
    const f = await floodRun(kind);
    flood[kind].push(f);
    console.log(`  ${LABEL[kind]}: ${f.handled}/${floodCount} handled in ${f.wallMs} ms (hub CPU ${f.hubCpuMs} ms)`);
  }
  report('Flood', flood.ours, flood.jsamp, floodCount);
} else if (floodCount > 0) {
  console.log('B. Flood: skipped (java cannot run source files here: apt-get install openjdk-17-jdk-headless)');
}
console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs (figures are noisy when the machine is busy)`);
