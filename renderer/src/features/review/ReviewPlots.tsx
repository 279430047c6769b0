/** The plots of one file: amplitude + closure phase vs spatial frequency, uv plane, and vs wavelength. */
import { Group, SegmentedControl, Stack, Switch, Text } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { OiPlotData } from '../../../../shared/oifits/plot-data';
import { useThemeMode } from '../../app/theme-mode';
import { Plot } from '../../components/Plot';
import { plotColors } from '../../theme';
import { flaggedCounts, stackedFigure, uvFigure, type PlotOptions } from './plot-traces';

/** Channel count above which the per-wavelength view is shown without asking (as PMOIRED does). */
const SPECTRO_CHANNELS = 10;

/**
 * True once the main plot inside `ref` has been drawn. The uv and per-wavelength plots wait for
 * it so the reviewer's first look (V² and closure phase) is not slowed by the other two.
 */
function useMainPlotted(ref: React.RefObject<HTMLDivElement | null>, key: unknown): boolean {
  const [isPlotted, setPlotted] = useState(false);
  useEffect(() => {
    setPlotted(false);
    let frame = 0;
    const check = () => {
      const el = ref.current?.querySelector('[data-testid="plot-review-frequency"]') as HTMLElement | null;
      if (el?.dataset.plotted === 'true') setPlotted(true);
      else frame = requestAnimationFrame(check);
    };
    frame = requestAnimationFrame(check);
    return () => cancelAnimationFrame(frame);
  }, [ref, key]);
  return isPlotted;
}

/** Points above which error bars start off (SVG draws one path per bar); the switch turns them on. */
const ERROR_BAR_POINTS = 2000;

/** The user's choices; `showErrors: null` means automatic (on for files up to ERROR_BAR_POINTS). */
export type ReviewPlotOptions = Omit<PlotOptions, 'showErrors'> & { showErrors: boolean | null };

export interface ReviewPlotsProps {
  plot: OiPlotData;
  options: ReviewPlotOptions;
  onOptions(options: ReviewPlotOptions): void;
  showSpectro: boolean | null;
  onShowSpectro(show: boolean): void;
}

export function ReviewPlots({ plot, options, onOptions, showSpectro, onShowSpectro }: ReviewPlotsProps) {
  const { mode } = useThemeMode();
  const counts = useMemo(() => flaggedCounts(plot), [plot]);
  const palette = useMemo(() => {
    const c = plotColors(mode);
    return { series: c.series, flagged: mode === 'night' ? '#5a2020' : '#6c6f75' };
  }, [mode]);
  const containerRef = useRef<HTMLDivElement>(null);
  const isMainPlotted = useMainPlotted(containerRef, plot);
  const effective = useMemo<PlotOptions>(
    () => ({ ...options, showErrors: options.showErrors ?? counts.total <= ERROR_BAR_POINTS }),
    [options, counts.total],
  );
  const freq = useMemo(() => stackedFigure(plot, 'frequency', effective, palette), [plot, effective, palette]);
  const uv = useMemo(() => uvFigure(plot, effective, palette), [plot, effective, palette]);
  const isSpectro = showSpectro ?? plot.nwaveMax > SPECTRO_CHANNELS;
  const wave = useMemo(() => (isSpectro ? stackedFigure(plot, 'wavelength', effective, palette) : null), [plot, effective, palette, isSpectro]);

  if (plot.series.length === 0) {
    return <Text c="dimmed" size="sm" data-testid="review-no-data">No V², |V| or closure phase to plot in this file.</Text>;
  }
  return (
    <Stack gap={6} style={{ minWidth: 0 }} ref={containerRef}>
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
        <Switch size="xs" label="Error bars" checked={effective.showErrors} onChange={(e) => onOptions({ ...options, showErrors: e.currentTarget.checked })} data-testid="review-errors" />
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
          {isMainPlotted && <Plot label="review-uv" data={uv.data} layout={uv.layout} height={430} />}
        </div>
      </Group>
      {wave && isMainPlotted && <Plot label="review-wavelength" data={wave.data} layout={wave.layout} height={380} />}
    </Stack>
  );
}
