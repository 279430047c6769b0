/**
 * A File dropped or picked in the browser (no path: in the desktop window ReviewScreen opens
 * dropped files by path instead), read on a Web Worker with the shared reader under the same
 * budgets as the review service's worker threads (docs/hardening.md): at most 1 GiB, and 30 s +
 * 100 ms per MB, after which the worker is ended and the file reported as too slow to read.
 * View only: the browser gives no path to write the verdict back to.
 */
import type { ReviewOpenResult } from '../../../../shared/contract/review';

/** A file opened for review; `path` is null when it was read in the browser from a File. */
export type OpenedFile = Omit<ReviewOpenResult, 'path'> & { path: string | null };

/** Largest file read in the page (the service's MAX_OIFITS_BYTES). */
export const MAX_LOCAL_BYTES = 1024 * 1024 * 1024;

/** Time budget of one read: the service's default read budget. */
export function localReadBudgetMs(sizeBytes: number): number {
  return 30_000 + 100 * (sizeBytes / (1024 * 1024));
}

/** Read a dropped or picked File on a Web Worker. Rejects with a one-line message on bad, huge or slow files. */
export async function readLocalFile(file: File, budgetMs = localReadBudgetMs(file.size)): Promise<OpenedFile> {
  if (file.size > MAX_LOCAL_BYTES) throw new Error(`the file is ${(file.size / 1024 ** 3).toFixed(1)} GiB; files above 1 GiB are not read`);
  const bytes = await file.arrayBuffer();
  const worker = new Worker(new URL('./local-file.worker.ts', import.meta.url), { type: 'module' });
  try {
    const result = await new Promise<Pick<ReviewOpenResult, 'summary' | 'plot' | 'contentHash' | 'sizeBytes'>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading took longer than ${Math.round(budgetMs / 1000)} s and was stopped (the file is too large for the budget, corrupt, or hostile)`)), budgetMs);
      worker.onmessage = (e: MessageEvent<{ ok: boolean; result?: never; message?: string }>) => {
        clearTimeout(timer);
        if (e.data.ok) resolve(e.data.result as never);
        else reject(new Error(e.data.message ?? 'unreadable'));
      };
      worker.onerror = (e) => {
        clearTimeout(timer);
        reject(new Error(`the reader stopped unexpectedly (${e.message})`));
      };
      worker.postMessage({ bytes, fileName: file.name }, [bytes]);
    });
    return { path: null, fileName: file.name, item: null, targetNights: [], ...result };
  } finally {
    worker.terminate();
  }
}
