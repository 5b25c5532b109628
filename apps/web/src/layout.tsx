import { AppShell, Burger, Group, NavLink, ScrollArea, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation } from 'react-router-dom';
import { PreferencesSync } from './app/preferences';
import { useAuth, type Permission } from './auth';
import { Loading } from './components';

interface NavEntry {
  to: string;
  label: string;
  testId: string;
  permission?: Permission;
}

/** Signed-in pages: a header, a navbar that collapses behind a burger on narrow screens, the content. */
export function Layout() {
  const { me, loading, signOut, signedOut, can } = useAuth();
  const { t } = useTranslation();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const main = useRef<HTMLElement>(null);

  // a phone's navbar covers the page: close it once a link was followed
  useEffect(() => close(), [location.pathname, close]);

  if (loading) {
    return (
      <div className="auth-page">
        <Loading label={t('app.openingSession')} />
      </div>
    );
  }
  if (!me) return <Navigate to="/login" replace state={signedOut ? null : { from: location.pathname }} />;

  const groups: { label: string; entries: NavEntry[] }[] = [
    {
      label: t('nav.crm'),
      entries: [
        { to: '/leads', label: t('nav.leads'), testId: 'nav-leads', permission: 'leads:read' },
        { to: '/niches', label: t('nav.niches'), testId: 'nav-niches', permission: 'leads:read' },
        { to: '/segments', label: t('nav.segments'), testId: 'nav-segments', permission: 'leads:read' },
        { to: '/subscribers', label: t('nav.subscribers'), testId: 'nav-subscribers', permission: 'leads:read' },
        { to: '/earnings', label: t('nav.earnings'), testId: 'nav-earnings', permission: 'leads:read' },
      ],
    },
    {
      label: t('nav.marketing'),
      entries: [
        { to: '/campaigns', label: t('nav.campaigns'), testId: 'nav-campaigns', permission: 'campaigns:read' },
        { to: '/automation', label: t('nav.automation'), testId: 'nav-automation', permission: 'campaigns:read' },
      ],
    },
    {
      label: t('nav.ai'),
      entries: [
        { to: '/chat', label: t('nav.chat'), testId: 'nav-chat', permission: 'chat:use' },
        { to: '/content-ideas', label: t('nav.contentIdeas'), testId: 'nav-content-ideas', permission: 'chat:use' },
        { to: '/studio', label: t('nav.studio'), testId: 'nav-studio', permission: 'content:read' },
        { to: '/agents', label: t('nav.agents'), testId: 'nav-agents', permission: 'agents:read' },
        { to: '/inbox', label: t('nav.inbox'), testId: 'nav-inbox', permission: 'agents:read' },
        { to: '/auto-replies', label: t('nav.autoReplies'), testId: 'nav-auto-replies', permission: 'agents:read' },
      ],
    },
    {
      label: t('nav.settings'),
      entries: [
        { to: '/profile', label: t('nav.profile'), testId: 'nav-profile' },
        { to: '/webhooks', label: t('nav.webhooks'), testId: 'nav-webhooks', permission: 'settings:read' },
        { to: '/api-keys', label: t('nav.apiKeys'), testId: 'nav-api-keys', permission: 'api-keys:manage' },
        { to: '/users', label: t('nav.users'), testId: 'nav-users', permission: 'users:read' },
      ],
    },
  ];
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
            {groups.map((group) => {
              const entries = group.entries.filter((e) => !e.permission || can(e.permission));
              if (entries.length === 0) return null;
              return (
                <NavGroup key={group.label} label={group.label}>
                  {entries.map((e) => (
                    <NavLink
                      key={e.to}
                      component={Link}
                      to={e.to}
                      label={e.label}
                      active={isActive(e.to)}
                      data-testid={e.testId}
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
              {me.workspace.name} · {me.workspace.role}
            </Text>
            <UnstyledButton className="sign-out" onClick={() => void signOut()} data-testid="sign-out">
              {t('app.signOut')}
            </UnstyledButton>
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" ref={main} tabIndex={-1} className="content">
        <Outlet />
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
