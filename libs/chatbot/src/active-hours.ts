import { badRequest } from '@crescendo/platform';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/**
 * When a rule may answer, in a time zone: on `days`, from `from` (inclusive) to `to` (exclusive), HH:mm.
 * `from` after `to` spans midnight: 22:00–06:00 on fri covers Friday 22:00 to Saturday 06:00.
 */
export interface ActiveHours {
  days: Weekday[];
  from: string;
  to: string;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** 400 INVALID_ACTIVE_HOURS for an empty window (from = to). Formats are checked by the DTO. */
export function assertActiveHours(hours: ActiveHours): void {
  if (hours.from === hours.to)
    throw badRequest('INVALID_ACTIVE_HOURS', 'activeHours.from and activeHours.to must differ', [
      { field: 'activeHours.to', message: 'must differ from activeHours.from (use null for always)' },
    ]);
}

/** The weekday (mon…sun) and minute of the day of `now` in `timeZone`. */
export function localTime(now: Date, timeZone: string): { day: Weekday; minute: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return {
    day: String(parts.weekday).toLowerCase().slice(0, 3) as Weekday,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

export function isWithinActiveHours(hours: ActiveHours | null, now: Date, timeZone: string): boolean {
  if (!hours) return true;
  const { day, minute } = localTime(now, timeZone);
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  if (from < to) return hours.days.includes(day) && minute >= from && minute < to;
  const previous = weekdays[(weekdays.indexOf(day) + 6) % 7];
  return (hours.days.includes(day) && minute >= from) || (hours.days.includes(previous) && minute < to);
}
