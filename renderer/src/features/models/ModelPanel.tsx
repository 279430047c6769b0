/**
 * The target drawer's model editor: which model the predictions use (local, SPICA-DB, or the
 * uniform-disk fallback, marked as such), its components, and a text editor for a local model in
 * SPICA-DB JSON or ASPRO2 XML, checked as you type. Saved models stay local (never pushed).
 */
import { Alert, Badge, Button, Code, Group, Loader, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ModelCheck } from '../../../../shared/contract/models';
import { api } from '../../api/client';
import { useApi } from '../../api/hooks';
import { sourceLabel } from './format';

const EXAMPLE = '[{"type": "disk", "diameter": 1.04}]';

export function ModelPanel({ targetId }: { targetId: string }) {
  const info = useApi('models.get', { targetId });
  const [text, setText] = useState('');
  const [check, setCheck] = useState<ModelCheck | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);
  const m = info.data;

  useEffect(() => {
    setText(m?.localJson ?? '');
    setCheck(null);
    setSaveError(null);
  }, [m?.targetId, m?.localJson]);

  useEffect(() => {
    if (text.trim() === '') {
      setCheck(null);
      return;
    }
    const id = setTimeout(() => {
      api.call('models.check', { text }).then(setCheck, (e: Error) => setCheck({ ok: false, error: e.message, componentIndex: null, parameter: null, components: null, json: null, xml: null }));
    }, 250);
    return () => clearTimeout(id);
  }, [text]);

  const save = async (model: string | null) => {
    setSaving(true);
    setSaveError(null);
    try {
      await api.call('models.set', { targetId, model });
      info.reload();
    } catch (e) {
      setSaveError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  if (info.error) return <Alert color="red" title="Model">{info.error}</Alert>;
  if (!m) return <Loader size="sm" />;
  const isFallback = m.source.startsWith('fallback');
  const dirty = text.trim() !== (m.localJson ?? '').trim();
  return (
    <Stack gap="xs" data-testid="model-panel">
      <Group gap="xs">
        <Title order={6}>Object model</Title>
        <Badge color={isFallback ? 'yellow' : m.source === 'none' ? 'red' : 'blue'} variant="light" data-testid="model-source">{sourceLabel(m.source)}</Badge>
        <Text size="xs" c="dimmed">{m.note}</Text>
      </Group>
      {m.warnings.map((w) => <Alert key={w} color="yellow" p="xs">{w}</Alert>)}
      {m.components && (
        <Table fz="xs" withTableBorder verticalSpacing={2} data-testid="model-components">
          <Table.Thead>
            <Table.Tr><Table.Th>#</Table.Th><Table.Th>type</Table.Th><Table.Th>parameters</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {m.components.map((c, i) => (
              <Table.Tr key={i}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td>{c.type}{c.name ? ` (${c.name})` : ''}</Table.Td>
                <Table.Td>{Object.entries(c.params).map(([k, v]) => `${k} ${Number(v.toPrecision(6))}`).join(' · ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {m.spicadbText && m.source === 'local' && (
        <Text size="xs" c="dimmed">SPICA-DB model (not used while a local one exists): <Code>{m.spicadbText}</Code></Text>
      )}
      <Textarea
        label="Local model (SPICA-DB JSON or ASPRO2 XML)"
        description="Stays on this computer; ASPRO2 receives it with the targets. Empty = use SPICA-DB's model, else the fallback."
        placeholder={EXAMPLE}
        autosize
        minRows={2}
        maxRows={8}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        error={check && !check.ok ? check.error : null}
        styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
        data-testid="model-text"
      />
      {check?.ok && <Text size="xs" c="dimmed" data-testid="model-check-ok">valid: {check.components?.length} component(s)</Text>}
      {saveError && <Alert color="red" p="xs">{saveError}</Alert>}
      <Group gap="xs">
        <Button size="xs" disabled={!dirty || (check !== null && !check.ok) || isSaving} onClick={() => save(text)} data-testid="model-save">Save local model</Button>
        <Button size="xs" variant="default" disabled={!m.localJson || isSaving} onClick={() => save(null)} data-testid="model-clear">Remove local model</Button>
        {!text && m.json && (
          <Button size="xs" variant="subtle" onClick={() => setText(m.json ?? '')}>edit a copy of the current model</Button>
        )}
      </Group>
    </Stack>
  );
}
