/** The live SAMP status: loaded once, then kept current by `samp.statusChanged` events. */
import { useState } from 'react';
import type { SampSendOutcome, SampStatus } from '../../../../shared/contract/samp';
import { useApi, useApiEvent } from '../../api/hooks';

export function useSampStatus(): { status: SampStatus | undefined; error: string | null } {
  const initial = useApi('samp.status', {});
  const [live, setLive] = useState<SampStatus>();
  useApiEvent('samp.statusChanged', setLive);
  return { status: live ?? initial.data, error: initial.error };
}

/** Short label and Mantine colour for the indicator. */
export function statusLook(s: SampStatus | undefined): { label: string; color: string } {
  if (!s || !s.isActive) return { label: 'SAMP off', color: 'gray' };
  if (!s.isConnected) return { label: 'SAMP: no hub', color: 'yellow' };
  if (s.aspro2Present) return { label: 'SAMP: Aspro2', color: 'teal' };
  return { label: `SAMP: ${s.peers.length} app${s.peers.length === 1 ? '' : 's'}`, color: 'blue' };
}

/** Notification colour for a send: only an answer from the recipient is shown as success. */
export function outcomeColor(outcome: SampSendOutcome['outcome']): string {
  return outcome === 'received' ? 'teal' : outcome === 'no-reply' ? 'yellow' : 'red';
}
