import { cronProblem } from './cron-pattern';

describe('cronProblem', () => {
  it.each(['* * * * *', '*/5 * * * *', '0 9 * * 1-5', '15,45 8-18/2 1 1,6,12 0', '0 0 31 12 7', '0 9 * JAN MON'])(
    'accepts %s',
    (expression) => expect(cronProblem(expression)).toBeNull(),
  );

  it.each([
    ['* * * * * *', 'needs 5 fields'],
    ['* * *', 'needs 5 fields'],
    ['60 * * * *', 'minute: values go from 0 to 59'],
    ['* 24 * * *', 'hour: values go from 0 to 23'],
    ['* * 0 * *', 'day of month: values go from 1 to 31'],
    ['* * * 13 *', 'month: values go from 1 to 12'],
    ['* * * * 8', 'day of week: values go from 0 to 7'],
    ['5-1 * * * *', 'minute: range 5-1 is not from low to high'],
    ['*/0 * * * *', 'minute: step must be at least 1'],
    ['1;2 * * * *', 'minute: "1;2" is not'],
    ['0 0 31 2 *', 'that day of month never occurs'],
  ])('refuses %s', (expression, problem) => expect(cronProblem(expression)).toContain(problem));

  it('takes a seconds field only when asked', () => {
    expect(cronProblem('* * * * * *', { seconds: true })).toBeNull();
    expect(cronProblem('*/10 * * * *', { seconds: true })).toBeNull();
    expect(cronProblem('61 * * * * *', { seconds: true })).toBe('second: values go from 0 to 59');
    expect(cronProblem('* * * * * * *', { seconds: true })).toContain('needs 5 or 6 fields');
  });
});
