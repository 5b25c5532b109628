import { monthSplit } from './rollup.reader';

describe('monthSplit: whole months from the monthly rollup, the days around them from the daily one', () => {
  it('a year ending mid-month: the leading days, eleven whole months, the trailing days', () => {
    expect(monthSplit({ from: '2025-12-07', to: '2026-12-05' })).toEqual({
      days: [
        ['2025-12-07', '2025-12-31'],
        ['2026-12-01', '2026-12-05'],
      ],
      months: ['2026-01-01', '2026-11-01'],
    });
  });
  it('exact months (February of a leap year included) need no day', () => {
    expect(monthSplit({ from: '2028-02-01', to: '2028-02-29' })).toEqual({
      days: [],
      months: ['2028-02-01', '2028-02-01'],
    });
    expect(monthSplit({ from: '2026-01-01', to: '2026-03-31' })).toEqual({
      days: [],
      months: ['2026-01-01', '2026-03-01'],
    });
  });
  it('a window inside one month, or across a month boundary without a whole month, is days only', () => {
    expect(monthSplit({ from: '2026-11-03', to: '2026-11-20' })).toEqual({
      days: [['2026-11-03', '2026-11-20']],
      months: null,
    });
    expect(monthSplit({ from: '2026-10-15', to: '2026-11-14' })).toEqual({
      days: [['2026-10-15', '2026-11-14']],
      months: null,
    });
  });
  it('a window starting on the first of a month keeps that month whole', () => {
    expect(monthSplit({ from: '2026-10-01', to: '2026-11-14' })).toEqual({
      days: [['2026-11-01', '2026-11-14']],
      months: ['2026-10-01', '2026-10-01'],
    });
  });
});
