/** A piece of SQL and its values, numbered from the placeholder it was built for ($first, $first + 1…). */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

/**
 * A change one feature writes inside another's statement, so that both land in one statement (one round trip,
 * atomic): its SQL reads its rows FROM `source` (a CTE of the composing statement, or null: one row), its values
 * numbered from $first.
 */
export type SqlPartBuilder = (first: number, source: string | null) => SqlPart;
