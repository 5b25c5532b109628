import { resolveCalendarPeriod, resolveRange } from './analytics-window';
import { timeAgo } from './human-time';

describe('analytics windows', () => {
  const now = new Date('2026-03-31T22:30:00Z'); // already April 1 in Paris

  it('ends a rolling period on today in the time zone, with the equal span before it', () => {
    expect(resolveRange({ period: '7d' }, 'Europe/Paris', now)).toEqual({
      current: { from: '2026-03-26', to: '2026-04-01', timeZone: 'Europe/Paris' },
      previous: { from: '2026-03-19', to: '2026-03-25', timeZone: 'Europe/Paris' },
    });
    expect(resolveRange({}, 'UTC', now).current).toEqual({ from: '2026-03-02', to: '2026-03-31', timeZone: 'UTC' });
  });

  it('never lets the previous calendar period run into the current one', () => {
    // March 31 to date against February, which has 28 days.
    const windows = resolveCalendarPeriod('month', 'UTC', 'monday', now);
    expect(windows.current).toMatchObject({ from: '2026-03-01', to: '2026-03-31' });
    expect(windows.previous).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
  });

  it('starts weeks on the workspace’s day', () => {
    // Wednesday 1 April 2026 in Paris.
    expect(resolveCalendarPeriod('week', 'Europe/Paris', 'sunday', now).current.from).toBe('2026-03-29');
    expect(resolveCalendarPeriod('week', 'Europe/Paris', 'monday', now).current.from).toBe('2026-03-30');
    expect(resolveCalendarPeriod('week', 'Europe/Paris', 'saturday', now).current.from).toBe('2026-03-28');
  });

  it('refuses unknown periods naming the allowed values', () => {
    expect(() => resolveCalendarPeriod('decade' as 'day', 'UTC', 'monday', now)).toThrow(
      'allowed values are day, week, month, quarter, year',
    );
  });
});

describe('timeAgo', () => {
  const now = new Date('2026-11-07T12:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it('speaks the workspace language, capitalised', () => {
    expect(timeAgo(ago(5 * 60), now, 'fr')).toBe('Il y a 5 minutes');
    expect(timeAgo(ago(2 * 3600 + 59), now, 'fr')).toBe('Il y a 2 heures');
    expect(timeAgo(ago(86_400), now, 'fr')).toBe('Hier');
    expect(timeAgo(ago(10), now, 'en')).toBe('Now');
    expect(timeAgo(ago(3 * 86_400), now, 'en-GB')).toBe('3 days ago');
  });
});
