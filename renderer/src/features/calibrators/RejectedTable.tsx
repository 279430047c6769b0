/** Every vetoed star near the target with the rule that removed it: nothing is dropped silently. */
import { Badge, Button, Table, Text } from '@mantine/core';
import type { RejectedCalibrator } from '../../../../shared/calibrators/types';
import { FlagChips } from './CandidateTable';
import { fixed, TIER_COLOR } from './format';

export function RejectedTable({ rejected, excludedKeys, onInclude }: { rejected: RejectedCalibrator[]; excludedKeys: Set<string>; onInclude(key: string): void }) {
  return (
    <Table striped withTableBorder verticalSpacing={4} fz="xs" data-testid="rejected-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Star</Table.Th>
          <Table.Th>Rule</Table.Th>
          <Table.Th>Reason</Table.Th>
          <Table.Th>Tier / θ_UD</Table.Th>
          <Table.Th>Sep</Table.Th>
          <Table.Th>All flags</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rejected.map((r) => (
          <Table.Tr key={r.key} data-testid="rejected-row">
            <Table.Td miw={140}>
              <Text size="xs" fw={600} style={{ whiteSpace: 'nowrap' }}>{r.name}</Text>
              <Text size="xs" c="dimmed">{r.spType || '—'} · V {fixed(r.vmag, 2)}</Text>
            </Table.Td>
            <Table.Td><Badge size="xs" tt="none" color="red" variant="light" data-testid="rejected-rule">{r.rule}</Badge></Table.Td>
            <Table.Td maw={360}><Text size="xs">{r.reason}</Text></Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.tier ? <Badge size="xs" tt="none" px={6} color={TIER_COLOR[r.tier]} variant="outline">{r.tier}</Badge> : '—'} {fixed(r.udMas, 3)}</Table.Td>
            <Table.Td>{r.sepDeg.toFixed(1)}°</Table.Td>
            <Table.Td maw={240}><FlagChips flags={r.flags.filter((f) => f.severity === 'veto')} /></Table.Td>
            <Table.Td>{excludedKeys.has(r.key) && <Button size="compact-xs" variant="subtle" onClick={() => onInclude(r.key)}>Include again</Button>}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
