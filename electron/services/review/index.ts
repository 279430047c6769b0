/** The review domain service: implements `reviewMethods` of the contract. */
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ApiError } from '../../../shared/contract/define';
import type { ReviewSettings, reviewMethods } from '../../../shared/contract/review';
import {
  buildPlotData,
  DEFAULT_QUALITY_KEYWORDS,
  FitsError,
  isQualityLevel,
  readOifits,
  summariseOifits,
  type OiFitsFile,
} from '../../../shared/oifits';
import { recordDataProductReview } from '../../db/repos/data-products';
import { readSetting, writeSetting } from '../../db/repos/settings';
import { classify } from '../../oifits/night-folder';
import { ReadOnlyFileError, writeQualityToFile } from '../../oifits/write-quality';
import type { DomainService, ServiceContext } from '../context';
import { fileTargets, ReviewQueueManager } from './queue';
import { TargetLinker } from './target-link';

/** Largest file we read into memory: OIFITS products are megabytes; this stops a wrong pick. */
const MAX_OIFITS_BYTES = 1024 * 1024 * 1024;
const SETTINGS_KEY = 'review.settings';

const DEFAULT_SETTINGS: ReviewSettings = { reviewer: '', keepBackups: true, keywords: { ...DEFAULT_QUALITY_KEYWORDS } };

/** Read and parse an OIFITS file, turning every failure into an ApiError naming the file. */
export function loadOifits(path: string): { file: OiFitsFile; sizeBytes: number } {
  let size: number;
  try {
    const s = statSync(path);
    if (!s.isFile()) throw new ApiError('invalid-input', `${path}: not a file`);
    size = s.size;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError('not-found', `${path}: no such file`);
  }
  if (size > MAX_OIFITS_BYTES) throw new ApiError('invalid-input', `${path}: ${size} bytes is larger than the 1 GB limit`);
  try {
    return { file: readOifits(new Uint8Array(readFileSync(path))), sizeBytes: size };
  } catch (e) {
    if (e instanceof FitsError) throw new ApiError('invalid-input', `${path}: ${e.message}`);
    throw e;
  }
}

export function createReviewService(ctx: ServiceContext): DomainService<typeof reviewMethods> {
  const { store } = ctx;
  const queue = new ReviewQueueManager(store, (q) => ctx.emit('review.queueChanged', q), ctx.transport !== 'cli');
  queue.start();

  const settings = (): ReviewSettings => ({ ...DEFAULT_SETTINGS, ...readSetting<Partial<ReviewSettings>>(store, SETTINGS_KEY, {}) });

  return {
    handlers: {
      'review.open': ({ path }) => {
        const full = resolve(path);
        const { file, sizeBytes } = loadOifits(full);
        return {
          path: full,
          fileName: basename(full),
          sizeBytes,
          summary: summariseOifits(file, settings().keywords),
          plot: buildPlotData(file),
          item: queue.item(full),
        };
      },
      'review.inspect': ({ path }) => summariseOifits(loadOifits(resolve(path)).file, settings().keywords),
      'review.findings': ({ path }) => summariseOifits(loadOifits(resolve(path)).file).findings,
      'review.setQuality': ({ path, level, comment, reviewer, backup }) => {
        const full = resolve(path);
        if (!isQualityLevel(level)) throw new ApiError('invalid-input', `level: ${level} is not 0–5`);
        loadOifits(full);
        const s = settings();
        const reviewedAtMs = Date.now();
        let written;
        try {
          written = writeQualityToFile(full, { level, comment, reviewer, reviewedAtMs }, { backup: backup ?? s.keepBackups, keywords: s.keywords });
        } catch (e) {
          if (e instanceof FitsError) throw new ApiError('invalid-input', `${full}: ${e.message}`);
          if (e instanceof ReadOnlyFileError) throw new ApiError('invalid-input', e.message);
          if (e instanceof Error && /changed on disk/.test(e.message)) throw new ApiError('conflict', e.message);
          throw e;
        }
        queue.invalidate(full);
        const stat = statSync(full);
        const known = queue.item(full);
        const place = queue.folders().map((root) => classify(root, full)).find((c) => c !== undefined);
        const targets = fileTargets(full).targets;
        const link = new TargetLinker(store).link(targets);
        recordDataProductReview(
          store,
          {
            path: full,
            level: known?.level ?? place?.level ?? 'L2',
            night: known?.night ?? place?.night ?? null,
            targetId: link?.id ?? null,
            fileTargetName: targets[0]?.name ?? null,
            fileSizeBytes: stat.size,
            fileMtimeMs: Math.round(stat.mtimeMs),
          },
          { qualityLevel: level, reviewComment: comment, reviewer, reviewedAtMs },
        );
        if (reviewer !== s.reviewer) writeSetting(store, SETTINGS_KEY, { ...s, reviewer });
        const q = queue.rescan(true);
        const item = q.items.find((i) => i.path === full) ?? queue.item(full);
        if (!item) throw new ApiError('internal', `${full}: verdict written but not found in the store`);
        return {
          item,
          backupPath: written.backupPath,
          sizeBytes: written.sizeBytes,
          headerGrowthBytes: written.headerGrowthBytes,
          hasChecksum: written.hasChecksum,
        };
      },
      'review.queue': () => queue.rescan(false),
      'review.addFolder': ({ root }) => queue.addFolder(root),
      'review.removeFolder': ({ root }) => queue.removeFolder(root),
      'review.getSettings': () => settings(),
      'review.setSettings': (patch) => {
        const next: ReviewSettings = { ...settings(), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
        writeSetting(store, SETTINGS_KEY, next);
        return next;
      },
    },
    close: () => queue.close(),
  };
}
