import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { batchedRead, batchStands, inReadBatch, rereadBatch, type SentBatch } from './read-batch';

describe('batchedRead', () => {
  let db: DataSource;
  beforeAll(async () => {
    // One connection: a setting left on it by a batch would show in the next query.
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { extra: { max: 1 } })).initialize();
  });
  afterAll(() => db.destroy());

  const rowsSql = `SELECT v.n::int AS n, v.label AS label, (v.n % 2 = 0) AS even, NULL::text AS nothing
                     FROM (VALUES (3, $1::text), (1, $2::text), (2, NULL)) AS v(n, label)
                    WHERE v.n = ANY($3::int[]) OR v.label = ANY($4::text[]) ORDER BY v.n DESC`;
  const values = ["it's", 'back\\slash "quoted"', [1, 2], ["it's", 'x,y']];
  const idSql = 'SELECT $1::uuid AS id, $2::date AS never, $3::text AS text';
  const idValues = ['7f3c4a52-3b55-4f0e-8f59-1c2b7a0f4d11', null, 'plain'];

  it('sends the reads of one turn as one statement, each answered as it is alone', async () => {
    const alone = await Promise.all([batchedRead(db, rowsSql, values), batchedRead(db, idSql, idValues)]);
    expect(alone[0]).toEqual([
      { n: 3, label: "it's", even: false, nothing: null },
      { n: 2, label: null, even: true, nothing: null },
      { n: 1, label: 'back\\slash "quoted"', even: false, nothing: null },
    ]);
    expect(alone[1]).toEqual([{ id: idValues[0], never: null, text: 'plain' }]);

    const sent: SentBatch[] = [];
    const batched = await inReadBatch(async () => {
      const first = batchedRead(db, rowsSql, values);
      // A read issued after a resolved promise (no I/O between) still joins the same turn.
      await Promise.resolve();
      return Promise.all([first, batchedRead(db, idSql, idValues)]);
    }, sent);
    // The date column is null here: a non-null one would be a string batched and a Date alone (see batchedRead).
    expect(batched).toEqual(alone);
    expect(sent).toHaveLength(1);
    expect(await rereadBatch(sent[0])).toBe(sent[0].answer);
    // Compared by digest: the same answer stands (non-ASCII text included), another does not.
    expect(await batchStands(sent[0])).toBe(true);
    expect(await batchStands({ ...sent[0], answer: sent[0].answer.replace('plain', 'plaiN') })).toBe(false);
    const accented: SentBatch[] = [];
    await inReadBatch(() => batchedRead(db, 'SELECT $1::text AS t', ['Élodie — “ok” ✓']), accented);
    expect(await batchStands(accented[0])).toBe(true);
  });

  it('sends a read issued after I/O in a statement of its own', async () => {
    const sent: SentBatch[] = [];
    const [first, second] = await inReadBatch(async () => {
      const one = await batchedRead<{ n: number }>(db, 'SELECT 1 AS n', []);
      return [one, await batchedRead<{ n: number }>(db, 'SELECT 2 AS n', [])];
    }, sent);
    expect([first, second]).toEqual([[{ n: 1 }], [{ n: 2 }]]);
    expect(sent).toHaveLength(2);
  });

  it('runs on connections with JIT off (the app data source options)', async () => {
    const [{ jit }] = await inReadBatch(() =>
      batchedRead<{ jit: string }>(db, `SELECT current_setting('jit') AS jit`, []),
    );
    expect(jit).toBe('off');
  });

  it('numbers the parameters of each read after the reads before it, and checks a replay as a prepared statement', async () => {
    const sent: SentBatch[] = [];
    const answers = await inReadBatch(
      () =>
        Promise.all([
          batchedRead<{ sum: number }>(db, 'SELECT $1::int + $2::int AS sum', [1, 2]),
          batchedRead<{ text: string; again: string }>(db, 'SELECT $1::text AS text, $1::text AS again', ['b']),
          batchedRead<{ sum: number }>(db, 'SELECT $2::int - $1::int AS sum', [10, 30]),
        ]),
      sent,
    );
    expect(answers).toEqual([[{ sum: 3 }], [{ text: 'b', again: 'b' }], [{ sum: 20 }]]);
    expect(sent[0].values).toEqual([1, 2, 'b', 10, 30]);
    expect(sent[0].text).toContain('$5::int - $4::int');
    // Run again, on the prepared statement from then on: the same digest every time.
    for (let i = 0; i < 3; i++) expect(await batchStands(sent[0])).toBe(true);
    expect(await batchStands({ ...sent[0], values: [1, 2, 'b', 10, 31] })).toBe(false);
  });

  it('fails every read of a failing statement, and the next statement runs', async () => {
    const outcome = inReadBatch(() =>
      Promise.allSettled([batchedRead(db, 'SELECT 1 AS n', []), batchedRead(db, 'SELECT 1 / $1::int AS n', [0])]),
    );
    const [one, zero] = await outcome;
    expect(one.status).toBe('rejected');
    expect(zero).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ code: '22012' }) });
    expect(await inReadBatch(() => batchedRead(db, 'SELECT 1 / $1::int AS n', [1]))).toEqual([{ n: 1 }]);
  });
});
