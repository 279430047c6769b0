/**
 * The main process's log: one line per entry, on stderr and appended to `logs/main.log` in the
 * data folder, so a refusal, an internal error or a failed start-up can be read after the fact
 * (a packaged app has no terminal). The file is rotated once it passes 1 MB.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ShellLog {
  /** The log file, or null when it cannot be written (the lines still reach stderr). */
  readonly file: string | null;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

const MAX_BYTES = 1_000_000;

export function openShellLog(dataDir: string): ShellLog {
  let file: string | null = join(dataDir, 'logs', 'main.log');
  try {
    mkdirSync(join(dataDir, 'logs'), { recursive: true });
    if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) renameSync(file, `${file}.1`);
  } catch {
    file = null;
  }
  const write = (level: string, message: string): void => {
    const line = `${new Date().toISOString()} ${level} ${message}\n`;
    process.stderr.write(line);
    if (!file) return;
    try {
      appendFileSync(file, line);
    } catch {
      // The data folder became unwritable: stderr still has the line.
    }
  };
  return {
    get file() {
      return file;
    },
    info: (message) => write('INFO ', message),
    warn: (message) => write('WARN ', message),
    error: (message, error) => write('ERROR', error === undefined ? message : `${message}: ${describeError(error)}`),
  };
}

/** An error with its stack, for the log file (users send the file, not a screenshot). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
