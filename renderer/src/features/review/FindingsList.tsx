/** Validator findings of the open file, errors first, each with its rule and HDU. */
import { Badge, Group, ScrollArea, Stack, Text } from '@mantine/core';
import type { Finding } from '../../../../shared/oifits/validate';

export function FindingsList({ findings }: { findings: Finding[] }) {
  const sorted = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const errors = findings.filter((f) => f.severity === 'error').length;
  return (
    <Stack gap={4} data-testid="review-findings" style={{ minHeight: 0 }}>
      <Group gap={6}>
        <Text size="sm" fw={600}>Validator</Text>
        <Badge size="xs" color={errors > 0 ? 'red' : 'gray'} variant={errors > 0 ? 'filled' : 'light'} radius={0} data-testid="review-error-count">{errors} error{errors === 1 ? '' : 's'}</Badge>
        <Badge size="xs" color="yellow" variant="outline" radius="xl">{findings.length - errors} warning{findings.length - errors === 1 ? '' : 's'}</Badge>
      </Group>
      {findings.length === 0 && <Text size="xs" c="dimmed">No findings.</Text>}
      <ScrollArea.Autosize mah={300} type="auto">
        <Stack gap={4}>
          {sorted.map((f, i) => (
            <div key={i} data-testid="review-finding" data-severity={f.severity}>
              <Group gap={4} wrap="nowrap" align="baseline">
                {/* Filled and square for errors, outlined and round for warnings: tells them apart in the red theme too. */}
                <Badge
                  size="xs"
                  variant={f.severity === 'error' ? 'filled' : 'outline'}
                  radius={f.severity === 'error' ? 0 : 'xl'}
                  color={f.severity === 'error' ? 'red' : 'yellow'}
                  style={{ flexShrink: 0, fontWeight: f.severity === 'error' ? 800 : 400 }}
                  data-testid={`review-finding-${f.severity}`}
                >
                  {f.severity === 'error' ? '✖ E' : '△ W'}
                </Badge>
                <Text size="xs" ff="monospace" c="dimmed" style={{ flexShrink: 0 }}>{f.hdu === null ? 'file' : `HDU ${f.hdu}`}</Text>
                <Text size="xs" fw={500} style={{ wordBreak: 'break-all' }}>{f.rule}</Text>
              </Group>
              <Text size="xs" c="dimmed" pl={4}>{f.message}</Text>
            </div>
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Stack>
  );
}
