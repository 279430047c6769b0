/**
 * The night's quick-look fits (`review.fitFolder`): every L2 file of the selected file's night
 * folder fitted with a UD and an LD, against the survey's prediction, then per target the weighted
 * mean UD of its files and whether they agree with each other. A file that cannot be fitted is
 * listed with its reason. This is the reviewer's homogeneity check before "science ready".
 */
import { Alert, Badge, Loader, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ReviewFolderFit } from '../../../../shared/contract/review';
import { diameterHomogeneity } from '../../../../shared/oifits/fit-homogeneity';
import { api } from '../../api/client';

const f4 = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));

export function NightFitModal({ folder, onClose }: { folder: string | null; onClose(): void }) {
  const [batch, setBatch] = useState<ReviewFolderFit | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setBatch(null);
    setError(null);
    if (!folder) return;
    let isCurrent = true;
    api.call('review.fitFolder', { folder }).then(
      (b) => isCurrent && setBatch(b),
      (e: Error) => isCurrent && setError(e.message),
    );
    return () => {
      isCurrent = false;
    };
  }, [folder]);
  const targets = batch ? diameterHomogeneity(batch.fits) : [];
  return (
    <Modal opened={folder !== null} onClose={onClose} title={`Night fit — ${folder ?? ''}`} size="xl" data-testid="review-night-fit">
      {!batch && !error && (
        <Stack align="center" gap={4} py="md">
          <Loader size="sm" />
          <Text size="xs" c="dimmed">Fitting every file of the night…</Text>
        </Stack>
      )}
      {error && <Alert color="red" title="The night could not be fitted">{error}</Alert>}
      {batch && (
        <Stack gap="sm">
          <Text size="sm" data-testid="review-night-fit-summary">
            {batch.fits.length} file(s) fitted{batch.failed.length ? `, ${batch.failed.length} left out` : ''}; ± is 1σ × √χ²r
          </Text>
          <ScrollArea.Autosize mah={320} type="auto">
            <Table fz="xs" verticalSpacing={2} horizontalSpacing={6} style={{ whiteSpace: 'nowrap' }} data-testid="review-night-fit-files">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>file</Table.Th>
                  <Table.Th>target</Table.Th>
                  <Table.Th>UD (mas)</Table.Th>
                  <Table.Th>χ²r</Table.Th>
                  <Table.Th>LD (mas)</Table.Th>
                  <Table.Th>predicted UD</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {batch.fits.map((f) => (
                  <Table.Tr key={f.path}>
                    <Table.Td title={f.path} style={{ maxWidth: 260, overflow: 'hidden', textOverflow: 'ellipsis' }}>{f.fileName}</Table.Td>
                    <Table.Td>{f.target ?? '?'}</Table.Td>
                    <Table.Td>{f4(f.ud.diameterMas)} ± {f4(f.ud.errorScaledMas)}</Table.Td>
                    <Table.Td>{f.ud.chi2r.toFixed(1)}</Table.Td>
                    <Table.Td>{f4(f.ld.diameterMas)}</Table.Td>
                    <Table.Td title={f.predicted?.source}>{f.predicted ? f4(f.predicted.udMas) : '—'}</Table.Td>
                    <Table.Td>
                      {f.predicted && (
                        <Badge size="xs" color={f.disagrees ? 'red' : 'green'} variant={f.disagrees ? 'filled' : 'outline'} radius={f.disagrees ? 0 : 'xl'}>
                          {f.disagrees ? '✖ disagrees' : '✓ agrees'}
                        </Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          {targets.length > 0 && (
            <Table fz="xs" verticalSpacing={2} horizontalSpacing={6} style={{ whiteSpace: 'nowrap' }} data-testid="review-night-fit-targets">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>target</Table.Th>
                  <Table.Th>files</Table.Th>
                  <Table.Th>weighted mean UD (mas)</Table.Th>
                  <Table.Th>χ²r of the files</Table.Th>
                  <Table.Th>spread</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {targets.map((t) => (
                  <Table.Tr key={t.target}>
                    <Table.Td>{t.target}</Table.Td>
                    <Table.Td>{t.files}</Table.Td>
                    <Table.Td>{f4(t.meanUdMas)} ± {f4(t.errorMas)}</Table.Td>
                    <Table.Td>{t.chi2r === null ? '—' : t.chi2r.toFixed(2)}</Table.Td>
                    <Table.Td>{t.files > 1 ? `${t.spreadPercent.toFixed(1)} %` : '—'}</Table.Td>
                    <Table.Td>
                      {!t.consistent && (
                        <Badge size="xs" color="red" radius={0}>
                          ✖ files disagree
                        </Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {batch.failed.map((f) => (
            <Text key={f.path} size="xs" c="red" data-testid="review-night-fit-failed">
              left out {f.fileName}: {f.message}
            </Text>
          ))}
        </Stack>
      )}
    </Modal>
  );
}
