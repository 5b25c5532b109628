import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badRequest } from '../http/app.exception';
import type { CursorCodec, CursorPaginated, CursorPosition, CursorValues } from '../http/cursor';
import { boundedCount, cursorKeySql, keysetPage, keysetSql, type KeysetOrder } from './keyset';

/** What a list route receives: the documented page and limit, and an optional cursor that wins over page. */
export interface ListPageRequest {
  page: number;
  limit: number;
  cursor?: string;
}

export interface KeysetListSpec<Row, Out> {
  codec: CursorCodec;
  /** Binds cursors to one workspace, list and sort: `${workspaceId}:${list}:${sort}:${direction}`. */
  scope: string;
  request: ListPageRequest;
  order: KeysetOrder;
  /**
   * Reads `take` rows after the position in `keysetSql`'s order (or `offset` rows in when there is none), each
   * with its cursor values (`cursorKeySql`).
   */
  fetch: (position: CursorPosition | null, take: number, offset: number) => Promise<KeyedRow<Row>[]>;
  count: () => Promise<{ total: number; totalIsEstimate: boolean }>;
  map: (row: Row) => Out;
}

export interface KeyedRow<Row> {
  row: Row;
  key: CursorValues;
}

/**
 * One page of a list, by cursor (a seek on the order's index: the same cost at any depth) or by page number
 * (an OFFSET, as the documented contract asks), with the cursors around it and a bounded total.
 */
export async function keysetList<Row, Out>(spec: KeysetListSpec<Row, Out>): Promise<CursorPaginated<Out>> {
  const { request, order } = spec;
  const position = request.cursor ? spec.codec.decode(spec.scope, request.cursor) : null;
  if (position && position.values.length !== order.columns.length) {
    throw badRequest('INVALID_CURSOR', 'The cursor does not belong to this list', [
      { field: 'cursor', message: 'Use a cursor this list returned' },
    ]);
  }
  const offset = position ? 0 : (request.page - 1) * request.limit;
  const [fetched, { total, totalIsEstimate }] = await Promise.all([
    spec.fetch(position, request.limit + 1, offset),
    spec.count(),
  ]);
  const page = keysetPage(fetched, request.limit, position, (r) => r.key, offset > 0);
  const cursor = (p: CursorPosition | null) => (p ? spec.codec.encode(spec.scope, p) : null);
  return {
    data: page.rows.map((r) => spec.map(r.row)),
    pagination: {
      page: position ? null : request.page,
      limit: request.limit,
      total,
      pages: Math.ceil(total / request.limit),
      totalIsEstimate,
      nextCursor: cursor(page.next),
      prevCursor: cursor(page.prev),
    },
  };
}

/**
 * `keysetList` over a TypeORM query builder that already holds the list's filters (and no to-many joins): adds
 * the seek and order, reads the entities with their exact cursor values, and counts the filtered set bounded.
 * `countFrom`: the same set without what only the page needs (a to-one join that selects the rows' relations), so
 * the count reads the list's own table alone.
 */
export function queryBuilderList<E extends ObjectLiteral, Out>(
  builder: SelectQueryBuilder<E>,
  spec: Omit<KeysetListSpec<E, Out>, 'fetch' | 'count'> & { countFrom?: SelectQueryBuilder<ObjectLiteral> },
): Promise<CursorPaginated<Out>> {
  return keysetList({
    ...spec,
    fetch: async (position, take, offset) => {
      const descending = spec.order.descending !== (position?.direction === 'prev');
      const ordered = (qb: SelectQueryBuilder<E>) => {
        qb.orderBy();
        for (const column of spec.order.columns) qb.addOrderBy(column, descending ? 'DESC' : 'ASC');
        return qb;
      };
      let qb = ordered(builder.clone());
      const seek = keysetSql(spec.order, position, (i) => `:__k${i}`);
      if (seek.where) {
        qb.andWhere(seek.where, Object.fromEntries(seek.params.map((value, i) => [`__k${i}`, value])));
      }
      qb.limit(take).offset(offset);
      if (offset > 0) {
        // A page by number: the OFFSET skips keys only (the rows' primary keys, from the order's index), and the
        // page's entities and cursor keys are read for its rows alone. Selected beside the OFFSET, the cursor key
        // was built for every skipped row (70 vs 10 ms at 80 000 earnings in).
        const keys = primaryKeys(qb);
        const page = qb.select(keys);
        qb = ordered(builder.clone()).andWhere(`(${keys.join(', ')}) IN (${page.getQuery()})`, page.getParameters());
      }
      qb.addSelect(cursorKeySql(spec.order), '__cursor_key');
      const { entities, raw } = await qb.getRawAndEntities<{ __cursor_key: CursorValues }>();
      // Without to-many joins, raw rows and entities come one for one, in order.
      return entities.map((row, i) => ({ row, key: raw[i].__cursor_key }));
    },
    count: () => {
      const counted = spec.countFrom ?? builder;
      const [sql, params] = counted.getQueryAndParameters();
      return boundedCount(
        (text, values) => counted.connection.query(text, values).then((rows) => ({ rows })),
        `(${sql}) AS list`,
        params,
      );
    },
  });
}

/** The list's primary key columns, as `alias.property` paths a query builder resolves. */
function primaryKeys<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>): string[] {
  return qb.expressionMap.mainAlias!.metadata.primaryColumns.map((column) => `${qb.alias}.${column.propertyPath}`);
}
