/** Import a JSDC / SearchCal VOTable, the JMMC BadCal list or a SPICA primary-calibrator list from a file. */
import { Button, Menu, Modal, Stack, Text } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { CalibratorImportKind, CalibratorImportReport } from '../../../../shared/contract/calibrators';
import { api } from '../../api/client';

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
    try {
      setReport(await api.call('calibrators.import', { kind, content: await file.text(), fileName: file.name }));
    } catch (e) {
      setError((e as Error).message);
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
      <Modal opened={report !== null || error !== null} onClose={() => { setReport(null); setError(null); }} title="Calibrator import">
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
