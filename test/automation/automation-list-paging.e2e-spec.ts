import { createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';
import {
  expectCompleteWalk,
  expectForeignCursorRefused,
  expectIndexedPlans,
  idsOf as idsIn,
  ListCall,
  seedShape,
} from '../helpers/paged-walk';

const small = { pageSize: 7 };
const all = { pageSize: 100 };
const tie = "timestamptz '2026-01-01 00:00:00.123456+00'";

describe('automation lists: cursors in the seed envelope, bounded totals and plans', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const rules: ListCall = (user, query) => t.http().get('/api/marketing/automation').set(user.auth).query(query);
  const runs =
    (ruleId: string): ListCall =>
    (user, query) =>
      t.http().get(`/api/marketing/automation/${ruleId}/runs`).set(user.auth).query(query);

  /** Rules, half created at one instant (ties); one in three paused. */
  const seedRules = (user: TestUser, count: number) =>
    t.db.query(
      `INSERT INTO automation_rules (workspace_id, name, status, trigger_type, trigger, actions, created_at)
       SELECT $1, 'Rule ' || lpad(i::text, 6, '0'), CASE WHEN i % 3 = 0 THEN 'paused' ELSE 'active' END,
              'lead.created', '{"type": "lead.created"}', '[{"type": "add_tag", "tag": "x"}]',
              CASE WHEN i % 2 = 0 THEN ${tie} ELSE timestamptz '2026-01-01' + make_interval(secs => i) END
         FROM generate_series(1, $2) i`,
      [user.workspaceId, count],
    );

  /** A rule with `count` runs at three instants (ties); one in four failed. */
  const seedRuns = async (user: TestUser, count: number): Promise<string> => {
    const [{ id }] = await t.db.query(
      `INSERT INTO automation_rules (workspace_id, name, trigger_type, trigger, actions)
       VALUES ($1, 'Logged ' || gen_random_uuid(), 'lead.created', '{"type": "lead.created"}', '[]') RETURNING id`,
      [user.workspaceId],
    );
    await t.db.query(
      `INSERT INTO automation_runs (workspace_id, rule_id, trigger_event_id, trigger_type, status, duration_ms, created_at)
       SELECT $1, $2, 'event-' || i, 'lead.created', CASE WHEN i % 4 = 0 THEN 'failed' ELSE 'succeeded' END, 5,
              timestamptz '2026-01-01' + (i % 3) * interval '1 minute'
         FROM generate_series(1, $3) i`,
      [user.workspaceId, id, count],
    );
    return id;
  };

  const idsOf = (sql: string, params: unknown[]) => idsIn(t.db, sql, params);

  it('GET /api/marketing/automation visits every rule once by cursor, newest first, filters before the seek', async () => {
    const user = await signUp(t);
    await seedRules(user, 40);
    const ids = await idsOf('SELECT id FROM automation_rules WHERE workspace_id = $1', [user.workspaceId]);
    await expectCompleteWalk(rules, user, seedShape, ids, {}, { small, all });
    const paused = await idsOf("SELECT id FROM automation_rules WHERE workspace_id = $1 AND status = 'paused'", [
      user.workspaceId,
    ]);
    await expectCompleteWalk(rules, user, seedShape, paused, { status: 'paused' }, { small: { pageSize: 4 }, all });
  });

  it('GET /api/marketing/automation/:id/runs visits every run once by cursor; another rule refuses the cursor', async () => {
    const user = await signUp(t);
    const ruleId = await seedRuns(user, 45);
    const ids = await idsOf('SELECT id FROM automation_runs WHERE rule_id = $1', [ruleId]);
    await expectCompleteWalk(runs(ruleId), user, seedShape, ids, {}, { small, all });
    const failed = await idsOf("SELECT id FROM automation_runs WHERE rule_id = $1 AND status = 'failed'", [ruleId]);
    await expectCompleteWalk(
      runs(ruleId),
      user,
      seedShape,
      failed,
      { status: 'failed' },
      { small: { pageSize: 4 }, all },
    );
    const other = await seedRuns(user, 10);
    const first = await runs(ruleId)(user, small);
    const res = await runs(other)(user, { ...small, cursor: first.body.metadata.nextCursor });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_CURSOR');
  });

  it('refuses another workspace’s cursor on both lists with 400 INVALID_CURSOR', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    await seedRules(owner, 20);
    await seedRules(stranger, 20);
    await expectForeignCursorRefused(rules, owner, stranger, seedShape, small);
    const mine = await seedRuns(owner, 20);
    const theirs = await seedRuns(stranger, 20);
    const first = await runs(mine)(owner, small);
    const res = await runs(theirs)(stranger, { ...small, cursor: first.body.metadata.nextCursor });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_CURSOR');
  });

  it('reads an index for every shape of the lists (no sequential scan, no sort of the filtered set)', async () => {
    const user = await signUp(t);
    await seedRules(user, 25_000);
    const ruleId = await seedRuns(user, 25_000);
    await t.db.query('ANALYZE automation_rules; ANALYZE automation_runs');
    const first = await rules(user, { pageSize: 20 });
    expect(first.body.metadata).toMatchObject({ totalIsEstimate: true });
    await expectIndexedPlans(
      t.db,
      rules,
      user,
      [
        {},
        { status: 'paused' },
        { triggerType: 'lead.created' },
        { cursor: first.body.metadata.nextCursor },
        { page: 40 },
      ],
      ['automation_rules'],
    );
    const log = await runs(ruleId)(user, { pageSize: 20 });
    await expectIndexedPlans(
      t.db,
      runs(ruleId),
      user,
      [{}, { status: 'failed' }, { cursor: log.body.metadata.nextCursor }, { page: 40 }],
      ['automation_runs'],
    );
  }, 120_000);
});
