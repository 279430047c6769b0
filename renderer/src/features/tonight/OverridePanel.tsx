/**
 * Manual overrides of the selected block's sequence: move it (whole CAL–SCI–CAL) to a UT time,
 * swap the star of a CAL block, skip the target. A refused override shows its reasons and can
 * then be forced.
 */
import { Alert, Button, Group, Select, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { PlanBlockView } from '../../../../shared/planner/api-types';

export interface OverrideRequest {
  action: 'move' | 'swapCalibrator' | 'skip';
  sequenceId: string;
  blockId?: string;
  /** HH:MM UT for a move. */
  hhmm?: string;
  calibratorKey?: string;
  force?: boolean;
}

export function OverridePanel({
  block,
  refused,
  onOverride,
  onDismiss,
  isBusy,
}: {
  block: PlanBlockView | null;
  refused: { request: OverrideRequest; violations: string[] } | null;
  onOverride(r: OverrideRequest): void;
  onDismiss(): void;
  isBusy: boolean;
}) {
  const [hhmm, setHhmm] = useState('');
  const [calKey, setCalKey] = useState<string | null>(null);
  if (!block) return null;
  const isPlanned = block.status === 'planned';
  return (
    <div data-testid="override-panel">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Text size="xs" c="dimmed" w="100%">
          Override <b>{block.kind} {block.name}</b> (sequence of {block.kind === 'SCI' ? block.name : block.calibrates.join(', ') || block.sequenceId})
        </Text>
        <TextInput size="xs" label="Move sequence to (UT)" placeholder="HH:MM" w={130} value={hhmm} onChange={(e) => setHhmm(e.currentTarget.value)} data-testid="move-input" />
        <Button size="xs" variant="default" disabled={!isPlanned || !/^\d{1,2}:\d{2}$/.test(hhmm) || isBusy} onClick={() => onOverride({ action: 'move', sequenceId: block.sequenceId, hhmm })} data-testid="move-button">
          Move
        </Button>
        {block.kind === 'CAL' && (
          <>
            <Select
              size="xs"
              label="Swap calibrator"
              w={170}
              placeholder={block.calibratorOptions.length ? 'choose' : 'no other calibrator'}
              data={block.calibratorOptions.map((c) => ({ value: c.key, label: c.name }))}
              value={calKey}
              onChange={setCalKey}
              data-testid="swap-select"
            />
            <Button size="xs" variant="default" disabled={!isPlanned || !calKey || isBusy} onClick={() => calKey && onOverride({ action: 'swapCalibrator', sequenceId: block.sequenceId, blockId: block.id, calibratorKey: calKey })} data-testid="swap-button">
              Swap
            </Button>
          </>
        )}
        <Button size="xs" variant="default" color="red" disabled={isBusy} onClick={() => onOverride({ action: 'skip', sequenceId: block.kind === 'SCI' ? block.sequenceId : block.calibrates[0] ?? block.sequenceId })} data-testid="skip-target">
          Skip target tonight
        </Button>
      </Group>
      {refused && (
        <Alert color="orange" mt="xs" title="Override refused" withCloseButton onClose={onDismiss} data-testid="override-refused">
          <Text size="sm">{refused.violations.join('; ')}</Text>
          <Button size="xs" mt={6} color="orange" variant="light" onClick={() => onOverride({ ...refused.request, force: true })} data-testid="override-force">
            Apply anyway
          </Button>
        </Alert>
      )}
    </div>
  );
}
