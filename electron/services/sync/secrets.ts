/**
 * Where the main process keeps the JMMC password. Services see only the `SecretStore` interface
 * (in the service context): browser mode and the CLI use a 0600 file in the data folder; the
 * Electron shell hands in the system keychain through Electron's `safeStorage` (an object with
 * `isEncryptionAvailable`, `encryptString`, `decryptString`), wrapped by `EncryptedFileSecretStore`.
 * Secrets never go back to the renderer: the contract only says whether one exists.
 */
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretStore {
  /** For the status line: where secrets are kept. */
  readonly where: string;
  get(key: string): string | null;
  set(key: string, secret: string): void;
  delete(key: string): void;
}

/** The subset of Electron's `safeStorage` the keychain-backed store needs. */
export interface StringCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export class SecretFileError extends Error {}

/** Read a JSON object file that must be private to this user (mode 0600, as ssh and netrc expect). */
function readPrivateJson(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  if (process.platform !== 'win32') {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) {
      throw new SecretFileError(`${file} is readable by other users (mode ${mode.toString(8)}): run chmod 600 on it, or sign in again`);
    }
  }
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, string>;
  } catch (e) {
    throw new SecretFileError(`${file} is not a credentials file (${(e as Error).message}): delete it and sign in again`);
  }
}

/** Write atomically (temp file created 0600, then renamed over the old one). */
function writePrivateJson(file: string, value: Record<string, string>): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 1)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** Plain secrets in `<dataDir>/credentials.json`, mode 0600 (browser mode, CLI). */
export class FileSecretStore implements SecretStore {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'credentials.json');
  }

  get where(): string {
    return `file ${this.file} (mode 0600)`;
  }

  get(key: string): string | null {
    return readPrivateJson(this.file)[key] ?? null;
  }

  set(key: string, secret: string): void {
    writePrivateJson(this.file, { ...readPrivateJson(this.file), [key]: secret });
  }

  delete(key: string): void {
    const all = readPrivateJson(this.file);
    if (!(key in all)) return;
    delete all[key];
    writePrivateJson(this.file, all);
  }
}

/** Secrets encrypted by the system keychain (Electron `safeStorage`), in `<dataDir>/credentials.safe.json`, mode 0600. */
export class EncryptedFileSecretStore implements SecretStore {
  readonly file: string;

  constructor(
    dataDir: string,
    private readonly cipher: StringCipher,
  ) {
    this.file = join(dataDir, 'credentials.safe.json');
  }

  get where(): string {
    return 'system keychain (Electron safeStorage)';
  }

  get(key: string): string | null {
    const v = readPrivateJson(this.file)[key];
    if (v === undefined) return null;
    if (!this.cipher.isEncryptionAvailable()) throw new SecretFileError('the system keychain is not available to decrypt the stored password: sign in again');
    return this.cipher.decryptString(Buffer.from(v, 'base64'));
  }

  set(key: string, secret: string): void {
    if (!this.cipher.isEncryptionAvailable()) throw new SecretFileError('the system keychain is not available: the password can be used for this session only');
    writePrivateJson(this.file, { ...readPrivateJson(this.file), [key]: this.cipher.encryptString(secret).toString('base64') });
  }

  delete(key: string): void {
    const all = readPrivateJson(this.file);
    if (!(key in all)) return;
    delete all[key];
    writePrivateJson(this.file, all);
  }
}

/** The keychain store when the system offers one, else the 0600 file (e.g. Linux without a keyring). */
export function keychainOrFileSecretStore(dataDir: string, cipher: StringCipher): SecretStore {
  return cipher.isEncryptionAvailable() ? new EncryptedFileSecretStore(dataDir, cipher) : new FileSecretStore(dataDir);
}

/** The key a password is stored under: the API origin and the login (one account per host). */
export function credentialKey(apiUrl: string, login: string): string {
  return `jmmc ${new URL(apiUrl).origin} ${login.toLowerCase()}`;
}
