import { Badge, Button, Card, Group, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { CreateForumTopicDto, ForumTopicDetailDto } from '@crescendo/api-client';
import { privacyApi, type ForumQuery } from '../../api/privacy-endpoints';
import { useAuth } from '../../auth';
import { FormError, QueryView, formatDate, useDebounced } from '../../components';

type Category = CreateForumTopicDto['category'];
const FORUM_KEY = ['forum'] as const;

function useCategories() {
  return useQuery({ queryKey: [...FORUM_KEY, 'categories'], queryFn: privacyApi.listForumCategories });
}

/** The instance's forum: topics by category and full-text search, newest first (pinned ones on top). */
export function ForumPage() {
  const { t } = useTranslation();
  const categories = useCategories();
  const [category, setCategory] = useState<Category | ''>('');
  const [search, setSearch] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const q = useDebounced(search.trim());
  const query: ForumQuery = {
    limit: 20,
    ...(category ? { category } : {}),
    ...(q ? { search: q } : {}),
    ...(cursors.length ? { cursor: cursors[cursors.length - 1] } : {}),
  };
  const topics = useQuery({
    queryKey: [...FORUM_KEY, 'topics', query],
    queryFn: () => privacyApi.listForumTopics(query),
  });
  const options = [
    { value: '', label: t('forum.allCategories') },
    ...(categories.data?.categories ?? []).map((c) => ({ value: c.id, label: c.name })),
  ];
  return (
    <section>
      <header className="page-header">
        <div>
          <h1>{t('forum.title')}</h1>
          <p className="muted">{t('forum.intro')}</p>
        </div>
      </header>
      <NewTopic />
      <Group my="md" align="end">
        <Select
          label={t('forum.category')}
          data={options}
          value={category}
          allowDeselect={false}
          onChange={(value) => {
            setCategory((value ?? '') as Category | '');
            setCursors([]);
          }}
          data-testid="forum-category"
        />
        <TextInput
          label={t('forum.search')}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setCursors([]);
          }}
          data-testid="forum-search"
        />
      </Group>
      <QueryView query={topics} empty={t('forum.noTopics')} emptyTestId="forum-empty" isEmpty={(d) => !d.topics.length}>
        {(page) => (
          <Stack gap="xs" data-testid="forum-topics">
            {page.topics.map((topic) => (
              <Card key={topic.id} withBorder padding="sm" data-testid="forum-topic-row">
                <Group justify="space-between" wrap="nowrap">
                  <div>
                    <Link to={`/forum/${topic.id}`} className="forum-topic-link">
                      {topic.title}
                    </Link>{' '}
                    {topic.isPinned && <Badge size="sm">{t('forum.pinned')}</Badge>}{' '}
                    {topic.isLocked && (
                      <Badge size="sm" color="gray">
                        {t('forum.locked')}
                      </Badge>
                    )}
                    <Text size="xs" c="dimmed">
                      {t('forum.byOn', { name: topic.userName, date: formatDate(topic.createdAt) })} ·{' '}
                      {categories.data?.categories.find((c) => c.id === topic.category)?.name ?? topic.category}
                    </Text>
                  </div>
                  <Text size="xs" c="dimmed" ta="right">
                    {t('forum.comments', { count: topic.commentCount })}
                    <br />
                    {t('forum.views', { count: topic.views })}
                  </Text>
                </Group>
              </Card>
            ))}
            <Group>
              <Button variant="default" disabled={!cursors.length} onClick={() => setCursors(cursors.slice(0, -1))}>
                {t('common.previous')}
              </Button>
              <Button
                variant="default"
                disabled={!page.pagination.nextCursor}
                onClick={() => setCursors([...cursors, page.pagination.nextCursor as string])}
              >
                {t('common.next')}
              </Button>
            </Group>
          </Stack>
        )}
      </QueryView>
    </section>
  );
}

function NewTopic() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const categories = useCategories();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<CreateForumTopicDto>({ title: '', content: '', category: 'general' });
  const create = useMutation({
    mutationFn: () => privacyApi.createForumTopic(form),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: FORUM_KEY });
      notifications.show({ color: 'green', message: t('forum.topicCreated') });
      navigate(`/forum/${created.topicId}`);
    },
  });
  if (!open)
    return (
      <Button onClick={() => setOpen(true)} data-testid="forum-new-topic">
        {t('forum.newTopic')}
      </Button>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  // Announcements are for moderators only.
  const options = (categories.data?.categories ?? [])
    .filter((c) => c.id !== 'announcements' || me?.instanceAdmin)
    .map((c) => ({ value: c.id, label: c.name }));
  return (
    <Card withBorder padding="lg" component="form" onSubmit={submit} data-testid="forum-topic-form">
      <Title order={2} size="h4" mb="sm">
        {t('forum.newTopic')}
      </Title>
      <FormError error={create.error} />
      <Stack gap="sm">
        <TextInput
          label={t('forum.topicTitle')}
          required
          value={form.title}
          onChange={(e) => setForm({ ...form, title: e.currentTarget.value })}
          data-testid="forum-topic-title"
        />
        <Select
          label={t('forum.category')}
          data={options}
          value={form.category}
          allowDeselect={false}
          onChange={(value) => setForm({ ...form, category: (value ?? 'general') as Category })}
          data-testid="forum-topic-category"
        />
        <Textarea
          label={t('forum.content')}
          description={t('forum.mentionHint')}
          required
          autosize
          minRows={4}
          value={form.content}
          onChange={(e) => setForm({ ...form, content: e.currentTarget.value })}
          data-testid="forum-topic-content"
        />
        <Group>
          <Button type="submit" loading={create.isPending} data-testid="forum-topic-publish">
            {t('forum.publish')}
          </Button>
          <Button variant="default" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** One topic with its comments; instance moderators get pin / lock / hide / delete. */
export function ForumTopicPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const topic = useQuery({ queryKey: [...FORUM_KEY, 'topic', id], queryFn: () => privacyApi.getForumTopic(id) });
  return (
    <section>
      <p>
        <Link to="/forum">{t('forum.back')}</Link>
      </p>
      <QueryView query={topic}>
        {(data) => (
          <Stack gap="md">
            <header className="page-header">
              <div>
                <h1 data-testid="forum-topic-heading">
                  {data.topic.title} {data.topic.isPinned && <Badge>{t('forum.pinned')}</Badge>}{' '}
                  {data.topic.isLocked && (
                    <Badge color="gray" data-testid="forum-locked-badge">
                      {t('forum.locked')}
                    </Badge>
                  )}
                </h1>
                <p className="muted">
                  {t('forum.byOn', { name: data.topic.userName, date: formatDate(data.topic.createdAt) })} ·{' '}
                  {t('forum.views', { count: data.topic.views })}
                </p>
              </div>
            </header>
            <Moderation topic={data.topic} />
            {/* Rendered and sanitised by the API (Markdown → HTML without anything executable). */}
            <Card withBorder padding="lg">
              <div className="forum-content" dangerouslySetInnerHTML={{ __html: data.topic.contentHtml }} />
            </Card>
            <Title order={2} size="h4">
              {t('forum.comments', { count: data.comments.length })}
            </Title>
            {data.comments.length === 0 && <Text c="dimmed">{t('forum.noComments')}</Text>}
            <Stack gap="xs" data-testid="forum-comments">
              {data.comments.map((c) => (
                <Card key={c.id} withBorder padding="sm" data-testid="forum-comment">
                  <Text size="xs" c="dimmed">
                    {t('forum.byOn', { name: c.userName, date: formatDate(c.createdAt) })}
                  </Text>
                  <div className="forum-content" dangerouslySetInnerHTML={{ __html: c.contentHtml }} />
                </Card>
              ))}
            </Stack>
            {data.topic.isLocked ? (
              <Text c="dimmed" data-testid="forum-locked-hint">
                {t('forum.lockedHint')}
              </Text>
            ) : (
              <CommentForm topicId={data.topic.id} />
            )}
          </Stack>
        )}
      </QueryView>
    </section>
  );
}

function CommentForm({ topicId }: { topicId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [content, setContent] = useState('');
  const send = useMutation({
    mutationFn: () => privacyApi.createForumComment(topicId, content),
    onSuccess: async () => {
      setContent('');
      await queryClient.invalidateQueries({ queryKey: FORUM_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  return (
    <form onSubmit={submit} data-testid="forum-comment-form">
      <FormError error={send.error} />
      <Textarea
        label={t('forum.comment')}
        description={t('forum.mentionHint')}
        autosize
        minRows={2}
        value={content}
        onChange={(e) => setContent(e.currentTarget.value)}
        data-testid="forum-comment-content"
      />
      <Button
        type="submit"
        mt="xs"
        loading={send.isPending}
        disabled={!content.trim()}
        data-testid="forum-comment-send"
      >
        {t('forum.send')}
      </Button>
    </form>
  );
}

function Moderation({ topic }: { topic: ForumTopicDetailDto }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const moderate = useMutation({
    mutationFn: (change: { isPinned?: boolean; isLocked?: boolean; isHidden?: boolean }) =>
      privacyApi.moderateForumTopic(topic.id, change),
    onSuccess: async (_data, change) => {
      await queryClient.invalidateQueries({ queryKey: FORUM_KEY });
      notifications.show({ color: 'green', message: t('forum.moderated') });
      if (change.isHidden) navigate('/forum');
    },
  });
  const remove = useMutation({
    mutationFn: () => privacyApi.deleteForumTopic(topic.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: FORUM_KEY });
      notifications.show({ color: 'green', message: t('forum.topicDeleted') });
      navigate('/forum');
    },
  });
  const isAuthor = !!me && topic.userId === me.user.id;
  if (!me?.instanceAdmin && !isAuthor) return null;
  return (
    <Card withBorder padding="sm" data-testid="forum-moderation">
      <FormError error={moderate.error ?? remove.error} />
      <Group gap="xs">
        {me?.instanceAdmin && (
          <>
            <Text size="sm" fw={600}>
              {t('forum.moderation')}
            </Text>
            <Button
              size="xs"
              variant="light"
              onClick={() => moderate.mutate({ isPinned: !topic.isPinned })}
              data-testid="forum-pin"
            >
              {topic.isPinned ? t('forum.unpin') : t('forum.pin')}
            </Button>
            <Button
              size="xs"
              variant="light"
              onClick={() => moderate.mutate({ isLocked: !topic.isLocked })}
              data-testid="forum-lock"
            >
              {topic.isLocked ? t('forum.unlock') : t('forum.lock')}
            </Button>
            <Button
              size="xs"
              variant="light"
              color="orange"
              onClick={() => moderate.mutate({ isHidden: true })}
              data-testid="forum-hide"
            >
              {t('forum.hide')}
            </Button>
          </>
        )}
        <Button size="xs" variant="light" color="red" onClick={() => remove.mutate()} data-testid="forum-delete">
          {t('forum.deleteTopic')}
        </Button>
      </Group>
    </Card>
  );
}
