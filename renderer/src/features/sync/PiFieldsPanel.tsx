/**
 * The target drawer's SPICA-DB panel: the PI-editable fields (PI priority and comments of each
 * programme), editable here, marked "pending" until pushed; the row's conflicts and refusal;
 * "withdrawn upstream"; and why a target's edits stay local (demo, no SPICA-DB id).
 */
import { Alert, Badge, Button, Group, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { TargetSyncState } from '../../../../shared/contract/sync';
import { api } from '../../api/client';
import { useApi, useApiEvent } from '../../api/hooks';
import { useNavigation } from '../../app/navigation';
import { useThemeMode } from '../../app/theme-mode';

type Rank = 1 | 2;
const PRIORITY_COLUMN: Record<Rank, 'priority_pi' | 'priority_pi2'> = { 1: 'priority_pi', 2: 'priority_pi2' };
const COMMENTS_COLUMN: Record<Rank, 'comments' | 'comments2'> = { 1: 'comments', 2: 'comments2' };

function priorityText(v: unknown): string {
  return v === 0 ? '0' : v === 1 ? '1' : 'none';
}

function RankEditor({ state, rank, onSaved }: { state: TargetSyncState; rank: Rank; onSaved(s: TargetSyncState): void }) {
  const pCol = PRIORITY_COLUMN[rank];
  const cCol = COMMENTS_COLUMN[rank];
  const [priority, setPriority] = useState(priorityText(state.values[pCol]));
  const [comments, setComments] = useState(String(state.values[cCol] ?? ''));
  const [isSaving, setSaving] = useState(false);
  useEffect(() => {
    setPriority(priorityText(state.values[pCol]));
    setComments(String(state.values[cCol] ?? ''));
  }, [state.values, pCol, cCol]);
  const changed = priority !== priorityText(state.values[pCol]) || comments !== String(state.values[cCol] ?? '');
  const save = async () => {
    setSaving(true);
    try {
      const p = priority === 'none' ? null : (Number(priority) as 0 | 1);
      const c = comments.trim() === '' ? null : comments;
      // Send only what the user changed: an untouched field must not be pushed (a SPICA-DB
      // priority 2 shows as 1 here, and re-sending it would overwrite the 2).
      const priorityChanged = priority !== priorityText(state.values[pCol]);
      const commentsChanged = comments !== String(state.values[cCol] ?? '');
      const next = await api.call('sync.editTarget', {
        id: state.targetId,
        ...(priorityChanged ? (rank === 1 ? { priorityPi: p } : { priorityPi2: p }) : {}),
        ...(commentsChanged ? (rank === 1 ? { comments: c } : { comments2: c }) : {}),
      });
      onSaved(next);
    } catch (e) {
      notifications.show({ color: 'red', message: (e as Error).message });
    } finally {
      setSaving(false);
    }
  };
  const pending = (col: string) => (col in state.pending ? <Badge size="xs" variant="outline" data-testid={`pending-${col}`}>pending until pushed</Badge> : null);
  const isPushed = (col: 'priority_pi' | 'priority_pi2' | 'comments' | 'comments2') => state.isSyncable && state.pushColumns.includes(col);
  return (
    <Stack gap={4} data-testid={`pi-fields-rank${rank}`}>
      <Group gap="xs" align="center">
        <Text size="sm" w={150}>{rank === 1 ? 'PI priority' : 'PI priority (2nd)'}</Text>
        <SegmentedControl
          size="xs"
          value={priority}
          onChange={setPriority}
          data={[
            { value: '0', label: '0 · high' },
            { value: '1', label: '1 · low' },
            { value: 'none', label: 'none' },
          ]}
          data-testid={`edit-${pCol}`}
        />
        {pending(pCol)}
        {!isPushed(pCol) && <Text size="xs" c="dimmed">kept here</Text>}
      </Group>
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <Text size="sm" w={150}>{rank === 1 ? 'Comments' : 'Comments (2nd)'}</Text>
        <Stack gap={2} style={{ flex: 1 }}>
          <Textarea size="xs" autosize minRows={1} maxRows={4} value={comments} onChange={(e) => setComments(e.currentTarget.value)} data-testid={`edit-${cCol}`} />
          {/[\r\n\t]| {2}/.test(comments) && <Text size="xs" c="dimmed">SPICA-DB stores comments on one line: newlines and repeated spaces become single spaces.</Text>}
        </Stack>
        {pending(cCol)}
      </Group>
      <Group gap="xs">
        <Button size="compact-xs" onClick={save} disabled={!changed} loading={isSaving} data-testid={`save-pi-rank${rank}`}>Save</Button>
      </Group>
    </Stack>
  );
}

export function PiFieldsPanel({ targetId }: { targetId: string }) {
  const query = useApi('sync.target', { id: targetId });
  const [state, setState] = useState<TargetSyncState | undefined>();
  const { navigate } = useNavigation();
  const { mode } = useThemeMode();
  const { reload } = query;
  useEffect(() => setState(query.data), [query.data]);
  useApiEvent('sync.statusChanged', reload);
  // useApi keeps the last target's data while the next one loads: never edit the wrong target.
  if (!state || state.targetId !== targetId) return null;
  const warn = mode === 'night' ? 'night' : 'orange';
  return (
    <div data-testid="pi-fields">
      <Group gap="xs" mb={4}>
        <Title order={6}>SPICA-DB fields</Title>
        {Object.keys(state.pending).length > 0 && <Badge size="xs" variant="light" data-testid="pi-fields-pending">{state.state === 'rejected' ? 'refused' : 'pending until pushed'}</Badge>}
        {state.editableHint === false && <Badge size="xs" variant="outline" color={warn}>not your row: the server will likely refuse it</Badge>}
      </Group>
      {!state.isSyncable && <Text size="xs" c="dimmed" mb={4}>{state.reason}</Text>}
      {state.withdrawnAt && <Alert color={warn} p={6} mb={4}><Text size="xs">SPICA-DB no longer lists this row (complete snapshot of {state.withdrawnAt.slice(0, 10)}): kept here with its observations.</Text></Alert>}
      {state.rejected && <Alert color={warn} p={6} mb={4} data-testid="pi-fields-refused"><Text size="xs">Refused by SPICA-DB: {state.rejected}</Text></Alert>}
      {state.conflicts.length > 0 && (
        <Alert color={warn} p={6} mb={4} data-testid="pi-fields-conflict">
          <Text size="xs">
            {state.conflicts.map((c) => `${c.column}: changed in SPICA-DB by ${c.remoteBy ?? 'someone'} too`).join('; ')} —{' '}
            <Text span size="xs" td="underline" style={{ cursor: 'pointer' }} onClick={() => navigate('sync')}>resolve in the Sync panel</Text>
          </Text>
        </Alert>
      )}
      {state.ranks.length === 0 ? (
        <Text size="xs" c="dimmed">No programme: nothing to edit.</Text>
      ) : (
        <Stack gap="xs">
          {state.ranks.filter((r): r is Rank => r === 1 || r === 2).map((rank) => (
            <RankEditor key={rank} state={state} rank={rank} onSaved={setState} />
          ))}
        </Stack>
      )}
    </div>
  );
}
