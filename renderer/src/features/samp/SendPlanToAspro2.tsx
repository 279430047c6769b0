/**
 * "Send to ASPRO2" of tonight's plan: says first what ASPRO2 will get — every science target with
 * the calibrators of its CAL blocks, the CHARA.xml period, stations and beams, the PoP sets — and
 * lets the observer send all of it (ASPRO2 then searches the PoPs per target, each star's set
 * being in its "pops" column) or one PoP set as one observation with POPS fixed.
 */
import { Alert, Button, Group, List, Modal, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api/client';
import { useApi } from '../../api/hooks';
import { outcomeColor, useSampStatus } from './useSampStatus';

export function SendPlanToAspro2Modal({ planId, planName, onClose }: { planId: string; planName: string; onClose(): void }) {
  const { status } = useSampStatus();
  const [popSet, setPopSet] = useState<string | null>(null);
  const preview = useApi('samp.planHandoff', { planId, ...(popSet ? { popSet } : {}) });
  const [error, setError] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);
  const h = preview.data;

  const send = async () => {
    setError(null);
    setSending(true);
    try {
      const r = await api.call('samp.sendPlan', { planId, ...(popSet ? { popSet } : {}) });
      notifications.show({ color: outcomeColor(r.outcome), message: [r.summary, ...r.notes].join(' — '), autoClose: r.outcome === 'received' ? 6000 : 12_000 });
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Send ${planName} to ASPRO2`} size="lg">
      <Stack gap="sm" data-testid="send-plan-modal">
        {preview.error && <Text c="red" size="sm">{preview.error}</Text>}
        {h && (
          <>
            <Text size="sm" data-testid="send-plan-summary">
              {h.targetCount} science target{h.targetCount === 1 ? '' : 's'} with the {h.calibratorCount} calibrator{h.calibratorCount === 1 ? '' : 's'} of their CAL blocks, sorted by transit;
              ASPRO2 opens a new observation: {h.period}, SPICA {h.configuration} (beams {h.beams}){h.pops ? `, PoPs ${h.pops}` : ''}.
            </Text>
            {h.bothRoles.length > 0 && (
              <Text size="xs" c="dimmed">Sent once in both roles (science target and calibrator): {h.bothRoles.join(', ')}.</Text>
            )}
            <Select
              label={`PoP sets (digits in ${h.configuration} order)`}
              value={popSet ?? 'all'}
              onChange={(v) => setPopSet(!v || v === 'all' ? null : v)}
              allowDeselect={false}
              data={[
                { value: 'all', label: h.popSets.length > 1 ? `all ${h.popSets.length} sets (each star's in its "pops" column)` : `the plan's one set${h.popSets[0]?.pops ? ` (${h.popSets[0].pops})` : ''}` },
                ...h.popSets.filter((p) => p.pops).map((p) => ({ value: p.pops, label: `only ${p.pops}: ${p.targets.length} target${p.targets.length === 1 ? '' : 's'} (${p.targets.slice(0, 4).join(', ')}${p.targets.length > 4 ? ', …' : ''})` })),
              ]}
              data-testid="send-plan-popset"
            />
            {h.notes.length > 0 && (
              <Alert color="yellow" variant="light" p="xs" data-testid="send-plan-notes">
                <List size="xs">{h.notes.map((n) => <List.Item key={n}>{n}</List.Item>)}</List>
              </Alert>
            )}
          </>
        )}
        {!status?.aspro2Present && <Text size="xs" c="yellow">ASPRO2 is not connected to SAMP right now: start it (or connect from the SAMP indicator).</Text>}
        {error && <Text size="sm" c="red" data-testid="send-error">{error}</Text>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button leftSection={<IconSend size={14} />} onClick={send} loading={isSending} disabled={!h} data-testid="send-plan-submit">
            Send
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The Tonight button that opens the plan's hand-off. */
export function SendPlanToAspro2Button({ planId, planName }: { planId: string; planName: string }) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button size="xs" variant="default" leftSection={<IconSend size={14} />} onClick={() => setOpened(true)} data-testid="send-aspro2">
        Send to ASPRO2
      </Button>
      {opened && <SendPlanToAspro2Modal planId={planId} planName={planName} onClose={() => setOpened(false)} />}
    </>
  );
}
