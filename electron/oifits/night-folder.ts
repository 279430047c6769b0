/**
 * SPICA night folders: a root holding `RawOifits/YYYY-MM-DD/` (L1, reduced uncalibrated) and
 * `Results/YYYY-MM-DD/` (L2, calibrated), possibly with sub-folders. Scanning lists the OIFITS
 * files found there with their level and night; watching re-scans (debounced) on any change.
 */
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { cleanStaleTempFiles, isWriteLeftover } from './atomic-write';

/** One OIFITS file found under a night root. */
export interface NightFile {
  path: string;
  level: 'L1' | 'L2';
  /** `YYYY-MM-DD` taken from the night folder name. */
  night: string | null;
  sizeBytes: number;
  mtimeMs: number;
}

const LEVEL_FOLDERS: Record<string, 'L1' | 'L2'> = { rawoifits: 'L1', results: 'L2' };
const OIFITS_NAME = /\.(fits|oifits|fit)$/i;
const NIGHT_NAME = /^(\d{4}-\d{2}-\d{2})/;
const MAX_DEPTH = 4;
/** A scan stops after this many folder entries, so a root pointed at a huge tree stays bounded. */
export const MAX_SCAN_ENTRIES = 100_000;

/** Whether a root looks like a SPICA data root (has RawOifits/ or Results/). */
export function isNightRoot(root: string): boolean {
  try {
    return readdirSync(root).some((name) => LEVEL_FOLDERS[name.toLowerCase()] !== undefined);
  } catch {
    return false;
  }
}

interface WalkState {
  entries: number;
}

function walk(dir: string, depth: number, state: WalkState, visit: (path: string) => void): void {
  if (depth > MAX_DEPTH || state.entries >= MAX_SCAN_ENTRIES) return;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  let hasLeftovers = false;
  for (const e of entries) {
    if (++state.entries > MAX_SCAN_ENTRIES) break;
    // Hidden entries are our backups and temp files, or the OS's.
    if (e.name.startsWith('.')) {
      hasLeftovers ||= isWriteLeftover(e.name);
      continue;
    }
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, depth + 1, state, visit);
    else if (e.isFile() && OIFITS_NAME.test(e.name)) visit(p);
  }
  // Temp files of verdict writes killed half-way (here or in the backup folder) go on the next scan.
  if (hasLeftovers) cleanStaleTempFiles(dir);
}

/** Classify a path under `root`: level from the first folder, night from the second. */
export function classify(root: string, path: string): { level: 'L1' | 'L2'; night: string | null } | undefined {
  const parts = relative(root, path).split(sep);
  const level = LEVEL_FOLDERS[parts[0]?.toLowerCase() ?? ''];
  if (!level || parts.length < 2) return undefined;
  const night = parts.length > 2 ? (NIGHT_NAME.exec(parts[1])?.[1] ?? null) : null;
  return { level, night };
}

/** List every OIFITS file under the L1/L2 folders of `root`. */
export function scanNightRoot(root: string): NightFile[] {
  const out: NightFile[] = [];
  const state: WalkState = { entries: 0 };
  for (const name of readdirSync(root)) {
    if (!LEVEL_FOLDERS[name.toLowerCase()]) continue;
    walk(join(root, name), 0, state, (path) => {
      const c = classify(root, path);
      if (!c) return;
      try {
        const s = statSync(path);
        out.push({ path, level: c.level, night: c.night, sizeBytes: s.size, mtimeMs: s.mtimeMs });
      } catch {
        // Vanished between listing and stat (a pipeline moving files): the next scan settles it.
      }
    });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Watch `root` recursively and call `onChange` at most once per `debounceMs` after changes settle.
 * Files being written by a pipeline fire many events; the debounce collapses them.
 */
export function watchNightRoot(root: string, onChange: () => void, debounceMs = 400): { close(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, debounceMs);
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(root, { recursive: true, persistent: false }, (_event, name) => {
      if (name && String(name).split(/[\\/]/).some((p) => p.startsWith('.'))) return;
      fire();
    });
    watcher.on('error', () => undefined);
  } catch {
    watcher = undefined;
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
