/**
 * The one flag parser of every `companion` command: `node:util` `parseArgs` (strict), plus two
 * things it does not do for us:
 * - a negative number is a value, not an option: `--dec -28.5`, `--twilight -18` (parseArgs
 *   would read `-2` as a short option); it is passed on as `--dec=-28.5`;
 * - its errors become one-line `CliError`s (exit 2) with the whole hint, not its first line.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './command';

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

type Options = NonNullable<ParseArgsConfig['options']>;

/** Join `--name -12.5` into `--name=-12.5` when `--name` takes a value. */
export function joinNegativeValues(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : null;
    const next = args[i + 1];
    if (name !== null && options[name]?.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** `parseArgs` with negative numbers as values and one-line input errors. */
export function parseFlags<T extends ParseArgsConfig & { args: string[]; options: Options }>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs({ ...config, args: joinNegativeValues(config.args, config.options) } as T);
  } catch (e) {
    if (typeof (e as { code?: unknown }).code === 'string' && (e as { code: string }).code.startsWith('ERR_PARSE_ARGS')) {
      throw new CliError((e as Error).message.replace(/\s*\n\s*/g, ' '));
    }
    throw e;
  }
}
