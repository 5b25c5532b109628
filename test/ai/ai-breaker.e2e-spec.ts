import { AiErrorCode, AiService } from '@crescendo/ai';
import { AppException } from '@crescendo/platform';
import type { FakeOpenAI } from '../helpers/fake-openai';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { metricsAuth, signUp, TestApp, TestUser } from '../helpers/test-app';

/** The circuit breaker of one provider: opens after failures, fails fast, probes, closes; health follows. */
describe('AI circuit breaker', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let bed: AiTestBed;
  let ai: AiService;
  let owner: TestUser;
  const resetTimeoutMs = 600;

  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (fake) => [
        fake.provider({
          name: 'Flaky',
          maxRetries: 0,
          breaker: { errorThresholdPercentage: 50, resetTimeoutMs, volumeThreshold: 2 },
        }),
        fake.provider({ name: 'Steady', breaker: { volumeThreshold: 1000 } }),
      ],
    });
    ({ t, fake } = bed);
    ai = t.app.get(AiService);
    owner = await signUp(t);
  });
  afterAll(() => bed?.close());

  const chat = (provider: string) =>
    ai.chat({
      workspaceId: owner.workspaceId,
      userId: owner.id,
      provider,
      messages: [{ role: 'user', content: 'ping' }],
      feature: 'breaker',
    });
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (error: AppException) => `${error.status} ${error.code}`,
    );
  const states = async () => {
    const res = await t.http().get('/api/ai/providers').set(owner.auth);
    expect(res.status).toBe(200);
    return Object.fromEntries(res.body.data.map((p: { name: string; state: string }) => [p.name, p.state]));
  };

  it('opens after failures, answers 503 without calling the provider, and health says degraded', async () => {
    const healthy = await t.http().get('/api/health').set(metricsAuth());
    expect(healthy.body.status).toBe('healthy');
    expect(healthy.body.ai).toEqual({
      configured: true,
      providers: [
        { name: 'Flaky', state: 'closed' },
        { name: 'Steady', state: 'closed' },
      ],
    });

    fake.setDefault({ status: 500 });
    expect(await codeOf(chat('Flaky'))).toBe(`502 ${AiErrorCode.ProviderError}`);
    expect(await codeOf(chat('Flaky'))).toBe(`502 ${AiErrorCode.ProviderError}`);
    expect(fake.requests).toHaveLength(2);

    expect(await codeOf(chat('Flaky'))).toBe(`503 ${AiErrorCode.ProviderUnavailable}`);
    expect(fake.requests).toHaveLength(2); // failed fast
    expect(await states()).toEqual({ Flaky: 'open', Steady: 'closed' });

    const health = await t.http().get('/api/health').set(metricsAuth());
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.ai.providers).toEqual([
      { name: 'Flaky', state: 'open' },
      { name: 'Steady', state: 'closed' },
    ]);

    // Other providers are not affected.
    fake.setDefault({});
    expect(await codeOf(chat('Steady'))).toBe('ok');

    const rows = await t.db.query(
      `SELECT status, error_code FROM ai_usage WHERE workspace_id = $1 AND provider = 'Flaky' ORDER BY created_at`,
      [owner.workspaceId],
    );
    expect(rows.map((r: { error_code: string }) => r.error_code)).toEqual([
      'AI_PROVIDER_ERROR',
      'AI_PROVIDER_ERROR',
      'AI_PROVIDER_UNAVAILABLE',
    ]);
  });

  it('lets one probe through after resetTimeout (half-open), and closes when it succeeds', async () => {
    await new Promise((r) => setTimeout(r, resetTimeoutMs + 100));
    expect(await states()).toEqual({ Flaky: 'half-open', Steady: 'closed' });
    fake.reset();
    expect(await codeOf(chat('Flaky'))).toBe('ok');
    expect(fake.requests).toHaveLength(1);
    expect(await states()).toEqual({ Flaky: 'closed', Steady: 'closed' });
    expect((await t.http().get('/api/health').set(metricsAuth())).body.status).toBe('healthy');
  });

  it('opens again when the half-open probe fails', async () => {
    fake.setDefault({ status: 500 });
    await codeOf(chat('Flaky'));
    await codeOf(chat('Flaky'));
    expect(await states()).toMatchObject({ Flaky: 'open' });
    await new Promise((r) => setTimeout(r, resetTimeoutMs + 100));
    expect(await codeOf(chat('Flaky'))).toBe(`502 ${AiErrorCode.ProviderError}`);
    expect(await states()).toMatchObject({ Flaky: 'open' });
    expect(await codeOf(chat('Flaky'))).toBe(`503 ${AiErrorCode.ProviderUnavailable}`);
  });

  it('does not count refused requests (4xx) against the provider', async () => {
    await new Promise((r) => setTimeout(r, resetTimeoutMs + 100));
    fake.reset();
    expect(await codeOf(chat('Flaky'))).toBe('ok'); // the probe closes it
    fake.setDefault({ status: 400 });
    for (let i = 0; i < 4; i++) expect(await codeOf(chat('Flaky'))).toBe(`502 ${AiErrorCode.ProviderError}`);
    expect(await states()).toMatchObject({ Flaky: 'closed' });
  });
});
