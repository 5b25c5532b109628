import fc from 'fast-check';
import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { planProblems, recordSelects } from '../helpers/query-plans';
import { getAs, walkIds } from '../helpers/paged-walk';

describe('logs lists: cursors, bounded totals and plans', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const get = (user: TestUser, path: string) => getAs(t)(user, path);

  /** Entries with many ties on created_at (a third share one timestamp), across types and levels. */
  const seed = (user: TestUser, count: number) =>
    t.db.query(
      `INSERT INTO audit_logs (workspace_id, user_id, type, level, action, message, created_at)
       SELECT $1, $2, (ARRAY['auth','admin','agent','error'])[1 + i % 4], (ARRAY['info','warn'])[1 + i % 2],
              'act_' || (i % 5), 'entry ' || i,
              CASE WHEN i % 3 = 0 THEN timestamptz '2026-01-01 00:00:00.123456+00'
                   ELSE timestamptz '2026-01-01' + make_interval(secs => i / 7) END
         FROM generate_series(1, $3) i`,
      [user.workspaceId, user.id, count],
    );

  it('walks every entry exactly once by cursor, ties included, in the page order, on every route', async () => {
    const user = await signUp(t);
    await seed(user, 75);
    for (const [path, type] of [
      ['/api/logs', null],
      ['/api/logs/auth', 'auth'],
      ['/api/logs/agents', 'agent'],
      ['/api/logs/errors', 'error'],
    ] as const) {
      const rows = await t.db.query(
        `SELECT id FROM audit_logs WHERE workspace_id = $1 AND ($2::text IS NULL OR type = $2)`,
        [user.workspaceId, type],
      );
      const seen = await walkIds(get(user, path), { limit: 7 });
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual(rows.map((r: { id: string }) => r.id).sort());
      const byPage = await get(user, path)({ limit: 100 });
      expect(seen).toEqual(byPage.body.data.map((l: { id: string }) => l.id));
    }
    // Filters apply before the seek.
    const warn = await walkIds(get(user, '/api/logs'), { limit: 4, level: 'warn', action: 'act_1' });
    const expected = await t.db.query(
      `SELECT id FROM audit_logs WHERE workspace_id = $1 AND level = 'warn' AND action = 'act_1'`,
      [user.workspaceId],
    );
    expect([...warn].sort()).toEqual(expected.map((r: { id: string }) => r.id).sort());
    // prevCursor of the second page leads back to the first.
    const p1 = await get(user, '/api/logs')({ limit: 10 });
    const p2 = await get(user, '/api/logs')({ limit: 10, cursor: p1.body.pagination.nextCursor });
    const back = await get(user, '/api/logs')({ limit: 10, cursor: p2.body.pagination.prevCursor });
    expect(back.body.data).toEqual(p1.body.data);
    expect(p2.body.pagination.page).toBeNull();
  });

  it('never repeats or skips an entry that stays while entries are written and deleted during the walk', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 12 }),
        fc.array(fc.tuple(fc.nat(40), fc.nat(4)), { minLength: 1, maxLength: 6 }),
        async (limit, changes) => {
          const user = await signUp(t);
          await seed(user, 40);
          const before: string[] = (
            await t.db.query('SELECT id FROM audit_logs WHERE workspace_id = $1', [user.workspaceId])
          ).map((r: { id: string }) => r.id);
          const deleted = new Set<string>();
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let step = 0; step < 200; step++) {
            const res = await get(user, '/api/logs')({ limit, ...(cursor ? { cursor } : {}) });
            expect(res.status).toBe(200);
            seen.push(...res.body.data.map((l: { id: string }) => l.id));
            // Between pages: delete one original entry, write a few with colliding times.
            const [victimIndex, inserts] = changes[step % changes.length];
            const victim = before[victimIndex % before.length];
            if (!deleted.has(victim)) {
              deleted.add(victim);
              await t.db.query('DELETE FROM audit_logs WHERE id = $1', [victim]);
            }
            await seed(user, inserts);
            cursor = res.body.pagination.nextCursor ?? undefined;
            if (!cursor) break;
          }
          expect(new Set(seen).size).toBe(seen.length);
          const seenSet = new Set(seen);
          expect(before.filter((id) => !deleted.has(id) && !seenSet.has(id))).toEqual([]);
        },
      ),
      { numRuns: 6 },
    );
  }, 120_000);

  it('refuses another workspace’s cursor and a tampered one with 400 INVALID_CURSOR', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    await seed(owner, 12);
    await seed(other, 12);
    const first = await get(owner, '/api/logs')({ limit: 5 });
    const cursor = first.body.pagination.nextCursor as string;
    expectError(await get(other, '/api/logs')({ limit: 5, cursor }), 400, 'INVALID_CURSOR');
    const [body, signature] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify(['n', '2999-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000']));
    expectError(
      await get(owner, '/api/logs')({ cursor: `${forged.toString('base64url')}.${signature}` }),
      400,
      'INVALID_CURSOR',
    );
    expectError(
      await get(owner, '/api/logs')({ cursor: `${body}.${[...signature].reverse().join('')}` }),
      400,
      'INVALID_CURSOR',
    );
  });

  it('reads an index for every shape of the list, with a bounded total', async () => {
    const user = await signUp(t);
    await seed(user, 25_000);
    await t.db.query('ANALYZE audit_logs');
    const first = await get(user, '/api/logs')({ limit: 20 });
    expect(first.body.pagination).toMatchObject({ totalIsEstimate: true });
    expect(first.body.pagination.total).toBeGreaterThan(10_000);
    const shapes: [string, Record<string, unknown>][] = [
      ['/api/logs', {}],
      ['/api/logs', { cursor: first.body.pagination.nextCursor }],
      ['/api/logs', { page: 40 }],
      ['/api/logs', { type: 'admin' }],
      ['/api/logs', { level: 'warn', action: 'act_2' }],
      ['/api/logs', { userId: user.id, from: '2026-01-01T01:00:00Z', to: '2026-01-01T02:00:00Z' }],
      ['/api/logs/auth', {}],
      ['/api/logs/errors', { level: 'warn' }],
    ];
    for (const [path, shape] of shapes) {
      const statements = await recordSelects(() => get(user, path)({ limit: 20, ...shape }).expect(200));
      expect(statements.length).toBeGreaterThan(0);
      expect(await planProblems(t.db, statements, { largeTables: ['audit_logs'] })).toEqual([]);
    }
  });
});
