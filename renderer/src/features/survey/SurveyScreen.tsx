/** The Survey screen: filters, the virtualised target table, import/export, and the detail drawer. */
import { Alert, Button, FileButton, Group, Menu, Modal, Progress, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDatabaseImport, IconDots, IconDownload, IconFlask, IconHistory, IconTrash } from '@tabler/icons-react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { ASPRO2_MAX_TARGETS } from '../../../../shared/votable/aspro2-limits';
import type { ImportReport, TargetFilter, TargetSummary } from '../../../../shared/model/survey';
import { api } from '../../api/client';
import { useApi, useApiEvent } from '../../api/hooks';
import { useKeys } from '../../app/keys';
import { useNavigation } from '../../app/navigation';
import { useScreenState } from '../../app/screen-state';
import { SendToAspro2Button } from '../samp';
import { ImportHistoryModal } from './ImportHistoryModal';
import { ImportReportModal } from './ImportReportModal';
import { SurveyFilters } from './SurveyFilters';
import { SurveyTable, type SortState } from './SurveyTable';
import { TargetDrawer } from './TargetDrawer';
import { showWithUndo } from './undo';
import { handFilesToNextScreen, useFileDrop } from './useFileDrop';

const IMPORT_ACCEPT = '.vot,.xml,.votable,.csv,.txt';

function download(fileName: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The Survey table's first query, also started by main.tsx before the first render. */
export const INITIAL_SURVEY_QUERY = { filter: {}, sort: { key: 'raDeg', direction: 'asc' } } as const;

const NO_FILTER: TargetFilter = {};

/** Whether a file is FITS (an OIFITS from the night folder): its first card is "SIMPLE  =". */
async function isFitsFile(file: File): Promise<boolean> {
  if (/\.(fits?|oifits)(\.gz)?$/i.test(file.name)) return true;
  return (await file.slice(0, 9).text()) === 'SIMPLE  =';
}

export function SurveyScreen() {
  // Filter, order and selection outlive the screen (screen-state.ts): back from Tonight, the same rows.
  const [filter, setFilter] = useScreenState<TargetFilter>('survey.filter', NO_FILTER);
  const [debouncedFilter] = useDebouncedValue(filter, 120);
  const [sort, setSort] = useScreenState<SortState>('survey.sort', INITIAL_SURVEY_QUERY.sort);
  const [selectedIndex, setSelectedIndex] = useScreenState('survey.selectedIndex', 0);
  const [fitsFiles, setFitsFiles] = useState<File[]>([]);
  const { navigate } = useNavigation();
  useKeys('survey', [
    { keys: ['j', 'arrowdown'], help: 'next target (in the table)', label: 'J / ↓' },
    { keys: ['k', 'arrowup'], help: 'previous target (in the table)', label: 'K / ↑' },
    { keys: 'pagedown', help: '20 targets down / up', label: 'PgDn / PgUp' },
    { keys: 'enter', help: 'open the selected target' },
  ]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ fileName: string; phase: string; done: number; total: number } | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const [isConfirmingDemoRemoval, setConfirmingDemoRemoval] = useState(false);
  const [isHistoryOpen, setHistoryOpen] = useState(false);
  const info = useApi('app.info', {});
  const resetFileRef = useRef<() => void>(null);
  const params = useMemo(() => ({ filter: debouncedFilter, sort }), [debouncedFilter, sort]);
  const list = useApi('survey.list', params);
  const facets = useApi('survey.facets', {});
  useApiEvent('survey.changed', (p) => {
    if (p.entities.some((e) => ['targets', 'memberships', 'observations', 'programmes', 'pis'].includes(e))) {
      list.reload();
      facets.reload();
      info.reload();
    }
  });
  useApiEvent('survey.importProgress', (p) => setProgress(p.phase === 'done' ? null : p));
  // Every import reports here, whoever started it (this window, the app menu, a SAMP peer).
  useApiEvent('survey.imported', (r) => setReport(r));

  const importFiles = useCallback(async (all: File[]) => {
    const fits: File[] = [];
    const files: File[] = [];
    for (const f of all) (await isFitsFile(f) ? fits : files).push(f);
    setFitsFiles(fits);
    for (const file of files) {
      setImportError(null);
      setProgress({ fileName: file.name, phase: 'reading', done: 0, total: 0 });
      try {
        const content = await file.text();
        await api.call('survey.import', { fileName: file.name, content });
      } catch (e) {
        setImportError(`${(e as Error).message} — nothing was imported, the survey is unchanged.`);
      } finally {
        setProgress(null);
        resetFileRef.current?.();
      }
    }
  }, []);
  const isDragging = useFileDrop(importFiles);

  const exportAs = async (format: 'votable' | 'csv') => {
    const r = await api.call('survey.export', { filter, format });
    download(r.fileName, r.mimeType, r.content);
    notifications.show({ message: `${r.count} targets exported to ${r.fileName}` });
  };
  const demo = async (action: 'generate' | 'remove') => {
    const id = notifications.show({ loading: true, message: action === 'generate' ? 'Generating the demo survey…' : 'Removing demo data…', autoClose: false });
    try {
      if (action === 'generate') {
        const r = await api.call('survey.demo.generate', {});
        notifications.update({ id, loading: false, autoClose: 3000, message: `Demo survey: ${r.targets} targets` });
      } else {
        const r = await api.call('survey.demo.remove', {});
        notifications.hide(id);
        showWithUndo(`${r.removed} demo targets removed`, r.batchId);
      }
    } catch (e) {
      notifications.update({ id, loading: false, color: 'red', autoClose: 6000, message: (e as Error).message });
    }
  };
  const demoCount = info.data?.demoTargetCount ?? 0;

  const rows: TargetSummary[] = list.data?.rows ?? [];
  return (
    <Stack gap="xs" style={{ flex: 1, minHeight: 0 }}>
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <SurveyFilters filter={filter} facets={facets.data} onChange={(f) => { setFilter(f); setSelectedIndex(0); }} />
        <Group gap="xs" wrap="nowrap">
          <SendToAspro2Button targetIds={rows.slice(0, ASPRO2_MAX_TARGETS).map((t) => t.id)} shownCount={rows.length} size="xs" />
          <FileButton resetRef={resetFileRef} onChange={(f) => f && importFiles([f])} accept={IMPORT_ACCEPT}>
            {(props) => (
              <Button {...props} size="xs" leftSection={<IconDatabaseImport size={14} />} data-testid="import-button">
                Import…
              </Button>
            )}
          </FileButton>
          <Menu position="bottom-end">
            <Menu.Target>
              <Button size="xs" variant="default" rightSection={<IconDots size={14} />}>More</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>Export {list.data ? `${rows.length} shown targets` : ''}</Menu.Label>
              <Menu.Item leftSection={<IconDownload size={14} />} onClick={() => exportAs('votable')}>Export as VOTable</Menu.Item>
              <Menu.Item leftSection={<IconDownload size={14} />} onClick={() => exportAs('csv')}>Export as CSV</Menu.Item>
              <Menu.Divider />
              <Menu.Label>Demo data</Menu.Label>
              <Menu.Item leftSection={<IconFlask size={14} />} onClick={() => demo('generate')}>Generate demo survey</Menu.Item>
              <Menu.Item leftSection={<IconTrash size={14} />} color="red" onClick={() => setConfirmingDemoRemoval(true)} data-testid="demo-remove">Remove demo data…</Menu.Item>
              <Menu.Divider />
              <Menu.Item leftSection={<IconHistory size={14} />} onClick={() => setHistoryOpen(true)} data-testid="import-history-open">Import history…</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      {progress && (
        <div data-testid="import-progress">
          <Group justify="space-between" gap="xs">
            <Text size="xs">{progress.phase === 'writing' ? `Writing ${progress.done} / ${progress.total}` : `${progress.phase[0].toUpperCase()}${progress.phase.slice(1)}`} — {progress.fileName}</Text>
            <Button size="compact-xs" variant="subtle" onClick={() => void api.call('survey.import.cancel', {})} data-testid="import-cancel">Cancel</Button>
          </Group>
          <Progress value={progress.total ? (progress.done / progress.total) * 100 : 100} animated={!progress.total} size="sm" />
        </div>
      )}
      {importError && (
        <Alert color="red" title="Import refused" withCloseButton onClose={() => setImportError(null)} data-testid="import-error">
          {importError}
        </Alert>
      )}
      {fitsFiles.length > 0 && (
        <Alert color="blue" title="A FITS file is not a target list" withCloseButton onClose={() => setFitsFiles([])} data-testid="import-fits">
          <Group gap="xs">
            <Text size="sm">
              {fitsFiles.map((f) => f.name).join(', ')} {fitsFiles.length === 1 ? 'is a FITS file' : 'are FITS files'} (OIFITS data?): the survey imports VOTable and CSV target lists. Review opens OIFITS files.
            </Text>
            <Button
              size="xs"
              onClick={() => {
                handFilesToNextScreen(fitsFiles);
                setFitsFiles([]);
                navigate('review');
              }}
              data-testid="import-fits-review"
            >
              Open in Review
            </Button>
          </Group>
        </Alert>
      )}
      {list.error && <Alert color="red">{list.error}</Alert>}
      <Text size="xs" c="dimmed" data-testid="survey-count">
        {list.data ? `${rows.length} of ${list.data.total} targets` : 'Loading…'} · drop a VOTable or CSV anywhere to import
      </Text>
      {list.data && list.data.total === 0 && (
        <Alert color="gray" variant="light" title="No targets yet" data-testid="survey-empty">
          <Stack gap={6}>
            <Text size="sm">
              Import the survey: a SPICA-DB VOTable or a CSV (columns name, ra_deg, dec_deg and more) — with “Import…”, or drop the file anywhere on this window.
              To try the app first, generate the demo survey (3000 synthetic targets, removable at any time).
            </Text>
            <Group gap="xs">
              <FileButton onChange={(f) => f && importFiles([f])} accept={IMPORT_ACCEPT}>
                {(props) => <Button {...props} size="xs" leftSection={<IconDatabaseImport size={14} />}>Import a file…</Button>}
              </FileButton>
              <Button size="xs" variant="default" leftSection={<IconFlask size={14} />} onClick={() => demo('generate')} data-testid="survey-empty-demo">Generate the demo survey</Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {list.data && list.data.total > 0 && rows.length === 0 && (
        <Group gap="xs" data-testid="survey-no-match">
          <Text size="sm" c="dimmed">No target matches these filters.</Text>
          <Button size="compact-xs" variant="default" onClick={() => setFilter(NO_FILTER)}>Clear the filters</Button>
        </Group>
      )}
      <SurveyTable
        rows={rows}
        sort={sort}
        onSort={setSort}
        selectedIndex={selectedIndex}
        onSelect={setSelectedIndex}
        onOpen={(t) => setOpenId(t.id)}
      />
      <TargetDrawer targetId={openId} onClose={() => setOpenId(null)} />
      <ImportReportModal report={report} onClose={() => setReport(null)} />
      <ImportHistoryModal opened={isHistoryOpen} onClose={() => setHistoryOpen(false)} />
      <Modal opened={isConfirmingDemoRemoval} onClose={() => setConfirmingDemoRemoval(false)} title="Remove demo data?" data-testid="demo-remove-confirm">
        <Text size="sm" mb="md">
          {demoCount > 0
            ? `This removes the ${demoCount} demo targets with their demo observing log, programmes and PIs. Your own targets stay. You can undo it from Import history.`
            : 'There are no demo targets to remove.'}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" size="xs" onClick={() => setConfirmingDemoRemoval(false)}>Keep them</Button>
          <Button
            color="red"
            size="xs"
            disabled={demoCount === 0}
            data-testid="demo-remove-yes"
            onClick={() => {
              setConfirmingDemoRemoval(false);
              void demo('remove');
            }}
          >
            Remove {demoCount} demo targets
          </Button>
        </Group>
      </Modal>
      {isDragging && <div className="drop-overlay">Drop to import into the survey</div>}
    </Stack>
  );
}
