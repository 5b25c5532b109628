import { FakeOpenAI } from '../helpers/fake-openai';
import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

/** POST /api/content/ai-generate counts against a monthly quota per plan (tiny quotas here). */
describe('AI generation quota (/api/content/ai-generate)', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  const saved = { ...process.env };

  beforeAll(async () => {
    fake = await FakeOpenAI.start();
    process.env.AI_PROVIDERS = JSON.stringify([
      fake.provider({ name: 'GPT-4', maxRetries: 0, maxConcurrency: 8, breaker: { volumeThreshold: 1000 } }),
    ]);
    process.env.AI_QUOTA_FREE = '3';
    process.env.AI_QUOTA_PRO = '5';
    process.env.AI_QUOTA_ENTERPRISE = '0';
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
    for (const key of ['AI_PROVIDERS', 'AI_QUOTA_FREE', 'AI_QUOTA_PRO', 'AI_QUOTA_ENTERPRISE']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });
  beforeEach(() => fake.reset());

  let user: TestUser;
  beforeEach(async () => {
    user = await signUp(t);
  });
  const generate = (who: TestUser = user, body: Record<string, unknown> = {}) =>
    t
      .http()
      .post('/api/content/ai-generate')
      .set(who.auth)
      .send({ type: 'caption', prompt: 'Beach shoot', ...body });
  const quota = async (who: TestUser = user) => {
    const res = await t.http().get('/api/content/ai-generate/quota').set(who.auth);
    expect(res.status).toBe(200);
    return res.body.data;
  };
  const nextMonth = () => {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
  };

  it('generates content, counts it, and answers 402 AI_QUOTA_EXCEEDED with limit, used and reset date', async () => {
    expect(await quota()).toEqual({
      plan: 'free',
      limit: 3,
      used: 0,
      remaining: 3,
      period: new Date().toISOString().slice(0, 7),
      resetAt: nextMonth(),
    });
    fake.reply({ content: 'Golden hour 🌅' });
    const first = await generate(user, { tone: 'playful', platform: 'instagram', length: 'short' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      success: true,
      data: { type: 'caption', content: 'Golden hour 🌅', quota: { limit: 3, used: 1, remaining: 2 } },
      meta: { requestId: expect.any(String), duration: expect.any(Number), provider: 'GPT-4' },
    });
    expect(fake.requests[0].body.messages[0].content).toContain('instagram');
    expect((await generate()).body.data.quota.used).toBe(2);
    expect((await generate()).body.data.quota).toMatchObject({ used: 3, remaining: 0 });

    const refused = await generate();
    expectError(refused, 402, 'AI_QUOTA_EXCEEDED');
    expect(refused.body.details).toEqual([{ message: expect.any(String), limit: 3, used: 3, resetAt: nextMonth() }]);
    expect(fake.requests).toHaveLength(3); // the refused call never reached the model
    expect(await quota()).toMatchObject({ used: 3, remaining: 0 });
  });

  it('a failed generation does not use the quota', async () => {
    fake.reply({ status: 500 }, { status: 400 });
    expectError(await generate(), 502, 'AI_PROVIDER_ERROR');
    expectError(await generate(), 502, 'AI_PROVIDER_ERROR');
    expect(await quota()).toMatchObject({ used: 0, remaining: 3 });
    expect((await generate()).status).toBe(200);
    expect(await quota()).toMatchObject({ used: 1 });
  });

  it('bad input is a 400 and uses nothing', async () => {
    expectError(await generate(user, { type: 'novel' }), 400, 'VALIDATION_FAILED');
    expectError(await generate(user, { prompt: '' }), 400, 'VALIDATION_FAILED');
    expect(await quota()).toMatchObject({ used: 0 });
  });

  it('parallel requests never pass the quota', async () => {
    fake.setDefault({ content: 'ok', delayMs: 50 });
    const results = await Promise.all(Array.from({ length: 8 }, () => generate()));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 402, 402, 402, 402, 402]);
    expect(fake.requests).toHaveLength(3);
    expect(await quota()).toMatchObject({ used: 3, remaining: 0 });
    const [row] = await t.db.query(`SELECT used FROM ai_quota_usage WHERE workspace_id = $1`, [user.workspaceId]);
    expect(row.used).toBe(3);
  });

  it('is per workspace: another workspace keeps its own count', async () => {
    const other = await signUp(t);
    for (let i = 0; i < 3; i++) expect((await generate()).status).toBe(200);
    expectError(await generate(), 402, 'AI_QUOTA_EXCEEDED');
    expect(await quota(other)).toMatchObject({ used: 0, remaining: 3 });
    expect((await generate(other)).status).toBe(200);
    expect(await quota(other)).toMatchObject({ used: 1 });
    expect(await quota()).toMatchObject({ used: 3 });
  });

  it('the limit follows the workspace’s plan; a quota of 0 refuses at once', async () => {
    await t.db.query(`UPDATE workspaces SET plan = 'pro' WHERE id = $1`, [user.workspaceId]);
    expect(await quota()).toMatchObject({ plan: 'pro', limit: 5, remaining: 5 });
    await t.db.query(`UPDATE workspaces SET plan = 'enterprise' WHERE id = $1`, [user.workspaceId]);
    const refused = await generate();
    expectError(refused, 402, 'AI_QUOTA_EXCEEDED');
    expect(refused.body.details[0]).toMatchObject({ limit: 0, used: 0 });
  });

  it('counts by calendar month: last month’s usage does not count', async () => {
    await t.db.query(
      `INSERT INTO ai_quota_usage (workspace_id, period, used) VALUES ($1, date_trunc('month', now() - interval '1 month'), 3)`,
      [user.workspaceId],
    );
    expect(await quota()).toMatchObject({ used: 0 });
    expect((await generate()).status).toBe(200);
  });
});
