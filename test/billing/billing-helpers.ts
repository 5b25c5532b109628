import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { FakeStripe } from '../helpers/fake-stripe';
import { createTestApp, TestApp } from '../helpers/test-app';

export const STRIPE_KEY = 'sk_test_crescendo_billing';
export const WEBHOOK_SECRET = 'whsec_test_crescendo_billing_0123456789';
export const VIRAL_MONTHLY_PRICE = 'price_viral_monthly';
export const PRO_MONTHLY_PRICE = 'price_pro_monthly';

/** A catalogue with configured Stripe prices for monthly cycles and inline prices for yearly ones. */
export const TEST_PLANS = [
  { id: 'free', name: 'Free', prices: {}, limits: { aiGenerationsPerMonth: 20, seats: 3, agents: 2, storageMb: 100 } },
  {
    id: 'pro',
    name: 'Pro',
    prices: {
      monthly: { amount: 1900, currency: 'usd', stripePriceId: PRO_MONTHLY_PRICE },
      yearly: { amount: 19000, currency: 'usd' },
    },
    limits: { aiGenerationsPerMonth: 500, seats: 10, agents: 10, storageMb: 1000 },
  },
  {
    id: 'viral',
    name: 'Viral',
    prices: {
      monthly: { amount: 3900, currency: 'usd', stripePriceId: VIRAL_MONTHLY_PRICE },
      yearly: { amount: 39000, currency: 'usd' },
    },
    limits: { aiGenerationsPerMonth: 2000, seats: 25, agents: null, storageMb: null },
  },
];

export interface BillingTestBed {
  t: TestApp;
  fake: FakeStripe;
  close: () => Promise<void>;
}

/** The API with Stripe configured and pointed at a local stand-in; the variables are restored on close. */
export async function startBillingTestBed(extraEnv: Record<string, string> = {}): Promise<BillingTestBed> {
  const fake = await FakeStripe.start();
  fake.priceAmounts.set(VIRAL_MONTHLY_PRICE, 3900);
  fake.priceAmounts.set(PRO_MONTHLY_PRICE, 1900);
  const env: Record<string, string> = {
    STRIPE_SECRET_KEY: STRIPE_KEY,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    BILLING_PLANS: JSON.stringify(TEST_PLANS),
    ...fake.env(),
    ...extraEnv,
  };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  const restore = () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  let t: TestApp | undefined;
  const close = async () => {
    await t?.close();
    await fake.close();
    restore();
  };
  try {
    t = await createTestApp();
  } catch (error) {
    await close();
    throw error;
  }
  return { t, fake, close };
}

/** Only for signing test payloads: no call goes out through it. */
const signer = new Stripe('sk_test_signer_only');

export const newEventId = () => `evt_${randomBytes(8).toString('hex')}`;

/** An event as Stripe sends it; `created` (unix seconds, default now) is when Stripe produced it. */
export function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  id = newEventId(),
  created = Math.floor(Date.now() / 1000),
) {
  return {
    id,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

export interface SendOptions {
  secret?: string;
  /** Unix seconds the signature claims. */
  timestamp?: number;
  signature?: string | null;
  path?: string;
}

/** POSTs an event as Stripe would: the exact JSON bytes, signed with the SDK's test header helper. */
export function sendEvent(t: TestApp, event: unknown, options: SendOptions = {}) {
  const payload = JSON.stringify(event);
  const header =
    options.signature !== undefined
      ? options.signature
      : signer.webhooks.generateTestHeaderString({
          payload,
          secret: options.secret ?? WEBHOOK_SECRET,
          timestamp: options.timestamp,
        });
  const req = t
    .http()
    .post(options.path ?? '/api/stripe-webhook')
    .set('content-type', 'application/json');
  if (header !== null) req.set('stripe-signature', header);
  return req.send(payload);
}
