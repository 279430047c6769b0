/**
 * The app's partial plotly bundle: only the trace types the screens draw — scatter (SVG, in core),
 * scattergl (WebGL, for large point sets), bar (Tonight's observability bars) and heatmap — instead
 * of the full distribution (40+ trace types, maps, 3D). Built from plotly.js's own `lib/` modules,
 * the way plotly documents custom bundles.
 */
import './plotly-globals';
import Plotly from 'plotly.js/lib/core';
import bar from 'plotly.js/lib/bar';
import heatmap from 'plotly.js/lib/heatmap';
import scattergl from 'plotly.js/lib/scattergl';

(Plotly as unknown as { register(modules: unknown[]): void }).register([scattergl, bar, heatmap]);

export default Plotly;
