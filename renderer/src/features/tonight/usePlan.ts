/**
 * The plan of a night: one copy in the renderer (kept above the screens), loaded once, replaced
 * by every answer that carries a newer plan and by `planner.changed` events (a log written from
 * the CLI or another window). An answer older than the copy is ignored, so a slow reload never
 * undoes a log entry just made.
 */
import { useCallback, useEffect } from 'react';
import type { PlanView } from '../../../../shared/planner/api-types';
import { api } from '../../api/client';
import { useApiEvent } from '../../api/hooks';
import { useScreenState } from '../../app/screen-state';

export function usePlan(night: string): { plan: PlanView | null; isLoading: boolean; accept(p: PlanView): void } {
  const isValid = /^\d{4}-\d{2}-\d{2}$/.test(night);
  const [plan, setPlan] = useScreenState<PlanView | null | undefined>(`tonight.plan.${night}`, undefined);
  const accept = useCallback(
    (p: PlanView) => setPlan((current) => (current && current.id === p.id && current.updatedAtMs > p.updatedAtMs ? current : p)),
    [setPlan],
  );
  useEffect(() => {
    if (!isValid || plan !== undefined) return;
    let isCurrent = true;
    api
      .call('planner.latest', { night })
      .then((p) => {
        if (!isCurrent) return;
        if (p) accept(p);
        else setPlan((current) => current ?? null);
      })
      .catch(() => isCurrent && setPlan((current) => current ?? null));
    return () => {
      isCurrent = false;
    };
  }, [night, isValid, plan, accept, setPlan]);
  useApiEvent('planner.changed', (e) => {
    if (e.night !== night) return;
    api.call('planner.get', { planId: e.planId }).then(accept).catch(() => undefined);
  });
  return { plan: plan ?? null, isLoading: isValid && plan === undefined, accept };
}
