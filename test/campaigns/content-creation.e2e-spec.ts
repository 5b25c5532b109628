import { addMember, createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const meta = { requestId: expect.any(String), timestamp: iso, duration: expect.any(Number) };
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe('content-creation (seed 001)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const schedule = (owner: TestUser, body: Record<string, unknown>) =>
    t.http().post('/api/content-creation/schedule').set(owner.auth).send(body);

  describe('GET|POST /api/content-creation/campaigns', () => {
    it('creates content campaigns in the campaigns table and lists only those, in the seed envelope', async () => {
      const owner = await signUp(t);
      const res = await t
        .http()
        .post('/api/content-creation/campaigns')
        .set(owner.auth)
        .set('X-Request-Id', 'req-content-1')
        .send({ name: 'Summer shoot', channel: 'instagram', goals: { targetRevenue: 50000 }, currency: 'USD' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        success: true,
        data: {
          campaign: expect.objectContaining({
            name: 'Summer shoot',
            type: 'content',
            status: 'draft',
            channel: 'instagram',
            goals: { targetRevenue: 50000 },
          }),
        },
        meta: { ...meta, requestId: 'req-content-1' },
      });
      // The same campaign through the seed 004 routes.
      const same = await t.http().get(`/api/campaigns/${res.body.data.campaign.id}`).set(owner.auth);
      expect(same.body).toEqual(res.body.data.campaign);
      await t.http().post('/api/campaigns').set(owner.auth).send({ name: 'Mail', type: 'email' });
      await t
        .http()
        .post('/api/content-creation/campaigns')
        .set((await signUp(t)).auth)
        .send({ name: 'Elsewhere' });

      const list = await t.http().get('/api/content-creation/campaigns').set(owner.auth);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({
        success: true,
        data: {
          campaigns: [res.body.data.campaign],
          pagination: {
            page: 1,
            limit: 20,
            total: 1,
            pages: 1,
            totalIsEstimate: false,
            nextCursor: null,
            prevCursor: null,
          },
        },
        meta,
      });
      const filtered = await t
        .http()
        .get('/api/content-creation/campaigns')
        .set(owner.auth)
        .query({ status: 'active' });
      expect(filtered.body.data.campaigns).toEqual([]);
      expectError(
        await t.http().post('/api/content-creation/campaigns').set(owner.auth).send({ name: 'Summer shoot' }),
        409,
        'CAMPAIGN_NAME_TAKEN',
      );
    });

    it('answers 400 (type is not accepted), 401, 403 to a viewer', async () => {
      const owner = await signUp(t);
      expectError(
        await t.http().post('/api/content-creation/campaigns').set(owner.auth).send({ name: 'X', type: 'email' }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t.http().get('/api/content-creation/campaigns').set(owner.auth).query({ limit: 0 }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(await t.http().get('/api/content-creation/campaigns'), 401);
      const viewer = await addMember(t, owner, 'viewer');
      expect((await t.http().get('/api/content-creation/campaigns').set(viewer.auth)).status).toBe(200);
      expectError(
        await t.http().post('/api/content-creation/campaigns').set(viewer.auth).send({ name: 'V' }),
        403,
        'MISSING_PERMISSION',
      );
    });
  });

  describe('GET|POST /api/content-creation/schedule', () => {
    it('schedules posts and lists them by publishing time with filters and pages', async () => {
      const owner = await signUp(t);
      const campaign = (await t.http().post('/api/content-creation/campaigns').set(owner.auth).send({ name: 'Drops' }))
        .body.data.campaign;
      const created = await schedule(owner, {
        platform: 'Instagram',
        caption: 'Friday drop',
        mediaUrls: ['https://cdn.example.com/a.jpg'],
        publishAt: inDays(2),
        campaignId: campaign.id,
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        success: true,
        data: {
          post: {
            id: expect.any(String),
            platform: 'instagram',
            caption: 'Friday drop',
            mediaUrls: ['https://cdn.example.com/a.jpg'],
            publishAt: iso,
            status: 'scheduled',
            campaignId: campaign.id,
            createdById: owner.id,
            createdAt: iso,
            updatedAt: iso,
          },
        },
        meta,
      });
      await schedule(owner, { platform: 'tiktok', caption: 'Teaser', publishAt: inDays(1) });
      await schedule(owner, { platform: 'x', caption: 'Later', publishAt: inDays(10) });
      await t.db.query(
        "UPDATE scheduled_posts SET status = 'published' WHERE caption = 'Teaser' AND workspace_id = $1",
        [owner.workspaceId],
      );
      await schedule(await signUp(t), { platform: 'x', caption: 'Foreign', publishAt: inDays(1) });

      const get = (query: Record<string, unknown>) =>
        t.http().get('/api/content-creation/schedule').set(owner.auth).query(query);
      const captions = (res: { body: { data: { posts: { caption: string }[] } } }) =>
        res.body.data.posts.map((p) => p.caption);
      const all = await get({});
      expect(all.status).toBe(200);
      expect(captions(all)).toEqual(['Teaser', 'Friday drop', 'Later']);
      expect(all.body.data.pagination).toEqual({
        page: 1,
        limit: 20,
        total: 3,
        pages: 1,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      });
      expect(all.body.meta).toEqual(meta);
      expect(captions(await get({ from: inDays(1.5), to: inDays(5) }))).toEqual(['Friday drop']);
      expect(captions(await get({ platform: 'x' }))).toEqual(['Later']);
      expect(captions(await get({ status: 'published' }))).toEqual(['Teaser']);
      expect(captions(await get({ campaignId: campaign.id }))).toEqual(['Friday drop']);
      const page = await get({ limit: 2, page: 2 });
      expect(captions(page)).toEqual(['Later']);
      expect(page.body.data.pagination).toEqual({
        page: 2,
        limit: 2,
        total: 3,
        pages: 2,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: expect.any(String),
      });
      expectError(await get({ platform: 'myspace', from: 'yesterday' }), 400, 'VALIDATION_FAILED');
    });

    it('answers 400 for a past date or bad fields, 404 for a foreign campaign, 401, 403 to a viewer', async () => {
      const owner = await signUp(t);
      expectError(
        await schedule(owner, { platform: 'x', caption: 'Old', publishAt: inDays(-1) }),
        400,
        'PUBLISH_AT_IN_PAST',
      );
      const bad = await schedule(owner, { platform: 'fax', caption: '', mediaUrls: ['ftp://x'], publishAt: 'soon' });
      expectError(bad, 400, 'VALIDATION_FAILED');
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['platform', 'caption', 'mediaUrls', 'publishAt']),
      );
      const other = await signUp(t);
      const foreign = (await t.http().post('/api/content-creation/campaigns').set(other.auth).send({ name: 'Theirs' }))
        .body.data.campaign;
      expectError(
        await schedule(owner, { platform: 'x', caption: 'Hi', publishAt: inDays(1), campaignId: foreign.id }),
        404,
        'CAMPAIGN_NOT_FOUND',
      );
      expectError(await t.http().get('/api/content-creation/schedule'), 401);
      expectError(
        await t
          .http()
          .post('/api/content-creation/schedule')
          .send({ platform: 'x', caption: 'Hi', publishAt: inDays(1) }),
        401,
      );
      const viewer = await addMember(t, owner, 'viewer');
      expect((await t.http().get('/api/content-creation/schedule').set(viewer.auth)).status).toBe(200);
      expectError(
        await schedule(viewer, { platform: 'x', caption: 'Hi', publishAt: inDays(1) }),
        403,
        'MISSING_PERMISSION',
      );
    });
  });
});
