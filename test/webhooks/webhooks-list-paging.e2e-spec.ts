import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { planProblems, recordSelects } from '../helpers/query-plans';
import { getAs, walkIds } from '../helpers/paged-walk';

/** A timestamp shared by a third of the rows: the id must break the ties. */
const TIES = `CASE WHEN i % 3 = 0 THEN timestamptz '2026-01-01 00:00:00.123456+00'
                   ELSE timestamptz '2026-01-01' + make_interval(secs => i / 7) END`;

describe('webhook lists: cursors, bounded totals and plans', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const get = (user: TestUser, path: string) => getAs(t)(user, path);

  const seedEndpoints = async (user: TestUser, count: number): Promise<string[]> =>
    (
      await t.db.query(
        `INSERT INTO webhook_endpoints (workspace_id, url, events, secret, created_at, updated_at)
         SELECT $1, 'https://hooks.invalid/' || i, ARRAY['*'], 'sealed', ${TIES}, now()
           FROM generate_series(1, $2) i RETURNING id`,
        [user.workspaceId, count],
      )
    ).map((r: { id: string }) => r.id);

  const seedAttempts = (user: TestUser, endpointId: string, count: number) =>
    t.db.query(
      `INSERT INTO webhook_deliveries (workspace_id, endpoint_id, event_id, event_type, attempt, status, created_at)
       SELECT $1, $2, 'evt_' || i, 'lead.created', 1, (ARRAY['succeeded','retrying','failed'])[1 + i % 3], ${TIES}
         FROM generate_series(1, $3) i`,
      [user.workspaceId, endpointId, count],
    );

  const seedInbound = (user: TestUser, count: number) =>
    t.db.query(
      `INSERT INTO webhook_deliveries_inbound (workspace_id, source, event_id, status, http_status, received_at)
       SELECT $1, (ARRAY['leads','campaigns'])[1 + i % 2], 'evt_' || i,
              (ARRAY['accepted','duplicate','rejected'])[1 + i % 3], 200, ${TIES}
         FROM generate_series(1, $2) i`,
      [user.workspaceId, count],
    );

  const ids = async (sql: string, params: unknown[]) =>
    (await t.db.query(sql, params)).map((r: { id: string }) => r.id).sort();

  it('walks endpoints, deliveries and inbound deliveries exactly once by cursor, ties included', async () => {
    const user = await signUp(t);
    const [endpoint] = await seedEndpoints(user, 23);
    await seedAttempts(user, endpoint, 40);
    await seedInbound(user, 40);
    const lists: [string, Record<string, unknown>, string, unknown[]][] = [
      ['/api/webhooks/endpoints', {}, 'SELECT id FROM webhook_endpoints WHERE workspace_id = $1', [user.workspaceId]],
      [
        `/api/webhooks/endpoints/${endpoint}/deliveries`,
        {},
        'SELECT id FROM webhook_deliveries WHERE endpoint_id = $1',
        [endpoint],
      ],
      [
        `/api/webhooks/endpoints/${endpoint}/deliveries`,
        { status: 'failed' },
        `SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'failed'`,
        [endpoint],
      ],
      [
        '/api/webhooks/inbound',
        {},
        'SELECT id FROM webhook_deliveries_inbound WHERE workspace_id = $1',
        [user.workspaceId],
      ],
      [
        '/api/webhooks/inbound',
        { source: 'leads', status: 'accepted' },
        `SELECT id FROM webhook_deliveries_inbound WHERE workspace_id = $1 AND source = 'leads' AND status = 'accepted'`,
        [user.workspaceId],
      ],
    ];
    for (const [path, filter, sql, params] of lists) {
      const seen = await walkIds(get(user, path), { limit: 6, ...filter });
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual(await ids(sql, params));
      const byPage = await get(user, path)({ limit: 100, ...filter });
      expect(seen).toEqual(byPage.body.data.map((r: { id: string }) => r.id));
    }
  });

  it('refuses another workspace’s (or another endpoint’s) cursor with 400 INVALID_CURSOR', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const [mine, second] = await seedEndpoints(owner, 8);
    const [theirs] = await seedEndpoints(other, 8);
    await seedAttempts(owner, mine, 8);
    await seedAttempts(owner, second, 8);
    await seedAttempts(other, theirs, 8);
    await seedInbound(owner, 8);
    await seedInbound(other, 8);
    for (const path of ['/api/webhooks/endpoints', '/api/webhooks/inbound']) {
      const cursor = (await get(owner, path)({ limit: 3 })).body.pagination.nextCursor;
      expect(cursor).toEqual(expect.any(String));
      expectError(await get(other, path)({ limit: 3, cursor }), 400, 'INVALID_CURSOR');
    }
    const cursor = (await get(owner, `/api/webhooks/endpoints/${mine}/deliveries`)({ limit: 3 })).body.pagination
      .nextCursor;
    expectError(await get(other, `/api/webhooks/endpoints/${theirs}/deliveries`)({ cursor }), 400, 'INVALID_CURSOR');
    expectError(await get(owner, `/api/webhooks/endpoints/${second}/deliveries`)({ cursor }), 400, 'INVALID_CURSOR');
  });

  it('reads an index for every shape of the delivery logs, with a bounded total', async () => {
    const user = await signUp(t);
    const [endpoint] = await seedEndpoints(user, 3);
    await seedAttempts(user, endpoint, 25_000);
    await seedInbound(user, 25_000);
    await t.db.query('ANALYZE webhook_deliveries');
    await t.db.query('ANALYZE webhook_deliveries_inbound');
    const deliveries = `/api/webhooks/endpoints/${endpoint}/deliveries`;
    const first = await get(user, deliveries)({ limit: 20 });
    expect(first.body.pagination.totalIsEstimate).toBe(true);
    const inboundFirst = await get(user, '/api/webhooks/inbound')({ limit: 20 });
    expect(inboundFirst.body.pagination.totalIsEstimate).toBe(true);
    const shapes: [string, Record<string, unknown>][] = [
      [deliveries, {}],
      [deliveries, { status: 'retrying' }],
      [deliveries, { cursor: first.body.pagination.nextCursor }],
      [deliveries, { page: 40 }],
      ['/api/webhooks/inbound', {}],
      ['/api/webhooks/inbound', { source: 'campaigns' }],
      ['/api/webhooks/inbound', { status: 'rejected', source: 'leads' }],
      ['/api/webhooks/inbound', { cursor: inboundFirst.body.pagination.nextCursor }],
      ['/api/webhooks/inbound', { page: 40 }],
      ['/api/webhooks/endpoints', {}],
    ];
    for (const [path, shape] of shapes) {
      const statements = await recordSelects(() => get(user, path)({ limit: 20, ...shape }).expect(200));
      expect(statements.length).toBeGreaterThan(0);
      const problems = await planProblems(t.db, statements, {
        largeTables: ['webhook_deliveries', 'webhook_deliveries_inbound'],
      });
      expect(problems).toEqual([]);
    }
  });
});
