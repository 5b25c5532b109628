import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { escapeLiteral, type QueryResult } from 'pg';
import type { DataSource } from 'typeorm';
import { pgPool } from './pg-pool';

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
  return run(batch.dataSource, batch.text);
}

/**
 * Whether a statement a batch sent, run again, answers the same: compared by the MD5 of its JSON text, which
 * Postgres computes, so that a statement answering tens of kB (a list of 200 campaigns) sends 32 characters back.
 */
export async function batchStands(batch: SentBatch): Promise<boolean> {
  digests.set(batch, digests.get(batch) ?? createHash('md5').update(batch.answer, 'utf8').digest('hex'));
  return (await run(batch.dataSource, batch.digestText)) === digests.get(batch);
}

/** The MD5 of each kept batch's answer, computed on its first check. */
const digests = new WeakMap<SentBatch, string>();

async function run(dataSource: DataSource, text: string): Promise<string> {
  // Two results: the SET's, then the SELECT's one row.
  const results = (await pgPool(dataSource).query(text)) as unknown as QueryResult<{ reads: string }>[];
  return results[1].rows[0].reads;
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
 * runner per query is CPU a dashboard answer would spend again at every request). Postgres JIT-compiles a
 * statement whose estimated cost passes jit_above_cost, and the summed cost of a dozen small reads may: 100–200
 * ms of compiling for a few ms of reading. `SET LOCAL jit = off` in the same query string turns it off for this
 * statement only (a multi-statement query is one implicit transaction), which needs the simple protocol: the
 * values are written into the text as literals.
 */
function send(dataSource: DataSource, reads: PendingRead[], sent: SentBatch[] | undefined): void {
  const columns = reads.map((read) => {
    const text = read.text.replace(/\$(\d+)/g, (_, n: string) => literal(read.values[Number(n) - 1]));
    // The subquery keeps its ORDER BY: json_agg reads its rows in that order.
    return `(SELECT coalesce(json_agg(batched), '[]'::json) FROM (${text}) batched)`;
  });
  const json = `array_to_json(ARRAY[${columns.join(', ')}])::text`;
  const text = `SET LOCAL jit = off; SELECT ${json} AS reads`;
  run(dataSource, text).then(
    (answer) => {
      sent?.push({ dataSource, text, answer, digestText: `SET LOCAL jit = off; SELECT md5(${json}) AS reads` });
      const rows = JSON.parse(answer) as unknown[][];
      reads.forEach((read, i) => read.resolve(rows[i]));
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
