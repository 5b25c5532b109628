import { randomBytes, randomUUID } from 'node:crypto';
import { NotificationsService } from '@crescendo/analytics';
import { addMember, createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';

/** `@name` in forum posts: the named member gets an in-app notification (unless they turned it off). */
describe('forum mentions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // Names unique to this run: the forum is one community for the whole instance.
  const unique = () => randomBytes(3).toString('hex');
  const topic = async (user: TestUser, content: string) => {
    const res = await t
      .http()
      .post('/api/forum/topics')
      .set(user.auth)
      .send({ title: `Topic ${unique()}`, content, category: 'questions' });
    if (res.status !== 201) throw new Error(`topic failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.topicId as string;
  };
  const comment = (user: TestUser, topicId: string, content: string) =>
    t.http().post(`/api/forum/topics/${topicId}/comments`).set(user.auth).send({ content }).expect(201);
  const notificationsOf = async (user: TestUser) =>
    (await t.http().get('/api/dashboard/notifications').set(user.auth).expect(200)).body as {
      notifications: Array<{ id: string; kind: string; message: string; data: Record<string, unknown>; read: boolean }>;
      unread_count: number;
    };
  const mentionsOf = async (user: TestUser) =>
    (await notificationsOf(user)).notifications.filter((n) => n.kind === 'forum.mention');

  it('notifies the member a comment mentions, renders the mention, and no one else sees it', async () => {
    const tag = unique();
    const anna = await signUp(t, { name: `Anna ${tag}` });
    const colleague = await addMember(t, anna, 'admin');
    const bob = await signUp(t, { name: `Bob ${tag}` });
    // Anna is a forum member once she has posted.
    const topicId = await topic(anna, 'How do you price a first launch?');
    await comment(bob, topicId, `Good question @Anna_${tag}, and thanks @Bob${tag} (me) and @nobody${tag}`);

    const [notice] = await mentionsOf(anna);
    expect(notice).toMatchObject({
      kind: 'forum.mention',
      message: expect.stringContaining('You were mentioned in the forum topic'),
      data: { topicId, commentId: expect.any(String) },
      read: false,
    });
    expect(await mentionsOf(anna)).toHaveLength(1);
    // Not the author mentioning himself; not Anna's colleague in her workspace.
    expect(await mentionsOf(bob)).toEqual([]);
    expect(await mentionsOf(colleague)).toEqual([]);
    expect((await notificationsOf(anna)).unread_count).toBeGreaterThanOrEqual(1);

    const read = await t.http().get(`/api/forum/topics/${topicId}`).expect(200);
    const html = read.body.comments[0].contentHtml as string;
    expect(html).toContain(`<span class="mention" data-user-id="${anna.id}">@Anna_${tag}</span>`);
    expect(html).toContain(`@nobody${tag}`);
    // The colleague cannot mark Anna's own notification read; Anna can.
    expect((await t.http().post(`/api/notifications/${notice.id}/read`).set(colleague.auth)).status).toBe(404);
    await t.http().post(`/api/notifications/${notice.id}/read`).set(anna.auth).expect(204);
    expect((await mentionsOf(anna))[0].read).toBe(true);
  });

  it('respects the member’s preference, and a shared name resolves to the one who posted in the topic', async () => {
    const tag = unique();
    const sam = await signUp(t, { name: `Sam ${tag}` });
    const otherSam = await signUp(t, { name: `Sam ${tag}` });
    const writer = await signUp(t, { name: `Writer ${tag}` });
    await topic(otherSam, 'Elsewhere');
    const topicId = await topic(sam, 'Here');
    // Two members are "Sam <tag>": the one who posted in this topic is meant.
    await comment(writer, topicId, `@sam${tag} see above`);
    expect(await mentionsOf(sam)).toHaveLength(1);
    expect(await mentionsOf(otherSam)).toEqual([]);
    // In a topic neither posted in, the name is ambiguous: no one is notified, and it stays text.
    const elsewhere = await topic(writer, `Hello @sam${tag}`);
    const page = await t.http().get(`/api/forum/topics/${elsewhere}`).expect(200);
    expect(page.body.topic.contentHtml).not.toContain('class="mention"');
    expect(await mentionsOf(sam)).toHaveLength(1);
    expect(await mentionsOf(otherSam)).toEqual([]);

    // Sam turns forum mentions off: the next mention notifies no one.
    await t.http().put('/api/management/settings').set(sam.auth).send({ forumMentions: false }).expect(200);
    await comment(writer, topicId, `@Sam_${tag} again`);
    expect(await mentionsOf(sam)).toHaveLength(1);
    await t.http().put('/api/management/settings').set(sam.auth).send({ forumMentions: true }).expect(200);
    await comment(writer, topicId, `@Sam-${tag} once more`);
    expect(await mentionsOf(sam)).toHaveLength(2);
  });

  it('the paged GET /api/notifications lists the member’s own beside the workspace’s, by cursor and unread', async () => {
    const tag = unique();
    const anna = await signUp(t, { name: `Anna ${tag}` });
    const colleague = await addMember(t, anna, 'admin');
    const bob = await signUp(t, { name: `Bob ${tag}` });
    const topicId = await topic(anna, 'Paging');
    const notifications = t.app.get(NotificationsService);
    const workspaceNote = (message: string) =>
      notifications.record({
        workspaceId: anna.workspaceId,
        eventId: randomUUID(),
        kind: 'lead.status_changed',
        level: 'info',
        message,
        data: {},
      });
    // Interleaved in time: W1, a mention, W2, a mention, W3.
    await workspaceNote('W1');
    await comment(bob, topicId, `@Anna_${tag} first`);
    await workspaceNote('W2');
    await comment(bob, topicId, `@Anna_${tag} second`);
    await workspaceNote('W3');

    type Page = {
      data: Array<{ id: string; kind: string; message: string; read: boolean }>;
      pagination: { nextCursor: string | null; prevCursor: string | null; total: number };
    };
    const list = async (user: TestUser, query: Record<string, string | number> = {}) =>
      (await t.http().get('/api/notifications').query(query).set(user.auth).expect(200)).body as Page;
    const label = (page: Page) => page.data.map((n) => (n.kind === 'forum.mention' ? 'M' : n.message));

    const all = await list(anna, { limit: 100 });
    expect(label(all)).toEqual(['W3', 'M', 'W2', 'M', 'W1']);
    expect(all.pagination.total).toBe(5);
    // The colleague sees the workspace's only.
    const theirs = await list(colleague, { limit: 100 });
    expect(label(theirs)).toEqual(['W3', 'W2', 'W1']);
    expect(theirs.pagination.total).toBe(3);

    // By cursor across both, forwards and back, and by page number.
    const first = await list(anna, { limit: 2 });
    expect(first.data.map((n) => n.id)).toEqual(all.data.slice(0, 2).map((n) => n.id));
    const second = await list(anna, { limit: 2, cursor: first.pagination.nextCursor! });
    expect(second.data.map((n) => n.id)).toEqual(all.data.slice(2, 4).map((n) => n.id));
    const third = await list(anna, { limit: 2, cursor: second.pagination.nextCursor! });
    expect(third.data.map((n) => n.id)).toEqual(all.data.slice(4).map((n) => n.id));
    expect(third.pagination.nextCursor).toBeNull();
    const back = await list(anna, { limit: 2, cursor: third.pagination.prevCursor! });
    expect(back.data.map((n) => n.id)).toEqual(all.data.slice(2, 4).map((n) => n.id));
    expect((await list(anna, { limit: 2, page: 2 })).data.map((n) => n.id)).toEqual(
      all.data.slice(2, 4).map((n) => n.id),
    );
    // A member's cursor is not another member's.
    expect(
      (await t.http().get('/api/notifications').query({ cursor: first.pagination.nextCursor! }).set(colleague.auth))
        .status,
    ).toBe(400);

    // Unread only, then read-all by the colleague (the workspace's) and by Anna (her own too).
    await t.http().post(`/api/notifications/${all.data[1].id}/read`).set(anna.auth).expect(204);
    const unread = await list(anna, { unread: 'true' });
    expect(label(unread)).toEqual(['W3', 'W2', 'M', 'W1']);
    expect(unread.pagination.total).toBe(4);
    await t.http().post('/api/notifications/read-all').set(colleague.auth).expect(200);
    expect(label(await list(anna, { unread: 'true' }))).toEqual(['M']);
    const readAll = await t.http().post('/api/notifications/read-all').set(anna.auth).expect(200);
    expect(readAll.body.updated).toBe(1);
    expect((await list(anna, { unread: 'true' })).data).toEqual([]);
    expect((await notificationsOf(anna)).unread_count).toBe(0);
  });
});
