/**
 * A holder of the review queue ordered by the service's scan revision: a queue is kept only when
 * it is newer than the one held, whatever order answers and events arrive in.
 */
import type { ReviewQueue } from '../contract/review';

type Listener = () => void;

export class QueueStore {
  private current: ReviewQueue | null = null;
  private readonly listeners = new Set<Listener>();

  /** The newest queue seen, or null before the first one. */
  get(): ReviewQueue | null {
    return this.current;
  }

  /** Offer a queue; it is kept only if newer than the one held. Returns whether it was kept. */
  offer(queue: ReviewQueue): boolean {
    if (this.current && queue.revision <= this.current.revision) return false;
    this.current = queue;
    for (const l of this.listeners) l();
    return true;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

