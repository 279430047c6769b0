/**
 * Ranked candidates: rank and tier, θ_UD, V² per channel (stacked in one column), when the star is
 * observable tonight, ΔR, separation/PA, score terms, flags, actions. Columns are stacked so the
 * table fits 1280 px without a horizontal scroll (test/e2e/calibrators-layout.spec.ts); the action
 * column stays visible, sticky at the right edge, should the table ever scroll.
 */
import { ActionIcon, Badge, Button, Group, Menu, Table, Text, Tooltip } from '@mantine/core';
import { IconDots, IconPin, IconPinnedOff } from '@tabler/icons-react';
import type { CalibratorCandidate, CalibratorFlag, ObservableWindow } from '../../../../shared/calibrators/types';
import { fixed, pct, TIER_COLOR, TIER_LABEL, utWindow } from './format';

export interface CandidateActions {
  canAssign: boolean;
  onAssign(c: CalibratorCandidate): void;
  onUnassign(c: CalibratorCandidate): void;
  onPin(c: CalibratorCandidate, isPinned: boolean): void;
  onExclude(c: CalibratorCandidate): void;
  onMarkBad(c: CalibratorCandidate): void;
}

/**
 * A badge whose label is never cut: Mantine's label hides its overflow, which lets a table cell
 * squeeze it to "vsini…" (an overflowing flex item may shrink below its text).
 */
const WHOLE_LABEL = { root: { overflow: 'visible', maxWidth: 'none' }, label: { overflow: 'visible' } } as const;

/** A term as a percentage number without the unit (the header says %). */
function num(v: number): string {
  return (v * 100).toFixed(1);
}

export function FlagChips({ flags }: { flags: CalibratorFlag[] }) {
  return (
    <Group gap={4} wrap="wrap">
      {flags.map((f, k) => (
        <Tooltip key={k} label={`${f.reason} — ${f.source}`} multiline w={320} withArrow>
          <Badge size="xs" tt="none" styles={WHOLE_LABEL} variant={f.severity === 'veto' ? 'filled' : 'light'} color={f.severity === 'veto' ? 'red' : 'orange'} data-testid="flag-chip">
            {f.label}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}

export interface CandidateTableProps {
  candidates: CalibratorCandidate[];
  lambdasUm: number[];
  actions: CandidateActions;
  /** Drawer layout: first channel only, no ΔR, terms or flags columns. */
  compact?: boolean;
}

/** "02:10–06:40 UT · 4.5 h" or "not tonight". */
export function ObservableCell({ w }: { w: ObservableWindow | null }) {
  if (!w) return <Text size="xs" c="dimmed">no night</Text>;
  if (w.intervalsMjd.length === 0) return <Text size="xs" c="red" data-testid="observable">not tonight</Text>;
  return (
    <Tooltip label={`Observable with ${w.basis}${w.pops ? `; PoPs ${w.pops}` : ''}`} multiline w={300}>
      <div data-testid="observable">
        {w.intervalsMjd.map((iv) => (
          <Text key={iv[0]} size="xs" lh={1.3} style={{ whiteSpace: 'nowrap' }}>{utWindow(iv)}</Text>
        ))}
        <Text size="xs" lh={1.3} c="dimmed" style={{ whiteSpace: 'nowrap' }}>{w.hours.toFixed(1)} h{w.pops ? ` · PoPs ${w.pops}` : ''}</Text>
      </div>
    </Tooltip>
  );
}

/** Sticky right-hand cell so the actions never scroll out of sight. */
const STICKY = { position: 'sticky', right: 0, background: 'var(--mantine-color-body)', zIndex: 1 } as const;

export function CandidateTable({ candidates, lambdasUm, actions, compact = false }: CandidateTableProps) {
  const shown = compact ? lambdasUm.slice(0, 1) : lambdasUm;
  return (
    <Table striped highlightOnHover withTableBorder verticalSpacing={4} horizontalSpacing={6} fz="xs" data-testid="candidate-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th># · tier</Table.Th>
          <Table.Th>Star</Table.Th>
          <Table.Th>θ_UD ± σ (mas)</Table.Th>
          <Table.Th>V² ± σ ({shown.map((l) => l.toFixed(2)).join(' / ')} µm)</Table.Th>
          <Table.Th>Observable tonight</Table.Th>
          <Table.Th>Sep / PA{compact ? '' : ' · ΔR'}</Table.Th>
          <Table.Th>Score (terms %)</Table.Th>
          {!compact && <Table.Th>Flags</Table.Th>}
          <Table.Th style={STICKY} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {candidates.map((c) => (
          <Table.Tr key={c.key} data-testid="candidate-row" data-key={c.key}>
            <Table.Td>
              <Group gap={6} wrap="nowrap">
                <Text size="xs" fw={600}>{c.rank}</Text>
                <Tooltip label={`${TIER_LABEL[c.tier]}: ${c.diameterSource}`} multiline w={320}>
                  <Badge size="sm" tt="none" px={6} color={TIER_COLOR[c.tier]} variant="outline" data-testid="tier-badge">{c.tier}</Badge>
                </Tooltip>
              </Group>
              {c.role && (
                <Text size="xs" c={c.role === 'suggested' ? 'teal' : 'dimmed'} data-testid="role">{c.role}</Text>
              )}
            </Table.Td>
            <Table.Td>
              {/* The badges go under the name when the column is narrow, never cut ("assi…"). */}
              <Group gap={4} wrap="wrap">
                <Text size="xs" fw={600} style={{ whiteSpace: 'nowrap' }}>{c.name}</Text>
                {c.isPinned && <IconPin size={12} aria-label="pinned" />}
                {c.isPrimary && <Badge size="xs" tt="none" styles={WHOLE_LABEL} variant="light" color="grape" data-testid="primary-badge">primary</Badge>}
                {c.isAssigned && <Badge size="xs" tt="none" styles={WHOLE_LABEL} variant="outline" color="teal" data-testid="assigned-badge">assigned</Badge>}
              </Group>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{c.spType || '—'} · V {fixed(c.vmag, 2)} · R {fixed(c.rmag, 2)}</Text>
            </Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{fixed(c.udMas, 3)} ± {fixed(c.eUdMas, 3)}</Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid="vis2-cell">
              {c.channels.slice(0, shown.length).map((ch, k) => (
                <Text key={ch.lambdaUm} size="xs" lh={1.3} fw={k === 0 ? 600 : 400} c={k === 0 ? undefined : 'dimmed'}>
                  {fixed(ch.vis2, 3)} ± {fixed(ch.vis2Err, 3)}
                </Text>
              ))}
            </Table.Td>
            <Table.Td><ObservableCell w={c.observable} /></Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              <Text size="xs" lh={1.3}>{c.sepDeg.toFixed(1)}° / {c.paDeg.toFixed(0)}°</Text>
              {!compact && <Text size="xs" lh={1.3} c="dimmed">ΔR {c.deltaRmag === null ? '—' : `${c.deltaRmag > 0 ? '+' : ''}${c.deltaRmag.toFixed(2)}`}</Text>}
            </Table.Td>
            <Table.Td miw={150} maw={170}>
              <Text size="xs" fw={600}>{pct(c.score)}</Text>
              {!compact && (
                <Text size="xs" c="dimmed" data-testid="score-terms" lh={1.3}>
                  θ {num(c.terms.diam)} · sky {num(c.terms.sky)} · X {num(c.terms.airmass)} · mag {num(c.terms.mag)} · res {num(c.terms.resolved)}{c.terms.penalty > 0 ? ` · +${num(c.terms.penalty)}` : ''}
                </Text>
              )}
            </Table.Td>
            {!compact && <Table.Td maw={130}><FlagChips flags={c.flags} /></Table.Td>}
            <Table.Td style={STICKY}>
              <Group gap={4} wrap="nowrap">
                {c.isAssigned ? (
                  <Button size="compact-xs" variant="light" color="gray" onClick={() => actions.onUnassign(c)} data-testid={`unassign-${c.rank}`}>Unassign</Button>
                ) : (
                  <Button size="compact-xs" variant="light" disabled={!actions.canAssign} onClick={() => actions.onAssign(c)} data-testid={`assign-${c.rank}`}>Assign</Button>
                )}
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <ActionIcon variant="subtle" size="sm" aria-label={`actions for ${c.name}`} data-testid={`actions-${c.rank}`}><IconDots size={14} /></ActionIcon>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Item disabled={!actions.canAssign} leftSection={c.isPinned ? <IconPinnedOff size={14} /> : <IconPin size={14} />} onClick={() => actions.onPin(c, !c.isPinned)}>
                      {c.isPinned ? 'Unpin' : 'Pin (assign and rank first)'}
                    </Menu.Item>
                    <Menu.Item disabled={!actions.canAssign} onClick={() => actions.onExclude(c)}>Exclude for this target</Menu.Item>
                    <Menu.Item color="red" onClick={() => actions.onMarkBad(c)} data-testid="mark-bad">Mark as bad calibrator…</Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
