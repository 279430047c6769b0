/**
 * A File dropped or picked in the browser (no path: in the desktop window ReviewScreen opens
 * dropped files by path instead), read right here with the shared reader. View only:
 * the browser gives no path to write the verdict back to.
 */
import type { ReviewOpenResult } from '../../../../shared/contract/review';
import { buildPlotData, readOifits, summariseOifits } from '../../../../shared/oifits';

/** A file opened for review; `path` is null when it was read in the browser from a File. */
export type OpenedFile = Omit<ReviewOpenResult, 'path'> & { path: string | null };

/** Read a dropped or picked File with the shared reader. Throws FitsError's message on bad files. */
export async function readLocalFile(file: File): Promise<OpenedFile> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const parsed = readOifits(bytes);
  return { path: null, fileName: file.name, sizeBytes: bytes.length, summary: summariseOifits(parsed), plot: buildPlotData(parsed), item: null };
}
