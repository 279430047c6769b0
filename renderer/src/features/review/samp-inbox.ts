/**
 * OIFITS files received over SAMP (`samp.fitsReceived`, a local path). Imported eagerly by the
 * screen registry so nothing is missed while the (lazy) Review screen has not been opened yet:
 * a path that arrives then is kept and shown when the screen mounts.
 */
import { notifications } from '@mantine/notifications';
import { api } from '../../api/client';

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

listenForSampFits();
