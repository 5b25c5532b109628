import { Client } from 'pg';
import { TIME_ORDERED_UUID_SQL } from './time-ordered-uuid';

describe('TIME_ORDERED_UUID_SQL', () => {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(() => db.connect());
  afterAll(() => db.end());

  const generate = async (count: number): Promise<string[]> =>
    (await db.query(`SELECT ${TIME_ORDERED_UUID_SQL} AS id FROM generate_series(1, $1)`, [count])).rows.map(
      (r) => r.id,
    );
  const millisecondsOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

  it('makes version-7 UUIDs that carry the time in milliseconds, all different', async () => {
    const before = Date.now();
    const ids = await generate(10_000);
    const after = Date.now();
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Postgres's clock and this process's are the same machine's; allow for the round trip only.
    for (const id of [ids[0], ids[ids.length - 1]]) {
      expect(millisecondsOf(id)).toBeGreaterThanOrEqual(before - 5);
      expect(millisecondsOf(id)).toBeLessThanOrEqual(after + 5);
    }
  });

  it('orders ids made in a later millisecond after earlier ones', async () => {
    const [first] = await generate(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [second] = await generate(1);
    expect(millisecondsOf(second)).toBeGreaterThan(millisecondsOf(first));
    expect(second > first).toBe(true);
  });
});
