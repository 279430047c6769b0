/**
 * The one plotly wrapper: loads plotly lazily (it is large and the Survey screen does not need
 * it), owns `Plotly.react` / `purge`, and applies the theme's colours to every layout.
 */
import { Center, Loader } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useThemeMode } from '../app/theme-mode';
import { plotColors } from '../theme';

type PlotlyModule = {
  react(el: HTMLElement, data: unknown[], layout: object, config?: object): Promise<unknown>;
  purge(el: HTMLElement): void;
  Plots: { resize(el: HTMLElement): void };
};

let plotlyPromise: Promise<PlotlyModule> | null = null;

/** Load plotly once for the whole app. */
export function loadPlotly(): Promise<PlotlyModule> {
  plotlyPromise ??= import('./plotly-bundle').then((m) => ((m as { default?: unknown }).default ?? m) as PlotlyModule);
  return plotlyPromise;
}

export interface PlotProps {
  data: object[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
  height?: number | string;
  /** Test hook and accessibility label. */
  label: string;
  /** Called on plotly click events with the clicked points. */
  onClick?(points: Array<Record<string, unknown>>): void;
}

export function Plot({ data, layout, config, height = 320, label, onClick }: PlotProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [isReady, setReady] = useState(false);
  const { mode } = useThemeMode();
  useEffect(() => {
    let isCancelled = false;
    const el = ref.current;
    if (!el) return;
    const colors = plotColors(mode);
    loadPlotly().then(async (Plotly) => {
      if (isCancelled) return;
      const axisDefaults = { gridcolor: colors.grid, zerolinecolor: colors.grid, linecolor: colors.grid, color: colors.text };
      const merged = {
        autosize: true,
        margin: { l: 56, r: 16, t: 28, b: 44 },
        paper_bgcolor: colors.background,
        plot_bgcolor: colors.background,
        font: { color: colors.text, size: 12 },
        colorway: colors.series,
        legend: { font: { color: colors.text } },
        ...layout,
        xaxis: { ...axisDefaults, ...(layout?.xaxis as object) },
        yaxis: { ...axisDefaults, ...(layout?.yaxis as object) },
        ...(layout?.yaxis2 ? { yaxis2: { ...axisDefaults, ...(layout.yaxis2 as object) } } : {}),
        ...(layout?.xaxis2 ? { xaxis2: { ...axisDefaults, ...(layout.xaxis2 as object) } } : {}),
      };
      await Plotly.react(el, data, merged, { displaylogo: false, responsive: true, ...config });
      if (onClick) {
        (el as unknown as { removeAllListeners?(e: string): void }).removeAllListeners?.('plotly_click');
        (el as unknown as { on(e: string, cb: (ev: { points: Array<Record<string, unknown>> }) => void): void }).on(
          'plotly_click',
          (ev) => onClick(ev.points),
        );
      }
      el.dataset.plotted = 'true';
      setReady(true);
    });
    return () => {
      isCancelled = true;
    };
  }, [data, layout, config, mode, onClick]);
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el && plotlyPromise) plotlyPromise.then((P) => P.purge(el));
    };
  }, []);
  return (
    <div style={{ position: 'relative', width: '100%', height }}>
      {!isReady && (
        <Center style={{ position: 'absolute', inset: 0 }}>
          <Loader size="sm" />
        </Center>
      )}
      <div ref={ref} aria-label={label} data-testid={`plot-${label}`} style={{ width: '100%', height: '100%' }} />
    </div>
  );
}
