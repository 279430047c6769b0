/**
 * Tonight: plan the night, follow it block by block, log what happened (and undo or correct it),
 * re-plan the rest. The screen only composes: its state lives above it (tonight-state.ts), the
 * plan has one copy in the renderer (usePlan.ts), the writes are in useTonightActions.ts.
 * Keys (listed in the help, ?): d done, f failed, s skip — the next block, or the selected one
 * after a confirmation; u undo the last log entry; r re-plan; p pin; j / k select; Esc clear.
 */
import { Alert, Button, Grid, Group, Badge, Stack, Tabs, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useMemo, useState } from 'react';
import type { PlanBlockView, PlanView } from '../../../../shared/planner/api-types';
import type { DecStrip } from '../../../../shared/planner/selection';
import { useApi } from '../../api/hooks';
import { useKeys } from '../../app/keys';
import { useNavigation } from '../../app/navigation';
import { BlockTable } from './BlockTable';
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog';
import { DecStripChart } from './DecStripChart';
import { utHhmm } from './format';
import { LeftOutList } from './LeftOutList';
import { NextBlockCard } from './NextBlockCard';
import { OverridePanel } from './OverridePanel';
import { SelectedBlockPanel } from './SelectedBlockPanel';
import { PlanWhy } from './PlanWhy';
import { configDrift } from '../../../../shared/planner/config-drift';
import { TimelinePlot } from './TimelinePlot';
import { TonightLog, usePlanLog } from './TonightLog';
import { useTonightState, type TonightTab } from './tonight-state';
import { TonightToolbar } from './TonightToolbar';
import { useTonightActions, type LogOutcome } from './useTonightActions';
import { usePlan } from './usePlan';

/** The real next block: the first planned block that has not ended (after "now" during the night). */
function nextBlockOf(plan: PlanView | null): PlanBlockView | null {
  if (!plan) return null;
  const nowMs = Date.now();
  const inNight = nowMs > Date.parse(plan.windowStartUtc) && nowMs < Date.parse(plan.windowEndUtc);
  const after = Math.max(Date.parse(plan.fromUtc), inNight ? nowMs : 0);
  return plan.blocks.find((b) => b.status === 'planned' && Date.parse(b.endUtc) > after) ?? plan.blocks.find((b) => b.status === 'planned') ?? null;
}

export function TonightScreen() {
  const state = useTonightState();
  const { navigate } = useNavigation();
  const { plan, isLoading, accept } = usePlan(state.night);
  const actions = useTonightActions(state, plan, accept);
  const log = usePlanLog(plan);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const isValidNight = /^\d{4}-\d{2}-\d{2}$/.test(state.night);
  // Typing a date or a configuration should not start a night computation per keystroke.
  const [settled] = useDebouncedValue({ night: state.night, config: state.config }, 400);
  const candidates = useApi('planner.candidates', isValidNight && state.tab === 'strips' ? settled : null);
  const survey = useApi('app.info', {});

  const next = useMemo(() => nextBlockOf(plan), [plan]);
  const selected = plan?.blocks.find((b) => b.id === state.selectedId) ?? null;
  const focusId = selected?.id ?? next?.id ?? null;

  /** Log the selected block (asking first when it is not the next one), else the next block. */
  const logWithCare = (outcome: LogOutcome) => {
    const target = selected && selected.status === 'planned' ? selected : next;
    if (!target || actions.isBusy) return;
    if (next && target.id !== next.id) {
      setConfirm({
        title: `Log ${target.kind} ${target.name} out of order?`,
        message: `${target.name} (${utHhmm(target.startUtc)} UT) is not the next block: ${next.kind} ${next.name} at ${utHhmm(next.startUtc)} UT is. Log ${target.name} as ${outcome}?`,
        confirmLabel: `Log ${target.name} as ${outcome}`,
        onConfirm: () => void actions.logBlock(target, outcome),
      });
      return;
    }
    void actions.logBlock(target, outcome);
  };

  const undoLast = () => {
    const last = log.data?.[0];
    if (!last || actions.isBusy) return;
    setConfirm({
      title: 'Undo the last log entry?',
      message: `${last.kind} ${last.name} was logged ${last.status}. Undo puts it back in the plan${last.kind === 'SCI' && last.status === 'done' ? " and recomputes the target's completion" : ''}.`,
      confirmLabel: `Undo ${last.name}`,
      onConfirm: () => void actions.undoLog(last.blockId, last.name),
    });
  };

  const selectStep = (step: number) => {
    if (!plan || plan.blocks.length === 0) return;
    const i = plan.blocks.findIndex((b) => b.id === focusId);
    const j = Math.max(0, Math.min(plan.blocks.length - 1, (i < 0 ? 0 : i) + step));
    state.setSelectedId(plan.blocks[j].id === next?.id ? null : plan.blocks[j].id);
  };
  const select = useCallback((id: string) => state.setSelectedId(id === next?.id ? null : id), [state, next]);

  useKeys('tonight', [
    { keys: 'd', run: () => logWithCare('done'), help: 'log done: the next block (the selected one after a confirmation)' },
    { keys: 'f', run: () => logWithCare('failed'), help: 'log failed, re-plan the rest' },
    { keys: 's', run: () => logWithCare('skipped'), help: 'skip the block tonight, re-plan the rest' },
    { keys: 'u', run: undoLast, help: 'undo the last log entry (asks first)' },
    { keys: 'r', run: () => void actions.replan(), help: 're-plan from the "Re-plan from" time, else from now' },
    {
      keys: 'p',
      run: () => {
        const b = plan?.blocks.find((x) => x.id === focusId);
        if (b) void actions.override(b.isPinned ? 'unpin' : 'pin', b.sequenceId);
      },
      help: 'pin / unpin the selected sequence',
    },
    { keys: ['j', 'arrowdown'], run: () => selectStep(1), help: 'select the next block', repeat: true, label: 'J / ↓' },
    { keys: ['k', 'arrowup'], run: () => selectStep(-1), help: 'select the previous block', repeat: true, label: 'K / ↑' },
    { keys: 'escape', run: () => state.setSelectedId(null), help: 'clear the selection (the next block is highlighted again)' },
  ]);

  const onPickStrip = useCallback((s: DecStrip) => state.setStrip(s), [state]);
  const doneCount = plan?.blocks.filter((b) => b.status === 'done').length ?? 0;
  const isSurveyEmpty = survey.data?.targetCount === 0;

  return (
    <Stack gap="xs" style={{ flex: 1, minHeight: 0, overflow: 'auto' }} data-testid="tonight-screen">
      <TonightToolbar state={state} plan={plan} actions={actions} />
      {actions.error && (
        <Alert color="red" withCloseButton onClose={() => actions.setError(null)} data-testid="tonight-error">
          {actions.error}
        </Alert>
      )}
      {actions.violations.length > 0 && (
        <Alert color="orange" title="Override refused" withCloseButton onClose={() => actions.setViolations([])}>
          {actions.violations.join('; ')}
        </Alert>
      )}
      {!plan && !isLoading && (
        <Stack gap={4} data-testid="tonight-empty">
          {isSurveyEmpty ? (
            <>
              <Text>The survey is empty: there is nothing to plan yet.</Text>
              <Text size="sm" c="dimmed">Import the targets (a SPICA-DB VOTable or a CSV) on the Survey screen, or generate the demo survey there (More → Generate demo survey).</Text>
              <Group><Button size="xs" variant="default" onClick={() => navigate('survey')}>Go to the Survey (Alt+1)</Button></Group>
            </>
          ) : (
            <>
              <Text>No plan for the night of {state.night} yet.</Text>
              <Text size="sm" c="dimmed">
                Check the night (local evening date), the configuration and the PoPs above; optionally pick a Dec strip in the “Dec strips” tab, then press “Plan night”.
                The plan is saved, and every log entry can be undone.
              </Text>
              <Group>
                <Button size="xs" onClick={() => void actions.makePlan()} loading={actions.isBusy}>Plan night</Button>
                <Button size="xs" variant="default" onClick={() => state.setTab('strips')} data-testid="tonight-empty-strips">Choose a Dec strip first</Button>
              </Group>
            </>
          )}
        </Stack>
      )}
      {plan && (
        <>
          <Group gap="md" data-testid="plan-stats">
            <Text size="sm">
              <b>{plan.name}</b> · dark {utHhmm(plan.windowStartUtc)}–{utHhmm(plan.windowEndUtc)} UT · planned from {utHhmm(plan.fromUtc)} UT
            </Text>
            <Badge variant="light" data-testid="stat-sci">{plan.stats.scienceBlocks} science</Badge>
            <Badge variant="light" data-testid="stat-done">{doneCount} done</Badge>
            <Badge variant="light">idle {Math.round(plan.stats.idleS / 60)} min</Badge>
            <Badge variant="light">{plan.stats.popChanges} PoP change{plan.stats.popChanges === 1 ? '' : 's'}</Badge>
            <Badge variant="light">{plan.leftOut.length} left out</Badge>
          </Group>
          <PlanWhy plan={plan} onReplan={() => void actions.replan()} isBusy={actions.isBusy} drift={plan.night === state.night ? configDrift(plan.config, state.config) : []} onPlan={() => void actions.makePlan()} />
          <Grid gap="xs">
            {/* Below 1408 px (1280 included) the card gets 5/12, and the table and the tabs the full width. */}
            <Grid.Col span={{ base: 12, md: 7, xl: 8 }}>
              <TimelinePlot plan={plan} selectedId={focusId} nextId={next?.id ?? null} onSelect={select} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5, xl: 4 }}>
              <Stack gap="xs">
                <NextBlockCard
                  block={next}
                  conditions={{ seeingArcsec: state.seeingArcsec, notes: state.notes }}
                  onConditions={(c) => {
                    state.setSeeing(c.seeingArcsec);
                    state.setNotes(c.notes);
                  }}
                  onLog={(o) => next && void actions.logBlock(next, o)}
                  onReplan={() => void actions.replan()}
                  isBusy={actions.isBusy}
                />
                {selected && selected.id !== next?.id && (
                  <SelectedBlockPanel
                    block={selected}
                    onLog={logWithCare}
                    onUndo={() => void actions.undoLog(selected.id, selected.name)}
                    onClose={() => state.setSelectedId(null)}
                    isBusy={actions.isBusy}
                  />
                )}
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, xl: 6 }}>
              <BlockTable blocks={plan.blocks} selectedId={focusId} nextId={next?.id ?? null} onSelect={select} onPin={(b) => void actions.override(b.isPinned ? 'unpin' : 'pin', b.sequenceId)} />
              <OverridePanel
                block={plan.blocks.find((b) => b.id === focusId) ?? null}
                refused={actions.refused}
                onOverride={(r) => void actions.applyOverride(r)}
                onDismiss={() => actions.setRefused(null)}
                isBusy={actions.isBusy}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, xl: 6 }}>
              <TonightTabs state={state} plan={plan} actions={actions} log={log} candidates={candidates} onPickStrip={onPickStrip} />
            </Grid.Col>
          </Grid>
        </>
      )}
      {!plan && !isLoading && !isSurveyEmpty && (
        <TonightTabs state={state} plan={null} actions={actions} log={log} candidates={candidates} onPickStrip={onPickStrip} />
      )}
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </Stack>
  );
}

function TonightTabs({
  state,
  plan,
  actions,
  log,
  candidates,
  onPickStrip,
}: {
  state: ReturnType<typeof useTonightState>;
  plan: PlanView | null;
  actions: ReturnType<typeof useTonightActions>;
  log: ReturnType<typeof usePlanLog>;
  candidates: ReturnType<typeof useApi<'planner.candidates'>>;
  onPickStrip(s: DecStrip): void;
}) {
  return (
    <Tabs value={plan || state.tab === 'strips' ? state.tab : null} onChange={(v) => v && state.setTab(v as TonightTab)} keepMounted={false}>
      <Tabs.List>
        {plan && <Tabs.Tab value="left-out" data-testid="tab-left-out">Left out ({plan.leftOut.length})</Tabs.Tab>}
        <Tabs.Tab value="strips" data-testid="tab-strips">Dec strips</Tabs.Tab>
        {plan && <Tabs.Tab value="log" data-testid="tab-log">Log ({log.data?.length ?? 0})</Tabs.Tab>}
      </Tabs.List>
      {plan && (
        <Tabs.Panel value="left-out">
          <LeftOutList leftOut={plan.leftOut} />
        </Tabs.Panel>
      )}
      <Tabs.Panel value="strips">
        {candidates.data ? (
          <>
            <DecStripChart strips={candidates.data.strips} best={candidates.data.bestStrip} onPick={onPickStrip} />
            <Group gap="xs">
              <Text size="xs" c="dimmed">
                Best strip {candidates.data.bestStrip ? `${candidates.data.bestStrip.decMinDeg}…${candidates.data.bestStrip.decMaxDeg}° (${candidates.data.bestStrip.count} targets)` : '—'} · click a bar to plan on that strip
              </Text>
              {candidates.data.bestStrip && (
                <Button size="compact-xs" variant="light" onClick={() => state.setStrip(candidates.data!.bestStrip)} data-testid="use-best-strip">
                  Use best strip
                </Button>
              )}
            </Group>
          </>
        ) : (
          <Text size="xs" c="dimmed">{candidates.error ?? 'Computing the night’s candidates…'}</Text>
        )}
      </Tabs.Panel>
      {plan && (
        <Tabs.Panel value="log">
          <TonightLog plan={plan} actions={actions} log={log} />
        </Tabs.Panel>
      )}
    </Tabs>
  );
}
