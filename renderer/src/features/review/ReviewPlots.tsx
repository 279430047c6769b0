/** The plots of one file: amplitude + closure phase vs spatial frequency, uv plane, and vs wavelength. */
import { Group, SegmentedControl, Stack, Switch, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { OiPlotData } from '../../../../shared/oifits/plot-data';
import { useThemeMode } from '../../app/theme-mode';
import { Plot } from '../../components/Plot';
import { plotColors } from '../../theme';
import { flaggedCounts, stackedFigure, uvFigure, type PlotOptions } from './plot-traces';

/** Channel count above which the per-wavelength view is shown without asking (as PMOIRED does). */
const SPECTRO_CHANNELS = 10;

export interface ReviewPlotsProps {
  plot: OiPlotData;
  options: PlotOptions;
  onOptions(options: PlotOptions): void;
  showSpectro: boolean | null;
  onShowSpectro(show: boolean): void;
}

export function ReviewPlots({ plot, options, onOptions, showSpectro, onShowSpectro }: ReviewPlotsProps) {
  const { mode } = useThemeMode();
  const palette = useMemo(() => {
    const c = plotColors(mode);
    return { series: c.series, flagged: mode === 'night' ? '#5a2020' : '#6c6f75' };
  }, [mode]);
  const counts = useMemo(() => flaggedCounts(plot), [plot]);
  const freq = useMemo(() => stackedFigure(plot, 'frequency', options, palette), [plot, options, palette]);
  const uv = useMemo(() => uvFigure(plot, options, palette), [plot, options, palette]);
  const isSpectro = showSpectro ?? plot.nwaveMax > SPECTRO_CHANNELS;
  const wave = useMemo(() => (isSpectro ? stackedFigure(plot, 'wavelength', options, palette) : null), [plot, options, palette, isSpectro]);

  if (plot.series.length === 0) {
    return <Text c="dimmed" size="sm" data-testid="review-no-data">No V², |V| or closure phase to plot in this file.</Text>;
  }
  return (
    <Stack gap={6} style={{ minWidth: 0 }}>
      <Group gap="md" wrap="wrap">
        <SegmentedControl
          size="xs"
          value={options.colorBy}
          onChange={(v) => onOptions({ ...options, colorBy: v as PlotOptions['colorBy'] })}
          data={[
            { value: 'baseline', label: 'Colour: baseline' },
            { value: 'wavelength', label: 'Colour: wavelength' },
          ]}
          data-testid="review-colour-by"
        />
        <Switch size="xs" label="Error bars" checked={options.showErrors} onChange={(e) => onOptions({ ...options, showErrors: e.currentTarget.checked })} data-testid="review-errors" />
        <Switch
          size="xs"
          label={`Show flagged (${counts.flagged} of ${counts.total})`}
          checked={options.showFlagged}
          onChange={(e) => onOptions({ ...options, showFlagged: e.currentTarget.checked })}
          data-testid="review-flagged"
        />
        <Switch size="xs" label={`Per wavelength (${plot.nwaveMax} ch)`} checked={isSpectro} onChange={(e) => onShowSpectro(e.currentTarget.checked)} data-testid="review-spectro" />
      </Group>
      <Group gap="xs" align="stretch" wrap="nowrap" style={{ minWidth: 0 }}>
        <div style={{ flex: 3, minWidth: 0 }}>
          <Plot label="review-frequency" data={freq.data} layout={freq.layout} height={430} />
        </div>
        <div style={{ flex: 2, minWidth: 0, maxWidth: 430 }}>
          <Plot label="review-uv" data={uv.data} layout={uv.layout} height={430} />
        </div>
      </Group>
      {wave && <Plot label="review-wavelength" data={wave.data} layout={wave.layout} height={380} />}
    </Stack>
  );
}
