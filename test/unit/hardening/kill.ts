/**
 * Helpers of the kill tests: bundle the child (and the OIFITS worker next to it, as the Electron
 * build does), start it, kill it with SIGKILL at a chosen moment, and check what it left behind
 * with independent tools: SQLite's integrity check, astropy (`checksum=True`) and fitsverify.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { build, type BuildOptions } from 'esbuild';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const MIGRATIONS = join(REPO_ROOT, 'electron/db/migrations');

/**
 * Bundle kill-child.ts and the OIFITS worker entry into a fresh folder under the checkout's .tmp/
 * (inside the checkout so that better-sqlite3, native and left out of the bundle, resolves from
 * its node_modules). Returns the child's path; remove its folder when done.
 */
export async function bundleKillChild(): Promise<string> {
  mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
  const outDir = mkdtempSync(join(REPO_ROOT, '.tmp', 'kill-child-'));
  const common: BuildOptions = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error', external: ['better-sqlite3'] };
  const banner = { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" };
  await build({ ...common, banner, entryPoints: [join(import.meta.dirname, 'kill-child.ts')], outfile: join(outDir, 'kill-child.mjs') });
  await build({ ...common, banner, entryPoints: [join(REPO_ROOT, 'electron/services/review/oifits-worker.ts')], outfile: join(outDir, 'oifits-worker.js') });
  return join(outDir, 'kill-child.mjs');
}

/** A started child with a way to wait for its next line matching a pattern. */
export interface Child {
  proc: ChildProcess;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  stderr(): string;
}

export function startChild(bundle: string, args: string[]): Child {
  const proc = spawn(process.execPath, [bundle, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve(line: string): void }> = [];
  createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(line)) w.resolve(line);
      else waiters.push(w);
    }
  });
  const exited = new Promise<number | null>((ok) => proc.on('exit', (code) => ok(code)));
  return {
    proc,
    exited,
    stderr: () => err,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise<string>((ok, fail) => {
        const seen = lines.find((l) => pattern.test(l));
        if (seen) return ok(seen);
        const timer = setTimeout(() => fail(new Error(`child did not print ${pattern} in ${timeoutMs} ms: ${err}`)), timeoutMs);
        waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), ok(l)) });
        void exited.then((code) => fail(new Error(`child exited (${code}) before printing ${pattern}: ${err}`)));
      }),
  };
}

/** SIGKILL the child (no clean-up of any kind runs) and wait until it is gone. */
export async function killNow(child: Child): Promise<void> {
  child.proc.kill('SIGKILL');
  await child.exited;
}

export const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/** What astropy says of each file: primary checksum failures, HDU count, the QUALITY LEVEL card. */
export interface AstropyCheck {
  ok: boolean;
  error?: string;
  hdus?: number;
  level?: number | null;
  checksumFailures?: string[];
}

const ASTROPY_CHECK = String.raw`
import sys, json, warnings
from astropy.io import fits
def check(path):
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            with fits.open(path, checksum=True) as hl:
                level = hl[0].header.get('QUALITY LEVEL')
                for h in hl:
                    h.data
                n = len(hl)
            failed = [str(w.message).strip() for w in caught if 'verification failed' in str(w.message)]
        return {'ok': True, 'hdus': n, 'level': level, 'checksumFailures': failed}
    except Exception as e:
        return {'ok': False, 'error': repr(e)}
for line in sys.stdin:
    print(json.dumps({p: check(p) for p in json.loads(line)}), flush=True)
`;

/**
 * One long-lived astropy process answering `check(paths)` (a JSON line in, a JSON line out), so
 * that checking files after each kill does not pay for importing astropy every time.
 */
export class AstropyChecker {
  private readonly proc: ChildProcess;
  private readonly lines: AsyncIterator<string>;

  constructor(python: string) {
    this.proc = spawn(python, ['-c', ASTROPY_CHECK], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.proc.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  }

  async check(paths: string[]): Promise<Record<string, AstropyCheck>> {
    this.proc.stdin?.write(`${JSON.stringify(paths)}\n`);
    const line = await this.lines.next();
    if (line.done) throw new Error('the astropy checker exited');
    return JSON.parse(line.value) as Record<string, AstropyCheck>;
  }

  close(): void {
    this.proc.stdin?.end();
    this.proc.kill();
  }
}

/** fitsverify's error count per file (`-q` prints "verification OK: f" or "verification FAILED: f, N warnings and M errors"). */
export function fitsverifyErrors(paths: string[]): number[] {
  const r = spawnSync('fitsverify', ['-q', ...paths], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const lines = r.stdout.split('\n');
  return paths.map((p) => {
    const line = lines.find((l) => l.includes(p));
    if (!line) throw new Error(`fitsverify said nothing about ${p}: ${r.stdout.slice(-500)}`);
    if (line.startsWith('verification OK')) return 0;
    const m = /(\d+) errors?/.exec(line);
    if (!m) throw new Error(`fitsverify output not understood: ${line}`);
    return Number(m[1]);
  });
}
