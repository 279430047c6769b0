/**
 * Import history: every recorded batch (imports, the demo survey and its removal, deletions,
 * reverts), newest first, each revertible as a whole while nothing newer touched its rows.
 */
import { Badge, Button, Group, Modal, ScrollArea, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { ImportBatch } from '../../../../shared/model/survey';
import { useApi, useApiEvent } from '../../api/hooks';
import { revertBatch } from './undo';

const KIND_LABEL: Record<ImportBatch['kind'], string> = {
  import: 'import',
  demo: 'demo survey',
  'demo-remove': 'demo removed',
  delete: 'deletion',
  revert: 'revert',
};

function counts(b: ImportBatch): string {
  if (b.kind === 'import' || b.kind === 'demo') return `${b.added} added, ${b.updated} updated${b.skipped ? `, ${b.skipped} skipped` : ''}`;
  return `${b.updated} rows`;
}

export function ImportHistoryModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const batches = useApi('survey.batches.list', opened ? {} : null);
  const [confirming, setConfirming] = useState<string | null>(null);
  useApiEvent('survey.changed', () => opened && batches.reload());
  const rows = [...(batches.data ?? [])].reverse();
  return (
    <Modal opened={opened} onClose={onClose} title="Import history" size="xl" data-testid="import-history">
      <Text size="xs" c="dimmed" mb="xs">
        Reverting removes what an import added and gives changed fields their old values; it is refused if later work touched them.
      </Text>
      {rows.length === 0 && <Text size="sm">Nothing recorded yet.</Text>}
      <ScrollArea.Autosize mah={480}>
        <Table striped>
          <Table.Tbody>
            {rows.map((b) => (
              <Table.Tr key={b.id} data-testid="history-row">
                <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>{b.at.slice(0, 16).replace('T', ' ')}</Table.Td>
                <Table.Td><Badge size="xs" variant="light">{KIND_LABEL[b.kind]}</Badge></Table.Td>
                <Table.Td>{b.file}</Table.Td>
                <Table.Td>{counts(b)}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>
                  {b.reverted && <Badge size="xs" color="gray">reverted</Badge>}
                  {b.isRevertible &&
                    (confirming === b.id ? (
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button size="compact-xs" variant="default" onClick={() => setConfirming(null)}>Keep</Button>
                        <Button
                          size="compact-xs"
                          color="red"
                          data-testid="history-revert-confirm"
                          onClick={async () => {
                            setConfirming(null);
                            if (await revertBatch(b.id)) batches.reload();
                          }}
                        >
                          Revert
                        </Button>
                      </Group>
                    ) : (
                      <Button size="compact-xs" variant="light" onClick={() => setConfirming(b.id)} data-testid="history-revert">
                        Revert…
                      </Button>
                    ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Modal>
  );
}
