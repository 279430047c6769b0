/** Reads the bundled backbone (`resources/calibrators/backbone.json.gz`) and checks its shape. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BackboneFile } from '../../../shared/calibrators/backbone-types';

/** Path of the backbone under a resources folder. */
export function backbonePath(resourcesDir: string): string {
  return join(resourcesDir, 'calibrators', 'backbone.json.gz');
}

/** Load and validate the backbone; throws naming the file and what is wrong. */
export function loadBackbone(path: string): BackboneFile {
  let parsed: BackboneFile;
  try {
    parsed = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as BackboneFile;
  } catch (e) {
    throw new Error(`${path}: cannot read the calibrator backbone (${(e as Error).message}); run npx tsx resources/scripts/build-calibrator-backbone.ts`);
  }
  if (parsed.format !== 'spica-calibrator-backbone' || parsed.version !== 1) throw new Error(`${path}: not a version-1 calibrator backbone`);
  for (const [name, col] of Object.entries(parsed.columns)) {
    if (!Array.isArray(col) || col.length !== parsed.count) throw new Error(`${path}: column ${name} has ${Array.isArray(col) ? col.length : 'no'} rows, expected ${parsed.count}`);
  }
  return parsed;
}
