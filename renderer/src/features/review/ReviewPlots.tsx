/**
 * The plots of the open file (or of several files of one target and night): controls for the
 * axes, the selection and the display, the main figure (one panel per y quantity on a shared x,
 * so zoom is shared), the uv plane, and a per-wavelength figure for spectrally resolved files.
 * Points picked with the box or lasso tool are reported for flagging.
 */
import { Badge, Button, Chip, Group, MultiSelect, Popover, SegmentedControl, Select, Stack, Switch, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SeriesKind } from '../../../../shared/oifits/plot-data';
import { useThemeMode } from '../../app/theme-mode';
import { hasWebGl, Plot } from '../../components/Plot';
import { plotColors } from '../../theme';
import {
  filterChoices,
  mainFigure,
  uvFigure,
  X_AXES,
  Y_LABELS,
  type FigureContext,
  type PickedPoint,
  type PlotPalette,
  type ViewFile,
  type ViewFilter,
  type ViewOptions,
  type XAxis,
} from '../../../../shared/oifits/figures';

/** `make()`, recorded as a performance measure (read by `npm run bench:oifits-ui`). */
function timed<T>(name: string, make: () => T): T {
  const startMs = performance.now();
  const out = make();
  performance.measure(name, { start: startMs });
  return out;
}

/** Channel count above which the per-wavelength view is shown without asking (as PMOIRED does). */
const SPECTRO_CHANNELS = 10;

/**
 * True once the main plot inside `ref` has been drawn with `key` (the files shown) and painted,
 * and the page is idle. The uv and per-wavelength plots wait for it so the reviewer's first look
 * is not slowed by the other two. Compared by identity: a new `key` is "not plotted" from its very
 * first render on, so the secondary figures are not rebuilt for the new files in the same render
 * as the main one.
 */
function useMainPlotted(ref: React.RefObject<HTMLDivElement | null>, key: unknown): boolean {
  const [plottedKey, setPlottedKey] = useState<unknown>(null);
  useEffect(() => {
    let frame = 0;
    let cancelReveal = () => {};
    const check = () => {
      const el = ref.current?.querySelector('[data-testid="plot-review-frequency"]') as HTMLElement | null;
      if (el?.dataset.plotted !== 'true') {
        frame = requestAnimationFrame(check);
        return;
      }
      // This frame paints the main plot; the others start when the page is idle after it.
      const reveal = () => setPlottedKey(() => key);
      if (typeof requestIdleCallback === 'function') {
        const id = requestIdleCallback(reveal, { timeout: 500 });
        cancelReveal = () => cancelIdleCallback(id);
      } else {
        const id = window.setTimeout(reveal, 0);
        cancelReveal = () => clearTimeout(id);
      }
    };
    frame = requestAnimationFrame(check);
    return () => {
      cancelAnimationFrame(frame);
      cancelReveal();
    };
  }, [ref, key]);
  return plottedKey === key;
}

/**
 * `value` once `isReady`, else the value it had when last ready: the secondary plots keep their
 * figure (and stay mounted, so plotly updates them instead of drawing from scratch) until the main
 * plot of a new file is on screen, which then has the thread to itself.
 */
function useHeldUntil<T>(value: T, isReady: boolean): T | undefined {
  const [held, setHeld] = useState<T | undefined>(undefined);
  useEffect(() => {
    if (isReady) setHeld(() => value);
  }, [value, isReady]);
  return isReady ? value : held;
}

/** Plot colours of a theme mode for the review figures. */
export function reviewPalette(mode: 'dark' | 'night'): PlotPalette {
  const c = plotColors(mode);
  return mode === 'night'
    ? { series: c.series, flagged: '#5a2020', model: '#ffb0b0', fit: '#ff9090', selected: '#ffd0d0', isNight: true }
    : { series: c.series, flagged: '#6c6f75', model: '#f8f9fa', fit: '#fcc419', selected: '#ffffff', isNight: false };
}

export interface ReviewPlotsProps {
  files: ViewFile[];
  options: ViewOptions;
  onOptions(options: ViewOptions): void;
  filter: ViewFilter;
  onFilter(filter: ViewFilter): void;
  showSpectro: boolean | null;
  onShowSpectro(show: boolean): void;
  /** Quantities the files have (for the y menu). */
  available: SeriesKind[];
  picked: Set<string>;
  onPick(points: PickedPoint[]): void;
  fitCurve: FigureContext['fitCurve'];
  /** Height of the main figure (px), from the screen's layout. */
  mainHeight: number;
}

export function ReviewPlots({ files, options, onOptions, filter, onFilter, showSpectro, onShowSpectro, available, picked, onPick, fitCurve, mainHeight }: ReviewPlotsProps) {
  const { mode } = useThemeMode();
  const palette = useMemo(() => reviewPalette(mode), [mode]);
  const containerRef = useRef<HTMLDivElement>(null);
  const isMainPlotted = useMainPlotted(containerRef, files);
  const [dragMode, setDragMode] = useState<'zoom' | 'select' | 'lasso'>('zoom');
  const webGl = useMemo(() => hasWebGl(), []);
  const ctx: FigureContext = useMemo(() => ({ options, filter, palette, hasWebGl: webGl, picked, fitCurve }), [options, filter, palette, webGl, picked, fitCurve]);
  const main = useMemo(() => timed('review:figure', () => mainFigure(files, ctx)), [files, ctx]);
  const layout = useMemo(() => ({ ...main.layout, dragmode: dragMode }), [main.layout, dragMode]);
  const uv = useMemo(() => (isMainPlotted ? timed('review:uv-figure', () => uvFigure(files, ctx)) : null), [files, ctx, isMainPlotted]);
  const uvShown = useHeldUntil(uv, isMainPlotted);
  const nwaveMax = Math.max(0, ...files.map((f) => f.plot.nwaveMax));
  const isSpectro = (showSpectro ?? nwaveMax > SPECTRO_CHANNELS) && options.x !== 'wave';
  const wave = useMemo(() => (isMainPlotted && isSpectro ? mainFigure(files, { ...ctx, options: { ...options, x: 'wave' } }) : null), [files, ctx, options, isSpectro, isMainPlotted]);
  const waveShown = useHeldUntil(wave, isMainPlotted);
  // One layout object per figure and drag mode: a new object at each render would redraw the plot.
  const waveLayout = useMemo(() => (waveShown ? { ...waveShown.layout, dragmode: dragMode } : undefined), [waveShown, dragMode]);
  const choices = useMemo(() => filterChoices(files), [files]);
  const activeFilters = (Object.keys(filter) as (keyof ViewFilter)[]).flatMap((k) => {
    const v = filter[k];
    return v ? [v.length > 3 ? `${v.length} ${k}` : v.join(', ')] : [];
  });
  const onSelected = useCallback(
    (points: Array<Record<string, unknown>>) => onPick(points.map((p) => p.customdata as PickedPoint | null).filter((p): p is PickedPoint => !!p && typeof p === 'object')),
    [onPick],
  );

  if (files.every((f) => f.plot.series.length === 0)) {
    return <Text c="dimmed" size="sm" data-testid="review-no-data">No V², |V|, phase or flux to plot in this file.</Text>;
  }
  const multi = (label: string, key: keyof ViewFilter, data: string[], testId: string) =>
    data.length > 1 ? (
      <MultiSelect
        size="xs"
        label={label}
        placeholder="all"
        data={data}
        value={filter[key] ?? []}
        onChange={(v) => onFilter({ ...filter, [key]: v.length ? v : null })}
        clearable
        searchable
        maxDropdownHeight={260}
        comboboxProps={{ withinPortal: false }}
        data-testid={testId}
      />
    ) : null;
  return (
    // data-plots: every plot this view draws, the deferred ones included before they mount (the bench waits for all of them).
    <Stack gap={6} style={{ minWidth: 0 }} ref={containerRef} data-plots={['review-frequency', 'review-uv', ...(isSpectro ? ['review-wavelength'] : [])].join(' ')}>
      <Group gap="xs" wrap="wrap" align="center">
        <Select
          size="xs"
          aria-label="x axis"
          leftSection={<Text size="xs">x</Text>}
          data={X_AXES.map((a) => ({ value: a.value, label: a.label }))}
          value={options.x}
          onChange={(v) => v && onOptions({ ...options, x: v as XAxis })}
          allowDeselect={false}
          style={{ width: 215 }}
          data-testid="review-x-axis"
          comboboxProps={{ withinPortal: true }}
        />
        <Chip.Group multiple value={options.panels} onChange={(v) => v.length > 0 && onOptions({ ...options, panels: (['vis2', 'visamp', 'visphi', 't3phi', 't3amp', 'flux'] as SeriesKind[]).filter((k) => v.includes(k)) })}>
          {/* The label wraps with its chips (at 1280 px it was left alone at the end of the row). */}
          <Group gap={4} wrap="nowrap" data-testid="review-y-axes">
            <Text size="xs">y</Text>
            {available.map((k) => (
              <Chip key={k} value={k} size="xs" data-testid={`review-y-${k}`}>
                {Y_LABELS[k].replace(/ \(.*\)$/, '').replace('closure phase ', '')}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <Popover position="bottom-start" withinPortal shadow="md" trapFocus={false}>
          <Popover.Target>
            <Button size="compact-xs" variant="default" data-testid="review-filters">
              Select{activeFilters.length > 0 ? ':' : ' (all data)'}
              {activeFilters.map((f) => (
                <Badge key={f} size="xs" variant="light" ml={4} style={{ textTransform: 'none' }}>{f}</Badge>
              ))}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <Stack gap={6} w={300}>
              {multi('Target', 'targets', choices.targets, 'review-filter-target')}
              {multi('INSNAME', 'insnames', choices.insnames, 'review-filter-insname')}
              {multi('Array', 'arrnames', choices.arrnames, 'review-filter-array')}
              {multi('Night', 'nights', choices.nights, 'review-filter-night')}
              {multi('Baselines / triangles', 'labels', choices.labels, 'review-filter-labels')}
            </Stack>
          </Popover.Dropdown>
        </Popover>
      </Group>
      <Group gap="xs" wrap="wrap">
        <SegmentedControl
          size="xs"
          value={options.colorBy}
          onChange={(v) => onOptions({ ...options, colorBy: v as ViewOptions['colorBy'] })}
          data={[
            { value: 'baseline', label: 'By baseline' },
            { value: 'wavelength', label: 'wavelength' },
            ...(files.length > 1 ? [{ value: 'file', label: 'file' }] : []),
          ]}
          data-testid="review-colour-by"
        />
        <SegmentedControl
          size="xs"
          value={options.errors === 'auto' ? (main.total <= 2000 ? 'bars' : 'off') : options.errors}
          onChange={(v) => onOptions({ ...options, errors: v as ViewOptions['errors'] })}
          data={[
            { value: 'bars', label: 'Errors: bars' },
            { value: 'bands', label: 'bands' },
            { value: 'off', label: 'off' },
          ]}
          data-testid="review-errors"
        />
        <Switch size="xs" label="Flagged" title="Show flagged points (grey crosses)" checked={options.showFlagged} onChange={(e) => onOptions({ ...options, showFlagged: e.currentTarget.checked })} data-testid="review-flagged" />
        <Switch size="xs" label={`Per λ (${nwaveMax} ch)`} title="Add a figure against wavelength" checked={isSpectro} disabled={options.x === 'wave'} onChange={(e) => onShowSpectro(e.currentTarget.checked)} data-testid="review-spectro" />
        <SegmentedControl
          size="xs"
          value={dragMode}
          onChange={(v) => setDragMode(v as typeof dragMode)}
          data={[
            { value: 'zoom', label: 'Zoom' },
            { value: 'select', label: 'Box' },
            { value: 'lasso', label: 'Lasso' },
          ]}
          data-testid="review-drag-mode"
        />
        {(main.shown < main.total || main.isGl) && (
          <Text size="xs" c="dimmed" data-testid="review-decimated">
            {main.isGl ? 'WebGL' : 'SVG'}{main.shown < main.total ? `; ${main.shown} of ${main.total} points drawn (extremes per x bin)` : ''}
          </Text>
        )}
      </Group>
      <div className="review-plot-row">
        <div className="review-plot-main">
          <Plot label="review-frequency" data={main.data} layout={layout} height={mainHeight} onSelected={onSelected} />
        </div>
        <div className="review-plot-uv">{uvShown && <Plot label="review-uv" data={uvShown.data} layout={uvShown.layout} height={Math.min(mainHeight, 420)} />}</div>
      </div>
      {waveShown && <Plot label="review-wavelength" data={waveShown.data} layout={waveLayout} height={Math.max(300, Math.round(mainHeight * 0.85))} onSelected={onSelected} />}
    </Stack>
  );
}
