/** A product's versions and what happened to it: verdicts, flag edits, fits, new versions, with who and when. */
import { Badge, Group, ScrollArea, Stack, Text } from '@mantine/core';
import type { ReviewHistory } from '../../../../shared/contract/review';

export function HistoryPanel({ history }: { history: ReviewHistory | null }) {
  if (!history || (history.events.length === 0 && history.versions.length <= 1)) return null;
  return (
    <Stack gap={4} data-testid="review-history">
      <Group gap={6}>
        <Text size="sm" fw={600}>History</Text>
        <Badge size="xs" variant="outline">{history.versions.length} version{history.versions.length === 1 ? '' : 's'}</Badge>
      </Group>
      <ScrollArea.Autosize mah={220} type="auto">
        <Stack gap={2}>
          {history.events.map((e) => (
            <Text key={e.id} size="xs" data-testid="review-history-event" data-kind={e.kind} c={e.undoneBy ? 'dimmed' : undefined}>
              <b>{e.kind}</b> {new Date(e.atMs).toISOString().slice(0, 16).replace('T', ' ')}{e.reviewer ? ` ${e.reviewer}` : ''}: {e.summary}
              {e.contentHash ? <Text span size="xs" c="dimmed"> [{e.contentHash.slice(0, 8)}]</Text> : null}
            </Text>
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Stack>
  );
}
