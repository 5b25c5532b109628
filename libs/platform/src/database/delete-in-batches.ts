import { DataSource } from 'typeorm';

/**
 * Deletes the rows of `table` that `where` selects (it may use $1…$n of `params`), `batch` at a time, so that
 * each statement's locks stay short on a large backlog. Returns how many rows went.
 */
export async function deleteInBatches(
  db: DataSource,
  table: string,
  where: string,
  params: unknown[],
  batch = 5_000,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    // TypeORM answers a DELETE with [rows, rowCount].
    const [, count] = (await db.query(
      `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${where} LIMIT $${params.length + 1})`,
      [...params, batch],
    )) as [unknown[], number];
    deleted += count;
    if (count < batch) return deleted;
  }
}
