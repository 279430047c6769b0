/**
 * The night in one plot: elevation curves of the planned stars (top), the block timeline coloured
 * by final priority (bottom lane), twilight bands, the re-plan start and the now line. UT below,
 * local time on the top axis.
 */
import { useCallback, useMemo } from 'react';
import type { PlanView } from '../../../../shared/planner/api-types';
import { Plot } from '../../components/Plot';
import { useThemeMode } from '../../app/theme-mode';
import { priorityColor, priorityDash, STATUS_MARK } from '../../theme';
import { localHhmm, plotTime } from './format';

const CAL_COLOR = { dark: '#868e96', night: '#5a1c1c' };

/**
 * Blocks keep their meaning in the red theme, where every hue is one red: the priority is also in
 * the outline (P1 thick, P2 thin, P3 dashed, P4 dotted) and the fill's lightness, the outcome in a
 * mark on the block (✓ done, ✗ failed, – skipped) and its fading.
 */
export function TimelinePlot({ plan, selectedId, nextId, onSelect }: { plan: PlanView; selectedId: string | null; nextId: string | null; onSelect(id: string): void }) {
  const { mode } = useThemeMode();
  const { traces, layout } = useMemo(() => {
    const e = plan.events;
    const t0 = e.sunsetUtc ?? plan.windowStartUtc;
    const t1 = e.sunriseUtc ?? plan.windowEndUtc;
    const band = (from: string | null, to: string | null, opacity: number) =>
      from && to ? [{ type: 'rect', xref: 'x', yref: 'paper', x0: plotTime(from), x1: plotTime(to), y0: 0, y1: 1, fillcolor: 'gray', opacity, line: { width: 0 }, layer: 'below' }] : [];
    const nowMs = Date.now();
    const isNow = nowMs > Date.parse(t0) && nowMs < Date.parse(t1);
    const lane = (b: PlanView['blocks'][number]) => {
      const color = b.kind === 'CAL' ? CAL_COLOR[mode] : priorityColor(b.finalPriority, mode);
      const dim = b.status === 'planned' ? 0.9 : b.status === 'done' ? 0.45 : 0.2;
      const outline = b.kind === 'SCI' ? priorityDash(b.finalPriority) : { dash: 'dot', width: 0.5 };
      const lineColor = b.id === selectedId ? '#fab005' : b.violations.length ? '#fa5252' : mode === 'night' ? '#ff9090' : '#e9ecef';
      return {
        type: 'rect',
        xref: 'x',
        yref: 'y2',
        x0: plotTime(b.startUtc),
        x1: plotTime(b.endUtc),
        y0: b.kind === 'SCI' ? 0 : 0.2,
        y1: b.kind === 'SCI' ? 1 : 0.8,
        fillcolor: color,
        opacity: dim,
        line: { width: b.id === selectedId ? 3 : b.violations.length ? 2 : outline.width, dash: b.id === selectedId ? 'solid' : outline.dash, color: lineColor },
      };
    };
    const marks = plan.blocks
      .filter((b) => b.status !== 'planned' || b.id === nextId)
      .map((b) => ({
        xref: 'x',
        yref: 'y2',
        x: plotTime((Date.parse(b.startUtc) + Date.parse(b.endUtc)) / 2),
        y: 0.5,
        text: b.status === 'planned' ? '▶' : STATUS_MARK[b.status],
        showarrow: false,
        font: { size: 14, color: mode === 'night' ? '#ffb0b0' : '#f8f9fa' },
      }));
    const shapes = [
      ...band(t0, e.nauticalDuskUtc, 0.3),
      ...band(e.nauticalDuskUtc, e.astroDuskUtc, 0.15),
      ...band(e.astroDawnUtc, e.nauticalDawnUtc, 0.15),
      ...band(e.nauticalDawnUtc, t1, 0.3),
      ...plan.blocks.map(lane),
      { type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: plan.config.minElevationDeg, y1: plan.config.minElevationDeg, line: { dash: 'dot', width: 1, color: 'gray' } },
      { type: 'line', yref: 'paper', x0: plotTime(plan.fromUtc), x1: plotTime(plan.fromUtc), y0: 0, y1: 1, line: { dash: 'dash', width: 1, color: 'gray' } },
      ...(isNow ? [{ type: 'line', yref: 'paper', x0: plotTime(nowMs), x1: plotTime(nowMs), y0: 0, y1: 1, line: { width: 2, color: '#fab005' } }] : []),
    ];
    const planned = new Set(plan.blocks.filter((b) => b.kind === 'SCI').map((b) => b.name));
    const x = plan.curves.timesUtc.map(plotTime);
    const curves = plan.curves.series.map((s) => ({
      x,
      y: s.altDeg,
      type: 'scatter',
      mode: 'lines',
      name: s.name,
      line: { width: s.kind === 'SCI' ? 2 : 1, dash: s.kind === 'SCI' ? 'solid' : 'dot', color: s.kind === 'SCI' && planned.has(s.name) ? priorityColor(s.finalPriority, mode) : CAL_COLOR[mode] },
      hovertemplate: `${s.name}  %{x|%H:%M} UT  %{y:.0f}°<extra></extra>`,
    }));
    // Invisible points at block centres make the lane clickable.
    const clicks = {
      x: plan.blocks.map((b) => plotTime((Date.parse(b.startUtc) + Date.parse(b.endUtc)) / 2)),
      y: plan.blocks.map(() => 0.5),
      customdata: plan.blocks.map((b) => b.id),
      text: plan.blocks.map((b) => `${b.kind} ${b.name}<br>${b.startUtc.slice(11, 16)}–${b.endUtc.slice(11, 16)} UT · ${b.status}`),
      type: 'scatter',
      mode: 'markers',
      yaxis: 'y2',
      marker: { size: 14, opacity: 0 },
      hovertemplate: '%{text}<extra></extra>',
      showlegend: false,
    };
    const hours: string[] = [];
    for (let t = Math.ceil(Date.parse(t0) / 3_600_000) * 3_600_000; t <= Date.parse(t1); t += 3_600_000) hours.push(new Date(t).toISOString());
    return {
      traces: [...curves, clicks, { x: hours.map(plotTime), y: hours.map(() => null), xaxis: 'x2', type: 'scatter', showlegend: false, hoverinfo: 'skip' }],
      layout: {
        showlegend: plan.curves.series.length <= 16,
        legend: { orientation: 'v', x: 1.01, y: 1, font: { size: 10 } },
        xaxis: { type: 'date', title: { text: 'UT', standoff: 4 }, tickformat: '%H:%M', range: [plotTime(t0), plotTime(t1)], domain: [0, 1], anchor: 'y2' },
        xaxis2: { type: 'date', overlaying: 'x', side: 'top', tickvals: hours.map(plotTime), ticktext: hours.map(localHhmm), range: [plotTime(t0), plotTime(t1)], title: { text: 'local (PDT/PST)', standoff: 2 } },
        yaxis: { title: { text: 'elevation (°)' }, range: [0, 90], domain: [0.2, 1] },
        yaxis2: { domain: [0, 0.16], range: [0, 1], showticklabels: false, showgrid: false, zeroline: false, fixedrange: true },
        shapes,
        annotations: marks,
        margin: { l: 56, r: 8, t: 48, b: 40 },
      },
    };
  }, [plan, selectedId, nextId, mode]);
  const onClick = useCallback(
    (points: Array<Record<string, unknown>>) => {
      const id = points.find((p) => typeof p.customdata === 'string')?.customdata;
      if (typeof id === 'string') onSelect(id);
    },
    [onSelect],
  );
  return (
    <div data-testid="tonight-timeline">
      <Plot label="tonight timeline" data={traces} layout={layout} height={360} onClick={onClick} />
    </div>
  );
}
