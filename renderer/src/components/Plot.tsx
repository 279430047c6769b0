/**
 * The one plotly wrapper: loads plotly lazily (it is large and the Survey screen does not need
 * it), owns `Plotly.react` / `purge`, and applies the theme's colours to every layout.
 */
import { Center, Loader } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useThemeMode } from '../app/theme-mode';
import { plotColors } from '../theme';
import { canvasMarkerDraws, drawCanvasMarkers, watchCanvasMarkers, withCanvasMarkers } from './canvas-markers';

type PlotlyModule = {
  react(el: HTMLElement, data: unknown[], layout: object, config?: object): Promise<unknown>;
  purge(el: HTMLElement): void;
  Plots: { resize(el: HTMLElement): void };
  downloadImage(figure: { data: unknown[]; layout: object }, options: { format: 'png'; filename: string; width: number; height: number }): Promise<unknown>;
  Icons: { camera: unknown };
};

type PlotHandler = (ev: { points?: Array<Record<string, unknown>> } | undefined) => void;
type PlotEvents = { on(e: string, cb: PlotHandler): void; removeListener(e: string, cb: PlotHandler): void };

let webGl: boolean | null = null;

/** Renderer names of WebGL drawn on the CPU (Chromium's SwiftShader, Mesa's llvmpipe/softpipe). */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software/i;

/**
 * Whether this page has hardware WebGL (plotly's scattergl needs a context). WebGL drawn on the
 * CPU counts as none: there, creating scattergl's context alone took ~1 s and its draws were
 * slower than SVG for our point counts (headless Chromium, a remote desktop without a GPU).
 */
export function hasWebGl(): boolean {
  if (webGl === null) {
    try {
      const canvas = document.createElement('canvas');
      const gl = (canvas.getContext('webgl') ?? canvas.getContext('experimental-webgl')) as WebGLRenderingContext | null;
      if (!gl) {
        webGl = false;
      } else {
        const info = gl.getExtension('WEBGL_debug_renderer_info');
        const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
        webGl = !SOFTWARE_GL.test(renderer);
        // Free the probe's context: a page gets only a few, and scattergl needs its own.
        gl.getExtension('WEBGL_lose_context')?.loseContext();
      }
    } catch {
      webGl = false;
    }
  }
  return webGl;
}

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
  /** Called when the user selects points with the box or lasso tool (empty when the selection is cleared). */
  onSelected?(points: Array<Record<string, unknown>>): void;
}

export function Plot({ data, layout, config, height = 320, label, onClick, onSelected }: PlotProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [isReady, setReady] = useState(false);
  const { mode } = useThemeMode();
  /** The render in flight: an unmount waits for it before purging, or plotly works on a purged div. */
  const rendering = useRef<Promise<unknown>>(Promise.resolve());
  /** The figure's own traces (every marker) and the modebar button that exports them. */
  const exportedData = useRef<object[]>(data);
  const exportButton = useRef<object | null>(null);
  /** This component's plotly event handlers, by event name. */
  const handlers = useRef(new Map<string, PlotHandler>());
  useEffect(() => {
    let isCancelled = false;
    const el = ref.current;
    if (!el) return;
    const colors = plotColors(mode);
    const askedAtMs = performance.now();
    // Not plotted until this render is done (the Review screen draws its other plots after it).
    if (el.dataset.plotted === 'true') el.dataset.plotted = 'false';
    // One render at a time per div: plotly does not expect two `react` calls to overlap.
    rendering.current = rendering.current.catch(() => undefined).then(() => loadPlotly()).then(async (Plotly) => {
      if (isCancelled) return;
      const startedAtMs = performance.now();
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
      const drawsBefore = canvasMarkerDraws(el);
      const { data: traces, isCanvas } = withCanvasMarkers(data);
      // plotly's own PNG export would redraw the div's traces, which keep one marker each when the
      // canvas draws them: the camera button exports the figure with every marker instead. One
      // button object per plot (a new one at each render would be a config change, a full redraw).
      exportedData.current = data;
      exportButton.current ??= {
        name: 'Download plot as a PNG',
        icon: Plotly.Icons.camera,
        click: (gd: HTMLElement & { layout: object; _fullLayout: { width: number; height: number } }) =>
          void Plotly.downloadImage({ data: exportedData.current, layout: gd.layout }, { format: 'png', filename: label, width: gd._fullLayout.width, height: gd._fullLayout.height }),
      };
      const exportConfig = !isCanvas ? {} : { modeBarButtonsToRemove: ['toImage'], modeBarButtonsToAdd: [exportButton.current] };
      await Plotly.react(el, traces, merged, { displaylogo: false, responsive: true, ...exportConfig, ...config });
      // Large figures' markers are drawn on a canvas (canvas-markers.ts): by the redraw's
      // plotly_afterplot once the div is watched, else (first render, or a react that only
      // restyled) here.
      watchCanvasMarkers(el);
      if (canvasMarkerDraws(el) === drawsBefore) drawCanvasMarkers(el);
      // Where a plot's time goes (waiting for plotly or an earlier render, then drawing): read by
      // `npm run bench:oifits-ui` and visible in any performance profile.
      performance.measure(`plot:${label}:wait`, { start: askedAtMs, end: startedAtMs });
      performance.measure(`plot:${label}:react`, { start: startedAtMs });
      if (isCancelled) return;
      // Replace only this component's own handlers: the canvas markers listen to the same events.
      const events = el as unknown as PlotEvents;
      const listen = (name: string, handler: PlotHandler) => {
        const previous = handlers.current.get(name);
        if (previous) events.removeListener(name, previous);
        handlers.current.set(name, handler);
        events.on(name, handler);
      };
      if (onClick) listen('plotly_click', (ev) => onClick(ev?.points ?? []));
      if (onSelected) {
        listen('plotly_selected', (ev) => onSelected(ev?.points ?? []));
        listen('plotly_deselect', () => onSelected([]));
      }
      el.dataset.plotted = 'true';
      setReady(true);
    });
    return () => {
      isCancelled = true;
    };
  }, [data, layout, config, mode, onClick, onSelected]);
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el && plotlyPromise) {
        const P = plotlyPromise;
        void rendering.current.catch(() => undefined).then(() => P.then((p) => p.purge(el)));
      }
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
