/**
 * The calibrator proposal for one target: ranked candidates, rejected stars with their rule, the
 * assigned calibrators, a sky mini-map and the provenance footer; actions assign, pin, exclude,
 * mark as bad, export. Used by the Calibrators screen and, compact, by the survey target drawer.
 */
import { Alert, Badge, Box, Button, Flex, Group, Loader, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconDownload } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { proposalToCsv, proposalToVoTable } from '../../../../shared/calibrators/export';
import type { CalibratorCandidate, CalibratorStarRef } from '../../../../shared/calibrators/types';
import type { BadCalibrator } from '../../../../shared/contract/calibrators';
import { api } from '../../api/client';
import { useApi, useApiEvent } from '../../api/hooks';
import { useScreenState } from '../../app/screen-state';
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
  /** 'auto' or one digit per station: the calibrators' observable windows use them. */
  pops?: string;
  compact?: boolean;
}

/** Rejected stars listed by default (nearest first; every star the team marked is always included). */
const REJECTED_SHOWN = 400;

export function CalibratorsView({ targetId, night, stations, pops, compact = false }: CalibratorsViewProps) {
  const [maxRejected, setMaxRejected] = useState(REJECTED_SHOWN);
  // Each target keeps its own tab (above the screen, so it survives navigation): switching targets
  // never shows another target's Rejected tab by surprise.
  const [tab, setTab] = useScreenState(`calibrators.tab.${compact ? 'drawer' : 'screen'}.${targetId}`, 'candidates');
  const params = useMemo(
    () => ({
      targetId, maxRejected, ...(night ? { night } : {}), ...(stations && stations.length >= 2 ? { stations } : {}),
      ...(pops && (pops === 'auto' || (stations && pops.length === stations.length)) ? { pops } : {}),
    }),
    [targetId, night, stations, pops, maxRejected],
  );
  const proposal = useApi('calibrators.propose', params);
  const associations = useApi('calibrators.associations', { targetId });
  const [badStar, setBadStar] = useState<CalibratorStarRef | null>(null);
  const [lastBad, setLastBad] = useState<BadCalibrator | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  // The sky map sits beside the table only when both fit without a horizontal scroll.
  const isWide = useMediaQuery('(min-width: 1700px)');
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
    <Tabs value={tab} onChange={(v) => v && setTab(v)} keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="candidates" data-testid="tab-candidates">Candidates ({p.candidates.length})</Tabs.Tab>
        <Tabs.Tab value="rejected" data-testid="tab-rejected">
          Rejected ({p.rejected.length < p.rejectedTotal ? `${p.rejected.length} of ${p.rejectedTotal}` : p.rejectedTotal})
        </Tabs.Tab>
        <Tabs.Tab value="assigned" data-testid="tab-assigned">Assigned ({assigned.length})</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="candidates" pt="xs">
        {p.refusal && <Alert color="orange" mb="xs" data-testid="calibrators-refusal">{p.refusal}</Alert>}
        {p.candidates.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="candidates-empty">
            {p.preset === 'nss-2025'
              ? 'No star passes NSS 2025\'s rules. NSS needs JSDC rows (χ², CalFlag): offline only the backbone\'s bright stars with J/H/K have them, so import a JSDC extract of the strip (Import…), or use the app policy. See Rejected for the rule each nearby star failed.'
              : 'No star passes every rule; see Rejected, or widen the policy.'}
          </Text>
        ) : (
          <>
            <CandidateTable candidates={p.candidates} lambdasUm={p.lambdasUm} actions={actions} compact={compact} />
            {p.candidatesTotal > p.candidates.length && (
              <Text size="xs" c="dimmed" mt={4} data-testid="candidates-cut">Best {p.candidates.length} of {p.candidatesTotal} eligible stars shown (policy "maxCandidates").</Text>
            )}
          </>
        )}
      </Tabs.Panel>
      <Tabs.Panel value="rejected" pt="xs">
        {p.rejected.length < p.rejectedTotal && (
          <Group gap="xs" mb="xs" data-testid="rejected-cut">
            <Text size="xs" c="dimmed">
              The nearest {p.rejected.length} of {p.rejectedTotal} rejected stars are listed; every star you marked bad or excluded is always included.
            </Text>
            <Button size="compact-xs" variant="default" onClick={() => setMaxRejected(p.rejectedTotal)} data-testid="rejected-show-all">Show all {p.rejectedTotal}</Button>
          </Group>
        )}
        <RejectedTable rejected={p.rejected} excludedKeys={excludedKeys} onInclude={(key) => run(() => api.call('calibrators.exclude', { targetId, key, isExcluded: false }))} />
      </Tabs.Panel>
      <Tabs.Panel value="assigned" pt="xs">
        {assigned.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="assigned-empty">
            No calibrator assigned to {p.target.name} yet. Use Assign on a candidate (or Pin in its ⋯ menu to rank it first); the planner and ASPRO2 then use the assigned stars.
          </Text>
        ) : (
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
        )}
      </Tabs.Panel>
    </Tabs>
  );

  return (
    <Stack gap="xs" data-testid="calibrators-view" style={{ minWidth: 0 }}>
      <Group gap="xs" wrap="wrap" justify="space-between">
        <Group gap="xs">
          <Title order={6}>Calibrators for {p.target.name}</Title>
          {proposal.isLoading && <Loader size="xs" />}
          <Badge variant="light" tt="none" data-testid="baseline-badge">B = {p.baselineM.toFixed(0)} m</Badge>
          <Badge variant="light" color="gray" tt="none" data-testid="veto-lambda-badge">vetoes at {p.vetoLambdaUm} µm</Badge>
          <Badge variant="light" tt="none" color={p.preset === 'nss-2025' ? 'grape' : 'gray'} data-testid="preset-badge">{p.preset === 'nss-2025' ? 'NSS 2025' : 'app policy'}</Badge>
          {p.night && <Badge variant="outline">{p.night}{p.stations ? ` · ${p.stations.join('-')}` : ''}</Badge>}
          <Badge variant="outline">R {fixed(p.target.rmag, 2)}</Badge>
        </Group>
        <Group gap={4}>
          <Button size="compact-xs" variant="default" leftSection={<IconDownload size={12} />} onClick={() => download(`${fileBase}.csv`, proposalToCsv(p), 'text/csv')} data-testid="export-csv">CSV</Button>
          <Button size="compact-xs" variant="default" leftSection={<IconDownload size={12} />} onClick={() => download(`${fileBase}.vot`, proposalToVoTable(p), 'application/x-votable+xml')} data-testid="export-votable">VOTable</Button>
        </Group>
      </Group>
      {actionError && <Alert color="red" withCloseButton onClose={() => setActionError(null)}>{actionError}</Alert>}
      {lastBad && (
        <Alert color="orange" withCloseButton onClose={() => setLastBad(null)} data-testid="badcal-undo-bar">
          <Group gap="xs">
            <Text size="sm">{lastBad.name} is on the team's bad-calibrator list.</Text>
            <Button size="compact-xs" variant="default" onClick={() => run(async () => { await api.call('calibrators.unmarkBad', { id: lastBad.id }); setLastBad(null); })} data-testid="badcal-undo">Undo</Button>
          </Group>
        </Alert>
      )}
      {compact ? (
        tabs
      ) : isWide ? (
        <Flex gap="sm" align="flex-start">
          <Box style={{ flex: 1, minWidth: 0, overflowX: 'auto' }}>{tabs}</Box>
          <Box w={260} style={{ flexShrink: 0 }}><SkyMap proposal={p} /></Box>
        </Flex>
      ) : (
        <>
          <Box style={{ minWidth: 0, overflowX: 'auto' }}>{tabs}</Box>
          <Box w={320}><SkyMap proposal={p} height={260} /></Box>
        </>
      )}
      <Text size="xs" c="dimmed" data-testid="calibrators-provenance">
        {p.provenance.engineVersion} · {p.provenance.policyVersion} · backbone {p.provenance.backboneBuiltAt} ({p.provenance.sources.map((s) => s.id).join(', ')})
        {p.provenance.imports.length > 0 ? ` · ${p.provenance.imports.length} imports, last ${p.provenance.imports[p.provenance.imports.length - 1].file}` : ' · no imports'}
        {' '}· {p.provenance.baselineSource} · radius {p.provenance.searchedRadiusDeg}°, {p.provenance.consideredCount} stars considered
      </Text>
      <MarkBadModal star={badStar} night={p.night} onClose={() => setBadStar(null)} onDone={(entry) => { setBadStar(null); setLastBad(entry); }} />
    </Stack>
  );
}
