import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { ChatFakes, isTitleRequest, startChatFakes } from './chat-fakes';

/** POST /api/chat/send: parallel fan-out, partial failures, storage, titles, context, limits. */
describe('Chat send', () => {
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

  const send = (user: TestUser, body: Record<string, unknown>) =>
    t.http().post('/api/chat/send').set(user.auth).send(body);

  it('fans out in parallel: answers that succeeded, one error entry for the failed provider, all stored', async () => {
    const owner = await signUp(t);
    const started = Date.now();
    const res = await send(owner, {
      message: 'Comment améliorer ma stratégie marketing ?',
      providers: [{ provider: 'Fast' }, { provider: 'slow', model: 'fake-model-mini' }, { provider: 'Broken' }],
    });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      conversation_id: expect.any(String),
      message_id: expect.any(String),
      user_message: 'Comment améliorer ma stratégie marketing ?',
      ai_responses: {
        Fast: 'echo: Comment améliorer ma stratégie marketing ?',
        Slow: 'echo: Comment améliorer ma stratégie marketing ?',
      },
      response_time: expect.any(Number),
      created_at: expect.any(String),
    });
    expect(res.body.answers.map((a: any) => [a.provider, a.model])).toEqual([
      ['Fast', 'fake-model'],
      ['Slow', 'fake-model-mini'],
    ]);
    expect(res.body.answers[0]).toMatchObject({ tokens_in: expect.any(Number), tokens_out: 7 });
    expect(res.body.errors).toEqual([
      {
        provider: 'Broken',
        model: 'fake-model',
        code: 'AI_PROVIDER_ERROR',
        message: expect.stringContaining('Broken'),
        message_id: expect.any(String),
      },
    ]);
    // Parallel: about the slow provider's 300 ms, not the sum.
    expect(elapsed).toBeLessThan(1500);

    const rows = await t.db.query(
      `SELECT role, provider, model, content, tokens_in, tokens_out, latency_ms, error
         FROM chat_messages WHERE conversation_id = $1 ORDER BY created_at`,
      [res.body.conversation_id],
    );
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ role: 'user', provider: null, error: null });
    const byProvider = Object.fromEntries(rows.slice(1).map((r: any) => [r.provider, r]));
    expect(byProvider.Slow).toMatchObject({ role: 'assistant', model: 'fake-model-mini', error: null });
    expect(byProvider.Slow.latency_ms).toBeGreaterThanOrEqual(280);
    expect(byProvider.Broken).toMatchObject({ content: '', error: 'AI_PROVIDER_ERROR', tokens_in: null });

    const usage = await t.db.query(
      `SELECT provider, feature, status FROM ai_usage WHERE workspace_id = $1 ORDER BY provider, feature`,
      [owner.workspaceId],
    );
    expect(usage).toEqual([
      { provider: 'Broken', feature: 'chat', status: 'error' },
      { provider: 'Fast', feature: 'chat', status: 'ok' },
      { provider: 'Fast', feature: 'chat:title', status: 'ok' },
      { provider: 'Slow', feature: 'chat', status: 'ok' },
    ]);
  });

  it('titles a new conversation with a short AI call to the first provider, first words when it fails', async () => {
    const owner = await signUp(t);
    const res = await send(owner, { message: 'Plan de lancement du produit Été', selected_providers: ['Fast'] });
    expect(res.status).toBe(200);
    const titleCall = fakes.fast.requests.find((r) => isTitleRequest(r.body));
    expect(titleCall?.body).toMatchObject({ temperature: 0 });
    expect(res.body.title).toBe('echo: Plan de lancement du produit Été');

    const failed = await send(owner, {
      message: 'Un deux trois quatre cinq six sept huit',
      selected_providers: ['Broken'],
    });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ title: 'Un deux trois quatre cinq six…', answers: [], ai_responses: {} });
    expect(failed.body.errors).toHaveLength(1);
  });

  it('takes selected_providers + selected_models and sends the history as context', async () => {
    const owner = await signUp(t);
    const first = await send(owner, {
      message: 'Premier message',
      selected_providers: ['Fast', 'Slow'],
      selected_models: { Slow: 'fake-model-mini' },
      temperature: 0.2,
      max_tokens: 50,
    });
    expect(first.status).toBe(200);
    expect(first.body.answers.map((a: any) => a.model)).toEqual(['fake-model', 'fake-model-mini']);
    fakes.reset();
    const second = await send(owner, {
      message: 'Deuxième message',
      conversation_id: first.body.conversation_id,
      selected_providers: ['Fast'],
    });
    expect(second.status).toBe(200);
    expect(second.body.title).toBe(first.body.title);
    const [call] = fakes.fast.requests;
    // Its own earlier answer, not the other provider's.
    expect(call.body.messages).toEqual([
      { role: 'user', content: 'Premier message' },
      { role: 'assistant', content: 'echo: Premier message' },
      { role: 'user', content: 'Deuxième message' },
    ]);
    const detail = await t.http().get(`/api/chat/conversations/${first.body.conversation_id}`).set(owner.auth);
    expect(detail.body.message_count).toBe(5);
  });

  it('answers 400 for bad input and unknown providers or models, 401 without credentials', async () => {
    const owner = await signUp(t);
    expectError(await send(owner, { message: '' }), 400);
    expectError(await send(owner, { message: 'x', providers: [{ provider: 'Nope' }] }), 400, 'AI_PROVIDER_UNKNOWN');
    expectError(
      await send(owner, { message: 'x', selected_providers: ['Fast'], selected_models: { Fast: 'gpt-9' } }),
      400,
      'AI_MODEL_UNKNOWN',
    );
    expectError(await send(owner, { message: 'x', conversation_id: 'not-a-uuid' }), 400);
    expectError(await send(owner, { message: 'x', unknownField: 1 }), 400);
    expectError(await t.http().post('/api/chat/send').send({ message: 'x' }), 401);
    const count = await t.db.query(`SELECT count(*)::int AS n FROM conversations WHERE user_id = $1`, [owner.id]);
    expect(count[0].n).toBe(0);
  });

  it('answers 404 for another user’s or workspace’s conversation', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    const mine = await send(owner, { message: 'À moi', selected_providers: ['Fast'] });
    expectError(
      await send(stranger, {
        message: 'intrus',
        conversation_id: mine.body.conversation_id,
        selected_providers: ['Fast'],
      }),
      404,
      'CONVERSATION_NOT_FOUND',
    );
  });

  it('answers 429 after 10 AI calls a minute', async () => {
    const owner = await signUp(t);
    for (let i = 0; i < 10; i++) {
      const ok = await send(owner, { message: `m${i}`, selected_providers: ['Fast'] });
      expect(ok.status).toBe(200);
    }
    expectError(await send(owner, { message: 'one too many', selected_providers: ['Fast'] }), 429);
  });
});
