/**
 * The quick-look fit: UD and linear-LD diameters of the selected V² (target, INSNAME, baselines
 * of the current view), the target model's scale, χ²r and errors, against the survey's predicted
 * diameter with a disagreement flag.
 */
import { Badge, Button, Group, Kbd, Stack, Table, Text } from '@mantine/core';
import type { ReviewFitResult } from '../../../../shared/contract/review';

const f4 = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));

export function FitPanel({ fit, isBusy, canFit, onFit, error }: { fit: ReviewFitResult | null; isBusy: boolean; canFit: boolean; onFit(): void; error: string | null }) {
  return (
    <Stack gap={4} data-testid="review-fit-panel">
      <Group gap={6} justify="space-between">
        <Text size="sm" fw={600}>Quick-look fit</Text>
        <Button size="compact-xs" variant="default" onClick={onFit} loading={isBusy} disabled={!canFit} rightSection={<Kbd size="xs">f</Kbd>} data-testid="review-fit">
          Fit V²
        </Button>
      </Group>
      {error && <Text size="xs" c="red" data-testid="review-fit-error">{error}</Text>}
      {fit && (
        <>
          {/* Units in the header and no wrapping inside a cell: the panel is ~240 px wide. */}
          <Table withRowBorders={false} verticalSpacing={0} horizontalSpacing={4} fz="xs" style={{ whiteSpace: 'nowrap' }} data-testid="review-fit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                <Table.Th fw={400} c="dimmed">θ (mas)</Table.Th>
                <Table.Th fw={400} c="dimmed">χ²r</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <Table.Tr>
                <Table.Td>UD</Table.Td>
                <Table.Td data-testid="review-fit-ud">{f4(fit.ud.diameterMas)} ± {f4(fit.ud.errorScaledMas)}</Table.Td>
                <Table.Td>{fit.ud.chi2r.toFixed(1)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td>LD u={fit.ld.ldCoefficient}</Table.Td>
                <Table.Td data-testid="review-fit-ld">{f4(fit.ld.diameterMas)} ± {f4(fit.ld.errorScaledMas)}</Table.Td>
                <Table.Td>{fit.ld.chi2r.toFixed(1)}</Table.Td>
              </Table.Tr>
              {fit.model && (
                <Table.Tr>
                  <Table.Td>model × s</Table.Td>
                  <Table.Td>s = {fit.model.diameterMas.toFixed(3)} ± {fit.model.errorScaledMas.toFixed(3)}</Table.Td>
                  <Table.Td title={`χ²r of the model as given: ${fit.model.chi2rAsGiven.toFixed(2)}`}>{fit.model.chi2r.toFixed(1)}</Table.Td>
                </Table.Tr>
              )}
              {fit.predicted && (
                <Table.Tr>
                  <Table.Td>predicted</Table.Td>
                  <Table.Td data-testid="review-fit-predicted">{f4(fit.predicted.udMas)} UD</Table.Td>
                  <Table.Td title={fit.predicted.source} style={{ maxWidth: 70, overflow: 'hidden', textOverflow: 'ellipsis' }}>{fit.predicted.source}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
          <Group gap={4}>
            <Text size="xs" c="dimmed">n = {fit.ud.n} V² of {fit.target ?? '?'} at {fit.lambdaUm.toFixed(3)} µm; ± is 1σ × √χ²r</Text>
            {fit.predicted && (
              <Badge size="xs" color={fit.disagrees ? 'red' : 'green'} variant={fit.disagrees ? 'filled' : 'outline'} radius={fit.disagrees ? 0 : 'xl'} data-testid="review-fit-verdict">
                {fit.disagrees ? '✖ disagrees with prediction' : '✓ agrees with prediction'}
              </Badge>
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}
