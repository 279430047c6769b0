/**
 * OIFITS files peers send us, as the Review screen lists them ("Received over SAMP"): they never
 * open by themselves over the user's work. A file sent by `file:` URL is the sender's own and is
 * only referenced. A file fetched over http is copied into `<data>/samp-received/` and kept only
 * while it is listed or once it has been reviewed (a verdict was written into it): dismissing an
 * unreviewed copy deletes it, copies left from an earlier run are deleted at start, and unreviewed
 * copies together may not exceed a size cap (new ones are then declined with a reply saying so).
 */
import { randomUUID } from 'node:crypto';
import { promises as fs, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SampReceivedFile } from '../../../shared/contract/samp';
import { downloadFileName, type ReceivedFits } from '../../samp/bridge';

/** Default cap on unreviewed downloaded copies, bytes. */
export const DEFAULT_RECEIVED_CAP_BYTES = 512 * 1024 * 1024;
/** Most entries listed; the oldest that can go without losing anything are forgotten first. */
const MAX_LISTED = 200;

export class ReceivedFiles {
  private readonly entries = new Map<string, Omit<SampReceivedFile, 'isReviewed'>>();

  constructor(
    private readonly dir: string,
    private readonly isReviewed: (path: string) => boolean,
    private readonly capBytes = DEFAULT_RECEIVED_CAP_BYTES,
  ) {}

  /** Delete copies left by an earlier run that were never reviewed (nothing lists them any more). */
  sweep(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(this.dir, name);
      // Folders (the review's .review-backups/) are not copies of ours.
      if (statSync(file, { throwIfNoEntry: false })?.isFile() && !this.isListed(file) && !this.isReviewed(file)) rmSync(file, { force: true });
    }
  }

  /** Listed files, oldest first. */
  list(): SampReceivedFile[] {
    return [...this.entries.values()].map((e) => ({ ...e, isReviewed: this.isReviewed(e.path) }));
  }

  /** Bytes held by listed copies that are not reviewed. */
  unreviewedBytes(): number {
    let total = 0;
    for (const e of this.entries.values()) if (e.isDownloaded && !this.isReviewed(e.path)) total += e.sizeBytes;
    return total;
  }

  /**
   * Store a copy fetched over http (the bridge's `saveDownload`); throws, so the sender is told,
   * when it would take unreviewed copies over the cap.
   */
  readonly save = async (name: string, bytes: Buffer): Promise<string> => {
    const used = this.unreviewedBytes();
    if (used + bytes.length > this.capBytes) {
      const mb = (n: number): string => `${Math.ceil(n / (1024 * 1024))} MB`;
      throw new Error(
        `${name} (${mb(bytes.length)}) was not kept: received OIFITS files waiting for review already take ${mb(used)} of the ${mb(this.capBytes)} allowed; review or dismiss some in the Review screen`,
      );
    }
    await fs.mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, downloadFileName(name));
    await fs.writeFile(file, bytes);
    return file;
  };

  /** List a file the bridge accepted. */
  add(f: ReceivedFits): SampReceivedFile {
    const entry = { id: randomUUID(), path: f.path, name: f.name, senderName: f.senderName, receivedAtMs: Date.now(), sizeBytes: f.sizeBytes, isDownloaded: f.isDownloaded };
    this.entries.set(entry.id, entry);
    for (const [id, e] of this.entries) {
      if (this.entries.size <= MAX_LISTED) break;
      if (!e.isDownloaded || this.isReviewed(e.path)) this.entries.delete(id);
    }
    return { ...entry, isReviewed: this.isReviewed(entry.path) };
  }

  /** Remove from the list; an unreviewed copy of ours is deleted. False when `id` is unknown. */
  dismiss(id: string): boolean {
    const e = this.entries.get(id);
    if (!e) return false;
    this.entries.delete(id);
    if (e.isDownloaded && !this.isListed(e.path) && !this.isReviewed(e.path) && this.isOurs(e.path)) rmSync(e.path, { force: true });
    return true;
  }

  private isListed(file: string): boolean {
    for (const e of this.entries.values()) if (e.path === file) return true;
    return false;
  }

  private isOurs(file: string): boolean {
    const rel = path.relative(this.dir, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && statSync(file, { throwIfNoEntry: false })?.isFile() === true;
  }
}
