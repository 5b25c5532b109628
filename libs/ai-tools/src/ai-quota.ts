import { billingCatalogue, effectivePlan, type BillingCatalogueEnv } from '@crescendo/platform';
import { AI_QUOTA_THRESHOLDS } from './ai-tools.events';

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

/**
 * The threshold (per cent of the limit) the month's count reaches with the unit that made it `used`, if any:
 * the first count at or past 80 % of the limit, and the limit itself. A threshold below one unit's share of a
 * tiny quota (80 % of 1) is the limit's own.
 */
export function quotaThresholdReached(used: number, limit: number): (typeof AI_QUOTA_THRESHOLDS)[number] | null {
  if (limit <= 0) return null;
  for (const percent of [...AI_QUOTA_THRESHOLDS].reverse()) {
    if (used === Math.ceil((limit * percent) / 100)) return percent;
  }
  return null;
}
