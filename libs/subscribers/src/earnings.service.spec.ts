import { EarningType } from './subscribers.types';
import { summarize } from './earnings.service';
import { isCurrency } from './money';

describe('summarize', () => {
  it('splits gross and refunds, fills every type, and reads pg bigint strings as numbers', () => {
    const totals = summarize(
      [
        { type: EarningType.Tip, amount: '1500', count: 2 },
        { type: EarningType.Subscription, amount: 999, count: 1 },
        { type: EarningType.Refund, amount: '-500', count: 1 },
      ],
      [],
    );
    expect(totals).toEqual({
      gross: 2499,
      refunds: -500,
      net: 1999,
      count: 4,
      byType: {
        subscription: { amount: 999, count: 1 },
        tip: { amount: 1500, count: 2 },
        message: { amount: 0, count: 0 },
        pay_per_view: { amount: 0, count: 0 },
        other: { amount: 0, count: 0 },
        refund: { amount: -500, count: 1 },
      },
      byPeriod: [],
    });
  });

  it('is all zeros without rows', () => {
    expect(summarize([], [])).toMatchObject({ gross: 0, refunds: 0, net: 0, count: 0 });
  });
});

describe('isCurrency', () => {
  it('accepts ISO 4217 codes only, upper-case', () => {
    expect(['USD', 'EUR', 'JPY', 'GBP'].every(isCurrency)).toBe(true);
    expect(['usd', 'XYZ', 'EURO', '', 12, null].some(isCurrency)).toBe(false);
  });
});
