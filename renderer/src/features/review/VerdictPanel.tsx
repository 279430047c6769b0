/**
 * The verdict form: OiDB quality level 0–5, comment, reviewer, backup choice, save. Keys are
 * handled by the screen (digits, c, s); inside the comment, Ctrl/Cmd+Enter saves and Esc leaves.
 */
import { Button, Checkbox, Group, Kbd, SegmentedControl, Stack, Text, TextInput, Textarea, Tooltip, UnstyledButton } from '@mantine/core';
import type { RefObject } from 'react';
import { PLATO_FLAG_LABELS, QUALITY_LABELS } from '../../../../shared/oifits/quality';

/** PLATO's three flags (0 not assessed … 3 good); null = leave the file's value. */
export interface PlatoDraft {
  processing: number | null;
  calibrators: number | null;
  analysis: number | null;
}

export interface VerdictDraft {
  level: number | null;
  comment: string;
  reviewer: string;
  keepBackup: boolean;
  plato: PlatoDraft;
}

const PLATO_ROWS: { key: keyof PlatoDraft; label: string }[] = [
  { key: 'processing', label: 'Processing' },
  { key: 'calibrators', label: 'Calibrators' },
  { key: 'analysis', label: 'Analysis' },
];

export interface VerdictPanelProps {
  draft: VerdictDraft;
  onDraft(draft: VerdictDraft): void;
  onSave(): void;
  isSaving: boolean;
  canSave: boolean;
  /** Why saving is impossible (file read in the browser without a path), if it is. */
  readOnlyReason: string | null;
  isDirty: boolean;
  savedNote: string | null;
  commentRef: RefObject<HTMLTextAreaElement | null>;
}

export function VerdictPanel({ draft, onDraft, onSave, isSaving, canSave, readOnlyReason, isDirty, savedNote, commentRef }: VerdictPanelProps) {
  return (
    <Stack gap={6} data-testid="review-verdict">
      <Group gap={6} justify="space-between">
        <Text size="sm" fw={600}>Quality (OiDB)</Text>
        {isDirty && <Text size="xs" c="yellow" data-testid="review-dirty">unsaved</Text>}
      </Group>
      <Stack gap={3}>
        {QUALITY_LABELS.map((label, level) => (
          <UnstyledButton
            key={level}
            onClick={() => onDraft({ ...draft, level })}
            data-testid={`review-level-${level}`}
            data-active={draft.level === level}
            style={{
              padding: '2px 6px',
              borderRadius: 4,
              background: draft.level === level ? 'var(--mantine-primary-color-filled)' : undefined,
              color: draft.level === level ? 'var(--mantine-color-white)' : undefined,
            }}
          >
            <Group gap={6} wrap="nowrap">
              <Kbd size="xs">{level}</Kbd>
              <Text size="xs">{label}</Text>
            </Group>
          </UnstyledButton>
        ))}
      </Stack>
      <Stack gap={2} data-testid="review-plato">
        <Text size="xs" fw={600}>PLATO flags</Text>
        {PLATO_ROWS.map(({ key, label }) => (
          <Group key={key} gap={4} wrap="nowrap" justify="space-between">
            <Text size="xs" w={70}>{label}</Text>
            <SegmentedControl
              size="xs"
              value={draft.plato[key] === null ? '' : String(draft.plato[key])}
              onChange={(v) => onDraft({ ...draft, plato: { ...draft.plato, [key]: v === '' ? null : Number(v) } })}
              data={[{ value: '', label: '–' }, ...PLATO_FLAG_LABELS.map((l, i) => ({ value: String(i), label: <Tooltip label={`${i}: ${l}`} withinPortal><span>{i}</span></Tooltip> }))]}
              data-testid={`review-plato-${key}`}
            />
          </Group>
        ))}
      </Stack>
      <Textarea
        ref={commentRef}
        label={<>Comment <Kbd size="xs">c</Kbd></>}
        size="xs"
        autosize
        minRows={2}
        maxRows={6}
        value={draft.comment}
        onChange={(e) => onDraft({ ...draft, comment: e.currentTarget.value })}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            // Leave the field so j/k and the digit keys work again right after saving.
            e.currentTarget.blur();
            onSave();
          } else if (e.key === 'Escape') {
            e.currentTarget.blur();
          }
        }}
        data-testid="review-comment"
      />
      <TextInput
        size="xs"
        label="Reviewer"
        value={draft.reviewer}
        onChange={(e) => onDraft({ ...draft, reviewer: e.currentTarget.value })}
        onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()}
        data-testid="review-reviewer"
      />
      <Checkbox size="xs" label="Keep the original in .review-backups/" checked={draft.keepBackup} onChange={(e) => onDraft({ ...draft, keepBackup: e.currentTarget.checked })} />
      <Button size="xs" onClick={onSave} loading={isSaving} disabled={!canSave} data-testid="review-save" rightSection={<Kbd size="xs">s</Kbd>}>
        Save to file and store
      </Button>
      {readOnlyReason && <Text size="xs" c="dimmed">{readOnlyReason}</Text>}
      {savedNote && <Text size="xs" c="dimmed" data-testid="review-saved-note">{savedNote}</Text>}
    </Stack>
  );
}
