/** Observable P1–P2 targets per 5° declination strip (NSS "BEST_DEC"), best strip highlighted. */
import { useMemo } from 'react';
import type { DecStrip } from '../../../../shared/planner/selection';
import { Plot } from '../../components/Plot';

export function DecStripChart({ strips, best, onPick }: { strips: DecStrip[]; best: DecStrip | null; onPick(strip: DecStrip): void }) {
  const shown = useMemo(() => strips.filter((s) => s.decMinDeg >= -35), [strips]);
  const data = useMemo(
    () => [
      {
        type: 'bar',
        x: shown.map((s) => s.decMinDeg + (s.decMaxDeg - s.decMinDeg) / 2),
        y: shown.map((s) => s.count),
        width: shown.map((s) => (s.decMaxDeg - s.decMinDeg) * 0.9),
        customdata: shown.map((s) => `${s.decMinDeg}…${s.decMaxDeg}°`),
        marker: { opacity: shown.map((s) => (best && s.decMinDeg === best.decMinDeg ? 1 : 0.45)) },
        hovertemplate: 'Dec %{customdata}: %{y} targets<extra></extra>',
      },
    ],
    [shown, best],
  );
  const layout = useMemo(
    () => ({ xaxis: { title: { text: 'Dec (°)' }, dtick: 10 }, yaxis: { title: { text: 'P1–P2 observable' } }, margin: { l: 48, r: 8, t: 8, b: 40 }, bargap: 0 }),
    [],
  );
  const onClick = useMemo(
    () => (points: Array<Record<string, unknown>>) => {
      const x = Number(points[0]?.x);
      const strip = shown.find((s) => x >= s.decMinDeg && x < s.decMaxDeg);
      if (strip) onPick(strip);
    },
    [shown, onPick],
  );
  return (
    <div data-testid="dec-strips">
      <Plot label="declination strips" data={data} layout={layout} height={200} onClick={onClick} />
    </div>
  );
}
