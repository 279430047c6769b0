/**
 * The one place tests learn whether an external peer is installed: JSAMP, astropy, astroplan
 * (Debian's /usr/bin/python3), scipy, a JDK, fitsverify, STILTS. A test skips, with the reason in its title,
 * when a peer is missing on a developer's machine; with SPICA_REQUIRE_PEERS=1 (set by .ci/run,
 * which installs every peer) a missing peer throws instead, so the suite fails rather than skips.
 * Domain helpers (samp/peers.ts, oifits/astropy.ts) call this; new interop tests should too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export type PeerName = 'jsamp' | 'jdk' | 'astropy' | 'astroplan' | 'scipy' | 'fitsverify' | 'stilts';

/** Debian's interpreter: the pyenv `python3` on PATH has neither astropy nor astroplan. */
export const DEBIAN_PYTHON = '/usr/bin/python3';
export const JSAMP_JAR = '/usr/share/java/jsamp.jar';

const runs = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore', timeout: 60_000 }).status === 0;

const pythonModule = (module: string, apt: string) => (): string | null => {
  if (!existsSync(DEBIAN_PYTHON)) return `${DEBIAN_PYTHON} not found`;
  return runs(DEBIAN_PYTHON, ['-c', `import ${module}`]) ? null : `${module} not importable by ${DEBIAN_PYTHON} (apt-get install ${apt})`;
};

const DETECT: Record<PeerName, () => string | null> = {
  jsamp: () => {
    if (!existsSync(JSAMP_JAR)) return `JSAMP not installed (${JSAMP_JAR} missing: apt-get install jsamp)`;
    return runs('java', ['-version']) ? null : 'java not found (apt-get install jsamp pulls a JRE)';
  },
  astropy: pythonModule('astropy.io.fits, astropy.samp', 'python3-astropy'),
  astroplan: pythonModule('astroplan', 'python3-astroplan'),
  scipy: pythonModule('scipy.special', 'python3-scipy'),
  // JSAMP programs given as Java source need the compiler module (single-file source launch).
  jdk: () => (/^jdk\.compiler@/m.test(spawnSync('java', ['--list-modules'], { encoding: 'utf8' }).stdout ?? '') ? null : 'java cannot run source files (no jdk.compiler: apt-get install openjdk-17-jdk-headless)'),
  fitsverify: () => (spawnSync('fitsverify', ['-h'], { stdio: 'ignore' }).error ? 'fitsverify not on PATH (apt-get install fitsverify)' : null),
  stilts: () => (runs('stilts', ['-version']) ? null : 'stilts not installed (apt-get install stilts)'),
};

const cache = new Map<PeerName, string | null>();

/**
 * Apply the CI rule to a detection result: returns why `name` is missing (null when present),
 * or throws when SPICA_REQUIRE_PEERS=1 and it is missing.
 */
export function requirePeer(name: PeerName, missing: string | null): string | null {
  if (missing !== null && process.env.SPICA_REQUIRE_PEERS === '1') {
    throw new Error(`required interop peer ${name} is missing (SPICA_REQUIRE_PEERS=1, set by .ci/run): ${missing}`);
  }
  return missing;
}

/** Why peer `name` cannot run here (null when it can); throws under SPICA_REQUIRE_PEERS=1. */
export function peerMissing(name: PeerName): string | null {
  if (!cache.has(name)) cache.set(name, DETECT[name]());
  return requirePeer(name, cache.get(name) ?? null);
}

/** " (skipped: reason)" for a describe/it title, or "" when the peer is there. */
export function skipNote(missing: string | null): string {
  return missing ? ` (skipped: ${missing})` : '';
}
