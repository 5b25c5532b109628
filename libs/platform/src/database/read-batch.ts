import { AsyncLocalStorage } from 'node:async_hooks';
import { escapeLiteral, type QueryResult } from 'pg';
import type { DataSource } from 'typeorm';
import { pgPool } from './pg-pool';

interface PendingRead {
  text: string;
  values: unknown[];
  resolve: (rows: unknown[]) => void;
  reject: (error: unknown) => void;
}

/** The reads of one batch not sent yet, per data source. */
type Batch = Map<DataSource, PendingRead[]>;

const batches = new AsyncLocalStorage<Batch>();

/**
 * Runs `work` with its batchable reads (`batchedRead`) sent together: every read issued in the same turn of the
 * event loop (however deep in `await`s, as long as no I/O comes between) goes to Postgres as one statement, so
 * a dashboard answer assembled from a dozen small aggregates costs one round trip, one parse and one snapshot
 * instead of a dozen. Only for read-only work of one caller (a request): one failing read fails its whole turn.
 */
export function inReadBatch<T>(work: () => Promise<T>): Promise<T> {
  return batches.run(new Map(), work);
}

/**
 * A read-only SELECT whose rows come back as JSON gives them: inside `inReadBatch` it joins the statement of its
 * turn, elsewhere it runs alone (as TypeORM's `query`). So that both agree, its columns must be text, uuid,
 * int4 or boolean (a bigint or numeric arrives as a JSON number here and a string there, a timestamp as a string
 * here and a Date there: cast them to text, or convert them in the caller). `text` uses `$n` parameters only
 * (no dollar-quoted strings).
 */
export function batchedRead<T>(dataSource: DataSource, text: string, values: unknown[]): Promise<T[]> {
  const batch = batches.getStore();
  if (!batch) return dataSource.query(text, values) as Promise<T[]>;
  return new Promise<T[]>((resolve, reject) => {
    let pending = batch.get(dataSource);
    if (!pending) {
      pending = [];
      batch.set(dataSource, pending);
      // After the promise continuations of this turn (microtasks) and the I/O callbacks beside it.
      setImmediate(() => {
        batch.delete(dataSource);
        send(dataSource, pending!);
      });
    }
    pending.push({ text, values, resolve: resolve as (rows: unknown[]) => void, reject });
  });
}

/**
 * Several reads as one SELECT of a JSON array per read, straight to the pg pool (TypeORM's runner per query is
 * CPU a dashboard answer would spend again at every request). Postgres JIT-compiles a statement whose estimated
 * cost passes jit_above_cost, and the summed cost of a dozen small reads may: 100–200 ms of compiling for a few
 * ms of reading. `SET LOCAL jit = off` in the same query string turns it off for this statement only (a
 * multi-statement query is one implicit transaction), which needs the simple protocol: the values are written
 * into the text as literals.
 */
function send(dataSource: DataSource, reads: PendingRead[]): void {
  const columns = reads.map((read, i) => {
    const text = read.text.replace(/\$(\d+)/g, (_, n: string) => literal(read.values[Number(n) - 1]));
    // The subquery keeps its ORDER BY: json_agg reads its rows in that order.
    return `(SELECT coalesce(json_agg(batched), '[]'::json) FROM (${text}) batched) AS r${i}`;
  });
  pgPool(dataSource)
    .query(`SET LOCAL jit = off; SELECT ${columns.join(', ')}`)
    .then(
      (results) => {
        const [row] = (results as unknown as QueryResult[])[1].rows as Record<string, unknown[]>[];
        reads.forEach((read, i) => read.resolve(row[`r${i}`]));
      },
      (error: unknown) => reads.forEach((read) => read.reject(error)),
    );
}

/** A parameter's value as an SQL literal (untyped, as a parameter is: the text's casts and columns type it). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) {
    const items = value.map((item) =>
      item === null || item === undefined ? 'NULL' : `"${String(item).replace(/[\\"]/g, (c) => `\\${c}`)}"`,
    );
    return escapeLiteral(`{${items.join(',')}}`);
  }
  if (value instanceof Date) return escapeLiteral(value.toISOString());
  if (typeof value === 'object') return escapeLiteral(JSON.stringify(value));
  return escapeLiteral(String(value));
}
