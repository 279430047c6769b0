/** The Target view: one survey target over a night — configuration, PoPs, elevation, bars, uv. */
import { Button, Chip, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useEffect } from 'react';
import { CHARA } from '../../../../shared/chara/model';
import { STATION_NAMES, type StationName } from '../../../../shared/astro/types';
import { useApi } from '../../api/hooks';
import { useKeys } from '../../app/keys';
import { useNavigation } from '../../app/navigation';
import { useScreenState } from '../../app/screen-state';
import { SurveyTargetSelect } from '../../components/SurveyTargetSelect';
import { PredictionPanel } from '../models';
import { currentNight } from './night';
import { TargetNightPanel } from './TargetNightPanel';

function shiftNight(night: string, days: number): string {
  const d = new Date(`${night}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const ALL_STATIONS = [...STATION_NAMES];

/**
 * The view's settings live above the screen (renderer/src/app/screen-state.ts): coming back from
 * Tonight or Calibrators finds the same target, night, configuration and PoPs. The target is kept
 * across reloads too; a target handed over by another screen (navigation params) replaces it.
 */
export function TargetScreen() {
  const { params } = useNavigation();
  const [targetId, setTargetId] = useScreenState<string | null>('target.targetId', null, { persist: true });
  const [night, setNight] = useScreenState('target.night', currentNight());
  useEffect(() => {
    if (typeof params.id === 'string') setTargetId(params.id);
    if (typeof params.night === 'string') setNight(params.night);
  }, [params.id, params.night, setTargetId, setNight]);
  const [stations, setStations] = useScreenState<string[]>('target.stations', ALL_STATIONS);
  const [popsMode, setPopsMode] = useScreenState<'auto' | 'manual'>('target.popsMode', 'auto');
  const [manualPops, setManualPops] = useScreenState('target.manualPops', '');
  const [minElevationDeg, setMinElevation] = useScreenState('target.minElevationDeg', 30);
  const [twilightDeg, setTwilight] = useScreenState('target.twilightDeg', '-12');
  const [mode, setMode] = useScreenState('target.mode', 'LR');
  const [allChannels, setAllChannels] = useScreenState('target.allChannels', false);
  useKeys('target', [
    { keys: '[', run: () => setNight((n) => shiftNight(n, -1)), help: 'previous night', repeat: true },
    { keys: ']', run: () => setNight((n) => shiftNight(n, 1)), help: 'next night', repeat: true },
  ]);

  const ordered = STATION_NAMES.filter((s) => stations.includes(s)) as StationName[];
  const popsValid = popsMode === 'auto' || new RegExp(`^[1-5]{${ordered.length}}$`).test(manualPops);
  const pops = popsMode === 'auto' || !popsValid ? 'auto' : manualPops;
  const best = useApi(
    'astro.targetNight',
    targetId && ordered.length >= 2 ? { targetId, night, stations: ordered, pops: 'auto', minElevationDeg, twilightDeg: Number(twilightDeg) } : null,
  );

  return (
    <Stack gap="sm" p="md" data-testid="target-screen">
      <Paper withBorder p="sm">
        <Group gap="md" align="end" wrap="wrap">
          <SurveyTargetSelect label="Target" value={targetId} onChange={setTargetId} width={220} testId="target-select" />
          <Group gap={4} align="end">
            <Button variant="subtle" size="compact-sm" aria-label="previous night" onClick={() => setNight(shiftNight(night, -1))}>
              <IconChevronLeft size={16} />
            </Button>
            <TextInput label="Night (evening date)" type="date" value={night} onChange={(e) => e.currentTarget.value && setNight(e.currentTarget.value)} w={160} data-testid="night-input" />
            <Button variant="subtle" size="compact-sm" aria-label="next night" onClick={() => setNight(shiftNight(night, 1))}>
              <IconChevronRight size={16} />
            </Button>
          </Group>
          <div>
            <Text size="sm" fw={500} mb={4}>Configuration</Text>
            <Chip.Group multiple value={stations} onChange={setStations}>
              <Group gap={4}>
                {STATION_NAMES.map((s) => (
                  <Chip key={s} value={s} size="xs" wrapperProps={{ "data-testid": `station-${s}` }}>{s}</Chip>
                ))}
              </Group>
            </Chip.Group>
          </div>
          <div>
            <Text size="sm" fw={500} mb={4}>PoPs</Text>
            <Group gap={4}>
              <SegmentedControl size="xs" value={popsMode} onChange={(v) => setPopsMode(v as 'auto' | 'manual')} data={[{ value: 'auto', label: 'best' }, { value: 'manual', label: 'manual' }]} />
              {popsMode === 'manual' && (
                <TextInput
                  size="xs"
                  w={90}
                  placeholder={'1'.repeat(ordered.length)}
                  value={manualPops}
                  error={!popsValid}
                  onChange={(e) => setManualPops(e.currentTarget.value.trim())}
                  aria-label="PoPs, one digit per station"
                  data-testid="pops-input"
                />
              )}
            </Group>
            {best.data && (
              <Text size="xs" c="dimmed" mt={2} data-testid="best-pops">
                best: {ordered.map((s, i) => `${s}${best.data?.pops[i] ?? ''}`).join(' ')}
                {popsMode === 'manual' && (
                  <Button size="compact-xs" variant="subtle" onClick={() => setManualPops(best.data?.pops ?? '')}>use</Button>
                )}
              </Text>
            )}
          </div>
          <NumberInput label="Min elevation (°)" value={minElevationDeg} onChange={(v) => setMinElevation(Number(v) || 0)} min={10} max={80} w={120} />
          <div>
            <Text size="sm" fw={500} mb={4}>Night from</Text>
            <SegmentedControl size="xs" value={twilightDeg} onChange={setTwilight} data={[{ value: '-12', label: '−12°' }, { value: '-18', label: '−18°' }]} />
          </div>
          <Select label="SPICA mode (uv)" data={CHARA.spica.modes.map((m) => m.name)} value={mode} onChange={(v) => v && setMode(v)} w={120} />
          <Switch label="every channel" checked={allChannels} onChange={(e) => setAllChannels(e.currentTarget.checked)} />
        </Group>
        {CHARA.fixedPops.W2 && ordered.includes('W2') && (
          <Text size="xs" c="dimmed" mt={4}>W2 is always on PoP{CHARA.fixedPops.W2} (ASPRO2 rule). Keys [ and ] change the night.</Text>
        )}
      </Paper>
      {ordered.length < 2 && <Text c="dimmed">Choose at least two stations.</Text>}
      {!targetId && <Text c="dimmed">Pick a target, or open one from the Survey drawer.</Text>}
      {targetId && ordered.length >= 2 && (
        <TargetNightPanel
          targetId={targetId}
          night={night}
          stations={ordered}
          pops={pops}
          minElevationDeg={minElevationDeg}
          twilightDeg={Number(twilightDeg)}
          showUv
          mode={mode}
          allChannels={allChannels}
        />
      )}
      {targetId && ordered.length >= 2 && (
        <PredictionPanel targetId={targetId} night={night} stations={ordered} pops={pops} minElevationDeg={minElevationDeg} twilightDeg={Number(twilightDeg)} mode={mode} allChannels={allChannels} />
      )}
    </Stack>
  );
}
