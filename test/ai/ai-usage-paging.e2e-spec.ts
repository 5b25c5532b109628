import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { planProblems, recordSelects } from '../helpers/query-plans';
import { expectOutputsAfterLimit, walkIds } from '../helpers/paged-walk';

describe('AI usage calls list: cursors and bounded totals', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const get = (user: TestUser) => (query: Record<string, unknown>) =>
    t.http().get('/api/ai/usage').set(user.auth).query(query);

  /** Calls of the last days, a third at one shared instant (ties broken by the id). */
  const seed = (user: TestUser, count: number) =>
    t.db.query(
      `INSERT INTO ai_usage (workspace_id, provider, model, feature, input_tokens, output_tokens, cost_usd, latency_ms,
                             status, created_at)
       SELECT $1, (ARRAY['GPT-4','Claude'])[1 + i % 2], 'm', (ARRAY['chat','agents'])[1 + i % 2], 10, 5, 0.001, 100,
              'ok', CASE WHEN i % 3 = 0 THEN date_trunc('hour', now()) - interval '1 day'
                         ELSE now() - make_interval(secs => i * 60) END
         FROM generate_series(1, $2) i`,
      [user.workspaceId, count],
    );

  it('walks every call exactly once by cursor, filters applied before the seek', async () => {
    const user = await signUp(t);
    await seed(user, 40);
    for (const filter of [{}, { provider: 'Claude' }]) {
      const seen = await walkIds(get(user), { limit: 6, ...filter });
      expect(new Set(seen).size).toBe(seen.length);
      const rows = await t.db.query(
        `SELECT id FROM ai_usage WHERE workspace_id = $1 AND ($2::text IS NULL OR provider = $2)`,
        [user.workspaceId, (filter as { provider?: string }).provider ?? null],
      );
      expect([...seen].sort()).toEqual(rows.map((r: { id: string }) => r.id).sort());
      const byPage = await get(user)({ limit: 100, ...filter });
      expect(seen).toEqual(byPage.body.data.map((r: { id: string }) => r.id));
      // The totals still cover the whole period whatever the page.
      expect(byPage.body.totals.requests).toBe(rows.length);
    }
  });

  it('refuses another workspace’s cursor with 400 INVALID_CURSOR', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    await seed(owner, 10);
    await seed(other, 10);
    const cursor = (await get(owner)({ limit: 3 })).body.pagination.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    expectError(await get(other)({ cursor }), 400, 'INVALID_CURSOR');
  });

  it('reads the calls page through the index', async () => {
    const user = await signUp(t);
    await seed(user, 25_000);
    await t.db.query('ANALYZE ai_usage');
    const first = await get(user)({ limit: 20 });
    expect(first.body.pagination.totalIsEstimate).toBe(true);
    const statements = await recordSelects(() =>
      get(user)({ limit: 20, cursor: first.body.pagination.nextCursor }).expect(200),
    );
    // The period's totals read every call of the period by design; the page (and its bounded count) must not.
    const page = statements.filter((s) => /json_build_array|LIMIT 10001/.test(s.text));
    expect(page.length).toBeGreaterThan(0);
    expect(await planProblems(t.db, page, { largeTables: ['ai_usage'] })).toEqual([]);
  });

  it('computes the cursor keys of the page only, after its Limit (and its OFFSET)', async () => {
    const user = await signUp(t);
    await seed(user, 3000);
    await t.db.query('ANALYZE ai_usage');
    const first = await get(user)({ limit: 20 });
    const shapes = [
      {},
      { provider: 'Claude', feature: 'agents' },
      { page: 40 },
      { cursor: first.body.pagination.nextCursor },
    ];
    await expectOutputsAfterLimit(t.db, (q) => get(user)({ limit: 20, ...q }), shapes, /json_build_array/);
  });
});
