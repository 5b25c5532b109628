import { Injectable } from '@nestjs/common';
import { badRequest, type LocalDateWindow } from '@crescendo/platform';

/** Rolling windows ending today (the `period` query of the dashboard routes). */
export const ROLLING_PERIODS = ['7d', '30d', '90d', '1y'] as const;
export type RollingPeriod = (typeof ROLLING_PERIODS)[number];
const rollingDays: Record<RollingPeriod, number> = { '7d': 7, '30d': 30, '90d': 90, '1y': 365 };

/** Calendar periods to date (`/stats/period/:period`). */
export const CALENDAR_PERIODS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type CalendarPeriod = (typeof CALENDAR_PERIODS)[number];

/** Longest explicit startDate..endDate range, in days. */
export const MAX_RANGE_DAYS = 731;

export interface ResolvedWindows {
  current: LocalDateWindow;
  /** The equal span just before `current`, for deltas. */
  previous: LocalDateWindow;
}

/** What time it is for analytics; a spec replaces it to pin "today". */
@Injectable()
export class AnalyticsClock {
  now(): Date {
    return new Date();
  }
}

/** Today's date (YYYY-MM-DD) in an IANA time zone. */
export function todayIn(timeZone: string, now: Date): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    // Building one costs more than a whole warm stats answer's other arithmetic: one per zone.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(now);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

const toUtc = (day: string) => Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10));
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  return fromUtc(toUtc(day) + days * 86_400_000);
}

/** Days from `from` to `to`, both included. */
export function spanDays(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / 86_400_000) + 1;
}

/** Every day of a window, in order. */
export function daysOf(window: LocalDateWindow): string[] {
  const days: string[] = [];
  for (let ms = toUtc(window.from), last = toUtc(window.to); ms <= last; ms += 86_400_000) days.push(fromUtc(ms));
  return days;
}

/** 400 UNKNOWN_PERIOD naming the allowed values, unless `value` is one of them. */
export function assertPeriod<T extends string>(value: string, allowed: readonly T[]): asserts value is T {
  if (!(allowed as readonly string[]).includes(value)) {
    const message = `Unknown period ${JSON.stringify(value)}: allowed values are ${allowed.join(', ')}`;
    throw badRequest('UNKNOWN_PERIOD', message, [{ field: 'period', message }]);
  }
}

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && fromUtc(toUtc(value)) === value;

/** The span just before `current`, as many days long. */
export function previousOf(current: LocalDateWindow): LocalDateWindow {
  const days = spanDays(current.from, current.to);
  return { from: addDays(current.from, -days), to: addDays(current.from, -1), timeZone: current.timeZone };
}

/**
 * A rolling period ending today, or an explicit startDate..endDate (both included, local days), which wins
 * over the period. Either both dates or neither; 400 names what is wrong.
 */
export function resolveRange(
  query: { period?: RollingPeriod; startDate?: string; endDate?: string },
  timeZone: string,
  now: Date,
): ResolvedWindows {
  if (query.period !== undefined) assertPeriod(query.period, ROLLING_PERIODS);
  if (query.startDate !== undefined || query.endDate !== undefined) {
    const problems: { field: string; message: string }[] = [];
    for (const field of ['startDate', 'endDate'] as const) {
      const value = query[field];
      if (value === undefined) problems.push({ field, message: `${field} is required with the other date` });
      else if (!isDay(value)) problems.push({ field, message: `${field} must be a date YYYY-MM-DD` });
    }
    if (!problems.length && query.startDate! > query.endDate!) {
      problems.push({ field: 'startDate', message: 'startDate must not be after endDate' });
    }
    if (!problems.length && spanDays(query.startDate!, query.endDate!) > MAX_RANGE_DAYS) {
      problems.push({ field: 'endDate', message: `the range may span at most ${MAX_RANGE_DAYS} days` });
    }
    if (problems.length) throw badRequest('INVALID_DATE_RANGE', problems.map((p) => p.message).join('; '), problems);
    const current = { from: query.startDate!, to: query.endDate!, timeZone };
    return { current, previous: previousOf(current) };
  }
  const days = rollingDays[query.period ?? '30d'];
  const today = todayIn(timeZone, now);
  const current = { from: addDays(today, 1 - days), to: today, timeZone };
  return { current, previous: previousOf(current) };
}

const weekStartIndex: Record<string, number> = { sunday: 0, monday: 1, saturday: 6 };

/**
 * The calendar period containing today, from its first day to today, and the same number of days from the
 * start of the period before (month to date against the previous month's first days, and so on).
 */
export function resolveCalendarPeriod(
  period: CalendarPeriod,
  timeZone: string,
  weekStartsOn: string,
  now: Date,
): ResolvedWindows {
  assertPeriod(period, CALENDAR_PERIODS);
  const today = todayIn(timeZone, now);
  const year = +today.slice(0, 4);
  const month = +today.slice(5, 7);
  const day = (y: number, m: number, d = 1) => fromUtc(Date.UTC(y, m - 1, d));
  let start: string;
  let previousStart: string;
  switch (period) {
    case 'day':
      start = today;
      previousStart = addDays(today, -1);
      break;
    case 'week': {
      const weekday = new Date(toUtc(today)).getUTCDay();
      start = addDays(today, -((weekday - (weekStartIndex[weekStartsOn] ?? 1) + 7) % 7));
      previousStart = addDays(start, -7);
      break;
    }
    case 'month':
      start = day(year, month);
      previousStart = day(year, month - 1);
      break;
    case 'quarter': {
      const first = month - ((month - 1) % 3);
      start = day(year, first);
      previousStart = day(year, first - 3);
      break;
    }
    case 'year':
      start = day(year, 1);
      previousStart = day(year - 1, 1);
      break;
  }
  const elapsed = spanDays(start, today);
  // The previous period may be shorter (March 31 against February): never run into the current one.
  const previousEnd =
    addDays(previousStart, elapsed - 1) < start ? addDays(previousStart, elapsed - 1) : addDays(start, -1);
  return {
    current: { from: start, to: today, timeZone },
    previous: { from: previousStart, to: previousEnd, timeZone },
  };
}
