/**
 * The afterPack hook (scripts/after-pack.cjs) flips the fuses with the real @electron/fuses on a
 * file laid out as Electron's fuse wire is documented (docs/tutorial/fuses.md: sentinel
 * "dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX", one version byte, one length byte, one ASCII '0'/'1' per
 * fuse). No Electron binary exists here; the wire format is what the hook depends on.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const afterPack = require('../../../scripts/after-pack.cjs') as ((context: object) => Promise<void>) & { electronBinaryPath(context: object): string };

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron 41's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on,
// asar integrity off, only-from-asar off, browser V8 snapshot off, file:// privileges on.
const DEFAULT_WIRE = '10110001';

const dir = mkdtempSync(join(tmpdir(), 'spica-fuses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeBinary(name: string): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([Buffer.from('\x7fELF…machine code…'), Buffer.from(SENTINEL), Buffer.from([1, DEFAULT_WIRE.length]), Buffer.from(DEFAULT_WIRE), Buffer.from('…more code')]));
  return path;
}

function wireOf(path: string): string {
  const bytes = readFileSync(path);
  const at = bytes.indexOf(SENTINEL) + SENTINEL.length;
  return bytes.subarray(at + 2, at + 2 + bytes[at + 1]).toString('latin1');
}

const linuxContext = (appOutDir: string) => ({ appOutDir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'SPICA Companion' }, executableName: 'spica-companion' } });

describe('afterPack fuses', () => {
  it('turns RunAsNode, NODE_OPTIONS, --inspect and file:// privileges off; encryption, asar-only and integrity on', async () => {
    const binary = fakeBinary('spica-companion');
    expect(afterPack.electronBinaryPath(linuxContext(dir))).toBe(binary);
    await afterPack(linuxContext(dir));
    //            RunAsNode, Cookie, NodeOptions, Inspect, AsarIntegrity, OnlyAsar, V8Snapshot, FileProtocol
    expect(wireOf(binary)).toBe('01001100');
  });

  it('finds the binary of each platform', () => {
    const packager = { appInfo: { productFilename: 'SPICA Companion' }, executableName: 'spica-companion' };
    expect(afterPack.electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe(join('/o', 'SPICA Companion.exe'));
    expect(afterPack.electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe(join('/o', 'SPICA Companion.app'));
  });

  it('fails on a wire with a fuse it does not set (strictlyRequireAllFuses), so an Electron upgrade forces a decision', async () => {
    const path = join(dir, 'newer');
    writeFileSync(path, Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, 9]), Buffer.from('101100011')]));
    await expect(afterPack({ ...linuxContext(dir), packager: { appInfo: { productFilename: 'x' }, executableName: 'newer' } })).rejects.toThrow(/fuse wire in this version of Electron is not long enough|strictlyRequireAllFuses/);
  });
});
