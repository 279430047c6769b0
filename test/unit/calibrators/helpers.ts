/** Shared loaders for the calibrator tests: the real bundled backbone and the fixture files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
