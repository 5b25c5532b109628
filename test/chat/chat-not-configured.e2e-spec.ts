import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

/** No AI_PROVIDERS: chat routes that call AI answer 503 before storing anything; the rest works. */
describe('Chat with no AI provider configured', () => {
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

  it('answers 503 AI_PROVIDER_NOT_CONFIGURED on send, stream and session message', async () => {
    for (const path of ['/api/chat/send', '/api/chat/send/stream']) {
      const res = await t.http().post(path).set(owner.auth).send({ message: 'Bonjour' });
      expectError(res, 503, 'AI_PROVIDER_NOT_CONFIGURED');
    }
    const { sessionId } = (await t.http().post('/api/chat/create-session').set(owner.auth)).body;
    expectError(
      await t.http().post('/api/chat/message').set(owner.auth).send({ sessionId, message: 'Bonjour' }),
      503,
      'AI_PROVIDER_NOT_CONFIGURED',
    );
    const stored = await t.db.query(
      `SELECT count(*)::int AS n FROM chat_messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE c.user_id = $1 AND m.role = 'user'`,
      [owner.id],
    );
    expect(stored[0].n).toBe(0);
    expect((await t.http().get('/api/chat/conversations').set(owner.auth)).status).toBe(200);
  });
});
