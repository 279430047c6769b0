/**
 * ASPRO2-style detailed bars: one row per constraint (night, elevation, Moon, each telescope's
 * horizon, each baseline's delay line) and the resulting observable row; hovering a failed
 * sample names the failing constraint.
 */
import { useMemo } from 'react';
import type { TargetNight } from '../../../../shared/contract/astro';
import { Plot } from '../../components/Plot';
import { plotTime } from './night';

/** The reasons of sample k that belong to a row (a baseline row only shows its own delay line). */
function rowReason(data: TargetNight, label: string, kind: string, k: number): string {
  const reasons = data.reasons[k];
  const mine = reasons.filter((r) => {
    if (kind === 'baseline') return r.startsWith(`delay line ${label} `);
    if (kind === 'horizon') return r.startsWith(`${label.slice(8)} below`) || r.startsWith('target below');
    if (kind === 'night') return r.startsWith('Sun');
    if (kind === 'moon') return r.startsWith('Moon');
    return r.startsWith('elevation') || r.startsWith('target below');
  });
  return mine.join('<br>') || 'failing';
}

export function ObservabilityBars({ data }: { data: TargetNight }) {
  const { traces, layout, height } = useMemo(() => {
    const x = data.night.timesMjd.map(plotTime);
    const rows = [...data.rows].reverse();
    const labels = [...rows.map((r) => r.label), 'observable'];
    const z = [...rows.map((r) => r.ok), data.observable];
    const text = [
      ...rows.map((r) => r.ok.map((ok, k) => (ok ? `${r.label}: ok` : `${r.label}: ${rowReason(data, r.label, r.kind, k)}`))),
      data.observable.map((ok, k) => (ok ? 'observable' : data.reasons[k].join('<br>'))),
    ];
    return {
      height: 60 + labels.length * 18,
      traces: [
        {
          type: 'heatmap',
          x,
          y: labels,
          z,
          text,
          zmin: 0,
          zmax: 1,
          showscale: false,
          xgap: 0,
          ygap: 2,
          colorscale: [
            [0, 'rgba(160,160,160,0.15)'],
            [1, '#2f9e44'],
          ],
          hovertemplate: '%{x|%H:%M} UT<br>%{text}<extra></extra>',
        },
      ],
      layout: {
        xaxis: { type: 'date', tickformat: '%H:%M', title: { text: `UTC — PoPs ${data.pops || 'none'}${data.popsAuto ? ' (best)' : ''}` } },
        yaxis: { automargin: true, tickfont: { size: 11 } },
        margin: { l: 80, r: 16, t: 8, b: 40 },
      },
    };
  }, [data]);
  return <Plot label="observability-bars" data={traces} layout={layout} height={height} />;
}
