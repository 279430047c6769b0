/** A notification that offers to undo a recorded batch (a deletion, "Remove demo data", an import). */
import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api } from '../../api/client';

/** Undo batch `batchId`; says what happened in a notification. */
export async function revertBatch(batchId: string): Promise<boolean> {
  try {
    const r = await api.call('survey.batches.revert', { id: batchId });
    notifications.show({ message: `${r.file}: done`, autoClose: 3000 });
    return true;
  } catch (e) {
    notifications.show({ color: 'red', title: 'Cannot undo', message: (e as Error).message, autoClose: 10_000 });
    return false;
  }
}

/** Show `message` with an Undo button that reverts `batchId`. */
export function showWithUndo(message: string, batchId: string): void {
  const id = `undo-${batchId}`;
  notifications.show({
    id,
    autoClose: 12_000,
    message: (
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm">{message}</Text>
        <Button
          size="compact-xs"
          variant="light"
          data-testid="undo-button"
          onClick={() => {
            notifications.hide(id);
            void revertBatch(batchId);
          }}
        >
          Undo
        </Button>
      </Group>
    ),
  });
}
