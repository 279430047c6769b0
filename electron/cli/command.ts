/**
 * The shape of a `companion` sub-command. Commands parse their own flags with `node:util`
 * `parseArgs` (strict), open services through `io.openServices()` only when they need the store,
 * and report bad input by throwing `CliError`: the runner prints one line and exits non-zero.
 */
import type { Services } from '../services/registry';

export interface CliIo {
  /** Write one chunk to stdout (JSON output goes here, nothing else). */
  out(text: string): void;
  /** Write a human-facing line to stderr (progress, warnings). */
  err(text: string): void;
  /** Open the services on the data folder chosen by `--data-dir` / `SPICA_COMPANION_DATA_DIR`. */
  openServices(dataDir?: string): Promise<Services>;
}

export interface Command {
  /** Words that select the command, e.g. `['samp', 'hub']` or `['import']`. */
  name: string[];
  /** One line for `companion help`. */
  summary: string;
  /** Usage text printed by `companion help <command>` and on a usage error. */
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
