/**
 * The sync indicator of the header: last sync, pending edits, conflicts, offline or "sign in";
 * a click shows the environment, login and snapshot, with "Sync now" and the Sync panel.
 */
import { Badge, Button, Group, Loader, Popover, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCloudDown } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api/client';
import { useNavigation } from '../../app/navigation';
import { useThemeMode } from '../../app/theme-mode';
import { ago, notifyOutcome, syncLook, useSyncStatus } from './useSyncStatus';

export function SyncIndicator() {
  const { status, progress } = useSyncStatus();
  const { mode } = useThemeMode();
  const { navigate } = useNavigation();
  const [isOpen, setOpen] = useState(false);
  const look = syncLook(status, progress, mode);
  const syncNow = async () => {
    try {
      notifyOutcome(await api.call('sync.run', { kind: 'full' }));
    } catch (e) {
      notifications.show({ color: 'red', message: (e as Error).message });
    }
  };
  return (
    <Popover position="bottom-end" width={360} shadow="md" withArrow opened={isOpen} onChange={setOpen}>
      <Popover.Target>
        <Badge
          component="button"
          variant="light"
          color={look.color}
          leftSection={status?.state === 'running' ? <Loader size={10} color={look.color} /> : <IconCloudDown size={12} />}
          style={{ cursor: 'pointer', maxWidth: 340 }}
          onClick={() => setOpen((o) => !o)}
          data-testid="sync-indicator"
          data-state={status?.state}
          aria-label={`${look.label}; click for sync details`}
        >
          {look.label}
        </Badge>
      </Popover.Target>
      <Popover.Dropdown>
        {status && (
          <Stack gap={4} data-testid="sync-indicator-details">
            <Text size="sm" fw={600}>SPICA-DB at JMMC — {status.envLabel}</Text>
            <Text size="xs">Catalogue <b>{status.settings.catalog}</b> · login {status.settings.login ?? '(not set)'}{status.hasCredentials ? '' : ' · no password'}</Text>
            <Text size="xs">Last sync {ago(status.lastSyncAt)} · last pull {ago(status.lastPullAt)}: {status.rows} rows{status.complete === false ? ' (INCOMPLETE)' : ''}</Text>
            <Text size="xs">{status.pending} edits pending · {status.conflicts} conflicts · {status.rejected} refused · {status.withdrawn} withdrawn upstream</Text>
            {look.detail && <Text size="xs" c={mode === 'night' ? undefined : 'dimmed'}>{look.detail}</Text>}
            <Group gap="xs" mt={6}>
              <Button size="xs" onClick={syncNow} loading={status.state === 'running'} data-testid="sync-now">Sync now</Button>
              <Button size="xs" variant="default" onClick={() => { setOpen(false); navigate('sync'); }} data-testid="sync-open-panel">Sync panel</Button>
            </Group>
          </Stack>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
