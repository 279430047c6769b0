/** Candidates the planner did not place, with the reason, best priority first. */
import { Badge, ScrollArea, Table, Text } from '@mantine/core';
import type { LeftOut } from '../../../../shared/planner/types';
import { useThemeMode } from '../../app/theme-mode';
import { priorityBadgeProps } from '../../theme';

const SHOWN = 300;

/** Targets that could have been observed come before those the sky ruled out. */
function reasonRank(reason: string): number {
  if (reason.startsWith('no free slot')) return 0;
  if (reason.startsWith('skipped')) return 1;
  if (reason.startsWith('no calibrator')) return 2;
  return 3;
}

export function LeftOutList({ leftOut }: { leftOut: LeftOut[] }) {
  const { mode } = useThemeMode();
  const shown = [...leftOut].sort((a, b) => reasonRank(a.reason) - reasonRank(b.reason) || a.finalPriority - b.finalPriority).slice(0, SHOWN);
  return (
    <ScrollArea h={260} type="auto">
      <Table verticalSpacing={1} fz="xs" stickyHeader data-testid="left-out">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>P</Table.Th>
            <Table.Th>target</Table.Th>
            <Table.Th>why it is not in the plan</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((l) => (
            <Table.Tr key={l.key} data-testid="left-out-row">
              <Table.Td>
                <Badge size="xs" {...priorityBadgeProps(l.finalPriority, mode)}>P{l.finalPriority}</Badge>
              </Table.Td>
              <Table.Td>{l.name}</Table.Td>
              <Table.Td c="dimmed">{l.reason}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {leftOut.length > SHOWN && <Text size="xs" c="dimmed">…and {leftOut.length - SHOWN} more</Text>}
    </ScrollArea>
  );
}
