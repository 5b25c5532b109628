import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueueName, QueueRegistry } from '@crescendo/platform';
import type { FakeOpenAI } from '../helpers/fake-openai';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { idea, ideasReply } from './ai-fixtures';
import { waitFor } from '../helpers/wait-for';
import { addMember, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const profile = {
  id: 'creator-42',
  niche: ['fitness'],
  contentTypes: ['photo', 'video'],
  audiencePreferences: ['behind the scenes'],
  performanceHistory: {
    topPerformingContent: [{ title: 'gym' }],
    engagementPatterns: {},
    revenueByCategory: { gym: 10 },
  },
  currentGoals: ['grow'],
  constraints: { equipment: ['phone'], location: ['home'], timeAvailability: '5h/week' },
};

/** AI tools against the fake OpenAI server, through the real app. */
describe('AI tools (content ideas, assistant, message generator, pricing optimizer)', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let bed: AiTestBed;

  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (fake) => [fake.provider({ name: 'GPT-4', breaker: { volumeThreshold: 1000 } })],
    });
    ({ t, fake } = bed);
  });
  afterAll(() => bed?.close());
  beforeEach(() => fake.reset());

  // A fresh user per test: the AI rate limit is 10 a minute per caller.
  let user: TestUser;
  beforeEach(async () => {
    user = await signUp(t);
  });
  const post = (path: string, body: object, who: TestUser = user) =>
    t
      .http()
      .post(path)
      .set(who.auth)
      .set('X-Request-Id', `req-${Math.random().toString(36).slice(2)}`)
      .send(body);

  const expectMeta = (res: { body: any; request?: any }, requestId?: string) => {
    expect(res.body.meta).toEqual({
      requestId: requestId ?? expect.any(String),
      timestamp: expect.any(String),
      duration: expect.any(Number),
      provider: 'GPT-4',
      model: 'fake-model',
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
      costUsd: expect.any(Number),
    });
    expect(res.body.meta.duration).toBeGreaterThanOrEqual(0);
  };

  describe('POST /api/content-ideas/generate', () => {
    it('answers the seed’s envelope with validated ideas, default count 5, and asks for structured JSON', async () => {
      fake.reply(ideasReply(5));
      const res = await post('/api/content-ideas/generate', { creatorProfile: profile }).set(
        'X-Request-Id',
        'req-ideas-1',
      );
      expect(res.status).toBe(200);
      expect(res.body.success).toBe(true);
      expect(res.body.data.ideas).toHaveLength(5);
      expect(res.body.data.ideas[0]).toEqual({
        ...idea(1),
        id: expect.stringMatching(UUID),
        generatedAt: expect.any(String),
      });
      expect(res.body.data.metadata).toEqual({
        generatedAt: expect.any(String),
        count: 5,
        profile: 'creator-42',
        options: {
          count: 5,
          creativity: 'balanced',
          includeHashtags: true,
          includeCaptions: true,
          targetPlatforms: ['onlyfans'],
        },
      });
      expectMeta(res, 'req-ideas-1');
      const sent = fake.requests[0].body;
      expect(sent.temperature).toBe(0.7);
      expect(sent.response_format.type).toBe('json_schema');
      const ideaSchema = sent.response_format.json_schema.schema.properties.ideas;
      expect(ideaSchema).toMatchObject({ minItems: 5, maxItems: 5 });
      expect(ideaSchema.items.properties.contentType.enum).toEqual(['photo', 'video']);
      expect(sent.messages[1].content).toContain('fitness');
    });

    it('applies the options: count, creativity, platforms; drops captions and hashtags when not asked', async () => {
      fake.reply(ideasReply(2, { platform: 'tiktok' }));
      const res = await post('/api/content-ideas/generate', {
        creatorProfile: profile,
        options: {
          count: 2,
          creativity: 'creative',
          includeCaptions: false,
          includeHashtags: false,
          targetPlatforms: ['tiktok', 'instagram'],
        },
      });
      expect(res.status).toBe(200);
      expect(res.body.data.ideas).toHaveLength(2);
      expect(res.body.data.ideas[0]).not.toHaveProperty('caption');
      expect(res.body.data.ideas[0]).not.toHaveProperty('hashtags');
      expect(res.body.data.ideas[0].platform).toBe('tiktok');
      const sent = fake.requests[0].body;
      expect(sent.temperature).toBe(1);
      expect(sent.response_format.json_schema.schema.properties.ideas.items.properties.platform.enum).toEqual([
        'tiktok',
        'instagram',
      ]);
    });

    it.each([0, 21, 2.5])('count %p → 400 without calling the model', async (count) => {
      const res = await post('/api/content-ideas/generate', { creatorProfile: profile, options: { count } });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain('options.count');
      expect(fake.requests).toHaveLength(0);
    });

    it('refuses a bad profile (no niche, unknown content type, unknown field) with 400', async () => {
      for (const creatorProfile of [
        { ...profile, niche: [] },
        { ...profile, contentTypes: ['podcast'] },
        { ...profile, extra: 1 },
      ]) {
        expectError(await post('/api/content-ideas/generate', { creatorProfile }), 400, 'VALIDATION_FAILED');
      }
      expectError(await post('/api/content-ideas/generate', {}), 400, 'VALIDATION_FAILED');
      expect(fake.requests).toHaveLength(0);
    });

    it('asks once more after an invalid answer, and succeeds with the second', async () => {
      fake.reply({ content: 'not json' }, ideasReply(1));
      const res = await post('/api/content-ideas/generate', { creatorProfile: profile, options: { count: 1 } });
      expect(res.status).toBe(200);
      expect(fake.requests).toHaveLength(2);
      expect(fake.requests[1].body.messages.at(-1).content).toContain('invalid');
    });

    it('502 AI_INVALID_OUTPUT when the answer is invalid twice (not JSON, then wrong count)', async () => {
      fake.reply({ content: '{"ideas": [' }, ideasReply(3));
      const res = await post('/api/content-ideas/generate', { creatorProfile: profile, options: { count: 2 } });
      expectError(res, 502, 'AI_INVALID_OUTPUT');
      expect(fake.requests).toHaveLength(2);
    });

    it('502 AI_INVALID_OUTPUT when an idea breaks the schema twice (platform not asked for)', async () => {
      fake.reply(ideasReply(1, { platform: 'tiktok' }), ideasReply(1, { difficulty: 'extreme' }));
      const res = await post('/api/content-ideas/generate', { creatorProfile: profile, options: { count: 1 } });
      expectError(res, 502, 'AI_INVALID_OUTPUT');
    });

    it('POST /api/ai-assistant/tools/content-ideas serves the same envelope', async () => {
      fake.reply(ideasReply(3));
      const res = await post('/api/ai-assistant/tools/content-ideas', {
        creatorProfile: profile,
        options: { count: 3 },
      });
      expect(res.status).toBe(200);
      expect(res.body.data.ideas).toHaveLength(3);
      expect(res.body.data.metadata.count).toBe(3);
      expectMeta(res);
      const usage = await t.db.query(`SELECT feature FROM ai_usage WHERE workspace_id = $1`, [user.workspaceId]);
      expect(usage).toEqual([{ feature: 'assistant:content-ideas' }]);
    });

    it('401 without credentials; 403 for a viewer', async () => {
      expectError(await t.http().post('/api/content-ideas/generate').send({ creatorProfile: profile }), 401);
      expectError(await t.http().post('/api/ai-assistant/tools/pricing-optimizer').send({}), 401);
      expectError(await t.http().get('/api/content/ai-generate/quota'), 401);
      const viewer = await addMember(t, user, 'viewer');
      const denied = await post('/api/content-ideas/generate', { creatorProfile: profile }, viewer);
      expectError(denied, 403, 'MISSING_PERMISSION');
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('POST /api/ai-assistant/generate', () => {
    it('answers JSON with the content and meta', async () => {
      fake.reply({ content: 'Friday, 9 pm', usage: { prompt_tokens: 10, completion_tokens: 3 } });
      const res = await post('/api/ai-assistant/generate', { prompt: 'Teaser please', systemPrompt: 'Be brief' }).set(
        'X-Request-Id',
        'req-gen-1',
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: true, data: { content: 'Friday, 9 pm' } });
      expectMeta(res, 'req-gen-1');
      expect(res.body.meta.usage).toEqual({ inputTokens: 10, outputTokens: 3 });
      expect(fake.requests[0].body.messages).toEqual([
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'Teaser please' },
      ]);
      expect(fake.requests[0].body.stream).toBeFalsy();
    });

    it('stream: true answers text/event-stream: deltas in order, then done with usage', async () => {
      fake.reply({ chunks: ['Hello ', 'there ', 'fan'], usage: { prompt_tokens: 4, completion_tokens: 3 } });
      const res = await post('/api/ai-assistant/generate', { prompt: 'hi', stream: true })
        .set('X-Request-Id', 'req-stream-1')
        .buffer(true)
        .parse((r, cb) => {
          let text = '';
          r.on('data', (c: Buffer) => (text += c.toString()));
          r.on('end', () => cb(null, text));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      const events = (res.body as string)
        .trim()
        .split('\n\n')
        .map((block) => {
          const [event, data] = block.split('\n');
          return { event: event.replace('event: ', ''), data: JSON.parse(data.replace('data: ', '')) };
        });
      expect(events.slice(0, 3)).toEqual([
        { event: 'delta', data: { content: 'Hello ' } },
        { event: 'delta', data: { content: 'there ' } },
        { event: 'delta', data: { content: 'fan' } },
      ]);
      expect(events[3]).toMatchObject({
        event: 'done',
        data: {
          content: 'Hello there fan',
          meta: { requestId: 'req-stream-1', usage: { inputTokens: 4, outputTokens: 3 }, provider: 'GPT-4' },
        },
      });
      expect(events).toHaveLength(4);
      expect(fake.requests[0].body.stream).toBe(true);
    });

    it('a client that leaves mid-stream stops the provider call (usage row AI_REQUEST_ABORTED)', async () => {
      fake.reply({ chunks: ['a ', 'b ', 'c ', 'd ', 'e '], chunkDelayMs: 300 });
      const server = t.app.getHttpServer();
      if (!server.listening) await t.app.listen(0, '127.0.0.1');
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/api/ai-assistant/generate',
            method: 'POST',
            headers: { ...user.auth, 'content-type': 'application/json' },
          },
          (res) => {
            expect(res.statusCode).toBe(200);
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          },
        );
        req.on('error', (e) => (e.message.includes('socket hang up') ? resolve() : reject(e)));
        req.end(JSON.stringify({ prompt: 'long story', stream: true }));
      });
      await waitFor('the upstream call to be closed', async () => fake.requests[0]?.closedEarly || undefined);
      const row = await waitFor('the usage row', async () => {
        const [r] = await t.db.query(
          `SELECT status, error_code FROM ai_usage WHERE workspace_id = $1 AND feature = 'assistant:generate'`,
          [user.workspaceId],
        );
        return r?.status === 'error' ? r : undefined;
      });
      expect(row).toEqual({ status: 'error', error_code: 'AI_REQUEST_ABORTED' });
    });

    it('a provider failure before the stream starts is a JSON error', async () => {
      fake.reply({ status: 400, message: 'bad' });
      const res = await post('/api/ai-assistant/generate', { prompt: 'hi', stream: true });
      expectError(res, 502, 'AI_PROVIDER_ERROR');
    });

    it('400 for an empty prompt, a bad temperature or an unknown provider', async () => {
      expectError(await post('/api/ai-assistant/generate', { prompt: '' }), 400, 'VALIDATION_FAILED');
      expectError(await post('/api/ai-assistant/generate', { prompt: 'x', temperature: 3 }), 400, 'VALIDATION_FAILED');
      expectError(
        await post('/api/ai-assistant/generate', { prompt: 'x', provider: 'Nope' }),
        400,
        'AI_PROVIDER_UNKNOWN',
      );
    });

    it('429 RATE_LIMITED after 10 AI calls in a minute (shared across the AI routes)', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const path = i % 2 ? '/api/ai-assistant/generate' : '/api/content/ai-generate';
        const body = i % 2 ? { prompt: `p${i}` } : { type: 'caption', prompt: `p${i}` };
        statuses.push((await post(path, body)).status);
      }
      expect(statuses).toEqual(Array(5).fill([202, 200]).flat()); // content/ai-generate queues a job
      const res = await post('/api/ai-assistant/generate', { prompt: 'one too many' });
      expectError(res, 429, 'RATE_LIMITED');
      expect(res.body.retryAfter).toBeGreaterThan(0);
      expect(res.headers['x-ratelimit-limit']).toBe('10');
      expect(fake.requests).toHaveLength(5);
      // No worker here: drop the queued jobs so that no later spec's worker runs them.
      await t.app.get(QueueRegistry).get(QueueName.Ai).obliterate({ force: true });
    });
  });

  describe('POST /api/ai-assistant/tools/message-generator', () => {
    it('fills the template’s variables from the recipient and `variables`, then personalises it', async () => {
      fake.reply({ content: JSON.stringify({ message: 'Jane, six months! Here is 30% off 💕' }) });
      const res = await post('/api/ai-assistant/tools/message-generator', {
        template: 'Hi {{firstName}} (@{{ handle }}), {{months}} months together! {{offer}}',
        recipient: { name: 'Jane Doe', handle: 'jane_doe', tier: 'VIP', interests: ['cosplay'] },
        context: { purpose: 'renewal', tone: 'flirty', maxLength: 300 },
        variables: { months: '6', offer: '30% off' },
      });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({
        message: 'Jane, six months! Here is 30% off 💕',
        filledTemplate: 'Hi Jane (@jane_doe), 6 months together! 30% off',
        variables: { firstName: 'Jane', handle: 'jane_doe', months: '6', offer: '30% off' },
        purpose: 'renewal',
        tone: 'flirty',
      });
      expectMeta(res);
      const sent = fake.requests[0].body;
      expect(sent.messages[1].content).toContain('Hi Jane (@jane_doe), 6 months together! 30% off');
      expect(sent.messages[1].content).toContain('cosplay');
      expect(sent.messages[0].content).toContain('flirty');
      expect(sent.response_format.json_schema.schema.properties.message.maxLength).toBe(300);
    });

    it('400 MESSAGE_TEMPLATE_VARIABLE_MISSING for a placeholder without a value; 400 for a bad variable', async () => {
      const missing = await post('/api/ai-assistant/tools/message-generator', {
        template: 'Hi {{name}}, your code is {{code}}',
        recipient: { name: 'Jane' },
      });
      expectError(missing, 400, 'MESSAGE_TEMPLATE_VARIABLE_MISSING');
      expect(missing.body.message).toContain('{{code}}');
      const bad = await post('/api/ai-assistant/tools/message-generator', {
        template: 'Hi',
        recipient: { name: 'Jane' },
        variables: { 'bad key': 'x' },
      });
      expectError(bad, 400, 'VALIDATION_FAILED');
      expectError(
        await post('/api/ai-assistant/tools/message-generator', { template: 'Hi', recipient: {} }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await post('/api/ai-assistant/tools/message-generator', { template: 'Hi' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(fake.requests).toHaveLength(0);
    });

    it('502 AI_INVALID_OUTPUT when the message is longer than asked, twice', async () => {
      const long = JSON.stringify({ message: 'x'.repeat(50) });
      fake.reply({ content: long }, { content: long });
      const res = await post('/api/ai-assistant/tools/message-generator', {
        template: 'Hi {{name}}',
        recipient: { name: 'Jane' },
        context: { maxLength: 20 },
      });
      expectError(res, 502, 'AI_INVALID_OUTPUT');
    });
  });

  describe('POST /api/ai-assistant/tools/pricing-optimizer', () => {
    const recommendation = {
      recommendedPrice: 1299,
      pricePoints: [{ label: 'Standard', price: 1299, audience: 'Most fans', rationale: 'Close to the mean' }],
      reasoning: 'Tips are high relative to the subscription price, so fans would pay more.',
      expectedImpact: '+15% revenue',
      confidence: 'medium',
    };

    it('computes the figures from the workspace’s subscribers and earnings and returns them with the reasoning', async () => {
      const subscriber = async (handle: string, monthlyPrice: number, status = 'active', currency = 'USD') => {
        const res = await t
          .http()
          .post('/api/onlyfans/subscribers')
          .set(user.auth)
          .send({ platform: 'onlyfans', handle, monthlyPrice, status, currency });
        expect(res.status).toBe(201);
        return res.body.data.id as string;
      };
      const earning = async (body: Record<string, unknown>) => {
        const res = await t.http().post('/api/onlyfans/earnings').set(user.auth).send(body);
        expect(res.status).toBe(201);
      };
      const a = await subscriber('a', 999);
      const b = await subscriber('b', 999);
      await subscriber('c', 1999);
      await subscriber('d', 500, 'cancelled');
      await subscriber('e', 700, 'active', 'EUR'); // another currency: not in the USD figures
      await earning({ subscriberId: a, type: 'subscription', amount: 999 });
      await earning({ subscriberId: a, type: 'tip', amount: 2000 });
      await earning({ subscriberId: b, type: 'subscription', amount: 999 });
      await earning({ subscriberId: b, type: 'refund', amount: -999 });
      await earning({ type: 'tip', amount: 5000, currency: 'USD', occurredAt: '2020-01-01T00:00:00.000Z' }); // too old

      fake.reply({ content: JSON.stringify(recommendation) });
      const res = await post('/api/ai-assistant/tools/pricing-optimizer', { goal: 'maximize_revenue' });
      expect(res.status).toBe(200);
      const figures = {
        subscribers: { total: 4, active: 3, expired: 0, cancelled: 1, paused: 0, newInPeriod: 4 },
        mrr: 999 + 999 + 1999,
        averagePrice: 1332,
        minPrice: 999,
        maxPrice: 1999,
        priceDistribution: [
          { price: 999, subscribers: 2 },
          { price: 1999, subscribers: 1 },
        ],
        periodEarnings: 999 + 2000 + 999 - 999,
        earningsByType: [
          { type: 'refund', amount: -999, count: 1 },
          { type: 'subscription', amount: 1998, count: 2 },
          { type: 'tip', amount: 2000, count: 1 },
        ],
        payingSubscribers: 2,
        revenuePerPayingSubscriber: 1500,
      };
      expect(res.body.data).toEqual({
        currency: 'USD',
        goal: 'maximize_revenue',
        periodDays: 90,
        figures,
        recommendation,
      });
      expectMeta(res);
      // The model was given those same figures.
      expect(fake.requests[0].body.messages[1].content).toContain(JSON.stringify(figures));

      fake.reply({ content: JSON.stringify(recommendation) });
      const eur = await post('/api/ai-assistant/tools/pricing-optimizer', { currency: 'eur', periodDays: 30 });
      expect(eur.status).toBe(200);
      expect(eur.body.data).toMatchObject({
        currency: 'EUR',
        periodDays: 30,
        figures: { mrr: 700, periodEarnings: 0 },
      });
    });

    it('uses only the caller’s workspace: a new workspace has empty figures', async () => {
      fake.reply({ content: JSON.stringify(recommendation) });
      const res = await post('/api/ai-assistant/tools/pricing-optimizer', {});
      expect(res.status).toBe(200);
      expect(res.body.data.figures).toMatchObject({
        subscribers: { total: 0, active: 0 },
        mrr: 0,
        averagePrice: null,
        periodEarnings: 0,
        payingSubscribers: 0,
        revenuePerPayingSubscriber: null,
      });
    });

    it('400 for a bad goal or period; 502 when the recommendation is invalid twice', async () => {
      expectError(await post('/api/ai-assistant/tools/pricing-optimizer', { goal: 'x' }), 400, 'VALIDATION_FAILED');
      expectError(await post('/api/ai-assistant/tools/pricing-optimizer', { periodDays: 1 }), 400, 'VALIDATION_FAILED');
      const bad = JSON.stringify({ ...recommendation, recommendedPrice: -5 });
      fake.reply({ content: bad }, { content: bad });
      expectError(await post('/api/ai-assistant/tools/pricing-optimizer', {}), 502, 'AI_INVALID_OUTPUT');
    });
  });
});
