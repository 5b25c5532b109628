import {
  ActionIcon,
  Button,
  Card,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import type { DashboardNotificationDto } from '@crescendo/api-client';
import { readSse } from '../../api/ai-endpoints';
import { analyticsApi } from '../../api/analytics-endpoints';
import { currentAccessToken, refreshAccessToken } from '../../api/client';
import { useAuth } from '../../auth';
import { CursorPager, Empty, useCursor } from '../../components';

const notificationsKey = ['notifications'] as const;

/**
 * Keeps the notifications queries live, for the whole app: reads GET /api/notifications/stream (fetch, since
 * EventSource cannot send the Authorization header) and refetches them on each event; reconnects after a drop.
 * Mounted once by the shell: a stream per component would hold one of the browser's six connections to the
 * API each and refetch the same lists once per stream on every event.
 */
export function NotificationsStream() {
  const queryClient = useQueryClient();
  const { can } = useAuth();
  const enabled = can('analytics:read');
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    let retry = 1000;
    const connect = async () => {
      while (!abort.signal.aborted) {
        try {
          const open = (token: string | null) =>
            fetch('/api/notifications/stream', {
              headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
              credentials: 'include',
              signal: abort.signal,
            });
          let response = await open(currentAccessToken());
          if (response.status === 401) response = await open(await refreshAccessToken());
          if (!response.ok || !response.body) throw new Error(String(response.status));
          retry = 1000;
          for await (const event of readSse(response.body)) {
            if (event.event === 'notification') void queryClient.invalidateQueries({ queryKey: notificationsKey });
          }
        } catch {
          // dropped or refused: try again a little later
        }
        if (!abort.signal.aborted) await new Promise((resolve) => setTimeout(resolve, retry));
        retry = Math.min(retry * 2, 30_000);
      }
    };
    void connect();
    return () => abort.abort();
  }, [enabled, queryClient]);
  return null;
}

/** The latest notifications and the unread count (kept live by NotificationsStream). */
function useNotifications() {
  const { can } = useAuth();
  return useQuery({ queryKey: notificationsKey, queryFn: analyticsApi.notifications, enabled: can('analytics:read') });
}

function useMarkRead() {
  const queryClient = useQueryClient();
  const done = () => void queryClient.invalidateQueries({ queryKey: notificationsKey });
  return {
    one: useMutation({ mutationFn: analyticsApi.markRead, onSuccess: done }),
    all: useMutation({ mutationFn: analyticsApi.markAllRead, onSuccess: done }),
  };
}

function NotificationItem({ n, onRead }: { n: DashboardNotificationDto; onRead?: () => void }) {
  return (
    <Group
      justify="space-between"
      wrap="nowrap"
      gap="sm"
      className={n.read ? 'notification' : 'notification unread'}
      data-testid="notification"
      data-read={n.read}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Text aria-hidden>{n.icon}</Text>
        <Stack gap={0}>
          <Text size="sm" fw={n.read ? 400 : 600}>
            {n.kind === 'forum.mention' && typeof n.data?.topicId === 'string' ? (
              // A mention opens its topic.
              <Link to={`/forum/${n.data.topicId}`} data-testid="notification-link">
                {n.message}
              </Link>
            ) : (
              n.message
            )}
          </Text>
          <Text size="xs" className="muted" title={n.created_at}>
            {n.time}
          </Text>
        </Stack>
      </Group>
      {!n.read && onRead && (
        <Button size="compact-xs" variant="subtle" onClick={onRead} data-testid="notification-read">
          ✓
        </Button>
      )}
    </Group>
  );
}

/** The header's bell: unread count, the latest notifications, live. */
export function NotificationsBell() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const list = useNotifications();
  const mark = useMarkRead();
  const [opened, setOpened] = useState(false);
  const { pathname } = useLocation();
  // The shell outlives the pages: a dropdown left open would lie over the next page's header (its own
  // "mark all read" button included) and swallow clicks meant for it.
  useEffect(() => setOpened(false), [pathname]);
  if (!can('analytics:read')) return null;
  const unread = list.data?.unread_count ?? 0;
  return (
    // the popover's target is the button itself: its aria-expanded is not allowed on the indicator's div
    <Indicator label={unread} size={18} disabled={unread === 0} offset={4} data-testid="bell-count">
      <Popover width={340} position="bottom-end" shadow="md" withinPortal opened={opened} onChange={setOpened}>
        <Popover.Target>
          <ActionIcon
            variant="subtle"
            size="lg"
            onClick={() => setOpened((o) => !o)}
            // Mantine closes on Escape only from inside the dropdown; the focus stays here after a click
            onKeyDown={(e) => {
              if (e.key === 'Escape' && opened) {
                e.preventDefault();
                setOpened(false);
              }
            }}
            aria-label={t('notifications.bell', { count: unread })}
            data-testid="notifications-bell"
            data-unread={unread}
          >
            <svg
              width="20"
              height="20"
              viewBox="0 0 24 24"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              aria-hidden
            >
              <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
              <path d="M13.7 21a2 2 0 0 1-3.4 0" />
            </svg>
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown data-testid="notifications-dropdown">
          <Group justify="space-between" mb="xs">
            <Text fw={600}>{t('notifications.title')}</Text>
            <Button
              size="compact-xs"
              variant="subtle"
              disabled={!unread}
              onClick={() => mark.all.mutate()}
              data-testid="bell-mark-all-read"
            >
              {t('notifications.markAll')}
            </Button>
          </Group>
          <ScrollArea.Autosize mah={360}>
            <Stack gap="xs">
              {(list.data?.notifications ?? []).slice(0, 8).map((n) => (
                <NotificationItem key={n.id} n={n} onRead={() => mark.one.mutate(n.id)} />
              ))}
              {list.data?.notifications.length === 0 && <Text size="sm">{t('notifications.empty')}</Text>}
            </Stack>
          </ScrollArea.Autosize>
          <Button component={Link} to="/notifications" variant="light" fullWidth mt="sm" size="xs">
            {t('notifications.seeAll')}
          </Button>
        </Popover.Dropdown>
      </Popover>
    </Indicator>
  );
}

/** Every notification, a page at a time (cursor), all or only the unread; live like the bell. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const latest = useNotifications();
  const mark = useMarkRead();
  const [filter, setFilter] = useState<'all' | 'unread'>('all');
  const { cursor, setCursor } = useCursor();
  // Under notificationsKey: the stream and the marks invalidate it with the bell's list.
  const list = useQuery({
    queryKey: [...notificationsKey, 'page', filter, cursor ?? null],
    queryFn: () => analyticsApi.notificationsPage({ cursor, unread: filter === 'unread' || undefined }),
    enabled: can('analytics:read'),
    placeholderData: (previous) => previous,
  });
  const unread = latest.data?.unread_count ?? 0;
  return (
    <section data-testid="notifications-page">
      <header className="page-header">
        <Group justify="space-between">
          <Title order={1}>{t('notifications.title')}</Title>
          <Button variant="default" disabled={!unread} onClick={() => mark.all.mutate()} data-testid="mark-all-read">
            {t('notifications.markAll')}
          </Button>
        </Group>
        <Text className="muted">{t('notifications.subtitle', { count: unread })}</Text>
      </header>
      <SegmentedControl
        mb="sm"
        value={filter}
        onChange={(value) => {
          setFilter(value as 'all' | 'unread');
          setCursor(null);
        }}
        data={[
          { value: 'all', label: t('notifications.filterAll') },
          { value: 'unread', label: t('notifications.filterUnread') },
        ]}
        data-testid="notifications-filter"
      />
      <Card withBorder padding="lg">
        {list.data?.data.length === 0 ? (
          <Empty testId="notifications-empty">{t('notifications.empty')}</Empty>
        ) : (
          <Stack gap="sm">
            {(list.data?.data ?? []).map((n) => (
              <NotificationItem key={n.id} n={n} onRead={() => mark.one.mutate(n.id)} />
            ))}
          </Stack>
        )}
        {list.data && list.data.data.length > 0 && <CursorPager meta={list.data.pagination} onCursor={setCursor} />}
      </Card>
    </section>
  );
}
