/**
 * The SAMP indicator for the header: hub, connected applications, whether Aspro2 is there, and
 * Connect / Disconnect. It also announces tables and sky positions peers send (the Review screen
 * announces OIFITS itself, see features/review/samp-inbox.ts).
 */
import { Badge, Button, Group, Popover, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api/client';
import { useApiEvent } from '../../api/hooks';
import { useNavigation } from '../../app/navigation';
import { statusLook, useSampStatus } from './useSampStatus';

const POINT_AT_NOTICE = 'samp-point-at';

export function SampStatus() {
  const { status } = useSampStatus();
  const { navigate } = useNavigation();
  const [isBusy, setBusy] = useState(false);
  const look = statusLook(status);

  useApiEvent('samp.received', (t) => {
    notifications.show({
      title: `Table from ${t.senderName}`,
      message: `${t.name}: ${t.error ? t.error : `${t.rowCount} rows`} — review it on the SAMP screen`,
      color: t.error ? 'red' : 'blue',
      onClick: () => navigate('samp'),
    });
  });

  useApiEvent('samp.pointAt', (p) => {
    const where = `RA ${p.raDeg.toFixed(4)}°, Dec ${p.decDeg.toFixed(4)}°`;
    const id = p.nearestTargetId;
    if (!id || p.separationArcsec === null) {
      notifications.show({ title: `${p.senderName} pointed at ${where}`, message: 'No survey target to select.' });
      return;
    }
    const sep = p.separationArcsec < 120 ? `${p.separationArcsec.toFixed(1)}″` : `${(p.separationArcsec / 60).toFixed(1)}′`;
    void api
      .call('survey.get', { id })
      .then((t) => t.name)
      .catch(() => id)
      .then((name) => {
        // One notice that follows the latest position, not one per position of a sweep.
        notifications.hide(POINT_AT_NOTICE);
        notifications.show({
          id: POINT_AT_NOTICE,
          title: `${p.senderName} pointed at ${where}`,
          message: `Nearest survey target: ${name} (${sep} away) — click to open it`,
          onClick: () => navigate('target', { id }),
        });
      });
  });

  const toggle = async () => {
    setBusy(true);
    try {
      await api.call(status?.isActive ? 'samp.disconnect' : 'samp.connect', {});
    } catch (e) {
      notifications.show({ color: 'red', message: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Popover position="bottom-end" width={320} shadow="md" withArrow>
      <Popover.Target>
        <Badge
          component="button"
          variant="light"
          color={look.color}
          leftSection={<IconPlugConnected size={12} />}
          style={{ cursor: 'pointer' }}
          data-testid="samp-status"
          aria-label={`${look.label}; click for SAMP details`}
        >
          {look.label}
        </Badge>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={6} data-testid="samp-status-details">
          <Text size="sm" fw={600}>SAMP (Virtual Observatory messaging)</Text>
          {status?.isConnected ? (
            <>
              <Text size="xs">Hub: {status.hubIsEmbedded ? 'embedded in this app' : 'external'} — {status.hubUrl}</Text>
              <Text size="xs" fw={500}>Connected applications</Text>
              {status.peers.length === 0 && <Text size="xs" c="dimmed">none yet</Text>}
              {status.peers.map((p) => (
                <Text size="xs" key={p.id}>
                  {p.name} <Text span size="xs" c="dimmed">({p.id})</Text>
                </Text>
              ))}
            </>
          ) : (
            <Text size="xs" c="dimmed">{status?.isActive ? 'Looking for a SAMP hub…' : 'Not connected. ASPRO2, TOPCAT and SearchCal meet the app through a SAMP hub.'}</Text>
          )}
          {status?.hubError && <Text size="xs" c="red">{status.hubError}</Text>}
          <Group gap="xs" mt={4}>
            <Button size="xs" onClick={toggle} loading={isBusy} data-testid="samp-toggle">
              {status?.isActive ? 'Disconnect' : 'Connect'}
            </Button>
            <Button size="xs" variant="default" onClick={() => navigate('samp')}>Open SAMP screen</Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
