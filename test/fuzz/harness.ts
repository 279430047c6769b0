/**
 * The fuzz harness: seeded, bounded mutation cases of the OIFITS and VOTable samples, run in child
 * processes under a memory cap (resident memory polled from /proc and enforced by killing the
 * child, plus a V8 heap limit), each case under a time budget enforced the same way. A killed
 * case counts as a hang (or as over the memory cap) and the run goes on in a fresh child, so one
 * bad case never stops the suite. An address-space limit (prlimit) was tried and rejected: V8
 * reserves gigabytes of address space it never touches, so the limit failed healthy cases.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { caseSeed } from './rng';
import type { CaseOutcome, FuzzCase, OutcomeKind } from './run-case';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const SHARED = resolve(REPO_ROOT, '../shared');

/** Options of a run. */
export interface FuzzOptions {
  seed: number;
  /** Mutations per OIFITS base file. */
  oifitsPerFile: number;
  /** Mutations per VOTable base file (files over 200 kB get a quarter, they are slow to parse). */
  votablePerFile: number;
  /** Time budget of one case, enforced by killing the child. */
  caseTimeMs: number;
  /** Resident-memory cap of a child process, MB. */
  memoryMb: number;
  /** Child processes run in parallel. */
  workers: number;
  /** Only cases whose id is listed (replay). */
  only?: string[];
}

export const DEFAULT_OPTIONS: FuzzOptions = {
  seed: 18,
  oifitsPerFile: 110,
  votablePerFile: 60,
  caseTimeMs: 10_000,
  memoryMb: 768,
  workers: 2,
};

/** A case that did not end as ok or input error. */
export interface Failure {
  id: string;
  file: string;
  kind: OutcomeKind | 'hang' | 'crash';
  what: string;
  message: string;
}

/** Outcome counts of one suite. */
export interface SuiteReport {
  cases: number;
  ok: number;
  inputErrors: number;
  /** VOTable only: input errors whose message names no line, row or table. */
  inputErrorsWithoutLocation: number;
  internalErrors: number;
  hangs: number;
  memory: number;
  crashes: number;
  failures: Failure[];
}

export interface FuzzReport {
  oifits: SuiteReport;
  votable: SuiteReport;
  baseFiles: { oifits: string[]; votable: string[] };
  durationMs: number;
  memoryCap: string;
}

function filesIn(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (pattern.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Base files, deduplicated by content, in a stable order (by name, then path). */
function unique(paths: string[]): string[] {
  const seen = new Set<string>();
  return paths
    .sort((a, b) => basename(a).localeCompare(basename(b)) || a.localeCompare(b))
    .filter((p) => {
      const h = createHash('sha1').update(readFileSync(p)).digest('hex');
      if (seen.has(h)) return false;
      seen.add(h);
      return true;
    });
}

/** The OIFITS samples (test fixtures and ../shared/data/oifits) and the VOTables (fixtures and ../shared/reference). */
export function baseFiles(): { oifits: string[]; votable: string[] } {
  const fits = /\.(fits|oifits|fit)$/i;
  const vot = /\.(vot|scvot|votable)$/i;
  return {
    oifits: unique([...filesIn(join(REPO_ROOT, 'test/fixtures/oifits'), fits), ...filesIn(join(REPO_ROOT, 'test/fixtures/samp'), fits), ...filesIn(join(SHARED, 'data/oifits'), fits)]),
    votable: unique([...filesIn(join(REPO_ROOT, 'test/fixtures'), vot), ...filesIn(join(SHARED, 'reference'), vot)]),
  };
}

/** Every case of a run, in a stable order. */
export function buildCases(options: FuzzOptions): { cases: FuzzCase[]; files: { oifits: string[]; votable: string[] } } {
  const files = baseFiles();
  const cases: FuzzCase[] = [];
  files.oifits.forEach((file, f) => {
    for (let i = 0; i < options.oifitsPerFile; i++) cases.push({ id: `oifits-${f}-${i}`, suite: 'oifits', file, seed: caseSeed(options.seed, f, i) });
  });
  files.votable.forEach((file, f) => {
    const n = statSync(file).size > 200_000 ? Math.ceil(options.votablePerFile / 4) : options.votablePerFile;
    for (let i = 0; i < n; i++) cases.push({ id: `votable-${f}-${i}`, suite: 'votable', file, seed: caseSeed(options.seed, 1000 + f, i) });
  });
  const only = options.only ? new Set(options.only) : null;
  return { cases: only ? cases.filter((c) => only.has(c.id)) : cases, files };
}

/** Bundle the child entry into one .mjs so each child starts in milliseconds, without a loader. */
async function bundleChild(dir: string): Promise<string> {
  const out = join(dir, 'fuzz-child.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'error',
    banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
  });
  return out;
}

/** Resident memory of a process in MB (Linux /proc), or null where /proc is not available. */
function residentMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const canPollMemory = residentMb(process.pid) !== null;

function emptySuite(): SuiteReport {
  return { cases: 0, ok: 0, inputErrors: 0, inputErrorsWithoutLocation: 0, internalErrors: 0, hangs: 0, memory: 0, crashes: 0, failures: [] };
}

/** Run the cases; resolves when every case has an outcome. */
export async function runFuzz(options: FuzzOptions = DEFAULT_OPTIONS, log: (line: string) => void = () => undefined): Promise<FuzzReport> {
  const started = Date.now();
  const { cases, files } = buildCases(options);
  const dir = mkdtempSync(join(tmpdir(), 'spica-fuzz-'));
  const report: FuzzReport = {
    oifits: emptySuite(),
    votable: emptySuite(),
    baseFiles: { oifits: files.oifits.map((f) => basename(f)), votable: files.votable.map((f) => basename(f)) },
    durationMs: 0,
    memoryCap: `${canPollMemory ? `resident memory ${options.memoryMb} MB` : 'no /proc: resident memory not polled'}, V8 heap ${Math.floor(options.memoryMb / 2)} MB`,
  };
  const record = (c: FuzzCase, kind: Failure['kind'] | OutcomeKind, what: string, message = '', hasLocation?: boolean): void => {
    const s = report[c.suite];
    s.cases++;
    if (kind === 'ok') s.ok++;
    else if (kind === 'input-error') {
      s.inputErrors++;
      if (hasLocation === false) s.inputErrorsWithoutLocation++;
    } else {
      if (kind === 'internal-error') s.internalErrors++;
      else if (kind === 'hang') s.hangs++;
      else if (kind === 'memory') s.memory++;
      else s.crashes++;
      s.failures.push({ id: c.id, file: basename(c.file), kind: kind as Failure['kind'], what, message });
    }
  };
  try {
    const entry = await bundleChild(dir);
    let next = 0;
    const heapMb = Math.floor(options.memoryMb / 2);
    const spawnChild = (): ChildProcess => spawn(process.execPath, [`--max-old-space-size=${heapMb}`, entry], { stdio: ['pipe', 'pipe', 'pipe'] });
    const lane = async (): Promise<void> => {
      let child: ChildProcess | null = null;
      let lines: AsyncIterator<string> | null = null;
      let stderr = '';
      const stop = (): void => {
        child?.kill('SIGKILL');
        child = null;
        lines = null;
      };
      while (next < cases.length) {
        const c = cases[next++];
        if (!child) {
          child = spawnChild();
          stderr = '';
          child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
          lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
        }
        const current = child;
        const reader = lines as AsyncIterator<string>;
        current.stdin?.write(`${JSON.stringify(c)}\n`);
        let timer: ReturnType<typeof setTimeout> | undefined;
        let poll: ReturnType<typeof setInterval> | undefined;
        const timeout = new Promise<'timeout' | 'memory'>((ok) => {
          timer = setTimeout(() => ok('timeout'), options.caseTimeMs);
          poll = setInterval(() => {
            const mb = current.pid === undefined ? null : residentMb(current.pid);
            if (mb !== null && mb > options.memoryMb) ok('memory');
          }, 25);
        });
        const result = (async (): Promise<CaseOutcome | 'exit'> => {
          for (;;) {
            const line = await reader.next();
            if (line.done) return 'exit';
            const m = JSON.parse(line.value) as { id: string; outcome?: CaseOutcome };
            if (m.id === c.id && m.outcome) return m.outcome;
          }
        })();
        const got = await Promise.race([result, timeout]);
        clearTimeout(timer);
        clearInterval(poll);
        if (got === 'memory') {
          record(c, 'memory', `(replay with: npm run fuzz -- --case ${c.id})`, `resident memory over ${options.memoryMb} MB; child killed`);
          stop();
        } else if (got === 'timeout') {
          record(c, 'hang', '(replay with: npm run fuzz -- --case ' + c.id + ')', `no outcome within ${options.caseTimeMs} ms; child killed`);
          stop();
        } else if (got === 'exit') {
          await new Promise((ok) => setTimeout(ok, 50));
          const oom = /heap limit|out of memory|allocation failed/i.test(stderr);
          record(c, oom ? 'memory' : 'crash', '(replay with: npm run fuzz -- --case ' + c.id + ')', stderr.split('\n').filter(Boolean).slice(-3).join(' | '));
          stop();
        } else {
          record(c, got.kind, got.what, got.message, got.hasLocation);
        }
        const done = report.oifits.cases + report.votable.cases;
        if (done % 500 === 0) log(`fuzz: ${done}/${cases.length} cases`);
      }
      if (child) {
        (child as ChildProcess).stdin?.end();
        stop();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.workers) }, () => lane()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report.durationMs = Date.now() - started;
  return report;
}

/** The lines CI shows: case counts, hangs, internal errors per suite. */
export function summaryLines(report: FuzzReport, options: FuzzOptions): string[] {
  const line = (name: string, s: SuiteReport, files: number) =>
    `fuzz ${name}: ${s.cases} cases over ${files} base files — ${s.ok} read, ${s.inputErrors} input errors` +
    `${name === 'votable' ? ` (${s.inputErrorsWithoutLocation} without a line/row)` : ''}, ` +
    `${s.internalErrors} internal errors, ${s.hangs} hangs, ${s.memory} over the memory cap, ${s.crashes} crashes`;
  return [
    line('oifits', report.oifits, report.baseFiles.oifits.length),
    line('votable', report.votable, report.baseFiles.votable.length),
    `fuzz: seed ${options.seed}, ${options.caseTimeMs} ms per case, ${report.memoryCap}, ${options.workers} child processes, ${(report.durationMs / 1000).toFixed(1)} s`,
  ];
}

/** `npm run fuzz [-- --seed N --per-file N --case ID ...]`: run and print every failure. */
export async function main(argv: string[]): Promise<number> {
  const options: FuzzOptions = { ...DEFAULT_OPTIONS };
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--seed') options.seed = Number(value);
    else if (flag === '--per-file') options.oifitsPerFile = options.votablePerFile = Number(value);
    else if (flag === '--case') only.push(value);
    else if (flag === '--workers') options.workers = Number(value);
    else continue;
    i++;
  }
  if (only.length) options.only = only;
  const report = await runFuzz(options, (l) => process.stderr.write(`${l}\n`));
  for (const suite of ['oifits', 'votable'] as const) {
    for (const f of report[suite].failures) process.stdout.write(`${f.kind} ${f.id} ${f.file}: ${f.what} → ${f.message}\n`);
  }
  if (only.length) {
    const { cases } = buildCases(options);
    const { runCase } = await import('./run-case');
    for (const c of cases) process.stdout.write(`${c.id}: ${JSON.stringify(runCase(c))}\n`);
  }
  for (const l of summaryLines(report, options)) process.stdout.write(`${l}\n`);
  return report.oifits.hangs + report.oifits.internalErrors + report.oifits.memory + report.oifits.crashes > 0 ? 1 : 0;
}

if (extname(process.argv[1] ?? '') === '.ts' && resolve(process.argv[1]) === resolve(import.meta.dirname, 'harness.ts')) {
  process.exitCode = await main(process.argv.slice(2));
}
