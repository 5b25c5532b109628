import type request from 'supertest';
import type { DataSource } from 'typeorm';
import { expectError, type TestApp, type TestUser, useTestApp } from './test-app';
import { indexesRead, outputsBelowLimit, planProblems, recordSelects } from './query-plans';

/** Where a list answer keeps its rows and its next cursor (house, seed 000, snake_case or nested envelope). */
export interface PageShape {
  rows: (body: any) => { id: string }[];
  next: (body: any) => string | null;
}

export const houseShape: PageShape = { rows: (b) => b.data, next: (b) => b.pagination.nextCursor };
export const seedShape: PageShape = { rows: (b) => b.data, next: (b) => b.metadata.nextCursor };

export type ListCall = (user: TestUser, query: Record<string, unknown>) => Promise<request.Response>;
export type ListGet = (query: Record<string, unknown>) => PromiseLike<request.Response>;

/** The walks' page sizes: small pages to follow by cursor, and one page of every row to compare them with. */
export const pageSizes = { small: { limit: 7 }, all: { limit: 100 } };

export interface PagingApp {
  /** The spec's API (useTestApp): booted before its tests, closed after them. */
  t: TestApp;
  /** GET `path` as the user, with the query given per call. */
  list: (path: string) => ListCall;
  /** The ids a SQL statement selects in the spec's database. */
  idsOf: (sql: string, params: unknown[]) => Promise<string[]>;
}

/** What every paging spec starts from: call it at the top of its describe. */
export function usePagingApp(): PagingApp {
  const t = useTestApp();
  return {
    t,
    list: (path) => (user, query) => t.http().get(path).set(user.auth).query(query),
    idsOf: (sql, params) => idsOf(t.db, sql, params),
  };
}

/** GET `path` as `user`, the query given per call: `getAs(t)(user, path)` is a walk's `get`. */
export const getAs =
  (t: TestApp) =>
  (user: TestUser, path: string) =>
  (query: Record<string, unknown>): request.Test =>
    t.http().get(path).set(user.auth).query(query);

/** The ids a SQL statement selects (the rows a list should show, read straight from the tables). */
export const idsOf = async (db: DataSource, sql: string, params: unknown[]): Promise<string[]> =>
  ((await db.query(sql, params)) as { id: string }[]).map((r) => r.id);

/**
 * Inserts `count` rows into `table`, one per `i` in 1…count: `values` maps each column to an SQL expression of `i`
 * and of the parameters (`params`, from $1). The paging specs' seeds: many rows, with ties on the sort keys.
 */
export function seedRows(
  db: DataSource,
  table: string,
  count: number,
  values: Record<string, string>,
  params: unknown[],
): Promise<unknown> {
  return db.query(
    `INSERT INTO ${table} (${Object.keys(values).join(', ')})
     SELECT ${Object.values(values).join(', ')} FROM generate_series(1, ${Math.trunc(count)}) i`,
    params,
  );
}

/**
 * Follows nextCursor from the first page to the end and answers the ids in the order they came. `between` runs
 * after every page (rows inserted and deleted during the walk).
 */
export async function walkIds(
  get: ListGet,
  query: Record<string, unknown>,
  shape: PageShape = houseShape,
  between?: () => Promise<void>,
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const res = await get({ ...query, ...(cursor ? { cursor } : {}) });
    if (res.status !== 200) throw new Error(`page ${guard + 1}: ${res.status} ${JSON.stringify(res.body)}`);
    seen.push(...shape.rows(res.body).map((r) => r.id));
    if (between) await between();
    cursor = shape.next(res.body);
    if (!cursor) return seen;
  }
  throw new Error('the walk did not end');
}

/**
 * Walks the list by cursor with small pages and checks it visits every row of `ids` exactly once, in the order
 * one big page by number gives.
 */
export async function expectCompleteWalk(
  list: ListCall,
  user: TestUser,
  shape: PageShape,
  ids: string[],
  query: Record<string, unknown>,
  sizes: { small: Record<string, number>; all: Record<string, number> },
): Promise<void> {
  const seen = await walkIds((q) => list(user, q), { ...query, ...sizes.small }, shape);
  expect(new Set(seen).size).toBe(seen.length);
  expect([...seen].sort()).toEqual([...ids].sort());
  const byPage = await list(user, { ...query, ...sizes.all });
  expect(byPage.status).toBe(200);
  expect(seen).toEqual(shape.rows(byPage.body).map((r) => r.id));
}

/** A cursor of one workspace's list is refused with 400 INVALID_CURSOR in another workspace. */
export async function expectForeignCursorRefused(
  list: ListCall,
  owner: TestUser,
  stranger: TestUser,
  shape: PageShape,
  query: Record<string, unknown>,
): Promise<void> {
  const first = await list(owner, query);
  expect(first.status).toBe(200);
  const cursor = shape.next(first.body);
  expect(cursor).toEqual(expect.any(String));
  expectError(await list(stranger, { ...query, cursor }), 400, 'INVALID_CURSOR');
  const [body, signature] = cursor!.split('.');
  // The signature's first character changed: its 6 bits all count (a last base64 character's low bits may not).
  const tampered = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
  expectError(await list(owner, { ...query, cursor: `${body}.${tampered}` }), 400, 'INVALID_CURSOR');
}

/** EXPLAINs every SELECT each query shape sends: no sequential scan of the large tables, no sort of the set. */
export async function expectIndexedPlans(
  db: DataSource,
  list: ListCall,
  user: TestUser,
  shapes: Record<string, unknown>[],
  largeTables: string[],
  /** Which of the route's statements to check (a report's aggregates read their whole range by design). */
  only: (text: string) => boolean = () => true,
): Promise<void> {
  for (const shape of shapes) {
    const recorded = await recordSelects(async () => expect((await list(user, shape)).status).toBe(200));
    const statements = recorded.filter((s) => only(s.text));
    expect(statements.length).toBeGreaterThan(0);
    expect({ shape, problems: await planProblems(db, statements, { largeTables }) }).toEqual({ shape, problems: [] });
  }
}

/**
 * The page statement of every query shape (the one selecting cursor keys) computes the outputs matching `pattern`
 * above its Limit: for the page's rows only, not for every row a Sort below the Limit takes in or an OFFSET skips.
 */
export async function expectOutputsAfterLimit(
  db: DataSource,
  get: ListGet,
  shapes: Record<string, unknown>[],
  pattern: RegExp,
): Promise<void> {
  for (const shape of shapes) {
    const recorded = await recordSelects(async () => expect((await get(shape)).status).toBe(200));
    const pages = recorded.filter((s) => s.text.includes('json_build_array'));
    expect(pages).toHaveLength(1);
    expect({ shape, belowLimit: await outputsBelowLimit(db, pages[0], pattern) }).toEqual({ shape, belowLimit: [] });
  }
}

/**
 * A text search shape reads a trigram index: every statement that applies the search (the page and the bounded
 * count) reads one of `indexes`, rather than filtering every row of the workspace.
 */
export async function expectSearchIndexed(
  db: DataSource,
  list: ListCall,
  user: TestUser,
  shape: Record<string, unknown>,
  indexes: string[],
  /** Which of the route's statements apply the search. */
  searching: (text: string) => boolean = (text) => /ILIKE/i.test(text),
): Promise<void> {
  const recorded = await recordSelects(async () => expect((await list(user, shape)).status).toBe(200));
  const statements = recorded.filter((s) => searching(s.text));
  expect(statements.length).toBeGreaterThan(0);
  const read = await indexesRead(db, statements);
  const unindexed = statements
    .map((s, i) => ({ statement: s.text.replace(/\s+/g, ' ').slice(0, 300), reads: read[i] }))
    .filter(({ reads }) => !reads.some((name) => indexes.includes(name)));
  expect({ shape, unindexed }).toEqual({ shape, unindexed: [] });
}
