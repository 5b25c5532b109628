import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { FakeStripe } from '../helpers/fake-stripe';
import { finishedJob } from '../helpers/job-events';
import { addMember, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { STRIPE_KEY, sendEvent, stripeEvent, TEST_PLANS, VIRAL_MONTHLY_PRICE, WEBHOOK_SECRET } from './billing-helpers';

/**
 * AI generations spend the plan's monthly quota first, then message-pack credits; the balance never goes below
 * zero however many calls race for it, and a refund takes back what is left of a pack.
 */
describe('billing: message-pack credits spent by AI generations', () => {
  let bed: AiTestBed;
  let stripe: FakeStripe;
  let t: TestApp;
  let owner: TestUser;

  beforeAll(async () => {
    stripe = await FakeStripe.start();
    const plans = TEST_PLANS.map((p) =>
      p.id === 'free' ? { ...p, limits: { ...p.limits, aiGenerationsPerMonth: 2, seats: null } } : p,
    );
    bed = await startAiTestBed({
      providers: (fake) => [fake.provider({ name: 'GPT-4', maxRetries: 0 })],
      env: {
        STRIPE_SECRET_KEY: STRIPE_KEY,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        BILLING_PLANS: JSON.stringify(plans),
        BILLING_MESSAGE_PACKS: JSON.stringify([
          { id: 'messages-10', name: '10 AI generations', credits: 10, price: { amount: 100, currency: 'usd' } },
        ]),
        ...stripe.env(),
      },
      withWorker: true,
    });
    t = bed.t;
    owner = await signUp(t);
  }, 60_000);
  afterAll(async () => {
    await bed?.close();
    await stripe?.close();
  });

  const balance = async () =>
    (await t.http().get('/api/billing/subscription').set(owner.auth).expect(200)).body.creditsBalance as number;

  /** Buys a 10-credit pack through Checkout and its checkout.session.completed webhook. */
  async function buyPack(paymentIntent: string) {
    const res = await t
      .http()
      .post('/api/billing/message-packs/checkout')
      .set(owner.auth)
      .send({ packId: 'messages-10' })
      .expect(200);
    const session = stripe.complete(res.body.url.split('/').pop(), { payment_intent: paymentIntent });
    await sendEvent(t, stripeEvent('checkout.session.completed', session)).expect(200);
    return session;
  }

  const generate = (who: TestUser) =>
    t.http().post('/api/content/ai-generate').set(who.auth).send({ type: 'caption', prompt: 'Beach shoot' });

  it('50 parallel generations on a quota of 2 and 10 credits: exactly 12 accepted, the balance ends at 0', async () => {
    await buyPack('pi_pack_one');
    expect(await balance()).toBe(10);
    // Five callers (the AI rate limit is 10 a minute each), ten calls each, all at once.
    const callers = [owner, ...(await Promise.all([1, 2, 3, 4].map(() => addMember(t, owner, 'member'))))];
    const answers = await Promise.all(callers.flatMap((who) => Array.from({ length: 10 }, () => generate(who))));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(12);
    expect(statuses.filter((s) => s === 402)).toHaveLength(38);
    expect(await balance()).toBe(0);
    const spent = await t.db.query(
      `SELECT count(*)::int AS n FROM credit_ledger WHERE workspace_id = $1 AND kind = 'spend'`,
      [owner.workspaceId],
    );
    expect(spent).toEqual([{ n: 10 }]);
    // The quota went first: both of its units are used.
    const usage = await t.db.query(`SELECT used FROM ai_quota_usage WHERE workspace_id = $1`, [owner.workspaceId]);
    expect(usage).toEqual([{ used: 2 }]);
  });

  it('a refunded pack takes back its unused credits, never more than the balance', async () => {
    const session = await buyPack('pi_pack_two');
    expect(await balance()).toBe(10);
    const spender = await addMember(t, owner, 'member');
    const spent = await Promise.all([1, 2, 3].map(() => generate(spender)));
    expect(spent.map((r) => r.status)).toEqual([202, 202, 202]);
    expect(await balance()).toBe(7);
    const refund = stripeEvent('charge.refunded', {
      id: 'ch_pack_two',
      object: 'charge',
      amount: 100,
      amount_refunded: 100,
      currency: 'usd',
      customer: session.customer,
      payment_intent: 'pi_pack_two',
      metadata: { workspaceId: owner.workspaceId },
    });
    await sendEvent(t, refund).expect(200);
    await sendEvent(t, refund).expect(200);
    expect(await balance()).toBe(0);
    const ledger = await t.http().get('/api/billing/credits').query({ limit: 1 }).set(owner.auth).expect(200);
    expect(ledger.body.data[0]).toMatchObject({ kind: 'refund', delta: -7, balanceAfter: 0, amount: -100 });
  });

  it('a job paid with a credit that fails for good gives the credit back', async () => {
    await buyPack('pi_pack_three');
    expect(await balance()).toBe(10);
    bed.fake.setDefault({ status: 500, message: 'upstream exploded' });
    try {
      const spender = await addMember(t, owner, 'member');
      const { jobId } = (await generate(spender).expect(202)).body;
      expect(await balance()).toBe(9);
      expect(await finishedJob(t, spender, jobId)).toMatchObject({ status: 'FAILED' });
      await waitFor('the credit back', async () => ((await balance()) === 10 ? true : undefined));
      const ledger = await t.http().get('/api/billing/credits').query({ limit: 2 }).set(owner.auth).expect(200);
      expect(ledger.body.data.map((c: { kind: string; delta: number }) => [c.kind, c.delta])).toEqual([
        ['returned', 1],
        ['spend', -1],
      ]);
    } finally {
      bed.fake.setDefault({});
    }
  }, 60_000); // three attempts with backoff (2 s, then 4 s)

  it('agents follow the plan: past the free plan’s agents a new one is a 403, after an upgrade it is created', async () => {
    const user = await signUp(t);
    const createAgent = (name: string) =>
      t
        .http()
        .post('/api/agents')
        .set(user.auth)
        .send({ name, type: 'custom', systemPrompt: 'Say hi', trigger: { type: 'manual' } });
    await createAgent('one').expect(201);
    await createAgent('two').expect(201);
    const refused = await createAgent('three');
    expectError(refused, 403, 'AGENT_LIMIT_REACHED');
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'agents' })]);

    const checkout = await t
      .http()
      .post('/api/checkout/create-session')
      .set(user.auth)
      .send({ planId: 'viral', billingCycle: 'monthly' })
      .expect(200);
    const sessionId = checkout.body.url.split('/').pop() as string;
    const customer = stripe.sessions.get(sessionId)?.customer as string;
    stripe.subscriptions.set(
      'sub_agents',
      stripe.subscription({
        id: 'sub_agents',
        customer,
        status: 'active',
        priceId: VIRAL_MONTHLY_PRICE,
        metadata: { workspaceId: user.workspaceId },
      }),
    );
    const completed = stripe.complete(sessionId, { subscription: 'sub_agents' });
    await sendEvent(t, stripeEvent('checkout.session.completed', completed)).expect(200);
    await createAgent('three').expect(201);
    const sub = await t.http().get('/api/billing/subscription').set(user.auth).expect(200);
    expect(sub.body.usage).toEqual(expect.arrayContaining([{ limit: 'agents', used: 3, allowed: null }]));
  });
});
