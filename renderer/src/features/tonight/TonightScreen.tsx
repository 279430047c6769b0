/**
 * Tonight: plan the night, follow it block by block, log what happened and re-plan the rest.
 * Keys: d done, f failed, s skip, r re-plan (from the "from" time, else now), p pin the selected
 * sequence, j / k select the next / previous block.
 */
import { Alert, Badge, Button, Grid, Group, NumberInput, Select, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PlanBlockView, PlanView } from '../../../../shared/planner/api-types';
import type { DecStrip } from '../../../../shared/planner/selection';
import { api } from '../../api/client';
import { useApi, useApiEvent } from '../../api/hooks';
import { SendToAspro2Button } from '../samp';
import { BlockTable } from './BlockTable';
import { DecStripChart } from './DecStripChart';
import { currentNight, utHhmm } from './format';
import { LeftOutList } from './LeftOutList';
import { NextBlockCard, type LogConditions } from './NextBlockCard';
import { OverridePanel, type OverrideRequest } from './OverridePanel';
import { PlanWhy } from './PlanWhy';
import { TimelinePlot } from './TimelinePlot';

interface LogEntry {
  blockId: string;
  name: string;
  outcome: string;
  atUtc: string;
  completionBefore: number | null;
  completionAfter: number | null;
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** The ISO instant of `HH:MM` UT inside the plan's night (between sunset and sunrise). */
function fromTimeIso(plan: PlanView, hhmm: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return null;
  const start = Date.parse(plan.events.sunsetUtc ?? plan.windowStartUtc) - 3_600_000;
  const day = Date.parse(plan.windowStartUtc.slice(0, 10));
  for (const d of [day - 86_400_000, day, day + 86_400_000]) {
    const t = d + (Number(m[1]) * 60 + Number(m[2])) * 60_000;
    if (t >= start && t <= start + 16 * 3_600_000) return new Date(t).toISOString();
  }
  return null;
}

export function TonightScreen() {
  const [night, setNight] = useState(currentNight());
  const [stations, setStations] = useState('S1,S2,E1,E2,W1,W2');
  const [pops, setPops] = useState('auto');
  const [minElevationDeg, setMinElevation] = useState(30);
  const [twilightDeg, setTwilight] = useState('-18');
  const [strip, setStrip] = useState<DecStrip | null>(null);
  const [maxPriority, setMaxPriority] = useState<string | null>(null);
  const [plan, setPlan] = useState<PlanView | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [conditions, setConditions] = useState<LogConditions>({ seeingArcsec: null, notes: '' });
  const [fromTime, setFromTime] = useState('');
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [log, setLog] = useState<LogEntry[]>([]);
  const [violations, setViolations] = useState<string[]>([]);
  const [refused, setRefused] = useState<{ request: OverrideRequest; violations: string[] } | null>(null);

  const config = useMemo(
    () => ({
      stations: stations.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean) as Array<'S1' | 'S2' | 'E1' | 'E2' | 'W1' | 'W2'>,
      pops: pops.trim() || 'auto',
      minElevationDeg,
      twilightDeg: Number(twilightDeg),
    }),
    [stations, pops, minElevationDeg, twilightDeg],
  );
  // Typing a date or a configuration should not start a night computation per keystroke.
  const [settled] = useDebouncedValue({ night, config }, 400);
  const isValidNight = /^\d{4}-\d{2}-\d{2}$/.test(settled.night);
  const latest = useApi('planner.latest', isValidNight ? { night: settled.night } : null);
  useEffect(() => {
    if (latest.data !== undefined) setPlan(latest.data);
  }, [latest.data]);
  const candidates = useApi('planner.candidates', isValidNight ? settled : null);
  useApiEvent('planner.changed', (p) => {
    if (plan && p.planId === plan.id && !isBusy) api.call('planner.get', { planId: p.planId }).then(setPlan).catch(() => undefined);
  });

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
      const selection = {
        ...(strip ? { decMinDeg: strip.decMinDeg, decMaxDeg: strip.decMaxDeg } : {}),
        ...(maxPriority ? { maxFinalPriority: Number(maxPriority) } : {}),
      };
      const p = await api.call('planner.plan', { night, config, selection });
      setPlan(p);
      setSelectedId(null);
      setViolations([]);
    });

  const nextBlock: PlanBlockView | null = useMemo(() => {
    if (!plan) return null;
    const selected = plan.blocks.find((b) => b.id === selectedId && b.status === 'planned');
    if (selected) return selected;
    const nowMs = Date.now();
    const inNight = nowMs > Date.parse(plan.windowStartUtc) && nowMs < Date.parse(plan.windowEndUtc);
    const after = Math.max(Date.parse(plan.fromUtc), inNight ? nowMs : 0);
    return plan.blocks.find((b) => b.status === 'planned' && Date.parse(b.endUtc) > after) ?? plan.blocks.find((b) => b.status === 'planned') ?? null;
  }, [plan, selectedId]);

  const logNext = (outcome: 'done' | 'failed' | 'skipped') => {
    if (!plan || !nextBlock) return;
    const block = nextBlock;
    return run('Log', async () => {
      const before = block.kind === 'SCI' && outcome !== 'skipped' ? (await api.call('survey.get', { id: block.starKey })).completionRate : null;
      const r = await api.call('planner.logBlock', {
        planId: plan.id,
        blockId: block.id,
        outcome,
        ...(conditions.seeingArcsec ? { seeingArcsec: conditions.seeingArcsec } : {}),
        ...(conditions.notes ? { notes: conditions.notes } : {}),
        replan: outcome !== 'done',
      });
      setPlan(r.plan);
      setSelectedId(null);
      setConditions({ seeingArcsec: conditions.seeingArcsec, notes: '' });
      setLog((l) => [{ blockId: block.id, name: block.name, outcome, atUtc: new Date().toISOString(), completionBefore: before, completionAfter: r.completionRate }, ...l]);
      notifications.show({
        message: `${block.kind} ${block.name}: ${outcome}${r.completionRate !== null ? ` — completion ${pct(before)} → ${pct(r.completionRate)}` : ''}`,
      });
    });
  };

  const replan = () => {
    if (!plan) return;
    const fromUtc = fromTime ? fromTimeIso(plan, fromTime) : null;
    if (fromTime && !fromUtc) {
      setError(`Re-plan: "${fromTime}" is not an HH:MM time of this night`);
      return;
    }
    return run('Re-plan', async () => {
      const p = await api.call('planner.replan', { planId: plan.id, ...(fromUtc ? { fromUtc } : {}) });
      setPlan(p);
      setSelectedId(null);
      notifications.show({ message: `Re-planned from ${utHhmm(p.fromUtc)} UT: ${p.stats.scienceBlocks} science blocks` });
    });
  };

  const override = (action: 'pin' | 'unpin' | 'skip', sequenceId: string) => {
    if (!plan) return;
    return run('Override', async () => {
      const r = await api.call('planner.override', { planId: plan.id, action, sequenceId });
      setPlan(r.plan);
      setViolations(r.isApplied ? [] : r.violations);
    });
  };

  const applyOverride = (request: OverrideRequest) => {
    if (!plan) return;
    let startUtc: string | undefined;
    if (request.action === 'move') {
      startUtc = fromTimeIso(plan, request.hhmm ?? '') ?? undefined;
      if (!startUtc) {
        setError(`Move: "${request.hhmm}" is not an HH:MM time of this night`);
        return;
      }
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
      setPlan(r.plan);
      setRefused(r.isApplied ? null : { request, violations: r.violations });
      if (r.isApplied && r.violations.length) notifications.show({ color: 'orange', message: `Applied against constraints: ${r.violations.join('; ')}` });
    });
  };

  const selectStep = (step: number) => {
    if (!plan || plan.blocks.length === 0) return;
    const i = plan.blocks.findIndex((b) => b.id === (selectedId ?? nextBlock?.id));
    const j = Math.max(0, Math.min(plan.blocks.length - 1, (i < 0 ? 0 : i) + step));
    setSelectedId(plan.blocks[j].id);
  };

  useHotkeys([
    ['d', () => void logNext('done')],
    ['f', () => void logNext('failed')],
    ['s', () => void logNext('skipped')],
    ['r', () => void replan()],
    ['j', () => selectStep(1)],
    ['k', () => selectStep(-1)],
    [
      'p',
      () => {
        const b = plan?.blocks.find((x) => x.id === (selectedId ?? nextBlock?.id));
        if (b) void override(b.isPinned ? 'unpin' : 'pin', b.sequenceId);
      },
    ],
  ]);

  const onPickStrip = useCallback((s: DecStrip) => setStrip(s), []);
  const doneCount = plan?.blocks.filter((b) => b.status === 'done').length ?? 0;

  return (
    <Stack gap="xs" style={{ flex: 1, minHeight: 0, overflow: 'auto' }} data-testid="tonight-screen">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <TextInput size="xs" label="Night (local evening)" w={120} value={night} onChange={(e) => setNight(e.currentTarget.value)} data-testid="night-input" />
        <TextInput size="xs" label="Configuration" w={170} value={stations} onChange={(e) => setStations(e.currentTarget.value)} data-testid="config-input" />
        <TextInput size="xs" label="PoPs" w={80} value={pops} onChange={(e) => setPops(e.currentTarget.value)} />
        <NumberInput size="xs" label="Min elev. (°)" w={90} min={10} max={80} value={minElevationDeg} onChange={(v) => typeof v === 'number' && setMinElevation(v)} />
        <Select size="xs" label="Twilight" w={130} value={twilightDeg} onChange={(v) => v && setTwilight(v)} data={[{ value: '-18', label: 'astronomical' }, { value: '-12', label: 'nautical' }]} allowDeselect={false} />
        <Select size="xs" label="Priorities" w={110} value={maxPriority} onChange={setMaxPriority} clearable placeholder="all" data={['1', '2', '3', '4'].map((p) => ({ value: p, label: `P1–P${p}` }))} />
        <Button size="xs" variant={strip ? 'light' : 'default'} onClick={() => setStrip(null)} disabled={!strip} data-testid="strip-chip">
          {strip ? `Dec ${strip.decMinDeg}…${strip.decMaxDeg}° ✕` : 'all Dec'}
        </Button>
        <Button size="xs" onClick={makePlan} loading={isBusy} data-testid="plan-button">
          Plan night
        </Button>
        {plan && plan.blocks.some((b) => b.kind === 'SCI') && (
          <SendToAspro2Button
            size="xs"
            targetIds={[...new Set(plan.blocks.filter((b) => b.kind === 'SCI').map((b) => b.starKey))]}
            night={night}
            configuration={stations.split(/[,\s-]+/).filter(Boolean).join(' ')}
            pops={plan.blocks.find((b) => b.kind === 'SCI')?.pops}
          />
        )}
        <TextInput size="xs" label="Re-plan from (UT)" placeholder="now" w={110} value={fromTime} onChange={(e) => setFromTime(e.currentTarget.value)} data-testid="from-input" />
      </Group>
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(null)} data-testid="tonight-error">
          {error}
        </Alert>
      )}
      {violations.length > 0 && (
        <Alert color="orange" title="Override refused" withCloseButton onClose={() => setViolations([])}>
          {violations.join('; ')}
        </Alert>
      )}
      {!plan && !latest.isLoading && <Text c="dimmed">No plan for the night of {night} yet: choose the configuration and press “Plan night”.</Text>}
      {plan && (
        <>
          <Group gap="md" data-testid="plan-stats">
            <Text size="sm">
              <b>{plan.name}</b> · dark {utHhmm(plan.windowStartUtc)}–{utHhmm(plan.windowEndUtc)} UT · planned from {utHhmm(plan.fromUtc)} UT
            </Text>
            <Badge variant="light" data-testid="stat-sci">{plan.stats.scienceBlocks} science</Badge>
            <Badge variant="light" data-testid="stat-done">{doneCount} done</Badge>
            <Badge variant="light">idle {Math.round(plan.stats.idleS / 60)} min</Badge>
            <Badge variant="light">{plan.stats.popChanges} PoP changes</Badge>
            <Badge variant="light">{plan.leftOut.length} left out</Badge>
          </Group>
          <PlanWhy plan={plan} onReplan={() => void replan()} isBusy={isBusy} />
          <Grid gap="xs">
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <TimelinePlot plan={plan} selectedId={selectedId ?? nextBlock?.id ?? null} onSelect={setSelectedId} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <NextBlockCard block={nextBlock} conditions={conditions} onConditions={setConditions} onLog={(o) => void logNext(o)} onReplan={() => void replan()} isBusy={isBusy} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <BlockTable blocks={plan.blocks} selectedId={selectedId ?? nextBlock?.id ?? null} onSelect={setSelectedId} onPin={(b) => void override(b.isPinned ? 'unpin' : 'pin', b.sequenceId)} />
              <OverridePanel
                block={plan.blocks.find((b) => b.id === (selectedId ?? nextBlock?.id)) ?? null}
                refused={refused}
                onOverride={(r) => void applyOverride(r)}
                onDismiss={() => setRefused(null)}
                isBusy={isBusy}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Tabs defaultValue="left-out" keepMounted={false}>
                <Tabs.List>
                  <Tabs.Tab value="left-out">Left out ({plan.leftOut.length})</Tabs.Tab>
                  <Tabs.Tab value="strips" data-testid="tab-strips">Dec strips</Tabs.Tab>
                  <Tabs.Tab value="log" data-testid="tab-log">Log ({log.length})</Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="left-out">
                  <LeftOutList leftOut={plan.leftOut} />
                </Tabs.Panel>
                <Tabs.Panel value="strips">
                  {candidates.data ? (
                    <>
                      <DecStripChart strips={candidates.data.strips} best={candidates.data.bestStrip} onPick={onPickStrip} />
                      <Group gap="xs">
                        <Text size="xs" c="dimmed">
                          Best strip {candidates.data.bestStrip ? `${candidates.data.bestStrip.decMinDeg}…${candidates.data.bestStrip.decMaxDeg}° (${candidates.data.bestStrip.count} targets)` : '—'} · click a bar to plan on that strip
                        </Text>
                        {candidates.data.bestStrip && (
                          <Button size="compact-xs" variant="light" onClick={() => setStrip(candidates.data!.bestStrip)} data-testid="use-best-strip">
                            Use best strip
                          </Button>
                        )}
                      </Group>
                    </>
                  ) : (
                    <Text size="xs" c="dimmed">{candidates.error ?? 'Computing the night’s candidates…'}</Text>
                  )}
                </Tabs.Panel>
                <Tabs.Panel value="log">
                  <Stack gap={2} data-testid="tonight-log">
                    {log.length === 0 && <Text size="xs" c="dimmed">Nothing logged in this session.</Text>}
                    {log.map((e) => (
                      <Text size="xs" key={`${e.blockId}-${e.atUtc}`} data-testid="log-entry">
                        {utHhmm(e.atUtc)} UT · {e.name} · {e.outcome}
                        {e.completionAfter !== null && ` · completion ${pct(e.completionBefore)} → ${pct(e.completionAfter)}`}
                      </Text>
                    ))}
                  </Stack>
                </Tabs.Panel>
              </Tabs>
            </Grid.Col>
          </Grid>
        </>
      )}
    </Stack>
  );
}
