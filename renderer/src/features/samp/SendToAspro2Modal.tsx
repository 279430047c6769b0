/**
 * "Send to ASPRO2": targets (and their calibrators) for a night and a configuration, sent as the
 * VOTable SPICA-NSS sends. Used from the Survey (selected targets) and from tonight's plan.
 */
import { Button, Group, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { ASPRO2_MAX_TARGETS } from '../../../../shared/votable/aspro2-limits';
import { api } from '../../api/client';
import { outcomeColor, useSampStatus } from './useSampStatus';

/** Tonight's date (the local evening's calendar day), YYYY-MM-DD. */
function tonight(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export interface SendToAspro2Props {
  targetIds: string[];
  /** Targets the user chose (shown or matched), when more than `targetIds` (the send's limit): the dialog says so. */
  shownCount?: number;
  night?: string;
  configuration?: string;
  pops?: string;
}

export function SendToAspro2Modal({ opened, onClose, ...props }: SendToAspro2Props & { opened: boolean; onClose(): void }) {
  const { status } = useSampStatus();
  const [night, setNight] = useState(props.night ?? tonight());
  const [configuration, setConfiguration] = useState(props.configuration ?? 'S1 S2 W1 W2 E1 E2');
  const [pops, setPops] = useState(props.pops ?? '');
  const [withCalibrators, setWithCalibrators] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);

  const send = async () => {
    setError(null);
    setSending(true);
    try {
      const r = await api.call('samp.sendTargets', { targetIds: props.targetIds, night, configuration: configuration.trim(), pops: pops.trim() || undefined, includeCalibrators: withCalibrators });
      notifications.show({ color: outcomeColor(r.outcome), message: r.summary, autoClose: r.outcome === 'received' ? 4000 : 10_000 });
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Send to ASPRO2" size="md">
      <Stack gap="sm" data-testid="send-aspro2-modal">
        <Text size="sm" data-testid="send-count">{props.targetIds.length} target{props.targetIds.length === 1 ? '' : 's'}, sorted by transit; ASPRO2 opens a new CHARA / SPICA_6T observation.</Text>
        {props.shownCount !== undefined && props.shownCount > props.targetIds.length && (
          <Text size="sm" c="yellow" data-testid="send-limit">
            {props.shownCount} targets match, and one send carries at most {ASPRO2_MAX_TARGETS}: these are the first {props.targetIds.length} in the list's order; the other {props.shownCount - props.targetIds.length} are not sent. Narrow the filters to choose which.
          </Text>
        )}
        <TextInput label="Night (local evening date)" value={night} onChange={(e) => setNight(e.currentTarget.value)} placeholder="YYYY-MM-DD" data-testid="send-night" />
        <TextInput label="Configuration (stations)" value={configuration} onChange={(e) => setConfiguration(e.currentTarget.value)} data-testid="send-configuration" />
        <TextInput label="PoPs (optional, one digit per station)" value={pops} onChange={(e) => setPops(e.currentTarget.value)} />
        <Switch label="Include each target's calibrators" checked={withCalibrators} onChange={(e) => setWithCalibrators(e.currentTarget.checked)} />
        {!status?.aspro2Present && <Text size="xs" c="yellow">ASPRO2 is not connected to SAMP right now: start it (or connect from the SAMP indicator).</Text>}
        {error && <Text size="sm" c="red" data-testid="send-error">{error}</Text>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button leftSection={<IconSend size={14} />} onClick={send} loading={isSending} disabled={props.targetIds.length === 0} data-testid="send-aspro2-submit">
            Send
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A button that opens the modal for `targetIds` (Survey selection, tonight's plan). */
export function SendToAspro2Button(props: SendToAspro2Props & { size?: 'xs' | 'sm' }) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button size={props.size ?? 'xs'} variant="default" leftSection={<IconSend size={14} />} onClick={() => setOpened(true)} disabled={props.targetIds.length === 0} data-testid="send-aspro2">
        Send to ASPRO2
      </Button>
      {opened && <SendToAspro2Modal {...props} opened={opened} onClose={() => setOpened(false)} />}
    </>
  );
}
