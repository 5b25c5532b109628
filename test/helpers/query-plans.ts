import { Client } from 'pg';
import type { DataSource } from 'typeorm';

export interface RecordedStatement {
  text: string;
  values: unknown[];
}

/**
 * Every SELECT the in-process app sends to PostgreSQL while `run` executes (TypeORM and the raw pg pool both
 * go through pg's Client), so a test can ask the planner how each of a route's statements would run. `kinds`
 * widens what is recorded (an EXPLAIN the app itself sends, say).
 */
export async function recordSelects(
  run: () => Promise<unknown>,
  kinds: RegExp = /^\s*(SELECT|WITH)\b/i,
): Promise<RecordedStatement[]> {
  const recorded: RecordedStatement[] = [];
  const original = Client.prototype.query;
  Client.prototype.query = function (this: Client, config: unknown, values?: unknown, ...rest: unknown[]) {
    const text = typeof config === 'string' ? config : (config as { text?: string })?.text;
    const params = Array.isArray(values) ? values : ((config as { values?: unknown[] })?.values ?? []);
    if (text && kinds.test(text)) recorded.push({ text, values: params });
    return (original as (...args: unknown[]) => unknown).call(this, config, values, ...rest);
  } as typeof original;
  try {
    await run();
  } finally {
    Client.prototype.query = original;
  }
  return recorded;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Strategy?: string;
  'Plan Rows': number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

export interface PlanRules {
  /** Tables big enough that reading them whole is a defect. */
  largeTables: string[];
  /**
   * Most rows a Sort may take, and most rows a scan of a large table may read where no Limit stops it (under a Sort,
   * a Hash or a hashed aggregate): more means the list sorts or reads the workspace's whole filtered set instead of
   * reading an index in the list's order.
   */
  maxSortedRows?: number;
}

const scanTypes = new Set(['Seq Scan', 'Index Scan', 'Index Only Scan', 'Bitmap Heap Scan', 'Tid Scan']);

/** Nodes that read all of their input before handing the node above them a row: a Limit above them stops nothing. */
const blocking = (node: PlanNode) =>
  node['Node Type'] === 'Sort' ||
  node['Node Type'] === 'Hash' ||
  (node['Node Type'] === 'Aggregate' && node.Strategy === 'Hashed');

/** The rows a scan node read over all its loops: those it returned and those its filter or recheck dropped. */
const rowsRead = (node: PlanNode) =>
  ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) *
  (node['Actual Loops'] ?? 1);

/**
 * What is wrong with the plans of the recorded statements, each run under EXPLAIN ANALYZE (the rows actually read
 * count, not only the planner's guesses): a sequential scan of a large table that no Limit stops; a scan of a large
 * table of more than `maxSortedRows` rows that no Limit stops (a Sort, a Hash or a hashed aggregate between the Limit
 * and the scan reads all of its input first: a Seq Scan, or an index scan of the whole workspace, feeding a Sort under
 * the list's Limit is a full read); a sort of more than `maxSortedRows` rows (estimated or actual). Each problem names
 * the statement it was found in.
 */
export async function planProblems(
  db: DataSource,
  statements: RecordedStatement[],
  rules: PlanRules,
): Promise<string[]> {
  const maxSorted = rules.maxSortedRows ?? 1000;
  const problems: string[] = [];
  for (const { text, values } of statements) {
    // boundedCount runs its capped count only when the planner expects at most twice the cap: what that count reads
    // (a campaign's enrollments hashed for the join, say) is bounded by the gate, not by the table's size.
    const maxRead = CAPPED_COUNT.test(text) ? Infinity : maxSorted;
    const [row] = await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values);
    const plan = row['QUERY PLAN'][0].Plan as PlanNode;
    // A sequential scan right under a Limit stops once it has the limit's rows (the bounded count's LIMIT cap + 1):
    // the planner takes it only when matches are dense, so it reads about that many rows, not the table.
    const walk = (node: PlanNode, underLimit = false) => {
      const type = node['Node Type'];
      const bounded = (underLimit || type === 'Limit') && !blocking(node);
      const large = rules.largeTables.includes(node['Relation Name'] ?? '');
      if (type === 'Seq Scan' && !underLimit && large) {
        problems.push(`Seq Scan on ${node['Relation Name']} in: ${oneLine(text)}`);
      } else if (scanTypes.has(type) && !underLimit && large && rowsRead(node) > maxRead) {
        problems.push(`${type} reading ${rowsRead(node)} rows of ${node['Relation Name']} in: ${oneLine(text)}`);
      }
      if (type === 'Sort') {
        const input = node.Plans?.[0];
        const sorted = Math.max(
          input?.['Plan Rows'] ?? 0,
          (input?.['Actual Rows'] ?? 0) * (input?.['Actual Loops'] ?? 1),
        );
        if (sorted > maxSorted) problems.push(`Sort of ${sorted} rows in: ${oneLine(text)}`);
      }
      node.Plans?.forEach((child) => walk(child, bounded));
    };
    walk(plan);
  }
  return problems;
}

const CAPPED_COUNT = /^\s*SELECT count\(\*\)::int AS n FROM \(SELECT 1 FROM /;

const oneLine = (text: string) => text.replace(/\s+/g, ' ').slice(0, 300);

/** The indexes the planner would read for the recorded statements, each statement's in one list. */
export async function indexesRead(db: DataSource, statements: RecordedStatement[]): Promise<string[][]> {
  const read: string[][] = [];
  for (const { text, values } of statements) {
    const [row] = await db.query(`EXPLAIN (FORMAT JSON) ${text}`, values);
    const names = new Set<string>();
    const walk = (node: PlanNode) => {
      if (node['Index Name']) names.add(node['Index Name']);
      node.Plans?.forEach(walk);
    };
    walk(row['QUERY PLAN'][0].Plan as PlanNode);
    read.push([...names]);
  }
  return read;
}

/**
 * The output expressions matching `pattern` that the statement's plan computes at or below a Limit
 * (`EXPLAIN (VERBOSE)`): there, a sort or a top-N evaluates them for every row it takes in, not only for the page.
 */
export async function outputsBelowLimit(
  db: DataSource,
  { text, values }: RecordedStatement,
  pattern: RegExp,
): Promise<string[]> {
  const [row] = await db.query(`EXPLAIN (VERBOSE, FORMAT JSON) ${text}`, values);
  const found: string[] = [];
  const walk = (node: PlanNode & { Output?: string[] }, belowLimit: boolean) => {
    const below = belowLimit || node['Node Type'] === 'Limit';
    if (below) found.push(...(node.Output ?? []).filter((expression) => pattern.test(expression)));
    node.Plans?.forEach((child) => walk(child, below));
  };
  walk(row['QUERY PLAN'][0].Plan as PlanNode, false);
  return found;
}
