import type { EnvDto } from '@crescendo/platform';

/** The calendar month (UTC) a moment falls in, as its first day, and the moment the next one starts. */
export function quotaPeriod(now: Date): { period: string; resetAt: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const resetAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { period: start.toISOString().slice(0, 10), resetAt };
}

/** The monthly quota of a plan: free, pro, enterprise (or business); any other plan gets the free quota. */
export function quotaLimit(
  plan: string,
  env: Pick<EnvDto, 'AI_QUOTA_FREE' | 'AI_QUOTA_PRO' | 'AI_QUOTA_ENTERPRISE'>,
): number {
  switch (plan.toLowerCase()) {
    case 'pro':
      return env.AI_QUOTA_PRO;
    case 'enterprise':
    case 'business':
      return env.AI_QUOTA_ENTERPRISE;
    default:
      return env.AI_QUOTA_FREE;
  }
}
