import type { CursorPosition, CursorValues } from '../http/cursor';

/** Largest total counted exactly; beyond it lists report the planner's estimate with totalIsEstimate. */
export const EXACT_TOTAL_CAP = 10_000;

/**
 * A list's order for keyset paging: SQL expressions of the sort key, most significant first, ending with the
 * row's unique id. Every expression must be NOT NULL (wrap nullable columns in COALESCE, and index the same
 * expression), and all run in one direction, so that one row comparison `(a, id) < ($1, $2)` seeks the index.
 */
export interface KeysetOrder {
  columns: string[];
  descending: boolean;
}

export interface KeysetSql {
  /** The seek condition, or null on a first page. */
  where: string | null;
  orderBy: string;
  params: unknown[];
}

/**
 * The seek condition and ORDER BY of one page. Parameters are numbered from `firstParam` (or named by it, for a
 * query builder). Paging backwards
 * reads the rows before the position in reverse order: `keysetPage` puts them back.
 */
export function keysetSql(
  order: KeysetOrder,
  position: CursorPosition | null,
  firstParam: number | ((index: number) => string),
): KeysetSql {
  if (position && position.values.length !== order.columns.length) {
    // A cursor of this scope always has this length; another length means the order changed under it.
    throw new RangeError('cursor does not match the order');
  }
  const backwards = position?.direction === 'prev';
  const descending = order.descending !== backwards;
  const orderBy = order.columns.map((c) => `${c} ${descending ? 'DESC' : 'ASC'}`).join(', ');
  if (!position) return { where: null, orderBy, params: [] };
  const placeholder = typeof firstParam === 'number' ? (i: number) => `$${firstParam + i}` : firstParam;
  const placeholders = order.columns.map((_, i) => placeholder(i));
  const where = `(${order.columns.join(', ')}) ${descending ? '<' : '>'} (${placeholders.join(', ')})`;
  return { where, orderBy, params: position.values };
}

export interface KeysetPage<Row> {
  rows: Row[];
  /** Position after the last row, or null when nothing follows. */
  next: CursorPosition | null;
  /** Position before the first row, or null when nothing comes before. */
  prev: CursorPosition | null;
}

/**
 * Turns the `limit + 1` rows a page query fetched into the page and the positions around it. `startedAfterRows`
 * says whether rows exist before this page when it was not reached by a cursor (an OFFSET page beyond the first).
 */
export function keysetPage<Row>(
  fetched: Row[],
  limit: number,
  position: CursorPosition | null,
  valuesOf: (row: Row) => CursorValues,
  startedAfterRows = false,
): KeysetPage<Row> {
  const more = fetched.length > limit;
  const rows = fetched.slice(0, limit);
  const backwards = position?.direction === 'prev';
  if (backwards) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const before = backwards ? more : position !== null || startedAfterRows;
  const after = backwards ? true : more;
  if (!first) {
    // Nothing on this side of the position: offer the way back only.
    return {
      rows,
      next: backwards && position ? { direction: 'next', values: position.values } : null,
      prev: !backwards && position ? { direction: 'prev', values: position.values } : null,
    };
  }
  return {
    rows,
    next: after ? { direction: 'next', values: valuesOf(last) } : null,
    prev: before ? { direction: 'prev', values: valuesOf(first) } : null,
  };
}

export type Query = (text: string, params: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** How long a count verdict is reused for the same statement and parameters, and how many are kept. */
export const COUNT_VERDICT_TTL_MS = 5_000;
const COUNT_VERDICT_ENTRIES = 1_000;

type Verdict = { large: true; estimate: number; expiresAt: number } | { large: false; expiresAt: number };

/**
 * The last verdicts of `boundedCount`, per (cap, FROM … WHERE, parameters): the workspace, the list and its
 * filter. In-process and least-recently-used; a few seconds old at most.
 */
class CountVerdicts {
  private readonly entries = new Map<string, Verdict>();

  get(key: string): Verdict | undefined {
    const verdict = this.entries.get(key);
    if (!verdict) return undefined;
    this.entries.delete(key);
    if (verdict.expiresAt <= Date.now()) return undefined;
    this.entries.set(key, verdict);
    return verdict;
  }

  set(key: string, verdict: Verdict): void {
    this.entries.delete(key);
    this.entries.set(key, verdict);
    if (this.entries.size > COUNT_VERDICT_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Exported for tests only (to start from a cold cache). */
export const countVerdicts = new CountVerdicts();

/**
 * The number of rows `FROM … WHERE …` matches, with a bounded cost whatever the table's size: the planner's
 * estimate first (no rows read); when it is well beyond the cap, that estimate is the answer (flagged), else the
 * rows are counted exactly with a `LIMIT cap + 1` scan, and a count that reaches it reports the estimate instead.
 *
 * The verdict is remembered for COUNT_VERDICT_TTL_MS so that the hot path skips the EXPLAIN round trip: a
 * "large" set answers its remembered estimate (flagged: it is an estimate anyway) with no statement at all; a
 * "small" one goes straight to the capped count, which is always run, so a total under the cap stays exact and
 * current. A small set that has grown past the cap is found by that count and asks the planner again.
 */
export async function boundedCount(
  query: Query,
  fromWhere: string,
  params: unknown[],
  cap = EXACT_TOTAL_CAP,
): Promise<{ total: number; totalIsEstimate: boolean }> {
  const key = `${cap}\0${fromWhere}\0${JSON.stringify(params)}`;
  const remembered = countVerdicts.get(key);
  if (remembered?.large) return { total: remembered.estimate, totalIsEstimate: true };
  const estimateRows = async () => {
    const plan = await query(`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${fromWhere}`, params);
    return Math.round(Number(planRows(plan.rows[0]))) || 0;
  };
  const expiresAt = Date.now() + COUNT_VERDICT_TTL_MS;
  if (!remembered) {
    const estimate = await estimateRows();
    // Twice the cap: estimates of a few thousand rows are often off by half; beyond that, counting is the cost.
    if (estimate > 2 * cap) {
      countVerdicts.set(key, { large: true, estimate, expiresAt });
      return { total: estimate, totalIsEstimate: true };
    }
  }
  const { rows } = await query(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${fromWhere} LIMIT ${cap + 1}) t`,
    params,
  );
  const exact = Number(rows[0].n);
  if (exact <= cap) {
    countVerdicts.set(key, { large: false, expiresAt });
    return { total: exact, totalIsEstimate: false };
  }
  const total = Math.max(cap + 1, await estimateRows());
  countVerdicts.set(key, { large: true, estimate: total, expiresAt });
  return { total, totalIsEstimate: true };
}

function planRows(row: Record<string, unknown>): unknown {
  const value = row['QUERY PLAN'];
  const plan = (typeof value === 'string' ? JSON.parse(value) : value) as { Plan: { 'Plan Rows': number } }[];
  return plan[0].Plan['Plan Rows'];
}

/** SQL selecting a row's cursor values (exact: timestamps keep their microseconds), for `keysetPage`'s valuesOf. */
export const cursorKeySql = (order: KeysetOrder) => `json_build_array(${order.columns.join(', ')})`;

export interface KeysetPageSqlSpec {
  /** `FROM …` of the listed rows, aliased `alias`, with their `WHERE …` (filters and seek), if any. */
  from: string;
  alias: string;
  /** The select list computed on the page's rows only (over `alias`); the cursor key is added as `cursor_key`. */
  outputs: string;
  /** What the page's rows carry out of the inner SELECT: `<alias>.*` unless given. */
  rowColumns?: string;
  order: KeysetOrder;
  /** `keysetSql`'s ORDER BY. */
  orderBy: string;
  /** `LIMIT … [OFFSET …]`. */
  paging: string;
}

/**
 * One page of a keyset list, its rows first: `from` in the page's order with its LIMIT (and OFFSET) in a subquery,
 * then `outputs` and the cursor key (`cursorKeySql`) over those rows only, in the same order. Selected next to the
 * ORDER BY, they would be evaluated for every row a Sort's top-N takes in (a search or a filter no index orders)
 * and for every row an OFFSET skips: formatting timestamps (json_build_array, to_char) or running a subselect for
 * each matching row rather than for the page's.
 */
export function keysetPageSql(spec: KeysetPageSqlSpec): string {
  return `SELECT ${spec.outputs}, ${cursorKeySql(spec.order)} AS cursor_key
    FROM (SELECT ${spec.rowColumns ?? `${spec.alias}.*`} FROM ${spec.from}
           ORDER BY ${spec.orderBy} ${spec.paging}) ${spec.alias}
   ORDER BY ${spec.orderBy}`;
}
