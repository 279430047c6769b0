/**
 * The review queue: watched SPICA night roots, their OIFITS files (read once per size+mtime to
 * learn the target), each linked to a survey target and recorded in `data_products`, ordered
 * unreviewed L2 first. Watchers re-scan on change (debounced) and announce the new queue.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { ApiError } from '../../../shared/contract/define';
import type { ReviewQueue, ReviewQueueItem } from '../../../shared/contract/review';
import { readOifits, tablesOf } from '../../../shared/oifits';
import { listDataProducts, syncDataProducts, type DataProductInput, type DataProductRow } from '../../db/repos/data-products';
import { readSetting, writeSetting } from '../../db/repos/settings';
import type { Store } from '../../db/store';
import { isNightRoot, scanNightRoot, watchNightRoot, type NightFile } from '../../oifits/night-folder';
import { TargetLinker, type FileTarget } from './target-link';

const FOLDERS_SETTING = 'review.folders';

interface FileFacts {
  key: string;
  targets: FileTarget[];
  readError: string | null;
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

/** Read the OI_TARGET of a file, or the reason it cannot be read. */
export function fileTargets(path: string): { targets: FileTarget[]; readError: string | null } {
  try {
    const file = readOifits(new Uint8Array(readFileSync(path)));
    const table = tablesOf(file, 'OI_TARGET')[0];
    const targets = (table?.targets ?? [])
      .slice()
      // Science targets first, so a file with its calibrator listed too links to the science one.
      .sort((a, b) => (a.category === 'CAL' ? 1 : 0) - (b.category === 'CAL' ? 1 : 0))
      .map((t) => ({ name: t.name, raDeg: Number.isFinite(t.raDeg) ? t.raDeg : null, decDeg: Number.isFinite(t.decDeg) ? t.decDeg : null }));
    return { targets, readError: null };
  } catch (e) {
    return { targets: [], readError: e instanceof Error ? e.message : String(e) };
  }
}

export class ReviewQueueManager {
  private readonly watchers = new Map<string, { close(): void }>();
  private readonly facts = new Map<string, FileFacts>();
  private files: NightFile[] = [];

  constructor(
    private readonly store: Store,
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
    this.watchers.set(root, watchNightRoot(root, () => this.rescan(true)));
  }

  addFolder(rootInput: string): ReviewQueue {
    const root = resolve(rootInput);
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new ApiError('not-found', `review.addFolder: no folder at ${root}`);
    if (!isNightRoot(root)) {
      throw new ApiError('invalid-input', `review.addFolder: ${root} has neither RawOifits/ nor Results/ (expected the SPICA layout RawOifits/YYYY-MM-DD/, Results/YYYY-MM-DD/)`);
    }
    const folders = this.folders();
    if (!folders.includes(root)) writeSetting(this.store, FOLDERS_SETTING, [...folders, root]);
    this.watch(root);
    return this.rescan(true);
  }

  removeFolder(rootInput: string): ReviewQueue {
    const root = resolve(rootInput);
    writeSetting(this.store, FOLDERS_SETTING, this.folders().filter((f) => f !== root));
    this.watchers.get(root)?.close();
    this.watchers.delete(root);
    return this.rescan(true);
  }

  /** Re-list every folder, link new or changed files, write the store, announce. */
  rescan(announce: boolean): ReviewQueue {
    const files: NightFile[] = [];
    for (const root of this.folders()) if (existsSync(root)) files.push(...scanNightRoot(root));
    this.files = files;
    const linker = new TargetLinker(this.store);
    const existing = new Map(listDataProducts(this.store).map((r) => [r.path, r]));
    const inputs: DataProductInput[] = [];
    for (const f of files) {
      const facts = this.factsFor(f);
      const link = linker.link(facts.targets);
      const input: DataProductInput = {
        path: f.path,
        level: f.level,
        night: f.night,
        targetId: link?.id ?? null,
        fileTargetName: facts.targets[0]?.name ?? null,
        fileSizeBytes: f.sizeBytes,
        fileMtimeMs: Math.round(f.mtimeMs),
      };
      const row = existing.get(f.path);
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
    const queue = this.queue();
    if (announce) this.announce(queue);
    return queue;
  }

  private factsFor(f: NightFile): FileFacts {
    const key = `${f.sizeBytes}:${f.mtimeMs}`;
    const cached = this.facts.get(f.path);
    if (cached && cached.key === key) return cached;
    const facts = { key, ...fileTargets(f.path) };
    this.facts.set(f.path, facts);
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
