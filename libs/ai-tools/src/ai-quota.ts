import { billingCatalogue, effectivePlan, type BillingCatalogueEnv } from '@crescendo/platform';

/** The calendar month (UTC) a moment falls in, as its first day, and the moment the next one starts. */
export function quotaPeriod(now: Date): { period: string; resetAt: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const resetAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { period: start.toISOString().slice(0, 10), resetAt };
}

/**
 * The monthly quota of a plan, from the plan catalogue (BILLING_PLANS, or the built-in plans whose free, pro
 * and enterprise quotas are AI_QUOTA_*); `business` is read as enterprise, any unknown plan gets the free quota.
 */
export function quotaLimit(plan: string, env: BillingCatalogueEnv): number {
  return effectivePlan(billingCatalogue(env), plan).limits.aiGenerationsPerMonth;
}
