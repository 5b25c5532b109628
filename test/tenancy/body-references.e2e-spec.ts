import { randomUUID } from 'node:crypto';
import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

/**
 * Every id a create or update body references must be a record of the caller's workspace: another
 * workspace's id (or an unknown one) answers 404 `<KIND>_NOT_FOUND` (OWNER_NOT_MEMBER for a user) with the
 * field in `details`, and nothing is stored or changed.
 */
describe('ids in request bodies are checked against the caller’s workspace', () => {
  let t: TestApp;
  let mine: TestUser;
  let theirs: TestUser;
  type Kind = 'campaign' | 'lead' | 'segment' | 'niche' | 'rule' | 'canned' | 'subscriber' | 'conversation';
  const kinds: Kind[] = ['campaign', 'lead', 'segment', 'niche', 'rule', 'canned', 'subscriber', 'conversation'];
  const own = Object.fromEntries(kinds.map((k) => [k, ''])) as Record<Kind, string>;
  const foreign = Object.fromEntries(kinds.map((k) => [k, ''])) as Record<Kind, string>;

  const created = async (user: TestUser, path: string, body: Record<string, unknown>): Promise<string> => {
    const res = await t.http().post(path).set(user.auth).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body.data?.conversation?.id ?? res.body.data?.id ?? res.body.id) as string;
  };
  const nicheRule = (id: string) => ({ combinator: 'and', rules: [{ field: 'nicheId', operator: 'eq', value: id }] });
  const ownerRule = (ids: string[]) => ({
    combinator: 'or',
    rules: [{ field: 'ownerId', operator: 'in', value: ids }],
  });

  beforeAll(async () => {
    t = await createTestApp();
    mine = await signUp(t);
    theirs = await signUp(t);
    for (const [user, ids] of [
      [mine, own],
      [theirs, foreign],
    ] as const) {
      ids.niche = await created(user, '/api/niches', { name: 'Niche' });
      ids.campaign = await created(user, '/api/campaigns', { name: 'Campaign', type: 'email' });
      ids.lead = await created(user, '/api/leads', { name: 'Lead' });
      ids.segment = await created(user, '/api/marketing/segments', {
        name: 'Segment',
        rules: { combinator: 'and', rules: [{ field: 'score', operator: 'gte', value: 1 }] },
      });
      ids.subscriber = await created(user, '/api/onlyfans/subscribers', {
        platform: 'onlyfans',
        handle: 'fan',
        currency: 'EUR',
      });
      ids.conversation = await created(user, '/api/chatbot/conversations', {
        platform: 'onlyfans',
        fanHandle: 'fan',
        direction: 'inbound',
        body: 'Hi',
      });
    }
    own.canned = await created(mine, '/api/chatbot/canned-responses', { name: 'Hello', body: 'Hello {{name}}' });
    own.rule = await created(mine, '/api/marketing/automation', {
      name: 'Rule',
      trigger: { type: 'lead.created' },
      actions: [{ type: 'add_tag', tag: 'x' }],
    });
  });
  afterAll(() => t.close());

  /** Everything of the caller's workspace a refused request could have written. */
  const state = async (): Promise<unknown> => {
    const q = (sql: string) => t.db.query(sql, [mine.workspaceId]);
    return {
      campaigns: await q(`SELECT * FROM campaigns WHERE workspace_id = $1 ORDER BY id`),
      leads: await q(`SELECT * FROM leads WHERE workspace_id = $1 ORDER BY id`),
      segments: await q(`SELECT * FROM segments WHERE workspace_id = $1 ORDER BY id`),
      rules: await q(`SELECT * FROM automation_rules WHERE workspace_id = $1 ORDER BY id`),
      enrollments: await q(`SELECT * FROM campaign_leads WHERE workspace_id = $1 ORDER BY id`),
      posts: await q(`SELECT * FROM scheduled_posts WHERE workspace_id = $1 ORDER BY id`),
      earnings: await q(`SELECT * FROM earnings WHERE workspace_id = $1 ORDER BY id`),
      subscribers: await q(`SELECT * FROM subscribers WHERE workspace_id = $1 ORDER BY id`),
      messages: await q(`SELECT * FROM chatbot_messages WHERE workspace_id = $1 ORDER BY id`),
      conversations: await q(`SELECT * FROM chatbot_conversations WHERE workspace_id = $1 ORDER BY id`),
    };
  };

  interface Case {
    name: string;
    method: 'post' | 'put';
    path: () => string;
    body: () => Record<string, unknown>;
    code: string;
    field: string;
  }
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const cases: Case[] = [
    {
      name: 'POST /api/campaigns targetSegmentIds',
      method: 'post',
      path: () => '/api/campaigns',
      body: () => ({ name: 'Segments', type: 'email', targetSegmentIds: [own.segment, foreign.segment] }),
      code: 'SEGMENT_NOT_FOUND',
      field: 'targetSegmentIds',
    },
    {
      name: 'POST /api/campaigns targetSegmentIds (unknown id)',
      method: 'post',
      path: () => '/api/campaigns',
      body: () => ({ name: 'Unknown', type: 'email', targetSegmentIds: [randomUUID()] }),
      code: 'SEGMENT_NOT_FOUND',
      field: 'targetSegmentIds',
    },
    {
      name: 'PUT /api/campaigns/:id targetSegmentIds',
      method: 'put',
      path: () => `/api/campaigns/${own.campaign}`,
      body: () => ({ targetSegmentIds: [foreign.segment] }),
      code: 'SEGMENT_NOT_FOUND',
      field: 'targetSegmentIds',
    },
    {
      name: 'POST /api/content-creation/campaigns targetSegmentIds',
      method: 'post',
      path: () => '/api/content-creation/campaigns',
      body: () => ({ name: 'Content', targetSegmentIds: [foreign.segment] }),
      code: 'SEGMENT_NOT_FOUND',
      field: 'targetSegmentIds',
    },
    {
      name: 'POST /api/campaigns targetNicheIds',
      method: 'post',
      path: () => '/api/campaigns',
      body: () => ({ name: 'Niches', type: 'email', targetNicheIds: [foreign.niche] }),
      code: 'NICHE_NOT_FOUND',
      field: 'targetNicheIds',
    },
    {
      name: 'PUT /api/campaigns/:id targetNicheIds',
      method: 'put',
      path: () => `/api/campaigns/${own.campaign}`,
      body: () => ({ targetNicheIds: [own.niche, foreign.niche] }),
      code: 'NICHE_NOT_FOUND',
      field: 'targetNicheIds',
    },
    {
      name: 'PUT /api/campaigns/:id ownerId',
      method: 'put',
      path: () => `/api/campaigns/${own.campaign}`,
      body: () => ({ ownerId: theirs.id }),
      code: 'OWNER_NOT_MEMBER',
      field: 'ownerId',
    },
    {
      name: 'POST /api/leads nicheId',
      method: 'post',
      path: () => '/api/leads',
      body: () => ({ name: 'New lead', nicheId: foreign.niche }),
      code: 'NICHE_NOT_FOUND',
      field: 'nicheId',
    },
    {
      name: 'PUT /api/leads/:id nicheId',
      method: 'put',
      path: () => `/api/leads/${own.lead}`,
      body: () => ({ nicheId: foreign.niche }),
      code: 'NICHE_NOT_FOUND',
      field: 'nicheId',
    },
    {
      name: 'PUT /api/leads/:id ownerId',
      method: 'put',
      path: () => `/api/leads/${own.lead}`,
      body: () => ({ ownerId: theirs.id }),
      code: 'OWNER_NOT_MEMBER',
      field: 'ownerId',
    },
    {
      name: 'POST /api/campaigns/:id/leads leadIds',
      method: 'post',
      path: () => `/api/campaigns/${own.campaign}/leads`,
      body: () => ({ leadIds: [own.lead, foreign.lead] }),
      code: 'LEAD_NOT_FOUND',
      field: 'leadIds',
    },
    {
      name: 'POST /api/content-creation/schedule campaignId',
      method: 'post',
      path: () => '/api/content-creation/schedule',
      body: () => ({ platform: 'x', caption: 'Hi', publishAt: inDays(1), campaignId: foreign.campaign }),
      code: 'CAMPAIGN_NOT_FOUND',
      field: 'campaignId',
    },
    {
      name: 'POST /api/marketing/segments nicheId rule',
      method: 'post',
      path: () => '/api/marketing/segments',
      body: () => ({ name: 'Their niche', rules: nicheRule(foreign.niche) }),
      code: 'NICHE_NOT_FOUND',
      field: 'rules',
    },
    {
      name: 'POST /api/marketing/segments ownerId rule',
      method: 'post',
      path: () => '/api/marketing/segments',
      body: () => ({ name: 'Their owner', rules: ownerRule([mine.id, theirs.id]) }),
      code: 'OWNER_NOT_MEMBER',
      field: 'rules',
    },
    {
      name: 'PUT /api/marketing/segments/:id nicheId rule',
      method: 'put',
      path: () => `/api/marketing/segments/${own.segment}`,
      body: () => ({ rules: nicheRule(foreign.niche) }),
      code: 'NICHE_NOT_FOUND',
      field: 'rules',
    },
    {
      name: 'POST /api/marketing/automation enroll_in_campaign',
      method: 'post',
      path: () => '/api/marketing/automation',
      body: () => ({
        name: 'Enroll',
        trigger: { type: 'lead.created' },
        actions: [{ type: 'enroll_in_campaign', campaignId: foreign.campaign }],
      }),
      code: 'CAMPAIGN_NOT_FOUND',
      field: 'actions.campaignId',
    },
    {
      name: 'POST /api/marketing/automation nicheId condition',
      method: 'post',
      path: () => '/api/marketing/automation',
      body: () => ({
        name: 'Conditional',
        trigger: { type: 'lead.created' },
        conditions: nicheRule(foreign.niche),
        actions: [{ type: 'add_tag', tag: 'x' }],
      }),
      code: 'NICHE_NOT_FOUND',
      field: 'conditions',
    },
    {
      name: 'PUT /api/marketing/automation/:id nicheId condition',
      method: 'put',
      path: () => `/api/marketing/automation/${own.rule}`,
      body: () => ({ conditions: nicheRule(foreign.niche) }),
      code: 'NICHE_NOT_FOUND',
      field: 'conditions',
    },
    {
      name: 'PUT /api/marketing/automation/:id ownerId condition',
      method: 'put',
      path: () => `/api/marketing/automation/${own.rule}`,
      body: () => ({ conditions: ownerRule([theirs.id]) }),
      code: 'OWNER_NOT_MEMBER',
      field: 'conditions',
    },
    {
      name: 'POST /api/onlyfans/earnings subscriberId',
      method: 'post',
      path: () => '/api/onlyfans/earnings',
      body: () => ({
        subscriberId: foreign.subscriber,
        type: 'tip',
        amount: 500,
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
      }),
      code: 'SUBSCRIBER_NOT_FOUND',
      field: 'subscriberId',
    },
    {
      name: 'POST /api/chatbot/conversations conversationId',
      method: 'post',
      path: () => '/api/chatbot/conversations',
      body: () => ({ conversationId: foreign.conversation, direction: 'outbound', body: 'Hello' }),
      code: 'CONVERSATION_NOT_FOUND',
      field: 'conversationId',
    },
    {
      name: 'POST /api/chatbot/canned-responses/:id/render conversationId',
      method: 'post',
      path: () => `/api/chatbot/canned-responses/${own.canned}/render`,
      body: () => ({ conversationId: foreign.conversation }),
      code: 'CONVERSATION_NOT_FOUND',
      field: 'conversationId',
    },
  ];

  it.each(cases)('$name: 404 $code, nothing stored', async (c) => {
    const before = await state();
    const res = await t.http()[c.method](c.path()).set(mine.auth).send(c.body());
    expectError(res, 404, c.code);
    expect(res.body.details.length).toBeGreaterThan(0);
    for (const detail of res.body.details) expect(detail.field).toBe(c.field);
    expect(await state()).toEqual(before);
  });

  it('accepts the same bodies with the workspace’s own ids', async () => {
    const ok = async (method: 'post' | 'put', path: string, body: Record<string, unknown>) => {
      const res = await t.http()[method](path).set(mine.auth).send(body);
      expect({ path, status: res.status }).toEqual({ path, status: method === 'post' ? 201 : 200 });
      return res;
    };
    const campaign = await ok('post', '/api/campaigns', {
      name: 'Own refs',
      type: 'email',
      targetSegmentIds: [own.segment],
      targetNicheIds: [own.niche],
      ownerId: mine.id,
    });
    expect(campaign.body).toMatchObject({ targetSegmentIds: [own.segment], targetNicheIds: [own.niche] });
    await ok('put', `/api/campaigns/${own.campaign}`, { targetSegmentIds: [own.segment] });
    await ok('post', '/api/marketing/segments', { name: 'Own niche', rules: nicheRule(own.niche) });
    await ok('put', `/api/marketing/automation/${own.rule}`, { conditions: ownerRule([mine.id]) });
  });
});
