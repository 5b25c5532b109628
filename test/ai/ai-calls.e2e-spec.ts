import { IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { AiChatRequest, AiErrorCode, AiService, AiStreamEvent } from '@crescendo/ai';
import type Redis from 'ioredis';
import { AppException, REDIS } from '@crescendo/platform';
import type { FakeOpenAI } from '../helpers/fake-openai';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { signUp, TestApp, TestUser } from '../helpers/test-app';

/** AiService against the fake OpenAI server, through the real app (Postgres ledger, Redis cache). */
describe('AiService', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let bed: AiTestBed;
  let ai: AiService;
  let owner: TestUser;
  // The breaker is kept out of these tests' way (it has its own spec).
  const calm = { volumeThreshold: 1000 };

  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (fake) => [
        fake.provider({ name: 'GPT-4', breaker: calm }),
        fake.provider({ name: 'NoRetry', maxRetries: 0, breaker: calm }),
        fake.provider({ name: 'Slow', timeoutMs: 300, maxRetries: 1, breaker: calm }),
        fake.provider({ name: 'Narrow', maxConcurrency: 2, breaker: calm }),
      ],
    });
    ({ t, fake } = bed);
    ai = t.app.get(AiService);
    owner = await signUp(t);
  });
  afterAll(() => bed?.close());
  beforeEach(() => fake.reset());

  const ask = (overrides: Partial<AiChatRequest> = {}): AiChatRequest => ({
    workspaceId: owner.workspaceId,
    userId: owner.id,
    provider: 'GPT-4',
    messages: [{ role: 'user', content: `hello ${Math.random()}` }],
    feature: 'test',
    ...overrides,
  });
  const failure = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error as AppException;
    }
    throw new Error('expected a failure');
  };
  const usageRows = (feature: string) =>
    t.db.query(
      `SELECT provider, model, input_tokens, output_tokens, cost_usd, status, error_code, user_id
         FROM ai_usage WHERE workspace_id = $1 AND feature = $2 ORDER BY created_at`,
      [owner.workspaceId, feature],
    );
  const drain = async (stream: AsyncIterable<AiStreamEvent>) => {
    const events: AiStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    return events;
  };

  describe('chat', () => {
    it('answers with content, tokens, cost (tokens × price) and latency, and writes an ok usage row', async () => {
      fake.reply({ content: 'Bonjour', usage: { prompt_tokens: 1200, completion_tokens: 300 } });
      const result = await ai.chat(
        ask({
          feature: 'cost',
          messages: [
            { role: 'system', content: 'Be brief' },
            { role: 'user', content: 'Hi' },
          ],
        }),
      );
      expect(result).toEqual({
        content: 'Bonjour',
        provider: 'GPT-4',
        model: 'fake-model',
        usage: { inputTokens: 1200, outputTokens: 300 },
        costUsd: 0.0018, // 1.2 × 0.001 + 0.3 × 0.002
        latencyMs: expect.any(Number),
        cached: false,
      });
      expect(fake.requests[0].body).toMatchObject({
        model: 'fake-model',
        messages: [
          { role: 'system', content: 'Be brief' },
          { role: 'user', content: 'Hi' },
        ],
      });
      expect(fake.requests[0].headers.authorization).toBe('Bearer sk-fake');
      expect(await usageRows('cost')).toEqual([
        {
          provider: 'GPT-4',
          model: 'fake-model',
          input_tokens: 1200,
          output_tokens: 300,
          cost_usd: '0.001800',
          status: 'ok',
          error_code: null,
          user_id: owner.id,
        },
      ]);
    });

    it('passes the model, temperature, max tokens and response format; an unpriced model costs 0', async () => {
      const result = await ai.chat(
        ask({ model: 'fake-model-mini', temperature: 0.7, maxTokens: 50, responseFormat: { type: 'json_object' } }),
      );
      expect(fake.requests[0].body).toMatchObject({
        model: 'fake-model-mini',
        temperature: 0.7,
        max_tokens: 50,
        response_format: { type: 'json_object' },
      });
      expect(result.model).toBe('fake-model-mini');
      expect(result.costUsd).toBe(0);
    });

    it('finds the provider by name whatever its case, and defaults to the first provider', async () => {
      expect((await ai.chat(ask({ provider: 'gpt-4' }))).provider).toBe('GPT-4');
      expect((await ai.chat(ask({ provider: undefined }))).provider).toBe('GPT-4');
    });

    it('retries a 429 (honouring Retry-After) and a 500, then succeeds', async () => {
      fake.reply({ status: 429, retryAfter: 1 }, { status: 500 }, { content: 'third time lucky' });
      const started = Date.now();
      const result = await ai.chat(ask({ feature: 'retry' }));
      expect(result.content).toBe('third time lucky');
      expect(fake.requests).toHaveLength(3);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950); // waited the Retry-After second
      expect((await usageRows('retry')).map((r: { status: string }) => r.status)).toEqual(['ok']);
    });

    it('gives up after maxRetries with 502 AI_PROVIDER_ERROR and an error usage row', async () => {
      fake.setDefault({ status: 503 });
      const error = await failure(ai.chat(ask({ feature: 'exhausted' })));
      expect(error).toMatchObject({ status: 502, code: AiErrorCode.ProviderError });
      expect(fake.requests).toHaveLength(3); // 1 + maxRetries 2
      expect(await usageRows('exhausted')).toEqual([
        expect.objectContaining({ status: 'error', error_code: 'AI_PROVIDER_ERROR', cost_usd: '0.000000' }),
      ]);
    });

    it('does not retry a 400: one request, 502 AI_PROVIDER_ERROR', async () => {
      fake.reply({ status: 400, message: 'context too long' }, { content: 'never asked' });
      const error = await failure(ai.chat(ask()));
      expect(error).toMatchObject({ status: 502, code: AiErrorCode.ProviderError });
      expect(error.message).toContain('context too long');
      expect(fake.requests).toHaveLength(1);
      expect(fake.pending).toBe(1);
    });

    it('times out with 504 AI_PROVIDER_TIMEOUT after its retry, and records it', async () => {
      fake.setDefault({ delayMs: 2000 });
      const error = await failure(ai.chat(ask({ provider: 'Slow', feature: 'timeout' })));
      expect(error).toMatchObject({ status: 504, code: AiErrorCode.ProviderTimeout });
      expect(fake.requests).toHaveLength(2); // 1 + maxRetries 1
      await waitFor(() => fake.requests.every((r) => r.closedEarly));
      expect(await usageRows('timeout')).toEqual([
        expect.objectContaining({ status: 'error', error_code: 'AI_PROVIDER_TIMEOUT' }),
      ]);
    });

    it('answers 400 AI_PROVIDER_UNKNOWN listing the known names, and 400 AI_MODEL_UNKNOWN', async () => {
      const unknown = await failure(ai.chat(ask({ provider: 'Claude' })));
      expect(unknown).toMatchObject({ status: 400, code: AiErrorCode.ProviderUnknown });
      expect(unknown.message).toContain('GPT-4, NoRetry, Slow, Narrow');
      const model = await failure(ai.chat(ask({ model: 'gpt-5' })));
      expect(model).toMatchObject({ status: 400, code: AiErrorCode.ModelUnknown });
      expect(fake.requests).toHaveLength(0);
    });

    it('holds at most maxConcurrency calls at once per provider; the rest queue', async () => {
      fake.setDefault({ delayMs: 300 });
      const results = await Promise.all(Array.from({ length: 5 }, () => ai.chat(ask({ provider: 'Narrow' }))));
      expect(results).toHaveLength(5);
      expect(fake.requests).toHaveLength(5);
      expect(fake.maxInFlight).toBe(2);
    });

    it('aborts the provider call when the signal fires: 499 AI_REQUEST_ABORTED, an aborted usage row', async () => {
      fake.setDefault({ delayMs: 5000 });
      const controller = new AbortController();
      const pending = ai.chat(ask({ signal: controller.signal, feature: 'abort-chat' }));
      await fake.waitForRequests(1);
      controller.abort();
      const error = await failure(pending);
      expect(error).toMatchObject({ code: AiErrorCode.Aborted });
      expect(fake.requests).toHaveLength(1); // not retried
      await waitFor(() => fake.requests[0].closedEarly);
      expect(await usageRows('abort-chat')).toEqual([
        expect.objectContaining({ status: 'error', error_code: 'AI_REQUEST_ABORTED' }),
      ]);
    });
  });

  describe('prompt cache', () => {
    it('answers a repeated temperature-0 request from Redis: one upstream request, a cached row at cost 0', async () => {
      const request = ask({ temperature: 0, feature: 'cache' });
      fake.reply({ content: 'deterministic', usage: { prompt_tokens: 1000, completion_tokens: 1000 } });
      const first = await ai.chat(request);
      const second = await ai.chat(request);
      expect(fake.requests).toHaveLength(1);
      expect(first).toMatchObject({ content: 'deterministic', cached: false, costUsd: 0.003 });
      expect(second).toMatchObject({
        content: 'deterministic',
        cached: true,
        costUsd: 0,
        usage: { inputTokens: 1000, outputTokens: 1000 },
      });
      const rows = await usageRows('cache');
      expect(rows.map((r: { status: string; cost_usd: string }) => [r.status, r.cost_usd])).toEqual([
        ['ok', '0.003000'],
        ['cached', '0.000000'],
      ]);
      // The client's keyPrefix is not applied to KEYS patterns.
      const keys = await t.app.get<Redis>(REDIS).keys(`${process.env.REDIS_PREFIX}:ai-cache:*`);
      expect(keys.length).toBeGreaterThan(0);
    });

    it('does not cache a non-zero temperature, unless cache: true; cache: false never caches', async () => {
      const warm = ask({ temperature: 0.8 });
      await ai.chat(warm);
      await ai.chat(warm);
      expect(fake.requests).toHaveLength(2);
      const forced = ask({ temperature: 0.8, cache: true });
      await ai.chat(forced);
      expect((await ai.chat(forced)).cached).toBe(true);
      expect(fake.requests).toHaveLength(3);
      const never = ask({ temperature: 0, cache: false });
      await ai.chat(never);
      await ai.chat(never);
      expect(fake.requests).toHaveLength(5);
    });

    it('keys on the provider, model and parameters: another model is another entry', async () => {
      const request = ask({ temperature: 0 });
      await ai.chat(request);
      await ai.chat({ ...request, model: 'fake-model-mini' });
      await ai.chat({ ...request, maxTokens: 10 });
      expect(fake.requests).toHaveLength(3);
    });
  });

  describe('chatStream', () => {
    it('yields the deltas in order, then done with usage and cost, and writes an ok row', async () => {
      fake.reply({ chunks: ['Hel', 'lo', ' wor', 'ld'], usage: { prompt_tokens: 10, completion_tokens: 4 } });
      const events = await drain(await ai.chatStream(ask({ feature: 'stream' })));
      expect(events).toEqual([
        { type: 'delta', content: 'Hel' },
        { type: 'delta', content: 'lo' },
        { type: 'delta', content: ' wor' },
        { type: 'delta', content: 'ld' },
        {
          type: 'done',
          content: 'Hello world',
          provider: 'GPT-4',
          model: 'fake-model',
          usage: { inputTokens: 10, outputTokens: 4 },
          costUsd: 0.000018,
          latencyMs: expect.any(Number),
          cached: false,
        },
      ]);
      expect(fake.requests[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
      expect(await usageRows('stream')).toEqual([
        expect.objectContaining({ status: 'ok', input_tokens: 10, output_tokens: 4, cost_usd: '0.000018' }),
      ]);
    });

    it('throws before streaming when the provider refuses (retries first)', async () => {
      fake.reply({ status: 500 }, { chunks: ['ok'] });
      const events = await drain(await ai.chatStream(ask({ provider: 'GPT-4' })));
      expect(events[0]).toEqual({ type: 'delta', content: 'ok' });
      fake.setDefault({ status: 500 });
      const error = await failure(ai.chatStream(ask({ provider: 'NoRetry' })));
      expect(error).toMatchObject({ status: 502, code: AiErrorCode.ProviderError });
    });

    it('stops the slow upstream stream when the signal aborts, and records the aborted call', async () => {
      fake.reply({ chunks: ['one ', 'two ', 'three ', 'four ', 'five '], chunkDelayMs: 300 });
      const controller = new AbortController();
      const stream = await ai.chatStream(ask({ signal: controller.signal, feature: 'abort-stream' }));
      const seen: string[] = [];
      const error = await failure(
        (async () => {
          for await (const event of stream) {
            if (event.type === 'delta') seen.push(event.content);
            if (seen.length === 1) controller.abort();
          }
        })(),
      );
      expect(error).toMatchObject({ code: AiErrorCode.Aborted });
      expect(seen.length).toBeLessThan(5);
      await waitFor(() => fake.requests[0].closedEarly);
      expect(await usageRows('abort-stream')).toEqual([
        expect.objectContaining({ status: 'error', error_code: 'AI_REQUEST_ABORTED' }),
      ]);
    });

    it('a consumer that stops iterating early cancels the upstream stream and frees its slot', async () => {
      fake.reply({ chunks: ['a ', 'b ', 'c ', 'd '], chunkDelayMs: 200 });
      const stream = await ai.chatStream(ask({ provider: 'Narrow', feature: 'early-exit' }));
      for await (const event of stream) {
        if (event.type === 'delta') break;
      }
      await waitFor(() => fake.requests[0].closedEarly);
      // Both slots are free again: two slow calls run side by side.
      fake.setDefault({ delayMs: 200 });
      await Promise.all([ai.chat(ask({ provider: 'Narrow' })), ai.chat(ask({ provider: 'Narrow' }))]);
      expect(fake.maxInFlight).toBeGreaterThanOrEqual(2);
      expect(await usageRows('early-exit')).toEqual([
        expect.objectContaining({ status: 'error', error_code: 'AI_REQUEST_ABORTED' }),
      ]);
    });

    it('replays a cached answer as one delta', async () => {
      const request = ask({ temperature: 0 });
      fake.reply({ content: 'from the cache' });
      await ai.chat(request);
      const events = await drain(await ai.chatStream(request));
      expect(events.map((e) => e.type)).toEqual(['delta', 'done']);
      expect(events[1]).toMatchObject({ content: 'from the cache', cached: true, costUsd: 0 });
      expect(fake.requests).toHaveLength(1);
    });
  });

  describe('structured', () => {
    const schema = {
      name: 'lead_score',
      schema: {
        type: 'object',
        properties: { score: { type: 'integer', minimum: 0, maximum: 100 }, reason: { type: 'string' } },
        required: ['score', 'reason'],
        additionalProperties: false,
      },
    };

    it('asks for json_schema output and returns the parsed, checked data', async () => {
      fake.reply({ content: '{"score": 87, "reason": "engaged"}' });
      const result = await ai.structured<{ score: number; reason: string }>(ask(), schema);
      expect(result.data).toEqual({ score: 87, reason: 'engaged' });
      expect(fake.requests[0].body.response_format).toEqual({
        type: 'json_schema',
        json_schema: { name: 'lead_score', schema: schema.schema, strict: true },
      });
    });

    it('asks again once with the problems when the answer does not fit, then succeeds', async () => {
      fake.reply({ content: '{"score": 187}' }, { content: '{"score": 87, "reason": "fixed"}' });
      const result = await ai.structured(ask(), schema);
      expect(result.data).toEqual({ score: 87, reason: 'fixed' });
      expect(fake.requests).toHaveLength(2);
      const retry = fake.requests[1].body.messages;
      expect(retry[retry.length - 2]).toEqual({ role: 'assistant', content: '{"score": 187}' });
      expect(retry[retry.length - 1].content).toMatch(/\$\.reason is required; \$\.score must be <= 100/);
    });

    it('fails with 502 AI_INVALID_OUTPUT after a second invalid answer', async () => {
      fake.reply({ content: 'not json' }, { content: '{"score": "high"}' });
      const error = await failure(ai.structured(ask(), schema));
      expect(error).toMatchObject({ status: 502, code: AiErrorCode.InvalidOutput });
      expect(error.message).toContain('$.score must be integer');
    });

    it('validates with a class-validator DTO when one is given', async () => {
      class Verdict {
        @IsIn(['hot', 'cold']) temperature: string;
        @IsString() reason: string;
        @IsInt() @Min(1) @Max(5) stars: number;
      }
      fake.reply(
        { content: '{"temperature": "warm", "reason": "x", "stars": 3}' },
        { content: '{"temperature": "hot", "reason": "x", "stars": 3}' },
      );
      const result = await ai.structured(ask(), { ...schema, name: 'verdict', dto: Verdict });
      expect(result.data).toBeInstanceOf(Verdict);
      expect(result.data.temperature).toBe('hot');
      expect(fake.requests[1].body.messages.at(-1).content).toContain('temperature');
    });
  });
});

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
