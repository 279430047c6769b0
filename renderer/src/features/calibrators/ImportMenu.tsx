/**
 * Import a JSDC / SearchCal VOTable, the JMMC BadCal list or a SPICA primary-calibrator list from
 * a file. The dialog opens at once and shows the import's progress (parsing, then "Writing n / N"
 * from the import worker) until the report replaces it.
 */
import { Button, Menu, Modal, Progress, Stack, Text } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { CalibratorImportKind, CalibratorImportReport } from '../../../../shared/contract/calibrators';
import { api } from '../../api/client';
import { useApiEvent } from '../../api/hooks';

const KINDS: Array<{ kind: CalibratorImportKind; label: string; accept: string }> = [
  { kind: 'jsdc', label: 'JSDC VOTable (VizieR II/346)…', accept: '.vot,.xml,.votable' },
  { kind: 'searchcal', label: 'SearchCal result (.scvot)…', accept: '.scvot,.vot,.xml' },
  { kind: 'badcal', label: 'JMMC BadCal list (CSV/VOTable)…', accept: '.csv,.vot,.xml,.txt' },
  { kind: 'spica-primary', label: 'SPICA primary calibrators (CSV)…', accept: '.csv,.txt' },
];

export function ImportMenu() {
  const input = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<CalibratorImportKind>('jsdc');
  const [report, setReport] = useState<CalibratorImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState<{ fileName: string; phase: string; done: number; total: number } | null>(null);
  useApiEvent('calibrators.importProgress', (p) => setRunning((r) => (r && r.fileName === p.fileName ? { ...r, ...p } : r)));
  const choose = (k: (typeof KINDS)[number]) => {
    setKind(k.kind);
    if (input.current) {
      input.current.accept = k.accept;
      input.current.value = '';
      input.current.click();
    }
  };
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setReport(null);
    setRunning({ fileName: file.name, phase: 'reading', done: 0, total: 0 });
    try {
      setReport(await api.call('calibrators.import', { kind, content: await file.text(), fileName: file.name }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunning(null);
    }
  };
  return (
    <>
      <input ref={input} type="file" hidden onChange={(e) => onFile(e.currentTarget.files?.[0])} data-testid="calibrators-import-input" />
      <Menu position="bottom-end">
        <Menu.Target>
          <Button size="xs" variant="default" leftSection={<IconUpload size={14} />} data-testid="calibrators-import">Import…</Button>
        </Menu.Target>
        <Menu.Dropdown>
          {KINDS.map((k) => (
            <Menu.Item key={k.kind} onClick={() => choose(k)} data-testid={`import-${k.kind}`}>{k.label}</Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={report !== null || error !== null || running !== null} onClose={() => { setReport(null); setError(null); }} title="Calibrator import">
        {running && (
          <Stack gap={4} data-testid="calibrators-import-progress">
            <Text size="sm">
              {running.phase === 'writing' ? `Writing ${running.done} / ${running.total} rows` : running.phase === 'parsing' ? 'Reading the table' : 'Sending the file'} — {running.fileName}
            </Text>
            <Progress value={running.total ? (running.done / running.total) * 100 : 100} animated={!running.total} size="sm" />
          </Stack>
        )}
        {error && <Text c="red" size="sm">{error}</Text>}
        {report && (
          <Stack gap={4} data-testid="calibrators-import-report">
            <Text size="sm">{report.file} ({report.kind}): {report.added} added, {report.updated} updated, {report.unchanged} unchanged, {report.skipped.length} skipped of {report.total}</Text>
            {report.skipped.slice(0, 20).map((s) => (
              <Text key={s.row} size="xs" c="dimmed">row {s.row}{s.name ? ` (${s.name})` : ''}: {s.reason}</Text>
            ))}
          </Stack>
        )}
      </Modal>
    </>
  );
}
