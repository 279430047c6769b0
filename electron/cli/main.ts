/**
 * The `companion` CLI dispatcher: finds the command whose name matches the leading words,
 * runs it, and turns a `CliError` (bad input) into one line on stderr and exit code 2.
 */
import { ApiError } from '../../shared/contract/define';
import { createServices, type Services } from '../services/registry';
import { resolvePaths } from '../services/paths';
import { CliError, type CliIo, type Command } from './command';
import { appCommands } from './commands/app';
import { astroCommands } from './commands/astro';
import { calibratorsCommands } from './commands/calibrators';
import { plannerCommands } from './commands/planner';
import { reviewCommands } from './commands/review';
import { sampCommands } from './commands/samp';
import { surveyCommands } from './commands/survey';
import { syncCommands } from './commands/sync';

export const COMMANDS: Command[] = [
  ...appCommands,
  ...surveyCommands,
  ...astroCommands,
  ...plannerCommands,
  ...calibratorsCommands,
  ...sampCommands,
  ...reviewCommands,
  ...syncCommands,
];

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  let best: Command | null = null;
  for (const c of COMMANDS) {
    if (c.name.every((w, i) => argv[i] === w) && (!best || c.name.length > best.name.length)) best = c;
  }
  return best ? { command: best, rest: argv.slice(best.name.length) } : null;
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.join(' ').length));
  return [
    'Usage: companion <command> [options]   (every command takes --data-dir DIR)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'companion help <command> shows a command\'s options.',
  ].join('\n');
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], ioOverride?: Partial<CliIo>): Promise<number> {
  const opened: Services[] = [];
  const io: CliIo = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    openServices: async (dataDir) => {
      const services = createServices({ paths: resolvePaths(dataDir), transport: 'cli' });
      opened.push(services);
      return services;
    },
    ...ioOverride,
  };
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    const topic = argv[0] === 'help' ? findCommand(argv.slice(1)) : null;
    io.out(`${topic ? topic.command.usage : helpText()}\n`);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`companion: unknown command "${argv.join(' ')}" (try: companion help)`);
    return 2;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (e) {
    const isInput = e instanceof CliError || (e instanceof ApiError && e.code !== 'internal') ||
      (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    io.err(`companion ${found.command.name.join(' ')}: ${message}`);
    return isInput ? 2 : 1;
  } finally {
    for (const s of opened) await s.close();
  }
}
