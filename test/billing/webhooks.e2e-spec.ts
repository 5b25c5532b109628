import { NotificationsService } from '@crescendo/analytics';
import { addMember, expectError, signIn, signUp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import {
  BillingTestBed,
  sendEvent,
  startBillingTestBed,
  stripeEvent,
  VIRAL_MONTHLY_PRICE,
  PRO_MONTHLY_PRICE,
} from './billing-helpers';

describe('billing: Stripe webhooks applied exactly once', () => {
  let bed: BillingTestBed;
  beforeAll(async () => {
    bed = await startBillingTestBed();
  });
  afterAll(() => bed.close());

  const http = () => bed.t.http();
  const eventRows = async (id: string) =>
    (await bed.t.db.query(`SELECT id, type, workspace_id FROM stripe_events WHERE id = $1`, [id])) as unknown[];
  const subscriptionOf = async (user: TestUser) =>
    (await http().get('/api/billing/subscription').set(user.auth).expect(200)).body;

  /** A workspace with a Stripe customer (made by a first checkout) and the session it opened. */
  async function checkedOut(user: TestUser, planId = 'viral') {
    const res = await http()
      .post('/api/checkout/create-session')
      .set(user.auth)
      .send({ planId, billingCycle: 'monthly' })
      .expect(200);
    const sessionId = res.body.url.split('/').pop() as string;
    const customer = bed.fake.sessions.get(sessionId)?.customer as string;
    return { sessionId, customer };
  }

  /** The subscription as Stripe holds it, and the checkout.session.completed event that announces it. */
  function subscribe(
    user: TestUser,
    customer: string,
    sessionId: string,
    subId: string,
    priceId = VIRAL_MONTHLY_PRICE,
  ) {
    bed.fake.subscriptions.set(
      subId,
      bed.fake.subscription({
        id: subId,
        customer,
        status: 'active',
        priceId,
        metadata: { workspaceId: user.workspaceId, planId: 'viral', billingCycle: 'monthly' },
      }),
    );
    const session = bed.fake.complete(sessionId, { subscription: subId });
    return stripeEvent('checkout.session.completed', session);
  }

  describe('signature', () => {
    const event = () =>
      stripeEvent('customer.subscription.updated', { id: 'sub_nobody', object: 'subscription', customer: 'cus_x' });

    it('refuses a wrong secret, a stale timestamp, a tampered body and a missing header with 400, writing nothing', async () => {
      const cases = [
        { secret: 'whsec_someone_else' },
        { timestamp: Math.floor(Date.now() / 1000) - 600 },
        { signature: 't=1,v1=deadbeef' },
        { signature: null },
      ];
      for (const options of cases) {
        const e = event();
        const res = await sendEvent(bed.t, e, options);
        expectError(res, 400, 'STRIPE_SIGNATURE_INVALID');
        expect(await eventRows(e.id)).toEqual([]);
      }
      // Signed, then altered on the way: the raw bytes no longer match.
      const e = event();
      const payload = JSON.stringify(e);
      const { default: Stripe } = await import('stripe');
      const header = new Stripe('sk_test_x').webhooks.generateTestHeaderString({
        payload,
        secret: 'whsec_test_crescendo_billing_0123456789',
      });
      const tampered = await http()
        .post('/api/stripe-webhook')
        .set('content-type', 'application/json')
        .set('stripe-signature', header)
        .send(payload.replace('sub_nobody', 'sub_somebody'));
      expectError(tampered, 400, 'STRIPE_SIGNATURE_INVALID');
      expect(await eventRows(e.id)).toEqual([]);
    });

    it('acknowledges and records an unknown event type on both paths', async () => {
      for (const path of ['/api/stripe-webhook', '/api/billing/stripe/webhook']) {
        const e = stripeEvent('customer.tax_id.created', { id: 'txi_1', object: 'tax_id' });
        const res = await sendEvent(bed.t, e, { path }).expect(200);
        expect(res.body).toEqual({ received: true });
        expect(await eventRows(e.id)).toHaveLength(1);
      }
    });
  });

  it('checkout.session.completed puts the workspace on the plan once, even delivered ten times (five at once)', async () => {
    const user = await signUp(bed.t);
    expect((await subscriptionOf(user)).plan).toBe('free');
    const { sessionId, customer } = await checkedOut(user);
    const event = subscribe(user, customer, sessionId, 'sub_once');

    const concurrent = await Promise.all(Array.from({ length: 5 }, () => sendEvent(bed.t, event)));
    for (const res of concurrent)
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { received: true } });
    for (let i = 0; i < 5; i++) {
      await sendEvent(bed.t, event, { path: i % 2 ? '/api/billing/stripe/webhook' : '/api/stripe-webhook' }).expect(
        200,
      );
    }
    expect(await eventRows(event.id)).toEqual([
      { id: event.id, type: 'checkout.session.completed', workspace_id: user.workspaceId },
    ]);
    // The session tells the plan and cycle; the period comes with customer.subscription.created.
    expect(await subscriptionOf(user)).toMatchObject({ plan: 'viral', status: 'active', currentPeriodEnd: null });
    const created = stripeEvent(
      'customer.subscription.created',
      bed.fake.subscriptions.get('sub_once') as Record<string, unknown>,
    );
    await Promise.all(Array.from({ length: 3 }, () => sendEvent(bed.t, created).expect(200)));
    // Applied from the payloads: the webhook never asked Stripe for the subscription.
    expect(bed.fake.requestsTo('GET', '/v1/subscriptions/sub_once')).toHaveLength(0);

    const sub = await subscriptionOf(user);
    expect(sub).toMatchObject({
      plan: 'viral',
      planName: 'Viral',
      status: 'active',
      billingCycle: 'monthly',
      cancelAtPeriodEnd: false,
      currentPeriodEnd: expect.any(String),
      seats: { used: 1, allowed: 25 },
      creditsBalance: 0,
      limits: { aiGenerationsPerMonth: 2000, seats: 25, agents: null, storageMb: null },
    });
    expect(sub.usage).toEqual(expect.arrayContaining([{ limit: 'aiGenerationsPerMonth', used: 0, allowed: 2000 }]));
    // The AI quota follows the plan, and the sign-in answer tells the plan.
    const quota = await http().get('/api/content/ai-generate/quota').set(user.auth).expect(200);
    expect(JSON.stringify(quota.body)).toContain('2000');
    const login = await http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', user.ip)
      .send({ email: user.email, password: user.password, tokenDelivery: 'body' })
      .expect(200);
    expect(login.body.user.subscription).toBe('viral');
    const me = await http().get('/api/auth/me').set(user.auth).expect(200);
    expect(me.body.user.subscription).toBe('viral');
  });

  it('seats follow the plan: past the free plan’s seats an invitation is a 403, after the upgrade it goes through', async () => {
    const user = await signUp(bed.t);
    // The test catalogue's free plan has 3 seats: the owner and two more.
    await addMember(bed.t, user, 'member');
    const viewer = await addMember(bed.t, user, 'viewer');
    const invite = (label: string) =>
      http()
        .post('/api/users')
        .set(user.auth)
        .send({ email: `${label}-${user.id}@crescendo.test`, name: label, role: 'member' });
    const refused = await invite('fourth');
    expectError(refused, 403, 'SEAT_LIMIT_REACHED');
    expect(refused.body.details).toEqual([{ field: 'seats', message: '3 of 3 seats taken' }]);
    expect(await subscriptionOf(user)).toMatchObject({ seats: { used: 3, allowed: 3 } });
    // A deactivated member frees a seat; reactivating needs one.
    await http().put(`/api/users/${viewer.id}/status`).set(user.auth).send({ status: 'inactive' }).expect(200);
    await invite('third').expect(201);
    expectError(
      await http().put(`/api/users/${viewer.id}/status`).set(user.auth).send({ status: 'active' }),
      403,
      'SEAT_LIMIT_REACHED',
    );

    const { sessionId, customer } = await checkedOut(user);
    await sendEvent(bed.t, subscribe(user, customer, sessionId, 'sub_seats')).expect(200);
    await invite('fourth').expect(201);
    await http().put(`/api/users/${viewer.id}/status`).set(user.auth).send({ status: 'active' }).expect(200);
    expect(await subscriptionOf(user)).toMatchObject({ plan: 'viral', seats: { used: 5, allowed: 25 } });
  });

  it('subscription events converge to Stripe’s state whatever their order, and cancel means free at the end', async () => {
    const user = await signUp(bed.t);
    const { sessionId, customer } = await checkedOut(user);
    await sendEvent(bed.t, subscribe(user, customer, sessionId, 'sub_order')).expect(200);
    const base = {
      id: 'sub_order',
      customer,
      priceId: VIRAL_MONTHLY_PRICE,
      metadata: { workspaceId: user.workspaceId, planId: 'viral' },
    };

    // Upgrade to pro through the portal: Stripe now says pro.
    bed.fake.subscriptions.set(
      'sub_order',
      bed.fake.subscription({ ...base, status: 'active', priceId: PRO_MONTHLY_PRICE }),
    );
    // Stripe produced the viral state a minute before the pro one.
    const stale = stripeEvent(
      'customer.subscription.updated',
      bed.fake.subscription({ ...base, status: 'active' }),
      undefined,
      Math.floor(Date.now() / 1000) - 60,
    );
    const fresh = stripeEvent(
      'customer.subscription.updated',
      bed.fake.subscriptions.get('sub_order') as Record<string, unknown>,
    );
    // The newer event arrives first, the older one after it: the plan stays what Stripe says.
    await sendEvent(bed.t, fresh).expect(200);
    await sendEvent(bed.t, stale).expect(200);
    expect(await subscriptionOf(user)).toMatchObject({ plan: 'pro', status: 'active' });

    // Cancel at period end: still pro until Stripe deletes it.
    bed.fake.subscriptions.set(
      'sub_order',
      bed.fake.subscription({ ...base, status: 'active', priceId: PRO_MONTHLY_PRICE, cancelAtPeriodEnd: true }),
    );
    await sendEvent(
      bed.t,
      stripeEvent('customer.subscription.updated', bed.fake.subscriptions.get('sub_order') as Record<string, unknown>),
    ).expect(200);
    expect(await subscriptionOf(user)).toMatchObject({ plan: 'pro', cancelAtPeriodEnd: true });

    bed.fake.subscriptions.set(
      'sub_order',
      bed.fake.subscription({ ...base, status: 'canceled', priceId: PRO_MONTHLY_PRICE }),
    );
    await sendEvent(
      bed.t,
      stripeEvent('customer.subscription.deleted', bed.fake.subscriptions.get('sub_order') as Record<string, unknown>),
    ).expect(200);
    // A late "updated" still showing it active changes nothing: Stripe says canceled.
    await sendEvent(bed.t, stale).expect(200);
    await sendEvent(
      bed.t,
      stripeEvent('customer.subscription.updated', bed.fake.subscription({ ...base, status: 'active' })),
    ).expect(200);
    expect(await subscriptionOf(user)).toMatchObject({ plan: 'free', status: 'canceled' });
    expect(bed.fake.requests.filter((r) => r.path.startsWith('/v1/subscriptions'))).toEqual([]);
    const signedIn = await signIn(bed.t, user.email, user.password);
    const me = await http().get('/api/auth/me').set(signedIn.auth).expect(200);
    expect(me.body.user.subscription).toBe('free');
  });

  it('invoice.payment_failed mails each owner and admin in their language, the amount written their way', async () => {
    const owner = await signUp(bed.t);
    await http().put('/api/management/settings').set(owner.auth).send({ language: 'fr' }).expect(200);
    const { sessionId, customer } = await checkedOut(owner);
    await sendEvent(bed.t, subscribe(owner, customer, sessionId, 'sub_languages')).expect(200);
    const admin = await addMember(bed.t, owner, 'admin');
    await http().put('/api/management/settings').set(admin.auth).send({ language: 'en' }).expect(200);
    const invoice = {
      id: 'in_languages',
      object: 'invoice',
      customer,
      number: 'NUM-languages',
      status: 'open',
      amount_due: 3900,
      amount_paid: 0,
      currency: 'eur',
      created: Math.floor(Date.now() / 1000),
      hosted_invoice_url: 'https://invoice.stripe.com/i/in_languages',
      invoice_pdf: null,
      metadata: {},
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: 'sub_languages', metadata: { workspaceId: owner.workspaceId } },
      },
    };
    await sendEvent(bed.t, stripeEvent('invoice.payment_failed', invoice)).expect(200);
    const mails: { to: string; subject: string; text: string }[] = await bed.t.db.query(
      `SELECT "to", subject, text FROM mail_outbox WHERE "to" = ANY($1) AND template = 'billing_payment_failed'`,
      [[owner.email, admin.email]],
    );
    const to = Object.fromEntries(mails.map((m) => [m.to, m]));
    expect(to[owner.email].subject).toBe('Votre paiement Crescendo a échoué');
    expect(to[owner.email].text).toMatch(/Le paiement de 39,00\s€ pour votre abonnement Crescendo a échoué/);
    expect(to[admin.email].subject).toBe('Your Crescendo payment failed');
    expect(to[admin.email].text).toContain('The payment of €39.00 for your Crescendo subscription failed');
    for (const mail of mails) expect(mail.text).toContain('https://invoice.stripe.com/i/in_languages');
  });

  it('invoice.paid lists the invoice; invoice.payment_failed makes the subscription past_due and mails the owner once', async () => {
    const user = await signUp(bed.t);
    const { sessionId, customer } = await checkedOut(user);
    await sendEvent(bed.t, subscribe(user, customer, sessionId, 'sub_invoices')).expect(200);
    const invoice = (id: string, status: string, created: number) => ({
      id,
      object: 'invoice',
      customer,
      number: `NUM-${id}`,
      status,
      amount_due: 3900,
      amount_paid: status === 'paid' ? 3900 : 0,
      currency: 'usd',
      created,
      hosted_invoice_url: `https://invoice.stripe.com/i/${id}`,
      invoice_pdf: `https://pay.stripe.com/invoice/${id}/pdf`,
      metadata: {},
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: 'sub_invoices', metadata: { workspaceId: user.workspaceId } },
      },
    });
    const now = Math.floor(Date.now() / 1000);
    await sendEvent(bed.t, stripeEvent('invoice.paid', invoice('in_1', 'paid', now - 300))).expect(200);
    await sendEvent(bed.t, stripeEvent('invoice.payment_succeeded', invoice('in_2', 'paid', now - 200))).expect(200);
    const failed = stripeEvent('invoice.payment_failed', invoice('in_3', 'open', now - 100));
    await Promise.all([sendEvent(bed.t, failed), sendEvent(bed.t, failed), sendEvent(bed.t, failed)]);
    await sendEvent(bed.t, failed).expect(200);

    expect(await subscriptionOf(user)).toMatchObject({ plan: 'viral', status: 'past_due' });
    const mails = await bed.t.db.query(`SELECT subject, template FROM mail_outbox WHERE "to" = $1 AND template = $2`, [
      user.email,
      'billing_payment_failed',
    ]);
    expect(mails).toEqual([{ subject: 'Your Crescendo payment failed', template: 'billing_payment_failed' }]);
    // In-app notifications: the plan the checkout started, each invoice paid once (a replayed event writes none
    // again), the failure once.
    const notes = await bed.t.db.query(
      `SELECT kind, level, message, data->>'invoiceId' AS invoice FROM notifications WHERE workspace_id = $1
        ORDER BY created_at, kind`,
      [user.workspaceId],
    );
    expect(notes).toEqual([
      {
        kind: 'billing.plan_changed',
        level: 'info',
        message: 'Your workspace is now on the Viral plan',
        invoice: null,
      },
      {
        kind: 'billing.payment_succeeded',
        level: 'success',
        message: 'Payment of $39.00 received, thank you',
        invoice: 'in_1',
      },
      {
        kind: 'billing.payment_succeeded',
        level: 'success',
        message: 'Payment of $39.00 received, thank you',
        invoice: 'in_2',
      },
      {
        kind: 'billing.payment_failed',
        level: 'error',
        message: 'The payment of $39.00 failed: update your payment method to keep your plan',
        invoice: 'in_3',
      },
    ]);
    // A replay of a paid invoice's other event (invoice.paid after invoice.payment_succeeded) notifies nothing new.
    await sendEvent(bed.t, stripeEvent('invoice.paid', invoice('in_2', 'paid', now - 200))).expect(200);
    const [{ n }] = await bed.t.db.query(
      `SELECT count(*)::int AS n FROM notifications WHERE workspace_id = $1 AND kind = 'billing.payment_succeeded'`,
      [user.workspaceId],
    );
    expect(n).toBe(2);

    // Invoices page by cursor, newest first.
    const first = await http().get('/api/billing/invoices').query({ limit: 2 }).set(user.auth).expect(200);
    expect(first.body.data.map((i: { stripeInvoiceId: string }) => i.stripeInvoiceId)).toEqual(['in_3', 'in_2']);
    expect(first.body.data[0]).toMatchObject({
      number: 'NUM-in_3',
      status: 'open',
      amountDue: 3900,
      amountPaid: 0,
      currency: 'usd',
      hostedInvoiceUrl: 'https://invoice.stripe.com/i/in_3',
      invoicePdf: 'https://pay.stripe.com/invoice/in_3/pdf',
    });
    expect(first.body.pagination).toMatchObject({
      page: 1,
      limit: 2,
      total: 3,
      pages: 2,
      nextCursor: expect.any(String),
    });
    const second = await http()
      .get('/api/billing/invoices')
      .query({ limit: 2, cursor: first.body.pagination.nextCursor })
      .set(user.auth)
      .expect(200);
    expect(second.body.data.map((i: { stripeInvoiceId: string }) => i.stripeInvoiceId)).toEqual(['in_1']);
    expect(second.body.pagination.nextCursor).toBeNull();
    const page2 = await http().get('/api/billing/invoices').query({ limit: 2, page: 2 }).set(user.auth).expect(200);
    expect(page2.body.data.map((i: { stripeInvoiceId: string }) => i.stripeInvoiceId)).toEqual(['in_1']);

    // Paid again: back to active; another workspace sees none of it. The notification settings' switch is off:
    // no payment notification this time.
    await http()
      .put('/api/settings/notifications')
      .set(user.auth)
      .send({ inApp: { paymentSucceeded: false } })
      .expect(200);
    await sendEvent(bed.t, stripeEvent('invoice.paid', invoice('in_3', 'paid', now - 100))).expect(200);
    expect(await subscriptionOf(user)).toMatchObject({ status: 'active' });
    const [{ m }] = await bed.t.db.query(
      `SELECT count(*)::int AS m FROM notifications WHERE workspace_id = $1 AND kind = 'billing.payment_succeeded'`,
      [user.workspaceId],
    );
    expect(m).toBe(2);
    const other = await signUp(bed.t);
    const none = await http().get('/api/billing/invoices').set(other.auth).expect(200);
    expect(none.body.data).toEqual([]);
    const foreignCursor = await http()
      .get('/api/billing/invoices')
      .query({ cursor: first.body.pagination.nextCursor })
      .set(other.auth);
    expectError(foreignCursor, 400, 'INVALID_CURSOR');
  });

  it('a paid invoice outside a subscription is listed and notified by the statement that claims it: once, announced', async () => {
    const user = await signUp(bed.t);
    const notifications = bed.t.app.get(NotificationsService);
    await notifications.ready();
    const heard: string[] = [];
    const stop = notifications.listen(user.workspaceId, (n) => heard.push(`${n.kind} ${n.data.invoiceId}`));
    const invoice = (id: string) => ({
      id,
      object: 'invoice',
      customer: null,
      number: `NUM-${id}`,
      status: 'paid',
      amount_due: 3900,
      amount_paid: 3900,
      currency: 'usd',
      created: Math.floor(Date.now() / 1000),
      hosted_invoice_url: null,
      invoice_pdf: null,
      metadata: { workspaceId: user.workspaceId },
      parent: null,
    });
    const paid = stripeEvent('invoice.paid', invoice('in_alone_1'));
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => sendEvent(bed.t, paid)));
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await sendEvent(bed.t, paid).expect(200);
    // The same payment's other event: the invoice refreshed, no second notification.
    await sendEvent(bed.t, stripeEvent('invoice.payment_succeeded', invoice('in_alone_1'))).expect(200);
    const notes = () =>
      bed.t.db.query(
        `SELECT kind, level, message, data->>'invoiceId' AS invoice FROM notifications WHERE workspace_id = $1`,
        [user.workspaceId],
      );
    expect(await notes()).toEqual([
      {
        kind: 'billing.payment_succeeded',
        level: 'success',
        message: 'Payment of $39.00 received, thank you',
        invoice: 'in_alone_1',
      },
    ]);
    // Announced once to the workspace's open streams (through Redis, so it may land just after the answer).
    await waitFor('the announcement', async () => (heard.length ? true : undefined));
    await sendEvent(bed.t, paid).expect(200);
    expect(heard).toEqual(['billing.payment_succeeded in_alone_1']);

    // The workspace's in-app switch off: the statement lists the invoice and writes no notification.
    await http()
      .put('/api/settings/notifications')
      .set(user.auth)
      .send({ inApp: { paymentSucceeded: false } })
      .expect(200);
    await sendEvent(bed.t, stripeEvent('invoice.paid', invoice('in_alone_2'))).expect(200);
    const listed = await http().get('/api/billing/invoices').set(user.auth).expect(200);
    expect(listed.body.data.map((i: { stripeInvoiceId: string }) => i.stripeInvoiceId).sort()).toEqual([
      'in_alone_1',
      'in_alone_2',
    ]);
    expect(await notes()).toHaveLength(1);
    stop();
  });

  it('a message pack adds credits once, and a refund takes the unused credits back', async () => {
    const user = await signUp(bed.t);
    const res = await http()
      .post('/api/billing/message-packs/checkout')
      .set(user.auth)
      .send({ packId: 'messages-100' })
      .expect(200);
    const sessionId = res.body.url.split('/').pop() as string;
    const session = bed.fake.complete(sessionId, { payment_intent: `pi_${sessionId}` });
    const paid = stripeEvent('checkout.session.completed', session);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => sendEvent(bed.t, paid)));
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (let i = 0; i < 5; i++) await sendEvent(bed.t, paid).expect(200);
    expect((await subscriptionOf(user)).creditsBalance).toBe(100);

    // A second pack, then half of the first refunded: 50 credits go back.
    const res2 = await http()
      .post('/api/billing/message-packs/checkout')
      .set(user.auth)
      .send({ packId: 'messages-100' })
      .expect(200);
    const session2 = bed.fake.complete(res2.body.url.split('/').pop() as string, { payment_intent: 'pi_second' });
    await sendEvent(bed.t, stripeEvent('checkout.session.completed', session2)).expect(200);
    const charge = (refunded: number) => ({
      id: `ch_${sessionId}`,
      object: 'charge',
      amount: 500,
      amount_refunded: refunded,
      currency: 'usd',
      customer: session.customer,
      payment_intent: `pi_${sessionId}`,
      metadata: { workspaceId: user.workspaceId },
    });
    const half = stripeEvent('charge.refunded', charge(250));
    await sendEvent(bed.t, half).expect(200);
    await sendEvent(bed.t, half).expect(200);
    expect((await subscriptionOf(user)).creditsBalance).toBe(150);
    // Then the rest: the first pack's other 50.
    await sendEvent(bed.t, stripeEvent('charge.refunded', charge(500))).expect(200);
    expect((await subscriptionOf(user)).creditsBalance).toBe(100);

    const credits = await http().get('/api/billing/credits').query({ limit: 2 }).set(user.auth).expect(200);
    expect(credits.body.data.map((c: { kind: string; delta: number }) => [c.kind, c.delta])).toEqual([
      ['refund', -50],
      ['refund', -50],
    ]);
    expect(credits.body.pagination).toMatchObject({ total: 4, pages: 2 });
    const rest = await http()
      .get('/api/billing/credits')
      .query({ limit: 2, cursor: credits.body.pagination.nextCursor })
      .set(user.auth)
      .expect(200);
    expect(rest.body.data).toEqual([
      expect.objectContaining({ kind: 'purchase', delta: 100, balanceAfter: 200, packId: 'messages-100' }),
      expect.objectContaining({ kind: 'purchase', delta: 100, balanceAfter: 100, amount: 500, currency: 'usd' }),
    ]);
  });

  it('records an event for an unknown workspace without any effect', async () => {
    const e = stripeEvent('customer.subscription.updated', {
      id: 'sub_stranger',
      object: 'subscription',
      customer: 'cus_stranger',
      metadata: {},
    });
    await sendEvent(bed.t, e).expect(200);
    expect(await eventRows(e.id)).toEqual([{ id: e.id, type: 'customer.subscription.updated', workspace_id: null }]);
    expect(bed.fake.requestsTo('GET', '/v1/subscriptions/sub_stranger')).toHaveLength(0);

    // A well-formed id of no workspace: the one-statement paths (a pack, an invoice) are refused by the
    // foreign key and the event is recorded alone, once.
    const nobody = '00000000-0000-4000-8000-000000000000';
    const pack = stripeEvent('checkout.session.completed', {
      id: 'cs_test_nobody',
      object: 'checkout.session',
      mode: 'payment',
      payment_status: 'paid',
      customer: null,
      payment_intent: 'pi_nobody',
      amount_total: 500,
      currency: 'usd',
      metadata: { workspaceId: nobody, kind: 'message_pack', packId: 'messages-100' },
    });
    const invoice = stripeEvent('invoice.paid', {
      id: 'in_nobody',
      object: 'invoice',
      customer: null,
      status: 'paid',
      amount_due: 100,
      amount_paid: 100,
      currency: 'usd',
      created: Math.floor(Date.now() / 1000),
      metadata: { workspaceId: nobody },
      parent: null,
    });
    for (const e of [pack, invoice, pack]) await sendEvent(bed.t, e).expect(200);
    expect(await eventRows(pack.id)).toEqual([{ id: pack.id, type: 'checkout.session.completed', workspace_id: null }]);
    expect(await eventRows(invoice.id)).toEqual([{ id: invoice.id, type: 'invoice.paid', workspace_id: null }]);
    const effects = await bed.t.db.query(
      `SELECT (SELECT count(*) FROM credit_ledger WHERE reference = 'pi_nobody')::int AS credits,
              (SELECT count(*) FROM billing_invoices WHERE stripe_invoice_id = 'in_nobody')::int AS invoices`,
    );
    expect(effects).toEqual([{ credits: 0, invoices: 0 }]);
  });
});
