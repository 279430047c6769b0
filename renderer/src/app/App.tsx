/** The application frame: providers, AppShell with navigation, header status and global keys. */
import { AppShell, Badge, Center, Loader, Group, Kbd, MantineProvider, Modal, NavLink, Stack, Table, Text, Title, Tooltip, ActionIcon } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Notifications } from '@mantine/notifications';
import { IconKeyboard, IconMoon, IconSun } from '@tabler/icons-react';
import { Suspense, useEffect } from 'react';
import { useApi, useApiEvent } from '../api/hooks';
import { themeFor } from '../theme';
import { HeaderExtras } from './header-extras';
import { KeyProvider, useDeclaredKeys, useKeys } from './keys';
import { NavigationProvider, useNavigation } from './navigation';
import { screens } from './screens';
import { StartupNotice } from './StartupNotice';
import { ThemeModeProvider, useThemeMode } from './theme-mode';

/** The help: the frame's keys, then every key the screen in view declared. */
function KeyHelp({ screen, label }: { screen: string; label: string }) {
  const keys = useDeclaredKeys(['global', screen]);
  const rows = (scope: string) =>
    keys
      .filter((k) => k.scope === scope)
      .map((k) => (
        <Table.Tr key={`${scope}-${k.label}`} data-testid="help-key">
          <Table.Td w={150}><Kbd>{k.label}</Kbd></Table.Td>
          <Table.Td>{k.help}</Table.Td>
        </Table.Tr>
      ));
  const screenRows = rows(screen);
  return (
    <Stack gap="xs">
      <Table data-testid="help-global">
        <Table.Tbody>{rows('global')}</Table.Tbody>
      </Table>
      <Title order={6}>{label}</Title>
      {screenRows.length > 0 ? (
        <Table data-testid="help-screen">
          <Table.Tbody>{screenRows}</Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed">This screen has no keys of its own.</Text>
      )}
      <Text size="xs" c="dimmed">Keys work wherever the focus is, except while typing in a text field (Esc leaves the field).</Text>
    </Stack>
  );
}

function Shell() {
  const { screen, navigate } = useNavigation();
  const { mode, toggle } = useThemeMode();
  const [isHelpOpen, help] = useDisclosure(false);
  const info = useApi('app.info', {});
  // The target counts in the navigation follow the store: imports, the first-start demo survey,
  // and other processes' writes (the store notices them and emits survey.changed).
  useApiEvent('survey.changed', info.reload);
  // Once the first screen is up and the page is idle, load plotly (the plotting screens' largest
  // chunk) and the Review screen, so opening a file does not wait to download and compile them.
  useEffect(() => {
    const preload = () => {
      void import('../components/Plot').then((m) => m.loadPlotly());
      void import('../features/review/ReviewScreen');
    };
    if (typeof requestIdleCallback !== 'function') {
      const timer = setTimeout(preload, 1000);
      return () => clearTimeout(timer);
    }
    const id = requestIdleCallback(preload, { timeout: 3000 });
    return () => cancelIdleCallback(id);
  }, []);
  useKeys('global', [
    // Screen switches work from a dialog too (a screen's dialogs close with it; the help closes).
    ...screens.slice(0, 9).map((s, i) => ({ keys: `alt+${i + 1}`, inDialogs: true, run: () => { help.close(); navigate(s.id); }, help: i === 0 ? 'switch screen (Alt+1 … Alt+' + Math.min(9, screens.length) + ')' : undefined, label: i === 0 ? `Alt+1 … ${Math.min(9, screens.length)}` : undefined })),
    { keys: 'n', run: toggle, help: 'toggle the red-light night theme', inDialogs: true },
    { keys: '?', run: help.toggle, help: 'this help', inDialogs: true },
    { keys: 'escape', help: 'leave a text field, close a dialog' },
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
          <Text size="xs" c="dimmed" mt="auto" p="xs" data-testid="nav-target-count">
            {info.data.targetCount} target{info.data.targetCount === 1 ? '' : 's'}{info.data.demoTargetCount > 0 ? ` (${info.data.demoTargetCount} demo)` : ''}
            <br />v{info.data.version}
          </Text>
        )}
      </AppShell.Navbar>
      <AppShell.Main style={{ height: '100dvh', display: 'flex', flexDirection: 'column' }}>
        <Suspense fallback={<Center style={{ flex: 1 }}><Loader /></Center>}>
          <Screen />
        </Suspense>
      </AppShell.Main>
      <Modal opened={isHelpOpen} onClose={help.close} title="Keyboard shortcuts" size="md" data-testid="help-modal">
        <KeyHelp screen={active.id} label={`${active.label} screen`} />
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
        <KeyProvider>
          <Shell />
        </KeyProvider>
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
