import { billingCatalogue, effectivePlan, findPlan } from './billing-catalogue';
import { ConfigError, loadEnv } from './config.service';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/crescendo',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(32),
  SETTINGS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  CRON_SECRET: 'y'.repeat(16),
};
const free = {
  id: 'free',
  name: 'Free',
  prices: {},
  limits: { aiGenerationsPerMonth: 5, seats: 1, agents: 1, storageMb: 1 },
};

describe('billing catalogue', () => {
  it('defaults to free, pro, viral and enterprise, with AI_QUOTA_* as the free/pro/enterprise quotas', () => {
    const env = loadEnv({ ...valid, AI_QUOTA_PRO: '700' });
    const catalogue = billingCatalogue(env);
    expect(catalogue.plans.map((p) => p.id)).toEqual(['free', 'pro', 'viral', 'enterprise']);
    expect(findPlan(catalogue, 'pro')?.limits.aiGenerationsPerMonth).toBe(700);
    expect(findPlan(catalogue, 'viral')?.prices.monthly).toEqual({ amount: 3900, currency: 'usd' });
    expect(findPlan(catalogue, 'Business')?.id).toBe('enterprise');
    expect(effectivePlan(catalogue, 'legacy').id).toBe('free');
    expect(catalogue.messagePacks.length).toBeGreaterThan(0);
  });

  it('reads BILLING_PLANS and BILLING_MESSAGE_PACKS as JSON', () => {
    const viral = {
      id: 'viral',
      name: 'Viral',
      prices: { monthly: { amount: 3900, currency: 'usd', stripePriceId: 'price_1' } },
      limits: { aiGenerationsPerMonth: 900, seats: null, agents: 3, storageMb: null },
    };
    const pack = { id: 'p10', name: 'Ten', credits: 10, price: { amount: 100, currency: 'eur' } };
    const env = loadEnv({
      ...valid,
      BILLING_PLANS: JSON.stringify([free, viral]),
      BILLING_MESSAGE_PACKS: JSON.stringify([pack]),
    });
    expect(billingCatalogue(env)).toEqual({ plans: [free, viral], messagePacks: [pack] });
  });

  it.each([
    ['BILLING_PLANS', 'not json', 'JSON array'],
    ['BILLING_PLANS', JSON.stringify([{ ...free, id: 'pro' }]), 'must include the free plan'],
    ['BILLING_PLANS', JSON.stringify([free, free]), 'listed twice'],
    [
      'BILLING_PLANS',
      JSON.stringify([free, { ...free, id: 'pro', prices: { weekly: { amount: 1, currency: 'usd' } } }]),
      'weekly',
    ],
    [
      'BILLING_PLANS',
      JSON.stringify([free, { ...free, id: 'pro', prices: { monthly: { amount: -1, currency: 'usd' } } }]),
      'amount',
    ],
    ['BILLING_PLANS', JSON.stringify([{ ...free, limits: { ...free.limits, seats: -2 } }]), 'seats'],
    [
      'BILLING_MESSAGE_PACKS',
      JSON.stringify([{ id: 'p', name: 'P', credits: 0, price: { amount: 1, currency: 'usd' } }]),
      'credits',
    ],
  ])('stops naming %s when it is %s', (name, value, reason) => {
    expect(() => loadEnv({ ...valid, [name]: value })).toThrow(ConfigError);
    expect(() => loadEnv({ ...valid, [name]: value })).toThrow(new RegExp(`${name}[\\s\\S]*${reason}`));
  });
});
