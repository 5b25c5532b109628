import { randomUUID } from 'node:crypto';
import { addMember, createTestApp, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';

const base = '/api/chatbot/auto-reply';
const canned = '/api/chatbot/canned-responses';
const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

const keywordRule = (extra: Record<string, unknown> = {}) => ({
  name: `rule ${randomUUID().slice(0, 8)}`,
  matchType: 'keyword',
  keywords: ['price'],
  replyType: 'template',
  template: 'Hi {{name}}',
  ...extra,
});

describe('auto-reply rules and canned responses (/api/chatbot/auto-reply, /api/chatbot/canned-responses)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const create = async (owner: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post(base).set(owner.auth).send(body);
    if (res.status !== 201) throw new Error(`create rule failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data as { id: string; [key: string]: unknown };
  };

  describe('rules', () => {
    it('creates a rule (201, envelope) with defaults, and clears fields its types do not use', async () => {
      const owner = await signUp(t);
      const res = await t
        .http()
        .post(base)
        .set(owner.auth)
        .send({
          name: ' Pricing ',
          matchType: 'keyword',
          keywords: [' price ', 'how much', 'price'],
          pattern: 'ignored',
          replyType: 'template',
          template: 'Hi {{ name }}, it is {{time}}',
          aiPrompt: 'ignored too',
        });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        success: true,
        data: {
          id: expect.any(String),
          name: 'Pricing',
          matchType: 'keyword',
          keywords: ['price', 'how much'],
          pattern: null,
          intent: null,
          priority: 0,
          activeHours: null,
          timezone: null,
          cooldownMinutes: 0,
          active: true,
          replyType: 'template',
          template: 'Hi {{ name }}, it is {{time}}',
          aiPrompt: null,
          createdAt: iso,
          updatedAt: iso,
        },
      });
      const full = await create(owner, {
        name: 'Full',
        matchType: 'regex',
        pattern: '\\bvip\\b',
        priority: 7,
        activeHours: { days: ['sat', 'sun'], from: '22:00', to: '02:00' },
        timezone: 'Europe/Paris',
        cooldownMinutes: 15,
        active: false,
        replyType: 'ai',
        aiPrompt: 'Sell the VIP tier',
      });
      expect(full).toMatchObject({
        matchType: 'regex',
        pattern: '\\bvip\\b',
        priority: 7,
        activeHours: { days: ['sat', 'sun'], from: '22:00', to: '02:00' },
        timezone: 'Europe/Paris',
        cooldownMinutes: 15,
        active: false,
        replyType: 'ai',
        aiPrompt: 'Sell the VIP tier',
        template: null,
      });
      const [row] = await t.db.query('SELECT workspace_id FROM chatbot_auto_reply_rules WHERE id = $1', [full.id]);
      expect(row.workspace_id).toBe(owner.workspaceId);
    });

    it.each([
      ['bad regex', { matchType: 'regex', pattern: '(unclosed', keywords: undefined }, 'REGEX_INVALID', 'pattern'],
      ['catastrophic regex (nested quantifiers)', { matchType: 'regex', pattern: '(a+)+$' }, 'REGEX_UNSAFE', 'pattern'],
      [
        'catastrophic regex (repeated alternation)',
        { matchType: 'regex', pattern: '(a|aa)*b' },
        'REGEX_UNSAFE',
        'pattern',
      ],
      ['regex too long', { matchType: 'regex', pattern: 'a'.repeat(201) }, 'VALIDATION_FAILED', 'pattern'],
      ['unknown template variable', { template: 'Hi {{name}}, {{price}}' }, 'UNKNOWN_TEMPLATE_VARIABLE', 'template'],
      [
        'empty hours window',
        { activeHours: { days: ['mon'], from: '09:00', to: '09:00' } },
        'INVALID_ACTIVE_HOURS',
        'activeHours.to',
      ],
      [
        'bad time of day',
        { activeHours: { days: ['mon'], from: '25:00', to: '09:00' } },
        'VALIDATION_FAILED',
        'activeHours.from',
      ],
      [
        'unknown day',
        { activeHours: { days: ['monday'], from: '08:00', to: '09:00' } },
        'VALIDATION_FAILED',
        'activeHours.days',
      ],
      ['no day', { activeHours: { days: [], from: '08:00', to: '09:00' } }, 'VALIDATION_FAILED', 'activeHours.days'],
      ['unknown time zone', { timezone: 'Mars/Olympus' }, 'VALIDATION_FAILED', 'timezone'],
      ['keyword rule without keywords', { keywords: undefined }, 'VALIDATION_FAILED', 'keywords'],
      ['intent rule without intent', { matchType: 'intent' }, 'VALIDATION_FAILED', 'intent'],
      ['unknown intent', { matchType: 'intent', intent: 'flirting' }, 'VALIDATION_FAILED', 'intent'],
      ['ai rule without prompt', { replyType: 'ai', template: undefined }, 'VALIDATION_FAILED', 'aiPrompt'],
      ['missing name', { name: undefined }, 'VALIDATION_FAILED', 'name'],
      ['negative cooldown', { cooldownMinutes: -1 }, 'VALIDATION_FAILED', 'cooldownMinutes'],
      ['unknown field', { weight: 3 }, 'VALIDATION_FAILED', 'weight'],
    ])('answers 400 for %s', async (_name, patch, code, field) => {
      const owner = await signUp(t);
      const res = await t.http().post(base).set(owner.auth).send(keywordRule(patch));
      expectError(res, 400, code);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      const [{ count }] = await t.db.query(
        'SELECT count(*)::int AS count FROM chatbot_auto_reply_rules WHERE workspace_id = $1',
        [owner.workspaceId],
      );
      expect(count).toBe(0);
    });

    it('lists in priority order in the envelope, filters on active, pages', async () => {
      const owner = await signUp(t);
      await create(owner, keywordRule({ name: 'low', priority: -5 }));
      await create(owner, keywordRule({ name: 'high', priority: 50 }));
      await create(owner, keywordRule({ name: 'mid-old', priority: 0 }));
      await create(owner, keywordRule({ name: 'mid-new', priority: 0, active: false }));
      await create(await signUp(t), keywordRule({ name: 'elsewhere' }));

      const all = await t.http().get(base).set(owner.auth);
      expect(all.status).toBe(200);
      expect(all.body.success).toBe(true);
      expect(all.body.data.map((r: { name: string }) => r.name)).toEqual(['high', 'mid-old', 'mid-new', 'low']);
      expect(all.body.metadata).toEqual({
        page: 1,
        pageSize: 20,
        total: 4,
        totalPages: 1,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      });
      const active = await t.http().get(base).query({ active: 'true' }).set(owner.auth);
      expect(active.body.data.map((r: { name: string }) => r.name)).toEqual(['high', 'mid-old', 'low']);
      const page = await t.http().get(base).query({ pageSize: 3, page: 2 }).set(owner.auth);
      expect(page.body.data.map((r: { name: string }) => r.name)).toEqual(['low']);
      expect(page.body.metadata).toEqual({
        page: 2,
        pageSize: 3,
        total: 4,
        totalPages: 2,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: expect.any(String),
      });
      expectError(await t.http().get(base).query({ active: 'maybe' }).set(owner.auth), 400, 'VALIDATION_FAILED');
    });

    it('updates by id in the body (seed form) or by :id; only the fields sent; validated whole', async () => {
      const owner = await signUp(t);
      const rule = await create(owner, keywordRule({ name: 'upd', cooldownMinutes: 5 }));
      const byBody = await t.http().put(base).set(owner.auth).send({ id: rule.id, priority: 9, active: false });
      expect(byBody.status).toBe(200);
      expect(byBody.body.data).toMatchObject({
        id: rule.id,
        name: 'upd',
        priority: 9,
        active: false,
        cooldownMinutes: 5,
        keywords: ['price'],
      });

      const switched = await t
        .http()
        .put(`${base}/${rule.id}`)
        .set(owner.auth)
        .send({ matchType: 'intent', intent: 'greeting', activeHours: { days: ['mon'], from: '08:00', to: '12:00' } });
      expect(switched.status).toBe(200);
      expect(switched.body.data).toMatchObject({
        matchType: 'intent',
        intent: 'greeting',
        keywords: null,
        activeHours: { days: ['mon'] },
      });
      const cleared = await t.http().put(`${base}/${rule.id}`).set(owner.auth).send({ activeHours: null });
      expect(cleared.body.data.activeHours).toBeNull();

      // The merged rule must still be complete and valid.
      expectError(
        await t.http().put(`${base}/${rule.id}`).set(owner.auth).send({ matchType: 'regex' }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t.http().put(`${base}/${rule.id}`).set(owner.auth).send({ template: '{{nope}}' }),
        400,
        'UNKNOWN_TEMPLATE_VARIABLE',
      );
      expectError(
        await t.http().put(`${base}/${rule.id}`).set(owner.auth).send({ name: null }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(await t.http().put(base).set(owner.auth).send({ priority: 1 }), 400, 'VALIDATION_FAILED');
      expectError(
        await t.http().put(`${base}/${rule.id}`).set(owner.auth).send({ id: rule.id }),
        400,
        'VALIDATION_FAILED',
      );
      expect((await t.http().get(`${base}/${rule.id}`).set(owner.auth)).body.data).toMatchObject({
        matchType: 'intent',
        template: 'Hi {{name}}',
      });
    });

    it('answers 409 for a name already used in the workspace (create and update), not across workspaces', async () => {
      const owner = await signUp(t);
      await create(owner, keywordRule({ name: 'Same' }));
      const other = await create(owner, keywordRule({ name: 'Other' }));
      expectError(
        await t
          .http()
          .post(base)
          .set(owner.auth)
          .send(keywordRule({ name: 'Same' })),
        409,
        'AUTO_REPLY_RULE_NAME_TAKEN',
      );
      expectError(
        await t.http().put(`${base}/${other.id}`).set(owner.auth).send({ name: 'Same' }),
        409,
        'AUTO_REPLY_RULE_NAME_TAKEN',
      );
      await create(await signUp(t), keywordRule({ name: 'Same' }));
    });

    it('isolates workspaces (404), deletes, and guards: 401 without a token, 403 for a viewer’s writes', async () => {
      const owner = await signUp(t);
      const stranger = await signUp(t);
      const theirs = await create(stranger, keywordRule());
      expectError(await t.http().get(`${base}/${theirs.id}`).set(owner.auth), 404, 'AUTO_REPLY_RULE_NOT_FOUND');
      expectError(
        await t.http().put(`${base}/${theirs.id}`).set(owner.auth).send({ priority: 1 }),
        404,
        'AUTO_REPLY_RULE_NOT_FOUND',
      );
      expectError(
        await t.http().put(base).set(owner.auth).send({ id: theirs.id, priority: 1 }),
        404,
        'AUTO_REPLY_RULE_NOT_FOUND',
      );
      expectError(await t.http().delete(`${base}/${theirs.id}`).set(owner.auth), 404, 'AUTO_REPLY_RULE_NOT_FOUND');
      expect((await t.http().get(`${base}/${theirs.id}`).set(stranger.auth)).body.data.priority).toBe(0);

      const mine = await create(owner, keywordRule());
      const viewer = await addMember(t, owner, 'viewer');
      expect((await t.http().get(base).set(viewer.auth)).status).toBe(200);
      expectError(await t.http().post(base).set(viewer.auth).send(keywordRule()), 403, 'MISSING_PERMISSION');
      expectError(
        await t.http().put(base).set(viewer.auth).send({ id: mine.id, priority: 2 }),
        403,
        'MISSING_PERMISSION',
      );
      expectError(
        await t.http().put(`${base}/${mine.id}`).set(viewer.auth).send({ priority: 2 }),
        403,
        'MISSING_PERMISSION',
      );
      expectError(await t.http().delete(`${base}/${mine.id}`).set(viewer.auth), 403, 'MISSING_PERMISSION');
      const member = await addMember(t, owner, 'member');
      expect((await t.http().post(base).set(member.auth).send(keywordRule())).status).toBe(201);
      expectError(await t.http().get(base).set('X-Forwarded-For', randomIp()), 401);
      expectError(await t.http().post(base).set('X-Forwarded-For', randomIp()).send(keywordRule()), 401);

      const deleted = await t.http().delete(`${base}/${mine.id}`).set(owner.auth);
      expect(deleted.status).toBe(200);
      expect(deleted.body.data.id).toBe(mine.id);
      expectError(await t.http().get(`${base}/${mine.id}`).set(owner.auth), 404);
    });
  });

  describe('canned responses', () => {
    it('CRUD in the envelope, with the variables each uses; render fills the fan and the time', async () => {
      const owner = await signUp(t);
      const created = await t
        .http()
        .post(canned)
        .set(owner.auth)
        .send({ name: ' Welcome ', body: 'Welcome {{name}} (@{{handle}}) from {{ platform }}!' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        success: true,
        data: {
          id: expect.any(String),
          name: 'Welcome',
          body: 'Welcome {{name}} (@{{handle}}) from {{ platform }}!',
          variables: ['name', 'handle', 'platform'],
          createdAt: iso,
          updatedAt: iso,
        },
      });
      const id = created.body.data.id;
      await t.http().post(canned).set(owner.auth).send({ name: 'Away', body: 'Back at {{time}}' });

      const list = await t.http().get(canned).set(owner.auth);
      expect(list.body.data.map((c: { name: string }) => c.name)).toEqual(['Away', 'Welcome']);
      expect(list.body.metadata).toEqual({
        page: 1,
        pageSize: 20,
        total: 2,
        totalPages: 1,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      });
      const searched = await t.http().get(canned).query({ search: 'BACK' }).set(owner.auth);
      expect(searched.body.data.map((c: { name: string }) => c.name)).toEqual(['Away']);

      const conv = await t
        .http()
        .post('/api/chatbot/conversations')
        .set(owner.auth)
        .send({ platform: 'fansly', fanHandle: '@Mia', fanName: 'Mia', direction: 'inbound', body: 'hi' });
      const rendered = await t
        .http()
        .post(`${canned}/${id}/render`)
        .set(owner.auth)
        .send({ conversationId: conv.body.data.conversation.id });
      expect(rendered.status).toBe(200);
      expect(rendered.body).toEqual({ success: true, data: { text: 'Welcome Mia (@mia) from fansly!' } });
      const noFan = await t.http().post(`${canned}/${id}/render`).set(owner.auth).send({});
      expect(noFan.body.data.text).toBe('Welcome  (@) from !');

      const updated = await t.http().put(`${canned}/${id}`).set(owner.auth).send({ body: 'Hello {{name}}' });
      expect(updated.body.data).toMatchObject({ name: 'Welcome', body: 'Hello {{name}}', variables: ['name'] });
      const removed = await t.http().delete(`${canned}/${id}`).set(owner.auth);
      expect(removed.status).toBe(200);
      expectError(await t.http().get(`${canned}/${id}`).set(owner.auth), 404, 'CANNED_RESPONSE_NOT_FOUND');
    });

    it('answers 400 (unknown variable, missing body), 409 (name taken), 404 (other workspace), 403 (viewer writes)', async () => {
      const owner = await signUp(t);
      expectError(
        await t.http().post(canned).set(owner.auth).send({ name: 'x', body: 'Hi {{firstName}}' }),
        400,
        'UNKNOWN_TEMPLATE_VARIABLE',
      );
      expectError(await t.http().post(canned).set(owner.auth).send({ name: 'x' }), 400, 'VALIDATION_FAILED');
      const res = await t.http().post(canned).set(owner.auth).send({ name: 'Dup', body: 'a' });
      expect(res.status).toBe(201);
      const second = await t.http().post(canned).set(owner.auth).send({ name: 'Other', body: 'b' });
      expectError(
        await t.http().post(canned).set(owner.auth).send({ name: 'Dup', body: 'c' }),
        409,
        'CANNED_RESPONSE_NAME_TAKEN',
      );
      expectError(
        await t.http().put(`${canned}/${second.body.data.id}`).set(owner.auth).send({ name: 'Dup' }),
        409,
        'CANNED_RESPONSE_NAME_TAKEN',
      );
      expectError(
        await t.http().put(`${canned}/${second.body.data.id}`).set(owner.auth).send({ body: '{{x}}' }),
        400,
        'UNKNOWN_TEMPLATE_VARIABLE',
      );

      const stranger = await signUp(t);
      const theirs = await t.http().post(canned).set(stranger.auth).send({ name: 'Theirs', body: 'b' });
      const theirConv = await t
        .http()
        .post('/api/chatbot/conversations')
        .set(stranger.auth)
        .send({ platform: 'onlyfans', fanHandle: 'f', direction: 'inbound', body: 'hi' });
      for (const req of [
        t.http().get(`${canned}/${theirs.body.data.id}`),
        t.http().put(`${canned}/${theirs.body.data.id}`).send({ body: 'mine' }),
        t.http().delete(`${canned}/${theirs.body.data.id}`),
        t.http().post(`${canned}/${theirs.body.data.id}/render`).send({}),
      ])
        expectError(await req.set(owner.auth), 404, 'CANNED_RESPONSE_NOT_FOUND');
      expectError(
        await t
          .http()
          .post(`${canned}/${res.body.data.id}/render`)
          .set(owner.auth)
          .send({ conversationId: theirConv.body.data.conversation.id }),
        404,
        'CONVERSATION_NOT_FOUND',
      );

      const viewer = await addMember(t, owner, 'viewer');
      expect((await t.http().get(canned).set(viewer.auth)).status).toBe(200);
      expect((await t.http().post(`${canned}/${res.body.data.id}/render`).set(viewer.auth).send({})).status).toBe(200);
      expectError(
        await t.http().post(canned).set(viewer.auth).send({ name: 'v', body: 'v' }),
        403,
        'MISSING_PERMISSION',
      );
      expectError(await t.http().put(`${canned}/${res.body.data.id}`).set(viewer.auth).send({ body: 'v' }), 403);
      expectError(await t.http().delete(`${canned}/${res.body.data.id}`).set(viewer.auth), 403);
      expectError(await t.http().get(canned).set('X-Forwarded-For', randomIp()), 401);
    });
  });
});
