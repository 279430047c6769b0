/** The plan's blocks in time order: status, pin, and the reason of any accepted violation. */
import { ActionIcon, Badge, ScrollArea, Table, Text, Tooltip } from '@mantine/core';
import { IconPin, IconPinnedOff } from '@tabler/icons-react';
import type { PlanBlockView } from '../../../../shared/planner/api-types';
import { useThemeMode } from '../../app/theme-mode';
import { priorityBadgeProps, statusBadgeProps } from '../../theme';
import { localHhmm, utHhmm } from './format';

/** Times and badges keep their width; the star's name wraps instead (1280 px). */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

export function BlockTable({
  blocks,
  selectedId,
  nextId,
  onSelect,
  onPin,
}: {
  blocks: PlanBlockView[];
  selectedId: string | null;
  /** The real next block (marked "next"). */
  nextId: string | null;
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
              data-selected={b.id === selectedId}
              data-next={b.id === nextId}
              style={{
                cursor: 'pointer',
                outline: b.id === selectedId ? '2px solid var(--mantine-primary-color-filled)' : b.id === nextId ? '1px dashed var(--mantine-primary-color-filled)' : undefined,
                outlineOffset: -2,
              }}
            >
              <Table.Td ff="monospace" style={NOWRAP}>{utHhmm(b.startUtc)}–{utHhmm(b.endUtc)}</Table.Td>
              <Table.Td ff="monospace" c="dimmed">{localHhmm(b.startUtc)}</Table.Td>
              <Table.Td style={NOWRAP}>
                {b.kind === 'SCI' ? <Badge size="xs" {...priorityBadgeProps(b.finalPriority, mode)}>P{b.finalPriority}</Badge> : <Badge size="xs" variant="default" style={{ minWidth: 'max-content' }}>CAL</Badge>}
              </Table.Td>
              <Table.Td>
                {b.name}
                {b.id === nextId && <Text span size="xs" c="dimmed" ml={4}>(next)</Text>}
                {b.violations.length > 0 && (
                  <Tooltip label={b.violations.join('; ')} multiline w={320}>
                    <Text span c="red" ml={4}>⚠</Text>
                  </Tooltip>
                )}
              </Table.Td>
              <Table.Td ff="monospace">{b.pops}</Table.Td>
              <Table.Td style={NOWRAP}>
                <Badge size="xs" {...statusBadgeProps(b.status, mode)} />
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
