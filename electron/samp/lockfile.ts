/**
 * The Standard Profile lockfile: where it is, how to read it, and how a hub claims and releases it.
 * `SAMP_HUB=std-lockurl:<url>` wins; otherwise `.samp` in the home directory from the OS user
 * database (Java peers such as ASPRO2 use that one, not `$HOME`).
 */
import fsSync, { constants as fsc, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a lockfile says about a running hub. */
export interface LockInfo {
  secret: string;
  xmlrpcUrl: string;
  profileVersion: string;
  /** Every key=value line, including the three above. */
  entries: Record<string, string>;
}

/** Where the lockfile is: a local file, or (read-only) an http URL. */
export type LockLocation = { kind: 'file'; path: string } | { kind: 'http'; url: string };

/** Resolve the lockfile location from `SAMP_HUB` (std-lockurl only) or the user's home. */
export function lockLocation(env: NodeJS.ProcessEnv = process.env): LockLocation {
  const hubVar = env.SAMP_HUB?.trim();
  if (hubVar?.startsWith('std-lockurl:')) {
    const raw = hubVar.slice('std-lockurl:'.length);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error(`SAMP_HUB: "${raw}" is not a URL`);
    }
    if (url.protocol === 'file:') {
      // file://localhost/x (JSAMP's form) and file:///x both name /x.
      if (url.hostname === 'localhost') url.hostname = '';
      return { kind: 'file', path: fileURLToPath(url) };
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'http', url: url.href };
    throw new Error(`SAMP_HUB: lockfile URL scheme ${url.protocol} is not supported`);
  }
  const home = process.platform === 'win32' ? (env.USERPROFILE ?? os.homedir()) : os.userInfo().homedir;
  return { kind: 'file', path: path.join(home, '.samp') };
}

/** Parse lockfile text: `key=value` lines, `#` comments and blank lines skipped. */
export function parseLockfile(text: string, where: string): LockInfo {
  const entries: Record<string, string> = Object.create(null);
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z0-9\-_.]+)=(.*)$/.exec(line);
    if (m) entries[m[1]] = m[2];
  }
  const secret = entries['samp.secret'];
  const xmlrpcUrl = entries['samp.hub.xmlrpc.url'];
  if (!secret || !xmlrpcUrl) throw new Error(`lockfile ${where}: samp.secret or samp.hub.xmlrpc.url missing`);
  return { secret, xmlrpcUrl, profileVersion: entries['samp.profile.version'] ?? '', entries };
}

const MAX_LOCKFILE_BYTES = 64 * 1024;

/** Read the lockfile, or null when there is none. Malformed files throw with their location. */
export async function readLockfile(loc: LockLocation, timeoutMs = 2000): Promise<LockInfo | null> {
  if (loc.kind === 'file') {
    let text: string;
    try {
      const fh = await fs.open(loc.path, 'r');
      try {
        const buf = Buffer.alloc(MAX_LOCKFILE_BYTES);
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        text = buf.subarray(0, bytesRead).toString('latin1');
      } finally {
        await fh.close();
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    return parseLockfile(text, loc.path);
  }
  const res = await fetch(loc.url, { signal: AbortSignal.timeout(timeoutMs) }).catch(() => null);
  if (!res || !res.ok) return null;
  const text = await res.text();
  if (text.length > MAX_LOCKFILE_BYTES) throw new Error(`lockfile ${loc.url}: larger than ${MAX_LOCKFILE_BYTES} bytes`);
  return parseLockfile(text, loc.url);
}

/** Lockfile text for a hub; no blank lines and no '=' in values (astropy 5.2 splits on '='). */
export function formatLockfile(secret: string, xmlrpcUrl: string, startedAt: Date): string {
  return [
    `# SAMP Standard Profile lockfile written ${startedAt.toISOString()} by SPICA Companion`,
    `samp.secret=${secret}`,
    `samp.hub.xmlrpc.url=${xmlrpcUrl}`,
    'samp.profile.version=1.3',
    'hub.impl=spica-companion',
    `hub.start.date=${startedAt.toISOString()}`,
    '',
  ].join('\n');
}

/** Create the lockfile exclusively with mode 0600; resolves false when it already exists. */
export async function claimLockfile(file: string, text: string): Promise<boolean> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await fh.chmod(0o600);
    await fh.writeFile(text, 'latin1');
  } finally {
    await fh.close();
  }
  return true;
}

/** Delete the lockfile only while it still holds `secret` (a newer hub may have replaced it). */
export function releaseLockfileSync(file: string, secret: string): void {
  try {
    const info = parseLockfile(fsSync.readFileSync(file, 'latin1'), file);
    if (info.secret === secret) fsSync.unlinkSync(file);
  } catch {
    // Missing or unreadable: nothing of ours to remove.
  }
}
