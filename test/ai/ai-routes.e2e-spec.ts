import { AiService } from '@crescendo/ai';
import type { FakeOpenAI } from '../helpers/fake-openai';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { addMember, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';

describe('AI routes', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let bed: AiTestBed;
  let ai: AiService;
  let owner: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (fake) => [
        fake.provider({
          name: 'GPT-4',
          models: ['gpt-4o', 'gpt-4o-mini'],
          pricing: { 'gpt-4o': { inputPer1k: 0.01, outputPer1k: 0.03 } },
        }),
        { ...fake.provider({ name: 'local', models: ['llama3.1'], pricing: {} }), apiKey: 'local-secret-key' },
      ],
    });
    ({ t, fake } = bed);
    ai = t.app.get(AiService);
    owner = await signUp(t);
    stranger = await signUp(t);
  });
  afterAll(() => bed?.close());

  describe('GET /api/ai/providers', () => {
    it('lists the providers with models, default model and breaker state, never a key', async () => {
      const viewer = await addMember(t, owner, 'viewer');
      const res = await t.http().get('/api/ai/providers').set(viewer.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: [
          {
            name: 'GPT-4',
            kind: 'openai-compatible',
            models: ['gpt-4o', 'gpt-4o-mini'],
            defaultModel: 'gpt-4o',
            state: 'closed',
          },
          { name: 'local', kind: 'openai-compatible', models: ['llama3.1'], defaultModel: 'llama3.1', state: 'closed' },
        ],
      });
      expect(res.text).not.toContain('sk-fake');
      expect(res.text).not.toContain('local-secret-key');
      expect(res.text).not.toContain(String(fake.port));
    });

    it('answers 401 without credentials', async () => {
      expectError(await t.http().get('/api/ai/providers').set('X-Forwarded-For', randomIp()), 401);
    });
  });

  describe('GET /api/ai/usage', () => {
    const chat = (user: TestUser, provider: string, feature: string, tokens: [number, number]) => {
      fake.reply({ usage: { prompt_tokens: tokens[0], completion_tokens: tokens[1] } });
      return ai.chat({
        workspaceId: user.workspaceId,
        userId: user.id,
        provider,
        messages: [{ role: 'user', content: `${feature} ${Math.random()}` }],
        feature,
      });
    };

    beforeAll(async () => {
      await chat(owner, 'GPT-4', 'chat', [1000, 500]); // 0.01 + 0.015 = 0.025
      await chat(owner, 'GPT-4', 'agents', [2000, 1000]); // 0.02 + 0.03 = 0.05
      await chat(owner, 'local', 'chat', [100, 100]); // unpriced: 0
      fake.reply({ status: 400 });
      await ai
        .chat({
          workspaceId: owner.workspaceId,
          provider: 'local',
          messages: [{ role: 'user', content: 'x' }],
          feature: 'chat',
        })
        .catch(() => undefined);
      await chat(stranger, 'GPT-4', 'chat', [5000, 5000]);
    });

    it('totals the workspace’s calls by provider, model and feature, with the rows newest first', async () => {
      const res = await t.http().get('/api/ai/usage').set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body.totals).toEqual({
        requests: 4,
        errors: 1,
        cached: 0,
        inputTokens: 3100,
        outputTokens: 1600,
        costUsd: 0.075,
      });
      const line = (requests: number, errors: number, inputTokens: number, outputTokens: number, costUsd: number) => ({
        requests,
        errors,
        cached: 0,
        inputTokens,
        outputTokens,
        costUsd,
      });
      expect(res.body.byProvider).toEqual([
        { name: 'GPT-4', ...line(2, 0, 3000, 1500, 0.075) },
        { name: 'local', ...line(2, 1, 100, 100, 0) },
      ]);
      expect(res.body.byModel).toEqual([
        { name: 'gpt-4o', provider: 'GPT-4', ...line(2, 0, 3000, 1500, 0.075) },
        { name: 'llama3.1', provider: 'local', ...line(2, 1, 100, 100, 0) },
      ]);
      expect(res.body.byFeature).toEqual([
        { name: 'agents', ...line(1, 0, 2000, 1000, 0.05) },
        { name: 'chat', ...line(3, 1, 1100, 600, 0.025) },
      ]);
      expect(res.body.pagination).toEqual({
        page: 1,
        limit: 20,
        total: 4,
        pages: 1,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      });
      expect(res.body.data[0]).toEqual({
        id: expect.any(String),
        userId: null,
        provider: 'local',
        model: 'llama3.1',
        feature: 'chat',
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        latencyMs: expect.any(Number),
        status: 'error',
        errorCode: 'AI_PROVIDER_ERROR',
        dataCategories: [],
        createdAt: expect.any(String),
      });
      expect(res.body.data.map((r: { feature: string }) => r.feature)).toEqual(['chat', 'chat', 'agents', 'chat']);
    });

    it('pages the rows and filters by provider, feature and period', async () => {
      const page = await t.http().get('/api/ai/usage?page=2&limit=3').set(owner.auth);
      expect(page.body.data).toHaveLength(1);
      expect(page.body.pagination).toEqual({
        page: 2,
        limit: 3,
        total: 4,
        pages: 2,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: expect.any(String),
      });
      expect(page.body.totals.requests).toBe(4);

      const agents = await t.http().get('/api/ai/usage?feature=agents&provider=GPT-4').set(owner.auth);
      expect(agents.body.totals).toMatchObject({ requests: 1, costUsd: 0.05 });

      const future = new Date(Date.now() + 3600_000).toISOString();
      const later = new Date(Date.now() + 7200_000).toISOString();
      const none = await t.http().get(`/api/ai/usage?from=${future}&to=${later}`).set(owner.auth);
      expect(none.status).toBe(200);
      expect(none.body).toMatchObject({ from: future, to: later, data: [], totals: { requests: 0, costUsd: 0 } });
    });

    it('shows another workspace nothing of this one', async () => {
      const res = await t.http().get('/api/ai/usage').set(stranger.auth);
      expect(res.body.totals).toMatchObject({ requests: 1, inputTokens: 5000 });
      expect(res.body.data.map((r: { userId: string }) => r.userId)).toEqual([stranger.id]);
    });

    it.each([
      ['from=yesterday', 'from'],
      ['to=2026-13-01T00:00:00Z', 'to'],
      ['limit=500', 'limit'],
      ['page=0', 'page'],
    ])('answers 400 for %s', async (query, field) => {
      const res = await t.http().get(`/api/ai/usage?${query}`).set(owner.auth);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('answers 400 when from is after to', async () => {
      const res = await t.http().get('/api/ai/usage?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z').set(owner.auth);
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it('answers 401 without credentials', async () => {
      expectError(await t.http().get('/api/ai/usage').set('X-Forwarded-For', randomIp()), 401);
    });

    it('answers 403 to an API key without analytics:read', async () => {
      const key = await t
        .http()
        .post('/api/security/api-keys')
        .set(owner.auth)
        .send({ name: 'leads only', scopes: ['leads:read'] });
      expect(key.status).toBe(201);
      const res = await t.http().get('/api/ai/usage').set({ 'X-API-Key': key.body.key, 'X-Forwarded-For': randomIp() });
      expectError(res, 403);
    });
  });
});
