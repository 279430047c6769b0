/**
 * The app's partial plotly bundle: only the trace types the screens draw — scatter (SVG, in core),
 * scattergl (WebGL, for large point sets), bar (Tonight's observability bars) and heatmap — instead
 * of the full 6.7 MB distribution (40+ trace types, maps, 3D). Built from plotly.js's own `lib/`
 * modules, the way plotly documents custom bundles.
 */
import './plotly-globals';
// @ts-expect-error plotly.js ships its lib/ modules without types; the app uses its own narrow PlotlyModule type.
import Plotly from 'plotly.js/lib/core';
// @ts-expect-error see above
import scattergl from 'plotly.js/lib/scattergl';
// @ts-expect-error see above
import bar from 'plotly.js/lib/bar';
// @ts-expect-error see above
import heatmap from 'plotly.js/lib/heatmap';

(Plotly as { register(modules: unknown[]): void }).register([scattergl, bar, heatmap]);

export default Plotly;
