import { randomUUID } from 'node:crypto';
import { createTestApp, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';
import { expectOutputsAfterLimit } from '../helpers/paged-walk';

// An instance administrator of its own (queue-dashboard registers root-admin): each can register once per run.
const MODERATOR_EMAIL = 'forum-moderator@crescendo.test';

// Payloads from the usual XSS cheat sheets; none may come back as markup that runs.
const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '[click](javascript:alert(1))',
  '[click](JAVASCRIPT:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](https://ok.invalid/"onmouseover="alert(1))',
  '"><script>alert(document.cookie)</script>',
  '<body onload=alert(1)>',
  '<div style="background:url(javascript:alert(1))">',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '`<script>`alert(1)`</script>`',
];

describe('forum', () => {
  let t: TestApp;
  let author: TestUser;
  let moderator: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    moderator = await signUp(t, { email: MODERATOR_EMAIL, name: 'Moderator' });
  });
  // A new author per test: posting is rate-limited per member.
  beforeEach(async () => {
    author = await signUp(t, { name: 'Forum Author' });
  });
  afterAll(() => t.close());

  const newTopic = async (user: TestUser, body: Record<string, unknown> = {}) => {
    const res = await t
      .http()
      .post('/api/forum/topics')
      .set(user.auth)
      .send({ title: 'How to grow?', content: 'Some **text**', category: 'questions', ...body });
    if (res.status !== 201) throw new Error(`topic failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { topicId: string; title: string; createdAt: string };
  };
  const anonymous = () => ({ 'X-Forwarded-For': randomIp() });

  it('creates a topic, reads it publicly with the seed’s fields, comments on it', async () => {
    const created = await newTopic(author, { title: 'Viral video tips', content: 'Hello *world*' });
    expect(created).toEqual({ topicId: expect.any(String), title: 'Viral video tips', createdAt: expect.any(String) });

    const comment = await t
      .http()
      .post(`/api/forum/topics/${created.topicId}/comments`)
      .set(moderator.auth)
      .send({ content: 'Nice **one**' })
      .expect(201);
    expect(comment.body).toEqual({
      commentId: expect.any(String),
      content: 'Nice **one**',
      createdAt: expect.any(String),
    });

    const read = await t.http().get(`/api/forum/topics/${created.topicId}`).set(anonymous()).expect(200);
    expect(read.body.topic).toMatchObject({
      id: created.topicId,
      title: 'Viral video tips',
      content: 'Hello *world*',
      contentHtml: '<p>Hello <em>world</em></p>',
      category: 'questions',
      userId: author.id,
      userName: 'Forum Author',
      views: 1,
      commentCount: 1,
      isPinned: false,
      isLocked: false,
    });
    expect(read.body.comments).toEqual([
      expect.objectContaining({
        id: comment.body.commentId,
        userName: 'Moderator',
        contentHtml: '<p>Nice <strong>one</strong></p>',
      }),
    ]);
    // No e-mail of a member is shown.
    expect(JSON.stringify(read.body)).not.toContain(author.email);

    const list = await t
      .http()
      .get('/api/forum/topics')
      .query({ category: 'questions', limit: 100 })
      .set(anonymous())
      .expect(200);
    expect(list.body.topics.find((x: { id: string }) => x.id === created.topicId)).toMatchObject({
      userName: 'Forum Author',
      views: 1,
      commentCount: 1,
    });
    expect(list.body.pagination).toMatchObject({
      page: 1,
      limit: 100,
      total: expect.any(Number),
      pages: expect.any(Number),
    });
  });

  it('lists pinned first then newest, by page and by cursor, filtered by category and full-text search', async () => {
    const word = `zebra${randomUUID().slice(0, 8)}`;
    const a = await newTopic(author, { title: `First ${word}`, category: 'showcase' });
    const b = await newTopic(author, { title: `Second ${word}`, category: 'showcase' });
    const c = await newTopic(author, {
      title: 'Third unrelated',
      content: `mentions ${word} in the body`,
      category: 'growth',
    });
    await t
      .http()
      .patch(`/api/forum/topics/${a.topicId}/moderation`)
      .set(moderator.auth)
      .send({ isPinned: true })
      .expect(200);

    const found = await t.http().get('/api/forum/topics').query({ search: word }).set(anonymous()).expect(200);
    expect(found.body.topics.map((x: { id: string }) => x.id)).toEqual([a.topicId, c.topicId, b.topicId]);
    expect(found.body.pagination.total).toBe(3);

    const showcase = await t
      .http()
      .get('/api/forum/topics')
      .query({ search: word, category: 'showcase' })
      .set(anonymous());
    expect(showcase.body.topics.map((x: { id: string }) => x.id)).toEqual([a.topicId, b.topicId]);

    const first = await t
      .http()
      .get('/api/forum/topics')
      .query({ search: word, limit: 2 })
      .set(anonymous())
      .expect(200);
    const next = await t
      .http()
      .get('/api/forum/topics')
      .query({ search: word, limit: 2, cursor: first.body.pagination.nextCursor })
      .set(anonymous())
      .expect(200);
    expect([...first.body.topics, ...next.body.topics].map((x: { id: string }) => x.id)).toEqual([
      a.topicId,
      c.topicId,
      b.topicId,
    ]);
    expect(next.body.pagination.nextCursor).toBeNull();
    expectError(
      await t.http().get('/api/forum/topics').query({ search: word, cursor: 'abc.def' }).set(anonymous()),
      400,
      'INVALID_CURSOR',
    );
  });

  it('computes the cursor keys of the topics page only, after its Limit (and its OFFSET)', async () => {
    const word = `quokka${randomUUID().slice(0, 8)}`;
    await t.db.query(
      `INSERT INTO forum_topics (category, title, content, content_html, user_name, created_at)
       SELECT (ARRAY['growth','showcase'])[1 + i % 2], 'Topic ' || i, CASE WHEN i % 9 = 0 THEN $1 ELSE 'words' END,
              '<p>x</p>', 'Seeder', timestamptz '2026-01-01' + make_interval(secs => i)
         FROM generate_series(1, 3000) i`,
      [word],
    );
    await t.db.query('ANALYZE forum_topics');
    const get = (q: Record<string, unknown>) =>
      t
        .http()
        .get('/api/forum/topics')
        .query({ limit: 20, ...q })
        .set(anonymous());
    const first = await get({}).expect(200);
    const shapes = [
      {},
      { category: 'showcase' },
      { search: word },
      { page: 30 },
      { cursor: first.body.pagination.nextCursor },
    ];
    await expectOutputsAfterLimit(t.db, get, shapes, /json_build_array/);
  });

  it('renders Markdown with nothing executable from a list of XSS payloads', async () => {
    let poster = author;
    for (const [i, payload] of XSS.entries()) {
      if (i > 0 && i % 8 === 0) poster = await signUp(t);
      const topic = await newTopic(poster, { title: 'XSS check', content: payload, category: 'general' });
      const read = await t.http().get(`/api/forum/topics/${topic.topicId}`).set(anonymous()).expect(200);
      const html: string = read.body.topic.contentHtml;
      expect([payload, html]).toEqual([
        payload,
        expect.not.stringMatching(/<(script|img|svg|iframe|body|div|style|math)/i),
      ]);
      expect([payload, html]).toEqual([payload, expect.not.stringMatching(/<[^>]*\son\w+\s*=/i)]);
      expect([payload, html]).toEqual([payload, expect.not.stringMatching(/href="(?!https?:|mailto:)/i)]);
      expect(read.body.topic.content).toBe(payload);
    }
  });

  it('counts a view once per reader per hour, also under 50 concurrent reads', async () => {
    const topic = await newTopic(author);
    const ip = randomIp();
    await Promise.all(
      Array.from({ length: 50 }, () =>
        t.http().get(`/api/forum/topics/${topic.topicId}`).set('X-Forwarded-For', ip).expect(200),
      ),
    );
    await Promise.all(
      Array.from({ length: 50 }, () => t.http().get(`/api/forum/topics/${topic.topicId}`).set(anonymous()).expect(200)),
    );
    const [row] = await t.db.query(`SELECT views FROM forum_topics WHERE id = $1`, [topic.topicId]);
    expect(row.views).toBe(51);
  });

  it('a locked topic refuses comments with 409; moderation is for moderators only (403)', async () => {
    const topic = await newTopic(author);
    const lock = () => t.http().patch(`/api/forum/topics/${topic.topicId}/moderation`);
    expectError(await lock().set(author.auth).send({ isLocked: true }), 403, 'FORUM_MODERATORS_ONLY');
    const locked = await lock().set(moderator.auth).send({ isLocked: true }).expect(200);
    expect(locked.body).toMatchObject({ id: topic.topicId, isLocked: true });
    expectError(
      await t.http().post(`/api/forum/topics/${topic.topicId}/comments`).set(author.auth).send({ content: 'late' }),
      409,
      'FORUM_TOPIC_LOCKED',
    );
    // Hidden: gone for readers, and for comments.
    await lock().set(moderator.auth).send({ isHidden: true }).expect(200);
    expectError(
      await t.http().get(`/api/forum/topics/${topic.topicId}`).set(anonymous()),
      404,
      'FORUM_TOPIC_NOT_FOUND',
    );
    expectError(await lock().set(moderator.auth).send({ isPinned: 'yes' }), 400);
    expectError(await lock().set(moderator.auth).send({ isLocked: null }), 400);
    expectError(
      await t.http().patch(`/api/forum/topics/${randomUUID()}/moderation`).set(moderator.auth).send({ isLocked: true }),
      404,
    );
  });

  it('deletes own topics; another member gets 403; a moderator may delete any', async () => {
    const other = await signUp(t);
    const mine = await newTopic(author);
    expectError(await t.http().delete(`/api/forum/topics/${mine.topicId}`).set(other.auth), 403, 'FORUM_NOT_AUTHOR');
    await t.http().delete(`/api/forum/topics/${mine.topicId}`).set(author.auth).expect(204);
    expectError(await t.http().get(`/api/forum/topics/${mine.topicId}`).set(anonymous()), 404);
    const theirs = await newTopic(other);
    await t.http().delete(`/api/forum/topics/${theirs.topicId}`).set(moderator.auth).expect(204);
  });

  it('edits own topics within the window (re-rendered, sanitised, dated); 400, 401, 403, 404', async () => {
    const topic = await newTopic(author);
    const edit = (user: TestUser | null, body: Record<string, unknown>, id = topic.topicId) => {
      const req = t.http().patch(`/api/forum/topics/${id}`);
      return (user ? req.set(user.auth) : req).send(body);
    };
    const edited = await edit(author, { content: 'Now *better* <img src=x onerror=alert(1)>' }).expect(200);
    expect(edited.body).toMatchObject({ id: topic.topicId, title: 'How to grow?', editedAt: expect.any(String) });
    expect(edited.body.contentHtml).toContain('<em>better</em>');
    expect(edited.body.contentHtml).not.toMatch(/<img/i); // escaped as text, never markup
    expectError(await edit(author, { title: 'no' }), 400);
    expectError(await edit(null, { title: 'Anonymous edit' }), 401);
    const other = await signUp(t);
    expectError(await edit(other, { title: 'Not mine' }), 403, 'FORUM_NOT_AUTHOR');
    expectError(await edit(author, { title: 'Ghost topic' }, randomUUID()), 404);
    // Past the window the author may no longer edit.
    await t.db.query(`UPDATE forum_topics SET created_at = now() - interval '16 minutes' WHERE id = $1`, [
      topic.topicId,
    ]);
    expectError(await edit(author, { title: 'Too late now' }), 403, 'FORUM_EDIT_WINDOW_CLOSED');
  });

  it('deletes own comments (the count follows); another member gets 403; a moderator may delete any', async () => {
    const topic = await newTopic(author);
    const other = await signUp(t);
    const post = async (user: TestUser, content: string) =>
      (await t.http().post(`/api/forum/topics/${topic.topicId}/comments`).set(user.auth).send({ content }).expect(201))
        .body.commentId as string;
    const mine = await post(author, 'mine');
    const theirs = await post(other, 'theirs');
    const remove = (user: TestUser, id: string) => t.http().delete(`/api/forum/comments/${id}`).set(user.auth);
    expectError(await remove(other, mine), 403, 'FORUM_NOT_AUTHOR');
    await remove(author, mine).expect(204);
    await remove(moderator, theirs).expect(204);
    expectError(await remove(author, mine), 404, 'FORUM_COMMENT_NOT_FOUND');
    expectError(await remove(author, 'not-a-uuid'), 400);
    expectError(await t.http().delete(`/api/forum/comments/${theirs}`), 401);
    const read = await t.http().get(`/api/forum/topics/${topic.topicId}`).set(anonymous()).expect(200);
    expect(read.body.comments).toEqual([]);
    expect(read.body.topic.commentCount).toBe(0);
  });

  it('members report a topic or a comment; moderators list and handle reports (403 for members, 409 twice)', async () => {
    const topic = await newTopic(author);
    const reporter = await signUp(t);
    const commentId = (
      await t
        .http()
        .post(`/api/forum/topics/${topic.topicId}/comments`)
        .set(author.auth)
        .send({ content: 'buy cheap followers' })
        .expect(201)
    ).body.commentId as string;
    const report = (body: Record<string, unknown>, id = topic.topicId, user: TestUser | null = reporter) => {
      const req = t.http().post(`/api/forum/topics/${id}/reports`);
      return (user ? req.set(user.auth) : req).send(body);
    };
    const onComment = (await report({ reason: 'Spam link', commentId }).expect(201)).body.reportId as string;
    const onTopic = (await report({ reason: 'Off topic' }).expect(201)).body.reportId as string;
    expectError(await report({ reason: 'no' }), 400);
    expectError(await report({ reason: 'Ghost comment', commentId: randomUUID() }), 404, 'FORUM_COMMENT_NOT_FOUND');
    expectError(await report({ reason: 'Ghost topic' }, randomUUID()), 404, 'FORUM_TOPIC_NOT_FOUND');
    expectError(await report({ reason: 'Anonymous' }, topic.topicId, null), 401);

    expectError(await t.http().get('/api/forum/reports').set(reporter.auth), 403, 'FORUM_MODERATORS_ONLY');
    const open = await t.http().get('/api/forum/reports').query({ limit: 100 }).set(moderator.auth).expect(200);
    const mine = open.body.data.filter((r: { id: string }) => [onComment, onTopic].includes(r.id));
    expect(mine.map((r: { reason: string; commentId: string | null }) => [r.reason, r.commentId])).toEqual([
      ['Off topic', null],
      ['Spam link', commentId],
    ]);
    expect(open.body.pagination).toBeDefined();
    expectError(await t.http().get('/api/forum/reports?status=closed').set(moderator.auth), 400);

    const handle = (id: string, user: TestUser, status: string) =>
      t.http().patch(`/api/forum/reports/${id}`).set(user.auth).send({ status });
    expectError(await handle(onComment, reporter, 'resolved'), 403, 'FORUM_MODERATORS_ONLY');
    expect((await handle(onComment, moderator, 'resolved').expect(200)).body).toMatchObject({
      id: onComment,
      status: 'resolved',
      handledAt: expect.any(String),
    });
    expectError(await handle(onComment, moderator, 'dismissed'), 409, 'FORUM_REPORT_HANDLED');
    expectError(await handle(onTopic, moderator, 'pending'), 400);
    expectError(await handle(randomUUID(), moderator, 'dismissed'), 404, 'FORUM_REPORT_NOT_FOUND');
    const resolved = await t.http().get('/api/forum/reports?status=resolved&limit=100').set(moderator.auth).expect(200);
    expect(resolved.body.data.map((r: { id: string }) => r.id)).toContain(onComment);
  });

  it('400 on bad input, 401 without credentials, 403 for announcements by members and for API keys, 404 unknown', async () => {
    expectError(
      await t
        .http()
        .post('/api/forum/topics')
        .set(anonymous())
        .send({ title: 'abc', content: 'x', category: 'questions' }),
      401,
    );
    expectError(
      await t.http().post('/api/forum/topics').set(author.auth).send({ title: 'abc', content: 'x', category: 'nope' }),
      400,
    );
    expectError(
      await t
        .http()
        .post('/api/forum/topics')
        .set(author.auth)
        .send({ title: 'a', content: 'x', category: 'questions' }),
      400,
    );
    expectError(
      await t
        .http()
        .post('/api/forum/topics')
        .set(author.auth)
        .send({ title: 'abc', content: '   ', category: 'questions' }),
      400,
    );
    expectError(await t.http().get('/api/forum/topics').query({ category: 'nope' }).set(anonymous()), 400);
    expectError(await t.http().get('/api/forum/topics/not-a-uuid').set(anonymous()), 400);
    expectError(await t.http().get(`/api/forum/topics/${randomUUID()}`).set(anonymous()), 404, 'FORUM_TOPIC_NOT_FOUND');
    expectError(
      await t.http().post(`/api/forum/topics/${randomUUID()}/comments`).set(author.auth).send({ content: 'hi' }),
      404,
      'FORUM_TOPIC_NOT_FOUND',
    );
    expectError(
      await t
        .http()
        .post('/api/forum/topics')
        .set(author.auth)
        .send({ title: 'News', content: 'x', category: 'announcements' }),
      403,
      'FORUM_MODERATORS_ONLY',
    );
    await newTopic(moderator, { category: 'announcements' });
    const key = await t
      .http()
      .post('/api/security/api-keys')
      .set(author.auth)
      .send({ name: 'forum', scopes: ['leads:read'] });
    expectError(
      await t
        .http()
        .post('/api/forum/topics')
        .set({ 'X-API-Key': key.body.key, 'X-Forwarded-For': randomIp() })
        .send({ title: 'abc', content: 'x', category: 'questions' }),
      403,
      'USER_SESSION_REQUIRED',
    );
    const categories = await t.http().get('/api/forum/categories').set(anonymous()).expect(200);
    expect(categories.body.categories.map((c: { id: string }) => c.id)).toContain('questions');
  });

  it('rate-limits posting (429 in the error shape)', async () => {
    const poster = await signUp(t);
    const answers = [];
    for (let i = 0; i < 11; i++) {
      answers.push(
        await t
          .http()
          .post('/api/forum/topics')
          .set(poster.auth)
          .send({ title: `Topic ${i}`, content: 'x', category: 'general' }),
      );
    }
    expect(answers.slice(0, 10).map((r) => r.status)).toEqual(Array(10).fill(201));
    expectError(answers[10], 429, 'RATE_LIMITED');
  });

  it('erasing a member keeps their posts without their name', async () => {
    const leaving = await signUp(t, { name: 'Leaving Poster' });
    const topic = await newTopic(leaving);
    await t.http().post('/api/gdpr/delete').set(leaving.auth).send({ confirmation: 'DELETE_MY_DATA' }).expect(200);
    const read = await t.http().get(`/api/forum/topics/${topic.topicId}`).set(anonymous()).expect(200);
    expect(read.body.topic).toMatchObject({ userId: null, userName: 'Deleted member' });
    expect(JSON.stringify(read.body)).not.toContain('Leaving Poster');
  });
});
