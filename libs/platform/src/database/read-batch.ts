import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { pgPool, preparedStatement } from './pg-pool';

interface PendingRead {
  text: string;
  values: unknown[];
  resolve: (rows: unknown[]) => void;
  reject: (error: unknown) => void;
}

interface Batch {
  /** Reads not sent yet, per data source. */
  pending: Map<DataSource, PendingRead[]>;
  /** What was sent, when the caller keeps it (see inReadBatch). */
  sent?: SentBatch[];
}

/** One statement a batch sent, and what it answered: `answer` is the reads' rows, as JSON text. */
export interface SentBatch {
  dataSource: DataSource;
  text: string;
  values: unknown[];
  answer: string;
  /** The same statement answering the MD5 of that JSON text (see `batchStands`). */
  digestText: string;
}

const batches = new AsyncLocalStorage<Batch>();

/**
 * Runs `work` with its batchable reads (`batchedRead`) sent together: every read issued in the same turn of the
 * event loop (however deep in `await`s, as long as no I/O comes between) goes to Postgres as one statement, so
 * a dashboard answer assembled from a dozen small aggregates costs one round trip, one parse and one snapshot
 * instead of a dozen. Only for read-only work of one caller (a request): one failing read fails its whole turn.
 * `sent`, when given, receives each statement sent and its answer (see `rereadBatch`).
 */
export function inReadBatch<T>(work: () => Promise<T>, sent?: SentBatch[]): Promise<T> {
  return batches.run({ pending: new Map(), sent }, work);
}

/**
 * Runs a statement a batch sent again, and answers its reads' rows as JSON text: equal to the first answer,
 * every read answered the same (at this statement's snapshot).
 */
export function rereadBatch(batch: SentBatch): Promise<string> {
  return run(batch.dataSource, { text: batch.text, values: batch.values });
}

/**
 * Whether a statement a batch sent, run again, answers the same: compared by the MD5 of its JSON text, which
 * Postgres computes, so that a statement answering tens of kB (a list of 200 campaigns) sends 32 characters back.
 */
export async function batchStands(batch: SentBatch): Promise<boolean> {
  digests.set(batch, digests.get(batch) ?? createHash('md5').update(batch.answer, 'utf8').digest('hex'));
  // The statement a polled dashboard's replays run again and again: prepared once per connection.
  const digest = await run(batch.dataSource, preparedStatement(batch.digestText, batch.values));
  return digest === digests.get(batch);
}

/** The MD5 of each kept batch's answer, computed on its first check. */
const digests = new WeakMap<SentBatch, string>();

async function run(dataSource: DataSource, query: QueryConfig<unknown[]>): Promise<string> {
  const result = await pgPool(dataSource).query<{ reads: string }>(query);
  return result.rows[0].reads;
}

export function batchedRead<T>(dataSource: DataSource, text: string, values: unknown[]): Promise<T[]> {
  const batch = batches.getStore();
  if (!batch) return dataSource.query(text, values) as Promise<T[]>;
  return new Promise<T[]>((resolve, reject) => {
    let pending = batch.pending.get(dataSource);
    if (!pending) {
      pending = [];
      batch.pending.set(dataSource, pending);
      // After the promise continuations of this turn (microtasks) and the I/O callbacks beside it.
      setImmediate(() => {
        batch.pending.delete(dataSource);
        send(dataSource, pending!, batch.sent);
      });
    }
    pending.push({ text, values, resolve: resolve as (rows: unknown[]) => void, reject });
  });
}

/**
 * Several reads as one SELECT of a JSON array (one array of rows per read), straight to the pg pool (TypeORM's
 * runner per query is CPU a dashboard answer would spend again at every request). Each read's parameters are
 * renumbered after the reads before it, so a statement's text depends only on which reads it holds (the check
 * of a replayed answer, run at every poll, is then a named prepared statement: see batchStands). The summed cost of a dozen small reads may pass jit_above_cost, and 100–200 ms of compiling for
 * a few ms of reading is why the app's connections run with JIT off (dataSourceOptions).
 */
function send(dataSource: DataSource, reads: PendingRead[], sent: SentBatch[] | undefined): void {
  const values: unknown[] = [];
  const columns = reads.map((read) => {
    const offset = values.length;
    values.push(...read.values);
    const text = offset ? read.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`) : read.text;
    // The subquery keeps its ORDER BY: json_agg reads its rows in that order.
    return `(SELECT coalesce(json_agg(batched), '[]'::json) FROM (${text}) batched)`;
  });
  const json = `array_to_json(ARRAY[${columns.join(', ')}])::text`;
  const text = `SELECT ${json} AS reads`;
  run(dataSource, { text, values }).then(
    (answer) => {
      sent?.push({ dataSource, text, values, answer, digestText: `SELECT md5(${json}) AS reads` });
      const rows = JSON.parse(answer) as unknown[][];
      reads.forEach((read, i) => read.resolve(rows[i]));
    },
    (error: unknown) => reads.forEach((read) => read.reject(error)),
  );
}
