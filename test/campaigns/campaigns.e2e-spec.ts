import { randomUUID } from 'node:crypto';
import { addMember, createTestApp, expectError, TestApp, TestUser } from '../helpers/test-app';
import { signUp } from '../helpers/test-app';

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('campaigns', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const createCampaign = async (owner: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post('/api/campaigns').set(owner.auth).send(body);
    if (res.status !== 201) throw new Error(`create campaign failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; name: string; status: string; [key: string]: unknown };
  };
  const setStatus = (owner: TestUser, id: string, status: string) =>
    t.http().put(`/api/campaigns/${id}/status`).set(owner.auth).send({ status });
  const createNiche = async (owner: TestUser, name: string) => {
    const res = await t.http().post('/api/niches').set(owner.auth).send({ name });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const createLead = async (owner: TestUser, name: string) => {
    const res = await t.http().post('/api/leads').set(owner.auth).send({ name });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const names = (body: { data: { name: string }[] }) => body.data.map((c) => c.name);

  describe('POST /api/campaigns', () => {
    it('creates a draft campaign with every field', async () => {
      const owner = await signUp(t);
      const niche = await createNiche(owner, 'SaaS');
      // A segment of the workspace: an id of another workspace (or none) answers 404 SEGMENT_NOT_FOUND.
      const segment = await t
        .http()
        .post('/api/marketing/segments')
        .set(owner.auth)
        .send({ name: 'Warm', rules: { combinator: 'and', rules: [{ field: 'score', operator: 'gte', value: 50 }] } });
      expect(segment.status).toBe(201);
      const segmentId: string = segment.body.data.id;
      const res = await t
        .http()
        .post('/api/campaigns')
        .set(owner.auth)
        .send({
          name: ' Spring launch ',
          description: 'Q2 push',
          type: 'email',
          channel: ' Email ',
          startAt: '2026-04-01T00:00:00.000Z',
          endAt: '2026-04-30T00:00:00.000Z',
          budget: 250000,
          currency: 'eur',
          goals: { targetLeads: 500, targetConversions: 50, targetRevenue: 1000000 },
          targetNicheIds: [niche.id, niche.id],
          targetSegmentIds: [segmentId],
        });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Spring launch',
        description: 'Q2 push',
        type: 'email',
        channel: 'email',
        status: 'draft',
        allowedTransitions: ['scheduled', 'active', 'archived'],
        canDelete: true,
        acceptsEnrollments: true,
        startAt: '2026-04-01T00:00:00.000Z',
        endAt: '2026-04-30T00:00:00.000Z',
        budget: 250000,
        currency: 'EUR',
        goals: { targetLeads: 500, targetConversions: 50, targetRevenue: 1000000 },
        targetNicheIds: [niche.id],
        targetSegmentIds: [segmentId],
        ownerId: owner.id,
        createdAt: iso,
        updatedAt: iso,
      });
      const [row] = await t.db.query('SELECT workspace_id FROM campaigns WHERE id = $1', [res.body.id]);
      expect(row.workspace_id).toBe(owner.workspaceId);
    });

    it('answers 400 for bad fields, a reversed window, a budget without currency, a foreign niche, a non-member owner', async () => {
      const owner = await signUp(t);
      const res = await t
        .http()
        .post('/api/campaigns')
        .set(owner.auth)
        .send({
          name: '',
          type: 'fax',
          currency: 'EURO',
          budget: -1,
          goals: { targetLeads: -5, other: 1 },
          targetNicheIds: ['nope'],
          targetSegmentIds: 'x',
          status: 'active',
        });
      expectError(res, 400, 'VALIDATION_FAILED');
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'name',
          'type',
          'currency',
          'budget',
          'goals.targetLeads',
          'goals.other',
          'targetNicheIds',
          'targetSegmentIds',
          'status',
        ]),
      );
      expectError(
        await t.http().post('/api/campaigns').set(owner.auth).send({
          name: 'Window',
          type: 'email',
          startAt: '2026-05-02T00:00:00.000Z',
          endAt: '2026-05-01T00:00:00.000Z',
        }),
        400,
        'INVALID_CAMPAIGN_WINDOW',
      );
      expectError(
        await t.http().post('/api/campaigns').set(owner.auth).send({ name: 'Budget', type: 'email', budget: 100 }),
        400,
        'CURRENCY_REQUIRED',
      );
      const other = await signUp(t);
      const foreignNiche = await createNiche(other, 'Theirs');
      const foreign = await t
        .http()
        .post('/api/campaigns')
        .set(owner.auth)
        .send({ name: 'Niche', type: 'social', targetNicheIds: [foreignNiche.id] });
      expectError(foreign, 404, 'NICHE_NOT_FOUND');
      expect(foreign.body.details).toEqual([{ field: 'targetNicheIds', message: `unknown niche ${foreignNiche.id}` }]);
      expectError(
        await t.http().post('/api/campaigns').set(owner.auth).send({ name: 'Owner', type: 'email', ownerId: other.id }),
        404,
        'OWNER_NOT_MEMBER',
      );
    });

    it('answers 409 CAMPAIGN_NAME_TAKEN for a name used in the workspace, not in another', async () => {
      const owner = await signUp(t);
      await createCampaign(owner, { name: 'Same', type: 'email' });
      expectError(
        await t.http().post('/api/campaigns').set(owner.auth).send({ name: 'Same', type: 'social' }),
        409,
        'CAMPAIGN_NAME_TAKEN',
      );
      await createCampaign(await signUp(t), { name: 'Same', type: 'email' });
    });

    it('answers 401 without credentials and 403 to a viewer; a member may write', async () => {
      const owner = await signUp(t);
      expectError(await t.http().post('/api/campaigns').send({ name: 'X', type: 'email' }), 401);
      const viewer = await addMember(t, owner, 'viewer');
      expectError(
        await t.http().post('/api/campaigns').set(viewer.auth).send({ name: 'X', type: 'email' }),
        403,
        'MISSING_PERMISSION',
      );
      const member = await addMember(t, owner, 'member');
      const created = await createCampaign(member, { name: 'By member', type: 'email' });
      expect(created.ownerId).toBe(member.id);
      expect((await t.http().get(`/api/campaigns/${created.id}`).set(viewer.auth)).status).toBe(200);
    });
  });

  describe('GET /api/campaigns', () => {
    it('filters by status, type, channel, niche; searches the name; sorts; pages', async () => {
      const owner = await signUp(t);
      const niche = await createNiche(owner, 'Fitness');
      const a = await createCampaign(owner, { name: 'Alpha mail', type: 'email', channel: 'email' });
      await createCampaign(owner, {
        name: 'Beta insta',
        type: 'social',
        channel: 'instagram',
        targetNicheIds: [niche.id],
        startAt: '2026-01-01T00:00:00.000Z',
      });
      await createCampaign(owner, { name: 'Gamma blog 100%', type: 'content', channel: 'blog' });
      expect((await setStatus(owner, a.id, 'active')).status).toBe(200);
      await createCampaign(await signUp(t), { name: 'Elsewhere', type: 'email' });

      const get = (query: Record<string, unknown>) => t.http().get('/api/campaigns').set(owner.auth).query(query);
      const all = await get({ sortBy: 'name', order: 'asc' });
      expect(all.status).toBe(200);
      expect(names(all.body)).toEqual(['Alpha mail', 'Beta insta', 'Gamma blog 100%']);
      expect(all.body.pagination).toEqual({
        page: 1,
        limit: 20,
        total: 3,
        pages: 1,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      });
      expect(names((await get({ status: 'active' })).body)).toEqual(['Alpha mail']);
      expect(names((await get({ type: 'social' })).body)).toEqual(['Beta insta']);
      expect(names((await get({ channel: 'Instagram' })).body)).toEqual(['Beta insta']);
      expect(names((await get({ nicheId: niche.id })).body)).toEqual(['Beta insta']);
      expect(names((await get({ q: 'BLOG 100%' })).body)).toEqual(['Gamma blog 100%']);
      expect(names((await get({ q: '%' })).body)).toEqual(['Gamma blog 100%']);
      expect(names((await get({ sortBy: 'name', order: 'desc' })).body)).toEqual([
        'Gamma blog 100%',
        'Beta insta',
        'Alpha mail',
      ]);
      expect(names((await get({ sortBy: 'startAt', order: 'asc' })).body)[0]).toBe('Beta insta');
      const page2 = await get({ sortBy: 'name', order: 'asc', limit: 2, page: 2 });
      expect(names(page2.body)).toEqual(['Gamma blog 100%']);
      expect(page2.body.pagination).toEqual({
        page: 2,
        limit: 2,
        total: 3,
        pages: 2,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: expect.any(String),
      });
      expectError(await get({ status: 'running', limit: 101, sortBy: 'budget' }), 400, 'VALIDATION_FAILED');
      expectError(await t.http().get('/api/campaigns'), 401);
    });
  });

  describe('GET|PUT|DELETE /api/campaigns/:id', () => {
    it('gets, updates only the fields sent, clears nullables; 404 for another workspace; 400 for a bad id', async () => {
      const owner = await signUp(t);
      const c = await createCampaign(owner, {
        name: 'Edit me',
        type: 'email',
        channel: 'email',
        budget: 1000,
        currency: 'USD',
        startAt: '2026-06-01T00:00:00.000Z',
      });
      const got = await t.http().get(`/api/campaigns/${c.id}`).set(owner.auth);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(c);

      const res = await t
        .http()
        .put(`/api/campaigns/${c.id}`)
        .set(owner.auth)
        .send({ name: 'Edited', channel: null, goals: { targetConversions: 3 }, endAt: '2026-06-30T00:00:00.000Z' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: 'Edited',
        channel: null,
        type: 'email',
        budget: 1000,
        currency: 'USD',
        goals: { targetConversions: 3 },
        startAt: '2026-06-01T00:00:00.000Z',
        endAt: '2026-06-30T00:00:00.000Z',
      });
      // The merged window is checked: an endAt before the stored startAt is refused.
      expectError(
        await t.http().put(`/api/campaigns/${c.id}`).set(owner.auth).send({ endAt: '2026-05-01T00:00:00.000Z' }),
        400,
        'INVALID_CAMPAIGN_WINDOW',
      );
      expectError(
        await t.http().put(`/api/campaigns/${c.id}`).set(owner.auth).send({ currency: null }),
        400,
        'CURRENCY_REQUIRED',
      );
      expectError(
        await t.http().put(`/api/campaigns/${c.id}`).set(owner.auth).send({ status: 'active' }),
        400,
        'VALIDATION_FAILED',
      );
      await createCampaign(owner, { name: 'Taken', type: 'email' });
      expectError(
        await t.http().put(`/api/campaigns/${c.id}`).set(owner.auth).send({ name: 'Taken' }),
        409,
        'CAMPAIGN_NAME_TAKEN',
      );

      const other = await signUp(t);
      expectError(await t.http().get(`/api/campaigns/${c.id}`).set(other.auth), 404, 'CAMPAIGN_NOT_FOUND');
      expectError(
        await t.http().put(`/api/campaigns/${c.id}`).set(other.auth).send({ name: 'Hijack' }),
        404,
        'CAMPAIGN_NOT_FOUND',
      );
      expectError(await t.http().delete(`/api/campaigns/${c.id}`).set(other.auth), 404, 'CAMPAIGN_NOT_FOUND');
      expectError(await t.http().get('/api/campaigns/not-a-uuid').set(owner.auth), 400, 'VALIDATION_FAILED');
      expectError(await t.http().get(`/api/campaigns/${randomUUID()}`).set(owner.auth), 404, 'CAMPAIGN_NOT_FOUND');
      const viewer = await addMember(t, owner, 'viewer');
      expectError(await t.http().put(`/api/campaigns/${c.id}`).set(viewer.auth).send({ name: 'V' }), 403);
      expectError(await t.http().delete(`/api/campaigns/${c.id}`).set(viewer.auth), 403);
      expectError(await t.http().get(`/api/campaigns/${c.id}`), 401);
    });

    it('deletes draft campaigns (with their enrollments, audited); 409 CAMPAIGN_NOT_DELETABLE while active or completed', async () => {
      const owner = await signUp(t);
      const draft = await createCampaign(owner, { name: 'Draft', type: 'email' });
      const lead = await createLead(owner, 'Enrolled');
      expect(
        (
          await t
            .http()
            .post(`/api/campaigns/${draft.id}/leads`)
            .set(owner.auth)
            .send({ leadIds: [lead.id] })
        ).status,
      ).toBe(200);
      const del = await t.http().delete(`/api/campaigns/${draft.id}`).set(owner.auth);
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      expectError(await t.http().get(`/api/campaigns/${draft.id}`).set(owner.auth), 404);
      const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM campaign_leads WHERE campaign_id = $1', [
        draft.id,
      ]);
      expect(count).toBe(0);
      const [audit] = await t.db.query(
        "SELECT workspace_id, user_id FROM audit_logs WHERE action = 'campaign_deleted' AND metadata->>'campaignId' = $1",
        [draft.id],
      );
      expect(audit).toEqual({ workspace_id: owner.workspaceId, user_id: owner.id });

      const active = await createCampaign(owner, { name: 'Active', type: 'email' });
      await setStatus(owner, active.id, 'active');
      expectError(await t.http().delete(`/api/campaigns/${active.id}`).set(owner.auth), 409, 'CAMPAIGN_NOT_DELETABLE');
      await setStatus(owner, active.id, 'completed');
      expectError(await t.http().delete(`/api/campaigns/${active.id}`).set(owner.auth), 409, 'CAMPAIGN_NOT_DELETABLE');
      await setStatus(owner, active.id, 'archived');
      expect((await t.http().delete(`/api/campaigns/${active.id}`).set(owner.auth)).status).toBe(204);
    });
    it('says in every status whether it may be deleted and take leads, as DELETE and enrollment then answer', async () => {
      const owner = await signUp(t);
      const lead = await createLead(owner, 'Probe');
      // The path to each status from draft, and what the API enforces there.
      const cases: { status: string; path: string[]; canDelete: boolean; acceptsEnrollments: boolean }[] = [
        { status: 'draft', path: [], canDelete: true, acceptsEnrollments: true },
        { status: 'scheduled', path: ['scheduled'], canDelete: true, acceptsEnrollments: true },
        { status: 'active', path: ['active'], canDelete: false, acceptsEnrollments: true },
        { status: 'paused', path: ['active', 'paused'], canDelete: true, acceptsEnrollments: true },
        { status: 'completed', path: ['active', 'completed'], canDelete: false, acceptsEnrollments: false },
        { status: 'archived', path: ['active', 'completed', 'archived'], canDelete: true, acceptsEnrollments: false },
      ];
      for (const expected of cases) {
        const c = await createCampaign(owner, {
          name: `Flags ${expected.status}`,
          type: 'email',
          startAt: '2030-01-01T00:00:00.000Z',
        });
        let last: Record<string, unknown> = c;
        for (const step of expected.path) {
          const res = await setStatus(owner, c.id, step);
          expect(res.status).toBe(200);
          last = res.body;
        }
        const got = (await t.http().get(`/api/campaigns/${c.id}`).set(owner.auth)).body;
        const flags = (b: Record<string, unknown>) => ({
          status: b.status,
          canDelete: b.canDelete,
          acceptsEnrollments: b.acceptsEnrollments,
        });
        expect(flags(last)).toEqual(flags(got));
        expect(flags(got)).toEqual({
          status: expected.status,
          canDelete: expected.canDelete,
          acceptsEnrollments: expected.acceptsEnrollments,
        });
        const listed = await t.http().get('/api/campaigns').set(owner.auth).query({ status: expected.status });
        expect(listed.body.data.map(flags)).toEqual([flags(got)]);

        // What the API then does agrees with the flags.
        const enroll = await t
          .http()
          .post(`/api/campaigns/${c.id}/leads`)
          .set(owner.auth)
          .send({ leadIds: [lead.id] });
        if (expected.acceptsEnrollments)
          expect({ status: expected.status, code: enroll.status }).toEqual({ status: expected.status, code: 200 });
        else expectError(enroll, 409, 'CAMPAIGN_NOT_ENROLLABLE');
        const del = await t.http().delete(`/api/campaigns/${c.id}`).set(owner.auth);
        if (expected.canDelete)
          expect({ status: expected.status, code: del.status }).toEqual({ status: expected.status, code: 204 });
        else expectError(del, 409, 'CAMPAIGN_NOT_DELETABLE');
      }
    });
  });

  describe('PUT /api/campaigns/:id/status', () => {
    it('follows the transition table and names the allowed targets on a forbidden one', async () => {
      const owner = await signUp(t);
      const c = await createCampaign(owner, { name: 'Flow', type: 'outreach', startAt: '2030-01-01T00:00:00.000Z' });
      for (const status of ['scheduled', 'draft', 'active', 'paused', 'active', 'completed']) {
        const res = await setStatus(owner, c.id, status);
        expect({ status, code: res.status }).toEqual({ status, code: 200 });
        expect(res.body.status).toBe(status);
      }
      // Each answer carries the moves the table allows from its status (the SPA's buttons).
      expect((await t.http().get(`/api/campaigns/${c.id}`).set(owner.auth)).body.allowedTransitions).toEqual([
        'archived',
      ]);
      const bad = await setStatus(owner, c.id, 'active');
      expectError(bad, 409, 'INVALID_STATUS_TRANSITION');
      expect(bad.body.message).toContain('allowed: archived');
      expect(bad.body.details).toEqual([{ field: 'status', message: 'allowed: archived' }]);
      expect((await setStatus(owner, c.id, 'archived')).status).toBe(200);
      const final = await setStatus(owner, c.id, 'draft');
      expectError(final, 409, 'INVALID_STATUS_TRANSITION');
      expect(final.body.details).toEqual([]);
      expect(final.body.message).toContain('allowed: none');
      // Same status is not a transition either.
      const d = await createCampaign(owner, { name: 'Same status', type: 'email' });
      expectError(await setStatus(owner, d.id, 'draft'), 409, 'INVALID_STATUS_TRANSITION');
      expectError(await setStatus(owner, d.id, 'completed'), 409, 'INVALID_STATUS_TRANSITION');

      const [audit] = await t.db.query(
        "SELECT metadata FROM audit_logs WHERE action = 'campaign_status_changed' AND metadata->>'campaignId' = $1 ORDER BY created_at DESC LIMIT 1",
        [c.id],
      );
      expect(audit.metadata).toEqual({ campaignId: c.id, from: 'completed', to: 'archived' });
    });

    it('needs startAt to schedule; 400 for an unknown status; 403 viewer; 404 foreign', async () => {
      const owner = await signUp(t);
      const c = await createCampaign(owner, { name: 'No start', type: 'email' });
      expectError(await setStatus(owner, c.id, 'scheduled'), 400, 'CAMPAIGN_START_REQUIRED');
      expectError(await setStatus(owner, c.id, 'running'), 400, 'VALIDATION_FAILED');
      const viewer = await addMember(t, owner, 'viewer');
      expectError(await setStatus(viewer, c.id, 'active'), 403, 'MISSING_PERMISSION');
      expectError(await setStatus(await signUp(t), c.id, 'active'), 404, 'CAMPAIGN_NOT_FOUND');
      expectError(await t.http().put(`/api/campaigns/${c.id}/status`).send({ status: 'active' }), 401);
    });
  });

  describe('GET /api/campaigns/:id/stats', () => {
    it('counts the funnel, the revenue and a per-day series over the campaign window', async () => {
      const owner = await signUp(t);
      const c = await createCampaign(owner, {
        name: 'Stats',
        type: 'email',
        currency: 'EUR',
        startAt: new Date(Date.now() - 5 * 86_400_000).toISOString(),
        endAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      });
      const leads = await Promise.all(['A', 'B', 'C', 'D'].map((n) => createLead(owner, n)));
      const enroll = await t
        .http()
        .post(`/api/campaigns/${c.id}/leads`)
        .set(owner.auth)
        .send({ leadIds: leads.map((l) => l.id) });
      expect(enroll.body.enrolled).toBe(4);
      const advance = (leadId: string, body: Record<string, unknown>) =>
        t.http().put(`/api/campaigns/${c.id}/leads/${leadId}`).set(owner.auth).send(body);
      expect((await advance(leads[0].id, { stage: 'contacted' })).status).toBe(200);
      expect((await advance(leads[1].id, { stage: 'replied' })).status).toBe(200);
      expect((await advance(leads[2].id, { stage: 'converted', revenue: 12345 })).status).toBe(200);
      // D was enrolled two days ago: its enrollment lands on that day of the series.
      await t.db.query(
        "UPDATE campaign_leads SET enrolled_at = now() - interval '2 days' WHERE campaign_id = $1 AND lead_id = $2",
        [c.id, leads[3].id],
      );

      const res = await t.http().get(`/api/campaigns/${c.id}/stats`).set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        campaignId: c.id,
        enrolled: 4,
        contacted: 3,
        replied: 2,
        converted: 1,
        conversionRate: 0.25,
        attributedRevenue: 12345,
        currency: 'EUR',
        from: day(-5),
        to: day(5),
      });
      expect(res.body.series).toHaveLength(11);
      expect(res.body.series[0].date).toBe(day(-5));
      const byDate = new Map(res.body.series.map((d: { date: string }) => [d.date, d]));
      expect(byDate.get(day(0))).toEqual({
        date: day(0),
        enrolled: 3,
        contacted: 3,
        replied: 2,
        converted: 1,
        revenue: 12345,
      });
      expect(byDate.get(day(-2))).toEqual({
        date: day(-2),
        enrolled: 1,
        contacted: 0,
        replied: 0,
        converted: 0,
        revenue: 0,
      });
      const total = res.body.series.reduce((sum: number, d: { enrolled: number }) => sum + d.enrolled, 0);
      expect(total).toBe(4);

      const viewer = await addMember(t, owner, 'viewer');
      expect((await t.http().get(`/api/campaigns/${c.id}/stats`).set(viewer.auth)).status).toBe(200);
      expectError(
        await t
          .http()
          .get(`/api/campaigns/${c.id}/stats`)
          .set((await signUp(t)).auth),
        404,
      );
      expectError(await t.http().get(`/api/campaigns/${c.id}/stats`), 401);
    });

    it('answers zeros over the last 30 days for a campaign without a window', async () => {
      const owner = await signUp(t);
      const c = await createCampaign(owner, { name: 'Empty', type: 'social' });
      const res = await t.http().get(`/api/campaigns/${c.id}/stats`).set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        enrolled: 0,
        contacted: 0,
        replied: 0,
        converted: 0,
        conversionRate: 0,
        attributedRevenue: 0,
        currency: null,
        from: day(-29),
        to: day(0),
      });
      expect(res.body.series).toHaveLength(30);
      expect(res.body.series.every((d: { enrolled: number; revenue: number }) => !d.enrolled && !d.revenue)).toBe(true);
    });
  });
});
