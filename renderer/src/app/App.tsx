/** The application frame: providers, AppShell with navigation, header status and global keys. */
import { AppShell, Badge, Center, Loader, Group, Kbd, MantineProvider, Modal, NavLink, Stack, Table, Text, Title, Tooltip, ActionIcon } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { Notifications } from '@mantine/notifications';
import { IconKeyboard, IconMoon, IconSun } from '@tabler/icons-react';
import { Fragment, Suspense } from 'react';
import { useApi, useApiEvent } from '../api/hooks';
import { themeFor } from '../theme';
import { HeaderExtras } from './header-extras';
import { NavigationProvider, useNavigation } from './navigation';
import { screens } from './screens';
import { StartupNotice } from './StartupNotice';
import { ThemeModeProvider, useThemeMode } from './theme-mode';

const GLOBAL_KEYS: Array<[string, string]> = [
  ['Alt+1 … Alt+9', 'switch screen'],
  ['N', 'toggle red-light night theme'],
  ['/', 'focus the search box'],
  ['↑ ↓ / J K', 'move in lists'],
  ['Enter', 'open the selected item'],
  ['Esc', 'close a drawer or dialog'],
  ['?', 'this help'],
];

function Shell() {
  const { screen, navigate } = useNavigation();
  const { mode, toggle } = useThemeMode();
  const [isHelpOpen, help] = useDisclosure(false);
  const info = useApi('app.info', {});
  // The target count in the navigation follows the store (imports, first-start demo survey).
  useApiEvent('survey.changed', info.reload);
  useHotkeys([
    ['n', toggle],
    ['shift+slash', help.toggle],
    ...screens.slice(0, 9).map((s, i): [string, () => void] => [`alt+${i + 1}`, () => navigate(s.id)]),
  ]);
  const active = screens.find((s) => s.id === screen) ?? screens[0];
  const Screen = active.component;
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 212, breakpoint: 0 }} padding="sm">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Title order={4}>SPICA Companion</Title>
            <Text size="xs" c="dimmed">CHARA · SPICA-VIS 6T</Text>
            {info.data?.transport === 'browser' && (
              <Badge variant="light" size="sm" title="Served on 127.0.0.1 by npm run serve">browser mode</Badge>
            )}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <HeaderExtras />
            <Tooltip label={mode === 'night' ? 'Dark theme (N)' : 'Red-light night theme (N)'}>
              <ActionIcon variant="subtle" onClick={toggle} aria-label="Toggle night theme" data-testid="theme-toggle">
                {mode === 'night' ? <IconSun size={18} /> : <IconMoon size={18} />}
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Keyboard shortcuts (?)">
              <ActionIcon variant="subtle" onClick={help.open} aria-label="Keyboard shortcuts">
                <IconKeyboard size={18} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <Stack gap={2}>
          {screens.map((s, i) => (
            <NavLink
              key={s.id}
              active={s.id === active.id}
              label={s.label}
              leftSection={<s.icon size={18} stroke={1.6} />}
              rightSection={i < 9 ? <Text size="xs" c="dimmed">Alt+{i + 1}</Text> : null}
              onClick={() => navigate(s.id)}
              data-testid={`nav-${s.id}`}
            />
          ))}
        </Stack>
        {info.data && (
          <Text size="xs" c="dimmed" mt="auto" p="xs">
            {info.data.targetCount} targets{info.data.demoTargetCount > 0 ? ` (${info.data.demoTargetCount} demo)` : ''}
            <br />v{info.data.version}
          </Text>
        )}
      </AppShell.Navbar>
      <AppShell.Main style={{ height: '100dvh', display: 'flex', flexDirection: 'column' }}>
        <Suspense fallback={<Center style={{ flex: 1 }}><Loader /></Center>}>
          <Screen />
        </Suspense>
      </AppShell.Main>
      <Modal opened={isHelpOpen} onClose={help.close} title="Keyboard shortcuts" size="md">
        <Table>
          <Table.Tbody>
            {GLOBAL_KEYS.map(([k, what]) => (
              <Fragment key={k}>
                <Table.Tr>
                  <Table.Td><Kbd>{k}</Kbd></Table.Td>
                  <Table.Td>{what}</Table.Td>
                </Table.Tr>
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Modal>
    </AppShell>
  );
}

function Themed() {
  const { mode } = useThemeMode();
  return (
    <MantineProvider theme={themeFor(mode)} forceColorScheme="dark">
      <Notifications position="bottom-right" />
      <StartupNotice />
      <NavigationProvider initial="survey">
        <Shell />
      </NavigationProvider>
    </MantineProvider>
  );
}

export function App() {
  return (
    <ThemeModeProvider>
      <Themed />
    </ThemeModeProvider>
  );
}
