/**
 * Shell contract test on the PACKAGED LAYOUT: the app laid out as electron-builder.yml packages
 * it (real app.asar with asarUnpack, extracted in place for Node; see packaged-layout.ts), its
 * out/main/main.js run under the `electron` stand-in with `app.isPackaged` true. Not Electron:
 * that is test/e2e/electron.spec.ts, on machines with a binary.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodChannel } from '../../shared/ipc-bridge';
import { shellContractSuite } from './contract';
import { ensureFreshBuild } from './fresh-build';
import { launchShell, REPO_ROOT } from './harness';
import { layOutPackagedApp, type PackagedLayout } from './packaged-layout';

const target = mkdtempSync(join(tmpdir(), 'spica-packaged-'));
await ensureFreshBuild();
const layout: PackagedLayout = await layOutPackagedApp(REPO_ROOT, target);
afterAll(() => rmSync(target, { recursive: true, force: true }));

describe('packaged layout (electron-builder.yml: asar, asarUnpack, production dependencies)', () => {
  it('packs the app into app.asar and unpacks the native module and the data read by path', () => {
    const e = layout.entries;
    expect(e.get('out/main/main.js')).toEqual({ unpacked: false });
    expect(e.get('out/preload/preload.cjs')).toEqual({ unpacked: false });
    expect(e.get('out/renderer/index.html')).toEqual({ unpacked: false });
    expect(e.get('out/cli/main.mjs')).toEqual({ unpacked: false });
    expect(e.get('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toEqual({ unpacked: true });
    expect(e.get('electron/db/migrations/meta/_journal.json')).toEqual({ unpacked: true });
    expect(e.get('resources/calibrators/backbone.json.gz')).toEqual({ unpacked: true });
    expect(e.get('resources/stars/bright-stars.json')).toEqual({ unpacked: true });
    const appFiles = [...e.keys()].filter((p) => !p.startsWith('node_modules/'));
    expect(appFiles.filter((p) => p.startsWith('resources/scripts/') || p.endsWith('.map') || p.startsWith('electron/shell/') || p.startsWith('test/') || p.startsWith('renderer/'))).toEqual([]);
  });

  it('ships only production dependencies: the renderer libraries are bundled in out/renderer, tsx is a dev tool', () => {
    for (const name of ['better-sqlite3', 'drizzle-orm', 'zod', 'astronomy-engine', 'papaparse', 'fast-xml-parser', 'uuid', 'playwright-core']) expect(layout.packages, name).toContain(name);
    for (const name of ['react', 'react-dom', '@mantine/core', '@tabler/icons-react', 'plotly.js', 'plotly.js-dist-min', '@tanstack/react-virtual', 'tsx', 'esbuild', 'electron', 'vite']) expect(layout.packages, name).not.toContain(name);
  });

  it('ships the companion launchers next to the app (extraResources)', () => {
    expect(readFileSync(join(layout.resourcesPath, 'bin', 'companion'), 'utf8')).toMatch(/--cli "\$@"/);
    expect(readFileSync(join(layout.resourcesPath, 'bin', 'companion.cmd'), 'utf8')).toMatch(/--cli %\*/);
  });
});

shellContractSuite(
  'shell contract on the packaged layout: <resources>/app.asar/out/main/main.js under the electron stand-in, app.isPackaged',
  () => ({ mainJs: join(layout.appPath, 'out', 'main', 'main.js'), appPath: layout.appPath, isPackaged: true, resourcesPath: layout.resourcesPath }),
  ({ shell, userData }) => {
    it('logs an internal IPC error with its stack and returns the internal code', async () => {
      const stars = join(layout.appPath, 'resources', 'stars', 'bright-stars.json');
      renameSync(stars, `${stars}.away`);
      try {
        const reply = await shell().invoke(methodChannel('survey.demo.generate'), { count: 5 });
        expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
      } finally {
        renameSync(`${stars}.away`, stars);
      }
      const log = readFileSync(join(userData(), 'logs', 'main.log'), 'utf8');
      expect(log).toMatch(/ERROR IPC call survey\.demo\.generate failed: .*\n\s+at /);
      // The last check looks for unexpected ERROR lines: this one was expected.
      writeFileSync(join(userData(), 'logs', 'main.log'), '');
    });
  },
);

describe('the companion CLI in the packaged layout (main.js --cli, as resources/bin/companion runs it)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'spica-packaged-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const cli = async (...args: string[]) => {
    const shell = launchShell(join(layout.appPath, 'out', 'main', 'main.js'), { appPath: layout.appPath, userData: dataDir, isPackaged: true, resourcesPath: layout.resourcesPath }, ['--cli', ...args]);
    const code = await shell.exited;
    return { code, stdout: shell.stdout(), stderr: shell.stderr() };
  };

  it('generates the demo survey and lists it as JSON from the packaged migrations and resources', async () => {
    expect(await cli('demo', '--count', '20', '--data-dir', dataDir)).toMatchObject({ code: 0 });
    const listed = await cli('targets', '--json', '--data-dir', dataDir, '--dec-min', '-90');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toHaveLength(20);
  });

  it('exports a plot with oifits plot: plotly beside the CLI bundle, playwright-core a production dependency', async () => {
    const png = join(dataDir, 'plot.png');
    const r = await cli('oifits', 'plot', join(REPO_ROOT, 'test', 'fixtures', 'oifits', 'oimodeler__MIRCX_L2.2023Oct14._bet_Ari.MIRCX_IDL.nn.AVG10m.fits'), '--out', png, '--width', '400', '--height', '300');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const bytes = readFileSync(png);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR: the size asked for.
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([400, 300]);
  });

  it('refuses start inside the installed app', async () => {
    const r = await cli('start');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/installed app already/);
  });
});
