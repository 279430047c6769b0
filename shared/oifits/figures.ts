/**
 * Plotly figures of the Review screen, built from the JSON plot data of one or several files
 * (the multi-file view: several files of one target and night on one plot). Any x (spatial
 * frequency, baseline length, time, hour angle, wavelength) against any y quantities (V², |V|,
 * VISPHI, T3PHI, T3AMP, flux), one panel per quantity on a shared x axis so zoom is shared;
 * selection by target, INSNAME, array, night, baseline or triangle; errors as bars or bands;
 * flagged points hidden unless asked for (then grey crosses); a model or a fit overlaid.
 *
 * Encoding: each baseline/triangle (or file) gets a colour AND a marker shape AND a line dash, so
 * the plots stay readable in the red night theme where every colour is a red. Phases are never
 * joined across the ±180° wrap. Large figures switch to WebGL (scattergl) when the page has it,
 * and above what a screen can show, each trace keeps only the extremes of each x bin.
 */
import { isPhaseKind, type OiPlotData, type PlotSeries, type SeriesKind, type UvTrack } from './plot-data';

/** x quantities. */
export type XAxis = 'sf' | 'baseline' | 'mjd' | 'ha' | 'wave';

export const X_AXES: { value: XAxis; label: string }[] = [
  { value: 'sf', label: 'spatial frequency B/λ (Mλ)' },
  { value: 'baseline', label: 'projected baseline (m)' },
  { value: 'mjd', label: 'time (MJD)' },
  { value: 'ha', label: 'hour angle (h)' },
  { value: 'wave', label: 'wavelength (µm)' },
];

export const Y_LABELS: Record<SeriesKind, string> = {
  vis2: 'V²',
  visamp: '|V|',
  visphi: 'VISPHI (°)',
  t3phi: 'closure phase T3PHI (°)',
  t3amp: 'T3AMP',
  flux: 'flux',
};

/** What to show and how. */
export interface ViewOptions {
  x: XAxis;
  /** y quantities, one panel each, top to bottom. */
  panels: SeriesKind[];
  colorBy: 'baseline' | 'wavelength' | 'file';
  /** `auto`: bars up to ERROR_BAR_POINTS points, else off. */
  errors: 'bars' | 'bands' | 'off' | 'auto';
  showFlagged: boolean;
}

/** Selection by value; null = everything. */
export interface ViewFilter {
  targets: string[] | null;
  insnames: string[] | null;
  arrnames: string[] | null;
  nights: string[] | null;
  labels: string[] | null;
}

export const NO_FILTER: ViewFilter = { targets: null, insnames: null, arrnames: null, nights: null, labels: null };

/** One file of the view. */
export interface ViewFile {
  /** Key of the file (path or name). */
  key: string;
  name: string;
  night: string | null;
  plot: OiPlotData;
  /** Model prediction per series of `plot.series` (same order), when a model is overlaid. */
  model?: ((number | null)[] | null)[];
}

/** Colours and the night flag. */
export interface PlotPalette {
  series: string[];
  flagged: string;
  model: string;
  fit: string;
  selected: string;
  isNight: boolean;
}

/** A point picked on the plot: file, HDU, row, channel. */
export interface PickedPoint {
  file: string;
  hdu: number;
  row: number;
  channel: number;
}

type Trace = Record<string, unknown>;

/** Points above which error bars start off (SVG draws one path per bar). */
export const ERROR_BAR_POINTS = 2000;
/** Points above which the figure is drawn with WebGL when the page has it. */
export const GL_POINTS = 6000;
/** Points above which each trace keeps only its extremes per x bin. */
export const DECIMATE_POINTS = 40000;
const DECIMATE_BINS = 1200;

/** Marker shapes and dashes, by label index: the second and third channels of the encoding. */
const SYMBOLS = ['circle', 'square', 'diamond', 'triangle-up', 'triangle-down', 'cross', 'x', 'star', 'hexagon', 'pentagon', 'triangle-left', 'triangle-right', 'hourglass', 'bowtie', 'star-diamond', 'diamond-wide', 'square-x', 'circle-cross', 'star-square', 'asterisk'];
const DASHES = ['solid', 'dash', 'dot', 'dashdot', 'longdash', 'longdashdot'];

/** Style of one label: colour, shape, dash, stable across panels and files. */
export interface LabelStyle {
  color: string;
  symbol: string;
  dash: string;
}

/**
 * Styles of labels: baselines, triangles and telescopes each numbered among their own kind (so
 * the 20 triangles of a 6-telescope array get 20 different shapes), sorted by name; colours
 * cycle through the palette, shapes through SYMBOLS, dashes change once per cycle of shapes.
 */
export function labelStyles(labels: string[], palette: PlotPalette): Map<string, LabelStyle> {
  const byArity = new Map<number, string[]>();
  for (const l of new Set(labels)) {
    const arity = l.split('-').length;
    byArity.set(arity, [...(byArity.get(arity) ?? []), l]);
  }
  const out = new Map<string, LabelStyle>();
  for (const group of byArity.values()) {
    group.sort().forEach((l, i) =>
      out.set(l, {
        color: palette.series[i % palette.series.length],
        symbol: SYMBOLS[i % SYMBOLS.length],
        dash: DASHES[(i + Math.floor(i / SYMBOLS.length)) % DASHES.length],
      }),
    );
  }
  return out;
}

/** The night of a file: its folder night, else the date of its first MJD. */
function nightOf(file: ViewFile): string | null {
  if (file.night) return file.night;
  const mjd = file.plot.series.find((s) => s.mjd !== null)?.mjd;
  if (mjd === undefined || mjd === null) return null;
  return new Date((mjd - 40587) * 86400000).toISOString().slice(0, 10);
}

/** Whether a series passes the filter. */
export function keepSeries(s: PlotSeries, night: string | null, f: ViewFilter): boolean {
  return (
    (!f.targets || f.targets.includes(s.target)) &&
    (!f.insnames || f.insnames.includes(s.insname)) &&
    (!f.arrnames || f.arrnames.includes(s.arrname ?? '')) &&
    (!f.nights || f.nights.includes(night ?? '')) &&
    (!f.labels || f.labels.includes(s.label))
  );
}

/** The choices a filter can offer for a set of files. */
export function filterChoices(files: ViewFile[]): { targets: string[]; insnames: string[]; arrnames: string[]; nights: string[]; labels: string[] } {
  const sets = { targets: new Set<string>(), insnames: new Set<string>(), arrnames: new Set<string>(), nights: new Set<string>(), labels: new Set<string>() };
  for (const f of files) {
    const night = nightOf(f);
    if (night) sets.nights.add(night);
    for (const s of f.plot.series) {
      sets.targets.add(s.target);
      sets.insnames.add(s.insname);
      if (s.arrname) sets.arrnames.add(s.arrname);
      sets.labels.add(s.label);
    }
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { targets: sorted(sets.targets), insnames: sorted(sets.insnames), arrnames: sorted(sets.arrnames), nights: sorted(sets.nights), labels: sorted(sets.labels) };
}

/**
 * The default target of a multi-target file: the one with the most points (bigtest2 holds α Ori,
 * α Tau and IRC +10216; mixing them on one plot means nothing).
 */
export function defaultTargets(files: ViewFile[]): string[] | null {
  const counts = new Map<string, number>();
  for (const f of files) for (const s of f.plot.series) counts.set(s.target, (counts.get(s.target) ?? 0) + s.y.length);
  if (counts.size <= 1) return null;
  return [[...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]];
}

function xOf(s: PlotSeries, j: number, x: XAxis): number | null {
  switch (x) {
    case 'sf': return s.sfMl[j];
    case 'baseline': return s.baselineM;
    case 'mjd': return s.mjd;
    case 'ha': return s.haH;
    case 'wave': return s.waveUm[j];
  }
}

/** Point counts for the "N of M flagged" line of the plotted quantities. */
export function flaggedCounts(plot: OiPlotData, kinds?: SeriesKind[]): { flagged: number; total: number; tables: string } {
  let flagged = 0;
  let total = 0;
  const tables = new Set<string>();
  for (const s of plot.series) {
    if (kinds && !kinds.includes(s.kind)) continue;
    tables.add(s.kind === 'vis2' ? 'OI_VIS2' : s.kind === 'visamp' || s.kind === 'visphi' ? 'OI_VIS' : s.kind === 'flux' ? 'OI_FLUX' : 'OI_T3');
    for (const f of s.flagged) {
      total++;
      if (f) flagged++;
    }
  }
  return { flagged, total, tables: [...tables].sort().join(' + ') };
}

interface Bag {
  x: (number | null)[];
  y: (number | null)[];
  err: (number | null)[];
  wave: (number | null)[];
  symbols: string[];
  text: string[];
  custom: (PickedPoint | null)[];
}

/** One symbol for the whole trace when every point has the same (plotly draws that much faster). */
function symbolOf(b: Bag): string | string[] {
  const first = b.symbols.find((_, i) => b.x[i] !== null);
  return b.symbols.every((x, i) => b.x[i] === null || x === first) ? (first ?? 'circle') : b.symbols;
}

const newBag = (): Bag => ({ x: [], y: [], err: [], wave: [], symbols: [], text: [], custom: [] });

function push(b: Bag, x: number | null, y: number | null, err: number | null, wave: number | null, symbol: string, text: string, custom: PickedPoint | null): void {
  b.x.push(x);
  b.y.push(y);
  b.err.push(err);
  b.wave.push(wave);
  b.symbols.push(symbol);
  b.text.push(text);
  b.custom.push(custom);
}

/** A row of a file with its style key. */
interface Row {
  file: ViewFile;
  s: PlotSeries;
  model: (number | null)[] | null;
}

/** Keep the lowest and highest y of each x bin (in point order), so outliers survive decimation. */
export function decimate(b: Bag, bins = DECIMATE_BINS): Bag {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of b.x) if (x !== null) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!(hi > lo)) return b;
  const minAt = new Int32Array(bins).fill(-1);
  const maxAt = new Int32Array(bins).fill(-1);
  for (let i = 0; i < b.x.length; i++) {
    const x = b.x[i];
    const y = b.y[i];
    if (x === null || y === null) continue;
    const k = Math.min(bins - 1, Math.floor(((x - lo) / (hi - lo)) * bins));
    if (minAt[k] < 0 || y < (b.y[minAt[k]] as number)) minAt[k] = i;
    if (maxAt[k] < 0 || y > (b.y[maxAt[k]] as number)) maxAt[k] = i;
  }
  const keep = new Set<number>();
  for (let k = 0; k < bins; k++) {
    if (minAt[k] >= 0) keep.add(minAt[k]);
    if (maxAt[k] >= 0) keep.add(maxAt[k]);
  }
  const out = newBag();
  for (const i of [...keep].sort((a, c) => a - c)) push(out, b.x[i], b.y[i], b.err[i], b.wave[i], b.symbols[i], b.text[i], b.custom[i]);
  return out;
}

/** Everything a figure needs besides the data. */
export interface FigureContext {
  options: ViewOptions;
  filter: ViewFilter;
  palette: PlotPalette;
  /** Whether WebGL works in this page (scattergl above GL_POINTS). */
  hasWebGl: boolean;
  /** Points picked for flagging, keyed `file|hdu|row|channel`. */
  picked?: Set<string>;
  /** A fitted diameter to draw as a curve on the V² panel against spatial frequency. */
  fitCurve?: { label: string; vis2AtSfMl: (sfMl: number) => number } | null;
}

export const pickedKey = (p: PickedPoint): string => `${p.file}|${p.hdu}|${p.row}|${p.channel}`;

/** What `mainFigure` returns. */
export interface Figure {
  data: Trace[];
  layout: Record<string, unknown>;
  /** Unflagged points drawn, and how many there were before decimation (equal unless decimated). */
  shown: number;
  total: number;
  isGl: boolean;
}

/** The main figure: one panel per y quantity, shared x. */
export function mainFigure(files: ViewFile[], ctx: FigureContext): Figure {
  const { options: o, palette } = ctx;
  const rows: Row[] = [];
  for (const file of files) {
    const night = nightOf(file);
    file.plot.series.forEach((s, i) => {
      if (o.panels.includes(s.kind) && keepSeries(s, night, ctx.filter)) rows.push({ file, s, model: file.model?.[i] ?? null });
    });
  }
  const total = rows.reduce((n, r) => n + r.s.y.length, 0);
  const isGl = ctx.hasWebGl && total > GL_POINTS;
  const errors = o.errors === 'auto' ? (total <= ERROR_BAR_POINTS ? 'bars' : 'off') : o.errors;
  const isMulti = files.length > 1;
  const styleKey = (r: Row) => (o.colorBy === 'file' ? r.file.name : r.s.label);
  const styles = labelStyles(rows.map(styleKey), palette);
  const asLines = o.x === 'wave';
  const data: Trace[] = [];
  let shown = 0;
  let beforeDecimation = 0;
  const inLegend = new Set<string>();
  const n = o.panels.length;
  const gap = 0.06;
  const height = (1 - gap * (n - 1)) / n;
  const layout: Record<string, unknown> = {
    showlegend: o.colorBy !== 'wavelength',
    legend: { orientation: 'v', x: 1.01, y: 1, font: { size: 10 } },
    margin: { l: 60, r: 8, t: 8, b: 44 },
    hovermode: 'closest',
    dragmode: 'zoom',
    uirevision: `${files.map((f) => f.key).join(',')}|${o.x}|${o.panels.join(',')}`,
  };
  o.panels.forEach((kind, p) => {
    const yName = p === 0 ? 'y' : `y${p + 1}`;
    const axisKey = p === 0 ? 'yaxis' : `yaxis${p + 1}`;
    const top = 1 - p * (height + gap);
    layout[axisKey] = {
      title: { text: Y_LABELS[kind] },
      domain: [Math.max(0, top - height), top],
      anchor: 'x',
      ...(isPhaseKind(kind) ? { range: [-190, 190], tickvals: [-180, -90, 0, 90, 180] } : {}),
    };
    const panelRows = rows.filter((r) => r.s.kind === kind);
    // Phases wrap at ±180°: a line between two channels of a row would cross the plot, so phases
    // are drawn as markers in every view (amplitudes get lines against wavelength).
    const rowLines = asLines && !isPhaseKind(kind);
    const groups = new Map<string, Row[]>();
    for (const r of panelRows) {
      const k = o.colorBy === 'wavelength' ? 'λ' : styleKey(r);
      const list = groups.get(k) ?? [];
      list.push(r);
      groups.set(k, list);
    }
    for (const [key, group] of groups) {
      const style = styles.get(key) ?? { color: palette.series[0], symbol: 'circle', dash: 'solid' };
      let good = newBag();
      const flagged = newBag();
      const band = newBag();
      for (const r of group) {
        let anyInRow = false;
        const bandUpper: Array<[number, number]> = [];
        const bandLower: Array<[number, number]> = [];
        // Per row, not per point: the hover text's constant part, and whether any point is picked.
        const rowText = `${isMulti ? `${r.file.name} · ` : ''}${r.s.target} · ${r.s.label} · ${r.s.insname} · `;
        const hasPicked = (ctx.picked?.size ?? 0) > 0;
        for (let j = 0; j < r.s.y.length; j++) {
          const x = xOf(r.s, j, o.x);
          const y = r.s.y[j];
          if (x === null || y === null) continue;
          const custom: PickedPoint = { file: r.file.key, hdu: r.s.hdu, row: r.s.row, channel: j };
          const isPicked = hasPicked && (ctx.picked?.has(pickedKey(custom)) ?? false);
          const text = `${rowText}${r.s.waveUm[j]?.toFixed(4)} µm`;
          if (r.s.flagged[j]) {
            if (o.showFlagged) push(flagged, x, y, r.s.err[j], r.s.waveUm[j], 'x', `${text} (flagged)`, custom);
            continue;
          }
          const symbol = r.s.err[j] === null ? `${style.symbol}-open` : style.symbol;
          push(good, x, y, r.s.err[j], r.s.waveUm[j], isPicked ? `${style.symbol}-dot` : symbol, text, custom);
          const e = r.s.err[j];
          if (e !== null) {
            bandUpper.push([x, y + e]);
            bandLower.push([x, y - e]);
          }
          anyInRow = true;
        }
        if (rowLines && anyInRow) push(good, null, null, null, null, style.symbol, '', null);
        if (errors === 'bands' && bandUpper.length > 1 && (o.x === 'wave' || o.x === 'sf')) {
          for (const [x, y] of bandUpper) push(band, x, y, null, null, '', '', null);
          for (const [x, y] of bandLower.reverse()) push(band, x, y, null, null, '', '', null);
          push(band, null, null, null, null, '', '', null);
        }
      }
      beforeDecimation += good.x.filter((x) => x !== null).length;
      if (total > DECIMATE_POINTS && !rowLines) good = decimate(good);
      shown += good.x.filter((x) => x !== null).length;
      const type = isGl ? 'scattergl' : 'scatter';
      const showBars = errors === 'bars' || (errors === 'bands' && !(o.x === 'wave' || o.x === 'sf'));
      if (band.x.length > 0) {
        data.push({
          type: 'scatter', mode: 'lines', xaxis: 'x', yaxis: yName, x: band.x, y: band.y, fill: 'toself', hoverinfo: 'skip',
          line: { width: 0 }, fillcolor: style.color, opacity: 0.18, showlegend: false, legendgroup: key, name: `${key} ±σ`,
        });
      }
      if (good.x.length > 0) {
        data.push({
          type,
          mode: rowLines ? 'lines+markers' : 'markers',
          xaxis: 'x',
          yaxis: yName,
          x: good.x,
          y: good.y,
          text: good.text,
          customdata: good.custom,
          hovertemplate: '%{text}<br>x %{x:.4g}, y %{y:.4g}<extra></extra>',
          connectgaps: false,
          name: key,
          legendgroup: key,
          // Each baseline/triangle once in the legend, in the first panel it appears in.
          showlegend: o.colorBy !== 'wavelength' && !inLegend.has(key) && inLegend.add(key) !== undefined,
          marker:
            o.colorBy === 'wavelength'
              ? { color: good.wave, colorscale: palette.isNight ? [[0, '#401010'], [1, '#ff7070']] : 'Portland', size: 5, symbol: symbolOf(good), showscale: p === 0, colorbar: p === 0 ? { title: { text: 'λ µm' }, thickness: 10, len: 0.9 } : undefined }
              : // No outline: it was the marker's own colour, and cost SVG two more style properties per point.
                { color: style.color, size: 7, symbol: symbolOf(good) },
          line: { color: style.color, width: 1, dash: style.dash },
          error_y: { type: 'data', array: good.err.map((e) => e ?? 0), visible: showBars, thickness: 1, width: 0, color: style.color },
        });
      }
      if (flagged.x.length > 0) {
        data.push({
          type, mode: 'markers', xaxis: 'x', yaxis: yName, x: flagged.x, y: flagged.y, text: flagged.text, customdata: flagged.custom,
          hovertemplate: '%{text}<br>x %{x:.4g}, y %{y:.4g}<extra></extra>', name: 'flagged', legendgroup: 'flagged', showlegend: false,
          marker: { color: palette.flagged, size: 5, symbol: 'x' },
        });
      }
    }
    // The model's prediction at the file's own (u, v, λ): short horizontal ticks over each point.
    const modelBag = newBag();
    for (const r of panelRows) {
      if (!r.model) continue;
      for (let j = 0; j < r.model.length; j++) {
        const x = xOf(r.s, j, o.x);
        const y = r.model[j];
        if (x === null || y === null || (r.s.flagged[j] && !o.showFlagged)) continue;
        push(modelBag, x, y, null, null, 'line-ew', `model · ${r.s.label} · ${r.s.waveUm[j]?.toFixed(4)} µm`, null);
      }
    }
    if (modelBag.x.length > 0) {
      data.push({
        type: isGl ? 'scattergl' : 'scatter', mode: 'markers', xaxis: 'x', yaxis: yName, x: modelBag.x, y: modelBag.y, text: modelBag.text,
        hovertemplate: '%{text}<br>x %{x:.4g}, model %{y:.4g}<extra></extra>', name: 'model', legendgroup: 'model', showlegend: p === 0,
        // scattergl has no line-ew symbol; a wide hollow diamond reads as a tick there.
        marker: { color: palette.model, size: 9, symbol: isGl ? 'diamond-wide-open' : 'line-ew', line: { color: palette.model, width: 2 } },
      });
    }
    if (ctx.fitCurve && kind === 'vis2' && o.x === 'sf') {
      const sfMax = Math.max(0, ...panelRows.flatMap((r) => r.s.sfMl.filter((v): v is number => v !== null)));
      const xs = Array.from({ length: 200 }, (_, i) => (i / 199) * sfMax * 1.05);
      data.push({
        type: 'scatter', mode: 'lines', xaxis: 'x', yaxis: yName, x: xs, y: xs.map((v) => ctx.fitCurve?.vis2AtSfMl(v) ?? null),
        name: ctx.fitCurve.label, showlegend: p === 0, hoverinfo: 'skip', line: { color: palette.fit, width: 2, dash: 'dash' },
      });
    }
  });
  const xTitle = X_AXES.find((a) => a.value === o.x)?.label ?? o.x;
  layout.xaxis = { title: { text: xTitle }, anchor: n === 1 ? 'y' : `y${n}`, ...(o.x === 'sf' || o.x === 'baseline' ? { rangemode: 'tozero' } : {}) };
  return { data, layout, shown, total: beforeDecimation, isGl };
}

/**
 * uv-plane figure: every point and its mirror (−u, −v), equal axes including the origin; a
 * spectrally resolved row as its radial track (a line between its end channels), coloured by
 * wavelength as points.
 */
export function uvFigure(files: ViewFile[], ctx: FigureContext): { data: Trace[]; layout: Record<string, unknown> } {
  const { options: o, palette } = ctx;
  const tracks: Array<{ file: ViewFile; t: UvTrack }> = [];
  for (const file of files) {
    const night = nightOf(file);
    const allowed = new Set(file.plot.series.filter((s) => keepSeries(s, night, ctx.filter)).map((s) => `${s.hdu}:${s.row}`));
    const targetOk = (t: UvTrack) => (!ctx.filter.targets || ctx.filter.targets.includes(t.target)) && (!ctx.filter.labels || ctx.filter.labels.includes(t.label));
    for (const t of file.plot.uv) if (targetOk(t) && (allowed.size === 0 || allowed.has(`${t.hdu}:${t.row}`) || !file.plot.series.some((s) => s.hdu === t.hdu))) tracks.push({ file, t });
  }
  const key = (x: { file: ViewFile; t: UvTrack }) => (o.colorBy === 'file' ? x.file.name : x.t.label);
  const styles = labelStyles(tracks.map(key), palette);
  let extent = 0;
  const traces: Trace[] = [];
  const groups = new Map<string, UvTrack[]>();
  for (const x of tracks) {
    const k = o.colorBy === 'wavelength' ? 'λ' : key(x);
    const list = groups.get(k) ?? [];
    list.push(x.t);
    groups.set(k, list);
  }
  for (const [label, group] of groups) {
    const u: (number | null)[] = [];
    const v: (number | null)[] = [];
    const wave: (number | null)[] = [];
    // A row's channels lie on one radial line (u, v) / λ: a spectrally resolved row is drawn as
    // that line from its first to its last unflagged channel (broken at flagged ones), with a
    // marker at each end, instead of one marker per channel. It shows the same coverage with a
    // few SVG nodes per row where markers took one per channel (SU Lyn: 8,200 → ~600).
    const isTracks = o.colorBy !== 'wavelength' && group.some((t) => t.uMl.length > 1);
    const ends: { u: number[]; v: number[] } = { u: [], v: [] };
    for (const t of group) {
      for (const sign of isTracks ? [1, -1] : [1]) {
        let runStart = -1;
        for (let j = 0; j <= t.uMl.length; j++) {
          const isIn = j < t.uMl.length && !t.flagged[j] && t.uMl[j] !== null && t.vMl[j] !== null;
          if (isIn) {
            const uj = t.uMl[j] as number;
            const vj = t.vMl[j] as number;
            extent = Math.max(extent, Math.abs(uj), Math.abs(vj));
            if (!isTracks) {
              u.push(uj, -uj);
              v.push(vj, -vj);
              wave.push(t.waveUm[j], t.waveUm[j]);
            } else if (runStart < 0) runStart = j;
            continue;
          }
          if (!isTracks || runStart < 0) continue;
          const first = runStart;
          const last = j - 1;
          runStart = -1;
          for (const k of first === last ? [first] : [first, last]) {
            u.push(sign * (t.uMl[k] as number));
            v.push(sign * (t.vMl[k] as number));
            ends.u.push(sign * (t.uMl[k] as number));
            ends.v.push(sign * (t.vMl[k] as number));
          }
          u.push(null);
          v.push(null);
        }
      }
    }
    if (u.length === 0) continue;
    const style = styles.get(label) ?? { color: palette.series[0], symbol: 'circle', dash: 'solid' };
    if (isTracks) {
      traces.push({
        type: 'scatter',
        mode: 'lines',
        name: label,
        x: u,
        y: v,
        connectgaps: false,
        line: { color: style.color, width: 3 },
        hovertemplate: `${label}<br>u %{x:.2f}, v %{y:.2f} Mλ<extra></extra>`,
      });
      traces.push({
        type: 'scatter',
        mode: 'markers',
        name: label,
        x: ends.u,
        y: ends.v,
        marker: { size: 5, color: style.color, symbol: style.symbol },
        hovertemplate: `${label}<br>u %{x:.2f}, v %{y:.2f} Mλ<extra></extra>`,
      });
      continue;
    }
    traces.push({
      type: u.length > GL_POINTS && ctx.hasWebGl ? 'scattergl' : 'scatter',
      mode: 'markers',
      name: label,
      x: u,
      y: v,
      marker: o.colorBy === 'wavelength' ? { size: 4, color: wave, colorscale: palette.isNight ? [[0, '#401010'], [1, '#ff7070']] : 'Portland' } : { size: 5, color: style.color, symbol: style.symbol },
      hovertemplate: `${label}<br>u %{x:.2f}, v %{y:.2f} Mλ<extra></extra>`,
    });
  }
  const r = extent > 0 ? extent * 1.08 : 1;
  return {
    data: traces,
    layout: {
      showlegend: false,
      margin: { l: 48, r: 8, t: 8, b: 40 },
      xaxis: { title: { text: 'u (Mλ, East left)' }, range: [r, -r], zeroline: true },
      yaxis: { title: { text: 'v (Mλ)' }, range: [-r, r], scaleanchor: 'x', scaleratio: 1, zeroline: true },
    },
  };
}
