/**
 * What the target's model predicts on the night's tracks: the uv coverage coloured by V², V² and
 * closure phase against spatial frequency, and per baseline whether V² falls between the bounds
 * (measurable and resolved). The bounds are a setting (`models.vis2Bounds`).
 */
import { Alert, Badge, Group, Loader, NumberInput, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { StationName } from '../../../../shared/astro/types';
import type { ModelPrediction } from '../../../../shared/contract/models';
import { api } from '../../api/client';
import { useApi } from '../../api/hooks';
import { useThemeMode } from '../../app/theme-mode';
import { Plot } from '../../components/Plot';
import { plotColors } from '../../theme';
import { sourceLabel } from './format';

export interface PredictionPanelProps {
  targetId: string;
  night: string;
  stations: StationName[];
  pops: string;
  minElevationDeg: number;
  twilightDeg: number;
  mode: string;
  allChannels: boolean;
}

const BOUNDS_KEY = 'models.vis2Bounds';

function colorscale(mode: 'dark' | 'night'): Array<[number, string]> | string {
  // Night: dim but visible red at V² = 0 (the background is near black), bright red at 1.
  return mode === 'night' ? [[0, '#5a1414'], [0.5, '#b03030'], [1, '#ff9090']] : 'Viridis';
}

/** Spatial frequency in Mλ of a (u, v) in metres at λ in µm. */
const mLambda = (uM: number, vM: number, lambdaUm: number) => Math.hypot(uM, vM) / lambdaUm;

function uvTraces(p: ModelPrediction, scale: Array<[number, string]> | string) {
  const u: number[] = [];
  const v: number[] = [];
  const c: number[] = [];
  const text: string[] = [];
  const L = p.lambdaUm.length;
  for (const b of p.baselines) {
    b.uM.forEach((uM, t) => {
      p.lambdaUm.forEach((lambda, l) => {
        const vis2 = b.vis2[t * L + l];
        for (const sign of [1, -1]) {
          u.push((sign * uM) / lambda);
          v.push((sign * b.vM[t]) / lambda);
          c.push(vis2);
          text.push(`${b.baseline} ${lambda.toFixed(3)} µm`);
        }
      });
    });
  }
  return [
    {
      type: 'scatter', mode: 'markers', x: u, y: v, text, name: 'V²',
      marker: { size: 5, color: c, cmin: 0, cmax: 1, colorscale: scale, colorbar: { title: { text: 'V²' }, thickness: 12 } },
      hovertemplate: '%{text}<br>u %{x:.1f} Mλ, v %{y:.1f} Mλ<br>V² %{marker.color:.3f}<extra></extra>',
    },
  ];
}

function vis2Traces(p: ModelPrediction) {
  const L = p.lambdaUm.length;
  return p.baselines.map((b) => {
    const x: number[] = [];
    const y: number[] = [];
    b.uM.forEach((uM, t) => p.lambdaUm.forEach((lambda, l) => {
      x.push(mLambda(uM, b.vM[t], lambda));
      y.push(b.vis2[t * L + l]);
    }));
    return { type: 'scatter', mode: 'markers', name: b.baseline, x, y, marker: { size: 4 }, hovertemplate: `${b.baseline}<br>%{x:.1f} Mλ<br>V² %{y:.4f}<extra></extra>` };
  });
}

function closureTraces(p: ModelPrediction) {
  const L = p.lambdaUm.length;
  const byName = new Map(p.baselines.map((b) => [b.baseline, b]));
  return p.triangles.map((tri) => {
    const x: number[] = [];
    const y: number[] = [];
    p.timesMjd.forEach((_, t) => p.lambdaUm.forEach((lambda, l) => {
      // Plotted against the longest baseline of the triangle, as OIFITS tools do.
      x.push(Math.max(...tri.baselines.map((n) => mLambda(byName.get(n)!.uM[t], byName.get(n)!.vM[t], lambda))));
      y.push(tri.closureDeg[t * L + l]);
    }));
    return { type: 'scatter', mode: 'markers', name: tri.triangle, x, y, marker: { size: 4 }, hovertemplate: `${tri.triangle}<br>%{x:.1f} Mλ<br>%{y:.2f}°<extra></extra>` };
  });
}

const STATUS_COLOR: Record<string, string> = { ok: 'green', 'too-resolved': 'orange', unresolved: 'gray', 'no-data': 'gray' };
const STATUS_LABEL: Record<string, string> = { ok: 'resolved, measurable', 'too-resolved': 'too resolved', unresolved: 'unresolved', 'no-data': 'not observed' };

export function PredictionPanel(props: PredictionPanelProps) {
  const { mode: theme } = useThemeMode();
  const [bounds, setBounds] = useState({ vis2Min: 0.05, vis2Max: 0.9 });
  useEffect(() => {
    api.call('settings.get', { key: BOUNDS_KEY }).then((r) => {
      const v = r.value as { vis2Min?: number; vis2Max?: number } | null;
      if (v && typeof v.vis2Min === 'number' && typeof v.vis2Max === 'number') setBounds({ vis2Min: v.vis2Min, vis2Max: v.vis2Max });
    }, () => undefined);
  }, []);
  const saveBounds = (next: { vis2Min: number; vis2Max: number }) => {
    setBounds(next);
    void api.call('settings.set', { key: BOUNDS_KEY, value: next });
  };
  const q = useApi(
    'models.predict',
    props.stations.length >= 3
      ? {
          targetId: props.targetId, night: props.night, stations: props.stations, pops: props.pops, minElevationDeg: props.minElevationDeg,
          twilightDeg: props.twilightDeg, mode: props.mode, maxChannels: props.allChannels ? 24 : 6, stepMin: 10, ...bounds,
        }
      : null,
  );
  const p = q.data;
  const colors = plotColors(theme);
  const plots = useMemo(() => {
    if (!p) return null;
    const band = (y0: number, y1: number) => ({ type: 'rect', xref: 'paper', x0: 0, x1: 1, y0, y1, fillcolor: colors.grid, opacity: 0.35, line: { width: 0 }, layer: 'below' });
    return {
      uv: uvTraces(p, colorscale(theme)),
      vis2: vis2Traces(p),
      closure: closureTraces(p),
      vis2Layout: {
        showlegend: true, legend: { font: { size: 9 } },
        xaxis: { title: { text: 'spatial frequency (Mλ)' }, rangemode: 'tozero' },
        yaxis: { title: { text: 'V²' }, range: [0, 1.02] },
        shapes: [band(p.bounds.vis2Max, 1.02), band(0, p.bounds.vis2Min)],
        margin: { l: 50, r: 10, t: 10, b: 40 },
      },
      closureLayout: {
        showlegend: false,
        xaxis: { title: { text: 'longest baseline of the triangle (Mλ)' }, rangemode: 'tozero' },
        yaxis: { title: { text: 'closure phase (°)' }, range: [-185, 185], dtick: 90 },
        margin: { l: 50, r: 10, t: 10, b: 40 },
      },
      uvLayout: {
        showlegend: false,
        xaxis: { title: { text: 'u (Mλ), East left' }, autorange: 'reversed', zeroline: true },
        yaxis: { title: { text: 'v (Mλ)' }, scaleanchor: 'x', scaleratio: 1, zeroline: true },
        margin: { l: 50, r: 10, t: 10, b: 40 },
      },
    };
  }, [p, theme, colors.grid]);

  if (props.stations.length < 3) return <Text c="dimmed" size="sm">Predictions need at least three stations (closure phases).</Text>;
  return (
    <Paper withBorder p="sm" data-testid="model-predictions">
      <Stack gap="xs">
        <Group gap="xs" wrap="wrap">
          <Title order={6}>Predicted by the model</Title>
          {q.isLoading && <Loader size="xs" />}
          {p && (
            <Badge color={p.model.source.startsWith('fallback') ? 'yellow' : 'blue'} variant="light" data-testid="prediction-model-source">
              {sourceLabel(p.model.source)}
            </Badge>
          )}
          {p && <Text size="xs" c="dimmed">{p.model.note} · {p.mode}, {p.lambdaUm.length} channels shown · {p.timesMjd.length} instants · {p.computeMs} ms</Text>}
        </Group>
        {q.error && <Alert color="red" title="Prediction">{q.error}</Alert>}
        {p?.model.warnings.map((w) => <Alert key={w} color="yellow" p="xs">{w}</Alert>)}
        {p && p.timesMjd.length === 0 && <Text size="sm" c="dimmed">Not observable on this night: nothing to predict.</Text>}
        {p && plots && p.timesMjd.length > 0 && (
          <>
            <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="xs">
              <Plot label="uv-vis2" data={plots.uv} layout={plots.uvLayout} height={340} />
              <Plot label="vis2-frequency" data={plots.vis2} layout={plots.vis2Layout} height={340} />
              <Plot label="closure-frequency" data={plots.closure} layout={plots.closureLayout} height={340} />
            </SimpleGrid>
            <Group gap="md" align="end">
              <Text size="sm" fw={500}>Resolved enough? V² between</Text>
              <NumberInput size="xs" w={90} label="lower" min={0} max={bounds.vis2Max} step={0.01} decimalScale={3} value={bounds.vis2Min}
                onChange={(v) => typeof v === 'number' && v < bounds.vis2Max && saveBounds({ ...bounds, vis2Min: v })} data-testid="vis2-min" />
              <NumberInput size="xs" w={90} label="upper" min={bounds.vis2Min} max={1} step={0.01} decimalScale={3} value={bounds.vis2Max}
                onChange={(v) => typeof v === 'number' && v > bounds.vis2Min && saveBounds({ ...bounds, vis2Max: v })} data-testid="vis2-max" />
              <Text size="xs" c="dimmed">below: fringes too faint; above: hardly resolved. Shaded on the V² plot.</Text>
            </Group>
            <Table striped withTableBorder fz="xs" data-testid="resolved-table" verticalSpacing={2}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>baseline</Table.Th>
                  <Table.Th>verdict</Table.Th>
                  <Table.Th>V² range</Table.Th>
                  <Table.Th>below / within / above</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {p.verdicts.map((v) => (
                  <Table.Tr key={v.baseline} data-testid={`verdict-${v.baseline}`}>
                    <Table.Td>{v.baseline}</Table.Td>
                    <Table.Td><Badge size="xs" variant="light" color={theme === 'night' ? 'night' : STATUS_COLOR[v.status]}>{STATUS_LABEL[v.status]}</Badge></Table.Td>
                    <Table.Td>{v.vis2Lowest === null ? '—' : `${v.vis2Lowest.toFixed(3)} – ${v.vis2Highest!.toFixed(3)}`}</Table.Td>
                    <Table.Td>{[v.fractionBelow, v.fractionWithin, v.fractionAbove].map((f) => `${Math.round(f * 100)}%`).join(' / ')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Paper>
  );
}
