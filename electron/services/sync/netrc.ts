/**
 * Read one machine's login and password from a `~/.netrc` file (the file a2p2's requests falls
 * back to without explicit credentials), for the opt-in import. The format is a whitespace-
 * separated token list (`machine H login L password P`, `default`, and `macdef` bodies that run to
 * the next blank line); about twenty lines, so written here rather than taking a dependency.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface NetrcEntry {
  login: string;
  password: string;
}

/** Parse netrc text and return the entry of `host` (else the `default` entry), or null. */
export function netrcEntry(text: string, host: string): NetrcEntry | null {
  // macdef bodies end at a blank line and are not tokens.
  const cleaned = text.replace(/(^|\s)macdef\s+\S+[^\n]*\n(?:[^\n]*\S[^\n]*\n)*(?:\n|$)/g, '$1');
  const tokens = cleaned.split(/\s+/).filter(Boolean);
  let current: { host: string | null; login?: string; password?: string } | null = null;
  let fallback: NetrcEntry | null = null;
  const done = (e: typeof current): NetrcEntry | null => (e && e.login !== undefined && e.password !== undefined ? { login: e.login, password: e.password } : null);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === 'machine' || t === 'default') {
      if (current?.host === host && done(current)) return done(current);
      if (current && current.host === null) fallback = done(current);
      current = { host: t === 'machine' ? (tokens[++i] ?? '') : null };
    } else if (current && (t === 'login' || t === 'password' || t === 'account')) {
      const v = tokens[++i];
      if (t === 'login') current.login = v;
      if (t === 'password') current.password = v;
    }
  }
  if (current?.host === host && done(current)) return done(current);
  if (current && current.host === null) fallback = done(current);
  return fallback;
}

/** The user's ~/.netrc path (NETRC overrides it, as curl and requests allow). */
export function netrcPath(): string {
  return process.env.NETRC ?? join(homedir(), '.netrc');
}

/** The entry of `host` in the user's netrc, or null when the file or the entry is missing. */
export function readNetrc(host: string, file = netrcPath()): NetrcEntry | null {
  if (!existsSync(file)) return null;
  return netrcEntry(readFileSync(file, 'utf8'), host);
}
