/**
 * The block to observe next — always the real next one, never the block looked at — large, with
 * the seeing and notes to log with it and the log buttons (keys: d done, f failed, s skip,
 * r re-plan).
 */
import { Badge, Button, Card, Group, Kbd, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { formatDecDms, formatRaHms } from '../../../../shared/astro/sexagesimal';
import type { PlanBlockView } from '../../../../shared/planner/api-types';
import { useThemeMode } from '../../app/theme-mode';
import { priorityBadgeProps } from '../../theme';
import { localHhmm, minutesBetween, utHhmm } from './format';
import type { LogOutcome } from './useTonightActions';

export interface LogConditions {
  seeingArcsec: number | null;
  notes: string;
}

/** Kind and priority of a block as a badge that keeps its meaning in the red theme. */
export function BlockKindBadge({ block, size = 'lg' }: { block: PlanBlockView; size?: 'xs' | 'sm' | 'lg' }) {
  const { mode } = useThemeMode();
  if (block.kind === 'CAL') return <Badge size={size} variant="default">CAL</Badge>;
  return <Badge size={size} {...priorityBadgeProps(block.finalPriority, mode)}>SCI · P{block.finalPriority}</Badge>;
}

/** Times, position and PoPs of a block. */
export function BlockFacts({ block }: { block: PlanBlockView }) {
  return (
    <>
      <Text size="lg" ff="monospace">
        {utHhmm(block.startUtc)}–{utHhmm(block.endUtc)} UT <Text span c="dimmed" size="sm">({localHhmm(block.startUtc)}–{localHhmm(block.endUtc)} local, {minutesBetween(block.startUtc, block.endUtc)} min)</Text>
      </Text>
      <Text ff="monospace">
        α {formatRaHms(block.raDeg, 1)}  δ {formatDecDms(block.decDeg)}  {block.vmag != null ? `V ${block.vmag.toFixed(2)}` : ''}
      </Text>
      <Text size="sm">
        PoPs <b>{block.pops || '—'}</b>
        {block.kind === 'SCI' && (
          <>
            {' · '}calibrators <b>{block.calibrators.join(' / ') || '—'}</b> <Text span c="dimmed">({block.calibratorSource})</Text>
          </>
        )}
        {block.kind === 'CAL' && block.calibrates.length > 0 && <> · calibrates <b>{block.calibrates.join(', ')}</b></>}
      </Text>
      {block.violations.length > 0 && <Text size="sm" c="red">Accepted against constraints: {block.violations.join('; ')}</Text>}
    </>
  );
}

export function NextBlockCard({
  block,
  conditions,
  onConditions,
  onLog,
  onReplan,
  isBusy,
}: {
  block: PlanBlockView | null;
  conditions: LogConditions;
  onConditions(c: LogConditions): void;
  onLog(outcome: LogOutcome): void;
  onReplan(): void;
  isBusy: boolean;
}) {
  const { mode } = useThemeMode();
  if (!block) {
    return (
      <Card withBorder padding="md" data-testid="next-block">
        <Text c="dimmed">Nothing left to observe in this plan: re-plan from now (r), or plan the night again with other targets.</Text>
        <Button mt="sm" size="xs" variant="default" onClick={onReplan} loading={isBusy}>
          Re-plan <Kbd ml={6}>r</Kbd>
        </Button>
      </Card>
    );
  }
  return (
    <Card withBorder padding="md" data-testid="next-block">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <BlockKindBadge block={block} />
            {block.isPinned && <Badge variant="light">pinned</Badge>}
          </Group>
          <Text size="sm" c="dimmed">next</Text>
        </Group>
        <Title order={2} data-testid="next-name">{block.name}</Title>
        <BlockFacts block={block} />
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <NumberInput
            size="xs"
            label="Seeing (″)"
            w={90}
            min={0.1}
            max={20}
            step={0.1}
            decimalScale={2}
            value={conditions.seeingArcsec ?? ''}
            onChange={(v) => onConditions({ ...conditions, seeingArcsec: typeof v === 'number' ? v : null })}
            data-testid="log-seeing"
          />
          <TextInput size="xs" label="Notes" style={{ flex: 1 }} value={conditions.notes} onChange={(e) => onConditions({ ...conditions, notes: e.currentTarget.value })} data-testid="log-notes" />
        </Group>
        <Group gap="xs">
          <Button size="sm" color={mode === 'night' ? 'night' : 'green'} onClick={() => onLog('done')} loading={isBusy} data-testid="log-done">
            ✓ Done <Kbd ml={6}>d</Kbd>
          </Button>
          <Button size="sm" color={mode === 'night' ? 'night' : 'red'} variant="outline" onClick={() => onLog('failed')} disabled={isBusy} data-testid="log-failed">
            ✗ Failed <Kbd ml={6}>f</Kbd>
          </Button>
          <Button size="sm" variant="default" onClick={() => onLog('skipped')} disabled={isBusy} data-testid="log-skip">
            – Skip <Kbd ml={6}>s</Kbd>
          </Button>
          <Button size="sm" variant="default" onClick={onReplan} disabled={isBusy} data-testid="replan-now">
            Re-plan <Kbd ml={6}>r</Kbd>
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
