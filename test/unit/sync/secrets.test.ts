/**
 * Credentials: the 0600 file (browser mode, CLI), the keychain-backed store with a cipher shaped
 * like Electron's safeStorage (the real one needs the Electron binary, absent here), the opt-in
 * ~/.netrc import, and that a password never comes back through the contract.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore, FileSecretStore, keychainOrFileSecretStore, type StringCipher } from '../../../electron/services/sync/secrets';
import { netrcEntry } from '../../../electron/services/sync/netrc';
import { ME, startFake } from '../../sync/fixtures';
import { SyncSandbox } from './helpers';

const box = new SyncSandbox();
afterEach(() => box.cleanup());

/** A reversible stand-in for safeStorage (XOR and a marker), to check the store never writes plain text. */
const cipher = (available = true): StringCipher => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => Buffer.from(`enc:${Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)).toString('base64')}`),
  decryptString: (b) => Buffer.from(Buffer.from(b.toString().slice(4), 'base64').map((x) => x ^ 0x5a)).toString('utf8'),
});

describe('secret stores', () => {
  it('keeps passwords in a 0600 file and refuses one other users can read', () => {
    const dir = box.dir();
    const store = new FileSecretStore(dir);
    store.set('k', 'pa55 wörd');
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    expect(new FileSecretStore(dir).get('k')).toBe('pa55 wörd');
    chmodSync(store.file, 0o644);
    expect(() => store.get('k')).toThrow(/readable by other users \(mode 644\): run chmod 600/);
    chmodSync(store.file, 0o600);
    store.delete('k');
    expect(store.get('k')).toBeNull();
  });

  it('encrypts with the keychain cipher and never writes the password in clear', () => {
    const dir = box.dir();
    const store = new EncryptedFileSecretStore(dir, cipher());
    store.set('k', 'secret-123');
    expect(readFileSync(store.file, 'utf8')).not.toContain('secret-123');
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    expect(store.get('k')).toBe('secret-123');
    expect(keychainOrFileSecretStore(dir, cipher(false))).toBeInstanceOf(FileSecretStore);
  });

  it('reads one machine of a netrc file', () => {
    const text = 'machine other.org login x password y\n\nmacdef init\ncd /tmp\n\nmachine oidb-beta.jmmc.fr\n  login pi@lab.org\n  password s3cret\ndefault login anon password anon\n';
    expect(netrcEntry(text, 'oidb-beta.jmmc.fr')).toEqual({ login: 'pi@lab.org', password: 's3cret' });
    expect(netrcEntry(text, 'nowhere.org')).toEqual({ login: 'anon', password: 'anon' });
    expect(netrcEntry('machine a login b', 'a')).toBeNull();
  });

  it('remembers a checked password in the data folder file, imports ~/.netrc only when asked, and never returns a password', async () => {
    const fake = await startFake(5);
    try {
      const dir = box.dir();
      const s = box.services(dir);
      await s.call('sync.configure', { env: 'custom', tapUrl: fake.tapUrl, apiUrl: fake.apiUrl, login: ME.email });
      const status = await s.call('sync.signIn', { password: ME.password, remember: true });
      expect(status).toMatchObject({ hasCredentials: true, credentialStore: `file ${join(dir, 'credentials.json')} (mode 0600)` });
      expect(JSON.stringify(status)).not.toContain(ME.password);
      expect(statSync(join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
      await s.call('sync.signOut', {});
      expect((await s.call('sync.status', {})).hasCredentials).toBe(false);

      const netrc = join(box.dir(), 'netrc');
      writeFileSync(netrc, `machine 127.0.0.1 login ${ME.email} password ${ME.password.replace(' ', '')}\n`);
      process.env.NETRC = netrc;
      const imported = await s.call('sync.importNetrc', {});
      expect(imported).toMatchObject({ login: ME.email, host: '127.0.0.1', status: { hasCredentials: true } });
      delete process.env.NETRC;
      expect(JSON.stringify(imported)).not.toContain(ME.password.replace(' ', ''));
    } finally {
      delete process.env.NETRC;
      await fake.close();
    }
  });
});
