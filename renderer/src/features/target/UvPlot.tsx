/** uv coverage: spatial frequencies per baseline, mirrored, equal axes, optionally every channel. */
import { useMemo } from 'react';
import type { UvResult } from '../../../../shared/contract/astro';
import { Plot } from '../../components/Plot';

export function UvPlot({ data, allChannels }: { data: UvResult; allChannels: boolean }) {
  const { traces, layout } = useMemo(() => {
    const lambdas = allChannels ? data.channelsUm : [data.lambdaRefUm];
    const traces = data.tracks.map((t) => {
      const u: Array<number | null> = [];
      const v: Array<number | null> = [];
      for (const lambda of lambdas) {
        // Mλ = metres / µm.
        t.uM.forEach((uM, k) => {
          u.push(uM / lambda, -uM / lambda);
          v.push(t.vM[k] / lambda, -t.vM[k] / lambda);
        });
      }
      return { type: 'scatter', mode: 'markers', name: t.baseline, x: u, y: v, marker: { size: allChannels ? 3 : 5 }, hovertemplate: `${t.baseline}<br>u %{x:.1f} Mλ<br>v %{y:.1f} Mλ<extra></extra>` };
    });
    return {
      traces,
      layout: {
        showlegend: true,
        legend: { font: { size: 10 } },
        xaxis: { title: { text: 'u (Mλ)' }, autorange: 'reversed', zeroline: true },
        yaxis: { title: { text: 'v (Mλ)' }, scaleanchor: 'x', scaleratio: 1, zeroline: true },
        margin: { l: 56, r: 16, t: 16, b: 44 },
      },
    };
  }, [data, allChannels]);
  return <Plot label="uv" data={traces} layout={layout} height={420} />;
}
