import { FixedClock } from '../helpers/fixed-clock';
import { createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';

const conversations = '/api/chatbot/conversations';
const rulesBase = '/api/chatbot/auto-reply';

type Rule = Record<string, unknown> & { name: string };
interface Step {
  /** Pins the chatbot clock (ISO); default: the previous step's time, else 2026-03-02T10:00Z (a Monday). */
  at?: string;
  fan?: string;
  fanName?: string;
  body: string;
  reason: string;
  /** The rule expected to answer (by name). */
  rule?: string;
  reply?: string;
  /** Names of the matching rules passed over, in order. */
  skipped?: string[];
}
interface Case {
  name: string;
  rules: Rule[];
  /** The workspace's general-settings time zone. */
  workspaceTimezone?: string;
  steps: Step[];
}

const tpl = (name: string, keywords: string[], template: string, extra: Record<string, unknown> = {}): Rule => ({
  name,
  matchType: 'keyword',
  keywords,
  replyType: 'template',
  template,
  ...extra,
});
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];

// The auto-reply table: each case gets a fresh workspace, creates its rules in order, then posts inbound messages.
const cases: Case[] = [
  {
    name: 'the higher priority wins, whatever the creation order',
    rules: [tpl('low', ['price'], 'low', { priority: 1 }), tpl('high', ['price'], 'high', { priority: 10 })],
    steps: [{ body: 'price?', reason: 'REPLIED', rule: 'high', reply: 'high' }],
  },
  {
    name: 'equal priority: the older rule first',
    rules: [tpl('first', ['price'], 'first'), tpl('second', ['price'], 'second')],
    steps: [{ body: 'price?', reason: 'REPLIED', rule: 'first' }],
  },
  {
    name: 'keyword vs regex vs intent: each matches its own messages',
    rules: [
      tpl('kw', ['unlock'], 'kw', { priority: 3 }),
      {
        name: 're',
        matchType: 'regex',
        pattern: '\\btier\\s*[1-3]\\b',
        replyType: 'template',
        template: 're',
        priority: 2,
      },
      { name: 'greet', matchType: 'intent', intent: 'greeting', replyType: 'template', template: 'greet', priority: 1 },
    ],
    steps: [
      { body: 'How do I UNLOCK it', reason: 'REPLIED', rule: 'kw' },
      { body: 'Is TIER 2 worth it?', reason: 'REPLIED', rule: 're' },
      { body: 'tier 4 then', reason: 'NO_MATCH' },
      { body: 'Coucou !', reason: 'REPLIED', rule: 'greet' },
      { body: 'hello, tier 1 to unlock?', reason: 'REPLIED', rule: 'kw' },
    ],
  },
  {
    name: 'intent rule: pricing from the built-in classifier',
    rules: [
      { name: 'pricing', matchType: 'intent', intent: 'pricing', replyType: 'template', template: 'Prices: $10' },
    ],
    steps: [
      { body: 'Combien pour le contenu ?', reason: 'REPLIED', rule: 'pricing', reply: 'Prices: $10' },
      { body: 'I love your content', reason: 'NO_MATCH' },
    ],
  },
  {
    name: 'keywords match whole words only',
    rules: [tpl('hi', ['hi', 'how much'], 'hello!')],
    steps: [
      { body: 'this is nice', reason: 'NO_MATCH' },
      { body: 'HOWMUCH', reason: 'NO_MATCH' },
      { body: 'Hi!', reason: 'REPLIED', rule: 'hi' },
      { body: 'so... how   MUCH?', reason: 'REPLIED', rule: 'hi' },
    ],
  },
  {
    name: 'keywords ignore case and accents on both sides',
    rules: [tpl('prix', ['prix', 'café'], 'ok')],
    steps: [
      { body: 'Quel est le PRÎX ?', reason: 'REPLIED', rule: 'prix' },
      { body: 'un CAFE ?', reason: 'REPLIED', rule: 'prix' },
    ],
  },
  {
    name: 'outside active hours (rule time zone), then inside',
    rules: [
      tpl('office', ['help'], 'office', {
        activeHours: { days: weekdays, from: '09:00', to: '18:00' },
        timezone: 'Europe/Paris',
      }),
    ],
    steps: [
      { at: '2026-03-02T07:30:00Z', body: 'help', reason: 'OUTSIDE_ACTIVE_HOURS', skipped: ['office'] }, // 08:30 Paris
      { at: '2026-03-02T08:30:00Z', body: 'help', reason: 'REPLIED', rule: 'office' }, // 09:30 Paris
      { at: '2026-03-07T10:00:00Z', body: 'help', reason: 'OUTSIDE_ACTIVE_HOURS' }, // Saturday
    ],
  },
  {
    name: 'active hours in the workspace time zone from general settings',
    workspaceTimezone: 'Asia/Tokyo',
    rules: [tpl('tokyo', ['help'], 'tokyo', { activeHours: { days: ['mon'], from: '09:00', to: '12:00' } })],
    steps: [
      { at: '2026-03-02T10:00:00Z', body: 'help', reason: 'OUTSIDE_ACTIVE_HOURS' }, // Mon 19:00 Tokyo
      { at: '2026-03-02T01:00:00Z', body: 'help', reason: 'REPLIED', rule: 'tokyo' }, // Mon 10:00 Tokyo
    ],
  },
  {
    name: 'a rule outside its hours gives way to the next matching rule',
    rules: [
      tpl('night', ['help'], 'night', {
        priority: 5,
        activeHours: { days: weekdays, from: '22:00', to: '06:00' },
        timezone: 'UTC',
      }),
      tpl('always', ['help'], 'always'),
    ],
    steps: [
      { at: '2026-03-02T12:00:00Z', body: 'help', reason: 'REPLIED', rule: 'always', skipped: ['night'] },
      { at: '2026-03-02T23:00:00Z', body: 'help', reason: 'REPLIED', rule: 'night', skipped: [] },
      { at: '2026-03-03T05:00:00Z', body: 'help', reason: 'REPLIED', rule: 'night' }, // Monday's window, after midnight
    ],
  },
  {
    name: 'cooldown per fan: not twice to the same fan within it; another fan is answered',
    rules: [tpl('cool', ['hey'], 'hey you', { cooldownMinutes: 30 })],
    steps: [
      { at: '2026-03-02T10:00:00Z', fan: 'ann', body: 'hey', reason: 'REPLIED', rule: 'cool' },
      { at: '2026-03-02T10:05:00Z', fan: 'ann', body: 'hey again', reason: 'COOLDOWN', skipped: ['cool'] },
      { at: '2026-03-02T10:06:00Z', fan: 'bob', body: 'hey', reason: 'REPLIED', rule: 'cool' },
      { at: '2026-03-02T10:29:59Z', fan: 'ann', body: 'hey?', reason: 'COOLDOWN' },
      { at: '2026-03-02T10:30:01Z', fan: 'ann', body: 'hey!!', reason: 'REPLIED', rule: 'cool' },
    ],
  },
  {
    name: 'a rule cooling down gives way to the next matching rule',
    rules: [
      tpl('once', ['hey'], 'first time', { priority: 2, cooldownMinutes: 60 }),
      tpl('fallback', ['hey'], 'again'),
    ],
    steps: [
      { fan: 'ann', body: 'hey', reason: 'REPLIED', rule: 'once' },
      { fan: 'ann', body: 'hey', reason: 'REPLIED', rule: 'fallback', skipped: ['once'] },
    ],
  },
  {
    name: 'an inactive rule never answers',
    rules: [tpl('off', ['price'], 'off', { active: false, priority: 10 }), tpl('on', ['other'], 'on')],
    steps: [{ body: 'price', reason: 'NO_MATCH', skipped: [] }],
  },
  {
    name: 'no rule at all, or none matching',
    rules: [],
    steps: [{ body: 'hello', reason: 'NO_MATCH' }],
  },
  {
    name: 'an ai rule without an AI provider is skipped; the next rule answers',
    rules: [
      { name: 'ai', matchType: 'keyword', keywords: ['content'], replyType: 'ai', aiPrompt: 'Be nice', priority: 5 },
      tpl('tpl', ['content'], 'template answer'),
    ],
    steps: [{ body: 'content?', reason: 'REPLIED', rule: 'tpl', skipped: ['ai'] }],
  },
  {
    name: 'an ai rule alone without a provider: no reply, reason AI_PROVIDER_NOT_CONFIGURED',
    rules: [{ name: 'ai', matchType: 'intent', intent: 'content_request', replyType: 'ai', aiPrompt: 'Upsell' }],
    steps: [{ body: 'send me a video', reason: 'AI_PROVIDER_NOT_CONFIGURED', skipped: ['ai'] }],
  },
  {
    name: 'template variables rendered for the fan in the rule time zone',
    rules: [
      tpl('vars', ['hello'], 'Hi {{name}} (@{{ handle }}) on {{platform}}, {{weekday}} {{date}} {{time}}', {
        timezone: 'Europe/Paris',
      }),
    ],
    steps: [
      {
        at: '2026-03-02T23:05:00Z',
        fan: '@Jane_D',
        fanName: 'Jane',
        body: 'hello',
        reason: 'REPLIED',
        rule: 'vars',
        reply: 'Hi Jane (@jane_d) on onlyfans, Tuesday 2026-03-03 00:05',
      },
      {
        fan: 'nameless',
        body: 'hello',
        reason: 'REPLIED',
        reply: 'Hi nameless (@nameless) on onlyfans, Tuesday 2026-03-03 00:05',
      },
    ],
  },
];

describe('auto-replies on inbound messages (POST /api/chatbot/conversations)', () => {
  let t: TestApp;
  const clock = new FixedClock();
  const previousProviders = process.env.AI_PROVIDERS;
  beforeAll(async () => {
    // No AI provider here: `ai` rules are skipped with AI_PROVIDER_NOT_CONFIGURED (AI replies: auto-reply-ai spec).
    delete process.env.AI_PROVIDERS;
    t = await createTestApp([clock.override]);
  });
  afterEach(() => clock.set(null));
  afterAll(async () => {
    await t.close();
    if (previousProviders !== undefined) process.env.AI_PROVIDERS = previousProviders;
  });

  const createRule = async (owner: TestUser, rule: Rule) => {
    const res = await t.http().post(rulesBase).set(owner.auth).send(rule);
    if (res.status !== 201) throw new Error(`create rule failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data as { id: string; name: string };
  };

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const owner = await signUp(t);
    if (c.workspaceTimezone) {
      const res = await t.http().put('/api/settings/general').set(owner.auth).send({ timezone: c.workspaceTimezone });
      expect(res.status).toBe(200);
    }
    const ids = new Map<string, string>();
    for (const rule of c.rules) ids.set(rule.name, (await createRule(owner, rule)).id);
    let at = '2026-03-02T10:00:00Z';
    for (const [index, step] of c.steps.entries()) {
      at = step.at ?? at;
      clock.set(new Date(at));
      const res = await t
        .http()
        .post(conversations)
        .set(owner.auth)
        .send({
          platform: 'onlyfans',
          fanHandle: step.fan ?? 'fan',
          fanName: step.fanName,
          direction: 'inbound',
          body: step.body,
        });
      const where = `step ${index} (${step.body})`;
      expect({ where, status: res.status }).toEqual({ where, status: 201 });
      const autoReply = res.body.data.autoReply;
      expect({ where, reason: autoReply.reason }).toEqual({ where, reason: step.reason });
      expect(autoReply.fired).toBe(step.reason === 'REPLIED');
      // The fan's message is stored whatever happens.
      expect(res.body.data.message).toMatchObject({
        direction: 'inbound',
        body: step.body,
        authorType: 'fan',
        sentAt: new Date(at).toISOString(),
      });
      if (step.reason === 'REPLIED') {
        if (step.rule) expect({ where, rule: autoReply.ruleName }).toEqual({ where, rule: step.rule });
        expect(autoReply.ruleId).toBe(ids.get(autoReply.ruleName));
        expect(autoReply.reply).toMatchObject({
          direction: 'outbound',
          authorType: 'auto_reply',
          autoReplyRuleId: autoReply.ruleId,
          authorUserId: null,
          conversationId: res.body.data.conversation.id,
        });
        if (step.reply) expect(autoReply.reply.body).toBe(step.reply);
        const [row] = await t.db.query('SELECT auto_reply_rule_id, direction FROM chatbot_messages WHERE id = $1', [
          autoReply.reply.id,
        ]);
        expect(row).toEqual({ auto_reply_rule_id: autoReply.ruleId, direction: 'outbound' });
      } else {
        expect(autoReply).toMatchObject({ ruleId: null, ruleName: null, reply: null });
      }
      if (step.skipped) expect(autoReply.skipped.map((s: { ruleName: string }) => s.ruleName)).toEqual(step.skipped);
      if (step.reason !== 'REPLIED' && step.reason !== 'NO_MATCH')
        expect(autoReply.skipped[0].reason).toBe(step.reason);
    }
  });

  it('outbound messages never trigger rules; an auto-reply leaves the unread count, a member’s reply resets it', async () => {
    const owner = await signUp(t);
    await createRule(owner, tpl('any', ['hello'], 'auto'));
    const post = (body: Record<string, unknown>) =>
      t
        .http()
        .post(conversations)
        .set(owner.auth)
        .send({ platform: 'fansly', fanHandle: 'kim', ...body });
    const out = await post({ direction: 'outbound', body: 'hello' });
    expect(out.status).toBe(201);
    expect(out.body.data.autoReply).toEqual({
      fired: false,
      reason: 'NOT_INBOUND',
      ruleId: null,
      ruleName: null,
      reply: null,
      skipped: [],
    });
    expect(out.body.data.message).toMatchObject({ authorType: 'user', authorUserId: owner.id });

    const inbound = await post({ direction: 'inbound', body: 'hello' });
    expect(inbound.body.data.autoReply.fired).toBe(true);
    // The conversation is answered after the fan's message: the preview is the reply, the unread count stays.
    expect(inbound.body.data.conversation).toMatchObject({
      unreadCount: 1,
      lastMessage: { preview: 'auto', authorType: 'auto_reply' },
    });
    const again = await post({ direction: 'inbound', body: 'hello' });
    expect(again.body.data.conversation.unreadCount).toBe(2);
    const reply = await post({ direction: 'outbound', body: 'hi Kim' });
    expect(reply.body.data.conversation.unreadCount).toBe(0);
  });
});
