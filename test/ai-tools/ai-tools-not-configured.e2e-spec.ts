import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

/** No AI_PROVIDERS: every AI tool answers 503 AI_PROVIDER_NOT_CONFIGURED, and no quota is used. */
describe('AI tools with no provider configured', () => {
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

  it.each([
    ['/api/content-ideas/generate', { creatorProfile: { id: 'p', niche: ['fit'], contentTypes: ['photo'] } }],
    ['/api/ai-assistant/tools/content-ideas', { creatorProfile: { id: 'p', niche: ['fit'], contentTypes: ['photo'] } }],
    ['/api/ai-assistant/generate', { prompt: 'hi' }],
    ['/api/ai-assistant/generate', { prompt: 'hi', stream: true }],
    ['/api/ai-assistant/tools/message-generator', { template: 'Hi {{name}}', recipient: { name: 'Jane' } }],
    ['/api/ai-assistant/tools/pricing-optimizer', {}],
    ['/api/content/ai-generate', { type: 'caption', prompt: 'x' }],
  ])('%s → 503 AI_PROVIDER_NOT_CONFIGURED', async (path, body) => {
    const res = await t.http().post(path).set(owner.auth).send(body);
    expectError(res, 503, 'AI_PROVIDER_NOT_CONFIGURED');
    expect(res.body.message).toContain('AI_PROVIDERS');
  });

  it('the failed generations used no quota', async () => {
    const res = await t.http().get('/api/content/ai-generate/quota').set(owner.auth);
    expect(res.body.data).toMatchObject({ used: 0, limit: 20 });
  });
});
