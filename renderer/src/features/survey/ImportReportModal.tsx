/**
 * The end-of-import report: counts, the rule that matched each updated row, ambiguous rows left
 * out, skipped rows with their reason, remarks; and an Undo for the whole import.
 */
import { Badge, Button, Group, Modal, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ImportReport } from '../../../../shared/model/survey';
import { revertBatch } from './undo';

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Title order={6} mb={4}>{title}</Title>
      <ScrollArea.Autosize mah={200}>{children}</ScrollArea.Autosize>
    </div>
  );
}

function rule(m: ImportReport['matches'][number]): string {
  return m.rule === 'spicadb-id' ? 'SPICA-DB id' : `position (${m.separationArcsec}″) + identifier “${m.identifier}”`;
}

export function ImportReportModal({ report, onClose }: { report: ImportReport | null; onClose(): void }) {
  return (
    <Modal opened={report !== null} onClose={onClose} title="Import finished" size="xl" data-testid="import-report">
      {report && (
        <Stack gap="md">
          <Text size="sm">
            {report.fileName} <Text span c="dimmed">({report.format}, {report.durationMs} ms)</Text>
          </Text>
          <Group gap="xs">
            <Badge color="green" data-testid="import-added">{report.added} added</Badge>
            <Badge color="blue" data-testid="import-updated">{report.updated} updated</Badge>
            <Badge color="gray">{report.unchanged} unchanged</Badge>
            <Badge color={report.skipped.length ? 'orange' : 'gray'} data-testid="import-skipped">{report.skipped.length} skipped</Badge>
            <Badge color={report.ambiguous.length ? 'orange' : 'gray'} data-testid="import-ambiguous">{report.ambiguous.length} ambiguous</Badge>
          </Group>
          {report.notices.map((n) => (
            <Text key={n} size="sm" c="orange">{n}</Text>
          ))}
          {report.matches.length > 0 && (
            <Section title="Updated targets and how they were matched" testId="import-matches">
              <Table striped>
                <Table.Thead><Table.Tr><Table.Th>Row</Table.Th><Table.Th>In the file</Table.Th><Table.Th>Target</Table.Th><Table.Th>Matched by</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {report.matches.map((m) => (
                    <Table.Tr key={m.row}><Table.Td>{m.row}</Table.Td><Table.Td>{m.name}</Table.Td><Table.Td>{m.targetName}</Table.Td><Table.Td>{rule(m)}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
          )}
          {report.ambiguous.length > 0 && (
            <Section title="Ambiguous rows (not written)" testId="import-ambiguous-rows">
              <Table striped>
                <Table.Tbody>
                  {report.ambiguous.map((a) => (
                    <Table.Tr key={a.row}><Table.Td>{a.row}</Table.Td><Table.Td>{a.name}</Table.Td><Table.Td>{a.reason}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
          )}
          {report.skipped.length > 0 && (
            <Section title="Skipped rows">
              <Table striped>
                <Table.Thead><Table.Tr><Table.Th>Row</Table.Th><Table.Th>Name</Table.Th><Table.Th>Reason</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {report.skipped.map((s) => (
                    <Table.Tr key={s.row}><Table.Td>{s.row}</Table.Td><Table.Td>{s.name ?? '—'}</Table.Td><Table.Td>{s.reason}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
          )}
          {report.warnings.length > 0 && (
            <Section title="Remarks" testId="import-warnings">
              <Table striped>
                <Table.Tbody>
                  {report.warnings.map((w) => (
                    <Table.Tr key={w.row}><Table.Td>{w.row}</Table.Td><Table.Td>{w.name}</Table.Td><Table.Td>{w.message}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
          )}
          <Group justify="flex-end">
            {report.batchId && report.added + report.updated > 0 && (
              <Button
                variant="default"
                size="xs"
                data-testid="import-undo"
                onClick={async () => {
                  if (await revertBatch(report.batchId as string)) onClose();
                }}
              >
                Undo this import
              </Button>
            )}
            <Button size="xs" onClick={onClose}>Close</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
