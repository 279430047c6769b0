/** Elevation over the night with twilight bands, the minimum elevation and the now line. */
import { useMemo } from 'react';
import type { TargetNight } from '../../../../shared/contract/astro';
import { Plot } from '../../components/Plot';
import { plotTime } from './night';

export function ElevationPlot({ data, minElevationDeg, height = 260 }: { data: TargetNight; minElevationDeg: number; height?: number }) {
  const { traces, layout } = useMemo(() => {
    const x = data.night.timesMjd.map(plotTime);
    const good = data.altDeg.map((a, k) => (data.observable[k] ? a : null));
    const e = data.night.events;
    const band = (from: number | null, to: number | null, opacity: number) =>
      from !== null && to !== null ? [{ type: 'rect', xref: 'x', yref: 'paper', x0: plotTime(from), x1: plotTime(to), y0: 0, y1: 1, fillcolor: 'gray', opacity, line: { width: 0 }, layer: 'below' }] : [];
    const start = data.night.timesMjd[0];
    const end = data.night.timesMjd[data.night.timesMjd.length - 1];
    const nowMjd = Date.now() / 86_400_000 + 40587;
    const shapes = [
      ...band(start, e.sunsetMjd, 0.35),
      ...band(e.sunsetMjd, e.nauticalDuskMjd, 0.22),
      ...band(e.nauticalDuskMjd, e.astroDuskMjd, 0.1),
      ...band(e.astroDawnMjd, e.nauticalDawnMjd, 0.1),
      ...band(e.nauticalDawnMjd, e.sunriseMjd, 0.22),
      ...band(e.sunriseMjd, end, 0.35),
      { type: 'line', xref: 'paper', x0: 0, x1: 1, y0: minElevationDeg, y1: minElevationDeg, line: { dash: 'dot', width: 1, color: 'gray' } },
      { type: 'line', xref: 'paper', x0: 0, x1: 1, y0: 85, y1: 85, line: { dash: 'dot', width: 1, color: 'gray' } },
      ...(nowMjd > start && nowMjd < end ? [{ type: 'line', yref: 'paper', x0: plotTime(nowMjd), x1: plotTime(nowMjd), y0: 0, y1: 1, line: { width: 2, color: '#fab005' } }] : []),
    ];
    return {
      traces: [
        {
          x,
          y: data.altDeg,
          type: 'scatter',
          mode: 'lines',
          name: 'elevation',
          line: { width: 1, dash: 'dot' },
          customdata: data.reasons.map((r) => (r.length ? r.join('<br>') : 'observable')),
          hovertemplate: '%{x|%H:%M} UT  %{y:.1f}°<br>%{customdata}<extra></extra>',
        },
        { x, y: good, type: 'scatter', mode: 'lines', name: 'observable', line: { width: 3 }, hoverinfo: 'skip', connectgaps: false },
        { x, y: data.moonSepDeg.map((s, k) => (data.night.moonAltDeg[k] > 0 ? s : null)), type: 'scatter', mode: 'lines', name: 'Moon distance', line: { width: 1 }, yaxis: 'y', visible: 'legendonly' },
      ],
      layout: {
        showlegend: true,
        legend: { orientation: 'h', y: 1.12 },
        xaxis: { type: 'date', title: { text: 'UTC' }, tickformat: '%H:%M' },
        yaxis: { title: { text: 'elevation (°)' }, range: [0, 90] },
        shapes,
        margin: { l: 56, r: 16, t: 36, b: 40 },
      },
    };
  }, [data, minElevationDeg]);
  return <Plot label="elevation" data={traces} layout={layout} height={height} />;
}
