/** The review queue: one line per file (level, night, target, verdict), the selected one outlined. */
import { Badge, Group, ScrollArea, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { ReviewQueueItem } from '../../../../shared/contract/review';
import { QUALITY_LABELS } from '../../../../shared/oifits/quality';

export interface ReviewQueueListProps {
  items: ReviewQueueItem[];
  selectedPath: string | null;
  onSelect(item: ReviewQueueItem): void;
}

export function ReviewQueueList({ items, selectedPath, onSelect }: ReviewQueueListProps) {
  const selectedRef = useRef<HTMLDivElement>(null);
  // Braces matter: recent Chromium returns a Promise from scrollIntoView, which React would
  // take for a cleanup function.
  useEffect(() => {
    void selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selectedPath]);
  if (items.length === 0) {
    return <Text size="xs" c="dimmed">No files yet. Add a night root holding RawOifits/ and Results/.</Text>;
  }
  return (
    <ScrollArea style={{ flex: 1, minHeight: 0 }} type="auto">
      <Stack gap={2} data-testid="review-queue">
        {items.map((item) => {
          const isSelected = item.path === selectedPath;
          return (
            <div
              key={item.path}
              ref={isSelected ? selectedRef : undefined}
              style={{
                padding: '4px 6px',
                borderRadius: 4,
                cursor: 'pointer',
                background: isSelected ? 'var(--mantine-color-dark-5)' : undefined,
                outline: isSelected ? '1px solid var(--mantine-primary-color-filled)' : undefined,
                outlineOffset: -1,
              }}
              data-selected={isSelected}
              data-testid="review-queue-item"
              data-level={item.qualityLevel ?? ''}
              onClick={() => onSelect(item)}
              title={item.path}
            >
              <Group gap={4} wrap="nowrap">
                <Badge size="xs" variant={item.level === 'L2' ? 'filled' : 'outline'}>{item.level}</Badge>
                <Text size="xs" c="dimmed">{item.night ?? '—'}</Text>
                {item.qualityLevel !== null ? (
                  <Badge size="xs" color={item.qualityLevel >= 4 ? 'green' : item.qualityLevel <= 1 ? 'red' : 'yellow'} variant="light" title={QUALITY_LABELS[item.qualityLevel]}>
                    Q{item.qualityLevel}
                  </Badge>
                ) : (
                  <Badge size="xs" color="gray" variant="light">{item.previousVerdict ? `v${item.versions}, was Q${item.previousVerdict.qualityLevel}` : 'to review'}</Badge>
                )}
                {item.arrivedAtMs !== null && (
                  <Badge size="xs" variant="outline" radius={0} title={`arrived ${new Date(item.arrivedAtMs).toLocaleTimeString()}`} data-testid="review-queue-arrived">
                    new
                  </Badge>
                )}
              </Group>
              <Text size="xs" fw={500} truncate="end">{item.targetName ?? item.fileTargetName ?? '(no target)'}{item.targetName && item.fileTargetName && item.targetName !== item.fileTargetName ? ` (${item.fileTargetName})` : ''}</Text>
              <Text size="xs" c="dimmed" truncate="start">{item.readError ? `unreadable: ${item.readError}` : item.fileName}</Text>
            </div>
          );
        })}
      </Stack>
    </ScrollArea>
  );
}
