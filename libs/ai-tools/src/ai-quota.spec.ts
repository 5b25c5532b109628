import { quotaLimit, quotaPeriod, quotaThresholdReached } from './ai-quota';

describe('quotaPeriod', () => {
  it('is the UTC calendar month, reset on the first of the next one', () => {
    expect(quotaPeriod(new Date('2026-11-23T18:00:00Z'))).toEqual({
      period: '2026-11-01',
      resetAt: new Date('2026-12-01T00:00:00Z'),
    });
    expect(quotaPeriod(new Date('2026-12-31T23:59:59.999Z'))).toEqual({
      period: '2026-12-01',
      resetAt: new Date('2027-01-01T00:00:00Z'),
    });
    expect(quotaPeriod(new Date('2027-01-01T00:00:00Z')).period).toBe('2027-01-01');
  });
});

describe('quotaLimit', () => {
  const env = { AI_QUOTA_FREE: 20, AI_QUOTA_PRO: 500, AI_QUOTA_ENTERPRISE: 5000 };
  it('reads the plan’s quota, business as enterprise, unknown plans as free', () => {
    expect(quotaLimit('free', env)).toBe(20);
    expect(quotaLimit('Pro', env)).toBe(500);
    expect(quotaLimit('enterprise', env)).toBe(5000);
    expect(quotaLimit('business', env)).toBe(5000);
    expect(quotaLimit('legacy', env)).toBe(20);
  });
});

describe('quotaThresholdReached', () => {
  const reached = (limit: number) =>
    Array.from({ length: limit + 1 }, (_, i) => i + 1)
      .map((used) => [used, quotaThresholdReached(used, limit)])
      .filter(([, percent]) => percent !== null);
  it('names 80 at the first count at or past 80 % of the limit, and 100 at the limit, once each', () => {
    expect(reached(5)).toEqual([
      [4, 80],
      [5, 100],
    ]);
    expect(reached(500)).toEqual([
      [400, 80],
      [500, 100],
    ]);
    expect(reached(7)).toEqual([
      [6, 80],
      [7, 100],
    ]);
  });
  it('gives a tiny quota, where 80 % is the limit itself, only 100; no quota, nothing', () => {
    expect(reached(3)).toEqual([[3, 100]]);
    expect(reached(1)).toEqual([[1, 100]]);
    expect(quotaThresholdReached(0, 0)).toBeNull();
  });
});
