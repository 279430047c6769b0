/** The live sync status: loaded once, then kept current by `sync.statusChanged` and `sync.progress`. */
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { SyncProgress, SyncReport, SyncStatus } from '../../../../shared/contract/sync';
import { useApi, useApiEvent } from '../../api/hooks';
import type { ThemeMode } from '../../theme';

export function useSyncStatus(): { status: SyncStatus | undefined; progress: SyncProgress | null; error: string | null; reload(): void } {
  const initial = useApi('sync.status', {});
  const [live, setLive] = useState<SyncStatus>();
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  useApiEvent('sync.statusChanged', (s) => {
    setLive(s);
    if (s.state !== 'running') setProgress(null);
  });
  useApiEvent('sync.progress', setProgress);
  // "Last sync 3 min ago" and a CLI sync beside the app: look again every half minute.
  const { reload } = initial;
  useEffect(() => {
    const t = setInterval(reload, 30_000);
    return () => clearInterval(t);
  }, [reload]);
  useEffect(() => {
    if (initial.data) setLive(undefined);
  }, [initial.data]);
  return { status: live ?? initial.data, progress: progress ?? live?.progress ?? initial.data?.progress ?? null, error: initial.error, reload };
}

/** "just now", "12 min ago", "3 h ago", "2 d ago". */
export function ago(iso: string | null, nowMs = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, (nowMs - Date.parse(iso)) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** Label and Mantine colour of the indicator (only reds in the night theme). */
export function syncLook(s: SyncStatus | undefined, progress: SyncProgress | null, mode: ThemeMode): { label: string; color: string; detail: string } {
  const c = (color: string) => (mode === 'night' ? 'night' : color);
  if (!s) return { label: 'SPICA-DB …', color: c('gray'), detail: '' };
  const extras = [s.pending ? `${s.pending} pending` : '', s.conflicts ? `${s.conflicts} conflict${s.conflicts === 1 ? '' : 's'}` : '', s.rejected ? `${s.rejected} refused` : '']
    .filter(Boolean)
    .join(' · ');
  const tail = extras ? ` · ${extras}` : '';
  if (s.state === 'running') {
    const pct = progress && progress.total > 0 ? ` ${Math.round((100 * progress.done) / progress.total)}%` : '';
    return { label: `Syncing${pct}…`, color: c('blue'), detail: progress ? `${progress.phase}: ${progress.step}` : '' };
  }
  if (s.state === 'needs-sign-in') return { label: `SPICA-DB: sign in${tail}`, color: c('orange'), detail: s.lastError ?? '' };
  if (s.state === 'offline') return { label: `SPICA-DB offline${tail}`, color: c('yellow'), detail: s.lastError ?? '' };
  if (s.state === 'error') return { label: `SPICA-DB: sync failed${tail}`, color: c('red'), detail: s.lastError ?? '' };
  if (s.state === 'never') return { label: `SPICA-DB: not synced${tail}`, color: c('gray'), detail: '' };
  const color = s.conflicts || s.rejected ? 'orange' : s.pending ? 'blue' : s.complete === false ? 'yellow' : 'teal';
  return { label: `Synced ${ago(s.lastSyncAt)}${tail}`, color: c(color), detail: s.complete === false ? `incomplete snapshot: ${s.notice ?? ''}` : '' };
}

/** Tell the user how a sync they started ended (offline is not an alarm: edits wait). */
export function notifyOutcome(r: SyncReport): void {
  if (r.outcome !== 'failed') return;
  const offline = r.errors.some((e) => /not reachable|ECONN|ENOTFOUND|EAI_AGAIN|no answer within|HTTP 50\d/.test(e));
  notifications.show(
    offline
      ? { color: 'yellow', title: 'SPICA-DB not reachable', message: 'Edits wait here; the app tries again later (or click Sync now when online).' }
      : { color: 'red', title: 'Sync failed', message: r.errors.join('; ') },
  );
}
