/**
 * The `companion` CLI dispatcher: finds the manifest entry whose words lead `argv`, loads that
 * command's module, runs it, and turns bad input (a `CliError`, an input `ApiError`, a flag
 * error, a path that cannot be read or written) into one line on stderr and exit code 2.
 * `help`, `<command> --help` and `<group> --help` read the manifest and never load the services.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { ApiError } from '../../shared/contract/define';
import type { Services } from '../services/registry';
import { CliError, describeFsError, type CliIo, type Command } from './command';
import { MANIFEST, type CommandEntry } from './manifest';

const words = (entry: CommandEntry): string[] => entry.name.split(' ');

function findEntry(argv: readonly string[]): CommandEntry | null {
  let best: CommandEntry | null = null;
  for (const e of MANIFEST) {
    const w = words(e);
    if (w.every((word, i) => argv[i] === word) && (!best || w.length > words(best).length)) best = e;
  }
  return best;
}

/** Entries under a leading word (`samp` → samp hub, samp clients, samp send). */
const groupOf = (word: string): CommandEntry[] => MANIFEST.filter((e) => e.name.startsWith(`${word} `));

function listing(entries: readonly CommandEntry[]): string[] {
  const width = Math.max(...entries.map((e) => e.name.length));
  return entries.map((e) => `  ${e.name.padEnd(width)}  ${e.summary}`);
}

function helpText(): string {
  return [
    'Usage: companion <command> [options]   (every command takes --data-dir DIR and --help)',
    '',
    ...listing(MANIFEST),
    '',
    "companion help <command> (or companion <command> --help) shows a command's options.",
  ].join('\n');
}

/** `--help` / `-h` among a command's arguments (before a `--` terminator). */
function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

async function commandOf(entry: CommandEntry): Promise<Command> {
  const command = (await entry.load()).find((c) => c.name.join(' ') === entry.name);
  if (!command) throw new Error(`manifest.ts lists "${entry.name}" but its module exports no such command`);
  return command;
}

async function usageOf(entry: CommandEntry): Promise<string> {
  const sub = groupOf(entry.name);
  const usage = (await commandOf(entry)).usage;
  return sub.length ? `${usage}\n\nSub-commands:\n${listing(sub).join('\n')}` : usage;
}

/**
 * The data folder a command will use, checked before the store opens it, so a bad one gives one
 * line naming it (not a raw EEXIST/ENOTDIR/EACCES from deep inside the store).
 */
async function checkedDataDir(dataDir: string | undefined): Promise<string> {
  const { resolvePaths } = await import('../services/paths');
  const dir = resolvePaths(dataDir).dataDir;
  const label = dataDir !== undefined ? `--data-dir ${dir}` : process.env.SPICA_COMPANION_DATA_DIR ? `SPICA_COMPANION_DATA_DIR ${dir}` : `data folder ${dir}`;
  let stat;
  try {
    stat = statSync(dir, { throwIfNoEntry: false });
  } catch (e) {
    throw new CliError(`${label}: ${(describeFsError(e)?.message ?? (e as Error).message).replace(`${dir}: `, '')}`);
  }
  if (stat && !stat.isDirectory()) throw new CliError(`${label}: is a file, not a folder`);
  if (!stat) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new CliError(`${label}: cannot create it (${(describeFsError(e)?.message ?? (e as Error).message).replace(`${dir}: `, '')})`);
    }
  }
  try {
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    throw new CliError(`${label}: not writable by this user`);
  }
  return dir;
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

/**
 * The argument an error without a path is about: Node's `read` of a folder gives EISDIR with no
 * path, so `companion import .` would not say which argument is the folder.
 */
function pathInArgs(args: readonly string[], e: unknown): string | undefined {
  if ((e as { code?: unknown }).code !== 'EISDIR') return undefined;
  return args.find((a) => !a.startsWith('-') && statSync(a, { throwIfNoEntry: false })?.isDirectory());
}

let isStdoutGuarded = false;
/** A closed stdout (`companion targets | head`) ends the command quietly, as other CLIs do. */
function exitQuietlyOnClosedStdout(): void {
  if (isStdoutGuarded) return;
  isStdoutGuarded = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], ioOverride?: Partial<CliIo>): Promise<number> {
  const opened: Services[] = [];
  if (!ioOverride?.out) exitQuietlyOnClosedStdout();
  const io: CliIo = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    openServices: async (dataDir, transport = 'cli') => {
      const dir = await checkedDataDir(dataDir);
      const [{ createServices }, { resolvePaths }] = await Promise.all([import('../services/registry'), import('../services/paths')]);
      const services = createServices({ paths: resolvePaths(dir), transport });
      opened.push(services);
      return services;
    },
    ...ioOverride,
  };

  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    const asked = argv[0] === 'help' ? argv.slice(1) : [];
    if (asked.length === 0) {
      io.out(`${helpText()}\n`);
      return 0;
    }
    const topic = findEntry(asked);
    if (topic) io.out(`${await usageOf(topic)}\n`);
    else if (groupOf(asked[0]).length) io.out(`${listing(groupOf(asked[0])).join('\n')}\n`);
    else {
      io.err(`companion help: unknown command "${asked.join(' ')}" (try: companion help)`);
      return 2;
    }
    return 0;
  }

  const entry = findEntry(argv);
  if (!entry) {
    const group = groupOf(argv[0]);
    if (group.length && (argv.length === 1 || wantsHelp(argv.slice(1)))) {
      const text = `companion ${argv[0]} <sub-command> [options]\n\n${listing(group).join('\n')}\n`;
      if (argv.length === 1) {
        io.err(`companion ${argv[0]}: give a sub-command`);
        io.err(text);
        return 2;
      }
      io.out(text);
      return 0;
    }
    io.err(`companion: unknown command "${argv.join(' ')}" (try: companion help)`);
    return 2;
  }
  const rest = argv.slice(words(entry).length);
  try {
    if (wantsHelp(rest)) {
      io.out(`${await usageOf(entry)}\n`);
      return 0;
    }
    return await (await commandOf(entry)).run(rest, io);
  } catch (e) {
    const fsError = describeFsError(e, pathInArgs(rest, e));
    const isFlagError = String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
    const isInput = e instanceof CliError || (e instanceof ApiError && e.code !== 'internal') || fsError?.isInput === true || isFlagError;
    io.err(`companion ${entry.name}: ${oneLine(fsError?.message ?? (e instanceof Error ? e.message : String(e)))}`);
    if (!isInput && process.env.SPICA_DEBUG === '1' && e instanceof Error && e.stack) io.err(e.stack);
    return isInput ? 2 : 1;
  } finally {
    for (const s of opened) {
      try {
        await s.close();
      } catch (e) {
        // The command's work is done and its exit code stands: closing must not turn it into a failure.
        io.err(`companion ${entry.name}: warning: closing the store: ${oneLine((e as Error).message)}`);
      }
    }
  }
}
