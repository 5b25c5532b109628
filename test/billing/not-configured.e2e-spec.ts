import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { sendEvent, stripeEvent } from './billing-helpers';

const ONE_PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

describe('billing without STRIPE_SECRET_KEY', () => {
  let t: TestApp;
  let owner: TestUser;
  beforeAll(async () => {
    expect(process.env.STRIPE_SECRET_KEY ?? '').toBe('');
    t = await createTestApp();
    owner = await signUp(t);
  });
  afterAll(() => t.close());

  it('answers 503 BILLING_NOT_CONFIGURED on the routes that need Stripe, webhooks included', async () => {
    const calls = [
      t.http().post('/api/checkout/create-session').set(owner.auth).send({ planId: 'viral', billingCycle: 'monthly' }),
      t.http().get('/api/checkout/session-info').query({ session_id: 'cs_test_1' }).set(owner.auth),
      t.http().post('/api/billing/portal').set(owner.auth),
      t.http().post('/api/billing/message-packs/checkout').set(owner.auth).send({ packId: 'messages-100' }),
      sendEvent(t, stripeEvent('invoice.paid', { id: 'in_1', object: 'invoice' })),
      sendEvent(t, stripeEvent('invoice.paid', { id: 'in_1', object: 'invoice' }), {
        path: '/api/billing/stripe/webhook',
      }),
    ];
    for (const res of await Promise.all(calls)) expectError(res, 503, 'BILLING_NOT_CONFIGURED');
  });

  it('still shows the built-in catalogue (with the viral plan) and the free plan in force', async () => {
    const plans = await t.http().get('/api/billing/plans').set(owner.auth).expect(200);
    expect(plans.body.plans.map((p: { id: string }) => p.id)).toEqual(['free', 'pro', 'viral', 'enterprise']);
    const sub = await t.http().get('/api/billing/subscription').set(owner.auth).expect(200);
    expect(sub.body).toMatchObject({ plan: 'free', status: 'none', creditsBalance: 0, seats: { used: 1 } });
    expect(sub.body.usage).toEqual([
      { limit: 'aiGenerationsPerMonth', used: 0, allowed: 20 },
      { limit: 'seats', used: 1, allowed: 10 },
      { limit: 'agents', used: 0, allowed: 30 },
      { limit: 'storageMb', used: 0, allowed: 1024 },
    ]);
    // Stored files count against the storage limit, in whole megabytes rounded up.
    await t
      .http()
      .post('/api/studio/upload')
      .set(owner.auth)
      .attach('file', ONE_PIXEL_GIF, { filename: 'pixel.gif', contentType: 'image/gif' })
      .expect(200);
    const after = await t.http().get('/api/billing/subscription').set(owner.auth).expect(200);
    expect(after.body.usage).toContainEqual({ limit: 'storageMb', used: 1, allowed: 1024 });
    await t.http().get('/api/billing/invoices').set(owner.auth).expect(200);
  });
});
