import { AgentRunsQueue, AgentRunTrigger, AgentStatus, AgentTriggerType } from '@crescendo/agents';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { FakeStripe } from '../helpers/fake-stripe';
import { finishedJob } from '../helpers/job-events';
import { addMember, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { STRIPE_KEY, sendEvent, stripeEvent, TEST_PLANS, VIRAL_MONTHLY_PRICE, WEBHOOK_SECRET } from './billing-helpers';

type Agent = { id: string; name: string; readOnly: boolean; readOnlyReason: string | null };

/**
 * A workspace whose plan drops (cancelled at period end, unpaid past Stripe's retries) keeps everything: the
 * agents past the smaller plan's limit become read-only (listed with the flag, 403 on edit and run), the
 * members past its seats stay but no seat is added; a bigger plan gives it all back. Every plan change comes
 * through the real webhook route, signed with the SDK's generateTestHeaderString.
 */
describe('billing: downgrades make what is past the limits read-only, upgrades give it back', () => {
  let bed: AiTestBed;
  let stripe: FakeStripe;
  let t: TestApp;

  beforeAll(async () => {
    stripe = await FakeStripe.start();
    stripe.priceAmounts.set(VIRAL_MONTHLY_PRICE, 3900);
    bed = await startAiTestBed({
      providers: (fake) => [fake.provider({ name: 'GPT-4', maxRetries: 0 })],
      env: {
        STRIPE_SECRET_KEY: STRIPE_KEY,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        // free: 2 agents, 3 seats; viral: no agent limit, 25 seats.
        BILLING_PLANS: JSON.stringify(TEST_PLANS),
        ...stripe.env(),
      },
      withWorker: true,
    });
    t = bed.t;
  }, 60_000);
  afterAll(async () => {
    await bed?.close();
    await stripe?.close();
  });

  const http = () => t.http();
  const now = () => Math.floor(Date.now() / 1000);
  let clock = now();
  /** Strictly increasing event times, as Stripe's would be for successive changes. */
  const tick = () => (clock = Math.max(clock + 1, now()));

  /** Checkout for viral, then the two events Stripe sends for it: the new subscription, the completed session. */
  async function subscribe(user: TestUser, subId: string): Promise<{ customer: string }> {
    const res = await http()
      .post('/api/checkout/create-session')
      .set(user.auth)
      .send({ planId: 'viral', billingCycle: 'monthly' })
      .expect(200);
    const sessionId = res.body.url.split('/').pop() as string;
    const customer = stripe.sessions.get(sessionId)?.customer as string;
    await change(user, customer, subId, 'customer.subscription.created', { status: 'active' });
    const session = stripe.complete(sessionId, { subscription: subId });
    await sendEvent(t, stripeEvent('checkout.session.completed', session, undefined, tick())).expect(200);
    return { customer };
  }

  /** A customer.subscription.* event carrying the subscription in this state. */
  async function change(
    user: TestUser,
    customer: string,
    subId: string,
    type: string,
    shape: { status: string; cancelAtPeriodEnd?: boolean },
  ) {
    const sub = stripe.subscription({
      id: subId,
      customer,
      priceId: VIRAL_MONTHLY_PRICE,
      metadata: { workspaceId: user.workspaceId, planId: 'viral' },
      ...shape,
    });
    await sendEvent(t, stripeEvent(type, sub, undefined, tick())).expect(200);
  }

  async function invoiceEvent(user: TestUser, customer: string, subId: string, type: string, status: string) {
    const invoice = {
      id: `in_${subId}_${clock}`,
      object: 'invoice',
      customer,
      status,
      amount_due: 3900,
      amount_paid: status === 'paid' ? 3900 : 0,
      currency: 'usd',
      created: clock,
      metadata: {},
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: subId, metadata: { workspaceId: user.workspaceId } },
      },
    };
    await sendEvent(t, stripeEvent(type, invoice, undefined, tick())).expect(200);
  }

  const createAgent = async (user: TestUser, name: string): Promise<Agent> =>
    (
      await http()
        .post('/api/agents')
        .set(user.auth)
        .send({ name, type: 'custom', systemPrompt: 'Say hi', trigger: { type: 'manual' } })
        .expect(201)
    ).body;
  const listAgents = async (user: TestUser): Promise<Agent[]> =>
    (await http().get('/api/agents').query({ limit: 100 }).set(user.auth).expect(200)).body.data;
  const flags = async (user: TestUser) => (await listAgents(user)).map((a) => [a.name, a.readOnly, a.readOnlyReason]);
  const plan = async (user: TestUser) =>
    (await http().get('/api/billing/subscription').set(user.auth).expect(200)).body;
  const edit = (user: TestUser, agent: Agent) =>
    http().put(`/api/agents/${agent.id}`).set(user.auth).send({ systemPrompt: 'Say hello' });
  const runAgent = (user: TestUser, agent: Agent) => http().post(`/api/agents/${agent.id}/run`).set(user.auth);
  const invite = (user: TestUser, label: string) =>
    http()
      .post('/api/users')
      .set(user.auth)
      .send({ email: `${label}-${user.id}@crescendo.test`, name: label, role: 'member' });

  /** Every way of changing or running a read-only agent is refused, and the agent is unchanged. */
  async function expectReadOnly(user: TestUser, agent: Agent) {
    const before = (await http().get(`/api/agents/${agent.id}`).set(user.auth).expect(200)).body;
    expect(before).toMatchObject({ readOnly: true, readOnlyReason: 'PLAN_AGENT_LIMIT' });
    const refused = await edit(user, agent);
    expectError(refused, 403, 'AGENT_READ_ONLY');
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'agents' })]);
    expectError(await runAgent(user, agent), 403, 'AGENT_READ_ONLY');
    expectError(
      await http().put(`/api/agents/${agent.id}/status`).set(user.auth).send({ status: 'inactive' }),
      403,
      'AGENT_READ_ONLY',
    );
    expectError(await http().post(`/api/agents/${agent.id}/restart`).set(user.auth), 403, 'AGENT_READ_ONLY');
    const after = (await http().get(`/api/agents/${agent.id}`).set(user.auth).expect(200)).body;
    expect(after).toEqual(before);
    const runs = await t.db.query(`SELECT count(*)::int AS n FROM agent_runs WHERE agent_id = $1`, [agent.id]);
    expect(runs).toEqual([{ n: 0 }]);
  }

  it('cancelled at period end: agents past the free plan turn read-only, extra members stay without new seats; resubscribing restores both', async () => {
    const owner = await signUp(t);
    const { customer } = await subscribe(owner, 'sub_cancel');
    expect(await plan(owner)).toMatchObject({ plan: 'viral', status: 'active' });
    const agents: Agent[] = [];
    for (const name of ['a1', 'a2', 'a3', 'a4']) agents.push(await createAgent(owner, name));
    const members = [];
    for (const role of ['member', 'member', 'viewer']) members.push(await addMember(t, owner, role));
    expect(await flags(owner)).toEqual([
      ['a1', false, null],
      ['a2', false, null],
      ['a3', false, null],
      ['a4', false, null],
    ]);

    // Cancelled at period end: nothing changes until Stripe ends the subscription.
    await change(owner, customer, 'sub_cancel', 'customer.subscription.updated', {
      status: 'active',
      cancelAtPeriodEnd: true,
    });
    expect(await plan(owner)).toMatchObject({ plan: 'viral', cancelAtPeriodEnd: true });
    await edit(owner, agents[3]).expect(200);

    await change(owner, customer, 'sub_cancel', 'customer.subscription.deleted', { status: 'canceled' });
    const free = await plan(owner);
    expect(free).toMatchObject({ plan: 'free', status: 'canceled', seats: { used: 4, allowed: 3 } });
    expect(free.usage).toEqual(expect.arrayContaining([{ limit: 'agents', used: 4, allowed: 2 }]));

    // The two oldest agents keep working; the two newest are listed read-only and refuse every change.
    expect(await flags(owner)).toEqual([
      ['a1', false, null],
      ['a2', false, null],
      ['a3', true, 'PLAN_AGENT_LIMIT'],
      ['a4', true, 'PLAN_AGENT_LIMIT'],
    ]);
    // A member sees the same flags.
    expect((await listAgents(members[2])).map((a) => a.readOnly)).toEqual([false, false, true, true]);
    await expectReadOnly(owner, agents[2]);
    await expectReadOnly(owner, agents[3]);
    await edit(owner, agents[0]).expect(200);
    await runAgent(owner, agents[0]).expect(202);
    expectError(
      await http()
        .post('/api/agents')
        .set(owner.auth)
        .send({ name: 'a5', type: 'custom', trigger: { type: 'manual' } }),
      403,
      'AGENT_LIMIT_REACHED',
    );

    // Seats: nobody is removed or locked out, but no seat is added past the plan's.
    for (const member of members) await http().get('/api/agents').set(member.auth).expect(200);
    expectError(await invite(owner, 'fifth'), 403, 'SEAT_LIMIT_REACHED');

    // Deleting an older agent moves the next one within the limit (nothing is deleted for the user).
    await http().delete(`/api/agents/${agents[0].id}`).set(owner.auth).expect(204);
    expect(await flags(owner)).toEqual([
      ['a2', false, null],
      ['a3', false, null],
      ['a4', true, 'PLAN_AGENT_LIMIT'],
    ]);
    await edit(owner, agents[2]).expect(200);

    // A late event of the ended subscription changes nothing; a new subscription gives everything back.
    await sendEvent(
      t,
      stripeEvent(
        'customer.subscription.updated',
        stripe.subscription({ id: 'sub_cancel', customer, status: 'active', priceId: VIRAL_MONTHLY_PRICE }),
        undefined,
        tick(),
      ),
    ).expect(200);
    expect((await plan(owner)).plan).toBe('free');
    await subscribe(owner, 'sub_again');
    expect(await plan(owner)).toMatchObject({ plan: 'viral', status: 'active', seats: { used: 4, allowed: 25 } });
    expect(await flags(owner)).toEqual([
      ['a2', false, null],
      ['a3', false, null],
      ['a4', false, null],
    ]);
    await edit(owner, agents[3]).expect(200);
    await runAgent(owner, agents[3]).expect(202);
    await invite(owner, 'fifth').expect(201);
  });

  it('payment failure: past_due keeps the plan; unpaid past Stripe’s retries drops to free (read-only agents); paying restores', async () => {
    const owner = await signUp(t);
    const { customer } = await subscribe(owner, 'sub_unpaid');
    const agents: Agent[] = [];
    for (const name of ['b1', 'b2', 'b3']) agents.push(await createAgent(owner, name));

    await invoiceEvent(owner, customer, 'sub_unpaid', 'invoice.payment_failed', 'open');
    expect(await plan(owner)).toMatchObject({ plan: 'viral', status: 'past_due' });
    await edit(owner, agents[2]).expect(200);

    // Stripe's retries are exhausted: the subscription is unpaid (the account's setting), entitlements end.
    await change(owner, customer, 'sub_unpaid', 'customer.subscription.updated', { status: 'unpaid' });
    expect(await plan(owner)).toMatchObject({ plan: 'free', status: 'unpaid' });
    expect(await flags(owner)).toEqual([
      ['b1', false, null],
      ['b2', false, null],
      ['b3', true, 'PLAN_AGENT_LIMIT'],
    ]);
    await expectReadOnly(owner, agents[2]);

    // A run queued by its schedule is skipped by the worker, saying why.
    const queued = await t.app.get(AgentRunsQueue).queue(
      {
        id: agents[2].id,
        workspaceId: owner.workspaceId,
        status: AgentStatus.Active,
        triggerType: AgentTriggerType.Schedule,
        schedule: null,
      },
      { trigger: AgentRunTrigger.Schedule },
    );
    const job = await finishedJob(t, owner, queued!.jobId);
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'AGENT_READ_ONLY' } });
    const [run] = await t.db.query(`SELECT status, started_at FROM agent_runs WHERE id = $1`, [queued!.jobId]);
    expect(run).toEqual({ status: 'failed', started_at: null });

    // The customer pays the open invoice: active again, the agent is back.
    await invoiceEvent(owner, customer, 'sub_unpaid', 'invoice.paid', 'paid');
    expect(await plan(owner)).toMatchObject({ plan: 'viral', status: 'active' });
    expect((await listAgents(owner)).map((a) => a.readOnly)).toEqual([false, false, false]);
    await edit(owner, agents[2]).expect(200);
  });
});
