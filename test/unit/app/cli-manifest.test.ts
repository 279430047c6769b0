/**
 * electron/cli/manifest.ts and the command modules agree: every listed command exists in the
 * module it names, every exported command is listed (so `companion help` shows it), names are
 * unique. A command added to commands/<domain>.ts without its manifest line fails here.
 */
import { describe, expect, it } from 'vitest';
import { MANIFEST } from '../../../electron/cli/manifest';

describe('CLI manifest', () => {
  it('lists every command of every module, once, with a summary and a usage', async () => {
    const modules = new Map<string, Array<{ name: string[]; usage: string }>>();
    for (const entry of MANIFEST) {
      const commands = await entry.load();
      modules.set(commands.map((c) => c.name.join(' ')).sort().join('|'), commands);
      const command = commands.find((c) => c.name.join(' ') === entry.name);
      expect(command, `manifest lists "${entry.name}" but its module exports no such command`).toBeDefined();
      expect(entry.summary.length, entry.name).toBeGreaterThan(10);
      expect(command?.usage, entry.name).toMatch(/companion /);
    }
    const listed = new Set(MANIFEST.map((e) => e.name));
    expect(listed.size).toBe(MANIFEST.length);
    for (const commands of modules.values()) {
      for (const c of commands) expect(listed.has(c.name.join(' ')), `"${c.name.join(' ')}" is exported but not in electron/cli/manifest.ts: add its line`).toBe(true);
    }
  });
});
