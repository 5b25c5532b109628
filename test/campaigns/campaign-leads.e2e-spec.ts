import { randomUUID } from 'node:crypto';
import { addMember, createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { expectOutputsAfterLimit } from '../helpers/paged-walk';

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe('campaign leads', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const createCampaign = async (owner: TestUser, name = 'Campaign') => {
    const res = await t.http().post('/api/campaigns').set(owner.auth).send({ name, type: 'outreach' });
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string };
  };
  const createLead = async (owner: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post('/api/leads').set(owner.auth).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string };
  };
  const enroll = (owner: TestUser, campaignId: string, leadIds: string[]) =>
    t.http().post(`/api/campaigns/${campaignId}/leads`).set(owner.auth).send({ leadIds });
  const timeline = async (owner: TestUser, leadId: string) =>
    (await t.http().get(`/api/leads/${leadId}`).set(owner.auth)).body as {
      status: string;
      lastContactedAt: string | null;
      campaignIds: string[];
      timeline: { type: string; data: Record<string, unknown> }[];
    };

  it('enrolls leads, skips and counts the ones already enrolled, writes enrolled events, lists them', async () => {
    const owner = await signUp(t);
    const c = await createCampaign(owner);
    const a = await createLead(owner, { name: 'Ada', email: 'ada-enrolled@example.com', company: 'Engines' });
    const b = await createLead(owner, { name: 'Bob' });
    const first = await enroll(owner, c.id, [a.id]);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ enrolled: 1, skipped: 0, enrolledLeadIds: [a.id], skippedLeadIds: [] });
    const second = await enroll(owner, c.id, [a.id, b.id, b.id]);
    expect(second.body).toEqual({ enrolled: 1, skipped: 1, enrolledLeadIds: [b.id], skippedLeadIds: [a.id] });

    const detail = await timeline(owner, a.id);
    expect(detail.campaignIds).toEqual([c.id]);
    expect(detail.timeline.filter((e) => e.type === 'enrolled')).toEqual([
      expect.objectContaining({ type: 'enrolled', data: { campaignId: c.id, campaignName: c.name } }),
    ]);

    const list = await t.http().get(`/api/campaigns/${c.id}/leads`).set(owner.auth);
    expect(list.status).toBe(200);
    expect(list.body.pagination).toEqual({
      page: 1,
      limit: 20,
      total: 2,
      pages: 1,
      totalIsEstimate: false,
      nextCursor: null,
      prevCursor: null,
    });
    expect(list.body.data.map((r: { name: string }) => r.name).sort()).toEqual(['Ada', 'Bob']);
    expect(list.body.data.find((r: { name: string }) => r.name === 'Ada')).toEqual({
      leadId: a.id,
      campaignId: c.id,
      name: 'Ada',
      email: 'ada-enrolled@example.com',
      company: 'Engines',
      leadStatus: 'new',
      stage: 'enrolled',
      enrolledAt: iso,
      contactedAt: null,
      repliedAt: null,
      convertedAt: null,
      revenue: 0,
    });
    const paged = await t.http().get(`/api/campaigns/${c.id}/leads`).set(owner.auth).query({ limit: 1, page: 2 });
    expect(paged.body.data).toHaveLength(1);
    expect(paged.body.pagination).toEqual({
      page: 2,
      limit: 1,
      total: 2,
      pages: 2,
      totalIsEstimate: false,
      nextCursor: null,
      prevCursor: expect.any(String),
    });

    // GET /api/leads?campaignId= lists only the enrolled leads.
    await createLead(owner, { name: 'Not enrolled' });
    const filtered = await t
      .http()
      .get('/api/leads')
      .set(owner.auth)
      .query({ campaignId: c.id, sortBy: 'name', order: 'asc' });
    expect(filtered.body.data.map((l: { name: string }) => l.name)).toEqual(['Ada', 'Bob']);
    expectError(await t.http().get('/api/leads').set(owner.auth).query({ campaignId: 'x' }), 400, 'VALIDATION_FAILED');
  });

  it('refuses the whole request when a lead is missing or foreign (404 listing them); 400 for bad input; 409 for an archived campaign', async () => {
    const owner = await signUp(t);
    const c = await createCampaign(owner);
    const mine = await createLead(owner, { name: 'Mine' });
    const other = await signUp(t);
    const theirs = await createLead(other, { name: 'Theirs' });
    const missing = randomUUID();
    const res = await enroll(owner, c.id, [mine.id, theirs.id, missing]);
    expectError(res, 404, 'LEAD_NOT_FOUND');
    expect(res.body.details).toEqual([
      { field: 'leadIds', message: `lead ${theirs.id} not found` },
      { field: 'leadIds', message: `lead ${missing} not found` },
    ]);
    const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM campaign_leads WHERE campaign_id = $1', [
      c.id,
    ]);
    expect(count).toBe(0);

    expectError(await enroll(owner, c.id, []), 400, 'VALIDATION_FAILED');
    expectError(await enroll(owner, c.id, ['nope']), 400, 'VALIDATION_FAILED');
    const tooMany = Array.from({ length: 1001 }, () => randomUUID());
    expectError(await enroll(owner, c.id, tooMany), 400, 'VALIDATION_FAILED');
    expectError(await enroll(other, c.id, [theirs.id]), 404, 'CAMPAIGN_NOT_FOUND');
    const viewer = await addMember(t, owner, 'viewer');
    expectError(await enroll(viewer, c.id, [mine.id]), 403, 'MISSING_PERMISSION');
    expect((await t.http().get(`/api/campaigns/${c.id}/leads`).set(viewer.auth)).status).toBe(200);
    expectError(await t.http().get(`/api/campaigns/${c.id}/leads`).set(other.auth), 404, 'CAMPAIGN_NOT_FOUND');
    expectError(await t.http().get(`/api/campaigns/${c.id}/leads`), 401);

    await t.http().put(`/api/campaigns/${c.id}/status`).set(owner.auth).send({ status: 'archived' });
    expectError(await enroll(owner, c.id, [mine.id]), 409, 'CAMPAIGN_NOT_ENROLLABLE');
  });

  it('advances the stage forward only; contacted stamps the lead, converted converts it; revenue only when converted', async () => {
    const owner = await signUp(t);
    const c = await createCampaign(owner);
    const lead = await createLead(owner, { name: 'Funnel' });
    await enroll(owner, c.id, [lead.id]);
    const put = (body: Record<string, unknown>, who = owner) =>
      t.http().put(`/api/campaigns/${c.id}/leads/${lead.id}`).set(who.auth).send(body);

    expectError(await put({ revenue: 100 }), 400, 'REVENUE_REQUIRES_CONVERSION');
    const contacted = await put({ stage: 'contacted' });
    expect(contacted.status).toBe(200);
    expect(contacted.body).toMatchObject({ stage: 'contacted', contactedAt: iso, repliedAt: null });
    let detail = await timeline(owner, lead.id);
    expect(detail.lastContactedAt).toBe(contacted.body.contactedAt);
    expect(detail.status).toBe('new');

    const converted = await put({ stage: 'converted', revenue: 4999 });
    expect(converted.body).toMatchObject({
      stage: 'converted',
      contactedAt: contacted.body.contactedAt,
      repliedAt: iso,
      convertedAt: iso,
      revenue: 4999,
      leadStatus: 'converted',
    });
    detail = await timeline(owner, lead.id);
    expect(detail.status).toBe('converted');
    expect(detail.timeline[0]).toMatchObject({
      type: 'status_changed',
      data: { from: 'new', to: 'converted', campaignId: c.id },
    });
    expect((await put({ revenue: 6000 })).body.revenue).toBe(6000);
    expectError(await put({ stage: 'replied' }), 409, 'INVALID_STAGE_TRANSITION');
    expectError(await put({ stage: 'won', revenue: -1 }), 400, 'VALIDATION_FAILED');
    const viewer = await addMember(t, owner, 'viewer');
    expectError(await put({ stage: 'converted' }, viewer), 403);
    expectError(await put({ stage: 'converted' }, await signUp(t)), 404, 'CAMPAIGN_NOT_FOUND');
    const stranger = await createLead(owner, { name: 'Not enrolled' });
    expectError(
      await t.http().put(`/api/campaigns/${c.id}/leads/${stranger.id}`).set(owner.auth).send({ stage: 'contacted' }),
      404,
      'CAMPAIGN_LEAD_NOT_FOUND',
    );
    expectError(
      await t.http().put(`/api/campaigns/${c.id}/leads/bad`).set(owner.auth).send({ stage: 'contacted' }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('enrolls 1000 leads in one request, each with its timeline event', async () => {
    const owner = await signUp(t);
    const c = await createCampaign(owner, 'Bulk');
    const rows: { id: string }[] = await t.db.query(
      `INSERT INTO leads (workspace_id, name) SELECT $1, 'Bulk ' || i FROM generate_series(1, 1000) AS i RETURNING id`,
      [owner.workspaceId],
    );
    const res = await enroll(
      owner,
      c.id,
      rows.map((r) => r.id),
    );
    expect(res.status).toBe(200);
    expect(res.body.enrolled).toBe(1000);
    const [{ count }] = await t.db.query(
      "SELECT count(*)::int AS count FROM lead_events WHERE workspace_id = $1 AND type = 'enrolled'",
      [owner.workspaceId],
    );
    expect(count).toBe(1000);
    const stats = await t.http().get(`/api/campaigns/${c.id}/stats`).set(owner.auth);
    expect(stats.body.enrolled).toBe(1000);
    // A deleted lead leaves the list and the figures; restoring it brings it back.
    await t.http().delete(`/api/leads/${rows[0].id}`).set(owner.auth).expect(204);
    expect((await t.http().get(`/api/campaigns/${c.id}/stats`).set(owner.auth)).body.enrolled).toBe(999);
    expect((await t.http().get(`/api/campaigns/${c.id}/leads`).set(owner.auth)).body.pagination.total).toBe(999);
    expectError(
      await t.http().put(`/api/campaigns/${c.id}/leads/${rows[0].id}`).set(owner.auth).send({ stage: 'contacted' }),
      404,
      'CAMPAIGN_LEAD_NOT_FOUND',
    );
    await t.http().post(`/api/leads/${rows[0].id}/restore`).set(owner.auth).expect(200);
    expect((await t.http().get(`/api/campaigns/${c.id}/stats`).set(owner.auth)).body.enrolled).toBe(1000);
  });

  it('computes the cursor keys of the enrollments page only, after its Limit (and its OFFSET)', async () => {
    const owner = await signUp(t);
    const c = await createCampaign(owner, 'Plans');
    await t.db.query(
      `WITH l AS (INSERT INTO leads (workspace_id, name) SELECT $1, 'Plan ' || i FROM generate_series(1, 3000) i
                  RETURNING id)
       INSERT INTO campaign_leads (campaign_id, lead_id, workspace_id, stage, enrolled_at)
       SELECT $2, id, $1, (ARRAY['enrolled','contacted','replied'])[1 + (row_number() OVER ())::int % 3],
              timestamptz '2026-01-01' + (row_number() OVER ())::int % 50 * interval '1 minute'
         FROM l`,
      [owner.workspaceId, c.id],
    );
    await t.db.query('ANALYZE campaign_leads; ANALYZE leads');
    const get = (q: Record<string, unknown>) =>
      t
        .http()
        .get(`/api/campaigns/${c.id}/leads`)
        .set(owner.auth)
        .query({ limit: 20, ...q });
    const first = await get({}).expect(200);
    const shapes = [{}, { stage: 'replied' }, { page: 30 }, { cursor: first.body.pagination.nextCursor }];
    await expectOutputsAfterLimit(t.db, get, shapes, /json_build_array/);
  });

  it('unenrolls a lead with an unenrolled event; 404 when not enrolled; 403 viewer', async () => {
    const owner = await signUp(t);
    const c = await createCampaign(owner);
    const lead = await createLead(owner, { name: 'Leaving' });
    await enroll(owner, c.id, [lead.id]);
    const viewer = await addMember(t, owner, 'viewer');
    expectError(await t.http().delete(`/api/campaigns/${c.id}/leads/${lead.id}`).set(viewer.auth), 403);
    expectError(
      await t
        .http()
        .delete(`/api/campaigns/${c.id}/leads/${lead.id}`)
        .set((await signUp(t)).auth),
      404,
    );
    const res = await t.http().delete(`/api/campaigns/${c.id}/leads/${lead.id}`).set(owner.auth);
    expect(res.status).toBe(204);
    const detail = await timeline(owner, lead.id);
    expect(detail.campaignIds).toEqual([]);
    expect(detail.timeline[0]).toMatchObject({
      type: 'unenrolled',
      data: { campaignId: c.id, campaignName: c.name, stage: 'enrolled' },
    });
    expectError(
      await t.http().delete(`/api/campaigns/${c.id}/leads/${lead.id}`).set(owner.auth),
      404,
      'CAMPAIGN_LEAD_NOT_FOUND',
    );
    expectError(await t.http().delete(`/api/campaigns/${c.id}/leads/${lead.id}`), 401);
  });
});
