/** A question before a write that should not happen by accident (Enter confirms, Esc cancels). */
import { Button, Group, Modal, Text } from '@mantine/core';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm(): void;
}

export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | null; onClose(): void }) {
  return (
    <Modal opened={request !== null} onClose={onClose} title={request?.title} size="md" data-testid="confirm-dialog">
      {request && (
        <>
          <Text size="sm" mb="md">{request.message}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} data-testid="confirm-cancel">Cancel (Esc)</Button>
            <Button
              data-autofocus
              onClick={() => {
                onClose();
                request.onConfirm();
              }}
              data-testid="confirm-ok"
            >
              {request.confirmLabel} (Enter)
            </Button>
          </Group>
        </>
      )}
    </Modal>
  );
}
