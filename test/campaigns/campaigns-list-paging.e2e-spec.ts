import { signUp, TestUser } from '../helpers/test-app';
import {
  expectCompleteWalk,
  expectForeignCursorRefused,
  expectIndexedPlans,
  expectSearchIndexed,
  houseShape,
  pageSizes,
  seedRows,
  PageShape,
  usePagingApp,
  walkIds,
} from '../helpers/paged-walk';

const sorts = ['createdAt', 'updatedAt', 'name', 'startAt', 'endAt'] as const;
const enrollmentShape: PageShape = {
  rows: (b) => b.data.map((r: { leadId: string }) => ({ id: r.leadId })),
  next: (b) => b.pagination.nextCursor,
};
const scheduleShape: PageShape = { rows: (b) => b.data.posts, next: (b) => b.data.pagination.nextCursor };
const { small, all } = pageSizes;

describe('campaign lists: cursors, bounded totals and plans', () => {
  const { t, list, idsOf } = usePagingApp();
  const campaigns = list('/api/campaigns');
  const contentCampaigns = list('/api/content-creation/campaigns');
  const schedule = list('/api/content-creation/schedule');
  const enrollments = (campaignId: string) => list(`/api/campaigns/${campaignId}/leads`);

  /** Campaigns with ties on every sort key but the name: half share a creation instant, open starts and ends. */
  const seedCampaigns = (user: TestUser, count: number, type = 'email') =>
    seedRows(
      t.db,
      'campaigns',
      count,
      {
        workspace_id: '$1',
        name: "$2 || ' ' || lpad(i::text, 6, '0')",
        type: '$2',
        status: "CASE WHEN i % 4 = 0 THEN 'active' ELSE 'draft' END",
        start_at: "CASE WHEN i % 3 = 0 THEN NULL ELSE timestamptz '2026-03-01' + (i % 4) * interval '1 day' END",
        end_at: "CASE WHEN i % 3 = 1 THEN NULL ELSE timestamptz '2026-06-01' + (i % 2) * interval '1 day' END",
        created_at: `CASE WHEN i % 2 = 0 THEN timestamptz '2026-01-01 00:00:00.123456+00'
                          ELSE timestamptz '2026-01-01' + make_interval(secs => i / 1000.0) END`,
        updated_at: "timestamptz '2026-02-01' + make_interval(secs => i % 5)",
      },
      [user.workspaceId, type],
    );

  /** A campaign with `count` enrollments at three instants (ties); every fifth lead is deleted. */
  const seedEnrollments = async (user: TestUser, count: number): Promise<string> => {
    const [{ id }] = await t.db.query(
      `INSERT INTO campaigns (workspace_id, name, type, status) VALUES ($1, 'Enrolling ' || gen_random_uuid(), 'email', 'active')
       RETURNING id`,
      [user.workspaceId],
    );
    await t.db.query(
      `WITH l AS (
         INSERT INTO leads (workspace_id, name, status, deleted_at)
         SELECT $1, 'Lead ' || i, 'new', CASE WHEN i % 5 = 0 THEN now() END FROM generate_series(1, $3) i
         RETURNING id
       )
       INSERT INTO campaign_leads (campaign_id, lead_id, workspace_id, enrolled_at)
       SELECT $2, l.id, $1, timestamptz '2026-01-01' + (row_number() OVER () % 3) * interval '1 hour' FROM l`,
      [user.workspaceId, id, count],
    );
    return id;
  };

  const seedPosts = (user: TestUser, count: number) =>
    seedRows(
      t.db,
      'scheduled_posts',
      count,
      {
        workspace_id: '$1',
        platform: "CASE WHEN i % 2 = 0 THEN 'x' ELSE 'instagram' END",
        caption: "'Post ' || i",
        publish_at: "timestamptz '2027-01-01' + (i % 4) * interval '1 day'",
      },
      [user.workspaceId],
    );

  it('GET /api/campaigns visits every campaign once by cursor, in every sort and direction, ties included', async () => {
    const user = await signUp(t);
    await seedCampaigns(user, 40);
    const ids = await idsOf('SELECT id FROM campaigns WHERE workspace_id = $1', [user.workspaceId]);
    for (const sortBy of sorts) {
      for (const order of ['asc', 'desc']) {
        await expectCompleteWalk(campaigns, user, houseShape, ids, { sortBy, order }, { small, all });
      }
    }
    // Filters apply before the seek: the walk of the active ones visits exactly those.
    const active = await idsOf("SELECT id FROM campaigns WHERE workspace_id = $1 AND status = 'active'", [
      user.workspaceId,
    ]);
    await expectCompleteWalk(
      campaigns,
      user,
      houseShape,
      active,
      { status: 'active', sortBy: 'startAt' },
      { small, all },
    );
    // Backwards from the third page: the second, then the first.
    const p1 = await campaigns(user, { ...small, sortBy: 'endAt' });
    const p2 = await campaigns(user, { ...small, sortBy: 'endAt', cursor: p1.body.pagination.nextCursor });
    const p3 = await campaigns(user, { ...small, sortBy: 'endAt', cursor: p2.body.pagination.nextCursor });
    const back = await campaigns(user, { ...small, sortBy: 'endAt', cursor: p3.body.pagination.prevCursor });
    expect(back.body.data).toEqual(p2.body.data);
  });

  it('GET /api/content-creation/campaigns and /schedule page by cursor inside the content-creation envelope', async () => {
    const user = await signUp(t);
    await seedCampaigns(user, 12, 'content');
    await seedCampaigns(user, 5, 'email');
    const contentIds = await idsOf("SELECT id FROM campaigns WHERE workspace_id = $1 AND type = 'content'", [
      user.workspaceId,
    ]);
    const contentShape: PageShape = { rows: (b) => b.data.campaigns, next: (b) => b.data.pagination.nextCursor };
    await expectCompleteWalk(contentCampaigns, user, contentShape, contentIds, {}, { small: { limit: 5 }, all });

    await seedPosts(user, 30);
    const postIds = await idsOf('SELECT id FROM scheduled_posts WHERE workspace_id = $1', [user.workspaceId]);
    await expectCompleteWalk(schedule, user, scheduleShape, postIds, {}, { small, all });
    const xIds = await idsOf("SELECT id FROM scheduled_posts WHERE workspace_id = $1 AND platform = 'x'", [
      user.workspaceId,
    ]);
    await expectCompleteWalk(schedule, user, scheduleShape, xIds, { platform: 'x' }, { small, all });
    const first = await schedule(user, { limit: 5 });
    expect(first.body.data.pagination).toMatchObject({ page: 1, total: 30, totalIsEstimate: false, prevCursor: null });
  });

  it('GET /api/campaigns/:id/leads visits every live enrollment once by cursor; a cursor of another campaign is refused', async () => {
    const user = await signUp(t);
    const campaignId = await seedEnrollments(user, 45);
    const live = await idsOf(
      `SELECT cl.lead_id AS id FROM campaign_leads cl JOIN leads l ON l.id = cl.lead_id
        WHERE cl.campaign_id = $1 AND l.deleted_at IS NULL`,
      [campaignId],
    );
    expect(live).toHaveLength(36);
    await expectCompleteWalk(enrollments(campaignId), user, enrollmentShape, live, {}, { small, all });
    const other = await seedEnrollments(user, 10);
    const first = await enrollments(campaignId)(user, small);
    const res = await enrollments(other)(user, { ...small, cursor: first.body.pagination.nextCursor });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_CURSOR');
  });

  it('refuses another workspace’s cursor on every campaign list with 400 INVALID_CURSOR', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    await seedCampaigns(owner, 20, 'content');
    await seedPosts(owner, 20);
    const campaignId = await seedEnrollments(owner, 20);
    const strangerCampaign = await seedEnrollments(stranger, 20);
    await expectForeignCursorRefused(campaigns, owner, stranger, houseShape, small);
    await expectForeignCursorRefused(
      contentCampaigns,
      owner,
      stranger,
      {
        rows: (b) => b.data.campaigns,
        next: (b) => b.data.pagination.nextCursor,
      },
      small,
    );
    await expectForeignCursorRefused(schedule, owner, stranger, scheduleShape, small);
    const first = await enrollments(campaignId)(owner, small);
    const res = await enrollments(strangerCampaign)(stranger, { ...small, cursor: first.body.pagination.nextCursor });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_CURSOR');
    // And never the owner's rows: the stranger's own walk sees only the stranger's enrollments.
    const theirs = await walkIds((q) => enrollments(strangerCampaign)(stranger, q), small, enrollmentShape);
    expect(theirs).toHaveLength(16);
  });

  it('reads an index for every shape of the campaign lists (no sequential scan, no sort of the filtered set)', async () => {
    const user = await signUp(t);
    await seedCampaigns(user, 25_000);
    await seedPosts(user, 25_000);
    const campaignId = await seedEnrollments(user, 25_000);
    // Other campaigns' enrollments, as at real scale: with the table holding this campaign alone, reading it
    // whole is the planner's right choice (and whether it does then depends on which specs ran before in this database).
    await seedEnrollments(await signUp(t), 100_000);
    // A campaign enrolls a part of its workspace's leads: with the workspace's leads all enrolled, hashing the whole
    // leads table costs the planner less than looking the bounded count's 10 001 enrollments up one by one.
    await seedRows(t.db, 'leads', 100_000, { workspace_id: '$1', name: "'Other ' || i", status: "'new'" }, [
      user.workspaceId,
    ]);
    await t.db.query('ANALYZE campaigns; ANALYZE scheduled_posts; ANALYZE campaign_leads; ANALYZE leads');
    const large = await campaigns(user, { limit: 20 });
    expect(large.body.pagination).toMatchObject({ totalIsEstimate: true });
    expect(large.body.pagination.total).toBeGreaterThan(10_000);
    await expectIndexedPlans(
      t.db,
      campaigns,
      user,
      [
        {},
        ...sorts.flatMap((sortBy) => [{ sortBy }, { sortBy, order: 'asc' }]),
        { status: 'active' },
        { cursor: large.body.pagination.nextCursor },
        { sortBy: 'startAt', cursor: (await campaigns(user, { sortBy: 'startAt' })).body.pagination.nextCursor },
        { page: 40 },
      ],
      ['campaigns'],
    );
    // The name search reads the trigram index, in the page and in the bounded count alike, once the table is
    // large enough that reading it whole costs more (other workspaces' campaigns count too).
    await seedCampaigns(await signUp(t), 100_000);
    await t.db.query('ANALYZE campaigns');
    for (const q of ['email 0001', 'email 024999', '12345']) {
      await expectIndexedPlans(t.db, campaigns, user, [{ q }], ['campaigns']);
      await expectSearchIndexed(t.db, campaigns, user, { q }, ['IDX_campaigns_name_trgm']);
    }
    const posts = await schedule(user, { limit: 20 });
    await expectIndexedPlans(
      t.db,
      schedule,
      user,
      [{}, { platform: 'x' }, { from: '2027-01-02T00:00:00Z' }, { cursor: posts.body.data.pagination.nextCursor }],
      ['scheduled_posts'],
    );
    const enrolled = await enrollments(campaignId)(user, { limit: 20 });
    await expectIndexedPlans(
      t.db,
      enrollments(campaignId),
      user,
      [{}, { stage: 'enrolled' }, { cursor: enrolled.body.pagination.nextCursor }],
      ['campaign_leads', 'leads'],
    );
  }, 120_000);
});
