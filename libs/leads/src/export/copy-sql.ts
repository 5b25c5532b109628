import { escapeLiteral } from 'pg';

/**
 * COPY accepts no bind parameters: writes each `$n` of a TypeORM query as a quoted literal. Literals are
 * untyped like text parameters, so Postgres infers the same types. Only the scalar types the lead
 * filters use are accepted; anything else is a programming error.
 */
export function inlineParameters(sql: string, params: unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, index: string) => {
    const value = params[Number(index) - 1];
    if (value === null || value === undefined) return 'NULL';
    if (value instanceof Date) return escapeLiteral(value.toISOString());
    if (typeof value === 'number' && Number.isFinite(value)) return escapeLiteral(String(value));
    if (typeof value === 'string' || typeof value === 'boolean') return escapeLiteral(String(value));
    throw new Error(`Cannot inline a ${typeof value} parameter into COPY`);
  });
}
