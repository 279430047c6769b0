/**
 * The review queue in the renderer: one source of truth, kept above the screen (it survives
 * navigation) and fed by every way a queue arrives — the first `review.queue` answer, the
 * `review.queueChanged` event, the answers of add/remove folder and of verdict writes. Each queue
 * carries the service's scan revision and only a newer one replaces what is held, so an answer
 * that arrives late (a slow first scan, a busy page) can never put back an older queue.
 */
import { useSyncExternalStore } from 'react';
import type { ReviewQueue } from '../../../../shared/contract/review';
import { api } from '../../api/client';
import { QueueStore } from '../../../../shared/review/queue-store';

const store = new QueueStore();
let isStarted = false;

/** Subscribe to queue events and ask for the queue once (idempotent). */
function start(): void {
  if (isStarted) return;
  isStarted = true;
  api.on('review.queueChanged', (q) => store.offer(q));
  refreshQueue();
}

/** Ask the service for the queue again. */
export function refreshQueue(): Promise<ReviewQueue | null> {
  return api.call('review.queue', {}).then(
    (q) => {
      store.offer(q);
      return store.get();
    },
    () => store.get(),
  );
}

/** Watch a night root; resolves to the queue held afterwards. */
export async function addQueueFolder(root: string): Promise<ReviewQueue | null> {
  store.offer(await api.call('review.addFolder', { root }));
  return store.get();
}

/** Stop watching a night root. */
export async function removeQueueFolder(root: string): Promise<ReviewQueue | null> {
  store.offer(await api.call('review.removeFolder', { root }));
  return store.get();
}

/** The current queue (null until the first answer). */
export function useReviewQueue(): ReviewQueue | null {
  start();
  return useSyncExternalStore(
    (l) => store.subscribe(l),
    () => store.get(),
  );
}
