/**
 * The block the observer is looking at (clicked, or reached with j/k), when it is not the next
 * one: its own panel, so the next card never changes under a stray click. Logging it asks first
 * (it is out of order); a block already logged offers Undo and the Log tab's corrections instead.
 */
import { Badge, Button, Card, CloseButton, Group, Kbd, Stack, Text, Title } from '@mantine/core';
import type { PlanBlockView } from '../../../../shared/planner/api-types';
import { useThemeMode } from '../../app/theme-mode';
import { statusBadgeProps } from '../../theme';
import { BlockFacts, BlockKindBadge } from './NextBlockCard';
import type { LogOutcome } from './useTonightActions';

export function SelectedBlockPanel({
  block,
  onLog,
  onUndo,
  onClose,
  isBusy,
}: {
  block: PlanBlockView;
  onLog(outcome: LogOutcome): void;
  onUndo(): void;
  onClose(): void;
  isBusy: boolean;
}) {
  const { mode } = useThemeMode();
  const isLogged = block.status !== 'planned';
  return (
    <Card withBorder padding="sm" data-testid="selected-block">
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <BlockKindBadge block={block} size="sm" />
            <Badge size="sm" {...statusBadgeProps(block.status, mode)} />
          </Group>
          <Group gap={4} wrap="nowrap">
            <Text size="xs" c="dimmed">selected (j/k, Esc)</Text>
            <CloseButton size="sm" aria-label="Clear the selection" onClick={onClose} />
          </Group>
        </Group>
        <Title order={4} data-testid="selected-name">{block.name}</Title>
        <BlockFacts block={block} />
        {isLogged ? (
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={onUndo} disabled={isBusy} data-testid="selected-undo">
              Undo this log entry
            </Button>
            <Text size="xs" c="dimmed">Change its outcome, time, seeing or notes in the Log tab.</Text>
          </Group>
        ) : (
          <Group gap="xs">
            <Text size="xs" c="dimmed" w="100%">Not the next block: logging it asks first.</Text>
            <Button size="xs" variant="default" onClick={() => onLog('done')} disabled={isBusy} data-testid="selected-done">✓ Done <Kbd ml={4}>d</Kbd></Button>
            <Button size="xs" variant="default" onClick={() => onLog('failed')} disabled={isBusy} data-testid="selected-failed">✗ Failed <Kbd ml={4}>f</Kbd></Button>
            <Button size="xs" variant="default" onClick={() => onLog('skipped')} disabled={isBusy} data-testid="selected-skip">– Skip <Kbd ml={4}>s</Kbd></Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
