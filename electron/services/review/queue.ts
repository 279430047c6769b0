/**
 * The review queue: watched SPICA night roots (`review_folders` rows), their OIFITS files (read
 * once per size+mtime, on a worker thread, to learn the content hash, the target and any verdict
 * in the header), each matched to its data-product version by content and linked to a survey
 * target, ordered unreviewed L2 first. Watchers re-scan on change (debounced), announce the new
 * queue and each file that arrived.
 *
 * Crash consistency: a verdict is written to the file before the store. A crash between the two
 * leaves the verdict in the file only, so each scan adopts a header verdict the store lacks.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ApiError } from '../../../shared/contract/define';
import type { ReviewFileArrived, ReviewQueue, ReviewQueueItem, TargetNight } from '../../../shared/contract/review';
import { isQualityLevel, productKey, type QualityKeywords, type StoredQuality } from '../../../shared/oifits';
import {
  clearReview,
  listDataProducts,
  recordDataProductReview,
  syncDataProducts,
  upsertDataProduct,
  type DataProductInput,
  type DataProductReview,
  type DataProductRow,
} from '../../db/repos/data-products';
import { addReviewFolder, listReviewFolders, migrateFoldersSetting, removeReviewFolder } from '../../db/repos/review-folders';
import { addHistory } from '../../db/repos/review-history';
import type { Store } from '../../db/store';
import { isNightRoot, scanNightRoot, watchNightRoot, type NightFile } from '../../oifits/night-folder';
import type { FileFacts } from './oifits-jobs';
import type { OifitsWorkerPool } from './oifits-pool';
import { TargetLinker } from './target-link';

interface CachedFacts extends FileFacts {
  key: string;
}

/** Order: unreviewed before reviewed, L2 before L1, newest night first, then path. */
export function compareQueueItems(a: ReviewQueueItem, b: ReviewQueueItem): number {
  const reviewed = (x: ReviewQueueItem) => (x.qualityLevel === null ? 0 : 1);
  return (
    reviewed(a) - reviewed(b) ||
    (a.level === b.level ? 0 : a.level === 'L2' ? -1 : 1) ||
    (b.night ?? '').localeCompare(a.night ?? '') ||
    a.path.localeCompare(b.path)
  );
}

/**
 * The verdict of a file's header the store should adopt, or null when the store already agrees
 * or holds a later verdict. The header's date has whole seconds; the store's has milliseconds.
 */
export function verdictToAdopt(row: DataProductRow | undefined, quality: StoredQuality | null, fileMtimeMs: number): DataProductReview | null {
  if (!quality || !isQualityLevel(quality.level)) return null;
  const parsed = quality.date ? Date.parse(`${quality.date}Z`) : NaN;
  const fileMs = Number.isFinite(parsed) ? parsed : Math.round(fileMtimeMs);
  if (row && row.qualityLevel !== null && row.reviewedAtMs !== null) {
    const sameSecond = Math.floor(row.reviewedAtMs / 1000) === Math.floor(fileMs / 1000);
    if (row.qualityLevel === quality.level && sameSecond) return null;
    if (row.reviewedAtMs >= fileMs + 1000) return null;
  }
  return { qualityLevel: quality.level, reviewComment: quality.comment ?? '', reviewer: quality.reviewer ?? '', reviewedAtMs: fileMs, plato: quality.plato };
}

/** The product key of a scanned file. */
export function productKeyOf(f: { path: string; night: string | null }, facts: FileFacts): string | null {
  if (!facts.contentHash) return null;
  return productKey({ target: facts.targets[0]?.name ?? null, night: f.night, dateObs: facts.dateObs, insnames: facts.insnames, fileName: basename(f.path) });
}

export class ReviewQueueManager {
  private readonly watchers = new Map<string, { close(): void }>();
  private readonly facts = new Map<string, CachedFacts>();
  private files: NightFile[] = [];
  private scanning: Promise<ReviewQueue> | null = null;
  /** Paths seen by earlier scans, and the roots those scans covered, to tell which files arrived. */
  private readonly seen = new Set<string>();
  private readonly scannedRoots = new Set<string>();
  private readonly arrived = new Map<string, number>();
  /** Revision of the last scan; starts at the start time so a restarted service never goes back. */
  private revision = Date.now() * 1000;

  constructor(
    private readonly store: Store,
    private readonly pool: OifitsWorkerPool,
    private readonly keywords: () => QualityKeywords,
    private readonly announce: (queue: ReviewQueue) => void,
    private readonly shouldWatch: boolean,
    private readonly onArrived: (file: ReviewFileArrived) => void = () => undefined,
  ) {}

  /** Folders being watched, from the store. */
  folders(): string[] {
    return listReviewFolders(this.store);
  }

  /**
   * Move the legacy folders setting into rows, then start watchers for the stored folders. The
   * first scan waits for the first `review.queue` call, so a CLI command that never asks for the
   * queue does not read every night's files.
   */
  start(): void {
    migrateFoldersSetting(this.store);
    for (const root of this.folders()) this.watch(root);
  }

  private watch(root: string): void {
    if (!this.shouldWatch || this.watchers.has(root) || !existsSync(root)) return;
    this.watchers.set(
      root,
      watchNightRoot(root, () => {
        this.rescan(true).catch((e: unknown) => console.error(`review: re-scan of ${root} failed: ${String(e)}`));
      }),
    );
  }

  /**
   * Watch a night root. Its files are scanned (each read under the worker's budget) before the
   * folder is saved, so a folder is only ever stored once it has been read through once.
   */
  async addFolder(rootInput: string): Promise<ReviewQueue> {
    const root = resolve(rootInput);
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new ApiError('not-found', `review.addFolder: no folder at ${root}`);
    if (!isNightRoot(root)) {
      throw new ApiError('invalid-input', `review.addFolder: ${root} has neither RawOifits/ nor Results/ (expected the SPICA layout RawOifits/YYYY-MM-DD/, Results/YYYY-MM-DD/)`);
    }
    if (this.folders().includes(root)) return this.rescan(true);
    await this.rescan(false, [root]);
    addReviewFolder(this.store, root);
    this.watch(root);
    return this.rescan(true);
  }

  async removeFolder(rootInput: string): Promise<ReviewQueue> {
    const root = resolve(rootInput);
    removeReviewFolder(this.store, root);
    this.watchers.get(root)?.close();
    this.watchers.delete(root);
    return this.rescan(true);
  }

  /**
   * Re-list every folder (and `extraRoots`, not yet saved), read new or changed files on the
   * worker, write the store, announce. Scans run one at a time, each after the one before.
   */
  async rescan(announce: boolean, extraRoots: string[] = []): Promise<ReviewQueue> {
    while (this.scanning) await this.scanning.catch(() => undefined);
    this.scanning = this.scan(extraRoots);
    try {
      const queue = await this.scanning;
      if (announce) this.announce(queue);
      return queue;
    } finally {
      this.scanning = null;
    }
  }

  private async scan(extraRoots: string[]): Promise<ReviewQueue> {
    const files: NightFile[] = [];
    const roots = [...this.folders(), ...extraRoots];
    /** Files under roots an earlier scan already covered: the only ones that can have "arrived". */
    const watched = new Set<string>();
    for (const root of roots) {
      if (!existsSync(root)) continue;
      const found = scanNightRoot(root);
      files.push(...found);
      if (this.scannedRoots.has(root)) for (const f of found) watched.add(f.path);
      this.scannedRoots.add(root);
    }
    const keywords = this.keywords();
    const facts = new Map<string, FileFacts>();
    for (const f of files) facts.set(f.path, await this.factsFor(f, keywords));
    this.files = files;

    const linker = new TargetLinker(this.store);
    const byHash = new Map<string, DataProductRow>();
    const byPath = new Map<string, DataProductRow>();
    for (const r of listDataProducts(this.store)) {
      if (r.contentHash) byHash.set(r.contentHash, r);
      if (!byPath.has(r.path) || (byPath.get(r.path) as DataProductRow).createdAtMs < r.createdAtMs) byPath.set(r.path, r);
    }
    const scannedPaths = new Set(files.map((f) => f.path));
    const inputs: DataProductInput[] = [];
    const adopted: Array<{ input: DataProductInput; review: DataProductReview }> = [];
    const dropped: Array<{ input: DataProductInput; previous: DataProductRow }> = [];
    for (const f of files) {
      const fileFacts = facts.get(f.path) as FileFacts;
      const link = linker.link(fileFacts.targets);
      const input: DataProductInput = {
        path: f.path,
        contentHash: fileFacts.contentHash,
        productKey: productKeyOf(f, fileFacts),
        level: f.level,
        night: f.night,
        targetId: link?.id ?? null,
        fileTargetName: fileFacts.targets[0]?.name ?? null,
        fileSizeBytes: f.sizeBytes,
        fileMtimeMs: Math.round(f.mtimeMs),
      };
      const row = (input.contentHash ? byHash.get(input.contentHash) : undefined) ?? (byPath.get(f.path)?.contentHash === null ? byPath.get(f.path) : undefined);
      // The same content in two places (a copy on another disk): one version, kept at the path it
      // has; the copy neither moves it nor rewrites it at every scan.
      if (row && row.path !== f.path && scannedPaths.has(row.path)) continue;
      const review = verdictToAdopt(row, fileFacts.quality, f.mtimeMs);
      if (review) {
        adopted.push({ input, review });
        continue;
      }
      // A verdict is always written into the header before the store: a store verdict whose file
      // has none in its header belongs to other bytes (a copy of the data made before the review,
      // the original restored from .review-backups, a pipeline re-write). The file is unreviewed.
      if (row && row.qualityLevel !== null && !(fileFacts.quality && isQualityLevel(fileFacts.quality.level))) {
        dropped.push({ input, previous: row });
        continue;
      }
      const same =
        row &&
        row.path === input.path &&
        row.contentHash === input.contentHash &&
        row.level === input.level &&
        row.night === input.night &&
        row.targetId === input.targetId &&
        row.fileTargetName === input.fileTargetName &&
        row.fileSizeBytes === input.fileSizeBytes &&
        row.fileMtimeMs === input.fileMtimeMs;
      if (!same) inputs.push(input);
    }
    if (inputs.length > 0) {
      syncDataProducts(this.store, inputs, (w, _id, previousId, input) => {
        const previous = listDataProducts(this.store).find((r) => r.id === previousId);
        addHistory(w, {
          productKey: previous?.productKey ?? input.productKey ?? input.path,
          contentHash: input.contentHash,
          kind: 'version',
          reviewer: null,
          atMs: w.nowMs,
          summary: `new version of ${basename(input.path)} (content changed${previous?.qualityLevel != null ? `; the previous version was Q${previous.qualityLevel}` : ''})`,
          detail: { previousContentHash: previous?.contentHash ?? null, contentHash: input.contentHash, path: input.path },
        });
      });
    }
    for (const a of adopted) recordDataProductReview(this.store, a.input, a.review);
    if (dropped.length > 0) {
      this.store.write((w) => {
        for (const d of dropped) {
          const { id } = upsertDataProduct(w, d.input);
          clearReview(w, id);
          addHistory(w, {
            productKey: d.previous.productKey ?? d.input.productKey ?? d.input.path,
            contentHash: d.input.contentHash,
            kind: 'version',
            reviewer: null,
            atMs: w.nowMs,
            summary: `${basename(d.input.path)} holds no verdict in its header: the store's Q${d.previous.qualityLevel} (${basename(d.previous.path)}) no longer applies`,
            detail: { path: d.input.path, previousPath: d.previous.path, previousLevel: d.previous.qualityLevel },
          });
        }
      });
    }
    this.noteArrivals(files, watched);
    this.revision++;
    return this.queue();
  }

  /** Files of already-scanned roots that no earlier scan saw have arrived (a new root's files have not). */
  private noteArrivals(files: NightFile[], watched: Set<string>): void {
    const now = Date.now();
    const names = this.targetNames();
    const rows = this.rowsByPath();
    for (const f of files) {
      if (this.seen.has(f.path)) continue;
      this.seen.add(f.path);
      if (!watched.has(f.path)) continue;
      this.arrived.set(f.path, now);
      const row = rows.get(f.path);
      this.onArrived({
        path: f.path,
        fileName: basename(f.path),
        level: f.level,
        night: f.night,
        targetName: (row?.targetId ? names.get(row.targetId) : null) ?? row?.fileTargetName ?? null,
      });
    }
  }

  private async factsFor(f: NightFile, keywords: QualityKeywords): Promise<FileFacts> {
    const key = `${f.sizeBytes}:${f.mtimeMs}:${JSON.stringify(keywords)}`;
    const cached = this.facts.get(f.path);
    if (cached && cached.key === key) return cached;
    let facts: FileFacts;
    try {
      facts = await this.pool.run({ kind: 'facts', path: f.path, keywords });
    } catch (e) {
      // Over budget, out of memory, or the pool closing: the file shows its reason in the queue.
      facts = { targets: [], quality: null, readError: e instanceof Error ? e.message : String(e), contentHash: null, insnames: [], dateObs: null };
    }
    this.facts.set(f.path, { key, ...facts });
    return facts;
  }

  /** Forget what we know of one file (after we rewrote it). */
  invalidate(path: string): void {
    this.facts.delete(path);
  }

  /** The row each path points at: by the content read at the last scan, else by path. */
  private rowsByPath(): Map<string, DataProductRow> {
    const rows = listDataProducts(this.store);
    const byHash = new Map(rows.filter((r) => r.contentHash).map((r) => [r.contentHash as string, r]));
    const byPath = new Map<string, DataProductRow>();
    for (const r of rows) if (!byPath.has(r.path) || (byPath.get(r.path) as DataProductRow).createdAtMs < r.createdAtMs) byPath.set(r.path, r);
    const out = new Map<string, DataProductRow>();
    for (const f of this.files) {
      const hash = this.facts.get(f.path)?.contentHash;
      const row = (hash ? byHash.get(hash) : undefined) ?? byPath.get(f.path);
      if (row) out.set(f.path, row);
    }
    for (const [p, r] of byPath) if (!out.has(p)) out.set(p, r);
    return out;
  }

  /** The queue from the last scan and the store's current verdicts. */
  queue(): ReviewQueue {
    const rows = this.rowsByPath();
    const names = this.targetNames();
    const versions = this.versionsByProduct();
    const items = this.files.map((f) => this.toItem(rows.get(f.path), f, names, versions));
    items.sort(compareQueueItems);
    return { folders: this.folders(), items, revision: this.revision };
  }

  /** Queue entry for one path (even outside watched folders, when the store knows it). */
  item(path: string): ReviewQueueItem | null {
    const row = this.rowsByPath().get(path);
    const file = this.files.find((f) => f.path === path);
    if (!row && !file) return null;
    return this.toItem(row, file, this.targetNames(), this.versionsByProduct());
  }

  /** Files of a survey target by night (watched files and reviewed ones), newest night first. */
  targetNights(targetId: string): TargetNight[] {
    const byNight = new Map<string, TargetNight>();
    const rows = this.rowsByPath();
    for (const [path, r] of rows) {
      if (r.targetId !== targetId || !r.night) continue;
      const night = byNight.get(r.night) ?? { night: r.night, files: [] };
      night.files.push({ path, fileName: basename(path), level: r.level, qualityLevel: r.qualityLevel });
      byNight.set(r.night, night);
    }
    return [...byNight.values()].sort((a, b) => b.night.localeCompare(a.night));
  }

  private versionsByProduct(): Map<string, DataProductRow[]> {
    const out = new Map<string, DataProductRow[]>();
    for (const r of listDataProducts(this.store)) {
      if (!r.productKey) continue;
      const list = out.get(r.productKey) ?? [];
      list.push(r);
      out.set(r.productKey, list);
    }
    for (const list of out.values()) list.sort((a, b) => a.createdAtMs - b.createdAtMs);
    return out;
  }

  private targetNames(): Map<string, string> {
    const rows = this.store.sqlite.prepare('select id, name from targets').all() as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  private toItem(row: DataProductRow | undefined, file: NightFile | undefined, names: Map<string, string>, versions: Map<string, DataProductRow[]>): ReviewQueueItem {
    const path = file?.path ?? row?.path ?? '';
    const facts = this.facts.get(path);
    const siblings = row?.productKey ? (versions.get(row.productKey) ?? []) : [];
    const earlier = row && row.qualityLevel === null ? siblings.filter((s) => s.id !== row.id && s.qualityLevel !== null && s.createdAtMs <= row.createdAtMs).at(-1) : undefined;
    return {
      path,
      fileName: basename(path),
      level: file?.level ?? row?.level ?? 'L2',
      night: file?.night ?? row?.night ?? null,
      targetId: row?.targetId ?? null,
      targetName: row?.targetId ? (names.get(row.targetId) ?? null) : null,
      fileTargetName: row?.fileTargetName ?? null,
      qualityLevel: row?.qualityLevel ?? null,
      reviewComment: row?.reviewComment ?? null,
      reviewer: row?.reviewer ?? null,
      reviewedAtMs: row?.reviewedAtMs ?? null,
      sizeBytes: file?.sizeBytes ?? row?.fileSizeBytes ?? 0,
      readError: facts?.readError ?? null,
      contentHash: row?.contentHash ?? facts?.contentHash ?? null,
      productKey: row?.productKey ?? null,
      versions: Math.max(1, siblings.length),
      previousVerdict: earlier ? { qualityLevel: earlier.qualityLevel as number, reviewer: earlier.reviewer, reviewedAtMs: earlier.reviewedAtMs } : null,
      plato: { processing: row?.platoProcessing ?? null, calibrators: row?.platoCalibrators ?? null, analysis: row?.platoAnalysis ?? null },
      arrivedAtMs: this.arrived.get(path) ?? null,
    };
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
