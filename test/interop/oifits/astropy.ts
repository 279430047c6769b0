/**
 * Finding and running Debian's astropy and fitsverify for the interop tests and the benchmark.
 * Tests skip with a reason when they are missing locally; CI installs both and sets
 * SPICA_REQUIRE_PEERS=1, under which a missing one throws (see ../require-peer.ts).
 */
import { spawnSync } from 'node:child_process';
import { DEBIAN_PYTHON, peerMissing } from '../require-peer';

/** Debian's python3 when it can import astropy, or undefined (throws under SPICA_REQUIRE_PEERS=1). */
export function findAstropyPython(): string | undefined {
  return peerMissing('astropy') === null ? DEBIAN_PYTHON : undefined;
}

/** The fitsverify executable, or undefined (throws under SPICA_REQUIRE_PEERS=1). */
export function findFitsverify(): string | undefined {
  return peerMissing('fitsverify') === null ? 'fitsverify' : undefined;
}

/** Run a python script with arguments; returns stdout, throws with stderr on failure. */
export function runPython(python: string, script: string, args: string[]): string {
  const r = spawnSync(python, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
