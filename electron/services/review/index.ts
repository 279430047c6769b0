/**
 * The review domain service: implements `reviewMethods` of the contract. Every OIFITS read and
 * write runs on a worker thread with a time budget (oifits-pool.ts), so no file can stop the
 * services answering; verdicts are written only where `WriteScope` allows.
 */
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ApiError } from '../../../shared/contract/define';
import type { ReviewSettings, reviewMethods } from '../../../shared/contract/review';
import { DEFAULT_QUALITY_KEYWORDS, isQualityLevel, type OiFileSummary, type QualityKeywords } from '../../../shared/oifits';
import { recordDataProductReview } from '../../db/repos/data-products';
import { readSetting, writeSetting } from '../../db/repos/settings';
import { classify } from '../../oifits/night-folder';
import type { DomainService, ServiceContext } from '../context';
import type { SummaryResult } from './oifits-jobs';
import { OifitsWorkerPool } from './oifits-pool';
import { ReviewQueueManager } from './queue';
import { TargetLinker } from './target-link';
import { WriteScope } from './write-scope';

const SETTINGS_KEY = 'review.settings';

const DEFAULT_SETTINGS: ReviewSettings = { reviewer: '', keepBackups: true, keywords: { ...DEFAULT_QUALITY_KEYWORDS } };

/**
 * Read and summarise one OIFITS file on a worker of `pool` (the CLI's `oifits inspect` uses it
 * with a pool of its own). Rejects with an ApiError naming the file.
 */
export function summariseFile(pool: OifitsWorkerPool, path: string, keywords?: QualityKeywords): Promise<OiFileSummary> {
  return pool.run({ kind: 'summary', path: resolve(path), keywords, withPlot: false }).then((r) => r.summary);
}

export function createReviewService(ctx: ServiceContext): DomainService<typeof reviewMethods> {
  const { store } = ctx;
  const settings = (): ReviewSettings => ({ ...DEFAULT_SETTINGS, ...readSetting<Partial<ReviewSettings>>(store, SETTINGS_KEY, {}) });
  const pool = new OifitsWorkerPool();
  const queue = new ReviewQueueManager(store, pool, () => settings().keywords, (q) => ctx.emit('review.queueChanged', q), ctx.transport !== 'cli');
  const scope = new WriteScope(() => queue.folders());
  const stopListening = ctx.on('samp.fitsReceived', (f) => scope.allowReceived(f.path));
  queue.start();

  const summary = (path: string, withPlot: boolean): Promise<SummaryResult> =>
    pool.run({ kind: 'summary', path, keywords: settings().keywords, withPlot }, { urgent: true });

  return {
    handlers: {
      'review.open': async ({ path }) => {
        const full = resolve(path);
        const read = await summary(full, true);
        // Opening a file for review is how the user picks it: its verdict may now be written.
        scope.allowOpened(full);
        return {
          path: full,
          fileName: basename(full),
          sizeBytes: read.sizeBytes,
          summary: read.summary,
          plot: read.plot as NonNullable<SummaryResult['plot']>,
          item: queue.item(full),
        };
      },
      'review.inspect': async ({ path }) => (await summary(resolve(path), false)).summary,
      'review.findings': async ({ path }) => (await summary(resolve(path), false)).summary.findings,
      'review.setQuality': async ({ path, level, comment, reviewer, backup }) => {
        const full = resolve(path);
        if (!isQualityLevel(level)) throw new ApiError('invalid-input', `level: ${level} is not 0–5`);
        // The CLI's FILE argument is the user's own pick; other callers are held to the scope.
        if (ctx.transport !== 'cli') scope.check(full);
        const s = settings();
        const reviewedAtMs = Date.now();
        const written = await pool.run({
          kind: 'writeQuality',
          path: full,
          verdict: { level, comment, reviewer, reviewedAtMs },
          backup: backup ?? s.keepBackups,
          keywords: s.keywords,
        }, { urgent: true });
        queue.invalidate(full);
        const stat = statSync(full);
        const known = queue.item(full);
        const place = queue.folders().map((root) => classify(root, full)).find((c) => c !== undefined);
        const facts = await pool.run({ kind: 'facts', path: full, keywords: s.keywords }, { urgent: true });
        const link = new TargetLinker(store).link(facts.targets);
        recordDataProductReview(
          store,
          {
            path: full,
            level: known?.level ?? place?.level ?? 'L2',
            night: known?.night ?? place?.night ?? null,
            targetId: link?.id ?? null,
            fileTargetName: facts.targets[0]?.name ?? null,
            fileSizeBytes: stat.size,
            fileMtimeMs: Math.round(stat.mtimeMs),
          },
          { qualityLevel: level, reviewComment: comment, reviewer, reviewedAtMs },
        );
        if (reviewer !== s.reviewer) writeSetting(store, SETTINGS_KEY, { ...s, reviewer });
        const q = await queue.rescan(true);
        const item = q.items.find((i) => i.path === full) ?? queue.item(full);
        if (!item) throw new ApiError('internal', `${full}: verdict written but not found in the store`);
        const warnings = written.priorChecksumInvalid
          ? [`${basename(full)}: the primary CHECKSUM/DATASUM did not verify before this verdict; the header was re-signed and a HISTORY card says so`]
          : [];
        return {
          item,
          backupPath: written.backupPath,
          sizeBytes: written.sizeBytes,
          headerGrowthBytes: written.headerGrowthBytes,
          hasChecksum: written.hasChecksum,
          warnings,
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
    close: async () => {
      stopListening();
      queue.close();
      await pool.close();
    },
  };
}
