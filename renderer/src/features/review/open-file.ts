/**
 * Ways a file reaches the Review screen besides the queue: a File dropped or picked in the
 * browser (read right here with the shared reader; view only, since the browser gives no path to
 * write back to), and a path received over SAMP, remembered until the screen shows it.
 */
import { notifications } from '@mantine/notifications';
import type { ReviewOpenResult } from '../../../../shared/contract/review';
import { buildPlotData, readOifits, summariseOifits } from '../../../../shared/oifits';
import { api } from '../../api/client';

/** A file opened for review; `path` is null when it was read in the browser from a File. */
export type OpenedFile = Omit<ReviewOpenResult, 'path'> & { path: string | null };

/** Read a dropped or picked File with the shared reader. Throws FitsError's message on bad files. */
export async function readLocalFile(file: File): Promise<OpenedFile> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const parsed = readOifits(bytes);
  return { path: null, fileName: file.name, sizeBytes: bytes.length, summary: summariseOifits(parsed), plot: buildPlotData(parsed), item: null };
}

type Listener = (path: string) => void;
let pendingPath: string | null = null;
const listeners = new Set<Listener>();
let isSubscribed = false;

/** Start listening for SAMP deliveries (once per window). */
export function listenForSampFits(): void {
  if (isSubscribed) return;
  isSubscribed = true;
  api.on('samp.fitsReceived', (p) => {
    if (listeners.size > 0) {
      for (const l of listeners) l(p.path);
      return;
    }
    pendingPath = p.path;
    notifications.show({ title: `${p.name} from ${p.senderName}`, message: 'Received over SAMP; open the Review screen to see it.' });
  });
}

/** Receive SAMP paths while mounted; a path that arrived before is delivered at once. */
export function onSampFits(listener: Listener): () => void {
  listeners.add(listener);
  if (pendingPath) {
    const path = pendingPath;
    pendingPath = null;
    listener(path);
  }
  return () => listeners.delete(listener);
}
