import { createTestApp, expectError, signUp, TestApp } from '../helpers/test-app';
import { ChatFakes, startChatFakes } from './chat-fakes';

/** Assistant sessions, stored as conversations of kind `assistant`. */
describe('Chat assistant sessions', () => {
  let t: TestApp;
  let fakes: ChatFakes;
  const previous = process.env.AI_PROVIDERS;

  beforeAll(async () => {
    fakes = await startChatFakes();
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    await fakes.close();
    process.env.AI_PROVIDERS = previous;
  });
  beforeEach(() => fakes.reset());

  it('creates a session with a stored greeting, answers with the history as context, lists it active', async () => {
    const owner = await signUp(t);
    const created = await t.http().post('/api/chat/create-session').set(owner.auth);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ sessionId: expect.any(String), message: 'Bonjour ! Comment puis-je vous aider ?' });
    const sessionId = created.body.sessionId;

    fakes.fast.reply({ content: 'Allez dans Créalia Studio.' });
    const first = await t
      .http()
      .post('/api/chat/message')
      .set(owner.auth)
      .send({ sessionId, message: 'Comment créer une vidéo ?' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      messageId: expect.any(String),
      content: 'Allez dans Créalia Studio.',
      timestamp: expect.any(String),
    });
    const second = await t
      .http()
      .post('/api/chat/message')
      .set(owner.auth)
      .send({ sessionId, message: 'Et ensuite ?' });
    expect(second.status).toBe(200);
    const lastCall = fakes.fast.requests[fakes.fast.requests.length - 1].body.messages;
    expect(lastCall.slice(1)).toEqual([
      { role: 'assistant', content: 'Bonjour ! Comment puis-je vous aider ?' },
      { role: 'user', content: 'Comment créer une vidéo ?' },
      { role: 'assistant', content: 'Allez dans Créalia Studio.' },
      { role: 'user', content: 'Et ensuite ?' },
    ]);
    expect(lastCall[0].role).toBe('system');

    const history = await t.http().get('/api/chat/history').query({ sessionId }).set(owner.auth);
    expect(history.status).toBe(200);
    expect(history.body.messages.map((m: any) => [m.role, m.content])).toEqual([
      ['assistant', 'Bonjour ! Comment puis-je vous aider ?'],
      ['user', 'Comment créer une vidéo ?'],
      ['assistant', 'Allez dans Créalia Studio.'],
      ['user', 'Et ensuite ?'],
      ['assistant', 'echo: Et ensuite ?'],
    ]);
    expect(history.body.messages[0]).toEqual({
      id: expect.any(String),
      role: 'assistant',
      content: expect.any(String),
      createdAt: expect.any(String),
    });

    const sessions = await t.http().get('/api/chat/sessions').set(owner.auth);
    expect(sessions.body.sessions).toEqual([
      {
        id: sessionId,
        createdAt: expect.any(String),
        messageCount: 5,
        isActive: true,
        lastMessageAt: expect.any(String),
      },
    ]);
    // Sessions are not chat conversations.
    const conversations = await t.http().get('/api/chat/conversations').set(owner.auth);
    expect(conversations.body.conversations).toEqual([]);

    // Inactive after an explicit close, or after 30 minutes without a message.
    expect((await t.http().post(`/api/chat/sessions/${sessionId}/close`).set(owner.auth)).status).toBe(204);
    const other = (await t.http().post('/api/chat/create-session').set(owner.auth)).body.sessionId;
    await t.db.query(`UPDATE conversations SET last_message_at = now() - interval '31 minutes' WHERE id = $1`, [other]);
    const after = await t.http().get('/api/chat/sessions').set(owner.auth);
    expect(after.body.sessions.map((s: any) => s.isActive)).toEqual([false, false]);
  });

  it('keeps the user message and answers the AI error when the provider fails', async () => {
    const owner = await signUp(t);
    const { sessionId } = (await t.http().post('/api/chat/create-session').set(owner.auth)).body;
    const res = await t
      .http()
      .post('/api/chat/message')
      .set(owner.auth)
      .send({ sessionId, message: 'Tu es là ?', provider: 'Broken' });
    expectError(res, 502, 'AI_PROVIDER_ERROR');
    const history = await t.http().get('/api/chat/history').query({ sessionId }).set(owner.auth);
    expect(history.body.messages.map((m: any) => m.content)).toEqual([
      'Bonjour ! Comment puis-je vous aider ?',
      'Tu es là ?',
    ]);
  });

  it('answers 400, 401 and 404 (another user’s session, or a chat conversation id)', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    const { sessionId } = (await t.http().post('/api/chat/create-session').set(owner.auth)).body;
    expectError(await t.http().post('/api/chat/message').set(owner.auth).send({ sessionId: 'x', message: 'a' }), 400);
    expectError(await t.http().post('/api/chat/message').set(owner.auth).send({ sessionId, message: '' }), 400);
    expectError(await t.http().get('/api/chat/history').set(owner.auth), 400);
    expectError(await t.http().post('/api/chat/create-session'), 401);
    expectError(
      await t.http().post('/api/chat/message').set(stranger.auth).send({ sessionId, message: 'a' }),
      404,
      'CHAT_SESSION_NOT_FOUND',
    );
    expectError(await t.http().get('/api/chat/history').query({ sessionId }).set(stranger.auth), 404);
    expectError(await t.http().post(`/api/chat/sessions/${sessionId}/close`).set(stranger.auth), 404);
    expect((await t.http().get('/api/chat/sessions').set(stranger.auth)).body).toEqual({ sessions: [] });
    const chat = await t
      .http()
      .post('/api/chat/send')
      .set(owner.auth)
      .send({ message: 'hi', selected_providers: ['Fast'] });
    expectError(
      await t.http().get('/api/chat/history').query({ sessionId: chat.body.conversation_id }).set(owner.auth),
      404,
    );
    expectError(await t.http().get(`/api/chat/conversations/${sessionId}`).set(owner.auth), 404);
  });
});
