/**
 * An inclusive range of calendar days in an IANA time zone. Cross-cutting readers (analytics) ask owner
 * features for figures over one; the owners turn it into SQL with the helpers below.
 */
export interface LocalDateWindow {
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day (included), YYYY-MM-DD. */
  to: string;
  timeZone: string;
}

/**
 * SQL condition: `column` (timestamptz) falls inside the window's days in its time zone. Pushes its
 * parameters onto `params`. Bounds are local midnights, so a row at 23:30 UTC is on the next day in Paris.
 */
export function inLocalWindowSql(column: string, window: LocalDateWindow, params: unknown[]): string {
  const from = params.push(window.from);
  const to = params.push(window.to);
  const zone = params.push(window.timeZone);
  return (
    `${column} >= ($${from}::date::timestamp AT TIME ZONE $${zone}::text) AND ` +
    `${column} < (($${to}::date + 1)::timestamp AT TIME ZONE $${zone}::text)`
  );
}

/**
 * A window of at most two days (the live part of the stats: today, or yesterday and today until the rollups
 * close yesterday) over all its days: few rows, so joining each to its parent row by key beats hashing the
 * parent table, which the planner prefers on its estimates.
 */
export function isLiveSized(window: LocalDateWindow, days?: string[]): boolean {
  return !days && Date.parse(window.to) - Date.parse(window.from) <= 86_400_000;
}

/** SQL expression: the local calendar day (YYYY-MM-DD text) of `column` in the window's time zone. */
export function localDaySql(column: string, window: LocalDateWindow, params: unknown[]): string {
  const zone = params.push(window.timeZone);
  return `to_char(${column} AT TIME ZONE $${zone}::text, 'YYYY-MM-DD')`;
}

/**
 * A window's days as SQL, or only some of its days: `from` is a FROM-list prefix (empty, or a row per listed
 * day followed by a comma), `where` the condition on `column`, `day` the local day (YYYY-MM-DD text) of the
 * row. With `days`, each day is an index range on `column` (a nested loop), so a few scattered days of a
 * large table cost only their own rows.
 */
export function localDaysSql(
  column: string,
  window: LocalDateWindow,
  days: string[] | undefined,
  params: unknown[],
): { from: string; where: string; day: string } {
  if (!days) {
    const where = inLocalWindowSql(column, window, params);
    // The zone parameter inLocalWindowSql just pushed (an unused parameter has no type: Postgres refuses it).
    return { from: '', where, day: `to_char(${column} AT TIME ZONE $${params.length}::text, 'YYYY-MM-DD')` };
  }
  const list = params.push(days);
  const zone = params.push(window.timeZone);
  return {
    from: `unnest($${list}::date[]) AS local_day(d), `,
    where:
      `${column} >= (local_day.d::timestamp AT TIME ZONE $${zone}::text) AND ` +
      `${column} < ((local_day.d + 1)::timestamp AT TIME ZONE $${zone}::text)`,
    day: `to_char(local_day.d, 'YYYY-MM-DD')`,
  };
}
