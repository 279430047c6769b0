/**
 * What the observer does to tonight's plan — plan, re-plan, log, undo or correct a log entry,
 * override — each a call whose answer (the plan after it) becomes the one plan of the night.
 * Errors land in `error` with what was being done; nothing is written twice while busy.
 */
import { notifications } from '@mantine/notifications';
import { useCallback, useState } from 'react';
import type { PlanBlockView, PlanView } from '../../../../shared/planner/api-types';
import { api } from '../../api/client';
import { utHhmm, utInNight } from './format';
import type { OverrideRequest } from './OverridePanel';
import type { TonightState } from './tonight-state';

export type LogOutcome = 'done' | 'failed' | 'skipped';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

export function useTonightActions(state: TonightState, plan: PlanView | null, accept: (p: PlanView) => void) {
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [violations, setViolations] = useState<string[]>([]);
  const [refused, setRefused] = useState<{ request: OverrideRequest; violations: string[] } | null>(null);

  const run = useCallback(async (what: string, fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(`${what}: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  }, []);

  const makePlan = () =>
    run('Plan', async () => {
      const p = await api.call('planner.plan', { night: state.night, config: state.config, selection: state.selection });
      accept(p);
      state.setSelectedId(null);
      setViolations([]);
    });

  /** Log `block` (done / failed / skipped) with the seeing and notes typed; failures re-plan the rest. */
  const logBlock = (block: PlanBlockView, outcome: LogOutcome) => {
    if (!plan || isBusy) return;
    return run('Log', async () => {
      const r = await api.call('planner.logBlock', {
        planId: plan.id,
        blockId: block.id,
        outcome,
        ...(state.seeingArcsec ? { seeingArcsec: state.seeingArcsec } : {}),
        ...(state.notes ? { notes: state.notes } : {}),
        replan: outcome !== 'done',
      });
      accept(r.plan);
      state.setSelectedId(null);
      state.setNotes('');
      notifications.show({
        message: `${block.kind} ${block.name}: ${outcome}${r.completionRate !== null ? ` — completion now ${pct(r.completionRate)}` : ''}. Undo from the Log (u undoes the last entry).`,
      });
    });
  };

  const undoLog = (blockId: string, name: string) => {
    if (!plan || isBusy) return;
    return run('Undo', async () => {
      const r = await api.call('planner.undoLog', { planId: plan.id, blockId });
      accept(r.plan);
      notifications.show({
        color: r.isRecomputed ? undefined : 'orange',
        message: `${name}: log undone${r.completionRate !== null ? ` — completion ${pct(r.completionRate)}` : ''}${r.isRecomputed ? '' : ' (an import changed the completion since: left as it is)'}`,
      });
    });
  };

  const correctLog = (request: { blockId: string; name: string; outcome?: LogOutcome; utStartUtc?: string; utEndUtc?: string; seeingArcsec?: number | null; notes?: string | null }) => {
    if (!plan || isBusy) return;
    const { name, ...fields } = request;
    return run('Correct', async () => {
      const r = await api.call('planner.correctLog', { planId: plan.id, ...fields });
      accept(r.plan);
      notifications.show({ message: `${name}: log corrected${r.completionRate !== null ? ` — completion ${pct(r.completionRate)}` : ''}` });
    });
  };

  /** Re-plan from the "from" time typed (refused with the reason when it is not a time of this night), else from now. */
  const replan = () => {
    if (!plan || isBusy) return;
    let fromUtc: string | undefined;
    if (state.fromTime.trim()) {
      const at = utInNight(state.fromTime, plan.windowStartUtc, plan.windowEndUtc);
      if ('error' in at) {
        setError(`Re-plan: ${at.error}`);
        return;
      }
      fromUtc = at.iso;
    }
    return run('Re-plan', async () => {
      const p = await api.call('planner.replan', { planId: plan.id, ...(fromUtc ? { fromUtc } : {}) });
      accept(p);
      state.setSelectedId(null);
      notifications.show({ message: `Re-planned from ${utHhmm(p.fromUtc)} UT: ${p.stats.scienceBlocks} science blocks` });
    });
  };

  const override = (action: 'pin' | 'unpin' | 'skip', sequenceId: string) => {
    if (!plan) return;
    return run('Override', async () => {
      const r = await api.call('planner.override', { planId: plan.id, action, sequenceId });
      accept(r.plan);
      setViolations(r.isApplied ? [] : r.violations);
    });
  };

  const applyOverride = (request: OverrideRequest) => {
    if (!plan) return;
    let startUtc: string | undefined;
    if (request.action === 'move') {
      const at = utInNight(request.hhmm ?? '', plan.windowStartUtc, plan.windowEndUtc);
      if ('error' in at) {
        // A time of the day outside the night is still a time: the planner refuses it with its reason.
        const parsed = /^(\d{1,2}):(\d{2})$/.exec((request.hhmm ?? '').trim());
        if (!parsed || Number(parsed[1]) > 23 || Number(parsed[2]) > 59) {
          setError(`Move: ${at.error}`);
          return;
        }
        startUtc = `${plan.windowStartUtc.slice(0, 10)}T${parsed[1].padStart(2, '0')}:${parsed[2]}:00.000Z`;
      } else startUtc = at.iso;
    }
    return run('Override', async () => {
      const r = await api.call('planner.override', {
        planId: plan.id,
        action: request.action,
        sequenceId: request.sequenceId,
        ...(request.blockId ? { blockId: request.blockId } : {}),
        ...(startUtc ? { startUtc } : {}),
        ...(request.calibratorKey ? { calibratorKey: request.calibratorKey } : {}),
        force: request.force ?? false,
      });
      accept(r.plan);
      setRefused(r.isApplied ? null : { request, violations: r.violations });
      if (r.isApplied && r.violations.length) notifications.show({ color: 'orange', message: `Applied against constraints: ${r.violations.join('; ')}` });
    });
  };

  return { isBusy, error, setError, violations, setViolations, refused, setRefused, makePlan, logBlock, undoLog, correctLog, replan, override, applyOverride };
}

export type TonightActions = ReturnType<typeof useTonightActions>;
