import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering rules live in eslint.config.js; this checks they catch each forbidden import.
const ROOT = resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: ROOT });

async function errors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  return result.messages.map((m) => m.message);
}

describe('layering lint rules', () => {
  it('keeps shared/ pure', async () => {
    expect(await errors('shared/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;")).not.toHaveLength(0);
    expect(await errors('shared/probe.ts', "import Database from 'better-sqlite3';\nexport const x = Database;")).not.toHaveLength(0);
    expect(await errors('shared/probe.ts', "import { useState } from 'react';\nexport const x = useState;")).not.toHaveLength(0);
    expect(await errors('shared/probe.ts', "import { Store } from '../electron/db/store';\nexport const x = Store;")).not.toHaveLength(0);
    expect(await errors('shared/probe.ts', 'export const w = window.innerWidth;')).not.toHaveLength(0);
    expect(await errors('shared/probe.ts', "import { z } from 'zod';\nexport const s = z.string();")).toEqual([]);
  });
  it('keeps node and electron out of the renderer', async () => {
    expect(await errors('renderer/src/probe.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;")).not.toHaveLength(0);
    expect(await errors('renderer/src/probe.ts', "import { join } from 'path';\nexport const x = join;")).not.toHaveLength(0);
    expect(await errors('renderer/src/probe.ts', "import { Store } from '../../electron/db/store';\nexport const x = Store;")).not.toHaveLength(0);
    expect(await errors('renderer/src/probe.ts', "import { methods } from '../../shared/contract';\nexport const x = methods;")).toEqual([]);
  });
  it('lets only electron/shell import electron', async () => {
    expect(await errors('electron/services/probe.ts', "import { app } from 'electron';\nexport const x = app;")).not.toHaveLength(0);
    expect(await errors('electron/samp/probe.ts', "import { app } from 'electron';\nexport const x = app;")).not.toHaveLength(0);
    expect(await errors('electron/shell/probe.ts', "import { app } from 'electron';\nexport const x = app;")).toEqual([]);
  });
});
