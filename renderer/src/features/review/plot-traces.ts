/**
 * Plotly traces and layouts of the Review screen, built from the JSON plot data of a file:
 * V² (or |V|) and closure phase against spatial frequency on a shared x axis, the same against
 * wavelength, and the uv plane with mirrored points on equal axes. Colours follow the baseline
 * (or triangle) label, or the wavelength; flagged points are hidden unless asked for, then grey.
 */
import type { OiPlotData, PlotSeries, UvTrack } from '../../../../shared/oifits/plot-data';

/** What the user chose to see. */
export interface PlotOptions {
  colorBy: 'baseline' | 'wavelength';
  showErrors: boolean;
  showFlagged: boolean;
}

/**
 * Colours from the theme. Traces are SVG `scatter`: `scattergl` failed to get a WebGL context in
 * headless Chromium (software GL), and a review tool must draw everywhere.
 */
export interface PlotPalette {
  series: string[];
  flagged: string;
}

type Trace = Record<string, unknown>;

const AMPLITUDE_TITLE = { vis2: 'V²', visamp: '|V|' } as const;

/** Point counts for the "N of M flagged" line. */
export function flaggedCounts(plot: OiPlotData): { flagged: number; total: number } {
  let flagged = 0;
  let total = 0;
  for (const s of plot.series) {
    for (const f of s.flagged) {
      total++;
      if (f) flagged++;
    }
  }
  return { flagged, total };
}

/** Stable colour per label: sorted labels index into the palette. */
function colourMap(labels: string[], palette: string[]): Map<string, string> {
  const sorted = [...new Set(labels)].sort();
  return new Map(sorted.map((l, i) => [l, palette[i % palette.length]]));
}

interface Points {
  x: (number | null)[];
  y: (number | null)[];
  err: (number | null)[];
  wave: (number | null)[];
  symbols: string[];
  text: string[];
}

const emptyPoints = (): Points => ({ x: [], y: [], err: [], wave: [], symbols: [], text: [] });

/** One symbol for the whole trace when every point has a valid error (cheaper to draw). */
function symbolOf(p: Points): string | string[] {
  return p.symbols.every((s) => s === 'circle') ? 'circle' : p.symbols;
}

/** Collect points of `series` into one bag; rows are separated by null so lines do not join rows. */
function collect(series: PlotSeries[], xOf: (s: PlotSeries, j: number) => number | null, wantFlagged: boolean, separateRows: boolean): Points {
  const p = emptyPoints();
  for (const s of series) {
    let any = false;
    for (let j = 0; j < s.y.length; j++) {
      if (s.flagged[j] !== wantFlagged) continue;
      const x = xOf(s, j);
      if (x === null || s.y[j] === null) continue;
      p.x.push(x);
      p.y.push(s.y[j]);
      p.err.push(s.err[j]);
      p.wave.push(s.waveUm[j]);
      // A missing or negative error gets another marker, as OIFitsExplorer does.
      p.symbols.push(s.err[j] === null ? 'triangle-up' : 'circle');
      p.text.push(`${s.label} · ${s.insname} · ${s.waveUm[j]?.toFixed(3)} µm`);
      any = true;
    }
    if (separateRows && any) {
      p.x.push(null);
      p.y.push(null);
      p.err.push(null);
      p.wave.push(null);
      p.symbols.push('circle');
      p.text.push('');
    }
  }
  return p;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k) ?? [];
    list.push(it);
    m.set(k, list);
  }
  return m;
}

/** Traces of one panel (amplitude or closure phase) against `x`. */
function panelTraces(
  series: PlotSeries[],
  axis: { x: string; y: string },
  xOf: (s: PlotSeries, j: number) => number | null,
  opts: PlotOptions,
  palette: PlotPalette,
  colours: Map<string, string>,
  asLines: boolean,
  showScale: boolean,
): Trace[] {
  const traces: Trace[] = [];
  const base = (p: Points): Trace => ({
    type: 'scatter',
    mode: asLines ? 'lines+markers' : 'markers',
    xaxis: axis.x,
    yaxis: axis.y,
    x: p.x,
    y: p.y,
    text: p.text,
    hovertemplate: '%{text}<br>x %{x:.3f}, y %{y:.3f}<extra></extra>',
    connectgaps: false,
    error_y: { type: 'data', array: p.err.map((e) => e ?? 0), visible: opts.showErrors, thickness: 1, width: 0 },
  });
  if (opts.colorBy === 'baseline') {
    for (const [label, group] of groupBy(series, (s) => s.label)) {
      const p = collect(group, xOf, false, asLines);
      if (p.x.length === 0) continue;
      const colour = colours.get(label) ?? palette.series[0];
      traces.push({
        ...base(p),
        name: label,
        legendgroup: label,
        showlegend: axis.y === 'y',
        marker: { color: colour, size: 5, symbol: symbolOf(p) },
        line: { color: colour, width: 1 },
        error_y: { ...(base(p).error_y as object), color: colour },
      });
    }
  } else {
    const p = collect(series, xOf, false, asLines);
    traces.push({
      ...base(p),
      name: 'by wavelength',
      showlegend: false,
      mode: 'markers',
      marker: {
        color: p.wave,
        colorscale: 'Portland',
        size: 5,
        symbol: symbolOf(p),
        showscale: showScale,
        colorbar: showScale ? { title: { text: 'λ µm' }, thickness: 10, len: 0.9 } : undefined,
      },
    });
  }
  if (opts.showFlagged) {
    const p = collect(series, xOf, true, false);
    if (p.x.length > 0) {
      traces.push({
        ...base(p),
        mode: 'markers',
        name: `flagged (${p.x.length})`,
        legendgroup: 'flagged',
        showlegend: axis.y === 'y',
        marker: { color: palette.flagged, size: 5, symbol: 'x' },
        error_y: { ...(base(p).error_y as object), color: palette.flagged },
      });
    }
  }
  return traces;
}

/** Figure of amplitude (top) and closure phase (bottom) sharing the x axis. */
export function stackedFigure(
  plot: OiPlotData,
  against: 'frequency' | 'wavelength',
  opts: PlotOptions,
  palette: PlotPalette,
): { data: Trace[]; layout: Record<string, unknown> } {
  const amplitude = plot.series.filter((s) => s.kind !== 't3phi');
  const phase = plot.series.filter((s) => s.kind === 't3phi');
  const colours = colourMap(plot.series.map((s) => s.label), palette.series);
  const xOf = against === 'frequency' ? (s: PlotSeries, j: number) => s.sfMl[j] : (s: PlotSeries, j: number) => s.waveUm[j];
  const asLines = against === 'wavelength';
  const data = [
    ...panelTraces(amplitude, { x: 'x', y: 'y' }, xOf, opts, palette, colours, asLines, true),
    ...panelTraces(phase, { x: 'x', y: 'y2' }, xOf, opts, palette, colours, asLines, false),
  ];
  const xTitle = against === 'frequency' ? 'spatial frequency B/λ (Mλ)' : 'wavelength (µm)';
  return {
    data,
    layout: {
      showlegend: opts.colorBy === 'baseline',
      legend: { orientation: 'v', x: 1.01, y: 1, font: { size: 10 } },
      margin: { l: 56, r: 8, t: 8, b: 44 },
      hovermode: 'closest',
      xaxis: { title: { text: xTitle }, anchor: 'y2', ...(against === 'frequency' ? { rangemode: 'tozero' } : {}) },
      yaxis: { title: { text: AMPLITUDE_TITLE[plot.amplitudeKind] }, domain: [0.53, 1] },
      yaxis2: { title: { text: 'closure phase (°)' }, domain: [0, 0.47], anchor: 'x' },
    },
  };
}

/** uv-plane figure: every point and its mirror (−u, −v), equal axes including the origin. */
export function uvFigure(plot: OiPlotData, opts: PlotOptions, palette: PlotPalette): { data: Trace[]; layout: Record<string, unknown> } {
  const colours = colourMap(plot.series.map((s) => s.label), palette.series);
  let extent = 0;
  const traces: Trace[] = [];
  const points = (tracks: UvTrack[], wantFlagged: boolean) => {
    const u: (number | null)[] = [];
    const v: (number | null)[] = [];
    const wave: (number | null)[] = [];
    for (const t of tracks) {
      for (let j = 0; j < t.uMl.length; j++) {
        if (t.flagged[j] !== wantFlagged || t.uMl[j] === null || t.vMl[j] === null) continue;
        const uj = t.uMl[j] as number;
        const vj = t.vMl[j] as number;
        u.push(uj, -uj);
        v.push(vj, -vj);
        wave.push(t.waveUm[j], t.waveUm[j]);
        extent = Math.max(extent, Math.abs(uj), Math.abs(vj));
      }
    }
    return { u, v, wave };
  };
  if (opts.colorBy === 'baseline') {
    for (const [label, tracks] of groupBy(plot.uv, (t) => t.label)) {
      const p = points(tracks, false);
      if (p.u.length === 0) continue;
      traces.push({ type: 'scatter', mode: 'markers', name: label, x: p.u, y: p.v, marker: { size: 4, color: colours.get(label) }, hovertemplate: `${label}<br>u %{x:.2f}, v %{y:.2f} Mλ<extra></extra>` });
    }
  } else {
    const p = points(plot.uv, false);
    traces.push({ type: 'scatter', mode: 'markers', name: 'uv', x: p.u, y: p.v, marker: { size: 4, color: p.wave, colorscale: 'Portland' } });
  }
  if (opts.showFlagged) {
    const p = points(plot.uv, true);
    if (p.u.length > 0) traces.push({ type: 'scatter', mode: 'markers', name: 'flagged', x: p.u, y: p.v, marker: { size: 4, color: palette.flagged, symbol: 'x' } });
  }
  const r = extent > 0 ? extent * 1.08 : 1;
  return {
    data: traces,
    layout: {
      showlegend: false,
      margin: { l: 48, r: 8, t: 8, b: 40 },
      xaxis: { title: { text: 'u (Mλ)' }, range: [-r, r], zeroline: true },
      yaxis: { title: { text: 'v (Mλ)' }, range: [-r, r], scaleanchor: 'x', scaleratio: 1, zeroline: true },
    },
  };
}
