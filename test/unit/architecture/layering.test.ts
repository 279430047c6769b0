import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeOf } from '../../../scripts/eslint/layering.js';

// The layering rule lives in scripts/eslint/layering.js (wired in eslint.config.js); this feeds it
// each kind of forbidden import, including the four the old denylist missed: electron/* subpaths,
// dynamic import(), services importing electron/shell, and .mjs files.
const ROOT = resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: ROOT });

async function errors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  return result.messages.map((m) => m.message);
}

describe('file runtimes', () => {
  it('classifies every file by its path, new files in existing folders included', () => {
    expect(runtimeOf('shared/models/new-engine.ts')).toBe('shared');
    expect(runtimeOf('electron/services/sync/index.ts')).toBe('node');
    expect(runtimeOf('electron/cli/bin.mjs')).toBe('tooling');
    expect(runtimeOf('electron/shell/main.ts')).toBe('electron-main');
    expect(runtimeOf('electron/shell/preload.ts')).toBe('preload');
    expect(runtimeOf('renderer/src/features/new/Screen.tsx')).toBe('renderer');
    expect(runtimeOf('test/unit/new/x.test.ts')).toBe('tooling');
    expect(runtimeOf('vitest.config.ts')).toBe('tooling');
    expect(runtimeOf('misc/probe.ts')).toBeNull();
  });

  it('fails a file in no classified place', async () => {
    expect(await errors('misc/probe.ts', 'export const x = 1;')).toEqual([expect.stringMatching(/misc\/probe.ts has no runtime/)]);
  });
});

describe('the four holes of the old denylist', () => {
  it('catches electron/* subpaths', async () => {
    expect(await errors('electron/services/probe.ts', "import { app } from 'electron/main';\nexport const x = app;")).toEqual([expect.stringMatching(/node code .* may not import electron\/main/)]);
    expect(await errors('electron/samp/probe.ts', "import { ipcMain } from 'electron/common';\nexport const x = ipcMain;")).not.toHaveLength(0);
  });

  it('catches dynamic import(), and refuses a computed one', async () => {
    expect(await errors('electron/services/probe.ts', "export const x = await import('electron');")).toEqual([expect.stringMatching(/may not import electron/)]);
    expect(await errors('renderer/src/probe.ts', "export const x = await import('node:fs');")).not.toHaveLength(0);
    expect(await errors('electron/services/probe.ts', "const name = 'electron';\nexport const x = await import(name);")).toEqual([expect.stringMatching(/computed specifier/)]);
  });

  it('catches imports of electron/shell from services (and the CLI)', async () => {
    expect(await errors('electron/services/probe.ts', "import { registerIpc } from '../shell/ipc';\nexport const x = registerIpc;")).toEqual([expect.stringMatching(/node code .* may not import electron-main code \(electron\/shell\/ipc\)/)]);
    expect(await errors('electron/cli/commands/probe.ts', "export { isAppUrl } from '../../shell/policy';")).not.toHaveLength(0);
  });

  it('lints .mjs and .cjs files', async () => {
    expect(await errors('electron/services/probe.mjs', "import { app } from 'electron';\nexport const x = app;")).not.toHaveLength(0);
    expect(await errors('electron/services/probe.cjs', "const { app } = require('electron');\nmodule.exports = app;")).not.toHaveLength(0);
  });
});

describe('imports by runtime', () => {
  it('keeps shared/ pure', async () => {
    expect(await errors('shared/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;")).not.toHaveLength(0);
    expect(await errors('shared/probe.ts', "import { readFileSync } from 'fs';\nexport const x = readFileSync;")).not.toHaveLength(0);
    expect(await errors('shared/probe.ts', "import Database from 'better-sqlite3';\nexport const x = Database;")).not.toHaveLength(0);
    expect(await errors('shared/probe.ts', "import { useState } from 'react';\nexport const x = useState;")).not.toHaveLength(0);
    expect(await errors('shared/probe.ts', "import { Store } from '../electron/db/store';\nexport const x = Store;")).not.toHaveLength(0);
    expect(await errors('shared/probe.ts', "import type { Store } from '../electron/db/store';\nexport type X = Store;")).not.toHaveLength(0);
    expect(await errors('shared/probe.ts', 'export const w = window.innerWidth;')).not.toHaveLength(0);
    expect(await errors('shared/probe.ts', "import { z } from 'zod';\nexport const s = z.string();")).toEqual([]);
    expect(await errors('shared/probe.ts', "import model from '../resources/chara/chara-model.json';\nexport const m = model;")).toEqual([]);
  });

  it('keeps node and electron out of the renderer', async () => {
    expect(await errors('renderer/src/probe.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;")).not.toHaveLength(0);
    expect(await errors('renderer/src/probe.ts', "import { join } from 'path';\nexport const x = join;")).not.toHaveLength(0);
    expect(await errors('renderer/src/probe.ts', "import { Store } from '../../electron/db/store';\nexport const x = Store;")).not.toHaveLength(0);
    expect(await errors('renderer/src/probe.ts', "const fs = require('fs');\nexport const x = fs;")).not.toHaveLength(0);
    expect(await errors('renderer/src/probe.ts', "export type T = typeof import('node:fs');")).not.toHaveLength(0);
    expect(await errors('renderer/src/probe.ts', "import { methods } from '../../shared/contract';\nexport const x = methods;")).toEqual([]);
    expect(await errors('renderer/src/probe.ts', "import { Button } from '@mantine/core';\nexport const x = Button;")).toEqual([]);
  });

  it('lets only electron/shell import electron, and keeps the preload to electron and shared', async () => {
    expect(await errors('electron/services/probe.ts', "import { app } from 'electron';\nexport const x = app;")).not.toHaveLength(0);
    expect(await errors('electron/shell/probe.ts', "import { app } from 'electron';\nexport const x = app;")).toEqual([]);
    expect(await errors('electron/shell/probe.ts', "import { createServices } from '../services/registry';\nexport const x = createServices;")).toEqual([]);
    expect(await errors('electron/shell/preload.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;")).not.toHaveLength(0);
    expect(await errors('electron/shell/preload.ts', "import { createServices } from '../services/registry';\nexport const x = createServices;")).not.toHaveLength(0);
  });

  it('refuses unclassified packages, and dev tools except lazily on checkout-only paths', async () => {
    expect(await errors('electron/services/probe.ts', "import left from 'left-pad';\nexport const x = left;")).toEqual([expect.stringMatching(/package left-pad has no runtime/)]);
    expect(await errors('electron/services/probe.ts', "import { build } from 'esbuild';\nexport const x = build;")).toEqual([expect.stringMatching(/dev tool .*dynamic import/)]);
    expect(await errors('electron/cli/probe.ts', "export const r = () => import('@electron/rebuild');")).toEqual([]);
    expect(await errors('test/unit/probe.test.ts', "import { build } from 'esbuild';\nimport { app } from 'electron';\nexport const x = [build, app];")).toEqual([]);
  });

  it('makes CLI commands parse flags with parseFlags', async () => {
    expect(await errors('electron/cli/commands/probe.ts', "import { parseArgs } from 'node:util';\nexport const x = parseArgs;")).toEqual([expect.stringMatching(/parseFlags/)]);
  });
});
