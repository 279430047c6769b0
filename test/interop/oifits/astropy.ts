/**
 * Finding and running Debian's astropy and fitsverify for the interop tests and the benchmark.
 * Tests skip with a reason when they are missing locally; CI installs both.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A python3 that can import astropy, or undefined. Debian's interpreter is preferred over pyenv shims. */
export function findAstropyPython(): string | undefined {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (candidate.startsWith('/') && !existsSync(candidate)) continue;
    const r = spawnSync(candidate, ['-c', 'import astropy'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  return undefined;
}

/** The fitsverify executable, or undefined. */
export function findFitsverify(): string | undefined {
  const r = spawnSync('fitsverify', ['-h'], { encoding: 'utf8' });
  return r.error ? undefined : 'fitsverify';
}

/** Run a python script with arguments; returns stdout, throws with stderr on failure. */
export function runPython(python: string, script: string, args: string[]): string {
  const r = spawnSync(python, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
