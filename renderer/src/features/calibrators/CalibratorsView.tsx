/**
 * The calibrator proposal for one target: ranked candidates, rejected stars with their rule, the
 * assigned calibrators, a sky mini-map and the provenance footer; actions assign, pin, exclude,
 * mark as bad, export. Used by the Calibrators screen and, compact, by the survey target drawer.
 */
import { Alert, Badge, Box, Button, Flex, Group, Loader, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { proposalToCsv, proposalToVoTable } from '../../../../shared/calibrators/export';
import type { CalibratorCandidate, CalibratorStarRef } from '../../../../shared/calibrators/types';
import { api } from '../../api/client';
import { useApi, useApiEvent } from '../../api/hooks';
import { CandidateTable } from './CandidateTable';
import { download, fixed } from './format';
import { MarkBadModal } from './MarkBadModal';
import { RejectedTable } from './RejectedTable';
import { SkyMap } from './SkyMap';

export interface CalibratorsViewProps {
  targetId: string;
  /** `YYYY-MM-DD` of the evening; without it the policy's default baseline is used. */
  night?: string | null;
  stations?: string[];
  compact?: boolean;
}

export function CalibratorsView({ targetId, night, stations, compact = false }: CalibratorsViewProps) {
  const params = useMemo(() => ({ targetId, ...(night ? { night } : {}), ...(stations && stations.length >= 2 ? { stations } : {}) }), [targetId, night, stations]);
  const proposal = useApi('calibrators.propose', params);
  const associations = useApi('calibrators.associations', { targetId });
  const [badStar, setBadStar] = useState<CalibratorStarRef | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  useApiEvent('calibrators.changed', (e) => {
    if (e.targetId === undefined || e.targetId === targetId) {
      proposal.reload();
      associations.reload();
    }
  });

  const p = proposal.data;
  const excludedKeys = useMemo(() => new Set((p?.rejected ?? []).filter((r) => r.rule === 'excluded').map((r) => r.key)), [p]);
  const run = (fn: () => Promise<unknown>) => {
    setActionError(null);
    fn().catch((e: Error) => setActionError(e.message));
  };
  const starOf = (c: CalibratorCandidate) => ({ key: c.key, name: c.name, hd: c.hd, hip: c.hip, raDeg: c.raDeg, decDeg: c.decDeg, vmag: c.vmag, udMas: c.udMas, eUdMas: c.eUdMas, tier: c.tier });
  const assocOf = (key: string) => (associations.data ?? []).find((a) => a.key === key);
  const actions = {
    canAssign: true,
    onAssign: (c: CalibratorCandidate) => run(() => api.call('calibrators.assign', { targetId, star: starOf(c) })),
    onUnassign: (c: CalibratorCandidate) => run(async () => {
      const a = assocOf(c.key);
      if (a) await api.call('calibrators.unassign', { id: a.id });
    }),
    onPin: (c: CalibratorCandidate, isPinned: boolean) => run(async () => {
      const a = assocOf(c.key) ?? (await api.call('calibrators.assign', { targetId, star: starOf(c) }));
      await api.call('calibrators.pin', { id: a.id, isPinned });
    }),
    onExclude: (c: CalibratorCandidate) => run(() => api.call('calibrators.exclude', { targetId, key: c.key, isExcluded: true })),
    onMarkBad: (c: CalibratorCandidate) => setBadStar(c),
  };

  if (proposal.error) return <Alert color="red" title="Calibrators">{proposal.error}</Alert>;
  if (!p) return <Group gap="xs"><Loader size="sm" /><Text size="sm">Computing calibrators…</Text></Group>;
  const fileBase = `calibrators_${p.target.name.replace(/[^\w.-]+/g, '_')}`;
  const assigned = associations.data ?? [];

  const tabs = (
    <Tabs defaultValue="candidates" keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="candidates" data-testid="tab-candidates">Candidates ({p.candidates.length})</Tabs.Tab>
        <Tabs.Tab value="rejected" data-testid="tab-rejected">Rejected ({p.rejected.length})</Tabs.Tab>
        <Tabs.Tab value="assigned" data-testid="tab-assigned">Assigned ({assigned.length})</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="candidates" pt="xs">
        {p.candidates.length === 0 ? (
          <Text size="sm" c="dimmed">No star passes every rule; see Rejected, or widen the policy.</Text>
        ) : (
          <CandidateTable candidates={p.candidates} lambdasUm={p.lambdasUm} actions={actions} compact={compact} />
        )}
      </Tabs.Panel>
      <Tabs.Panel value="rejected" pt="xs">
        <RejectedTable rejected={p.rejected} excludedKeys={excludedKeys} onInclude={(key) => run(() => api.call('calibrators.exclude', { targetId, key, isExcluded: false }))} />
      </Tabs.Panel>
      <Tabs.Panel value="assigned" pt="xs">
        <Table withTableBorder fz="xs" data-testid="assigned-table">
          <Table.Thead>
            <Table.Tr><Table.Th>Calibrator</Table.Th><Table.Th>θ_UD (mas)</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Pinned</Table.Th><Table.Th /></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {assigned.map((a) => (
              <Table.Tr key={a.id} data-testid="assigned-row">
                <Table.Td>{a.calibratorName}</Table.Td>
                <Table.Td>{fixed(a.uddMas, 3)} ± {fixed(a.uddErrMas, 3)}</Table.Td>
                <Table.Td>{a.kind}</Table.Td>
                <Table.Td>{a.isPinned ? 'yes' : ''}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Button size="compact-xs" variant="subtle" onClick={() => run(() => api.call('calibrators.pin', { id: a.id, isPinned: !a.isPinned }))}>{a.isPinned ? 'Unpin' : 'Pin'}</Button>
                    <Button size="compact-xs" variant="subtle" color="gray" onClick={() => run(() => api.call('calibrators.unassign', { id: a.id }))}>Unassign</Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Tabs.Panel>
    </Tabs>
  );

  return (
    <Stack gap="xs" data-testid="calibrators-view" style={{ minWidth: 0 }}>
      <Group gap="xs" wrap="wrap" justify="space-between">
        <Group gap="xs">
          <Title order={6}>Calibrators for {p.target.name}</Title>
          {proposal.isLoading && <Loader size="xs" />}
          <Badge variant="light" data-testid="baseline-badge">B = {p.baselineM.toFixed(0)} m</Badge>
          {p.night && <Badge variant="outline">{p.night}{p.stations ? ` · ${p.stations.join('-')}` : ''}</Badge>}
          <Badge variant="outline">R {fixed(p.target.rmag, 2)}</Badge>
        </Group>
        <Group gap={4}>
          <Button size="compact-xs" variant="default" leftSection={<IconDownload size={12} />} onClick={() => download(`${fileBase}.csv`, proposalToCsv(p), 'text/csv')} data-testid="export-csv">CSV</Button>
          <Button size="compact-xs" variant="default" leftSection={<IconDownload size={12} />} onClick={() => download(`${fileBase}.vot`, proposalToVoTable(p), 'application/x-votable+xml')} data-testid="export-votable">VOTable</Button>
        </Group>
      </Group>
      {actionError && <Alert color="red" withCloseButton onClose={() => setActionError(null)}>{actionError}</Alert>}
      {compact ? (
        tabs
      ) : (
        <Flex gap="sm" align="flex-start">
          <Box style={{ flex: 1, minWidth: 0, overflowX: 'auto' }}>{tabs}</Box>
          <Box w={260} style={{ flexShrink: 0 }}><SkyMap proposal={p} /></Box>
        </Flex>
      )}
      <Text size="xs" c="dimmed" data-testid="calibrators-provenance">
        {p.provenance.engineVersion} · {p.provenance.policyVersion} · backbone {p.provenance.backboneBuiltAt} ({p.provenance.sources.map((s) => s.id).join(', ')})
        {p.provenance.imports.length > 0 ? ` · ${p.provenance.imports.length} imports, last ${p.provenance.imports[p.provenance.imports.length - 1].file}` : ' · no imports'}
        {' '}· {p.provenance.baselineSource} · radius {p.provenance.searchedRadiusDeg}°, {p.provenance.consideredCount} stars considered
      </Text>
      <MarkBadModal star={badStar} night={p.night} onClose={() => setBadStar(null)} onDone={() => setBadStar(null)} />
    </Stack>
  );
}
