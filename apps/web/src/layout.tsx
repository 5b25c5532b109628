import { AppShell, Burger, Group, NavLink, ScrollArea, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation } from 'react-router-dom';
import { PreferencesSync } from './app/preferences';
import { NAV_GROUPS, navTestId } from './app/navigation';
import { useAuth } from './auth';
import { roleLabel } from './i18n';
import { CommandPalette, PaletteButton } from './features/command-palette/command-palette';
import { Loading } from './components';
import { ShortcutHelp, ShortcutHelpButton } from './features/shortcuts/shortcut-help';
import { NotificationsBell, NotificationsStream } from './features/analytics/notifications';

/** Signed-in pages: a header, a navbar that collapses behind a burger on narrow screens, the content. */
export function Layout() {
  const { me, loading, signOut, signedOut, can } = useAuth();
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const main = useRef<HTMLElement>(null);

  // a phone's navbar covers the page: close it once a link was followed; the new page starts at its top
  useEffect(() => {
    close();
    window.scrollTo(0, 0);
  }, [location.pathname, close]);

  if (loading) {
    return (
      <div className="auth-page">
        <Loading label={t('app.openingSession')} />
      </div>
    );
  }
  if (!me) return <Navigate to="/login" replace state={signedOut ? null : { from: location.pathname }} />;

  const isActive = (to: string) => location.pathname === to || location.pathname.startsWith(`${to}/`);
  const skip = (e: React.MouseEvent) => {
    // the router owns the URL's hash: move the focus instead of following #main
    e.preventDefault();
    main.current?.focus();
  };

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <PreferencesSync />
      <NotificationsStream />
      <CommandPalette />
      <ShortcutHelp />
      <a href="#main" className="skip-link" onClick={skip} data-testid="skip-link">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('app.toggleNavigation')}
              data-testid="nav-toggle"
            />
            <UnstyledButton component={Link} to="/" className="brand" data-testid="nav-brand">
              {t('app.name')}
            </UnstyledButton>
          </Group>
          <PaletteButton />
          <Group gap="xs" wrap="nowrap">
            <ShortcutHelpButton />
            <NotificationsBell />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('app.name')}>
        <AppShell.Section grow component={ScrollArea}>
          <nav>
            <NavLink
              component={Link}
              to="/"
              label={t('nav.home')}
              active={location.pathname === '/'}
              data-testid="nav-home"
            />
            {NAV_GROUPS.map((group) => {
              const entries = group.entries.filter((e) => !e.permission || can(e.permission));
              if (entries.length === 0) return null;
              return (
                <NavGroup key={group.key} label={t(`nav.${group.key}`)}>
                  {entries.map((e) => (
                    <NavLink
                      key={e.to}
                      component={Link}
                      to={e.to}
                      label={t(`nav.${e.key}`)}
                      active={isActive(e.to)}
                      data-testid={navTestId(e.to)}
                    />
                  ))}
                </NavGroup>
              );
            })}
          </nav>
        </AppShell.Section>
        <AppShell.Section className="who">
          <Stack gap={2}>
            <Text fw={600} size="sm" data-testid="current-user">
              {me.user.name}
            </Text>
            <Text size="xs" className="muted">
              {me.workspace.name} · {roleLabel(me.workspace.role)}
            </Text>
            <UnstyledButton className="sign-out" onClick={() => void signOut()} data-testid="sign-out">
              {t('app.signOut')}
            </UnstyledButton>
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" ref={main} tabIndex={-1} className="content">
        {/* many pages read i18n.t as they render without subscribing to it: a new language redraws the page */}
        <Outlet key={i18n.language} />
      </AppShell.Main>
    </AppShell>
  );
}

function NavGroup({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="nav-group">
      <Title order={6} className="nav-group-label">
        {label}
      </Title>
      {children}
    </div>
  );
}

/** Public pages redirect a signed-in user to the app. */
export function PublicOnly({ children }: { children: React.ReactNode }) {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return null;
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  return me ? <Navigate to={from} replace /> : <>{children}</>;
}
