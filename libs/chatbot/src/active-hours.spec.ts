import { isWithinActiveHours } from './active-hours';

// 2026-03-02 is a Monday.
const at = (iso: string) => new Date(iso);

describe('isWithinActiveHours', () => {
  const weekdays9to18 = { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, from: '09:00', to: '18:00' };
  const hours = { ...weekdays9to18, days: [...weekdays9to18.days] };

  it.each([
    ['null means always', null, '2026-03-07T03:00:00Z', 'UTC', true],
    ['inside, start inclusive', hours, '2026-03-02T09:00:00Z', 'UTC', true],
    ['end exclusive', hours, '2026-03-02T18:00:00Z', 'UTC', false],
    ['before', hours, '2026-03-02T08:59:00Z', 'UTC', false],
    ['weekend day', hours, '2026-03-07T10:00:00Z', 'UTC', false],
    ['time zone applied: 08:30 UTC is 09:30 Paris', hours, '2026-03-02T08:30:00Z', 'Europe/Paris', true],
    ['time zone shifts the day: Sun 23:30 UTC is Mon 08:30 Tokyo', hours, '2026-03-01T23:30:00Z', 'Asia/Tokyo', false],
    ['Mon 01:00 UTC is Mon 10:00 Tokyo', hours, '2026-03-02T01:00:00Z', 'Asia/Tokyo', true],
  ])('%s', (_name, activeHours, now, tz, expected) => {
    expect(isWithinActiveHours(activeHours, at(now), tz)).toBe(expected);
  });

  it('a window over midnight belongs to the day it starts', () => {
    const night = { days: ['fri' as const], from: '22:00', to: '06:00' };
    expect(isWithinActiveHours(night, at('2026-03-06T23:00:00Z'), 'UTC')).toBe(true); // Fri 23:00
    expect(isWithinActiveHours(night, at('2026-03-07T05:59:00Z'), 'UTC')).toBe(true); // Sat 05:59
    expect(isWithinActiveHours(night, at('2026-03-07T06:00:00Z'), 'UTC')).toBe(false);
    expect(isWithinActiveHours(night, at('2026-03-06T05:00:00Z'), 'UTC')).toBe(false); // Fri early: Thu's window
  });
});
