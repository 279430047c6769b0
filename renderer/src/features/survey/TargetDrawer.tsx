/** The target detail drawer: every field, programmes, observing log, calibrators, raw columns. */
import { Accordion, Badge, Button, Drawer, Group, Loader, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTelescope, IconTrash } from '@tabler/icons-react';
import { Suspense, useState, type ReactNode } from 'react';
import { api } from '../../api/client';
import { useApi, useApiEvent } from '../../api/hooks';
import { useNavigation } from '../../app/navigation';
import { screens } from '../../app/screens';
import { targetPanels } from '../../app/target-panels';
import { useThemeMode } from '../../app/theme-mode';
import { priorityBadgeColor, priorityLabel } from '../../theme';
import { formatDecDms, formatMag, formatPercent, formatRaHms } from './format';
import { showWithUndo } from './undo';

/** Delete (tombstone) a target after a second click; its observations are kept and Undo brings it back. */
function DeleteTargetButton({ id, name, observationCount, onDeleted }: { id: string; name: string; observationCount: number; onDeleted(): void }) {
  const [isConfirming, setConfirming] = useState(false);
  const remove = async () => {
    try {
      const r = await api.call('survey.targets.delete', { ids: [id] });
      onDeleted();
      showWithUndo(`${name} deleted${observationCount ? ` (its ${observationCount} observations are kept)` : ''}`, r.batchId);
    } catch (e) {
      notifications.show({ color: 'red', message: (e as Error).message });
    }
  };
  return isConfirming ? (
    <Group gap="xs" justify="flex-end" data-testid="delete-target-confirm">
      <Text size="sm">Delete {name} from the survey?</Text>
      <Button size="xs" variant="default" onClick={() => setConfirming(false)}>Keep</Button>
      <Button size="xs" color="red" onClick={remove} data-testid="delete-target-yes">Delete</Button>
    </Group>
  ) : (
    <Group justify="flex-end">
      <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={() => setConfirming(true)} data-testid="delete-target">
        Delete target…
      </Button>
    </Group>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="sm" ff="monospace">{children ?? '—'}</Text>
    </div>
  );
}

export function TargetDrawer({ targetId, onClose }: { targetId: string | null; onClose(): void }) {
  const { data: t, error, reload } = useApi('survey.get', targetId ? { id: targetId } : null);
  // Edits from the drawer's own panels (PI fields) and syncs change what it shows.
  useApiEvent('survey.changed', (e) => e.entities.some((x) => x === 'targets' || x === 'memberships') && reload());
  const { mode } = useThemeMode();
  const { navigate } = useNavigation();
  const hasTargetView = screens.some((s) => s.id === 'target');
  const shown = t && t.id === targetId ? t : undefined;
  return (
    <Drawer opened={targetId !== null} onClose={onClose} position="right" size="xl" title={shown?.name ?? 'Target'} data-testid="target-drawer">
      {error && <Text c="red">{error}</Text>}
      {!shown && !error && <Loader size="sm" />}
      {shown && (
        <Stack gap="md">
          <Group gap="xs">
            <Badge color={priorityBadgeColor(shown.finalPriority, mode)}>Final priority {priorityLabel(shown.finalPriority)}</Badge>
            <Badge variant="light">{shown.mode ?? 'no mode'}</Badge>
            <Badge variant="light" title={shown.completionDatabase !== undefined ? `Provisional: observations logged here, not yet counted by the QC. SPICA-DB says ${formatPercent(shown.completionDatabase)}; the final priority uses the provisional value until SPICA-DB moves.` : undefined} data-testid="drawer-completion">
              completion {formatPercent(shown.completionRate)}{shown.completionDatabase !== undefined ? ` provisional (SPICA-DB ${formatPercent(shown.completionDatabase)})` : ''}
            </Badge>
            {shown.withdrawnAt && <Badge variant="outline" color="gray">withdrawn upstream</Badge>}
            {shown.isDemo && <Badge variant="outline" color="gray">demo data</Badge>}
            {hasTargetView && (
              <Button size="xs" variant="light" leftSection={<IconTelescope size={14} />} onClick={() => navigate('target', { id: shown.id })}>
                Target view
              </Button>
            )}
          </Group>
          <SimpleGrid cols={4} spacing="sm">
            <Field label="RA (J2000)">{formatRaHms(shown.raDeg, 3)}</Field>
            <Field label="Dec (J2000)">{formatDecDms(shown.decDeg, 2)}</Field>
            <Field label="RA / Dec (deg)">{`${shown.raDeg.toFixed(5)} ${shown.decDeg.toFixed(5)}`}</Field>
            <Field label="SPICA-DB id">{shown.spicadbId}</Field>
            <Field label="V">{formatMag(shown.vmag)}</Field>
            <Field label="R">{formatMag(shown.rmag)}</Field>
            <Field label="H">{formatMag(shown.hmag)}</Field>
            <Field label="K">{formatMag(shown.kmag)}</Field>
            <Field label="Spectral type">{shown.spType}</Field>
            <Field label="HD">{shown.hd}</Field>
            <Field label="HIP">{shown.hip}</Field>
            <Field label="Gaia">{shown.gaiaId}</Field>
            <Field label="Parallax (mas)">{shown.parallaxMas?.toFixed(2)}</Field>
            <Field label="pm RA / Dec (mas/yr)">{shown.pmRaMasYr !== null ? `${shown.pmRaMasYr} / ${shown.pmDecMasYr}` : null}</Field>
            <Field label="LDD (mas)">{shown.lddMas !== null ? `${shown.lddMas.toFixed(3)} ± ${shown.lddErrMas?.toFixed(3) ?? '?'}` : null}</Field>
            <Field label="Source">{shown.source}</Field>
          </SimpleGrid>
          <div>
            <Title order={6} mb={4}>Programmes</Title>
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr><Table.Th>Programme</Table.Th><Table.Th>PI</Table.Th><Table.Th>PI priority</Table.Th><Table.Th>Mode</Table.Th><Table.Th>Comments</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.programmes.map((m) => (
                  <Table.Tr key={`${m.programme}-${m.rank}`}>
                    <Table.Td>{m.programme}</Table.Td><Table.Td>{m.pi ?? '—'}</Table.Td>
                    <Table.Td>{m.piPriority === null ? '— (none)' : m.piPriority === 0 ? '0 (high)' : '1 (low)'}</Table.Td><Table.Td>{m.mode ?? '—'}</Table.Td>
                    <Table.Td>{m.comments ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
          {targetPanels.map((Panel, i) => (
            <Suspense key={i} fallback={<Loader size="xs" />}>
              <Panel targetId={shown.id} />
            </Suspense>
          ))}
          <div>
            <Title order={6} mb={4}>Observing log ({shown.observations.length})</Title>
            {shown.observations.length === 0 ? (
              <Text size="sm" c="dimmed">Never observed.</Text>
            ) : (
              <ScrollArea.Autosize mah={260}>
                <Table striped withTableBorder data-testid="observation-log">
                  <Table.Thead>
                    <Table.Tr><Table.Th>Night</Table.Th><Table.Th>UT</Table.Th><Table.Th>Config</Table.Th><Table.Th>Mode</Table.Th><Table.Th>Outcome</Table.Th><Table.Th>Seeing</Table.Th><Table.Th>Notes</Table.Th></Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {shown.observations.map((o) => (
                      <Table.Tr key={o.id}>
                        <Table.Td ff="monospace">{o.night}</Table.Td>
                        <Table.Td ff="monospace">{o.utStart.slice(11, 16)}–{o.utEnd.slice(11, 16)}</Table.Td>
                        <Table.Td>{o.configuration}</Table.Td><Table.Td>{o.mode}</Table.Td>
                        <Table.Td><Badge size="xs" color={o.outcome === 'done' ? 'green' : 'red'}>{o.outcome}</Badge></Table.Td>
                        <Table.Td>{o.seeingArcsec !== null ? `${o.seeingArcsec}″` : ''}</Table.Td>
                        <Table.Td>{o.notes}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            )}
          </div>
          <div>
            <Title order={6} mb={4}>Calibrators ({shown.calibrators.length})</Title>
            {shown.calibrators.length === 0 ? (
              <Text size="sm" c="dimmed">No calibrator associated yet.</Text>
            ) : (
              <Table withTableBorder>
                <Table.Tbody>
                  {shown.calibrators.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>{c.calibratorName}</Table.Td><Table.Td>{c.kind}</Table.Td>
                      <Table.Td ff="monospace">V={formatMag(c.vmag)}</Table.Td>
                      <Table.Td ff="monospace">{c.uddMas !== null ? `θUD ${c.uddMas.toFixed(3)} mas` : ''}</Table.Td>
                      <Table.Td>{c.source}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </div>
          <DeleteTargetButton key={shown.id} id={shown.id} name={shown.name} observationCount={shown.observations.length} onDeleted={onClose} />
          {Object.keys(shown.extra).length > 0 && (
            <Accordion variant="contained">
              <Accordion.Item value="extra">
                <Accordion.Control>All source columns ({Object.keys(shown.extra).length})</Accordion.Control>
                <Accordion.Panel>
                  <Table>
                    <Table.Tbody>
                      {Object.entries(shown.extra).map(([k, v]) => (
                        <Table.Tr key={k}><Table.Td ff="monospace">{k}</Table.Td><Table.Td>{v}</Table.Td></Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Accordion.Panel>
              </Accordion.Item>
            </Accordion>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
