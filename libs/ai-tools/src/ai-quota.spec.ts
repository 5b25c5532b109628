import { quotaLimit, quotaPeriod } from './ai-quota';

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
