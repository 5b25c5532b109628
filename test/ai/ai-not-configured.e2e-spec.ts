import { AiErrorCode, AiService } from '@crescendo/ai';
import { AppException } from '@crescendo/platform';
import { createTestApp, metricsAuth, signUp, TestApp, TestUser } from '../helpers/test-app';

/** No AI_PROVIDERS: the app boots and serves; AI calls answer a clear 503 naming the setting. */
describe('AI with no provider configured', () => {
  let t: TestApp;
  let owner: TestUser;
  const previous = process.env.AI_PROVIDERS;
  beforeAll(async () => {
    delete process.env.AI_PROVIDERS;
    t = await createTestApp();
    owner = await signUp(t);
  });
  afterAll(async () => {
    await t.close();
    process.env.AI_PROVIDERS = previous;
  });

  it.each(['chat', 'chatStream'] as const)(
    '%s answers 503 AI_PROVIDER_NOT_CONFIGURED naming AI_PROVIDERS',
    async (method) => {
      const ai = t.app.get(AiService);
      const error = await ai[method]({
        workspaceId: owner.workspaceId,
        messages: [{ role: 'user', content: 'hi' }],
        feature: 'test',
      }).then(
        () => null,
        (e: AppException) => e,
      );
      expect(error).toMatchObject({ status: 503, code: AiErrorCode.ProviderNotConfigured });
      expect(error!.message).toContain('AI_PROVIDERS');
    },
  );

  it('lists no provider, and health says healthy with ai not configured', async () => {
    const providers = await t.http().get('/api/ai/providers').set(owner.auth);
    expect(providers.status).toBe(200);
    expect(providers.body).toEqual({ data: [] });
    const health = await t.http().get('/api/health').set(metricsAuth());
    expect(health.body).toMatchObject({ status: 'healthy', ai: { configured: false, providers: [] } });
  });
});
