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

/** SQL expression: the local calendar day (YYYY-MM-DD text) of `column` in the window's time zone. */
export function localDaySql(column: string, window: LocalDateWindow, params: unknown[]): string {
  const zone = params.push(window.timeZone);
  return `to_char(${column} AT TIME ZONE $${zone}::text, 'YYYY-MM-DD')`;
}
