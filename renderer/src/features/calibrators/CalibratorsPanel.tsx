/** `<CalibratorsPanel targetId />`: the compact calibrator view for the survey target drawer. */
import { Box, Button, Group, Stack } from '@mantine/core';
import { useNavigation } from '../../app/navigation';
import { CalibratorsView } from './CalibratorsView';

export function CalibratorsPanel({ targetId }: { targetId: string }) {
  const { navigate } = useNavigation();
  return (
    <Stack gap="xs" data-testid="calibrators-panel">
      <Box style={{ overflowX: 'auto' }}>
        <CalibratorsView targetId={targetId} compact />
      </Box>
      <Group justify="flex-end">
        <Button size="compact-xs" variant="subtle" onClick={() => navigate('calibrators', { id: targetId })}>Open in Calibrators</Button>
      </Group>
    </Stack>
  );
}
