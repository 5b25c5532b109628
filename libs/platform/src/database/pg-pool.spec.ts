import { Pool } from 'pg';

// Each test loads the module afresh: the names it hands out are process-wide.
const freshModule = () => import('./pg-pool');

describe('preparedStatement', () => {
  beforeEach(() => jest.resetModules());

  it('gives each text one name, and runs texts beyond the cap unnamed', async () => {
    const { MAX_PREPARED_STATEMENTS, preparedStatement } = await freshModule();
    const first = preparedStatement('SELECT 1 WHERE $1::int > 0', [1]);
    expect(first).toEqual({ name: expect.any(String), text: 'SELECT 1 WHERE $1::int > 0', values: [1] });
    expect(preparedStatement('SELECT 1 WHERE $1::int > 0', [2]).name).toBe(first.name);

    const names = new Set([first.name]);
    for (let i = 1; i < MAX_PREPARED_STATEMENTS; i++) names.add(preparedStatement(`SELECT ${i}`, []).name);
    expect(names.size).toBe(MAX_PREPARED_STATEMENTS);
    expect(preparedStatement('SELECT 1 + 1', [])).toEqual({ text: 'SELECT 1 + 1', values: [] });
    // A text named before the cap was reached keeps its name.
    expect(preparedStatement('SELECT 1 WHERE $1::int > 0', [3]).name).toBe(first.name);
  });

  it('is parsed once per connection by Postgres and answers with each call’s values', async () => {
    const { preparedStatement } = await freshModule();
    const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    try {
      const text = 'SELECT $1::int * 2 AS doubled';
      const results = [];
      for (const value of [1, 2, 3]) results.push((await pool.query(preparedStatement(text, [value]))).rows[0].doubled);
      expect(results).toEqual([2, 4, 6]);

      const { rows } = await pool.query('SELECT name, statement FROM pg_prepared_statements');
      expect(rows).toEqual([{ name: preparedStatement(text, [0]).name, statement: text }]);
    } finally {
      await pool.end();
    }
  });
});
