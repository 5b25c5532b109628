import { Anchor, Button, Card, Group, List, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { aiApi } from '../../api/ai-endpoints';
import { api } from '../../api/endpoints';
import { useAuth } from '../../auth';
import { DateCell } from '../../components';
import { Dashboard } from '../analytics/dashboard';

/**
 * The starting point after sign-in: the analytics dashboard once the workspace has data (and the user may read
 * analytics); before that, counts of the workspace, a first-run checklist whose steps tick themselves and the
 * latest leads.
 */
export function HomePage() {
  const { me, can } = useAuth();
  const { t } = useTranslation();
  const leads = useQuery({
    queryKey: ['leads', 'home'],
    queryFn: () => api.listLeads({ page: 1, limit: 5, sortBy: 'createdAt', order: 'desc' }),
    enabled: can('leads:read'),
  });
  const subscribers = useQuery({
    queryKey: ['subscribers', 'home'],
    queryFn: () => api.listSubscribers({ page: 1, pageSize: 1 }),
    enabled: can('leads:read'),
  });
  const campaigns = useQuery({
    queryKey: ['campaigns', 'home'],
    queryFn: () => api.listCampaigns({ page: 1, limit: 1 }),
    enabled: can('campaigns:read'),
  });
  const chats = useQuery({
    queryKey: ['chat', 'conversations', 'home'],
    queryFn: () => aiApi.listChats({ limit: 1 }),
    enabled: can('chat:use'),
  });
  const users = useQuery({
    queryKey: ['users', 'home'],
    queryFn: () => api.listUsers({ limit: 1 }),
    enabled: can('users:read'),
  });
  const inbox = useQuery({
    queryKey: ['chatbot', 'inbox', 'home'],
    queryFn: () => aiApi.listInbox(''),
    enabled: can('agents:read'),
  });

  const leadTotal = leads.data?.pagination.total ?? 0;
  const unread = (inbox.data?.data ?? []).filter((c) => (c.unreadCount ?? 0) > 0).length;
  const steps = [
    {
      key: 'import',
      label: t('home.stepImport'),
      done: leadTotal > 0,
      to: '/leads',
      action: t('home.stepImportAction'),
    },
    {
      key: 'ai',
      label: t('home.stepAi'),
      done: (chats.data?.conversations.length ?? 0) > 0,
      to: '/chat',
      action: t('home.stepAiAction'),
    },
    {
      key: 'campaign',
      label: t('home.stepCampaign'),
      done: (campaigns.data?.pagination.total ?? 0) > 0,
      to: '/campaigns',
      action: t('home.stepCampaignAction'),
    },
    {
      key: 'team',
      label: t('home.stepTeam'),
      done: (users.data?.pagination.total ?? 0) > 1,
      to: '/users',
      action: t('home.stepTeamAction'),
    },
  ];
  const doneCount = steps.filter((s) => s.done).length;
  const hasData = leadTotal > 0 || (subscribers.data?.pagination.total ?? 0) > 0;

  if (hasData && can('analytics:read')) {
    return (
      <section data-testid="home">
        <header className="page-header">
          <Title order={1}>{t('home.title', { name: me?.user.name ?? '' })}</Title>
          <Text className="muted">{t('dashboard.subtitle', { workspace: me?.workspace.name ?? '' })}</Text>
        </header>
        <Dashboard />
      </section>
    );
  }

  return (
    <section data-testid="home">
      <header className="page-header">
        <Title order={1}>{t('home.title', { name: me?.user.name ?? '' })}</Title>
        <Text className="muted">{t('home.subtitle', { workspace: me?.workspace.name ?? '' })}</Text>
      </header>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} mb="lg" data-testid="home-stats">
        <Stat to="/leads" text={t('home.leads', { count: leadTotal })} testId="home-leads" />
        <Stat
          to="/subscribers"
          text={t('home.subscribers', { count: subscribers.data?.pagination.total ?? 0 })}
          testId="home-subscribers"
        />
        <Stat
          to="/campaigns"
          text={t('home.campaigns', { count: campaigns.data?.pagination.total ?? 0 })}
          testId="home-campaigns"
        />
        <Stat to="/inbox" text={t('home.conversations', { count: unread })} testId="home-inbox" />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder padding="lg" data-testid="home-checklist">
          <Group justify="space-between" mb="xs">
            <Title order={2}>{t('home.checklist')}</Title>
            <Text size="sm" className="muted">
              {t('home.checklistProgress', { done: doneCount, total: steps.length })}
            </Text>
          </Group>
          <Progress value={(doneCount / steps.length) * 100} mb="md" aria-hidden />
          <List spacing="sm" listStyleType="none" p={0}>
            {steps.map((s) => (
              <List.Item key={s.key} data-testid={`home-step-${s.key}`} data-done={s.done}>
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Group gap="xs" wrap="nowrap">
                    <span className={`tag ${s.done ? 'status-active' : ''}`}>
                      {s.done ? t('home.done') : t('home.todo')}
                    </span>
                    <Text td={s.done ? 'line-through' : undefined}>{s.label}</Text>
                  </Group>
                  {!s.done && (
                    <Button component={Link} to={s.to} size="xs" variant="default">
                      {s.action}
                    </Button>
                  )}
                </Group>
              </List.Item>
            ))}
          </List>
        </Card>
        <Card withBorder padding="lg" data-testid="home-recent">
          <Title order={2} mb="sm">
            {t('home.recent')}
          </Title>
          {leads.data && leads.data.data.length === 0 ? (
            <Stack align="flex-start" data-testid="home-recent-empty">
              <Text className="muted">{t('home.noRecent')}</Text>
              <Button component={Link} to="/leads">
                {t('home.addLead')}
              </Button>
            </Stack>
          ) : (
            <List spacing={4} listStyleType="none" p={0}>
              {(leads.data?.data ?? []).map((lead) => (
                <List.Item key={lead.id}>
                  <Group justify="space-between" wrap="nowrap">
                    <Anchor component={Link} to={`/leads/${lead.id}`}>
                      {lead.name}
                    </Anchor>
                    <Text size="sm" className="muted">
                      <DateCell value={lead.createdAt} />
                    </Text>
                  </Group>
                </List.Item>
              ))}
            </List>
          )}
        </Card>
      </SimpleGrid>
    </section>
  );
}

function Stat({ to, text, testId }: { to: string; text: string; testId: string }) {
  return (
    <Card withBorder padding="md" component={Link} to={to} data-testid={testId} className="stat-card">
      <Text fw={600}>{text}</Text>
    </Card>
  );
}
