/**
 * The shape of a `companion` sub-command. Commands parse their flags with `parseFlags` (args.ts),
 * open services through `io.openServices()` only when they need the store, and report bad input
 * by throwing `CliError`: the runner prints one line and exits 2. Each command is listed, with
 * its one-line summary, in manifest.ts, which is what `companion help` reads.
 */
import type { Services } from '../services/registry';

export interface CliIo {
  /** Write one chunk to stdout (JSON output goes here, nothing else). */
  out(text: string): void;
  /** Write a human-facing line to stderr (progress, warnings). */
  err(text: string): void;
  /**
   * Open the services on the data folder chosen by `--data-dir` / `SPICA_COMPANION_DATA_DIR`,
   * for the CLI itself or (`companion serve`) for browser mode.
   */
  openServices(dataDir?: string, transport?: 'cli' | 'browser'): Promise<Services>;
}

export interface Command {
  /** Words that select the command, e.g. `['samp', 'hub']` or `['import']` (as in manifest.ts). */
  name: string[];
  /** Usage text printed by `companion help <command>`, `<command> --help` and on a usage error. */
  usage: string;
  /** Runs the command with the arguments that follow its name; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** An error caused by the user's input: printed as one line, exit code 2. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Parse a finite number flag or throw a `CliError` naming the flag. */
export function numberFlag(name: string, raw: string | undefined, fallback?: number): number {
  if (raw === undefined) {
    if (fallback === undefined) throw new CliError(`--${name} is required`);
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new CliError(`--${name}: "${raw}" is not a number`);
  return value;
}

/** What a file-system error code means, in words; the codes caused by the user's paths. */
const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
};

const FS_OTHER_REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/**
 * A Node file-system error as one line naming the path and what is wrong with it, and whether
 * the user's input caused it (exit 2) or the machine did (exit 1); null for other errors.
 */
export function describeFsError(e: unknown, pathIfUnnamed?: string): { message: string; isInput: boolean } | null {
  const err = e as { code?: unknown; path?: unknown; dest?: unknown; syscall?: unknown };
  if (typeof err?.code !== 'string') return null;
  const reason = FS_REASONS[err.code] ?? FS_OTHER_REASONS[err.code];
  if (!reason) return null;
  const path = typeof err.dest === 'string' && err.code === 'EEXIST' ? err.dest : typeof err.path === 'string' ? err.path : null;
  const action = typeof err.syscall === 'string' ? ` (${err.syscall})` : '';
  return { message: `${path ?? pathIfUnnamed ?? 'a file'}: ${reason}${action}`, isInput: err.code in FS_REASONS };
}
