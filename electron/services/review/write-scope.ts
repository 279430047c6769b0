/**
 * Where the review service may write a verdict: files under a watched night root, files received
 * over SAMP, and files the user opened for review since the app started. Any other path is
 * refused, so a call that names an arbitrary FITS file on disk (a script holding the browser-mode
 * token, a confused peer) cannot rewrite it. Reading stays open to any path: only regular files
 * are read, and errors never echo the bytes of a file that is not FITS.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { ApiError } from '../../../shared/contract/define';

/** The canonical form of a path: symbolic links of its folder resolved, `..` gone. */
function canonical(path: string): string {
  const full = resolve(path);
  try {
    return resolve(realpathSync(dirname(full)), basename(full));
  } catch {
    return full;
  }
}

/** Whether `path` lies inside `root` without passing through a hidden folder (backups, temp files). */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep) || resolve(root, rel) !== path) return false;
  return !rel.split(sep).some((part) => part.startsWith('.'));
}

/** The set of paths a verdict may be written to. */
export class WriteScope {
  private readonly opened = new Set<string>();
  private readonly received = new Set<string>();

  constructor(private readonly watchedRoots: () => string[]) {}

  /** The user opened this file for review (Review screen, drop, open by path). */
  allowOpened(path: string): void {
    this.opened.add(canonical(path));
  }

  /** A SAMP peer sent this file. */
  allowReceived(path: string): void {
    this.received.add(canonical(path));
  }

  /** Throws an ApiError unless a verdict may be written to `path`. */
  check(path: string): void {
    const full = resolve(path);
    let isLink = false;
    try {
      isLink = lstatSync(full).isSymbolicLink();
    } catch {
      // A missing file fails later with "no such file".
    }
    if (isLink) {
      throw new ApiError('invalid-input', `${full}: is a symbolic link; open the file it points to and write the verdict there`);
    }
    const target = canonical(full);
    if (this.opened.has(target) || this.received.has(target)) return;
    for (const root of this.watchedRoots()) {
      let realRoot: string;
      try {
        realRoot = realpathSync(root);
      } catch {
        continue;
      }
      if (isInside(realRoot, target)) return;
    }
    throw new ApiError(
      'invalid-input',
      `${full}: verdicts are written only into files under a watched night folder, files received over SAMP, or files opened for review in this session`,
    );
  }
}
