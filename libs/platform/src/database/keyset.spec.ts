import { Client } from 'pg';
import { AppConfig } from '../config/config.service';
import { CursorCodec, type CursorPosition } from '../http/cursor';
import { boundedCount, COUNT_VERDICT_TTL_MS, countVerdicts, keysetPage, keysetSql, type KeysetOrder } from './keyset';

const order: KeysetOrder = { columns: ['t.created_at', 't.id'], descending: true };

describe('CursorCodec', () => {
  const codec = new CursorCodec({ env: { JWT_SECRET: 'k'.repeat(40) } } as AppConfig);
  const other = new CursorCodec({ env: { JWT_SECRET: 'z'.repeat(40) } } as AppConfig);
  const position: CursorPosition = { direction: 'next', values: ['2026-01-01T00:00:00.000Z', 5, null, 'abc'] };

  it('round-trips a position within its scope', () => {
    expect(codec.decode('ws-1:leads', codec.encode('ws-1:leads', position))).toEqual(position);
    const prev: CursorPosition = { direction: 'prev', values: [1] };
    expect(codec.decode('s', codec.encode('s', prev))).toEqual(prev);
  });

  it.each([
    ['another scope (workspace, list or sort)', (c: string) => [codec, 'ws-2:leads', c] as const],
    ['another secret', (c: string) => [other, 'ws-1:leads', c] as const],
    [
      'a changed body',
      (c: string) =>
        [codec, 'ws-1:leads', `${Buffer.from('["n",1]').toString('base64url')}.${c.split('.')[1]}`] as const,
    ],
    ['a changed signature', (c: string) => [codec, 'ws-1:leads', `${c.split('.')[0]}.${'A'.repeat(22)}`] as const],
    ['no signature', (c: string) => [codec, 'ws-1:leads', c.split('.')[0]] as const],
    ['extra parts', (c: string) => [codec, 'ws-1:leads', `${c}.x`] as const],
  ])('refuses %s with 400 INVALID_CURSOR', (_name, make) => {
    const [decoder, scope, cursor] = make(codec.encode('ws-1:leads', position));
    expect(() => decoder.decode(scope, cursor)).toThrow(
      expect.objectContaining({ status: 400, code: 'INVALID_CURSOR' }),
    );
  });
});

describe('keysetSql', () => {
  it('orders a first page without a seek', () => {
    expect(keysetSql(order, null, 3)).toEqual({ where: null, orderBy: 't.created_at DESC, t.id DESC', params: [] });
  });

  it('seeks forwards below the position for a descending order, backwards above it in reverse', () => {
    expect(keysetSql(order, { direction: 'next', values: ['d', 'i'] }, 3)).toEqual({
      where: '(t.created_at, t.id) < ($3, $4)',
      orderBy: 't.created_at DESC, t.id DESC',
      params: ['d', 'i'],
    });
    expect(keysetSql(order, { direction: 'prev', values: ['d', 'i'] }, 1)).toEqual({
      where: '(t.created_at, t.id) > ($1, $2)',
      orderBy: 't.created_at ASC, t.id ASC',
      params: ['d', 'i'],
    });
  });

  it('refuses a position of another length', () => {
    expect(() => keysetSql(order, { direction: 'next', values: ['x'] }, 1)).toThrow(RangeError);
  });
});

describe('keysetPage', () => {
  const valuesOf = (n: number) => [n];
  it('offers next only when more rows were fetched, prev only after a position', () => {
    expect(keysetPage([1, 2, 3], 2, null, valuesOf)).toEqual({
      rows: [1, 2],
      next: { direction: 'next', values: [2] },
      prev: null,
    });
    expect(keysetPage([3, 4], 2, { direction: 'next', values: [2] }, valuesOf)).toEqual({
      rows: [3, 4],
      next: null,
      prev: { direction: 'prev', values: [3] },
    });
    expect(keysetPage([5], 2, null, valuesOf, true).prev).toEqual({ direction: 'prev', values: [5] });
  });

  it('puts a backwards page back in order', () => {
    expect(keysetPage([2, 1, 0], 2, { direction: 'prev', values: [3] }, valuesOf)).toEqual({
      rows: [1, 2],
      next: { direction: 'next', values: [2] },
      prev: { direction: 'prev', values: [1] },
    });
  });

  it('keeps the way back from an empty page', () => {
    expect(keysetPage([], 2, { direction: 'next', values: [9] }, valuesOf)).toEqual({
      rows: [],
      next: null,
      prev: { direction: 'prev', values: [9] },
    });
  });
});

describe('boundedCount (real PostgreSQL)', () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(async () => {
    await client.connect();
    await client.query('CREATE TEMP TABLE bc (w int, v int)');
    await client.query('INSERT INTO bc SELECT 1, g FROM generate_series(1, 2500) g');
    await client.query('INSERT INTO bc SELECT 2, g FROM generate_series(1, 30) g');
    await client.query('ANALYZE bc');
  });
  beforeEach(() => countVerdicts.clear());
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => client.end());
  const run = (text: string, params: unknown[]) => client.query(text, params);
  /** `run`, recording the kind of each statement sent. */
  const recording = () => {
    const sent: string[] = [];
    const query = (text: string, params: unknown[]) => {
      sent.push(text.startsWith('EXPLAIN') ? 'explain' : 'count');
      return run(text, params);
    };
    return { sent, query };
  };

  it('counts exactly up to the cap', async () => {
    await expect(boundedCount(run, 'bc WHERE w = $1', [2], 100)).resolves.toEqual({
      total: 30,
      totalIsEstimate: false,
    });
    await expect(boundedCount(run, 'bc WHERE w = $1', [1], 2500)).resolves.toEqual({
      total: 2500,
      totalIsEstimate: false,
    });
  });

  it('answers the estimate when the planner expects far more than the cap', async () => {
    const { total, totalIsEstimate } = await boundedCount(run, 'bc WHERE w = $1', [1], 100);
    expect(totalIsEstimate).toBe(true);
    expect(total).toBeGreaterThan(1000); // the planner knows the table after ANALYZE
  });

  it('reports an estimate, never below cap + 1, when an exact count reaches the cap', async () => {
    // 2 500 rows but a cap of 2 000: the estimate (≈ 2 500) is under twice the cap, so the count runs and stops.
    const { total, totalIsEstimate } = await boundedCount(run, 'bc WHERE w = $1', [1], 2000);
    expect(totalIsEstimate).toBe(true);
    expect(total).toBeGreaterThanOrEqual(2001);
  });

  it('remembers a large verdict for a few seconds: the next requests send no statement', async () => {
    const { sent, query } = recording();
    const first = await boundedCount(query, 'bc WHERE w = $1', [1], 100);
    expect(first.totalIsEstimate).toBe(true);
    expect(sent).toEqual(['explain']);
    await expect(boundedCount(query, 'bc WHERE w = $1', [1], 100)).resolves.toEqual(first);
    expect(sent).toEqual(['explain']);
    // Another filter (parameters) or another cap is another entry.
    await boundedCount(query, 'bc WHERE w = $1', [2], 100);
    expect(sent).toEqual(['explain', 'explain', 'count']);
    // Once the verdict is older than the TTL, the planner is asked again.
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + COUNT_VERDICT_TTL_MS + 1);
    await boundedCount(query, 'bc WHERE w = $1', [1], 100);
    expect(sent).toEqual(['explain', 'explain', 'count', 'explain']);
  });

  it('keeps a total under the cap exact and current: a small verdict skips only the EXPLAIN, never the count', async () => {
    await client.query('CREATE TEMP TABLE bc_small (w int, v int)');
    await client.query('INSERT INTO bc_small SELECT 7, g FROM generate_series(1, 40) g');
    const { sent, query } = recording();
    await expect(boundedCount(query, 'bc_small WHERE w = $1', [7], 100)).resolves.toEqual({
      total: 40,
      totalIsEstimate: false,
    });
    expect(sent).toEqual(['explain', 'count']);
    await client.query('INSERT INTO bc_small VALUES (7, 41)');
    await expect(boundedCount(query, 'bc_small WHERE w = $1', [7], 100)).resolves.toEqual({
      total: 41,
      totalIsEstimate: false,
    });
    expect(sent).toEqual(['explain', 'count', 'count']);
    // Grown past the cap within the TTL: the count finds it, the answer is flagged, and the next one is remembered.
    await client.query('INSERT INTO bc_small SELECT 7, g FROM generate_series(1, 200) g');
    const grown = await boundedCount(query, 'bc_small WHERE w = $1', [7], 100);
    expect(grown.totalIsEstimate).toBe(true);
    expect(grown.total).toBeGreaterThanOrEqual(101);
    expect(sent).toEqual(['explain', 'count', 'count', 'count', 'explain']);
    await expect(boundedCount(query, 'bc_small WHERE w = $1', [7], 100)).resolves.toEqual(grown);
    expect(sent).toHaveLength(5);
  });
});
