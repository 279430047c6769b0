/** The end-of-import report: counts, and every skipped row with its reason. */
import { Badge, Group, Modal, ScrollArea, Table, Text } from '@mantine/core';
import type { ImportReport } from '../../../../shared/model/survey';

export function ImportReportModal({ report, onClose }: { report: ImportReport | null; onClose(): void }) {
  return (
    <Modal opened={report !== null} onClose={onClose} title="Import finished" size="lg" data-testid="import-report">
      {report && (
        <>
          <Text size="sm" mb="xs">
            {report.fileName} <Text span c="dimmed">({report.format}, {report.durationMs} ms)</Text>
          </Text>
          <Group gap="xs" mb="md">
            <Badge color="green" data-testid="import-added">{report.added} added</Badge>
            <Badge color="blue" data-testid="import-updated">{report.updated} updated</Badge>
            <Badge color="gray">{report.unchanged} unchanged</Badge>
            <Badge color={report.skipped.length ? 'orange' : 'gray'} data-testid="import-skipped">{report.skipped.length} skipped</Badge>
          </Group>
          {report.skipped.length > 0 && (
            <ScrollArea.Autosize mah={300}>
              <Table striped>
                <Table.Thead><Table.Tr><Table.Th>Row</Table.Th><Table.Th>Name</Table.Th><Table.Th>Reason</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {report.skipped.map((s) => (
                    <Table.Tr key={s.row}><Table.Td>{s.row}</Table.Td><Table.Td>{s.name ?? '—'}</Table.Td><Table.Td>{s.reason}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          )}
        </>
      )}
    </Modal>
  );
}
