/** The plan's blocks in time order: status, pin, and the reason of any accepted violation. */
import { ActionIcon, Badge, ScrollArea, Table, Text, Tooltip } from '@mantine/core';
import { IconPin, IconPinnedOff } from '@tabler/icons-react';
import type { PlanBlockView } from '../../../../shared/planner/api-types';
import { useThemeMode } from '../../app/theme-mode';
import { priorityBadgeColor } from '../../theme';
import { localHhmm, utHhmm } from './format';

const STATUS_COLOR: Record<string, string> = { planned: 'gray', done: 'green', failed: 'red', skipped: 'yellow' };

export function BlockTable({
  blocks,
  selectedId,
  onSelect,
  onPin,
}: {
  blocks: PlanBlockView[];
  selectedId: string | null;
  onSelect(id: string): void;
  onPin(block: PlanBlockView): void;
}) {
  const { mode } = useThemeMode();
  return (
    <ScrollArea h={300} type="auto">
      <Table striped highlightOnHover stickyHeader verticalSpacing={2} fz="xs" data-testid="block-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>UT</Table.Th>
            <Table.Th>local</Table.Th>
            <Table.Th>kind</Table.Th>
            <Table.Th>star</Table.Th>
            <Table.Th>PoPs</Table.Th>
            <Table.Th>status</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {blocks.map((b) => (
            <Table.Tr
              key={b.id}
              onClick={() => onSelect(b.id)}
              data-testid="block-row"
              data-status={b.status}
              data-kind={b.kind}
              style={{ cursor: 'pointer', outline: b.id === selectedId ? '2px solid var(--mantine-primary-color-filled)' : undefined }}
            >
              <Table.Td ff="monospace">{utHhmm(b.startUtc)}–{utHhmm(b.endUtc)}</Table.Td>
              <Table.Td ff="monospace" c="dimmed">{localHhmm(b.startUtc)}</Table.Td>
              <Table.Td>
                <Badge size="xs" variant={b.kind === 'SCI' ? 'filled' : 'outline'} color={b.kind === 'SCI' ? priorityBadgeColor(b.finalPriority, mode) : mode === 'night' ? 'night' : 'gray'}>
                  {b.kind === 'SCI' ? `P${b.finalPriority}` : 'CAL'}
                </Badge>
              </Table.Td>
              <Table.Td>
                {b.name}
                {b.violations.length > 0 && (
                  <Tooltip label={b.violations.join('; ')} multiline w={320}>
                    <Text span c="red" ml={4}>⚠</Text>
                  </Tooltip>
                )}
              </Table.Td>
              <Table.Td ff="monospace">{b.pops}</Table.Td>
              <Table.Td>
                <Badge size="xs" variant="light" color={STATUS_COLOR[b.status]}>{b.status}</Badge>
              </Table.Td>
              <Table.Td>
                {b.status === 'planned' && (
                  <ActionIcon size="xs" variant="subtle" aria-label={b.isPinned ? 'unpin' : 'pin'} onClick={(e) => { e.stopPropagation(); onPin(b); }}>
                    {b.isPinned ? <IconPinnedOff size={12} /> : <IconPin size={12} />}
                  </ActionIcon>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
