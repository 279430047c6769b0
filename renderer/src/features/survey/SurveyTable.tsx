/**
 * The virtualised Survey table: only the rows in view are in the DOM, so 3000+ targets scroll
 * and sort instantly. Keyboard: ↑/↓ (or J/K) move the selection, Enter opens the target.
 */
import { Badge, Group, UnstyledButton } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconChevronDown, IconChevronUp } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { TargetSummary } from '../../../../shared/model/survey';
import { useThemeMode } from '../../app/theme-mode';
import { priorityBadgeProps, priorityLabel } from '../../theme';
import { formatDecDms, formatMag, formatPercent, formatRaHms } from './format';

export type SortKey =
  | 'name' | 'raDeg' | 'decDeg' | 'vmag' | 'hmag' | 'spType' | 'mode' | 'programme'
  | 'completionRate' | 'finalPriority' | 'observationCount' | 'lastObservedNight';

export interface SortState {
  key: SortKey;
  direction: 'asc' | 'desc';
}

interface Column {
  key: SortKey;
  label: string;
  width: string;
  align?: 'right' | 'center';
  render(t: TargetSummary): React.ReactNode;
}

const ROW_HEIGHT = 34;

// Cells are plain elements styled by global.css rather than Mantine components: a screen of
// rows holds several hundred cells, and the first paint of 3000 targets is dominated by them.
const mono = (text: string) => <span className="cell-mono">{text}</span>;

/**
 * The columns; `isNarrow` (below 1408 px, 1280 included) narrows the fixed ones and shows the
 * observation count and the last night in one column, so every column fits without a horizontal
 * scroll (test/e2e/screens-all.spec.ts).
 */
function columns(mode: 'dark' | 'night', isNarrow: boolean): Column[] {
  const all: Column[] = [
    { key: 'name', label: 'Name', width: 'minmax(140px, 1.4fr)', render: (t) => (
      <span className="cell-name">
        {t.name}
        {t.isDemo && <span className="demo-tag">demo</span>}
      </span>
    ) },
    { key: 'raDeg', label: 'RA', width: '112px', render: (t) => mono(formatRaHms(t.raDeg, 2)) },
    { key: 'decDeg', label: 'Dec', width: '112px', render: (t) => mono(formatDecDms(t.decDeg, 1)) },
    { key: 'vmag', label: 'V', width: '56px', align: 'right', render: (t) => mono(formatMag(t.vmag)) },
    { key: 'hmag', label: 'H', width: '56px', align: 'right', render: (t) => mono(formatMag(t.hmag)) },
    { key: 'spType', label: 'SpT', width: '84px', render: (t) => <span className="cell-text">{t.spType ?? '—'}</span> },
    { key: 'programme', label: 'Programmes (PI, PI prio)', width: 'minmax(170px, 1.2fr)', render: (t) => (
      <span className="cell-badges">
        {t.programmes.map((m) => (
          <Badge
            key={`${m.programme}-${m.rank}`}
            title={`${m.programme} · PI ${m.pi ?? '—'} · PI priority ${m.piPriority === null ? 'none' : m.piPriority === 0 ? '0 (high)' : '1 (low)'}${m.comments ? ` · ${m.comments}` : ''}`}
            size="sm"
            variant={m.piPriority === 0 ? 'filled' : 'light'}
            radius="sm"
          >
            {m.programme}{m.pi ? ` · ${m.pi.replace(/^Demo PI /, '')}` : ''}
          </Badge>
        ))}
      </span>
    ) },
    { key: 'mode', label: 'Mode', width: '60px', render: (t) => <span className="cell-text">{t.mode ?? '—'}</span> },
    { key: 'completionRate', label: 'Completion', width: '110px', render: (t) => (
      <span className="cell-completion" title={t.completionDatabase !== undefined ? `provisional (logged here); SPICA-DB says ${formatPercent(t.completionDatabase)}` : undefined}>
        <span className="bar"><span style={{ width: `${Math.round(t.completionRate * 100)}%` }} /></span>
        {mono(`${formatPercent(t.completionRate)}${t.completionDatabase !== undefined ? '*' : ''}`)}
      </span>
    ) },
    { key: 'finalPriority', label: 'Prio', width: '56px', align: 'center', render: (t) => (
      <Badge size="sm" {...priorityBadgeProps(t.finalPriority, mode)}>{priorityLabel(t.finalPriority)}</Badge>
    ) },
    { key: 'observationCount', label: 'Obs', width: '48px', align: 'right', render: (t) => mono(String(t.observationCount)) },
    { key: 'lastObservedNight', label: 'Last observed', width: '104px', render: (t) => mono(t.lastObservedNight ?? '—') },
  ];
  if (!isNarrow) return all;
  const narrower: Partial<Record<SortKey, string>> = { name: 'minmax(120px, 1.4fr)', raDeg: '96px', decDeg: '96px', vmag: '48px', hmag: '48px', spType: '76px', programme: 'minmax(130px, 1.2fr)', completionRate: '100px' };
  return [
    ...all.filter((c) => c.key !== 'observationCount' && c.key !== 'lastObservedNight').map((c) => ({ ...c, width: narrower[c.key] ?? c.width })),
    { key: 'lastObservedNight', label: 'Obs · last', width: '124px', render: (t) => mono(`${t.observationCount} · ${t.lastObservedNight ?? '—'}`) },
  ];
}

export interface SurveyTableProps {
  rows: TargetSummary[];
  sort: SortState;
  onSort(sort: SortState): void;
  selectedIndex: number;
  onSelect(index: number): void;
  onOpen(target: TargetSummary): void;
}

export function SurveyTable({ rows, sort, onSort, selectedIndex, onSelect, onOpen }: SurveyTableProps) {
  const { mode } = useThemeMode();
  const isNarrow = useMediaQuery('(max-width: 1407px)') ?? false;
  const cols = columns(mode, isNarrow);
  const template = cols.map((c) => c.width).join(' ');
  const gap = isNarrow ? 6 : 8;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'j') onSelect(Math.min(rows.length - 1, selectedIndex + 1));
    else if (e.key === 'ArrowUp' || e.key === 'k') onSelect(Math.max(0, selectedIndex - 1));
    else if (e.key === 'PageDown') onSelect(Math.min(rows.length - 1, selectedIndex + 20));
    else if (e.key === 'PageUp') onSelect(Math.max(0, selectedIndex - 20));
    else if (e.key === 'Enter' && rows[selectedIndex]) onOpen(rows[selectedIndex]);
    else return;
    e.preventDefault();
  };
  return (
    <div style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }} data-testid="survey-table">
      <div role="row" style={{ display: 'grid', gridTemplateColumns: template, gap, padding: '6px 8px', borderBottom: '1px solid var(--mantine-color-dark-4)' }}>
        {cols.map((c) => (
          <UnstyledButton
            key={c.key}
            role="columnheader"
            onClick={() => onSort({ key: c.key, direction: sort.key === c.key && sort.direction === 'asc' ? 'desc' : 'asc' })}
            style={{ textAlign: c.align ?? 'left', fontSize: 12, fontWeight: 600 }}
            aria-sort={sort.key === c.key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
            data-testid={`sort-${c.key}`}
          >
            <Group gap={2} wrap="nowrap" justify={c.align === 'right' ? 'flex-end' : c.align === 'center' ? 'center' : 'flex-start'}>
              {c.label}
              {sort.key === c.key && (sort.direction === 'asc' ? <IconChevronUp size={12} /> : <IconChevronDown size={12} />)}
            </Group>
          </UnstyledButton>
        ))}
      </div>
      <div
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={onKeyDown}
        className="survey-grid"
        style={{ flex: 1, minHeight: 0, overflow: 'auto' }}
        aria-label="Survey targets"
        role="grid"
        aria-rowcount={rows.length}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const t = rows[item.index];
            return (
              <div
                key={t.id}
                role="row"
                className="survey-row"
                data-selected={item.index === selectedIndex}
                data-testid="survey-row"
                onClick={() => {
                  onSelect(item.index);
                  onOpen(t);
                }}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW_HEIGHT,
                  transform: `translateY(${item.start}px)`,
                  display: 'grid',
                  gridTemplateColumns: template,
                  gap,
                  alignItems: 'center',
                  padding: '0 8px',
                  borderBottom: '1px solid var(--mantine-color-dark-6)',
                }}
              >
                {cols.map((c) => (
                  <div key={c.key} style={{ textAlign: c.align ?? 'left', overflow: 'hidden', whiteSpace: 'nowrap' }}>{c.render(t)}</div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
