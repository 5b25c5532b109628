import { FixedClock } from '../helpers/fixed-clock';
import { randomUUID } from 'node:crypto';
import { addMember, createTestApp, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';

const base = '/api/chatbot/conversations';
const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe('fan inbox (/api/chatbot/conversations)', () => {
  let t: TestApp;
  const clock = new FixedClock();
  beforeAll(async () => {
    t = await createTestApp([clock.override]);
  });
  afterEach(() => clock.set(null));
  afterAll(() => t.close());

  const post = async (owner: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post(base).set(owner.auth).send(body);
    if (res.status !== 201) throw new Error(`post failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data as {
      conversationCreated: boolean;
      conversation: { id: string; [key: string]: unknown };
      message: { id: string; [key: string]: unknown };
    };
  };
  const inbound = (fanHandle: string, body: string, extra: Record<string, unknown> = {}) => ({
    platform: 'onlyfans',
    fanHandle,
    direction: 'inbound',
    body,
    ...extra,
  });

  describe('POST', () => {
    it('starts the fan’s conversation on first contact, then adds to it (handle normalised)', async () => {
      const owner = await signUp(t);
      clock.set(new Date('2026-03-02T10:00:00.000Z'));
      const first = await t
        .http()
        .post(base)
        .set(owner.auth)
        .send(inbound(' @Jane_Doe ', 'Hi there', { fanName: ' Jane ' }));
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        success: true,
        data: {
          conversationCreated: true,
          conversation: {
            id: expect.any(String),
            platform: 'onlyfans',
            fanHandle: 'jane_doe',
            fanName: 'Jane',
            subscriberId: null,
            status: 'open',
            lastMessageAt: '2026-03-02T10:00:00.000Z',
            unreadCount: 1,
            lastMessage: {
              id: first.body.data.message.id,
              direction: 'inbound',
              preview: 'Hi there',
              sentAt: '2026-03-02T10:00:00.000Z',
              authorType: 'fan',
            },
            createdAt: iso,
            updatedAt: iso,
          },
          message: {
            id: expect.any(String),
            conversationId: first.body.data.conversation.id,
            direction: 'inbound',
            body: 'Hi there',
            sentAt: '2026-03-02T10:00:00.000Z',
            authorType: 'fan',
            authorUserId: null,
            autoReplyRuleId: null,
          },
          autoReply: { fired: false, reason: 'NO_MATCH', ruleId: null, ruleName: null, reply: null, skipped: [] },
        },
      });
      const [row] = await t.db.query('SELECT workspace_id FROM chatbot_conversations WHERE id = $1', [
        first.body.data.conversation.id,
      ]);
      expect(row.workspace_id).toBe(owner.workspaceId);

      clock.set(new Date('2026-03-02T10:01:00.000Z'));
      const second = await post(owner, inbound('JANE_DOE', 'Are you there?'));
      expect(second.conversationCreated).toBe(false);
      expect(second.conversation).toMatchObject({
        id: first.body.data.conversation.id,
        fanName: 'Jane',
        unreadCount: 2,
        lastMessageAt: '2026-03-02T10:01:00.000Z',
      });
      // Same handle on another platform is another fan.
      const other = await post(owner, inbound('jane_doe', 'hello', { platform: 'fansly' }));
      expect(other.conversationCreated).toBe(true);
    });

    it('adds to conversationId (platform/fanHandle optional but must match) and links the subscriber', async () => {
      const owner = await signUp(t);
      const sub = await t
        .http()
        .post('/api/onlyfans/subscribers')
        .set(owner.auth)
        .send({ platform: 'onlyfans', handle: 'sub_fan' });
      expect(sub.status).toBe(201);
      const started = await post(owner, { ...inbound('Sub_Fan', 'hey'), fanName: 'Sub' });
      expect(started.conversation.subscriberId).toBe(sub.body.data.id);

      const reply = await post(owner, {
        conversationId: started.conversation.id,
        direction: 'outbound',
        body: 'Hello Sub',
      });
      expect(reply.conversationCreated).toBe(false);
      expect(reply.message).toMatchObject({ authorType: 'user', authorUserId: owner.id, direction: 'outbound' });
      expect(reply.conversation).toMatchObject({ unreadCount: 0, lastMessage: { preview: 'Hello Sub' } });

      const mismatch = await t.http().post(base).set(owner.auth).send({
        conversationId: started.conversation.id,
        platform: 'fansly',
        fanHandle: 'someone',
        direction: 'inbound',
        body: 'x',
      });
      expectError(mismatch, 400, 'CONVERSATION_FAN_MISMATCH');
      expect(mismatch.body.details.map((d: { field: string }) => d.field)).toEqual(['platform', 'fanHandle']);
      const matching = await post(owner, {
        conversationId: started.conversation.id,
        platform: 'onlyfans',
        fanHandle: '@SUB_FAN',
        direction: 'inbound',
        body: 'ok',
      });
      expect(matching.conversation.id).toBe(started.conversation.id);
    });

    it('a fan writing to a closed conversation reopens it', async () => {
      const owner = await signUp(t);
      const { conversation } = await post(owner, inbound('closer', 'hi'));
      const closed = await t
        .http()
        .put(`${base}/${conversation.id}`)
        .set(owner.auth)
        .send({ status: 'closed', read: true });
      expect(closed.status).toBe(200);
      expect(closed.body.data).toMatchObject({ status: 'closed', unreadCount: 0 });
      const again = await post(owner, inbound('closer', 'hi again'));
      expect(again.conversation).toMatchObject({ status: 'open', unreadCount: 1 });
    });

    it('answers 400 for missing fan or bad fields, 404 for another workspace’s conversationId', async () => {
      const owner = await signUp(t);
      const missing = await t.http().post(base).set(owner.auth).send({ direction: 'inbound', body: 'hi' });
      expectError(missing, 400, 'VALIDATION_FAILED');
      expect(missing.body.details.map((d: { field: string }) => d.field)).toEqual(['platform', 'fanHandle']);
      const bad = await t
        .http()
        .post(base)
        .set(owner.auth)
        .send({ platform: 'myspace', fanHandle: 'two words', direction: 'sideways', body: '', extra: 1 });
      expectError(bad, 400, 'VALIDATION_FAILED');
      expect(new Set(bad.body.details.map((d: { field: string }) => d.field))).toEqual(
        new Set(['platform', 'fanHandle', 'direction', 'body', 'extra']),
      );
      expectError(
        await t
          .http()
          .post(base)
          .set(owner.auth)
          .send(inbound('x', 'y'.repeat(5001))),
        400,
        'VALIDATION_FAILED',
      );

      const stranger = await signUp(t);
      const theirs = await post(stranger, inbound('theirs', 'hi'));
      expectError(
        await t
          .http()
          .post(base)
          .set(owner.auth)
          .send({ conversationId: theirs.conversation.id, direction: 'outbound', body: 'x' }),
        404,
        'CONVERSATION_NOT_FOUND',
      );
      expectError(
        await t
          .http()
          .post(base)
          .set(owner.auth)
          .send({ conversationId: randomUUID(), direction: 'outbound', body: 'x' }),
        404,
        'CONVERSATION_NOT_FOUND',
      );
      const [{ count }] = await t.db.query(
        'SELECT count(*)::int AS count FROM chatbot_messages WHERE conversation_id = $1',
        [theirs.conversation.id],
      );
      expect(count).toBe(1);
    });
  });

  describe('GET list', () => {
    it('pages in the seed envelope, most recent first, each with its last message preview', async () => {
      const owner = await signUp(t);
      clock.set(new Date('2026-03-02T10:00:00.000Z'));
      await post(owner, inbound('a_fan', 'first'));
      clock.set(new Date('2026-03-02T11:00:00.000Z'));
      await post(owner, inbound('b_fan', 'x'.repeat(300)));
      clock.set(new Date('2026-03-02T12:00:00.000Z'));
      await post(owner, inbound('c_fan', 'third', { platform: 'fansly', fanName: 'Carla' }));
      await post(await signUp(t), inbound('elsewhere', 'not mine'));

      const page1 = await t.http().get(base).query({ pageSize: 2 }).set(owner.auth);
      expect(page1.status).toBe(200);
      expect(page1.body.success).toBe(true);
      expect(page1.body.metadata).toEqual({
        page: 1,
        pageSize: 2,
        total: 3,
        totalPages: 2,
        totalIsEstimate: false,
        nextCursor: expect.any(String),
        prevCursor: null,
      });
      expect(page1.body.data.map((c: { fanHandle: string }) => c.fanHandle)).toEqual(['c_fan', 'b_fan']);
      expect(page1.body.data[1].lastMessage.preview).toBe('x'.repeat(140));
      const page2 = await t.http().get(base).query({ pageSize: 2, page: 2 }).set(owner.auth);
      expect(page2.body.data.map((c: { fanHandle: string }) => c.fanHandle)).toEqual(['a_fan']);
      expect(page2.body.metadata).toEqual({
        page: 2,
        pageSize: 2,
        total: 3,
        totalPages: 2,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: expect.any(String),
      });

      const byPlatform = await t.http().get(base).query({ platform: 'fansly' }).set(owner.auth);
      expect(byPlatform.body.data.map((c: { fanHandle: string }) => c.fanHandle)).toEqual(['c_fan']);
      const bySearch = await t.http().get(base).query({ search: 'carl' }).set(owner.auth);
      expect(bySearch.body.data.map((c: { fanHandle: string }) => c.fanHandle)).toEqual(['c_fan']);
      const literal = await t.http().get(base).query({ search: '_' }).set(owner.auth);
      expect(literal.body.metadata.total).toBe(3);
      await t.http().put(`${base}/${page2.body.data[0].id}`).set(owner.auth).send({ status: 'closed' });
      const closed = await t.http().get(base).query({ status: 'closed' }).set(owner.auth);
      expect(closed.body.data.map((c: { fanHandle: string }) => c.fanHandle)).toEqual(['a_fan']);
      const open = await t.http().get(base).query({ status: 'open' }).set(owner.auth);
      expect(open.body.metadata.total).toBe(2);
    });

    it('answers 400 for bad paging or filters, 401 without a token; a viewer reads', async () => {
      const owner = await signUp(t);
      for (const query of [
        { pageSize: 101 },
        { page: 0 },
        { status: 'archived' },
        { platform: 'myspace' },
        { limit: 5 },
      ])
        expectError(await t.http().get(base).query(query).set(owner.auth), 400, 'VALIDATION_FAILED');
      expectError(await t.http().get(base).set('X-Forwarded-For', randomIp()), 401);
      const viewer = await addMember(t, owner, 'viewer');
      await post(owner, inbound('seen', 'hi'));
      const res = await t.http().get(base).set(viewer.auth);
      expect(res.status).toBe(200);
      expect(res.body.metadata.total).toBe(1);
    });
  });

  describe('GET /:id and PUT /:id', () => {
    it('answers the conversation with its messages, newest first, paginated', async () => {
      const owner = await signUp(t);
      let id = '';
      for (let i = 0; i < 5; i++) {
        clock.set(new Date(Date.UTC(2026, 2, 2, 10, i)));
        const r = await post(
          owner,
          i % 2 ? { ...inbound('pager', `m${i}`), direction: 'outbound' } : inbound('pager', `m${i}`),
        );
        id = r.conversation.id;
      }
      const page1 = await t.http().get(`${base}/${id}`).query({ pageSize: 2 }).set(owner.auth);
      expect(page1.status).toBe(200);
      expect(page1.body.metadata).toEqual({
        page: 1,
        pageSize: 2,
        total: 5,
        totalPages: 3,
        totalIsEstimate: false,
        nextCursor: expect.any(String),
        prevCursor: null,
      });
      expect(page1.body.data).toMatchObject({ id, fanHandle: 'pager', unreadCount: 1, lastMessage: { preview: 'm4' } });
      expect(page1.body.data.messages.map((m: { body: string }) => m.body)).toEqual(['m4', 'm3']);
      const page3 = await t.http().get(`${base}/${id}`).query({ pageSize: 2, page: 3 }).set(owner.auth);
      expect(page3.body.data.messages.map((m: { body: string }) => m.body)).toEqual(['m0']);
    });

    it('answers 404 for another workspace’s conversation, 400 for a bad id or body, 403 for a viewer’s writes', async () => {
      const owner = await signUp(t);
      const stranger = await signUp(t);
      const theirs = await post(stranger, inbound('theirs', 'hi'));
      expectError(
        await t.http().get(`${base}/${theirs.conversation.id}`).set(owner.auth),
        404,
        'CONVERSATION_NOT_FOUND',
      );
      expectError(
        await t.http().put(`${base}/${theirs.conversation.id}`).set(owner.auth).send({ status: 'closed' }),
        404,
        'CONVERSATION_NOT_FOUND',
      );
      expectError(await t.http().get(`${base}/not-a-uuid`).set(owner.auth), 400, 'VALIDATION_FAILED');
      const mine = await post(owner, inbound('mine', 'hi'));
      expectError(await t.http().put(`${base}/${mine.conversation.id}`).set(owner.auth).send({ read: false }), 400);
      expectError(
        await t.http().put(`${base}/${mine.conversation.id}`).set(owner.auth).send({ status: 'archived' }),
        400,
      );

      const viewer = await addMember(t, owner, 'viewer');
      expectError(await t.http().post(base).set(viewer.auth).send(inbound('v', 'hi')), 403, 'MISSING_PERMISSION');
      expectError(await t.http().put(`${base}/${mine.conversation.id}`).set(viewer.auth).send({ read: true }), 403);
      expect((await t.http().get(`${base}/${mine.conversation.id}`).set(viewer.auth)).status).toBe(200);
      const member = await addMember(t, owner, 'member');
      expect((await t.http().post(base).set(member.auth).send(inbound('m', 'hi'))).status).toBe(201);
      expectError(await t.http().post(base).set('X-Forwarded-For', randomIp()).send(inbound('v', 'hi')), 401);
    });
  });
});
