/**
 * One survey import, start to finish: read the file (bounded), parse it, write it through the
 * targets repo as one recorded batch, and build the report. The same function runs in the import
 * worker (browser mode and the desktop app, so progress reaches the UI while the write runs) and
 * inline (the CLI, tests): there is one write path whichever thread runs it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../../shared/contract/define';
import type { ImportReport } from '../../../shared/model/survey';
import { CrossIdIndex } from '../../../shared/survey/identifiers';
import { ImportError, parseImport } from '../../../shared/survey/import-rows';
import type { BrightStar } from '../../../shared/survey/demo';
import { ImportCancelledError, importTargets, MATCH_CONE_ARCSEC } from '../../db/repos/targets';
import type { Store } from '../../db/store';
import { readImportFile } from '../../files/read-import-file';

/** What to import: text already in memory (drag-and-drop, SAMP) or a local path. */
export interface ImportJob {
  fileName: string;
  content?: string;
  path?: string;
  /** How the batch names where the rows came from (default: the file name), e.g. "SAMP Aspro2: targets". */
  source?: string;
  /** Prefix of error messages (default: the file name), e.g. "targets from Aspro2". */
  label?: string;
}

export type ImportPhase = 'reading' | 'parsing' | 'writing' | 'done';

export interface ImportHooks {
  onProgress?(phase: ImportPhase, done: number, total: number): void;
  isCancelled?(): boolean;
}

/** The bundled bright-star list (resources/stars/bright-stars.json). */
export function loadBrightStars(resourcesDir: string): BrightStar[] {
  const file = join(resourcesDir, 'stars', 'bright-stars.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { stars: BrightStar[] }).stars;
}

const crossIdCache = new Map<string, CrossIdIndex>();

/** Cross-identifications of the bundled bright stars (names, HD, HIP, HR), built once per resources folder. */
export function brightStarCrossIds(resourcesDir: string): CrossIdIndex {
  let index = crossIdCache.get(resourcesDir);
  if (!index) {
    index = new CrossIdIndex(loadBrightStars(resourcesDir), MATCH_CONE_ARCSEC);
    crossIdCache.set(resourcesDir, index);
  }
  return index;
}

/** Run an import job against `store`; throws `ApiError` for a file that cannot be imported. */
export function runImportJob(store: Store, crossIds: CrossIdIndex, job: ImportJob, hooks: ImportHooks = {}): ImportReport {
  const startedMs = performance.now();
  const { fileName } = job;
  let content = job.content;
  if (job.path !== undefined) {
    hooks.onProgress?.('reading', 0, 0);
    content = readImportFile(job.path);
  }
  if (content === undefined) throw new ApiError('invalid-input', `${fileName}: nothing to import`);
  if (hooks.isCancelled?.()) throw new ApiError('conflict', new ImportCancelledError().message);
  hooks.onProgress?.('parsing', 0, 0);
  let parsed;
  try {
    parsed = parseImport(fileName, content);
  } catch (e) {
    if (e instanceof ImportError) throw new ApiError('invalid-input', `${job.label ?? fileName}: ${e.message}`);
    throw e;
  }
  const total = parsed.targets.length;
  hooks.onProgress?.('writing', 0, total);
  let written;
  try {
    written = importTargets(store, parsed.targets, {
      source: job.source ?? fileName,
      crossIds,
      skipped: parsed.skipped.length,
      onProgress: (done) => hooks.onProgress?.('writing', done, total),
      isCancelled: hooks.isCancelled,
      report: (r) => ({ ...r, skipped: parsed.skipped, notices: parsed.notices }),
    });
  } catch (e) {
    if (e instanceof ImportCancelledError) throw new ApiError('conflict', e.message);
    throw e;
  }
  hooks.onProgress?.('done', total, total);
  return {
    fileName,
    format: parsed.format,
    ...written,
    skipped: parsed.skipped,
    notices: parsed.notices,
    durationMs: Math.round(performance.now() - startedMs),
  };
}
