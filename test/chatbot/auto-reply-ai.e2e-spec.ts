import { FixedClock } from '../helpers/fixed-clock';
import type { FakeOpenAI } from '../helpers/fake-openai';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { signUp, TestApp, TestUser } from '../helpers/test-app';

const conversations = '/api/chatbot/conversations';

/** `ai` auto-replies through the AI layer, against the fake OpenAI server. */
describe('AI auto-replies', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let bed: AiTestBed;
  const clock = new FixedClock();
  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (fake) => [fake.provider({ name: 'Fake', maxRetries: 0 })],
      overrides: [clock.override],
    });
    ({ t, fake } = bed);
  });
  afterEach(() => {
    fake.reset();
    clock.set(null);
  });
  afterAll(() => bed?.close());

  const rule = (owner: TestUser, body: Record<string, unknown>) =>
    t.http().post('/api/chatbot/auto-reply').set(owner.auth).send(body);
  const inbound = (owner: TestUser, body: string) =>
    t
      .http()
      .post(conversations)
      .set(owner.auth)
      .send({ platform: 'onlyfans', fanHandle: 'ai_fan', fanName: 'Zoe', direction: 'inbound', body });

  it('answers with the provider’s text, given the rule’s prompt and the conversation’s last messages', async () => {
    const owner = await signUp(t);
    const created = await rule(owner, {
      name: 'ai',
      matchType: 'intent',
      intent: 'content_request',
      replyType: 'ai',
      aiPrompt: 'Offer the weekly PPV bundle',
    });
    expect(created.status).toBe(201);
    clock.set(new Date('2026-03-02T10:00:00Z'));
    await inbound(owner, 'hello there');
    fake.reply({ content: '  The bundle is $15 this week!  ' });
    const res = await inbound(owner, 'send me a new video please');
    expect(res.status).toBe(201);
    expect(res.body.data.autoReply).toMatchObject({
      fired: true,
      reason: 'REPLIED',
      ruleId: created.body.data.id,
      reply: { body: 'The bundle is $15 this week!', authorType: 'auto_reply', autoReplyRuleId: created.body.data.id },
    });
    expect(fake.requests).toHaveLength(1);
    const messages = fake.requests[0].body.messages as { role: string; content: string }[];
    expect(messages[0].role).toBe('system');
    expect(messages[0].content).toContain('Offer the weekly PPV bundle');
    expect(messages[0].content).toContain('Zoe');
    expect(messages.slice(1)).toEqual([
      { role: 'user', content: 'hello there' },
      { role: 'user', content: 'send me a new video please' },
    ]);
    const [usage] = await t.db.query('SELECT feature, status FROM ai_usage WHERE workspace_id = $1', [
      owner.workspaceId,
    ]);
    expect(usage).toMatchObject({ feature: 'chatbot:auto-reply' });
  });

  it('a failing provider: AI_FAILED, the fan’s message is kept and the next rule answers', async () => {
    const owner = await signUp(t);
    await rule(owner, {
      name: 'ai',
      matchType: 'keyword',
      keywords: ['price'],
      replyType: 'ai',
      aiPrompt: 'x',
      priority: 2,
    });
    await rule(owner, {
      name: 'tpl',
      matchType: 'keyword',
      keywords: ['price'],
      replyType: 'template',
      template: 'It is $10',
    });
    fake.setDefault({ status: 500 });
    try {
      const res = await inbound(owner, 'price?');
      expect(res.status).toBe(201);
      expect(res.body.data.autoReply).toMatchObject({
        fired: true,
        ruleName: 'tpl',
        reply: { body: 'It is $10' },
        skipped: [{ ruleName: 'ai', reason: 'AI_FAILED' }],
      });
      expect(res.body.data.message.body).toBe('price?');
    } finally {
      fake.setDefault({});
    }
  });
});
