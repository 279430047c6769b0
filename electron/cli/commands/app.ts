/** `companion serve` (browser mode) and `companion start` (Electron, else browser mode). */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBrowserServer } from '../../server/browser-server';
import { ensureFirstRunDemo } from '../../services/first-run';
import { createServices } from '../../services/registry';
import { repoRoot, resolvePaths } from '../../services/paths';
import { CliError, numberFlag, type CliIo, type Command } from '../command';

const serveOptions = {
  'data-dir': { type: 'string' },
  port: { type: 'string' },
  'no-demo': { type: 'boolean', default: false },
} as const;

async function serve(args: string[], io: CliIo, reason?: string): Promise<number> {
  const { values } = parseArgs({ args, options: serveOptions, strict: true });
  const rendererDir = join(repoRoot(), 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    io.err('Building the UI first (electron-vite build)…');
    const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: repoRoot(), stdio: 'inherit' });
    if (build.status !== 0) return build.status ?? 1;
  }
  const services = createServices({ paths: resolvePaths(values['data-dir']), transport: 'browser' });
  if (!values['no-demo']) {
    const { generated } = await ensureFirstRunDemo(services);
    if (generated) io.err('First start: generated the demo survey (labelled "demo"; remove it from the Survey menu).');
  }
  let server;
  try {
    server = await startBrowserServer({
      services,
      rendererDir,
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
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  await services.close();
  return 0;
}

/** Path of the Electron binary when its package has one, else null. */
function electronBinary(): string | null {
  const dir = join(repoRoot(), 'node_modules', 'electron');
  const pathTxt = join(dir, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const binary = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Try Electron's own installer once (it downloads the binary); false when that fails. */
function fetchElectron(io: CliIo): boolean {
  const installer = join(repoRoot(), 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return false;
  io.err('Electron binary missing: trying to download it…');
  const r = spawnSync(process.execPath, [installer], {
    cwd: join(repoRoot(), 'node_modules', 'electron'),
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  return r.status === 0 && electronBinary() !== null;
}

export const appCommands: Command[] = [
  {
    name: ['serve'],
    summary: 'Browser mode: serve the app on 127.0.0.1 with a per-run token',
    usage: 'companion serve [--port N] [--data-dir DIR] [--no-demo]',
    run: (args, io) => serve(args, io),
  },
  {
    name: ['start'],
    summary: 'Open the desktop app (Electron); falls back to browser mode without Electron',
    usage: 'companion start [--data-dir DIR]',
    async run(args, io) {
      const binary = electronBinary() ?? (fetchElectron(io) ? electronBinary() : null);
      if (!binary) {
        return serve(
          args,
          io,
          'Electron is not available on this machine (its binary could not be downloaded), so SPICA Companion runs in browser mode instead.',
        );
      }
      const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: repoRoot(), stdio: 'inherit' });
      if (build.status !== 0) return build.status ?? 1;
      const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } }, strict: true });
      const env = { ...process.env };
      if (values['data-dir']) env.SPICA_COMPANION_DATA_DIR = values['data-dir'];
      const child = spawn(binary, [repoRoot()], { stdio: 'inherit', env });
      return new Promise<number>((done) => child.on('exit', (code) => done(code ?? 0)));
    },
  },
];
