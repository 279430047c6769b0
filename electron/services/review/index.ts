/**
 * The review domain service: implements `reviewMethods` of the contract. Every OIFITS read and
 * write runs on a worker thread with a time budget (oifits-pool.ts), so no file can stop the
 * services answering; verdicts and flags are written only where `WriteScope` allows. Each verdict,
 * flag edit and fit is kept in the product's history (`review_history`).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ApiError } from '../../../shared/contract/define';
import type { ReviewFitResult, ReviewFlagPointsResult, ReviewFolderFit, ReviewHistory, ReviewSettings, reviewMethods } from '../../../shared/contract/review';
import { fallbackUdMas, type ObjectModel, type TargetModelInputs } from '../../../shared/models';
import { DEFAULT_QUALITY_KEYWORDS, diameterDisagrees, isQualityLevel, QUALITY_LABELS, type FlagChange, type OiFileSummary, type QualityKeywords, type SeriesKind } from '../../../shared/oifits';
import { dataProductByHash, getDataProduct, productVersions, recordDataProductReview, setContentHash, type DataProductRow } from '../../db/repos/data-products';
import { addHistory, historyEvent, listHistory, markUndone } from '../../db/repos/review-history';
import { readSetting, writeSetting } from '../../db/repos/settings';
import { classify, isNightRoot, scanNightRoot } from '../../oifits/night-folder';
import type { DomainService, ServiceContext } from '../context';
import { resolveRowModel, targetModelRow, type TargetModelRow } from '../../db/repos/target-models';
import type { FitJobResult, SummaryResult } from './oifits-jobs';
import { OifitsWorkerPool } from './oifits-pool';
import { productKeyOf, ReviewQueueManager } from './queue';
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

/** Changed FLAG elements as compact rows [hdu, row, channel, before (0/1)] for the history. */
type PackedChange = [number, number, number, number];
const pack = (changes: FlagChange[]): PackedChange[] => changes.map((c) => [c.hdu, c.row, c.channel, c.before ? 1 : 0]);

export function createReviewService(ctx: ServiceContext): DomainService<typeof reviewMethods> {
  const { store } = ctx;
  const settings = (): ReviewSettings => ({ ...DEFAULT_SETTINGS, ...readSetting<Partial<ReviewSettings>>(store, SETTINGS_KEY, {}) });
  const pool = new OifitsWorkerPool();
  const queue = new ReviewQueueManager(
    store,
    pool,
    () => settings().keywords,
    (q) => ctx.emit('review.queueChanged', q),
    ctx.transport !== 'cli',
    (f) => ctx.emit('review.fileArrived', f),
  );
  const scope = new WriteScope(() => queue.folders());
  const stopListening = ctx.on('samp.fitsReceived', (f) => scope.allowReceived(f.path));
  queue.start();

  const summary = (path: string, withPlot: boolean, kinds?: SeriesKind[]): Promise<SummaryResult> =>
    pool.run({ kind: 'summary', path, keywords: settings().keywords, withPlot, ...(kinds ? { kinds } : {}) }, { urgent: true });

  /** The store row of a file (by content, else by path), reading the file's facts when needed. */
  const rowOf = async (path: string): Promise<{ row: DataProductRow | undefined; contentHash: string | null; productKey: string | null }> => {
    const facts = await pool.run({ kind: 'facts', path, keywords: settings().keywords }, { urgent: true });
    const row = (facts.contentHash ? dataProductByHash(store, facts.contentHash) : undefined) ?? getDataProduct(store, path);
    const place = queue.folders().map((root) => classify(root, path)).find((c) => c !== undefined);
    return { row, contentHash: facts.contentHash, productKey: row?.productKey ?? productKeyOf({ path, night: place?.night ?? null }, facts) };
  };

  const targetRow = (id: string | null): TargetModelRow | undefined => (id ? targetModelRow(store, id) : undefined);

  /** The store row for a file we are about to write (created from its facts when new). */
  const productInput = async (full: string) => {
    const stat = statSync(full);
    const known = queue.item(full);
    const place = queue.folders().map((root) => classify(root, full)).find((c) => c !== undefined);
    const facts = await pool.run({ kind: 'facts', path: full, keywords: settings().keywords }, { urgent: true });
    const link = new TargetLinker(store).link(facts.targets);
    const night = known?.night ?? place?.night ?? null;
    return {
      path: full,
      contentHash: facts.contentHash,
      productKey: productKeyOf({ path: full, night }, facts),
      level: known?.level ?? place?.level ?? 'L2',
      night,
      targetId: link?.id ?? null,
      fileTargetName: facts.targets[0]?.name ?? null,
      fileSizeBytes: stat.size,
      fileMtimeMs: Math.round(stat.mtimeMs),
    } as const;
  };

  const flagResult = async (full: string, written: { changes: FlagChange[]; hashBefore: string; hashAfter: string; backupPath: string | null; priorChecksumInvalid: number[] }, historyId: string | null): Promise<ReviewFlagPointsResult> => {
    queue.invalidate(full);
    const q = await queue.rescan(true);
    return {
      item: q.items.find((i) => i.path === full) ?? queue.item(full),
      changed: written.changes.length,
      historyId,
      backupPath: written.backupPath,
      contentHash: written.hashAfter,
      warnings: written.priorChecksumInvalid.map((h) => `${basename(full)}: HDU ${h} CHECKSUM/DATASUM did not verify before this edit; it was re-signed and a HISTORY card says so`),
    };
  };

  /** Record a flag edit (or its undo) in the store: the row follows the new content, the history keeps the old values. */
  const recordFlags = async (full: string, written: { changes: FlagChange[]; hashBefore: string; hashAfter: string; sizeBytes: number; tables: { extname: string; count: number }[] }, event: { kind: 'flags' | 'flags-undo'; reviewer: string; reason: string; rule?: string; undoes?: string }): Promise<string> => {
    const input = await productInput(full);
    const stat = statSync(full);
    return store.write((w) => {
      const row = dataProductByHash(store, written.hashBefore) ?? getDataProduct(store, full);
      let id = row?.id;
      if (!id) id = w.insert('data_products', { path: full, content_hash: written.hashBefore, product_key: input.productKey, level: input.level, night: input.night, target_id: input.targetId, file_target_name: input.fileTargetName });
      setContentHash(w, id, written.hashAfter, written.sizeBytes, stat.mtimeMs);
      const set = written.changes.filter((c) => c.after).length;
      // Which tables the count covers: "OI_VIS2 40, OI_T3 2".
      const inTables = written.tables.map((t) => `${t.extname} ${t.count}`).join(', ');
      const historyId = addHistory(w, {
        productKey: row?.productKey ?? input.productKey ?? full,
        contentHash: written.hashBefore,
        kind: event.kind,
        reviewer: event.reviewer,
        atMs: w.nowMs,
        summary:
          event.kind === 'flags-undo'
            ? `undid a flag edit: ${written.changes.length} point(s) restored (${inTables})`
            : `${set ? `flagged ${set}` : ''}${set && written.changes.length - set ? ', ' : ''}${written.changes.length - set ? `unflagged ${written.changes.length - set}` : ''} point(s) (${inTables})${event.rule ? ` where ${event.rule}` : ''}: ${event.reason}`,
        detail: { reason: event.reason, rule: event.rule ?? null, hashBefore: written.hashBefore, hashAfter: written.hashAfter, changes: pack(written.changes), path: full },
      });
      if (event.undoes) markUndone(w, event.undoes, historyId);
      return historyId;
    });
  };

  const runFit = async (full: string, params: { target?: string; insname?: string; baselines?: string[]; ldCoefficient?: number; record?: boolean; reviewer?: string }): Promise<ReviewFitResult> => {
    const { row } = await rowOf(full);
    const input = await productInput(full);
    const target = targetRow(row?.targetId ?? input.targetId);
    let model: ObjectModel | undefined;
    let modelSource = '';
    if (target) {
      const resolved = resolveRowModel(target, 0.7);
      // The fallback UD is what the UD fit already measures: only a real model is scaled.
      if (resolved.model && (resolved.source === 'local' || resolved.source === 'spicadb')) {
        model = resolved.model;
        modelSource = resolved.note;
      }
    }
    const fit: FitJobResult = await pool.run({ kind: 'fit', path: full, request: { ...params, ...(model ? { model } : {}) } }, { urgent: true });
    let predicted: ReviewFitResult['predicted'] = null;
    if (target) {
      const inputs: TargetModelInputs = {
        name: target.name, raDeg: target.ra_deg, decDeg: target.dec_deg, localModel: null, spicadbModel: null,
        lddMas: target.ldd_mas, lddErrMas: target.ldd_err_mas, spType: target.sp_type, vmag: target.vmag, jmag: target.jmag, hmag: target.hmag, kmag: target.kmag,
      };
      const ud = Number.isFinite(fit.lambdaUm) ? fallbackUdMas(inputs, fit.lambdaUm) : null;
      if (ud) predicted = { udMas: ud.udMas, lddMas: target.ldd_mas, lddErrMas: target.ldd_err_mas, source: ud.how };
    }
    const disagrees = predicted ? diameterDisagrees(fit.ud, predicted.udMas, predicted.lddErrMas !== null && predicted.lddMas ? (predicted.lddErrMas * predicted.udMas) / predicted.lddMas : null) : false;
    let historyId: string | null = null;
    if (params.record !== false) {
      const productKey = row?.productKey ?? input.productKey ?? full;
      historyId = store.write((w) =>
        addHistory(w, {
          productKey,
          contentHash: fit.contentHash,
          kind: 'fit',
          reviewer: params.reviewer ?? (settings().reviewer || null),
          atMs: w.nowMs,
          summary: `fit${fit.target ? ` of ${fit.target}` : ''}: UD ${fit.ud.diameterMas.toFixed(4)} ± ${fit.ud.errorScaledMas.toFixed(4)} mas (χ²r ${fit.ud.chi2r.toFixed(2)}), LD ${fit.ld.diameterMas.toFixed(4)} mas${predicted ? `; predicted UD ${predicted.udMas.toFixed(4)} mas${disagrees ? ' — DISAGREES' : ''}` : ''}`,
          detail: { ud: fit.ud, ld: fit.ld, model: fit.model, predicted, lambdaUm: fit.lambdaUm, target: fit.target },
        }),
      );
    }
    return {
      path: full,
      fileName: basename(full),
      target: fit.target,
      lambdaUm: fit.lambdaUm,
      ud: fit.ud,
      ld: fit.ld,
      model: fit.model ? { ...fit.model, source: modelSource } : null,
      predicted,
      disagrees,
      historyId,
    };
  };

  return {
    handlers: {
      'review.open': async ({ path, kinds }) => {
        const full = resolve(path);
        const read = await summary(full, true, kinds);
        // Opening a file for review is how the user picks it: its verdict may now be written.
        scope.allowOpened(full);
        const item = queue.item(full);
        const row = dataProductByHash(store, read.contentHash);
        const targetId = item?.targetId ?? row?.targetId ?? null;
        return {
          path: full,
          fileName: basename(full),
          sizeBytes: read.sizeBytes,
          summary: read.summary,
          plot: read.plot as NonNullable<SummaryResult['plot']>,
          item,
          contentHash: read.contentHash,
          targetNights: targetId ? queue.targetNights(targetId) : [],
        };
      },
      'review.inspect': async ({ path }) => (await summary(resolve(path), false)).summary,
      'review.findings': async ({ path }) => (await summary(resolve(path), false)).summary.findings,
      'review.setQuality': async ({ path, level, comment, reviewer, backup, plato }) => {
        const full = resolve(path);
        if (!isQualityLevel(level)) throw new ApiError('invalid-input', `level: ${level} is not 0–5`);
        // The CLI's FILE argument is the user's own pick; other callers are held to the scope.
        if (ctx.transport !== 'cli') scope.check(full);
        const s = settings();
        const reviewedAtMs = Date.now();
        const written = await pool.run(
          {
            kind: 'writeQuality',
            path: full,
            verdict: { level, comment, reviewer, reviewedAtMs, ...(plato ? { plato } : {}) },
            backup: backup ?? s.keepBackups,
            keywords: s.keywords,
          },
          { urgent: true },
        );
        queue.invalidate(full);
        const input = await productInput(full);
        const before = input.contentHash ? dataProductByHash(store, input.contentHash) : undefined;
        const platoNow = {
          processing: plato?.processing ?? before?.platoProcessing ?? null,
          calibrators: plato?.calibrators ?? before?.platoCalibrators ?? null,
          analysis: plato?.analysis ?? before?.platoAnalysis ?? null,
        };
        recordDataProductReview(store, input, { qualityLevel: level, reviewComment: comment, reviewer, reviewedAtMs, plato: platoNow }, (w) => {
          const p = [platoNow.processing, platoNow.calibrators, platoNow.analysis];
          addHistory(w, {
            productKey: before?.productKey ?? input.productKey ?? full,
            contentHash: input.contentHash,
            kind: 'verdict',
            reviewer,
            atMs: reviewedAtMs,
            summary: `Q${level} (${QUALITY_LABELS[level]})${p.some((x) => x !== null) ? `, PLATO ${p.map((x) => x ?? '–').join('/')}` : ''}${before?.qualityLevel != null ? ` (was Q${before.qualityLevel} by ${before.reviewer || '?'})` : ''}${comment ? `: ${comment}` : ''}`,
            detail: { level, comment, plato: platoNow, previous: before ? { level: before.qualityLevel, reviewer: before.reviewer, comment: before.reviewComment } : null },
          });
        });
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
      'review.flagPoints': async ({ path, points, rule, flag, reason, reviewer, backup }) => {
        const full = resolve(path);
        if (ctx.transport !== 'cli') scope.check(full);
        const atMs = Date.now();
        const written = await pool.run(
          { kind: 'writeFlags', path: full, request: { points, rule, flag }, record: { reviewer, atMs, reason, rule }, backup: backup ?? settings().keepBackups },
          { urgent: true },
        );
        if (written.changes.length === 0) return flagResult(full, written, null);
        const historyId = await recordFlags(full, written, { kind: 'flags', reviewer, reason, rule });
        return flagResult(full, written, historyId);
      },
      'review.undoFlags': async ({ path, historyId, reviewer }) => {
        const full = resolve(path);
        if (ctx.transport !== 'cli') scope.check(full);
        const event = historyEvent(store, historyId);
        if (!event || event.kind !== 'flags') throw new ApiError('not-found', `review.undoFlags: no flag edit ${historyId}`);
        if (event.undoneBy) throw new ApiError('conflict', `review.undoFlags: that flag edit was already undone`);
        const detail = event.detail as { hashAfter: string; changes: PackedChange[] };
        const { contentHash } = await rowOf(full);
        // The file is as that edit left it, or as our own later flag edits of this product left
        // it (an older edit can be undone when the later ones touched other points; the worker
        // checks each point still holds what this edit wrote). Any other content (a regenerated
        // file, an edit by another tool) refuses the undo.
        const byOwnLaterEdit = listHistory(store, event.productKey).some(
          (e) => (e.kind === 'flags' || e.kind === 'flags-undo') && e.atMs >= event.atMs && (e.detail as { hashAfter?: string } | null)?.hashAfter === contentHash,
        );
        if (contentHash !== detail.hashAfter && !byOwnLaterEdit) {
          throw new ApiError('conflict', `${basename(full)}: the file changed since that flag edit (a new version or another tool); nothing undone`);
        }
        const written = await pool.run(
          {
            kind: 'writeFlags',
            path: full,
            request: {
              values: detail.changes.map(([hdu, row, channel, before]) => ({ hdu, row, channel, flag: before === 1 })),
              expectCurrent: detail.changes.map(([, , , before]) => before !== 1),
            },
            record: { reviewer, atMs: Date.now(), reason: `undo of the edit of ${new Date(event.atMs).toISOString().slice(0, 19)}`, kind: 'undo' },
            backup: false,
          },
          { urgent: true },
        );
        const undoId = await recordFlags(full, written, { kind: 'flags-undo', reviewer, reason: 'undo', undoes: historyId });
        return flagResult(full, written, undoId);
      },
      'review.fit': async (params) => runFit(resolve(params.path), params),
      'review.fitFolder': async ({ folder, ldCoefficient }) => {
        const root = resolve(folder);
        let files: string[];
        try {
          // A data root: its L2 files; a night folder (or any folder): the OIFITS files in it.
          files = isNightRoot(root)
            ? scanNightRoot(root).filter((f) => f.level === 'L2').map((f) => f.path)
            : readdirSync(root).filter((n) => /\.(fits|oifits|fit)$/i.test(n) && !n.startsWith('.')).map((n) => resolve(root, n)).sort();
        } catch {
          throw new ApiError('not-found', `review.fitFolder: no folder at ${root}`);
        }
        const fits: ReviewFitResult[] = [];
        const failed: ReviewFolderFit['failed'] = [];
        for (const f of files) {
          try {
            fits.push(await runFit(f, { ...(ldCoefficient !== undefined ? { ldCoefficient } : {}) }));
          } catch (e) {
            // One unreadable or V²-less file does not stop the night; it is reported with its reason.
            failed.push({ path: f, fileName: basename(f), message: (e as Error).message.split('\n')[0] });
          }
        }
        return { folder: root, fits, failed };
      },
      'review.history': async ({ path }): Promise<ReviewHistory> => {
        const full = resolve(path);
        const { row, productKey } = await rowOf(full);
        const key = row?.productKey ?? productKey;
        if (!key) return { productKey: '', versions: [], events: [] };
        return {
          productKey: key,
          versions: productVersions(store, key).map((v) => ({ contentHash: v.contentHash, path: v.path, firstSeenMs: v.createdAtMs, qualityLevel: v.qualityLevel, reviewer: v.reviewer })),
          events: listHistory(store, key),
        };
      },
      'review.queue': () => {
        // The Review screen asks for its queue when it opens: start the reader thread now, so
        // the first file opened does not wait for a worker to start (hundreds of ms from source).
        pool.warm();
        return queue.rescan(false);
      },
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
