import type { Response } from 'supertest';

/** Where a list answer keeps its rows and its next cursor (the house envelope by default). */
export interface ListShape {
  rows: (body: any) => { id: string }[];
  next: (body: any) => string | null;
  /** The query parameter the cursor goes in. */
  param?: string;
}

export const houseShape: ListShape = {
  rows: (body) => body.data,
  next: (body) => body.pagination.nextCursor,
};

/** Follows the next cursor from the first page to the end; answers the ids in the order they came. */
export async function walkIds(
  get: (query: Record<string, unknown>) => Promise<Response>,
  query: Record<string, unknown>,
  shape: ListShape = houseShape,
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const res = await get({ ...query, ...(cursor ? { [shape.param ?? 'cursor']: cursor } : {}) });
    if (res.status !== 200) throw new Error(`page ${guard + 1}: ${res.status} ${JSON.stringify(res.body)}`);
    seen.push(...shape.rows(res.body).map((r) => r.id));
    cursor = shape.next(res.body);
    if (!cursor) return seen;
  }
  throw new Error('the walk did not end');
}
