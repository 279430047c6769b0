/**
 * The bad-calibrator list: the team's own entries (with Remove, the undo of "mark as bad") and the
 * imported JMMC BadCal snapshot; a star can be added by name (HD, HIP, HR, Bayer, Flamsteed,
 * SIMBAD or GCVS name): the name is resolved to the catalogue star first, and refused when it
 * matches none.
 */
import { Alert, Badge, Button, Group, Modal, ScrollArea, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client';
import { useApi, useApiEvent } from '../../api/hooks';

export function BadCalList({ opened, onClose, night }: { opened: boolean; onClose(): void; night: string | null }) {
  const list = useApi('calibrators.badList', opened ? {} : null);
  useApiEvent('calibrators.changed', (e) => e.what === 'badcal' && list.reload());
  const [name, setName] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const add = async () => {
    setMessage(null);
    try {
      const b = await api.call('calibrators.markBad', { name: name.trim(), reason: reason.trim(), night });
      setMessage({ ok: true, text: `${b.name} marked as a bad calibrator${b.hd ? ` (HD ${b.hd})` : ''}.` });
      setName('');
      setReason('');
      list.reload();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };
  const remove = async (id: string, label: string) => {
    try {
      await api.call('calibrators.unmarkBad', { id });
      setMessage({ ok: true, text: `${label} removed from the list.` });
      list.reload();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };
  const rows = list.data ?? [];
  const local = rows.filter((b) => b.source === 'local');
  return (
    <Modal opened={opened} onClose={onClose} title="Bad calibrators" size="xl" data-testid="badcal-list">
      <Stack gap="sm">
        <Group align="end" gap="xs" wrap="nowrap">
          <TextInput label="Star" placeholder="HD 89239, HIP 43137 B, alf Lyr, 17 Lib…" value={name} onChange={(e) => setName(e.currentTarget.value)} w={220} data-testid="badcal-add-name" />
          <TextInput label="Reason" placeholder="e.g. V² low on every baseline" value={reason} onChange={(e) => setReason(e.currentTarget.value)} style={{ flex: 1 }} data-testid="badcal-add-reason" />
          <Button color="red" disabled={!name.trim() || !reason.trim()} onClick={add} data-testid="badcal-add">Mark as bad</Button>
        </Group>
        {message && (
          <Alert color={message.ok ? 'teal' : 'red'} withCloseButton onClose={() => setMessage(null)} data-testid="badcal-message">
            {message.text}
          </Alert>
        )}
        <Text size="xs" c="dimmed">
          {local.length} entries of the team, {rows.length - local.length} from the JMMC BadCal list. Removing an entry of the team undoes it; the JMMC list changes only by a new import.
        </Text>
        <ScrollArea.Autosize mah={420}>
          {rows.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="badcal-empty">No bad calibrators yet. Mark one above, or from a candidate's ⋯ menu.</Text>
          ) : (
            <Table striped withTableBorder fz="xs" data-testid="badcal-table">
              <Table.Thead>
                <Table.Tr><Table.Th>Star</Table.Th><Table.Th>Night</Table.Th><Table.Th>Reason</Table.Th><Table.Th>Source</Table.Th><Table.Th /></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((b) => (
                  <Table.Tr key={b.id} data-testid="badcal-row">
                    <Table.Td>
                      <Text size="xs" fw={600}>{b.name}</Text>
                      <Text size="xs" c="dimmed">{[b.hd && `HD ${b.hd}`, b.hip && `HIP ${b.hip}`].filter(Boolean).join(' · ')}</Text>
                    </Table.Td>
                    <Table.Td>{b.night ?? '—'}</Table.Td>
                    <Table.Td maw={320}>{b.reason}</Table.Td>
                    <Table.Td><Badge size="xs" tt="none" variant="light" color={b.source === 'local' ? 'red' : 'gray'}>{b.source === 'local' ? 'team' : b.source}</Badge></Table.Td>
                    <Table.Td>
                      {b.source === 'local' && (
                        <Button size="compact-xs" variant="subtle" onClick={() => remove(b.id, b.name)} data-testid="badcal-remove">Remove (undo)</Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </ScrollArea.Autosize>
      </Stack>
    </Modal>
  );
}
