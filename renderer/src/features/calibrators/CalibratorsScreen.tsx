/** The Calibrators view: pick a survey target, a night and a configuration; see and act on its calibrators. */
import { Button, Chip, Group, Paper, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconAdjustments, IconBan } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useScreenState } from '../../app/screen-state';
import { STATION_NAMES } from '../../../../shared/astro/types';
import { useNavigation } from '../../app/navigation';
import { SurveyTargetSelect } from '../../components/SurveyTargetSelect';
import { currentNight } from '../target/night';
import { BadCalList } from './BadCalList';
import { CalibratorsView } from './CalibratorsView';
import { ImportMenu } from './ImportMenu';
import { PolicyEditor } from './PolicyEditor';

const ALL_STATIONS = [...STATION_NAMES];

/** The screen's settings live above it (screen-state.ts): coming back finds the same target and tab. */
export function CalibratorsScreen() {
  const { params } = useNavigation();
  const [targetId, setTargetId] = useScreenState<string | null>('calibrators.targetId', null, { persist: true });
  useEffect(() => {
    if (typeof params.id === 'string') setTargetId(params.id);
  }, [params.id, setTargetId]);
  const [useNight, setUseNight] = useScreenState('calibrators.useNight', true);
  const [night, setNight] = useScreenState('calibrators.night', currentNight());
  const [stations, setStations] = useScreenState<string[]>('calibrators.stations', ALL_STATIONS);
  const [pops, setPops] = useScreenState('calibrators.pops', 'auto');
  const [isPolicyOpen, setPolicyOpen] = useState(false);
  const [isBadCalOpen, setBadCalOpen] = useState(false);
  const ordered = useMemo(() => STATION_NAMES.filter((s) => stations.includes(s)), [stations]);
  const popsError = pops !== 'auto' && !new RegExp(`^[1-5]{${ordered.length}}$`).test(pops) ? `auto, or ${ordered.length} digits 1–5 (${ordered.join('-')})` : null;

  return (
    <Stack gap="sm" p="md" data-testid="calibrators-screen">
      <Paper withBorder p="sm">
        <Group gap="md" align="end" wrap="wrap">
          <SurveyTargetSelect label="Science target" value={targetId} onChange={setTargetId} width={240} testId="calibrators-target-select" />
          <Switch label="Use the night's window" checked={useNight} onChange={(e) => setUseNight(e.currentTarget.checked)} data-testid="use-night" />
          <TextInput label="Night (evening date)" type="date" value={night} disabled={!useNight} onChange={(e) => e.currentTarget.value && setNight(e.currentTarget.value)} w={160} />
          <div>
            <Text size="sm" fw={500} mb={4}>Configuration</Text>
            <Chip.Group multiple value={stations} onChange={setStations}>
              <Group gap={4}>
                {STATION_NAMES.map((s) => (
                  <Chip key={s} value={s} size="xs" disabled={!useNight}>{s}</Chip>
                ))}
              </Group>
            </Chip.Group>
          </div>
          <TextInput label="PoPs" value={pops} disabled={!useNight} onChange={(e) => setPops(e.currentTarget.value.trim() || 'auto')} error={popsError} w={110} data-testid="calibrators-pops" />
          <Group gap="xs" ml="auto">
            <Button size="xs" variant="default" leftSection={<IconBan size={14} />} onClick={() => setBadCalOpen(true)} data-testid="calibrators-badcal">Bad calibrators…</Button>
            <Button size="xs" variant="default" leftSection={<IconAdjustments size={14} />} onClick={() => setPolicyOpen(true)} data-testid="calibrators-policy">Policy…</Button>
            <ImportMenu />
          </Group>
        </Group>
      </Paper>
      <PolicyEditor opened={isPolicyOpen} onClose={() => setPolicyOpen(false)} />
      <BadCalList opened={isBadCalOpen} onClose={() => setBadCalOpen(false)} night={useNight ? night : null} />
      {targetId ? (
        <CalibratorsView targetId={targetId} night={useNight ? night : null} stations={useNight ? ordered : undefined} pops={useNight && !popsError ? pops : undefined} />
      ) : (
        <Text c="dimmed" size="sm">Pick a science target to see its calibrators.</Text>
      )}
    </Stack>
  );
}
