/**
 * The night's log from the store (what the observing log holds, whoever wrote it): every logged
 * block, latest first, with its seeing, notes and the completion it moved. Each entry can be
 * undone or corrected (outcome, UT times, seeing, notes) through the planner's one write path,
 * which recomputes the target's completion.
 */
import { ActionIcon, Badge, Button, Group, Modal, NumberInput, ScrollArea, Select, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconArrowBackUp, IconPencil } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { PlanLogEntry } from '../../../../shared/contract/planner';
import type { PlanView } from '../../../../shared/planner/api-types';
import { useApi } from '../../api/hooks';
import { useThemeMode } from '../../app/theme-mode';
import { statusBadgeProps } from '../../theme';
import { utHhmm, utInNight } from './format';
import type { LogOutcome, TonightActions } from './useTonightActions';

/** Times, badges and completions keep their width; names and notes wrap instead (1280 px). */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** The log entries of `plan`, reloaded whenever the plan changes. */
export function usePlanLog(plan: PlanView | null) {
  const log = useApi('planner.log', plan ? { planId: plan.id } : null);
  const { reload } = log;
  const stamp = plan ? `${plan.id}@${plan.updatedAtMs}` : null;
  useEffect(() => {
    if (stamp) reload();
  }, [stamp, reload]);
  return log;
}

function EditLogModal({ entry, plan, onClose, actions }: { entry: PlanLogEntry | null; plan: PlanView; onClose(): void; actions: TonightActions }) {
  const [outcome, setOutcome] = useState<LogOutcome>('done');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [seeing, setSeeing] = useState<number | null>(null);
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!entry) return;
    setOutcome(entry.status);
    setStart(utHhmm(entry.utStartUtc ?? entry.plannedStartUtc));
    setEnd(utHhmm(entry.utEndUtc ?? entry.plannedEndUtc));
    setSeeing(entry.seeingArcsec);
    setNotes(entry.notes ?? '');
    setError(null);
  }, [entry]);
  if (!entry) return null;
  const hasObservation = entry.kind === 'SCI' && outcome !== 'skipped';
  const save = () => {
    const fields: Parameters<TonightActions['correctLog']>[0] = { blockId: entry.blockId, name: entry.name, outcome };
    if (hasObservation) {
      const a = utInNight(start, plan.windowStartUtc, plan.windowEndUtc);
      const b = utInNight(end, plan.windowStartUtc, plan.windowEndUtc);
      if ('error' in a || 'error' in b) {
        setError(`${'error' in a ? a.error : ''}${'error' in a && 'error' in b ? '; ' : ''}${'error' in b ? b.error : ''}`);
        return;
      }
      if (Date.parse(b.iso) <= Date.parse(a.iso)) {
        setError(`the end ${end} UT is not after the start ${start} UT`);
        return;
      }
      Object.assign(fields, { utStartUtc: a.iso, utEndUtc: b.iso, seeingArcsec: seeing, notes: notes.trim() || null });
    }
    void actions.correctLog(fields);
    onClose();
  };
  return (
    <Modal opened onClose={onClose} title={`Correct the log of ${entry.kind} ${entry.name}`} data-testid="edit-log">
      <Stack gap="xs">
        <Select
          label="Outcome"
          value={outcome}
          onChange={(v) => v && setOutcome(v as LogOutcome)}
          data={[{ value: 'done', label: '✓ done' }, { value: 'failed', label: '✗ failed' }, { value: 'skipped', label: '– skipped' }]}
          allowDeselect={false}
          data-testid="edit-outcome"
        />
        {hasObservation && (
          <>
            <Group grow>
              <TextInput label="Start (UT)" value={start} onChange={(e) => setStart(e.currentTarget.value)} data-testid="edit-start" />
              <TextInput label="End (UT)" value={end} onChange={(e) => setEnd(e.currentTarget.value)} data-testid="edit-end" />
            </Group>
            <NumberInput label="Seeing (″)" min={0.1} max={20} step={0.1} decimalScale={2} value={seeing ?? ''} onChange={(v) => setSeeing(typeof v === 'number' ? v : null)} data-testid="edit-seeing" />
            <TextInput label="Notes" value={notes} onChange={(e) => setNotes(e.currentTarget.value)} data-testid="edit-notes" />
          </>
        )}
        {error && <Text size="sm" c="red" data-testid="edit-error">{error}</Text>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button onClick={save} data-testid="edit-save">Save the correction</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function TonightLog({ plan, actions, log }: { plan: PlanView; actions: TonightActions; log: ReturnType<typeof usePlanLog> }) {
  const { mode } = useThemeMode();
  const [editing, setEditing] = useState<PlanLogEntry | null>(null);
  const entries = log.data ?? [];
  if (log.error) return <Text size="xs" c="red">{log.error}</Text>;
  if (entries.length === 0) return <Text size="xs" c="dimmed" data-testid="tonight-log">Nothing logged in this plan yet: d, f or s log the next block.</Text>;
  return (
    <ScrollArea h={260} type="auto">
      <Table verticalSpacing={2} fz="xs" stickyHeader data-testid="tonight-log">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>UT</Table.Th>
            <Table.Th>block</Table.Th>
            <Table.Th>outcome</Table.Th>
            <Table.Th>seeing · notes</Table.Th>
            <Table.Th>completion</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e) => (
            <Table.Tr key={e.blockId} data-testid="log-entry" data-status={e.status}>
              <Table.Td ff="monospace" style={NOWRAP}>{utHhmm(e.utStartUtc ?? e.plannedStartUtc)}–{utHhmm(e.utEndUtc ?? e.plannedEndUtc)}</Table.Td>
              <Table.Td>{e.kind} {e.name}</Table.Td>
              <Table.Td style={NOWRAP}><Badge size="xs" {...statusBadgeProps(e.status, mode)} /></Table.Td>
              <Table.Td c="dimmed">{[e.seeingArcsec !== null ? `${e.seeingArcsec}″` : '', e.notes ?? ''].filter(Boolean).join(' · ') || '—'}</Table.Td>
              <Table.Td ff="monospace" style={NOWRAP} data-testid="log-completion">{e.completionAfter !== null ? `${pct(e.completionBefore)} → ${pct(e.completionAfter)}` : '—'}</Table.Td>
              <Table.Td>
                <Group gap={2} wrap="nowrap">
                  <Tooltip label="Correct outcome, times, seeing, notes">
                    <ActionIcon size="sm" variant="subtle" aria-label={`Correct ${e.name}`} onClick={() => setEditing(e)} disabled={actions.isBusy} data-testid="log-edit">
                      <IconPencil size={14} />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label="Undo: plan it again, completion recomputed">
                    <ActionIcon size="sm" variant="subtle" aria-label={`Undo ${e.name}`} onClick={() => void actions.undoLog(e.blockId, e.name)} disabled={actions.isBusy} data-testid="log-undo">
                      <IconArrowBackUp size={14} />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <EditLogModal entry={editing} plan={plan} onClose={() => setEditing(null)} actions={actions} />
    </ScrollArea>
  );
}
