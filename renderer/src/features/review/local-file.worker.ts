/**
 * Web Worker that reads a dropped or picked OIFITS file with the shared reader, off the page's
 * main thread, so a slow or hostile file cannot freeze the screen; the page ends this worker when
 * it overruns its time budget (open-file.ts). Also hashes the data HDUs (SHA-256, the product's
 * content identity) so the page can tell whether the file is one the queue knows.
 */
import { buildPlotData, dataHduRange, FitsError, readOifits, summariseOifits } from '../../../../shared/oifits';

self.onmessage = async (e: MessageEvent<{ bytes: ArrayBuffer; fileName: string }>) => {
  try {
    const bytes = new Uint8Array(e.data.bytes);
    const parsed = readOifits(bytes);
    const { start, end } = dataHduRange(parsed.fits);
    const digest = await crypto.subtle.digest('SHA-256', bytes.subarray(start, end));
    const contentHash = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    self.postMessage({ ok: true, result: { summary: summariseOifits(parsed), plot: buildPlotData(parsed), contentHash, sizeBytes: bytes.length } });
  } catch (err) {
    const message = err instanceof FitsError || err instanceof Error ? err.message : String(err);
    self.postMessage({ ok: false, message: message.split('\n')[0] });
  }
};
