import { addMember, expectError, signUp, TestUser } from '../helpers/test-app';
import { BillingTestBed, startBillingTestBed, VIRAL_MONTHLY_PRICE } from './billing-helpers';

describe('billing: checkout, session info, portal, message packs, plans and permissions', () => {
  let bed: BillingTestBed;
  let owner: TestUser;
  beforeAll(async () => {
    bed = await startBillingTestBed();
    owner = await signUp(bed.t);
  });
  afterAll(() => bed.close());

  const http = () => bed.t.http();

  it('lists the plan catalogue with prices per cycle and limits, and the message packs', async () => {
    const res = await http().get('/api/billing/plans').set(owner.auth).expect(200);
    const viral = res.body.plans.find((p: { id: string }) => p.id === 'viral');
    expect(viral).toEqual({
      id: 'viral',
      name: 'Viral',
      prices: { monthly: { amount: 3900, currency: 'usd' }, yearly: { amount: 39000, currency: 'usd' } },
      limits: { aiGenerationsPerMonth: 2000, seats: 25, agents: null, storageMb: null },
    });
    // Stripe price ids are configuration, not something the API shows.
    expect(JSON.stringify(res.body)).not.toContain(VIRAL_MONTHLY_PRICE);
    expect(res.body.messagePacks).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'messages-100', credits: 100 })]),
    );
  });

  it('creates a subscription Checkout Session with the plan’s price, the workspace in metadata and one customer', async () => {
    const user = await signUp(bed.t);
    bed.fake.promotionCodes.set('PROMO10', 'promo_test_10');
    const res = await http()
      .post('/api/checkout/create-session')
      .set(user.auth)
      .send({ planId: 'viral', billingCycle: 'monthly', affiliateCode: 'PROMO10' })
      .expect(200);
    expect(res.body).toEqual({ url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/) });

    const customers = bed.fake
      .requestsTo('POST', '/v1/customers')
      .filter((r) => r.form['metadata[workspaceId]'] === user.workspaceId);
    expect(customers).toHaveLength(1);
    expect(customers[0].headers['idempotency-key']).toBe(`customer:${user.workspaceId}`);
    const sessionId = res.body.url.split('/').pop();
    const created = bed.fake
      .requestsTo('POST', '/v1/checkout/sessions')
      .find((r) => r.form['metadata[workspaceId]'] === user.workspaceId);
    expect(created?.form).toMatchObject({
      mode: 'subscription',
      'line_items[0][price]': VIRAL_MONTHLY_PRICE,
      'line_items[0][quantity]': '1',
      'metadata[planId]': 'viral',
      'metadata[billingCycle]': 'monthly',
      'subscription_data[metadata][workspaceId]': user.workspaceId,
      'subscription_data[metadata][planId]': 'viral',
      'discounts[0][promotion_code]': 'promo_test_10',
      client_reference_id: user.workspaceId,
      success_url: 'http://localhost:3000/#/billing?session_id={CHECKOUT_SESSION_ID}',
    });
    expect(created?.form).not.toHaveProperty('line_items[0][price_data][unit_amount]');
    expect(created?.headers['idempotency-key']).toEqual(expect.stringMatching(/^checkout:/));
    const customerId = created?.form.customer;
    expect(customerId).toMatch(/^cus_/);
    expect(bed.fake.sessions.get(sessionId)).toBeDefined();

    // A second checkout (yearly: an inline price) reuses the customer.
    await http()
      .post('/api/checkout/create-session')
      .set(user.auth)
      .send({ planId: 'viral', billingCycle: 'yearly' })
      .expect(200);
    const sessions = bed.fake
      .requestsTo('POST', '/v1/checkout/sessions')
      .filter((r) => r.form['metadata[workspaceId]'] === user.workspaceId);
    expect(sessions).toHaveLength(2);
    expect(sessions[1].form).toMatchObject({
      customer: customerId,
      'line_items[0][price_data][unit_amount]': '39000',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][price_data][recurring][interval]': 'year',
      allow_promotion_codes: 'true',
    });
    expect(
      bed.fake.requestsTo('POST', '/v1/customers').filter((r) => r.form['metadata[workspaceId]'] === user.workspaceId),
    ).toHaveLength(1);
  });

  it('five concurrent first checkouts of a workspace make one Stripe customer, kept for every session', async () => {
    const user = await signUp(bed.t);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        http().post('/api/checkout/create-session').set(user.auth).send({ planId: 'pro', billingCycle: 'monthly' }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const sessions = bed.fake
      .requestsTo('POST', '/v1/checkout/sessions')
      .filter((r) => r.form['metadata[workspaceId]'] === user.workspaceId);
    expect(sessions).toHaveLength(5);
    // Each request asked Stripe with the same key; Stripe (and the stand-in) answer one customer for it.
    const customers = new Set(sessions.map((r) => r.form.customer));
    expect(customers.size).toBe(1);
    const [account] = await bed.t.db.query(`SELECT stripe_customer_id FROM billing_accounts WHERE workspace_id = $1`, [
      user.workspaceId,
    ]);
    expect(account.stripe_customer_id).toBe([...customers][0]);
    const keys = bed.fake
      .requestsTo('POST', '/v1/customers')
      .filter((r) => r.form['metadata[workspaceId]'] === user.workspaceId)
      .map((r) => r.headers['idempotency-key']);
    expect(new Set(keys)).toEqual(new Set([`customer:${user.workspaceId}`]));
  });

  it('refuses an unknown plan, a plan without that cycle and an unknown affiliate code with a 400 naming which', async () => {
    const before = bed.fake.requestsTo('POST', '/v1/checkout/sessions').length;
    const plan = await http()
      .post('/api/checkout/create-session')
      .set(owner.auth)
      .send({ planId: 'platinum', billingCycle: 'monthly' });
    expectError(plan, 400, 'UNKNOWN_PLAN');
    expect(plan.body.details).toEqual([expect.objectContaining({ field: 'planId' })]);
    expect(plan.body.message).toContain('platinum');

    const free = await http()
      .post('/api/checkout/create-session')
      .set(owner.auth)
      .send({ planId: 'free', billingCycle: 'monthly' });
    expectError(free, 400, 'PLAN_NOT_FOR_SALE');

    const code = await http()
      .post('/api/checkout/create-session')
      .set(owner.auth)
      .send({ planId: 'viral', billingCycle: 'monthly', affiliateCode: 'NOPE' });
    expectError(code, 400, 'UNKNOWN_AFFILIATE_CODE');
    expect(code.body.details).toEqual([expect.objectContaining({ field: 'affiliateCode' })]);
    expect(code.body.message).toContain('NOPE');

    const cycle = await http()
      .post('/api/checkout/create-session')
      .set(owner.auth)
      .send({ planId: 'viral', billingCycle: 'weekly' });
    expectError(cycle, 400, 'VALIDATION_FAILED');
    expect(bed.fake.requestsTo('POST', '/v1/checkout/sessions')).toHaveLength(before);
  });

  it('answers session info for the workspace’s own session and 404 for another workspace’s or an unknown one', async () => {
    const created = await http()
      .post('/api/checkout/create-session')
      .set(owner.auth)
      .send({ planId: 'viral', billingCycle: 'monthly' })
      .expect(200);
    const sessionId = created.body.url.split('/').pop();
    bed.fake.complete(sessionId);
    const info = await http()
      .get('/api/checkout/session-info')
      .query({ session_id: sessionId })
      .set(owner.auth)
      .expect(200);
    expect(info.body).toEqual({
      sessionId,
      status: 'complete',
      customerEmail: 'payer@example.com',
      amountTotal: 3900,
      currency: 'usd',
      planId: 'viral',
      billingCycle: 'monthly',
    });

    const other = await signUp(bed.t);
    const foreign = await http().get('/api/checkout/session-info').query({ session_id: sessionId }).set(other.auth);
    expectError(foreign, 404, 'CHECKOUT_SESSION_NOT_FOUND');
    const unknown = await http()
      .get('/api/checkout/session-info')
      .query({ session_id: 'cs_test_unknown' })
      .set(owner.auth);
    expectError(unknown, 404, 'CHECKOUT_SESSION_NOT_FOUND');
    const malformed = await http()
      .get('/api/checkout/session-info')
      .query({ session_id: '../v1/customers' })
      .set(owner.auth);
    expectError(malformed, 400, 'VALIDATION_FAILED');
  });

  it('opens a Customer Portal session for the workspace’s customer', async () => {
    const user = await signUp(bed.t);
    const res = await http().post('/api/billing/portal').set(user.auth).expect(200);
    expect(res.body).toEqual({ url: expect.stringMatching(/^https:\/\/billing\.stripe\.com\/p\/session\/bps_/) });
    const portal = bed.fake.requestsTo('POST', '/v1/billing_portal/sessions').at(-1);
    const [customer] = bed.fake
      .requestsTo('POST', '/v1/customers')
      .filter((r) => r.form['metadata[workspaceId]'] === user.workspaceId);
    expect(customer).toBeDefined();
    expect(portal?.form).toMatchObject({ return_url: 'http://localhost:3000/#/billing' });
    expect(portal?.form.customer).toMatch(/^cus_/);
    expect(portal?.headers['idempotency-key']).toEqual(expect.stringMatching(/^portal:/));
    // The same customer again, not a new one.
    await http().post('/api/billing/portal').set(user.auth).expect(200);
    const portals = bed.fake.requestsTo('POST', '/v1/billing_portal/sessions').slice(-2);
    expect(portals[1].form.customer).toBe(portals[0].form.customer);
  });

  it('creates a one-off Checkout for a message pack, and refuses an unknown pack', async () => {
    const res = await http()
      .post('/api/billing/message-packs/checkout')
      .set(owner.auth)
      .send({ packId: 'messages-500' })
      .expect(200);
    expect(res.body.url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_pay/);
    const created = bed.fake.requestsTo('POST', '/v1/checkout/sessions').at(-1);
    expect(created?.form).toMatchObject({
      mode: 'payment',
      'line_items[0][price_data][unit_amount]': '2000',
      'line_items[0][price_data][product_data][name]': '500 AI generations',
      'metadata[workspaceId]': owner.workspaceId,
      'metadata[kind]': 'message_pack',
      'metadata[packId]': 'messages-500',
      'payment_intent_data[metadata][workspaceId]': owner.workspaceId,
    });
    expect(created?.form).not.toHaveProperty('line_items[0][price_data][recurring][interval]');
    const unknown = await http().post('/api/billing/message-packs/checkout').set(owner.auth).send({ packId: 'gold' });
    expectError(unknown, 400, 'UNKNOWN_MESSAGE_PACK');
  });

  it('answers 502 STRIPE_ERROR naming Stripe’s message when Stripe refuses a call', async () => {
    bed.fake.failures.push({ path: '/v1/billing_portal/sessions', status: 400 });
    const res = await http().post('/api/billing/portal').set(owner.auth);
    expectError(res, 502, 'STRIPE_ERROR');
    expect(res.body.message).toContain('told to refuse');
    await http().post('/api/billing/portal').set(owner.auth).expect(200);
  });

  describe('permissions', () => {
    const call = (method: string, path: string) => (method === 'post' ? http().post(path) : http().get(path));
    const routes: Array<[string, string, Record<string, unknown>?]> = [
      ['post', '/api/checkout/create-session', { planId: 'viral', billingCycle: 'monthly' }],
      ['get', '/api/checkout/session-info?session_id=cs_test_x'],
      ['post', '/api/billing/portal'],
      ['post', '/api/billing/message-packs/checkout', { packId: 'messages-100' }],
      ['get', '/api/billing/plans'],
      ['get', '/api/billing/subscription'],
      ['get', '/api/billing/invoices'],
      ['get', '/api/billing/credits'],
    ];

    it('answers 401 without credentials on every billing route', async () => {
      for (const [method, path, body] of routes) {
        const res = await call(method, path).send(body ?? {});
        expectError(res, 401);
      }
    });

    it('answers 403 to a member and a viewer, and nothing reaches Stripe', async () => {
      const member = await addMember(bed.t, owner, 'member');
      const viewer = await addMember(bed.t, owner, 'viewer');
      const before = bed.fake.requests.length;
      for (const user of [member, viewer]) {
        for (const [method, path, body] of routes) {
          const res = await call(method, path)
            .set(user.auth)
            .send(body ?? {});
          expectError(res, 403);
        }
      }
      expect(bed.fake.requests.length).toBe(before);
    });

    it('lets an admin manage billing', async () => {
      const admin = await addMember(bed.t, await signUp(bed.t), 'admin');
      await http().get('/api/billing/subscription').set(admin.auth).expect(200);
      await http().post('/api/billing/portal').set(admin.auth).expect(200);
    });
  });

  // Runs last: every create call this spec made reached the stand-in with a key of ours, not the SDK's random one.
  it('sent every Stripe create call with an idempotency key of its own', () => {
    const posts = bed.fake.requests.filter((r) => r.method === 'POST');
    expect(new Set(posts.map((r) => r.path))).toEqual(
      new Set(['/v1/customers', '/v1/checkout/sessions', '/v1/billing_portal/sessions']),
    );
    for (const post of posts) {
      expect({ path: post.path, key: post.headers['idempotency-key'] }).toEqual({
        path: post.path,
        key: expect.stringMatching(/^(customer|checkout|message-pack|portal):[0-9a-f-]{36}(:[0-9a-f-]{36})?$/),
      });
    }
  });
});
