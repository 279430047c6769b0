/**
 * "Received over SAMP": OIFITS files peers sent, listed until dismissed. Choosing one opens it
 * like any other file; nothing arrives over what the user is reviewing.
 */
import { CloseButton, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { api } from '../../api/client';
import { useApi, useApiEvent } from '../../api/hooks';

export interface SampIncomingProps {
  openedPath: string | null;
  onOpen(path: string): void;
}

export function SampIncoming({ openedPath, onOpen }: SampIncomingProps) {
  const list = useApi('samp.receivedFiles', {});
  useApiEvent('samp.fitsReceived', () => list.reload());
  // A saved verdict marks a received file as reviewed (it is then kept).
  useApiEvent('review.queueChanged', () => list.reload());
  const files = list.data ?? [];
  if (files.length === 0) return null;
  return (
    <Stack gap={2} data-testid="review-samp-inbox">
      <Text size="xs" fw={600}>Received over SAMP ({files.length})</Text>
      {files.map((f) => {
        const isOpen = f.path === openedPath;
        return (
          <Group key={f.id} gap={2} wrap="nowrap" data-testid="review-samp-file" data-selected={isOpen}>
            <UnstyledButton
              onClick={() => onOpen(f.path)}
              title={f.path}
              style={{ flex: 1, minWidth: 0, padding: '2px 6px', borderRadius: 4, outline: isOpen ? '1px solid var(--mantine-primary-color-filled)' : undefined, outlineOffset: -1 }}
            >
              <Text size="xs" fw={500} truncate="end">{f.name}</Text>
              <Text size="xs" c="dimmed" truncate="end">
                from {f.senderName} · {new Date(f.receivedAtMs).toLocaleTimeString()}{f.isReviewed ? ' · reviewed' : ''}
              </Text>
            </UnstyledButton>
            <CloseButton
              size="xs"
              aria-label={`Dismiss ${f.name}`}
              onClick={() => void api.call('samp.dismissFile', { id: f.id }).then(() => list.reload())}
            />
          </Group>
        );
      })}
    </Stack>
  );
}
