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
  'Plan Rows': number;
  Plans?: PlanNode[];
}

export interface PlanRules {
  /** Tables big enough that reading them whole is a defect. */
  largeTables: string[];
  /** Most rows a Sort may take: more means the list sorts its whole filtered set instead of reading an index. */
  maxSortedRows?: number;
}

/**
 * What is wrong with the plans of the recorded statements: an unbounded sequential scan of a large table, or a sort of
 * more than `maxSortedRows` rows. Each problem names the statement it was found in.
 */
export async function planProblems(
  db: DataSource,
  statements: RecordedStatement[],
  rules: PlanRules,
): Promise<string[]> {
  const maxSorted = rules.maxSortedRows ?? 1000;
  const problems: string[] = [];
  for (const { text, values } of statements) {
    const [row] = await db.query(`EXPLAIN (FORMAT JSON) ${text}`, values);
    const plan = row['QUERY PLAN'][0].Plan as PlanNode;
    // A sequential scan under a Limit stops once it has the limit's rows (the bounded count's LIMIT cap + 1):
    // the planner takes it only when matches are dense, so it reads about that many rows, not the table.
    const walk = (node: PlanNode, underLimit = false) => {
      const bounded = underLimit || node['Node Type'] === 'Limit';
      if (node['Node Type'] === 'Seq Scan' && !underLimit && rules.largeTables.includes(node['Relation Name'] ?? '')) {
        problems.push(`Seq Scan on ${node['Relation Name']} in: ${oneLine(text)}`);
      }
      if (node['Node Type'] === 'Sort') {
        const input = node.Plans?.[0]?.['Plan Rows'] ?? 0;
        if (input > maxSorted) problems.push(`Sort of ${input} rows in: ${oneLine(text)}`);
      }
      node.Plans?.forEach((child) => walk(child, bounded));
    };
    walk(plan);
  }
  return problems;
}

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
