import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { planProblems, recordSelects } from '../helpers/query-plans';
import { getAs, walkIds } from '../helpers/paged-walk';

/** A third of the rows share one timestamp, so the id must break the ties. */
const TIES = `CASE WHEN i % 3 = 0 THEN timestamptz '2026-01-01 00:00:00.123456+00'
                   ELSE timestamptz '2026-01-01' + make_interval(secs => i / 7) END`;

describe('agents lists: cursors, bounded totals and plans', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const get = (user: TestUser, path: string) => getAs(t)(user, path);

  const seedAgents = async (user: TestUser, count: number): Promise<string[]> =>
    (
      await t.db.query(
        `INSERT INTO agents (workspace_id, name, type, provider, model, trigger_type, runs_per_day, tokens_per_run,
                             status, created_at)
         SELECT $1, 'agent ' || i, (ARRAY['lead_qualifier','content_planner'])[1 + i % 2], 'openai', 'gpt-4o-mini',
                'manual', 10, 1000, (ARRAY['active','inactive'])[1 + i % 2], ${TIES}
           FROM generate_series(1, $2) i RETURNING id`,
        [user.workspaceId, count],
      )
    ).map((r: { id: string }) => r.id);

  const seedLogs = (user: TestUser, agentId: string, count: number) =>
    t.db.query(
      `INSERT INTO agent_logs (workspace_id, agent_id, level, message, created_at)
       SELECT $1, $2, (ARRAY['info','warn','error'])[1 + i % 3], 'line ' || i, ${TIES}
         FROM generate_series(1, $3) i`,
      [user.workspaceId, agentId, count],
    );

  it('walks agents and an agent’s logs exactly once by cursor, ties included, in the page order', async () => {
    const user = await signUp(t);
    const [agent] = await seedAgents(user, 31);
    await seedLogs(user, agent, 40);
    const cases: [string, Record<string, unknown>, string, unknown[]][] = [
      ['/api/agents', {}, 'SELECT id FROM agents WHERE workspace_id = $1', [user.workspaceId]],
      [
        '/api/agents',
        { status: 'active', type: 'content_planner' },
        `SELECT id FROM agents WHERE workspace_id = $1 AND status = 'active' AND type = 'content_planner'`,
        [user.workspaceId],
      ],
      [`/api/agents/${agent}/logs`, {}, 'SELECT id FROM agent_logs WHERE agent_id = $1', [agent]],
      [
        `/api/agents/${agent}/logs`,
        { level: 'warn' },
        `SELECT id FROM agent_logs WHERE agent_id = $1 AND level = 'warn'`,
        [agent],
      ],
    ];
    for (const [path, filter, sql, params] of cases) {
      const seen = await walkIds(get(user, path), { limit: 6, ...filter });
      expect(new Set(seen).size).toBe(seen.length);
      const expected = (await t.db.query(sql, params)).map((r: { id: string }) => r.id);
      expect([...seen].sort()).toEqual(expected.sort());
      const byPage = await get(user, path)({ limit: 100, ...filter });
      expect(seen).toEqual(byPage.body.data.map((r: { id: string }) => r.id));
    }
  });

  it('refuses another workspace’s (or another agent’s) cursor with 400 INVALID_CURSOR', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const [mine, second] = await seedAgents(owner, 8);
    const [theirs] = await seedAgents(other, 8);
    await seedLogs(owner, mine, 8);
    await seedLogs(owner, second, 8);
    await seedLogs(other, theirs, 8);
    const cursor = (await get(owner, '/api/agents')({ limit: 3 })).body.pagination.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    expectError(await get(other, '/api/agents')({ cursor }), 400, 'INVALID_CURSOR');
    const logCursor = (await get(owner, `/api/agents/${mine}/logs`)({ limit: 3 })).body.pagination.nextCursor;
    expectError(await get(other, `/api/agents/${theirs}/logs`)({ cursor: logCursor }), 400, 'INVALID_CURSOR');
    expectError(await get(owner, `/api/agents/${second}/logs`)({ cursor: logCursor }), 400, 'INVALID_CURSOR');
  });

  it('reads an index for every shape of an agent’s log', async () => {
    const user = await signUp(t);
    const [agent] = await seedAgents(user, 2);
    await seedLogs(user, agent, 25_000);
    await t.db.query('ANALYZE agent_logs');
    const path = `/api/agents/${agent}/logs`;
    const first = await get(user, path)({ limit: 20 });
    expect(first.body.pagination.totalIsEstimate).toBe(true);
    for (const shape of [{}, { level: 'error' }, { cursor: first.body.pagination.nextCursor }, { page: 40 }]) {
      const statements = await recordSelects(() => get(user, path)({ limit: 20, ...shape }).expect(200));
      expect(statements.length).toBeGreaterThan(0);
      expect(await planProblems(t.db, statements, { largeTables: ['agent_logs'] })).toEqual([]);
    }
  });
});
