import type { AnalyticsPeriodDto, MetricDto } from './analytics.dto';
import type { ResolvedWindows } from './analytics-window';

/** A ratio 0..1 rounded to 4 decimals; null when there is nothing to divide by. */
export function rate(numerator: number, denominator: number): number | null {
  return denominator ? Math.round((numerator / denominator) * 10_000) / 10_000 : null;
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** The period's figure beside the previous period's, with the change. */
export function metric(current: number | null, previous: number | null, decimals = 6): MetricDto {
  const change = current === null || previous === null ? null : round(current - previous, decimals);
  return {
    current,
    previous,
    change,
    changePercent: change === null || !previous ? null : round((change / previous) * 100, 1),
    unavailableReason: null,
  };
}

/** A figure whose source does not exist: null, and why. */
export function unavailable(reason: string): MetricDto {
  return { current: null, previous: null, change: null, changePercent: null, unavailableReason: reason };
}

export function periodOf(windows: ResolvedWindows): AnalyticsPeriodDto {
  return {
    from: windows.current.from,
    to: windows.current.to,
    timeZone: windows.current.timeZone,
    previousFrom: windows.previous.from,
    previousTo: windows.previous.to,
  };
}

export const sum = <T>(rows: T[], pick: (row: T) => number) => rows.reduce((total, row) => total + pick(row), 0);
