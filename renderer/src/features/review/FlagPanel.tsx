/**
 * Per-point flags: the points picked on the plot (box or lasso) or a rule ("SNR < 3",
 * "wave < 0.62 um", "baseline = S1-E1 and V2 > 1"), a reason, and the write into the file's FLAG
 * columns (atomic, backed up, checksummed; reviewer, date and reason in the header). The
 * product's flag edits are listed with an undo each.
 */
import { Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import type { ReviewHistoryEvent } from '../../../../shared/contract/review';

export interface FlagPanelProps {
  pickedCount: number;
  rule: string;
  onRule(rule: string): void;
  reason: string;
  onReason(reason: string): void;
  canWrite: boolean;
  isBusy: boolean;
  onFlagPicked(flag: boolean): void;
  onFlagRule(): void;
  onClearPicked(): void;
  edits: ReviewHistoryEvent[];
  onUndo(id: string): void;
}

export function FlagPanel({ pickedCount, rule, onRule, reason, onReason, canWrite, isBusy, onFlagPicked, onFlagRule, onClearPicked, edits, onUndo }: FlagPanelProps) {
  return (
    <Stack gap={4} data-testid="review-flag-panel">
      <Group gap={6} justify="space-between">
        <Text size="sm" fw={600}>Flag points</Text>
        <Badge size="xs" variant="outline" data-testid="review-picked-count">{pickedCount} picked</Badge>
      </Group>
      <Text size="xs" c="dimmed">Pick points with Box select or Lasso, or give a rule.</Text>
      <TextInput size="xs" placeholder="rule, e.g. SNR < 3 or wave < 0.62 um" value={rule} onChange={(e) => onRule(e.currentTarget.value)} data-testid="review-flag-rule" onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()} />
      <TextInput size="xs" placeholder="reason (required)" value={reason} onChange={(e) => onReason(e.currentTarget.value)} data-testid="review-flag-reason" onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()} />
      <Group gap={4}>
        <Button size="compact-xs" disabled={!canWrite || isBusy || pickedCount === 0 || !reason.trim()} onClick={() => onFlagPicked(true)} data-testid="review-flag-picked">Flag picked</Button>
        <Button size="compact-xs" variant="default" disabled={!canWrite || isBusy || pickedCount === 0 || !reason.trim()} onClick={() => onFlagPicked(false)} data-testid="review-unflag-picked">Unflag</Button>
        <Button size="compact-xs" variant="default" disabled={!canWrite || isBusy || !rule.trim() || !reason.trim()} onClick={onFlagRule} data-testid="review-flag-by-rule">Flag by rule</Button>
        {pickedCount > 0 && <Button size="compact-xs" variant="subtle" onClick={onClearPicked}>Clear</Button>}
      </Group>
      {edits.length > 0 && (
        <Stack gap={2} data-testid="review-flag-edits">
          {edits.map((e) => (
            <Group key={e.id} gap={4} wrap="nowrap" align="flex-start" data-testid="review-flag-edit">
              <Text size="xs" style={{ flex: 1, minWidth: 0 }} c={e.undoneBy ? 'dimmed' : undefined} td={e.undoneBy ? 'line-through' : undefined}>
                {new Date(e.atMs).toISOString().slice(0, 16).replace('T', ' ')} {e.reviewer}: {e.summary}
              </Text>
              {e.kind === 'flags' && !e.undoneBy && (
                <Button size="compact-xs" variant="default" disabled={!canWrite || isBusy} onClick={() => onUndo(e.id)} data-testid="review-flag-undo">Undo</Button>
              )}
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
