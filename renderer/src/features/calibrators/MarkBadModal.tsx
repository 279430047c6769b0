/** "Mark as bad calibrator": night and reason go to the team's BadCal list. */
import { Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { CalibratorStarRef } from '../../../../shared/calibrators/types';
import type { BadCalibrator } from '../../../../shared/contract/calibrators';
import { api } from '../../api/client';

export interface MarkBadModalProps {
  star: CalibratorStarRef | null;
  night: string | null;
  onClose(): void;
  /** Called with the new entry, so the caller can offer an undo. */
  onDone(entry: BadCalibrator): void;
}

export function MarkBadModal({ star, night, onClose, onDone }: MarkBadModalProps) {
  const [reason, setReason] = useState('');
  const [when, setWhen] = useState(night ?? '');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const submit = async () => {
    if (!star) return;
    setBusy(true);
    try {
      const entry = await api.call('calibrators.markBad', { name: star.name, hd: star.hd, hip: star.hip, raDeg: star.raDeg, decDeg: star.decDeg, night: when || null, reason });
      setReason('');
      onDone(entry);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={star !== null} onClose={onClose} title={`Mark ${star?.name ?? ''} as a bad calibrator`}>
      <Stack gap="sm">
        <TextInput label="Night (evening date)" type="date" value={when} onChange={(e) => setWhen(e.currentTarget.value)} data-testid="badcal-night" />
        <Textarea label="Reason" placeholder="e.g. V² 5 % below the other calibrators on all baselines" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error} autosize minRows={2} data-testid="badcal-reason" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button color="red" disabled={!reason.trim()} loading={isBusy} onClick={submit} data-testid="badcal-submit">Mark as bad</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
