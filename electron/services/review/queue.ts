/**
 * The review queue: watched SPICA night roots, their OIFITS files (read once per size+mtime, on a
 * worker thread, to learn the target and any verdict in the header), each linked to a survey
 * target and recorded in `data_products`, ordered unreviewed L2 first. Watchers re-scan on change
 * (debounced) and announce the new queue.
 *
 * Crash consistency: a verdict is written to the file before the store. A crash between the two
 * leaves the verdict in the file only, so each scan adopts a header verdict the store lacks.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ApiError } from '../../../shared/contract/define';
import type { ReviewQueue, ReviewQueueItem } from '../../../shared/contract/review';
import { isQualityLevel, type QualityKeywords, type StoredQuality } from '../../../shared/oifits';
import {
  listDataProducts,
  recordDataProductReview,
  syncDataProducts,
  type DataProductInput,
  type DataProductReview,
  type DataProductRow,
} from '../../db/repos/data-products';
import { readSetting, writeSetting } from '../../db/repos/settings';
import type { Store } from '../../db/store';
import { isNightRoot, scanNightRoot, watchNightRoot, type NightFile } from '../../oifits/night-folder';
import type { FileFacts } from './oifits-jobs';
import type { OifitsWorkerPool } from './oifits-pool';
import { TargetLinker } from './target-link';

const FOLDERS_SETTING = 'review.folders';

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
  return { qualityLevel: quality.level, reviewComment: quality.comment ?? '', reviewer: quality.reviewer ?? '', reviewedAtMs: fileMs };
}

export class ReviewQueueManager {
  private readonly watchers = new Map<string, { close(): void }>();
  private readonly facts = new Map<string, CachedFacts>();
  private files: NightFile[] = [];
  private scanning: Promise<ReviewQueue> | null = null;

  constructor(
    private readonly store: Store,
    private readonly pool: OifitsWorkerPool,
    private readonly keywords: () => QualityKeywords,
    private readonly announce: (queue: ReviewQueue) => void,
    private readonly shouldWatch: boolean,
  ) {}

  /** Folders being watched, from the store. */
  folders(): string[] {
    return readSetting<string[]>(this.store, FOLDERS_SETTING, []);
  }

  /**
   * Start watchers for the stored folders. The first scan waits for the first `review.queue`
   * call, so a CLI command that never asks for the queue does not read every night's files.
   */
  start(): void {
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
    const folders = this.folders();
    if (folders.includes(root)) return this.rescan(true);
    await this.rescan(false, [root]);
    writeSetting(this.store, FOLDERS_SETTING, [...this.folders().filter((f) => f !== root), root]);
    this.watch(root);
    return this.rescan(true);
  }

  async removeFolder(rootInput: string): Promise<ReviewQueue> {
    const root = resolve(rootInput);
    writeSetting(this.store, FOLDERS_SETTING, this.folders().filter((f) => f !== root));
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
    for (const root of [...this.folders(), ...extraRoots]) if (existsSync(root)) files.push(...scanNightRoot(root));
    const keywords = this.keywords();
    const facts = new Map<string, FileFacts>();
    for (const f of files) facts.set(f.path, await this.factsFor(f, keywords));
    this.files = files;

    const linker = new TargetLinker(this.store);
    const existing = new Map(listDataProducts(this.store).map((r) => [r.path, r]));
    const inputs: DataProductInput[] = [];
    const adopted: Array<{ input: DataProductInput; review: DataProductReview }> = [];
    for (const f of files) {
      const fileFacts = facts.get(f.path) as FileFacts;
      const link = linker.link(fileFacts.targets);
      const input: DataProductInput = {
        path: f.path,
        level: f.level,
        night: f.night,
        targetId: link?.id ?? null,
        fileTargetName: fileFacts.targets[0]?.name ?? null,
        fileSizeBytes: f.sizeBytes,
        fileMtimeMs: Math.round(f.mtimeMs),
      };
      const row = existing.get(f.path);
      const review = verdictToAdopt(row, fileFacts.quality, f.mtimeMs);
      if (review) {
        adopted.push({ input, review });
        continue;
      }
      const same =
        row &&
        row.level === input.level &&
        row.night === input.night &&
        row.targetId === input.targetId &&
        row.fileTargetName === input.fileTargetName &&
        row.fileSizeBytes === input.fileSizeBytes &&
        row.fileMtimeMs === input.fileMtimeMs;
      if (!same) inputs.push(input);
    }
    if (inputs.length > 0) syncDataProducts(this.store, inputs);
    for (const a of adopted) recordDataProductReview(this.store, a.input, a.review);
    return this.queue();
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
      facts = { targets: [], quality: null, readError: e instanceof Error ? e.message : String(e) };
    }
    this.facts.set(f.path, { key, ...facts });
    return facts;
  }

  /** Forget what we know of one file (after we rewrote it). */
  invalidate(path: string): void {
    this.facts.delete(path);
  }

  /** The queue from the last scan and the store's current verdicts. */
  queue(): ReviewQueue {
    const rows = new Map(listDataProducts(this.store).map((r) => [r.path, r]));
    const names = this.targetNames();
    const items = this.files.map((f) => toItem(rows.get(f.path), f, names, this.facts.get(f.path)?.readError ?? null));
    items.sort(compareQueueItems);
    return { folders: this.folders(), items };
  }

  /** Queue entry for one path (even outside watched folders, when the store knows it). */
  item(path: string): ReviewQueueItem | null {
    const row = listDataProducts(this.store, [path])[0];
    const file = this.files.find((f) => f.path === path);
    if (!row && !file) return null;
    return toItem(row, file, this.targetNames(), this.facts.get(path)?.readError ?? null);
  }

  private targetNames(): Map<string, string> {
    const rows = this.store.sqlite.prepare('select id, name from targets').all() as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}

function toItem(row: DataProductRow | undefined, file: NightFile | undefined, names: Map<string, string>, readError: string | null): ReviewQueueItem {
  const path = file?.path ?? row?.path ?? '';
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
    readError,
  };
}
