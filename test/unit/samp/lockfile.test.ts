import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimLockfile, formatLockfile, lockLocation, parseLockfile, readLockfile, releaseLockfileSync } from '../../../electron/samp/lockfile';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'samp-lock-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SAMP lockfile', () => {
  it('resolves SAMP_HUB std-lockurl file forms, http, and the passwd home otherwise', () => {
    expect(lockLocation({ SAMP_HUB: 'std-lockurl:file:///tmp/x/lockfile' })).toEqual({ kind: 'file', path: '/tmp/x/lockfile' });
    expect(lockLocation({ SAMP_HUB: 'std-lockurl:file://localhost/tmp/x/lockfile' })).toEqual({ kind: 'file', path: '/tmp/x/lockfile' });
    expect(lockLocation({ SAMP_HUB: 'std-lockurl:http://127.0.0.1:9/lock' })).toEqual({ kind: 'http', url: 'http://127.0.0.1:9/lock' });
    const home = lockLocation({ HOME: '/somewhere/else' });
    expect(home).toEqual({ kind: 'file', path: path.join(os.userInfo().homedir, '.samp') });
    expect(() => lockLocation({ SAMP_HUB: 'std-lockurl:ftp://x/y' })).toThrow(/not supported/);
  });

  it('parses JSAMP and astropy lockfiles, skipping comments and blank lines', () => {
    const jsamp = '# SAMP Standard Profile lockfile written Sun Nov 22\n# Note contact URL\nsamp.secret=fd20013643188d86\nsamp.hub.xmlrpc.url=http://127.0.0.1:43841/xmlrpc\nsamp.profile.version=1.3\nhub.impl=org.astrogrid.samp.hub.Hub$1\n\n';
    const info = parseLockfile(jsamp, 'test');
    expect(info.secret).toBe('fd20013643188d86');
    expect(info.xmlrpcUrl).toBe('http://127.0.0.1:43841/xmlrpc');
    expect(info.entries['hub.impl']).toBe('org.astrogrid.samp.hub.Hub$1');
    expect(() => parseLockfile('samp.profile.version=1.3\n', 'bad file')).toThrow(/bad file: samp.secret/);
  });

  it('writes what astropy 5.2 can read: no blank lines, no "=" in values', () => {
    const text = formatLockfile('abc', 'http://127.0.0.1:1/xmlrpc', new Date(0));
    for (const line of text.split('\n').slice(0, -1)) {
      expect(line.length).toBeGreaterThan(0);
      if (!line.startsWith('#')) expect(line.split('=')).toHaveLength(2);
    }
  });

  it('claims exclusively with mode 0600 and releases only its own file', async () => {
    const file = path.join(tempDir(), 'lockfile');
    expect(await claimLockfile(file, formatLockfile('mine', 'http://127.0.0.1:1/xmlrpc', new Date()))).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await claimLockfile(file, 'other')).toBe(false);
    expect((await readLockfile({ kind: 'file', path: file }))?.secret).toBe('mine');
    releaseLockfileSync(file, 'someone-else');
    expect(readFileSync(file, 'latin1')).toContain('samp.secret=mine');
    releaseLockfileSync(file, 'mine');
    expect(await readLockfile({ kind: 'file', path: file })).toBeNull();
    writeFileSync(file, 'garbage');
    await expect(readLockfile({ kind: 'file', path: file })).rejects.toThrow(file);
  });
});
