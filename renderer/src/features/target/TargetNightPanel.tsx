/**
 * One target's night at CHARA: summary (intervals, PoPs), elevation curve, per-constraint and
 * per-baseline bars, and optionally the uv coverage. Reusable: the survey drawer embeds it with
 * defaults, the Target view drives every option.
 */
import { Alert, Badge, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { STATION_NAMES, type StationName } from '../../../../shared/astro/types';
import type { TargetNight } from '../../../../shared/contract/astro';
import { useApi } from '../../api/hooks';
import { ElevationPlot } from './ElevationPlot';
import { ObservabilityBars } from './ObservabilityBars';
import { hhmm } from './night';
import { currentNight } from './night';
import { UvPlot } from './UvPlot';

export interface TargetNightPanelProps {
  targetId: string;
  /** `YYYY-MM-DD` of the evening; default the CHARA night in progress. */
  night?: string;
  stations?: StationName[];
  /** 'auto' or one digit 1-5 per station. */
  pops?: string;
  minElevationDeg?: number;
  twilightDeg?: number;
  useDelayLines?: boolean;
  /** Show the uv coverage below the bars. */
  showUv?: boolean;
  /** SPICA mode for the uv wavelengths. */
  mode?: string;
  allChannels?: boolean;
  /** Called with the PoPs the engine used (the best PoPs when `pops` is 'auto'). */
  onPops?(pops: string): void;
}

/** "Moon 3 % lit, below the horizon all night" / "Moon 45 % lit, up 22:10–04:30 UT". */
function moonWords(n: TargetNight['night']): string {
  const lit = `Moon ${Math.round(n.moonPhaseFraction * 100)} % lit`;
  const up = n.moonUp.filter((i) => i.endMjd - i.startMjd > 1 / 1440);
  if (up.length === 0) return `${lit}, below the horizon all night`;
  const night = n.timesMjd.length ? n.timesMjd[n.timesMjd.length - 1] - n.timesMjd[0] : 0;
  if (up.length === 1 && up[0].endMjd - up[0].startMjd >= night - 10 / 1440) return `${lit}, up all night`;
  return `${lit}, up ${up.map((i) => `${hhmm(i.startMjd)}–${hhmm(i.endMjd)}`).join(', ')} UT`;
}

export function TargetNightPanel({
  targetId,
  night,
  stations = [...STATION_NAMES],
  pops = 'auto',
  minElevationDeg = 30,
  twilightDeg = -12,
  useDelayLines = true,
  showUv = false,
  mode = 'LR',
  allChannels = false,
}: TargetNightPanelProps) {
  const params = { targetId, night: night ?? currentNight(), stations, pops, minElevationDeg, twilightDeg, useDelayLines };
  const detail = useApi('astro.targetNight', params);
  const uv = useApi('astro.uv', showUv ? { ...params, mode, maxChannels: allChannels ? 20 : 1 } : null);
  // When manual PoPs leave nothing, say what the best PoPs would give (the same night and stations).
  const best = useApi('astro.targetNight', detail.data && detail.data.intervals.length === 0 && pops !== 'auto' && useDelayLines ? { ...params, pops: 'auto' } : null);
  const d = detail.data;
  if (detail.error) return <Alert color="red" title="Observability">{detail.error}</Alert>;
  if (!d) return <Loader size="sm" />;
  const e = d.night.events;
  return (
    <Stack gap="xs" data-testid="target-night-panel">
      <Group gap="xs" wrap="wrap">
        <Title order={6}>{d.target.name} — night of {d.night.night}</Title>
        {detail.isLoading && <Loader size="xs" />}
        <Badge variant="light" data-testid="observable-minutes">{d.observableMin} min observable</Badge>
        {useDelayLines && (
          <Badge variant="outline" data-testid="pops-used">
            PoPs {d.stations.map((s, i) => `${s}${d.pops[i] ?? ''}`).join(' ')}{d.popsAuto ? ' (best)' : ''}
          </Badge>
        )}
        {!useDelayLines && <Badge color="yellow" variant="light">delay lines not checked</Badge>}
        <Text size="xs" c="dimmed">
          sunset {hhmm(e.sunsetMjd)} · {twilightDeg}° {hhmm(twilightDeg <= -18 ? e.astroDuskMjd : e.nauticalDuskMjd)}–
          {hhmm(twilightDeg <= -18 ? e.astroDawnMjd : e.nauticalDawnMjd)} · sunrise {hhmm(e.sunriseMjd)} UT · <span data-testid="moon-words">{moonWords(d.night)}</span>
        </Text>
      </Group>
      <Text size="sm" data-testid="intervals">
        {d.intervals.length
          ? `Observable ${d.intervals.map((i) => `${hhmm(i.startMjd)}–${hhmm(i.endMjd)}`).join(', ')} UT`
          : `Not observable: ${d.limitingReason ?? 'no sample of the night passes every constraint'}`}
        {best.data && best.data.observableMin > 0 && (
          <Text span size="sm" c="dimmed" data-testid="best-pops-hint">
            {' '}· with the best PoPs ({best.data.pops}) it is observable {best.data.observableMin} min
          </Text>
        )}
      </Text>
      <ElevationPlot data={d} minElevationDeg={minElevationDeg} />
      <ObservabilityBars data={d} />
      {showUv && uv.data && <UvPlot data={uv.data} allChannels={allChannels} />}
      {showUv && uv.error && <Alert color="red">{uv.error}</Alert>}
    </Stack>
  );
}

/** The drawer's compact panel: tonight, 6T, best PoPs. */
export function TargetObservabilityDrawerPanel({ targetId }: { targetId: string }) {
  return <TargetNightPanel targetId={targetId} />;
}
