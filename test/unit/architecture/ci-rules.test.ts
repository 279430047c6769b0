/**
 * CI's rules on skipped tests: with SPICA_REQUIRE_PEERS=1 (.ci/run) a missing interop peer
 * throws instead of skipping (test/interop/require-peer.ts), and the run's summary counts any
 * skip other than the Electron launch test as a failure (scripts/test-summary.mjs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { requirePeer } from '../../interop/require-peer';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'spica-ci-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('required interop peers', () => {
  const saved = process.env.SPICA_REQUIRE_PEERS;
  afterEach(() => {
    if (saved === undefined) delete process.env.SPICA_REQUIRE_PEERS;
    else process.env.SPICA_REQUIRE_PEERS = saved;
  });

  it('lets a test skip for a missing peer on a developer machine', () => {
    delete process.env.SPICA_REQUIRE_PEERS;
    expect(requirePeer('stilts', 'stilts not installed')).toBe('stilts not installed');
  });

  it('fails instead under SPICA_REQUIRE_PEERS=1, for every peer', () => {
    process.env.SPICA_REQUIRE_PEERS = '1';
    for (const name of ['jsamp', 'astropy', 'astroplan', 'fitsverify', 'stilts'] as const) {
      expect(() => requirePeer(name, `${name} not installed`)).toThrow(new RegExp(`required interop peer ${name} is missing`));
    }
    expect(requirePeer('jsamp', null)).toBeNull();
  });
});

describe('run summary', () => {
  const vitestReport = (skippedFile: string | null) => ({
    numPassedTests: 3,
    numFailedTests: 0,
    testResults: [
      { name: join(ROOT, 'test/unit/a.test.ts'), status: 'passed', assertionResults: [{ status: 'passed', fullName: 'a' }] },
      ...(skippedFile ? [{ name: join(ROOT, skippedFile), status: 'passed', assertionResults: [{ status: 'skipped', fullName: 'peer suite (skipped: fitsverify not on PATH)' }] }] : []),
    ],
  });
  const playwrightReport = {
    stats: { expected: 5, unexpected: 0, flaky: 0, skipped: 1 },
    errors: [],
    suites: [{ file: 'electron.spec.ts', specs: [{ title: 'opens the hardened desktop window', tests: [{ status: 'skipped', annotations: [{ type: 'skip', description: 'no Electron binary' }] }] }] }],
  };
  const summarise = (vitest: object, requirePeers: boolean) => {
    writeFileSync(join(dir, 'v.json'), JSON.stringify(vitest));
    writeFileSync(join(dir, 'p.json'), JSON.stringify(playwrightReport));
    const env = { ...process.env, SPICA_REQUIRE_PEERS: requirePeers ? '1' : '' };
    return spawnSync(process.execPath, [join(ROOT, 'scripts/test-summary.mjs'), join(dir, 'v.json'), join(dir, 'p.json'), '4', '0'], { encoding: 'utf8', env });
  };

  it('allows only the Electron launch test to skip under SPICA_REQUIRE_PEERS=1', () => {
    const ok = summarise(vitestReport(null), true);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/skipped: electron.spec.ts › opens the hardened desktop window \(no Electron binary\)/);
    expect(ok.stdout).toMatch(/12 passed, 0 failed, 1 skipped/);
    const peerSkip = summarise(vitestReport('test/interop/oifits/write-back.test.ts'), true);
    expect(peerSkip.status).toBe(1);
    expect(peerSkip.stdout).toMatch(/FAILED \(skip not allowed with SPICA_REQUIRE_PEERS=1\): .*write-back.test.ts/);
    expect(peerSkip.stdout).toMatch(/12 passed, 1 failed, 2 skipped/);
  });

  it('reports skips without failing outside CI', () => {
    const local = summarise(vitestReport('test/interop/oifits/write-back.test.ts'), false);
    expect(local.status).toBe(0);
    expect(local.stdout).toMatch(/12 passed, 0 failed, 2 skipped/);
  });
});
