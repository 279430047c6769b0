/** `companion serve` (browser mode) and `companion start` (Electron, else browser mode). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SQLITE_BINDING_ENV } from '../../db/native-binding';
import { startBrowserServer } from '../../server/browser-server';
import { ensureFirstRunDemo } from '../../services/first-run';
import { repoRoot } from '../../services/paths';
import { parseFlags } from '../args';
import { CliError, numberFlag, type CliIo, type Command } from '../command';
import { electronBinary, electronVersion, ensureAppBuilt, ensureElectronSqlite, ensureNodeSqlite, fetchElectron } from '../desktop-start';

const serveOptions = {
  'data-dir': { type: 'string' },
  port: { type: 'string' },
  'no-demo': { type: 'boolean', default: false },
} as const;

const waitForStopSignal = (): Promise<void> =>
  new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

async function serve(args: string[], io: CliIo, reason?: string): Promise<number> {
  const { values } = parseFlags({ args, options: serveOptions, strict: true });
  const root = repoRoot();
  await ensureAppBuilt(root, io);
  const services = await io.openServices(values['data-dir'], 'browser');
  let server;
  try {
    server = await startBrowserServer({
      services,
      rendererDir: join(root, 'out', 'renderer'),
      port: values.port === undefined ? 0 : numberFlag('port', values.port),
    });
  } catch (e) {
    // Without this the services' timers and watchers keep the process alive after the failure.
    await services.close();
    throw new CliError((e as Error).message);
  }
  if (reason) io.err(reason);
  io.err(`SPICA Companion — browser mode (data: ${services.paths.dataDir})`);
  io.err('Open this URL in a browser on this machine (it carries this run\'s access token):');
  io.out(`${server.openUrl}\n`);
  if (!values['no-demo']) {
    // After the URL: a page opened meanwhile shows the work (app.startupChanged).
    const { generated } = await ensureFirstRunDemo(services);
    if (generated) io.err('First start: generated the demo survey (labelled "demo"; remove it from the Survey menu).');
  }
  await waitForStopSignal();
  await server.close();
  await services.close();
  return 0;
}

async function start(args: string[], io: CliIo): Promise<number> {
  if (process.versions.electron) throw new CliError('this is the installed app already: open it from its launcher, or use companion serve');
  const root = repoRoot();
  const binary = electronBinary(root) ?? (fetchElectron(root, io) ? electronBinary(root) : null);
  const fallback = (why: string): Promise<number> => {
    ensureNodeSqlite(root, io);
    return serve(args, io, `${why}, so SPICA Companion runs in browser mode instead.`);
  };
  if (!binary) return fallback('Electron is not available on this machine (its binary could not be downloaded)');
  const { values } = parseFlags({ args, options: serveOptions, strict: true });
  await ensureAppBuilt(root, io);
  let binding: string;
  try {
    binding = await ensureElectronSqlite(root, electronVersion(root), io);
  } catch (e) {
    return fallback(`better-sqlite3 could not be built for Electron (${(e as Error).message.split('\n')[0]})`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, [SQLITE_BINDING_ENV]: binding };
  if (values['data-dir']) env.SPICA_COMPANION_DATA_DIR = values['data-dir'];
  if (values['no-demo']) env.SPICA_NO_DEMO = '1';
  const child = spawn(binary, [root], { stdio: 'inherit', env });
  return new Promise<number>((done) => child.on('exit', (code) => done(code ?? 0)));
}

export const appCommands: Command[] = [
  {
    name: ['serve'],
    usage: 'companion serve [--port N] [--data-dir DIR] [--no-demo]\n  Builds the UI first when a source changed since the last build.',
    run: (args, io) => serve(args, io),
  },
  {
    name: ['start'],
    usage:
      'companion start [--data-dir DIR] [--no-demo]\n' +
      '  Opens the desktop app: builds it when a source changed, builds better-sqlite3 for Electron once\n' +
      '  (a cached copy; node_modules keeps the Node build), then starts Electron. Without an Electron\n' +
      '  binary it runs browser mode (companion serve) instead.',
    run: (args, io) => start(args, io),
  },
];
