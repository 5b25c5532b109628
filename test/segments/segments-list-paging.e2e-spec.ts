import { createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';
import {
  expectCompleteWalk,
  expectForeignCursorRefused,
  expectIndexedPlans,
  expectOutputsAfterLimit,
  expectSearchIndexed,
  idsOf as idsIn,
  seedRows,
  ListCall,
  seedShape,
} from '../helpers/paged-walk';

const newLeads = { combinator: 'and', rules: [{ field: 'status', operator: 'eq', value: 'new' }] };
const small = { pageSize: 7 };
const all = { pageSize: 100 };

describe('segment lists: cursors in the seed envelope, bounded totals and plans', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const segments: ListCall = (user, query) => t.http().get('/api/marketing/segments').set(user.auth).query(query);
  const members =
    (segmentId: string): ListCall =>
    (user, query) =>
      t.http().get(`/api/marketing/segments/${segmentId}/leads`).set(user.auth).query(query);

  const seedSegments = (user: TestUser, count: number) =>
    seedRows(
      t.db,
      'segments',
      count,
      { workspace_id: '$1', name: "'Segment ' || lpad(i::text, 6, '0')", rules: '$2::jsonb' },
      [user.workspaceId, JSON.stringify(newLeads)],
    );

  /** Leads with ties on their creation instant; two in three are new, every seventh is deleted. */
  const seedLeads = (user: TestUser, count: number) =>
    seedRows(
      t.db,
      'leads',
      count,
      {
        workspace_id: '$1',
        name: "'Lead ' || i",
        email: "'lead' || i || '@example.com'",
        status: "CASE WHEN i % 3 = 0 THEN 'contacted' ELSE 'new' END",
        created_at: "timestamptz '2026-01-01' + (i % 4) * interval '1 hour'",
        deleted_at: 'CASE WHEN i % 7 = 0 THEN now() END',
      },
      [user.workspaceId],
    );

  const segment = async (user: TestUser): Promise<string> =>
    (
      await t
        .http()
        .post('/api/marketing/segments')
        .set(user.auth)
        .send({ name: `New leads ${Math.random()}`, rules: newLeads })
        .expect(201)
    ).body.data.id;

  const idsOf = (sql: string, params: unknown[]) => idsIn(t.db, sql, params);

  it('GET /api/marketing/segments visits every segment once by cursor, by name; search applies before the seek', async () => {
    const user = await signUp(t);
    await seedSegments(user, 30);
    const ids = await idsOf('SELECT id FROM segments WHERE workspace_id = $1', [user.workspaceId]);
    await expectCompleteWalk(segments, user, seedShape, ids, {}, { small, all });
    const some = await idsOf("SELECT id FROM segments WHERE workspace_id = $1 AND name LIKE 'Segment 00001%'", [
      user.workspaceId,
    ]);
    await expectCompleteWalk(segments, user, seedShape, some, { q: 'segment 00001' }, { small: { pageSize: 3 }, all });
  });

  it('GET /api/marketing/segments/:id/leads visits every live matching lead once by cursor, ties included', async () => {
    const user = await signUp(t);
    await seedLeads(user, 50);
    const id = await segment(user);
    const matching = await idsOf(
      "SELECT id FROM leads WHERE workspace_id = $1 AND status = 'new' AND deleted_at IS NULL",
      [user.workspaceId],
    );
    expect(matching.length).toBe(29);
    await expectCompleteWalk(members(id), user, seedShape, matching, {}, { small, all });
    const first = await members(id)(user, small);
    expect(first.body.metadata).toMatchObject({
      page: 1,
      pageSize: 7,
      total: 29,
      totalPages: 5,
      totalIsEstimate: false,
    });
    // A cursor of one segment's members is refused by another segment.
    const other = await segment(user);
    const res = await members(other)(user, { ...small, cursor: first.body.metadata.nextCursor });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_CURSOR');
  });

  it('refuses another workspace’s cursor on both lists with 400 INVALID_CURSOR', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    await seedSegments(owner, 20);
    await seedSegments(stranger, 20);
    await expectForeignCursorRefused(segments, owner, stranger, seedShape, small);
    await seedLeads(owner, 30);
    await seedLeads(stranger, 30);
    const mine = await segment(owner);
    const theirs = await segment(stranger);
    const first = await members(mine)(owner, small);
    const res = await members(theirs)(stranger, { ...small, cursor: first.body.metadata.nextCursor });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_CURSOR');
  });

  it('reads an index for every shape of the lists (no sequential scan, no sort of the filtered set)', async () => {
    const user = await signUp(t);
    // Enough segments that reading the table whole costs more than the name search's trigram index.
    await seedSegments(user, 100_000);
    await seedLeads(user, 25_000);
    const id = await segment(user);
    await t.db.query('ANALYZE segments; ANALYZE leads');
    const first = await segments(user, { pageSize: 20 });
    expect(first.body.metadata).toMatchObject({ totalIsEstimate: true });
    await expectIndexedPlans(
      t.db,
      segments,
      user,
      [{}, { q: 'segment 0001' }, { q: '12345' }, { cursor: first.body.metadata.nextCursor }, { page: 40 }],
      ['segments'],
    );
    await expectSearchIndexed(t.db, segments, user, { q: 'segment 012345' }, ['IDX_segments_name_trgm']);
    // The segment's own leadCount is bounded like a list total: about 14 300 leads match, beyond the cap.
    const large = await t.http().get(`/api/marketing/segments/${id}`).set(user.auth).expect(200);
    expect(large.body.data).toMatchObject({ leadCountIsEstimate: true });
    expect(large.body.data.leadCount).toBeGreaterThan(10_000);
    const page = await members(id)(user, { pageSize: 20 });
    await expectIndexedPlans(
      t.db,
      members(id),
      user,
      // Not the members search: it reads every match (1 111 leads for "lead12") through a trigram bitmap or the
      // list's index, whichever the planner prefers on the database's current statistics.
      [{}, { cursor: page.body.metadata.nextCursor }, { page: 40 }],
      ['segments', 'leads'],
    );
  }, 120_000);

  it('formats the matching leads and their cursor keys for the page only, after its Limit (and its OFFSET)', async () => {
    const user = await signUp(t);
    await seedLeads(user, 3000);
    const id = await segment(user);
    await t.db.query('ANALYZE leads');
    const first = await members(id)(user, { pageSize: 20 });
    // The search sorts its matches (a trigram bitmap, then a top-N): the page's outputs must not run on them all.
    const shapes = [{}, { q: 'lead12' }, { page: 20 }, { cursor: first.body.metadata.nextCursor }];
    const get = (q: Record<string, unknown>) => members(id)(user, { pageSize: 20, ...q });
    await expectOutputsAfterLimit(t.db, get, shapes, /json_build_array|to_char/);
  });
});
