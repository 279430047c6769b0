/** Sky mini-map: the target at the centre, candidates by tier, rejected stars faint (east left). */
import type { CalibratorProposal } from '../../../../shared/calibrators/types';
import { Plot } from '../../components/Plot';

/** Offsets (deg) on the tangent plane: x = ΔRA·cos δ (east positive, drawn to the left), y = ΔDec. */
function offset(raDeg: number, decDeg: number, ra0: number, dec0: number): [number, number] {
  let dRa = raDeg - ra0;
  if (dRa > 180) dRa -= 360;
  if (dRa < -180) dRa += 360;
  return [dRa * Math.cos((dec0 * Math.PI) / 180), decDeg - dec0];
}

export function SkyMap({ proposal, height = 300 }: { proposal: CalibratorProposal; height?: number }) {
  const { raDeg, decDeg } = proposal.target;
  const cand = proposal.candidates.map((c) => offset(c.raDeg, c.decDeg, raDeg, decDeg));
  const rej = proposal.rejected.map((c) => offset(c.raDeg, c.decDeg, raDeg, decDeg));
  const r = proposal.provenance.searchedRadiusDeg;
  const circle = Array.from({ length: 73 }, (_, k) => [r * Math.cos((k * 5 * Math.PI) / 180), r * Math.sin((k * 5 * Math.PI) / 180)]);
  const data = [
    { type: 'scatter', mode: 'lines', x: circle.map((p) => p[0]), y: circle.map((p) => p[1]), line: { width: 1, dash: 'dot' }, name: `${r}°`, hoverinfo: 'skip' },
    { type: 'scatter', mode: 'markers', x: rej.map((p) => p[0]), y: rej.map((p) => p[1]), marker: { size: 5, opacity: 0.35, symbol: 'x' }, name: 'rejected', text: proposal.rejected.map((x) => `${x.name}: ${x.rule}`), hoverinfo: 'text' },
    {
      type: 'scatter', mode: 'markers+text', x: cand.map((p) => p[0]), y: cand.map((p) => p[1]), name: 'candidates',
      marker: { size: proposal.candidates.map((c) => (c.role === 'suggested' ? 11 : 7)), symbol: 'circle' },
      text: proposal.candidates.map((c) => String(c.rank)), textposition: 'top center',
      hovertext: proposal.candidates.map((c) => `#${c.rank} ${c.name} (${c.tier}) θUD ${c.udMas.toFixed(3)} mas`), hoverinfo: 'text',
    },
    { type: 'scatter', mode: 'markers', x: [0], y: [0], marker: { size: 16, symbol: 'star' }, name: proposal.target.name, hoverinfo: 'name' },
  ];
  return (
    <Plot
      label="calibrator sky map"
      height={height}
      data={data}
      layout={{
        showlegend: false,
        margin: { l: 44, r: 8, t: 8, b: 40 },
        xaxis: { title: { text: 'ΔRA cos δ (°, east left)' }, autorange: 'reversed', scaleanchor: 'y', zeroline: false },
        yaxis: { title: { text: 'ΔDec (°)' }, zeroline: false },
      }}
    />
  );
}
