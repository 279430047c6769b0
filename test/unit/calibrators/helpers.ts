/** Shared loaders for the calibrator tests: the real bundled backbone and the fixture files. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePaths } from '../../../electron/services/paths';
import { createServices, type Services } from '../../../electron/services/registry';
import { backbonePath, loadBackbone } from '../../../electron/services/calibrators/backbone-file';
import type { BackboneFile } from '../../../shared/calibrators/backbone-types';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/calibrators');
export const RESOURCES = join(import.meta.dirname, '../../../resources');

let cached: BackboneFile | null = null;

/** The bundled backbone (parsed once per test file; callers must not mutate it). */
export function backbone(): BackboneFile {
  cached ??= loadBackbone(backbonePath(RESOURCES));
  return cached;
}

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Services over a fresh temp data folder (real store, real migrations); `closeAll` ends them and removes the folders. */
export function servicesFactory(prefix: string) {
  const dirs: string[] = [];
  const open: Services[] = [];
  return {
    open(dir?: string): Services {
      const d = dir ?? mkdtempSync(join(tmpdir(), prefix));
      if (!dir) dirs.push(d);
      const s = createServices({ paths: resolvePaths(d), transport: 'cli' });
      open.push(s);
      return s;
    },
    /** A temp folder removed by `closeAll`. */
    tempDir(): string {
      const d = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
    async closeAll(): Promise<void> {
      for (const s of open.splice(0)) await s.close();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}
