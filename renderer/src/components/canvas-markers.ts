/**
 * Markers of large SVG scatter figures drawn on one canvas instead of one SVG `<path>` per point.
 *
 * plotly's SVG scatter makes each marker its own element with its own transform and inline style
 * (set twice: draw, then style), and Chromium then styles, paints and layerises every one of them:
 * on this machine ~0.1 ms per point, 650 ms for SU Lyn's 8,946 points. WebGL (scattergl) would
 * avoid that only on a GPU; drawn on the CPU (SwiftShader) its contexts alone took ~1 s.
 *
 * So plotly keeps everything but the drawing of those markers: each eligible trace is given
 * `marker.maxdisplayed: 1`, so plotly still computes every point (calcdata: hover, click, box and
 * lasso selection with their customdata, legend, axes, autorange, shared zoom) but makes a single
 * SVG node for it (hidden by global.css), and this module draws all the trace's points on a canvas
 * laid between plotly's plot layer and its top layer (legend, hover labels), with plotly's own
 * symbol paths (`symbol_defs`), sizes, colours, open/dot variants, trace order, clipping to each
 * subplot and the dimming of unselected points. It redraws after every plotly redraw (react,
 * zoom, autoscale, legend toggles, resize), while an axis is dragged, and when a selection changes.
 */
import symbolDefs from 'plotly.js/src/components/drawing/symbol_defs';

/**
 * Points of eligible traces from which a figure's markers go on the canvas: below, SVG costs under
 * ~100 ms and the small plots of other screens stay as they were; zet Oph (1,428 points, the
 * e2e box-flagging file) is above, so box/lasso flagging is tested on the canvas path.
 */
export const CANVAS_MARKER_POINTS = 1000;

/** uid prefix of the traces drawn here; global.css hides plotly's one SVG node of each. */
const UID_PREFIX = 'spica-cm';
/** plotly's dimming of unselected points (Drawing's DESELECTDIM). */
const DESELECT_DIM = 0.2;
/** plotly's dot of `-dot` symbols (Drawing's DOTPATH). */
const DOT_PATH = 'M0,0.5L0.5,0L0,-0.5L-0.5,0Z';

type Trace = Record<string, unknown> & { type?: string; mode?: string; visible?: unknown; marker?: Record<string, unknown>; x?: unknown[] };

/** Whether plotly would draw this trace's markers as SVG paths that the canvas can draw the same. */
function isEligible(t: Trace): boolean {
  const m = t.marker;
  return (
    (t.type ?? 'scatter') === 'scatter' &&
    t.mode === 'markers' &&
    t.visible !== false &&
    m !== undefined &&
    typeof m.color === 'string' &&
    (m.size === undefined || typeof m.size === 'number') &&
    (m.opacity === undefined || typeof m.opacity === 'number') &&
    m.gradient === undefined &&
    m.angle === undefined
  );
}

/**
 * The figure's traces as plotly should get them: when the eligible traces hold at least
 * CANVAS_MARKER_POINTS points, those traces keep one SVG marker each (`maxdisplayed: 1`) and a uid
 * that marks them for the canvas; the data themselves are unchanged. Every other trace gets a uid
 * of its own too: plotly gives a trace without one the uid its index had in the previous figure,
 * which would hand the canvas's mark to a trace it does not draw.
 */
export function withCanvasMarkers(data: object[]): { data: object[]; isCanvas: boolean } {
  const traces = data as Trace[];
  const points = traces.reduce((n, t) => n + (isEligible(t) ? (t.x?.length ?? 0) : 0), 0);
  const isCanvas = points >= CANVAS_MARKER_POINTS;
  return {
    isCanvas,
    data: traces.map((t, i) => (isCanvas && isEligible(t) ? { ...t, uid: `${UID_PREFIX}${i}`, marker: { ...t.marker, maxdisplayed: 1 } } : t.uid === undefined ? { ...t, uid: `spica-svg${i}` } : t)),
  };
}

interface Axis {
  _offset: number;
  _length: number;
  c2p(v: unknown): number;
}

interface CalcPoint {
  x: unknown;
  y: unknown;
  i?: number;
  mx?: unknown;
  selected?: number;
}

interface FullTrace {
  uid: string;
  visible: unknown;
  opacity?: number;
  xaxis: string;
  yaxis: string;
  selectedpoints?: unknown;
  marker?: { color: string; size?: number; opacity?: number; symbol?: unknown; maxdisplayed?: number; line?: { color?: string; width?: number } };
  selected?: { marker?: { opacity?: number } };
  unselected?: { marker?: { opacity?: number } };
}

interface GraphDiv extends HTMLElement {
  calcdata?: Array<Array<CalcPoint & { trace: FullTrace }>>;
  _fullLayout?: Record<string, unknown> & { width: number; height: number; _paper?: { node(): Element | null } };
}

const SYMBOL_NAMES: string[] = [];
const NO_FILL = new Set<number>();
for (const [name, def] of Object.entries(symbolDefs)) {
  SYMBOL_NAMES[def.n] = name;
  if (def.noFill) NO_FILL.add(def.n);
}

/** plotly's symbol number (Drawing.symbolNumber): base + 100 when open, + 200 with a dot. */
function symbolNumber(v: unknown): number {
  if (typeof v === 'number') return v % 100 >= SYMBOL_NAMES.length || v >= 400 ? 0 : Math.floor(Math.max(v, 0));
  if (typeof v !== 'string') return 0;
  let base = 0;
  let name = v;
  if (name.indexOf('-open') > 0) {
    base = 100;
    name = name.replace('-open', '');
  }
  if (name.indexOf('-dot') > 0) {
    base += 200;
    name = name.replace('-dot', '');
  }
  const n = SYMBOL_NAMES.indexOf(name);
  return n < 0 ? 0 : n + base;
}

const paths = new Map<string, Path2D>();

/** plotly's marker path (Drawing's makePointPath) for a symbol number and radius, as a Path2D. */
function pointPath(n: number, r: number): Path2D {
  const key = `${n}:${r}`;
  let p = paths.get(key);
  if (!p) {
    const def = symbolDefs[SYMBOL_NAMES[n % 100]];
    p = new Path2D(def.f(r, 0, 0) + (n >= 200 ? DOT_PATH : ''));
    paths.set(key, p);
  }
  return p;
}

/** Draws per graph div, so a caller can tell whether plotly's own events drew already. */
const draws = new WeakMap<HTMLElement, number>();

/** How many times the canvas markers of `el` were drawn. */
export const canvasMarkerDraws = (el: HTMLElement): number => draws.get(el) ?? 0;

const axisOf = (layout: Record<string, unknown>, id: string, letter: 'x' | 'y') => layout[`${letter}axis${id.slice(1)}`] as Axis | undefined;

/**
 * Draw the canvas markers of a plotly graph div (a no-op, and the canvas removed, when it has
 * none). Reads plotly's calcdata and axes as they are now, so it follows zoom and drags.
 */
export function drawCanvasMarkers(el: HTMLElement): void {
  draws.set(el, (draws.get(el) ?? 0) + 1);
  const startMs = performance.now();
  const gd = el as GraphDiv;
  const layout = gd._fullLayout;
  const paper = layout?._paper?.node();
  let canvas = el.querySelector<HTMLCanvasElement>('canvas.spica-markers');
  const traces = (gd.calcdata ?? []).filter((cd) => cd[0]?.trace?.uid?.startsWith(UID_PREFIX) && cd[0].trace.marker?.maxdisplayed === 1);
  if (!layout || !paper || traces.length === 0) {
    canvas?.remove();
    return;
  }
  if (!canvas) {
    canvas = document.createElement('canvas');
    canvas.className = 'spica-markers';
    canvas.style.cssText = 'position:absolute;top:0;left:0;pointer-events:none';
  }
  // Above plotly's plot layer (grid, lines, error bars), below its top layer (legend, hover).
  if (canvas.previousElementSibling !== paper) paper.after(canvas);
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(layout.width);
  const h = Math.round(layout.height);
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  }
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.clearRect(0, 0, canvas.width, canvas.height);
  for (const cd of traces) {
    const t = cd[0].trace;
    if (t.visible !== true) continue;
    const xa = axisOf(layout, t.xaxis, 'x');
    const ya = axisOf(layout, t.yaxis, 'y');
    if (!xa || !ya) continue;
    const m = t.marker;
    if (!m) continue;
    const r = (m.size || 6) / 2;
    const lineWidth = m.line?.width ?? 0;
    const baseAlpha = (t.opacity ?? 1) * (m.opacity ?? 1);
    const hasSelection = Array.isArray(t.selectedpoints) || ArrayBuffer.isView(t.selectedpoints);
    const selectedAlpha = hasSelection ? (t.selected?.marker?.opacity ?? 1) * (t.opacity ?? 1) : baseAlpha;
    const unselectedAlpha = hasSelection ? (t.unselected?.marker?.opacity ?? DESELECT_DIM * (m.opacity ?? 1)) * (t.opacity ?? 1) : baseAlpha;
    const traceSymbol = symbolNumber(m.symbol);
    // One path per symbol and opacity, each marker added at its place, filled or outlined once:
    // a fill per point under a new transform cost ~6 µs a point here, this a fraction of it.
    const groups = new Map<string, { n: number; alpha: number; path: Path2D }>();
    const at = new DOMMatrix();
    let lastMx: unknown;
    let lastN = traceSymbol;
    for (const d of cd) {
      const px = xa.c2p(d.x);
      const py = ya.c2p(d.y);
      if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
      if (d.mx !== lastMx) {
        lastMx = d.mx;
        lastN = d.mx === undefined ? traceSymbol : symbolNumber(d.mx);
      }
      const alpha = hasSelection && !d.selected ? unselectedAlpha : selectedAlpha;
      const key = `${lastN}|${alpha}`;
      let group = groups.get(key);
      if (!group) {
        group = { n: lastN, alpha, path: new Path2D() };
        groups.set(key, group);
      }
      at.e = xa._offset + px;
      at.f = ya._offset + py;
      group.path.addPath(pointPath(lastN, r), at);
    }
    g.save();
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    // cliponaxis (plotly's default): a subplot's markers are cut at its edges.
    g.beginPath();
    g.rect(xa._offset, ya._offset, xa._length, ya._length);
    g.clip();
    for (const { n, alpha, path } of groups.values()) {
      g.globalAlpha = alpha;
      if (n % 200 >= 100) {
        // Open markers: no fill, outlined in the marker's colour (at least 1 px), as plotly does.
        g.strokeStyle = m.color;
        g.lineWidth = lineWidth || 1;
        g.stroke(path);
        continue;
      }
      g.fillStyle = m.color;
      if (!NO_FILL.has(n % 100)) g.fill(path);
      if (lineWidth > 0) {
        g.strokeStyle = m.line?.color ?? m.color;
        g.lineWidth = lineWidth;
        g.stroke(path);
      }
    }
    g.restore();
  }
  // Read by the profile of `npm run bench:oifits-ui` (test/bench/oifits-ui-profile.ts).
  performance.measure(`plot:${el.getAttribute('aria-label') ?? 'plot'}:canvas`, { start: startMs });
}

type PlotEvents = { on(e: string, cb: () => void): void };
const watched = new WeakSet<HTMLElement>();

/**
 * Keep a graph div's canvas markers in step with plotly: after each redraw (react, zoom,
 * autoscale, legend clicks, resize), during axis drags, and when a box/lasso selection changes
 * which points are dimmed. Call after the div's first `Plotly.react` (plotly adds `on` then).
 */
export function watchCanvasMarkers(el: HTMLElement): void {
  if (watched.has(el)) return;
  watched.add(el);
  const events = el as unknown as PlotEvents;
  const draw = () => drawCanvasMarkers(el);
  for (const e of ['plotly_afterplot', 'plotly_relayouting', 'plotly_selecting', 'plotly_selected', 'plotly_deselect']) events.on(e, draw);
}
