/**
 * The SAMP screen: connection and options, tables received from other applications (preview,
 * accept into the survey, discard), sending targets / files, and the log of messages in and out.
 */
import { Alert, Badge, Button, Card, Group, ScrollArea, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowDownLeft, IconArrowUpRight } from '@tabler/icons-react';
import { useState } from 'react';
import type { SampTablePreview, SampTrafficEntry } from '../../../../shared/contract/samp';
import { ASPRO2_MAX_TARGETS } from '../../../../shared/votable/aspro2-limits';
import { api } from '../../api/client';
import { useApi, useApiEvent } from '../../api/hooks';
import { SendToAspro2Button } from './SendToAspro2Modal';
import { outcomeColor, statusLook, useSampStatus } from './useSampStatus';

const LOG_LIMIT = 500;

function ConnectionCard() {
  const { status } = useSampStatus();
  const [isBusy, setBusy] = useState(false);
  const look = statusLook(status);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      notifications.show({ color: 'red', message: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder padding="sm" data-testid="samp-connection">
      <Group justify="space-between" mb={6}>
        <Title order={5}>Connection</Title>
        <Badge color={look.color} variant="light">{look.label}</Badge>
      </Group>
      <Stack gap={4}>
        <Text size="sm">{status?.isConnected ? `Hub ${status.hubIsEmbedded ? '(embedded in this app)' : '(external)'}: ${status.hubUrl}` : 'Not registered with a SAMP hub.'}</Text>
        <Text size="sm">
          Applications: {status?.peers.length ? status.peers.map((p) => p.name).join(', ') : 'none'}
          {status?.isConnected && !status.aspro2Present && <Text span size="sm" c="yellow"> — ASPRO2 is not connected</Text>}
        </Text>
        {status?.hubError && <Alert color="red" p={6} data-testid="samp-hub-error"><Text size="xs">{status.hubError}</Text></Alert>}
        <Group gap="xs" mt={4}>
          <Button size="xs" loading={isBusy} onClick={() => run(() => api.call(status?.isActive ? 'samp.disconnect' : 'samp.connect', {}))} data-testid="samp-connect">
            {status?.isActive ? 'Disconnect' : 'Connect'}
          </Button>
        </Group>
        <Switch
          size="xs"
          mt={6}
          label="Connect when the app starts"
          checked={status?.options.autoConnect ?? false}
          onChange={(e) => run(() => api.call('samp.setOptions', { autoConnect: e.currentTarget.checked }))}
        />
        <Switch
          size="xs"
          label="Start our own hub when none is running"
          checked={status?.options.embeddedHub ?? true}
          onChange={(e) => run(() => api.call('samp.setOptions', { embeddedHub: e.currentTarget.checked }))}
        />
      </Stack>
    </Card>
  );
}

function SendCard() {
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text, 200);
  const list = useApi('survey.list', { filter: debounced.trim() ? { text: debounced.trim() } : {} });
  // One send carries at most ASPRO2_MAX_TARGETS: the card and the dialog say so when more match.
  const matched = list.data?.rows.length ?? 0;
  const ids = list.data?.rows.slice(0, ASPRO2_MAX_TARGETS).map((r) => r.id) ?? [];
  const [path, setPath] = useState('');
  const sendFile = async (kind: 'oifits' | 'asprox') => {
    try {
      const r = kind === 'oifits' ? await api.call('samp.sendOifits', { path: path.trim() }) : await api.call('samp.sendObservation', { path: path.trim() });
      notifications.show({ color: outcomeColor(r.outcome), message: r.summary, autoClose: r.outcome === 'received' ? 4000 : 10_000 });
    } catch (e) {
      notifications.show({ color: 'red', message: (e as Error).message });
    }
  };
  return (
    <Card withBorder padding="sm" data-testid="samp-send">
      <Title order={5} mb={6}>Send</Title>
      <Stack gap={6}>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <TextInput size="xs" style={{ flex: 1 }} label="Survey targets matching" placeholder="name, programme, PI…" value={text} onChange={(e) => setText(e.currentTarget.value)} data-testid="samp-send-filter" />
          <SendToAspro2Button targetIds={ids} shownCount={matched} />
        </Group>
        <Text size="xs" c="dimmed" data-testid="samp-send-count">
          {list.data ? `${matched} target${matched === 1 ? '' : 's'} match${matched > ids.length ? `; one send carries the first ${ids.length}` : ''}` : 'Loading…'}
        </Text>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <TextInput size="xs" style={{ flex: 1 }} label="File on this computer" placeholder="/path/to/file.oifits or .asprox" value={path} onChange={(e) => setPath(e.currentTarget.value)} />
          <Button size="xs" variant="default" disabled={!path.trim()} onClick={() => sendFile('oifits')}>OIFITS to all</Button>
          <Button size="xs" variant="default" disabled={!path.trim()} onClick={() => sendFile('asprox')}>.asprox to ASPRO2</Button>
        </Group>
      </Stack>
    </Card>
  );
}

function ReceivedCard() {
  const pending = useApi('samp.pending', {});
  useApiEvent('samp.received', () => pending.reload());
  const [openId, setOpenId] = useState<string | null>(null);
  const act = async (t: SampTablePreview, accept: boolean | 'calibrators') => {
    try {
      if (accept === 'calibrators') {
        const table = await api.call('samp.tableContent', { id: t.id });
        const r = await api.call('calibrators.import', { kind: 'searchcal', content: table.content, fileName: table.fileName });
        await api.call('samp.discardTable', { id: t.id });
        notifications.show({ color: 'teal', message: `${t.name}: ${r.total} calibrator rows imported into the calibrator catalogue` });
      } else if (accept) {
        const r = await api.call('samp.acceptTable', { id: t.id });
        notifications.show({ color: 'teal', message: `${t.name}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped.length} skipped` });
      } else await api.call('samp.discardTable', { id: t.id });
    } catch (e) {
      notifications.show({ color: 'red', message: (e as Error).message });
    }
    pending.reload();
  };
  const tables = pending.data ?? [];
  return (
    <Card withBorder padding="sm" data-testid="samp-received">
      <Title order={5} mb={6}>Received tables</Title>
      {tables.length === 0 && <Text size="sm" c="dimmed">Nothing received. ASPRO2, SearchCal or TOPCAT can send a table to “SPICA Companion”.</Text>}
      <Stack gap="xs">
        {tables.map((t) => (
          <div key={t.id} data-testid="samp-received-table">
            <Group justify="space-between" wrap="nowrap">
              <div>
                <Text size="sm" fw={500}>{t.name}</Text>
                <Text size="xs" c="dimmed">
                  from {t.senderName} · {new Date(t.receivedAtMs).toLocaleTimeString()} · {t.error ? 'cannot be imported' : `${t.format}, ${t.rowCount} rows${t.skippedCount ? `, ${t.skippedCount} skipped` : ''}`}
                </Text>
              </div>
              <Group gap={4} wrap="nowrap">
                <Button size="xs" variant="subtle" onClick={() => setOpenId(openId === t.id ? null : t.id)}>{openId === t.id ? 'Hide' : 'Preview'}</Button>
                <Button size="xs" variant={t.looksLikeCalibrators ? 'default' : 'filled'} disabled={t.error !== null} onClick={() => act(t, true)} data-testid="samp-accept">Add to survey</Button>
                {t.looksLikeCalibrators && <Button size="xs" onClick={() => act(t, 'calibrators')} data-testid="samp-accept-calibrators">Add to calibrators</Button>}
                <Button size="xs" variant="default" onClick={() => act(t, false)}>Discard</Button>
              </Group>
            </Group>
            {t.error && <Alert color="red" p={6} mt={4}><Text size="xs">{t.error}</Text></Alert>}
            {openId === t.id && t.sample.length > 0 && (
              <Table fz="xs" mt={4} withTableBorder striped>
                <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>RA (°)</Table.Th><Table.Th>Dec (°)</Table.Th><Table.Th>V</Table.Th><Table.Th>SpT</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {t.sample.map((r, i) => (
                    <Table.Tr key={i}><Table.Td>{r.name}</Table.Td><Table.Td>{r.raDeg.toFixed(4)}</Table.Td><Table.Td>{r.decDeg.toFixed(4)}</Table.Td><Table.Td>{r.vmag ?? ''}</Table.Td><Table.Td>{r.spType ?? ''}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </div>
        ))}
      </Stack>
    </Card>
  );
}

function LogCard() {
  const initial = useApi('samp.log', {});
  const [extra, setExtra] = useState<SampTrafficEntry[]>([]);
  useApiEvent('samp.traffic', (e) => setExtra((xs) => [...xs, e].slice(-LOG_LIMIT)));
  const seen = new Set((initial.data ?? []).map((e) => `${e.atMs}|${e.mtype}|${e.peerId}`));
  const entries = [...(initial.data ?? []), ...extra.filter((e) => !seen.has(`${e.atMs}|${e.mtype}|${e.peerId}`))].slice(-LOG_LIMIT).reverse();
  return (
    <Card withBorder padding="sm" style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }} data-testid="samp-log">
      <Title order={5} mb={6}>Messages in and out</Title>
      {entries.length === 0 && <Text size="sm" c="dimmed">No messages yet.</Text>}
      <ScrollArea style={{ flex: 1 }}>
        <Table fz="xs" striped highlightOnHover>
          <Table.Tbody>
            {entries.map((e, i) => (
              <Table.Tr key={`${e.atMs}-${i}`} data-testid="samp-log-row">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{new Date(e.atMs).toLocaleTimeString()}</Table.Td>
                <Table.Td>{e.direction === 'in' ? <IconArrowDownLeft size={14} aria-label="in" /> : <IconArrowUpRight size={14} aria-label="out" />}</Table.Td>
                <Table.Td>{e.mtype}</Table.Td>
                <Table.Td>{e.direction === 'in' ? 'from' : 'to'} {e.peerName}</Table.Td>
                <Table.Td><Badge size="xs" variant="light" color={e.status === 'error' ? 'red' : e.status === 'ok' ? 'teal' : 'blue'}>{e.status}</Badge></Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{e.detail}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Card>
  );
}

export function SampScreen() {
  return (
    <Stack gap="sm" style={{ flex: 1, minHeight: 0 }} data-testid="samp-screen">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <ConnectionCard />
        <SendCard />
      </SimpleGrid>
      <ReceivedCard />
      <LogCard />
    </Stack>
  );
}
