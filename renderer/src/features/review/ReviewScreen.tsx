/**
 * The Review screen: the queue of watched night folders, the plots of the open file (or several
 * files of one target and night), per-point flags, the quick-look fit, the verdict with PLATO's
 * flags, validator findings and the product's history. Made for the keyboard: j/k next/previous
 * file, 0–5 level, c comment, s or Ctrl+Enter save, f fit.
 */
import { Alert, Badge, Button, CloseButton, FileButton, Group, Kbd, Loader, ScrollArea, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import { useViewportSize } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconFileSearch, IconFolderPlus } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReviewFitResult, ReviewHistory, ReviewQueueItem } from '../../../../shared/contract/review';
import type { ObjectModel } from '../../../../shared/models/definitions';
import { predictSeries } from '../../../../shared/oifits/fit';
import { QUALITY_LABELS } from '../../../../shared/oifits/quality';
import { SERIES_KINDS, type SeriesKind } from '../../../../shared/oifits/plot-data';
import { uniformDisk } from '../../../../shared/models/definitions';
import { complexVisibility } from '../../../../shared/models/visibility';
import { api } from '../../api/client';
import { useApi, useApiEvent } from '../../api/hooks';
import { useKeys } from '../../app/keys';
import { useScreenState } from '../../app/screen-state';
import { loadPlotly } from '../../components/Plot';
import { useFileDrop } from '../survey/useFileDrop';
import { FindingsList } from './FindingsList';
import { FitPanel } from './FitPanel';
import { FlagPanel } from './FlagPanel';
import { HistoryPanel } from './HistoryPanel';
import { readLocalFile, type OpenedFile } from './open-file';
import { defaultTargets, flaggedCounts, NO_FILTER, pickedKey, type FigureContext, type PickedPoint, type ViewFile, type ViewFilter, type ViewOptions } from '../../../../shared/oifits/figures';
import { ReviewPlots } from './ReviewPlots';
import { NightFitModal } from './NightFitModal';
import { ReviewQueueList } from './ReviewQueueList';
import { addQueueFolder, removeQueueFolder, useReviewQueue } from './review-queue-store';
import { SampIncoming } from './SampIncoming';
import { VerdictPanel, type VerdictDraft } from './VerdictPanel';

const EMPTY_DRAFT: VerdictDraft = { level: null, comment: '', reviewer: '', keepBackup: true, plato: { processing: null, calibrators: null, analysis: null } };

function draftFor(file: OpenedFile, reviewer: string, keepBackup: boolean): VerdictDraft {
  const item = file.item;
  const q = file.summary.quality;
  return {
    level: item?.qualityLevel ?? q.level ?? null,
    comment: item?.reviewComment ?? q.comment ?? '',
    reviewer: reviewer || item?.reviewer || q.reviewer || '',
    keepBackup,
    plato: {
      processing: item?.plato.processing ?? q.plato?.processing ?? null,
      calibrators: item?.plato.calibrators ?? q.plato?.calibrators ?? null,
      analysis: item?.plato.analysis ?? q.plato?.analysis ?? null,
    },
  };
}

const DEFAULT_OPTIONS: ViewOptions = { x: 'sf', panels: ['vis2', 't3phi'], colorBy: 'baseline', errors: 'auto', showFlagged: false };

/** A file the page holds (the open one and those added for the multi-file view). */
interface HeldFile extends OpenedFile {
  key: string;
}

export function ReviewScreen() {
  const queue = useReviewQueue();
  const settings = useApi('review.getSettings', {});
  const { height: viewportHeight } = useViewportSize();
  const [opened, setOpened] = useState<HeldFile | null>(null);
  const [extra, setExtra] = useState<HeldFile[]>([]);
  const [lastPath, setLastPath] = useScreenState<string | null>('review.openedPath', null);
  const [openError, setOpenError] = useState<string | null>(null);
  const [loadingPath, setLoadingPath] = useState<string | null>(null);
  /** The queue entry j/k last moved to, opened or not (an unreadable file still holds the place). */
  const [cursorPath, setCursorPath] = useState<string | null>(null);
  const [sameAs, setSameAs] = useState<ReviewQueueItem | null>(null);
  const [draft, setDraft] = useState<VerdictDraft>(EMPTY_DRAFT);
  const [savedDraft, setSavedDraft] = useState<VerdictDraft>(EMPTY_DRAFT);
  const [isSaving, setSaving] = useState(false);
  const [savedNote, setSavedNote] = useState<string | null>(null);
  const [options, setOptions] = useState<ViewOptions>(DEFAULT_OPTIONS);
  const [filter, setFilter] = useState<ViewFilter>(NO_FILTER);
  const [showSpectro, setShowSpectro] = useState<boolean | null>(null);
  const [folderInput, setFolderInput] = useState('');
  const [pathInput, setPathInput] = useState('');
  const [picked, setPicked] = useState<PickedPoint[]>([]);
  const [rule, setRule] = useState('');
  const [reason, setReason] = useState('');
  const [isFlagging, setFlagging] = useState(false);
  const [fit, setFit] = useState<ReviewFitResult | null>(null);
  const [fitError, setFitError] = useState<string | null>(null);
  const [isFitting, setFitting] = useState(false);
  const [history, setHistory] = useState<ReviewHistory | null>(null);
  const [showModel, setShowModel] = useState(false);
  const [model, setModel] = useState<{ components: ObjectModel; note: string } | null>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const cache = useRef(new Map<string, OpenedFile>());
  const ticket = useRef(0);

  // Start fetching plotly as soon as the screen shows, not when the first file opens.
  useEffect(() => {
    void loadPlotly();
  }, []);
  useApiEvent('review.fileArrived', (f) => {
    notifications.show({ title: `New ${f.level} file${f.night ? ` for ${f.night}` : ''}`, message: `${f.fileName}${f.targetName ? ` (${f.targetName})` : ''} arrived in a watched folder.` });
  });

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

  const loadHistory = useCallback((path: string | null) => {
    if (!path) {
      setHistory(null);
      return;
    }
    api.call('review.history', { path }).then(setHistory, () => setHistory(null));
  }, []);

  const show = useCallback(
    (file: HeldFile) => {
      setOpened(file);
      setExtra([]);
      if (file.path) setLastPath(file.path);
      const d = draftFor(file, reviewerDefault, keepBackupDefault);
      setDraft(d);
      setSavedDraft(d);
      setSavedNote(null);
      setShowSpectro(null);
      setPicked([]);
      setFit(null);
      setFitError(null);
      setModel(null);
      setFilter({ ...NO_FILTER, targets: defaultTargets([{ key: file.key, name: file.fileName, night: file.item?.night ?? null, plot: file.plot }]) });
      setOptions((o) => ({ ...o, panels: o.panels.filter((k) => file.plot.available.includes(k)).length ? o.panels.filter((k) => file.plot.available.includes(k)) : [file.plot.amplitudeKind, 't3phi'].filter((k) => file.plot.available.includes(k as SeriesKind)) as SeriesKind[] }));
      loadHistory(file.path);
    },
    [reviewerDefault, keepBackupDefault, loadHistory, setLastPath],
  );

  const fetchFile = useCallback(async (path: string, kinds: SeriesKind[]): Promise<OpenedFile> => {
    const key = `${path}|${kinds.join(',')}`;
    const hit = cache.current.get(key);
    if (hit) return hit;
    const file = await api.call('review.open', { path, kinds });
    cache.current.set(key, file);
    return file;
  }, []);

  const openPath = useCallback(
    async (path: string) => {
      const my = ++ticket.current;
      setOpenError(null);
      setSameAs(null);
      setLoadingPath(path);
      const askedAtMs = performance.now();
      try {
        const file = await fetchFile(path, options.panels);
        performance.measure('review:fetch', { start: askedAtMs });
        if (my === ticket.current) show({ ...file, key: path });
      } catch (e) {
        if (my === ticket.current) {
          setOpenError((e as Error).message);
          setOpened(null);
          setHistory(null);
        }
      } finally {
        if (my === ticket.current) setLoadingPath(null);
      }
    },
    [show, fetchFile, options.panels],
  );

  // Another y quantity: fetch it for the open files (the first look carries only V² and T3PHI).
  useEffect(() => {
    if (!opened?.path) return;
    const missing = options.panels.filter((k) => !opened.plot.included.includes(k) && opened.plot.available.includes(k));
    if (missing.length === 0) return;
    const kinds = SERIES_KINDS.filter((k) => options.panels.includes(k) || opened.plot.included.includes(k));
    void fetchFile(opened.path, kinds).then((f) => setOpened((o) => (o && o.path === f.path ? { ...o, plot: f.plot } : o)));
    for (const x of extra) if (x.path) void fetchFile(x.path, kinds).then((f) => setExtra((list) => list.map((e) => (e.path === f.path ? { ...e, plot: f.plot } : e))));
  }, [options.panels, opened, extra, fetchFile]);

  // Coming back to Review reopens the file that was open (an unsaved verdict is not kept).
  useEffect(() => {
    if (lastPath) void openPath(lastPath);
    // Once per visit of the screen.
  }, []);

  const openLocal = useCallback(
    async (files: File[]) => {
      const file = files[0];
      if (!file) return;
      // In the desktop window a dropped file has a path, so its verdict can be written back.
      const localPath = window.spica?.pathForFile(file);
      if (localPath) return openPath(localPath);
      setOpenError(null);
      setLoadingPath(null);
      try {
        const read = await readLocalFile(file);
        show({ ...read, key: `local:${file.name}:${read.contentHash}` });
        // Same content as a queue file (SHA-256 of the data HDUs): say so, but never write into
        // that file for a pick the user made elsewhere: opening it is the user's choice.
        setSameAs(items.find((i) => i.contentHash === read.contentHash) ?? null);
      } catch (e) {
        setOpenError(`${file.name}: ${(e as Error).message}`);
      }
    },
    [items, openPath, show],
  );
  const isDragging = useFileDrop(openLocal);

  const selectedPath = cursorPath ?? loadingPath ?? opened?.path ?? null;
  const move = (delta: number) => {
    if (items.length === 0) return;
    const from = items.findIndex((i) => i.path === selectedPath);
    const next = from < 0 ? (delta > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, from + delta));
    setCursorPath(items[next].path);
    void openPath(items[next].path);
  };

  const isDirty = JSON.stringify(draft) !== JSON.stringify(savedDraft);
  const readOnlyReason = opened && !opened.path ? 'Read in the browser from a dropped file: view only. Add its night folder or open it by path to save a verdict.' : null;
  const canSave = !!opened?.path && draft.level !== null && !isSaving;

  const afterWrite = useCallback(
    (path: string) => {
      for (const k of [...cache.current.keys()]) if (k.startsWith(`${path}|`)) cache.current.delete(k);
      loadHistory(path);
    },
    [loadHistory],
  );

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
        plato: draft.plato,
      });
      afterWrite(opened.path);
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
  }, [opened, draft, isSaving, settings, afterWrite]);

  const reopen = useCallback(
    async (path: string) => {
      const file = await fetchFile(path, SERIES_KINDS.filter((k) => options.panels.includes(k)));
      setOpened((o) => (o && o.path === path ? { ...o, ...file, key: path } : o));
    },
    [fetchFile, options.panels],
  );

  const flag = useCallback(
    async (request: { points?: PickedPoint[]; rule?: string; flag?: boolean }) => {
      if (!opened?.path) return;
      if (!draft.reviewer.trim()) {
        notifications.show({ color: 'red', message: 'Enter the reviewer name first (Verdict panel).' });
        return;
      }
      setFlagging(true);
      try {
        const r = await api.call('review.flagPoints', {
          path: opened.path,
          ...(request.points ? { points: request.points.filter((p) => p.file === opened.key).map(({ hdu, row, channel }) => ({ hdu, row, channel })) } : {}),
          ...(request.rule ? { rule: request.rule } : {}),
          ...(request.flag !== undefined ? { flag: request.flag } : {}),
          reason: reason.trim(),
          reviewer: draft.reviewer.trim(),
          backup: draft.keepBackup,
        });
        afterWrite(opened.path);
        await reopen(opened.path);
        setPicked([]);
        notifications.show({ message: `${opened.fileName}: ${r.changed} FLAG element(s) changed${r.backupPath ? '; original kept in .review-backups/' : ''}` });
        for (const w of r.warnings) notifications.show({ color: 'yellow', message: w, autoClose: 10000 });
      } catch (e) {
        notifications.show({ color: 'red', title: 'Flags not written', message: (e as Error).message, autoClose: 8000 });
      } finally {
        setFlagging(false);
      }
    },
    [opened, draft.reviewer, draft.keepBackup, reason, afterWrite, reopen],
  );

  const undo = useCallback(
    async (historyId: string) => {
      if (!opened?.path) return;
      setFlagging(true);
      try {
        const r = await api.call('review.undoFlags', { path: opened.path, historyId, reviewer: draft.reviewer.trim() || reviewerDefault || 'reviewer' });
        afterWrite(opened.path);
        await reopen(opened.path);
        notifications.show({ message: `${opened.fileName}: undo restored ${r.changed} FLAG element(s)` });
      } catch (e) {
        notifications.show({ color: 'red', title: 'Not undone', message: (e as Error).message, autoClose: 8000 });
      } finally {
        setFlagging(false);
      }
    },
    [opened, draft.reviewer, reviewerDefault, afterWrite, reopen],
  );

  const runFit = useCallback(async () => {
    if (!opened?.path || isFitting) return;
    setFitting(true);
    setFitError(null);
    try {
      const r = await api.call('review.fit', {
        path: opened.path,
        ...(filter.targets?.length === 1 ? { target: filter.targets[0] } : {}),
        ...(filter.insnames?.length === 1 ? { insname: filter.insnames[0] } : {}),
        ...(filter.labels ? { baselines: filter.labels } : {}),
        ...(draft.reviewer.trim() ? { reviewer: draft.reviewer.trim() } : {}),
      });
      setFit(r);
      loadHistory(opened.path);
    } catch (e) {
      setFitError((e as Error).message);
    } finally {
      setFitting(false);
    }
  }, [opened, isFitting, filter, draft.reviewer, loadHistory]);

  // The target's model, overlaid on the measured points when asked for.
  const targetId = opened?.item?.targetId ?? null;
  useEffect(() => {
    if (!showModel || !targetId) {
      setModel(null);
      return;
    }
    api.call('models.get', { targetId }).then(
      (m) => setModel(m.components ? { components: m.components as ObjectModel, note: `${m.source}: ${m.note}` } : null),
      () => setModel(null),
    );
  }, [showModel, targetId]);

  // The night fit works on the folder of the open queue file (a picked or received copy has none).
  const [nightFitFolder, setNightFitFolder] = useState<string | null>(null);
  const nightFolder = opened?.path ? opened.path.replace(/[\\/][^\\/]*$/, '') || null : null;

  useKeys('review', [
    { keys: ['j', 'arrowdown'], run: () => move(1), help: 'next file', label: 'J / ↓', repeat: true },
    { keys: ['k', 'arrowup'], run: () => move(-1), help: 'previous file', label: 'K / ↑', repeat: true },
    ...[0, 1, 2, 3, 4, 5].map((level) => ({ keys: String(level), run: () => opened && setDraft((d) => ({ ...d, level })), help: level === 0 ? 'quality level 0–5' : undefined, label: '0 … 5' })),
    { keys: 'c', run: () => commentRef.current?.focus(), help: 'write a comment' },
    { keys: 's', run: () => void save(), help: 'save the verdict into the file' },
    { keys: 'mod+enter', run: () => void save(), help: 'save the verdict (also while typing the comment)', label: 'Ctrl+Enter' },
    { keys: 'shift+f', run: () => nightFolder && setNightFitFolder(nightFolder), help: 'fit every file of the open file\'s night folder', label: 'Shift+F' },
    { keys: 'f', run: () => void runFit(), help: 'quick-look fit of the open file' },
  ]);

  const addFolder = async () => {
    if (!folderInput.trim()) return;
    try {
      await addQueueFolder(folderInput.trim());
      setFolderInput('');
    } catch (e) {
      notifications.show({ color: 'red', title: 'Folder not added', message: (e as Error).message, autoClose: 8000 });
    }
  };

  const addToView = async (path: string) => {
    if (!opened || extra.some((e) => e.path === path) || opened.path === path) return;
    try {
      const f = await fetchFile(path, SERIES_KINDS.filter((k) => options.panels.includes(k)));
      setExtra((list) => [...list, { ...f, key: path }]);
    } catch (e) {
      notifications.show({ color: 'red', message: (e as Error).message });
    }
  };

  const pickedSet = useMemo(() => new Set(picked.map(pickedKey)), [picked]);
  const onPick = useCallback((points: PickedPoint[]) => setPicked(points), []);
  const viewFiles: ViewFile[] = useMemo(() => {
    if (!opened) return [];
    return [opened, ...extra].map((f) => ({
      key: f.key,
      name: f.fileName,
      night: f.item?.night ?? null,
      plot: f.plot,
      ...(model ? { model: predictSeries(model.components, f.plot.series) } : {}),
    }));
  }, [opened, extra, model]);
  const fitCurve: FigureContext['fitCurve'] = useMemo(() => {
    if (!fit) return null;
    const ud = uniformDisk(fit.ud.diameterMas);
    return {
      label: `UD fit ${fit.ud.diameterMas.toFixed(3)} mas`,
      // sf in Mλ: the engine takes u in m with λ in µm, so u = sf (10⁶ rad⁻¹) at λ = 1 µm.
      vis2AtSfMl: (sf: number) => {
        const g = complexVisibility(ud, [sf], [0], [1]);
        return g.re[0] * g.re[0];
      },
    };
  }, [fit]);

  const summary = opened?.summary;
  const counts = opened ? flaggedCounts(opened.plot, options.panels) : null;
  // Both counts say which tables they cover: the plotted panels' and the whole file's, per table.
  const flagLine = summary && counts
    ? `${counts.flagged} of ${counts.total} plotted ${counts.tables} points flagged · in the file: ${summary.flagCounts.map((c) => `${c.extname} ${c.flagged} of ${c.total}`).join(', ')}`
    : '';
  const flagEdits = (history?.events ?? []).filter((e) => e.kind === 'flags' || e.kind === 'flags-undo');
  const mainHeight = Math.max(320, Math.min(600, (viewportHeight || 900) - 300));
  const otherNights = (opened?.targetNights ?? []).filter((n) => n.night !== opened?.item?.night || n.files.some((f) => f.path !== opened?.path));
  return (
    <Group align="stretch" gap="sm" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
      <Stack gap={6} style={{ width: 240, flexShrink: 0, minHeight: 0 }}>
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
            <CloseButton size="xs" aria-label={`Stop watching ${f}`} onClick={() => void removeQueueFolder(f)} />
          </Group>
        ))}
        <Group gap={4} wrap="nowrap">
          <TextInput
            size="xs"
            placeholder="Open a file by path"
            value={pathInput}
            onChange={(e) => setPathInput(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && pathInput.trim()) {
                setCursorPath(null);
                void openPath(pathInput.trim());
              }
            }}
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
        <SampIncoming
          openedPath={opened?.path ?? null}
          onOpen={(p) => {
            setCursorPath(null);
            void openPath(p);
          }}
        />
        <Group gap={4}>
          <Text size="xs" c="dimmed" data-testid="review-queue-count">
            {items.length} file{items.length === 1 ? '' : 's'}, {items.filter((i) => i.qualityLevel === null).length} to review
          </Text>
          <Text size="xs" c="dimmed"><Kbd size="xs">j</Kbd>/<Kbd size="xs">k</Kbd></Text>
          <Tooltip label={nightFolder ? `Quick-look fit of every file in ${nightFolder} (Shift+F)` : 'Open a queue file first'}>
            <Button size="compact-xs" variant="default" disabled={!nightFolder} onClick={() => nightFolder && setNightFitFolder(nightFolder)} data-testid="review-night-fit-open">
              Fit night
            </Button>
          </Tooltip>
        </Group>
        <ReviewQueueList
          items={items}
          selectedPath={selectedPath}
          onSelect={(i: ReviewQueueItem) => {
            setCursorPath(i.path);
            void openPath(i.path);
          }}
        />
      </Stack>

      <Stack gap={6} style={{ flex: 1, minWidth: 0, minHeight: 0, overflowY: 'auto' }}>
        {openError && <Alert color="red" title="Cannot read this file" data-testid="review-open-error">{openError}</Alert>}
        {sameAs && opened && !opened.path && (
          <Alert color="blue" data-testid="review-same-content">
            Same data (content hash {opened.contentHash.slice(0, 12)}) as the queue file {sameAs.path}. This copy was read in the browser and stays view only.{' '}
            <Button size="compact-xs" variant="default" onClick={() => void openPath(sameAs.path)} data-testid="review-open-same">Open the queue file</Button>
          </Alert>
        )}
        {!opened && !openError && (
          <Text c="dimmed" size="sm" mt="md">
            {loadingPath ? <Loader size="xs" /> : 'Pick a file in the queue (j/k), drop an OIFITS file here, or open one by path. Files sent by ASPRO2 or OIFitsExplorer over SAMP wait under "Received over SAMP".'}
          </Text>
        )}
        {opened && summary && (
          <>
            <Group gap="xs" wrap="wrap" data-testid="review-header">
              <Text fw={600} size="sm" data-testid="review-file-name" truncate="end" title={opened.path ?? opened.fileName} style={{ maxWidth: '100%' }}>{opened.fileName}</Text>
              <Badge size="sm" variant="light">OIFITS v{summary.version}</Badge>
              <Text size="xs">{summary.targets.join(', ') || '(no target)'}</Text>
              {opened.item?.targetName && <Badge size="sm" variant="outline" title="Linked survey target">{opened.item.targetName}</Badge>}
              {opened.item && opened.item.versions > 1 && <Badge size="sm" variant="outline" radius={0} title="Versions of this product">{opened.item.versions} versions</Badge>}
              {opened.item?.previousVerdict && <Badge size="sm" variant="outline" color="yellow" title="Verdict of the previous version">prev. Q{opened.item.previousVerdict.qualityLevel}</Badge>}
              <Text size="xs" c="dimmed">{[summary.header.instrument, summary.header.dateObs].filter(Boolean).join(' · ')}</Text>
              <Text size="xs" c="dimmed" data-testid="review-flag-count">{flagLine}</Text>
              {summary.hdus.some((h) => !h.isKnown) && (
                <Badge size="sm" variant="outline" color="yellow" data-testid="review-unknown-hdus" title="HDUs this reader does not decode">
                  not read: {summary.hdus.filter((h) => !h.isKnown).map((h) => `${h.extname || h.xtension} (HDU ${h.hdu}${h.rows !== null ? `, ${h.rows} rows` : ''})`).join(', ')}
                </Badge>
              )}
              {opened.item?.targetId && (
                <Switch size="xs" label="Model" checked={showModel} onChange={(e) => setShowModel(e.currentTarget.checked)} data-testid="review-model-overlay" title={model?.note} />
              )}
              {loadingPath && <Loader size="xs" />}
            </Group>
            {otherNights.length > 0 && (
              <Group gap={4} wrap="wrap" data-testid="review-target-nights">
                <Text size="xs" c="dimmed">{opened.item?.targetName}: nights</Text>
                {otherNights.slice(0, 12).map((n) => (
                  <Group key={n.night} gap={2} wrap="nowrap">
                    <Text size="xs" fw={n.night === opened.item?.night ? 700 : 400}>{n.night}</Text>
                    {n.files.filter((f) => f.path !== opened.path).slice(0, 4).map((f) => (
                      <Tooltip key={f.path} label={`${f.fileName}: ${n.night === opened.item?.night ? 'add to this plot' : 'open'}`}>
                        <Badge
                          size="xs"
                          variant={extra.some((e) => e.path === f.path) ? 'filled' : 'outline'}
                          style={{ cursor: 'pointer' }}
                          onClick={() => (n.night === opened.item?.night ? void addToView(f.path) : void openPath(f.path))}
                          data-testid="review-night-file"
                        >
                          {f.level}{f.qualityLevel !== null ? ` Q${f.qualityLevel}` : ''}
                        </Badge>
                      </Tooltip>
                    ))}
                  </Group>
                ))}
              </Group>
            )}
            {extra.length > 0 && (
              <Group gap={4} data-testid="review-multi-files">
                <Text size="xs">On this plot:</Text>
                {[opened, ...extra].map((f) => (
                  <Badge key={f.key} size="xs" variant="light" tt="none" maw={320} title={f.fileName} rightSection={f === opened ? undefined : <CloseButton size={12} onClick={() => setExtra((l) => l.filter((e) => e.key !== f.key))} />}>
                    {f.fileName}
                  </Badge>
                ))}
              </Group>
            )}
            {/* Not keyed by file: its plots stay mounted from file to file, so plotly updates them
                (and keeps its WebGL contexts) instead of drawing from scratch. */}
            <ReviewPlots
              files={viewFiles}
              options={options}
              onOptions={setOptions}
              filter={filter}
              onFilter={setFilter}
              showSpectro={showSpectro}
              onShowSpectro={setShowSpectro}
              available={opened.plot.available}
              picked={pickedSet}
              onPick={onPick}
              fitCurve={fitCurve}
              mainHeight={mainHeight}
            />
          </>
        )}
      </Stack>

      <ScrollArea style={{ width: 290, flexShrink: 0, minHeight: 0 }} type="auto" offsetScrollbars>
        <Stack gap="sm" pb="md">
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
          {opened && (
            <FitPanel fit={fit} isBusy={isFitting} canFit={!!opened.path} onFit={() => void runFit()} error={fitError} />
          )}
          {opened && (
            <FlagPanel
              pickedCount={picked.filter((p) => p.file === opened.key).length}
              rule={rule}
              onRule={setRule}
              reason={reason}
              onReason={setReason}
              canWrite={!!opened.path}
              isBusy={isFlagging}
              onFlagPicked={(f) => void flag({ points: picked, flag: f })}
              onFlagRule={() => void flag({ rule: rule.trim() })}
              onClearPicked={() => setPicked([])}
              edits={flagEdits}
              onUndo={(id) => void undo(id)}
            />
          )}
          {summary && <FindingsList findings={summary.findings} />}
          <HistoryPanel history={history} />
        </Stack>
      </ScrollArea>
      {isDragging && <div className="drop-overlay">Drop an OIFITS file to review it</div>}
      <NightFitModal folder={nightFitFolder} onClose={() => setNightFitFolder(null)} />
    </Group>
  );
}
