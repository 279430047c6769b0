/**
 * The Sync panel: where the survey syncs to (environment pair, catalogue, login and password),
 * what the last syncs pulled and pushed, the pull's progress, conflicts to resolve and rows the
 * server refused, with its reasons. The password goes to the main process once and never comes back.
 */
import { Alert, Badge, Button, Card, Checkbox, Group, Progress, ScrollArea, SegmentedControl, SimpleGrid, Stack, Table, Text, Textarea, TextInput, PasswordInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { PendingEdit, SyncConflict, SyncReport, SyncStatus } from '../../../../shared/contract/sync';
import { api } from '../../api/client';
import { useApi, useApiEvent } from '../../api/hooks';
import { useNavigation } from '../../app/navigation';
import { useThemeMode } from '../../app/theme-mode';
import { ago, notifyOutcome, syncLook, useSyncStatus } from './useSyncStatus';

const COLUMN_LABEL: Record<string, string> = { priority_pi: 'PI priority', priority_pi2: 'PI priority (2nd programme)', comments: 'comments', comments2: 'comments (2nd programme)' };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const show = (v: unknown, column?: string) => {
  if (v === null || v === undefined || v === '') return '(empty)';
  if (column?.startsWith('priority')) return v === 0 ? '0 (high)' : v === 1 ? '1 (low)' : String(v);
  return String(v);
};

async function attempt(fn: () => Promise<unknown>, ok?: string): Promise<void> {
  try {
    await fn();
    if (ok) notifications.show({ color: 'teal', message: ok });
  } catch (e) {
    notifications.show({ color: 'red', message: (e as Error).message });
  }
}

function ConnectionCard({ status }: { status: SyncStatus }) {
  const s = status.settings;
  const [env, setEnv] = useState<string>(s.env);
  const [tapUrl, setTapUrl] = useState(s.tapUrl);
  const [apiUrl, setApiUrl] = useState(s.apiUrl);
  const [catalog, setCatalog] = useState(s.catalog);
  const [login, setLogin] = useState(s.login ?? '');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(true);
  const [isBusy, setBusy] = useState(false);
  useEffect(() => {
    setEnv(s.env);
    setTapUrl(s.tapUrl);
    setApiUrl(s.apiUrl);
    setCatalog(s.catalog);
    setLogin(s.login ?? '');
  }, [s.env, s.tapUrl, s.apiUrl, s.catalog, s.login]);
  const save = () =>
    attempt(
      () =>
        api.call('sync.configure', {
          env: env as 'prod' | 'preprod' | 'custom',
          ...(env === 'custom' ? { tapUrl: tapUrl.trim(), apiUrl: apiUrl.trim() } : {}),
          catalog: catalog.trim(),
          login: login.trim() === '' ? null : login.trim(),
        }),
      'Sync settings saved',
    );
  const signIn = async () => {
    setBusy(true);
    await attempt(async () => {
      if (login.trim() !== (s.login ?? '')) await api.call('sync.configure', { login: login.trim() });
      const r = await api.call('sync.signIn', { password, remember });
      setPassword('');
      if (r.lastError) notifications.show({ color: 'yellow', message: r.lastError });
    }, 'Signed in');
    setBusy(false);
  };
  return (
    <Card withBorder padding="sm" data-testid="sync-connection">
      <Title order={5} mb={6}>Where to sync</Title>
      <Stack gap={6}>
        <SegmentedControl
          size="xs"
          value={env}
          onChange={setEnv}
          data={[
            { value: 'preprod', label: 'Pre-production' },
            { value: 'prod', label: 'Production' },
            { value: 'custom', label: 'Custom pair' },
          ]}
          data-testid="sync-env"
        />
        {env === 'custom' ? (
          <>
            <TextInput size="xs" label="TAP service" value={tapUrl} onChange={(e) => setTapUrl(e.currentTarget.value)} data-testid="sync-tap-url" />
            <TextInput size="xs" label="Catalog API" value={apiUrl} onChange={(e) => setApiUrl(e.currentTarget.value)} data-testid="sync-api-url" />
          </>
        ) : (
          <Text size="xs" c="dimmed">
            TAP and the catalog API always go as a pair: {env === 'prod' ? 'tap.jmmc.fr + oidb.jmmc.fr' : 'tap-preprod.jmmc.fr + oidb-beta.jmmc.fr'}.
          </Text>
        )}
        <Group grow gap="xs">
          <TextInput size="xs" label="Catalogue" value={catalog} onChange={(e) => setCatalog(e.currentTarget.value)} data-testid="sync-catalog" />
          <TextInput size="xs" label="JMMC login (e-mail)" value={login} onChange={(e) => setLogin(e.currentTarget.value)} data-testid="sync-login" />
        </Group>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={save} data-testid="sync-save">Save</Button>
        </Group>
        <Group gap="xs" align="flex-end">
          <PasswordInput size="xs" label="Password" style={{ flex: 1 }} value={password} onChange={(e) => setPassword(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && password && void signIn()} data-testid="sync-password" />
          <Button size="xs" onClick={signIn} disabled={!password || !login.trim()} loading={isBusy} data-testid="sync-sign-in">Sign in</Button>
        </Group>
        <Checkbox size="xs" label="Remember the password (kept in the main process, never shown again)" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />
        <Text size="xs" data-testid="sync-credentials">
          {status.hasCredentials ? `Password of ${s.login} kept in: ${status.credentialStore}` : s.login ? `No password for ${s.login}: pulling works, pushing needs one.` : 'No login yet: pulling works anonymously.'}
        </Text>
        <Group gap="xs">
          {status.hasCredentials && <Button size="xs" variant="subtle" onClick={() => attempt(() => api.call('sync.signOut', {}), 'Password forgotten')}>Sign out</Button>}
          <Button size="xs" variant="subtle" onClick={() => attempt(async () => { const r = await api.call('sync.importNetrc', {}); notifications.show({ message: `Imported the login of ${r.host} from ~/.netrc: ${r.login}` }); })}>
            Import from ~/.netrc…
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function StatusCard({ status }: { status: SyncStatus }) {
  const { progress } = useSyncStatus();
  const { mode } = useThemeMode();
  const look = syncLook(status, progress, mode);
  const run = (kind: 'full' | 'pull') => attempt(async () => notifyOutcome(await api.call('sync.run', { kind })));
  const pct = progress && progress.total > 0 ? (100 * progress.done) / progress.total : null;
  return (
    <Card withBorder padding="sm" data-testid="sync-status-card">
      <Group justify="space-between" mb={6}>
        <Title order={5}>SPICA-DB — {status.envLabel}</Title>
        <Badge color={look.color} variant="light" data-testid="sync-state">{look.label}</Badge>
      </Group>
      <SimpleGrid cols={2} spacing={4}>
        <Text size="sm">Last sync: {ago(status.lastSyncAt)}</Text>
        <Text size="sm">Last pull: {ago(status.lastPullAt)}</Text>
        <Text size="sm" data-testid="sync-rows">
          {status.rows} rows{status.serverCount !== null ? ` (COUNT(*) ${status.serverCount})` : ''} {status.complete === null ? '' : status.complete ? '· complete' : '· INCOMPLETE'}
        </Text>
        <Text size="sm">{status.withdrawn} targets withdrawn upstream</Text>
        <Text size="sm" data-testid="sync-pending">{plural(status.pending, 'edit')} pending</Text>
        <Text size="sm">{plural(status.conflicts, 'conflict')} · {status.rejected} refused</Text>
        {status.references.map((r) => (
          <Text size="xs" c="dimmed" key={r.catalog}>{r.catalog}: {r.rows} rows{r.complete ? '' : ' (incomplete)'}</Text>
        ))}
      </SimpleGrid>
      {status.complete === false && status.notice && <Alert mt={6} color={mode === 'night' ? 'night' : 'yellow'} p={6}><Text size="xs">Incomplete snapshot: {status.notice}. Nothing is marked withdrawn until a complete one.</Text></Alert>}
      {status.lastError && status.state !== 'running' && <Alert mt={6} color={mode === 'night' ? 'night' : 'red'} p={6} data-testid="sync-last-error"><Text size="xs">{status.lastError}</Text></Alert>}
      {status.state === 'running' && (
        <Stack gap={2} mt={8} data-testid="sync-progress">
          <Text size="xs">{progress ? `${progress.phase}: ${progress.step}${progress.total ? ` ${progress.done}/${progress.total}` : ''}${progress.bytes ? ` · ${Math.round(progress.bytes / 1024)} kB` : ''}` : 'starting…'}</Text>
          <Progress value={pct ?? 100} animated={pct === null} size="sm" />
        </Stack>
      )}
      <Group gap="xs" mt={8}>
        <Button size="xs" onClick={() => run('full')} loading={status.state === 'running'} data-testid="sync-run">Sync now</Button>
        <Button size="xs" variant="default" onClick={() => run('pull')} disabled={status.state === 'running'} data-testid="sync-pull">Pull only</Button>
      </Group>
    </Card>
  );
}

function ConflictRow({ c, onDone }: { c: SyncConflict; onDone(): void }) {
  const [isEditing, setEditing] = useState(false);
  const [text, setText] = useState(String(c.local ?? ''));
  const resolve = (keep: 'mine' | 'theirs' | 'edit', value?: string) => attempt(async () => {
    await api.call('sync.resolve', { id: c.id, keep, ...(value !== undefined ? { value } : {}) });
    onDone();
  });
  const { navigate } = useNavigation();
  return (
    <Table.Tr data-testid="sync-conflict">
      <Table.Td>
        <Text size="sm" style={{ cursor: c.targetId ? 'pointer' : undefined, textDecoration: c.targetId ? 'underline dotted' : undefined }} onClick={() => c.targetId && navigate('target', { id: c.targetId })}>
          {c.targetName ?? '?'}
        </Text>
        <Text size="xs" c="dimmed">spicadb_id {c.pk}</Text>
      </Table.Td>
      <Table.Td><Text size="sm">{COLUMN_LABEL[c.column] ?? c.column}</Text>{c.kind === 'overwritten' && <Badge size="xs" variant="outline">our push landed over theirs</Badge>}</Table.Td>
      <Table.Td><Text size="sm" data-testid="conflict-mine">{show(c.local, c.column)}</Text></Table.Td>
      <Table.Td>
        <Text size="sm" data-testid="conflict-theirs">{show(c.remote, c.column)}</Text>
        <Text size="xs" c="dimmed" data-testid="conflict-by">{c.remoteBy ? `by ${c.remoteBy}` : 'author not recorded'}{c.remoteUtc ? `, ${c.remoteUtc.replace('T', ' ').slice(0, 19)}` : ''}</Text>
      </Table.Td>
      <Table.Td><Text size="xs" c="dimmed">{show(c.base, c.column)}</Text></Table.Td>
      <Table.Td>
        {isEditing ? (
          <Stack gap={4}>
            <Textarea size="xs" autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} data-testid="conflict-edit-text" />
            <Group gap={4}>
              <Button size="compact-xs" onClick={() => resolve('edit', text)}>Push this</Button>
              <Button size="compact-xs" variant="subtle" onClick={() => setEditing(false)}>Cancel</Button>
            </Group>
          </Stack>
        ) : (
          <Group gap={4} wrap="nowrap">
            <Button size="compact-xs" variant="light" onClick={() => resolve('theirs')} data-testid="conflict-keep-theirs">Keep theirs</Button>
            <Button size="compact-xs" variant="light" onClick={() => resolve('mine')} data-testid="conflict-keep-mine">{c.kind === 'overwritten' ? 'Keep mine (done)' : 'Push mine'}</Button>
            {c.column.startsWith('comments') && <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)}>Edit…</Button>}
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function ConflictsCard({ generation }: { generation: number }) {
  const list = useApi('sync.conflicts', {});
  const { reload } = list;
  useEffect(reload, [generation, reload]);
  const rows = list.data ?? [];
  return (
    <Card withBorder padding="sm" data-testid="sync-conflicts">
      <Title order={5} mb={6}>Conflicts to resolve ({rows.length})</Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">None: no PI field was changed both here and in SPICA-DB.</Text>
      ) : (
        <Table striped withTableBorder>
          <Table.Thead><Table.Tr><Table.Th>Target</Table.Th><Table.Th>Field</Table.Th><Table.Th>Mine</Table.Th><Table.Th>Theirs (SPICA-DB)</Table.Th><Table.Th>Before</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>{rows.map((c) => <ConflictRow key={c.id} c={c} onDone={reload} />)}</Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function OutboxCard({ generation }: { generation: number }) {
  const list = useApi('sync.pending', {});
  const { reload } = list;
  useEffect(reload, [generation, reload]);
  const rows: PendingEdit[] = list.data ?? [];
  const refused = rows.filter((r) => r.state === 'rejected');
  const waiting = rows.filter((r) => r.state !== 'rejected');
  const describe = (p: PendingEdit) => Object.entries(p.columns).map(([c, v]) => `${COLUMN_LABEL[c] ?? c} → ${show(v.local, c)}`).join('; ');
  return (
    <Card withBorder padding="sm" data-testid="sync-outbox">
      <Title order={5} mb={6}>Edits for SPICA-DB</Title>
      <Text size="sm" fw={500}>Refused by the server ({refused.length})</Text>
      {refused.length === 0 ? <Text size="xs" c="dimmed" mb={6}>None.</Text> : (
        <Table withTableBorder mb={8}>
          <Table.Tbody>
            {refused.map((p) => (
              <Table.Tr key={p.pk} data-testid="sync-refused">
                <Table.Td><Text size="sm">{p.targetName ?? '?'}</Text><Text size="xs" c="dimmed">spicadb_id {p.pk}</Text></Table.Td>
                <Table.Td><Text size="xs">{describe(p)}</Text></Table.Td>
                <Table.Td><Text size="xs" data-testid="sync-refused-reason">{p.error}</Text></Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="light" onClick={() => attempt(async () => { await api.call('sync.pending.retry', { pk: p.pk }); reload(); })}>Retry</Button>
                    <Button size="compact-xs" variant="subtle" onClick={() => attempt(async () => { await api.call('sync.pending.discard', { pk: p.pk }); reload(); })}>Discard</Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Text size="sm" fw={500}>Waiting to be pushed ({waiting.length})</Text>
      {waiting.length === 0 ? <Text size="xs" c="dimmed">None.</Text> : (
        <ScrollArea.Autosize mah={180}>
          <Table withTableBorder>
            <Table.Tbody>
              {waiting.map((p) => (
                <Table.Tr key={p.pk} data-testid="sync-waiting">
                  <Table.Td><Text size="sm">{p.targetName ?? '?'}</Text></Table.Td>
                  <Table.Td><Text size="xs">{describe(p)}</Text></Table.Td>
                  <Table.Td><Badge size="xs" variant="light">{p.state === 'pending' ? 'pending' : `${p.state} (unverified)`}</Badge></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Card>
  );
}

function RunsCard({ generation }: { generation: number }) {
  const { mode } = useThemeMode();
  const list = useApi('sync.runs', { limit: 8 });
  const { reload } = list;
  useEffect(reload, [generation, reload]);
  const runs: SyncReport[] = list.data ?? [];
  return (
    <Card withBorder padding="sm" data-testid="sync-runs">
      <Title order={5} mb={6}>Recent syncs</Title>
      {runs.length === 0 ? <Text size="sm" c="dimmed">No sync yet.</Text> : (
        <Stack gap={6}>
          {runs.map((r) => (
            <div key={r.id} data-testid="sync-run-report">
              <Group gap={6}>
                <Badge size="xs" variant="light" color={mode === 'night' ? 'night' : r.outcome === 'ok' ? 'teal' : r.outcome === 'partial' ? 'yellow' : 'red'}>{r.outcome}</Badge>
                <Text size="xs">{r.startedAt.replace('T', ' ').slice(0, 19)} UTC · {r.kind} · {r.login ?? 'anonymous'}</Text>
              </Group>
              {r.pull && <Text size="xs">Pulled {plural(r.pull.rows, 'row')} in {(r.pull.durationMs / 1000).toFixed(1)} s: {r.pull.added} added, {r.pull.updated} updated{r.pull.withdrawn ? `, ${r.pull.withdrawn} withdrawn` : ''}{r.pull.conflicts ? `, ${plural(r.pull.conflicts, 'conflict')}` : ''}{r.pull.complete ? '' : ' — INCOMPLETE'}</Text>}
              {r.push && (r.push.requests > 0 || r.push.rejected.length > 0) && (
                <Text size="xs">Pushed {plural(r.push.rows, 'row')} ({plural(r.push.columns, 'value')}) in {plural(r.push.requests, 'request')}{r.push.rejected.length ? `; refused: ${r.push.rejected.map((x) => `${x.targetName ?? x.pk} (HTTP ${x.status}: ${x.reason})`).join('; ')}` : ''}</Text>
              )}
              {r.errors.map((e, i) => <Text key={i} size="xs" c={mode === 'night' ? undefined : 'red'} fw={500}>{e}</Text>)}
            </div>
          ))}
        </Stack>
      )}
    </Card>
  );
}

export function SyncScreen() {
  const { status } = useSyncStatus();
  const [generation, setGeneration] = useState(0);
  useApiEvent('sync.statusChanged', () => setGeneration((g) => g + 1));
  if (!status) return <Text>Loading…</Text>;
  return (
    <ScrollArea style={{ flex: 1 }}>
      <Stack gap="sm" p={2} data-testid="sync-screen">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          <StatusCard status={status} />
          <ConnectionCard status={status} />
        </SimpleGrid>
        <ConflictsCard generation={generation} />
        <OutboxCard generation={generation} />
        <RunsCard generation={generation} />
      </Stack>
    </ScrollArea>
  );
}
