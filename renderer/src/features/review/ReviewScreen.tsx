/**
 * The Review screen: the queue of watched night folders, the plots and validator findings of the
 * open file, and the quality verdict. Made for the keyboard: j/k next/previous file, 0–5 level,
 * c comment, s or Ctrl+Enter save.
 */
import { Alert, Badge, Button, CloseButton, FileButton, Group, Kbd, Loader, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileSearch, IconFolderPlus } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReviewQueue, ReviewQueueItem } from '../../../../shared/contract/review';
import { QUALITY_LABELS } from '../../../../shared/oifits/quality';
import { api } from '../../api/client';
import { useApi, useApiEvent } from '../../api/hooks';
import { useKeys } from '../../app/keys';
import { useScreenState } from '../../app/screen-state';
import { loadPlotly } from '../../components/Plot';
import { useFileDrop } from '../survey/useFileDrop';
import { FindingsList } from './FindingsList';
import { readLocalFile, type OpenedFile } from './open-file';
import { ReviewPlots, type ReviewPlotOptions } from './ReviewPlots';
import { ReviewQueueList } from './ReviewQueueList';
import { SampIncoming } from './SampIncoming';
import { VerdictPanel, type VerdictDraft } from './VerdictPanel';

const EMPTY_DRAFT: VerdictDraft = { level: null, comment: '', reviewer: '', keepBackup: true };

function draftFor(file: OpenedFile, reviewer: string, keepBackup: boolean): VerdictDraft {
  const item = file.item;
  const q = file.summary.quality;
  return {
    level: item?.qualityLevel ?? q.level ?? null,
    comment: item?.reviewComment ?? q.comment ?? '',
    reviewer: reviewer || item?.reviewer || q.reviewer || '',
    keepBackup,
  };
}

export function ReviewScreen() {
  const queueQuery = useApi('review.queue', {});
  const settings = useApi('review.getSettings', {});
  const [queue, setQueue] = useState<ReviewQueue | null>(null);
  const [opened, setOpened] = useState<OpenedFile | null>(null);
  const [lastPath, setLastPath] = useScreenState<string | null>('review.openedPath', null);
  const [openError, setOpenError] = useState<string | null>(null);
  const [loadingPath, setLoadingPath] = useState<string | null>(null);
  const [draft, setDraft] = useState<VerdictDraft>(EMPTY_DRAFT);
  const [savedDraft, setSavedDraft] = useState<VerdictDraft>(EMPTY_DRAFT);
  const [isSaving, setSaving] = useState(false);
  const [savedNote, setSavedNote] = useState<string | null>(null);
  const [options, setOptions] = useState<ReviewPlotOptions>({ colorBy: 'baseline', showErrors: null, showFlagged: false });
  const [showSpectro, setShowSpectro] = useState<boolean | null>(null);
  const [folderInput, setFolderInput] = useState('');
  const [pathInput, setPathInput] = useState('');
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const cache = useRef(new Map<string, OpenedFile>());
  const ticket = useRef(0);

  // The first `review.queue` answer only fills an empty screen: a folder added (or a change
  // announced) while it was on its way is newer, and a late answer must not put "0 files" back.
  const hasNewerQueue = useRef(false);
  const setNewerQueue = useCallback((q: ReviewQueue) => {
    hasNewerQueue.current = true;
    setQueue(q);
  }, []);
  useEffect(() => {
    if (queueQuery.data && !hasNewerQueue.current) setQueue(queueQuery.data);
  }, [queueQuery.data]);
  // Start fetching plotly (6.7 MB) as soon as the screen shows, not when the first file opens.
  useEffect(() => {
    void loadPlotly();
  }, []);
  useApiEvent('review.queueChanged', setNewerQueue);

  // The queue sorts reviewed files last; keep the order the reviewer first saw during a session so
  // j/k keep walking forward after a save instead of jumping with the file that was just graded.
  const order = useRef<string[]>([]);
  const items = useMemo(() => {
    const list = queue?.items ?? [];
    const byPath = new Map(list.map((i) => [i.path, i]));
    const kept = order.current.filter((p) => byPath.has(p));
    const keptSet = new Set(kept);
    order.current = [...kept, ...list.filter((i) => !keptSet.has(i.path)).map((i) => i.path)];
    return order.current.map((p) => byPath.get(p) as ReviewQueueItem);
  }, [queue]);
  const reviewerDefault = settings.data?.reviewer ?? '';
  const keepBackupDefault = settings.data?.keepBackups ?? true;

  const show = useCallback(
    (file: OpenedFile) => {
      setOpened(file);
      if (file.path) setLastPath(file.path);
      const d = draftFor(file, reviewerDefault, keepBackupDefault);
      setDraft(d);
      setSavedDraft(d);
      setSavedNote(null);
      setShowSpectro(null);
    },
    [reviewerDefault, keepBackupDefault, setLastPath],
  );

  const openPath = useCallback(
    async (path: string) => {
      const my = ++ticket.current;
      setOpenError(null);
      setLoadingPath(path);
      try {
        const file = cache.current.get(path) ?? (await api.call('review.open', { path }));
        cache.current.set(path, file);
        if (my === ticket.current) show(file);
      } catch (e) {
        if (my === ticket.current) {
          setOpenError((e as Error).message);
          setOpened(null);
        }
      } finally {
        if (my === ticket.current) setLoadingPath(null);
      }
    },
    [show],
  );

  // Coming back to Review reopens the file that was open (an unsaved verdict is not kept).
  useEffect(() => {
    if (lastPath) void openPath(lastPath);
    // Once per visit of the screen.
  }, []);

  const openLocal = useCallback(
    async (files: File[]) => {
      const file = files[0];
      if (!file) return;
      // A file the queue already knows (same name and size) is opened by path so it can be saved.
      const known = items.find((i) => i.fileName === file.name && i.sizeBytes === file.size);
      if (known) return openPath(known.path);
      // In the desktop window a dropped file has a path, so its verdict can be written back.
      const localPath = window.spica?.pathForFile(file);
      if (localPath) return openPath(localPath);
      setOpenError(null);
      try {
        show(await readLocalFile(file));
      } catch (e) {
        setOpenError(`${file.name}: ${(e as Error).message}`);
      }
    },
    [items, openPath, show],
  );
  const isDragging = useFileDrop(openLocal);

  const selectedPath = loadingPath ?? opened?.path ?? null;
  const selectedIndex = items.findIndex((i) => i.path === selectedPath);
  const move = (delta: number) => {
    if (items.length === 0) return;
    const next = selectedIndex < 0 ? 0 : Math.min(items.length - 1, Math.max(0, selectedIndex + delta));
    void openPath(items[next].path);
  };

  const isDirty = JSON.stringify(draft) !== JSON.stringify(savedDraft);
  const readOnlyReason = opened && !opened.path ? 'Read in the browser from a dropped file: view only. Add its night folder or open it by path to save a verdict.' : null;
  const canSave = !!opened?.path && draft.level !== null && !isSaving;

  const save = useCallback(async () => {
    if (!opened?.path || draft.level === null || isSaving) return;
    if (!draft.reviewer.trim()) {
      notifications.show({ color: 'red', message: 'Enter the reviewer name first.' });
      return;
    }
    setSaving(true);
    try {
      const r = await api.call('review.setQuality', {
        path: opened.path,
        level: draft.level,
        comment: draft.comment,
        reviewer: draft.reviewer.trim(),
        backup: draft.keepBackup,
      });
      cache.current.delete(opened.path);
      setOpened({ ...opened, item: r.item, sizeBytes: r.sizeBytes });
      setSavedDraft(draft);
      setSavedNote(
        `Saved Q${draft.level} (${QUALITY_LABELS[draft.level]})${r.hasChecksum ? ', checksum recomputed' : ''}${r.backupPath ? `; original kept in .review-backups/` : ''}.`,
      );
      notifications.show({ message: `${opened.fileName}: quality ${draft.level} saved` });
      for (const w of r.warnings) notifications.show({ color: 'yellow', message: w, autoClose: 10000 });
      settings.reload();
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not saved', message: (e as Error).message, autoClose: 8000 });
    } finally {
      setSaving(false);
    }
  }, [opened, draft, isSaving, settings]);

  useKeys('review', [
    { keys: ['j', 'arrowdown'], run: () => move(1), help: 'next file', label: 'J / ↓', repeat: true },
    { keys: ['k', 'arrowup'], run: () => move(-1), help: 'previous file', label: 'K / ↑', repeat: true },
    ...[0, 1, 2, 3, 4, 5].map((level) => ({ keys: String(level), run: () => opened && setDraft((d) => ({ ...d, level })), help: level === 0 ? 'quality level 0–5' : undefined, label: '0 … 5' })),
    { keys: 'c', run: () => commentRef.current?.focus(), help: 'write a comment' },
    { keys: 's', run: () => void save(), help: 'save the verdict into the file' },
    { keys: 'mod+enter', run: () => void save(), help: 'save the verdict (also while typing the comment)', label: 'Ctrl+Enter' },
  ]);

  const addFolder = async () => {
    if (!folderInput.trim()) return;
    try {
      setNewerQueue(await api.call('review.addFolder', { root: folderInput.trim() }));
      setFolderInput('');
    } catch (e) {
      notifications.show({ color: 'red', title: 'Folder not added', message: (e as Error).message, autoClose: 8000 });
    }
  };

  const summary = opened?.summary;
  const flagged = summary ? `${summary.flaggedCount} of ${summary.flagTotal} points flagged (${(100 * summary.flaggedFraction).toFixed(1)}%)` : '';
  return (
    <Group align="stretch" gap="sm" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
      <Stack gap={6} style={{ width: 250, flexShrink: 0, minHeight: 0 }}>
        <Group gap={4} wrap="nowrap">
          <TextInput
            size="xs"
            placeholder="Night root (…/SPICA)"
            value={folderInput}
            onChange={(e) => setFolderInput(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && void addFolder()}
            style={{ flex: 1 }}
            data-testid="review-folder-input"
          />
          <Tooltip label="Watch this folder (RawOifits/, Results/)">
            <Button size="xs" variant="default" onClick={() => void addFolder()} data-testid="review-add-folder" px={6}>
              <IconFolderPlus size={16} />
            </Button>
          </Tooltip>
        </Group>
        {(queue?.folders ?? []).map((f) => (
          <Group key={f} gap={2} wrap="nowrap">
            <Text size="xs" c="dimmed" truncate="start" title={f} data-testid="review-folder" style={{ flex: 1, minWidth: 0 }}>{f}</Text>
            <CloseButton
              size="xs"
              aria-label={`Stop watching ${f}`}
              onClick={() => void api.call('review.removeFolder', { root: f }).then(setNewerQueue)}
            />
          </Group>
        ))}
        <Group gap={4} wrap="nowrap">
          <TextInput
            size="xs"
            placeholder="Open a file by path"
            value={pathInput}
            onChange={(e) => setPathInput(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && pathInput.trim() && void openPath(pathInput.trim())}
            style={{ flex: 1 }}
            data-testid="review-path-input"
          />
          <FileButton onChange={(f) => f && void openLocal([f])} accept=".fits,.oifits,.fit">
            {(props) => (
              <Tooltip label="Read a local file in the browser (view only)">
                <Button {...props} size="xs" variant="default" px={6} data-testid="review-pick-file">
                  <IconFileSearch size={16} />
                </Button>
              </Tooltip>
            )}
          </FileButton>
        </Group>
        <SampIncoming openedPath={opened?.path ?? null} onOpen={(p) => void openPath(p)} />
        <Group gap={4}>
          <Text size="xs" c="dimmed" data-testid="review-queue-count">
            {items.length} file{items.length === 1 ? '' : 's'}, {items.filter((i) => i.qualityLevel === null).length} to review
          </Text>
          <Text size="xs" c="dimmed"><Kbd size="xs">j</Kbd>/<Kbd size="xs">k</Kbd></Text>
        </Group>
        <ReviewQueueList items={items} selectedPath={selectedPath} onSelect={(i: ReviewQueueItem) => void openPath(i.path)} />
      </Stack>

      <Stack gap={6} style={{ flex: 1, minWidth: 0, minHeight: 0, overflowY: 'auto' }}>
        {openError && <Alert color="red" title="Cannot read this file" data-testid="review-open-error">{openError}</Alert>}
        {!opened && !openError && (
          <Text c="dimmed" size="sm" mt="md">
            {loadingPath ? <Loader size="xs" /> : 'Pick a file in the queue (j/k), drop an OIFITS file here, or open one by path. Files sent by ASPRO2 or OIFitsExplorer over SAMP wait under "Received over SAMP".'}
          </Text>
        )}
        {opened && summary && (
          <>
            <Group gap="xs" wrap="wrap" data-testid="review-header">
              <Text fw={600} size="sm" data-testid="review-file-name">{opened.fileName}</Text>
              <Badge size="sm" variant="light">OIFITS v{summary.version}</Badge>
              <Text size="xs">{summary.targets.join(', ') || '(no target)'}</Text>
              {opened.item?.targetName && <Badge size="sm" variant="outline" title="Linked survey target">{opened.item.targetName}</Badge>}
              <Text size="xs" c="dimmed">{[summary.header.instrument, summary.header.dateObs].filter(Boolean).join(' · ')}</Text>
              <Text size="xs" c="dimmed" data-testid="review-flag-count">{flagged}</Text>
              {loadingPath && <Loader size="xs" />}
            </Group>
            <ReviewPlots key={opened.path ?? opened.fileName} plot={opened.plot} options={options} onOptions={setOptions} showSpectro={showSpectro} onShowSpectro={setShowSpectro} />
          </>
        )}
      </Stack>

      <Stack gap="sm" style={{ width: 270, flexShrink: 0, minHeight: 0, overflowY: 'auto' }}>
        <VerdictPanel
          draft={draft}
          onDraft={setDraft}
          onSave={() => void save()}
          isSaving={isSaving}
          canSave={canSave}
          readOnlyReason={readOnlyReason}
          isDirty={isDirty && !!opened}
          savedNote={savedNote}
          commentRef={commentRef}
        />
        {summary && <FindingsList findings={summary.findings} />}
      </Stack>
      {isDragging && <div className="drop-overlay">Drop an OIFITS file to review it</div>}
    </Group>
  );
}
