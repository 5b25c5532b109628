import { randomUUID } from 'node:crypto';
import { addMember, createTestApp, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe('niches', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const createNiche = async (owner: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post('/api/niches').set(owner.auth).send(body);
    if (res.status !== 201) throw new Error(`create niche failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; name: string };
  };
  const createLead = async (owner: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post('/api/leads').set(owner.auth).send(body);
    if (res.status !== 201) throw new Error(`create lead failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; name: string };
  };

  describe('CRUD', () => {
    it('creates, reads, lists (with lead counts), updates and deletes a niche', async () => {
      const owner = await signUp(t);
      const res = await t
        .http()
        .post('/api/niches')
        .set(owner.auth)
        .send({ name: ' SaaS founders ', description: 'B2B software', keywords: ['B2B', 'saas', 'b2b'] });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'SaaS founders',
        description: 'B2B software',
        keywords: ['b2b', 'saas'],
        leadCount: 0,
        createdAt: iso,
        updatedAt: iso,
      });
      const niche = res.body;
      await createNiche(owner, { name: 'Agencies' });
      await createLead(owner, { name: 'L1', nicheId: niche.id });
      await createLead(owner, { name: 'L2', nicheId: niche.id });
      const deleted = await createLead(owner, { name: 'L3', nicheId: niche.id });
      await t.http().delete(`/api/leads/${deleted.id}`).set(owner.auth).expect(204);

      const got = await t.http().get(`/api/niches/${niche.id}`).set(owner.auth);
      expect(got.status).toBe(200);
      expect(got.body).toEqual({ ...niche, leadCount: 2 });

      const list = await t.http().get('/api/niches').set(owner.auth);
      expect(list.status).toBe(200);
      expect(list.body.data.map((n: { name: string; leadCount: number }) => [n.name, n.leadCount])).toEqual([
        ['Agencies', 0],
        ['SaaS founders', 2],
      ]);
      expect(list.body.pagination).toEqual({
        page: 1,
        limit: 20,
        total: 2,
        pages: 1,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      });
      const desc = await t.http().get('/api/niches?order=desc&limit=1').set(owner.auth);
      expect(desc.body.data.map((n: { name: string }) => n.name)).toEqual(['SaaS founders']);
      expect(desc.body.pagination).toEqual({
        page: 1,
        limit: 1,
        total: 2,
        pages: 2,
        totalIsEstimate: false,
        nextCursor: expect.any(String),
        prevCursor: null,
      });
      const search = await t.http().get('/api/niches?q=b2b').set(owner.auth);
      expect(search.body.data.map((n: { name: string }) => n.name)).toEqual(['SaaS founders']);

      const updated = await t.http().put(`/api/niches/${niche.id}`).set(owner.auth).send({ description: null });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        name: 'SaaS founders',
        description: null,
        keywords: ['b2b', 'saas'],
        leadCount: 2,
      });
      const renamed = await t
        .http()
        .put(`/api/niches/${niche.id}`)
        .set(owner.auth)
        .send({ name: 'SaaS', keywords: [] });
      expect(renamed.body).toMatchObject({ name: 'SaaS', keywords: [] });

      const del = await t.http().delete(`/api/niches/${niche.id}`).set(owner.auth);
      expect(del.status).toBe(204);
      expectError(await t.http().get(`/api/niches/${niche.id}`).set(owner.auth), 404, 'NICHE_NOT_FOUND');
      // Its leads stay, with no niche.
      const leads = await t.http().get('/api/leads?sortBy=name&order=asc').set(owner.auth);
      expect(leads.body.data.map((l: { name: string; nicheId: string | null }) => [l.name, l.nicheId])).toEqual([
        ['L1', null],
        ['L2', null],
      ]);
      const audit = await t.db.query(
        `SELECT metadata FROM audit_logs WHERE workspace_id = $1 AND action = 'niche_deleted'`,
        [owner.workspaceId],
      );
      expect(audit).toEqual([{ metadata: { nicheId: niche.id } }]);
    });

    it('answers 409 NICHE_NAME_TAKEN on create and update (any case), not across workspaces', async () => {
      const owner = await signUp(t);
      await createNiche(owner, { name: 'Coaches' });
      const other = await createNiche(owner, { name: 'Gyms' });
      expectError(
        await t.http().post('/api/niches').set(owner.auth).send({ name: 'COACHES' }),
        409,
        'NICHE_NAME_TAKEN',
      );
      expectError(
        await t.http().put(`/api/niches/${other.id}`).set(owner.auth).send({ name: 'coaches' }),
        409,
        'NICHE_NAME_TAKEN',
      );
      expect((await t.http().put(`/api/niches/${other.id}`).set(owner.auth).send({ name: 'GYMS' })).status).toBe(200);
      const elsewhere = await signUp(t);
      await createNiche(elsewhere, { name: 'Coaches' });
    });

    it('answers 400 for invalid input and ids, 404 for another workspace’s or an unknown niche on every route', async () => {
      const owner = await signUp(t);
      const niche = await createNiche(owner, { name: 'Mine' });
      const bad = await t
        .http()
        .post('/api/niches')
        .set(owner.auth)
        .send({ name: '', keywords: 'x', workspaceId: randomUUID() });
      expectError(bad, 400, 'VALIDATION_FAILED');
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['name', 'keywords', 'workspaceId']),
      );
      expectError(
        await t.http().put(`/api/niches/${niche.id}`).set(owner.auth).send({ name: null }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(await t.http().get('/api/niches?sortBy=score').set(owner.auth), 400, 'VALIDATION_FAILED');
      for (const path of ['', '/stats', '/recommendations']) {
        expectError(await t.http().get(`/api/niches/nope${path}`).set(owner.auth), 400, 'VALIDATION_FAILED');
      }
      expectError(await t.http().put('/api/niches/nope').set(owner.auth).send({ name: 'x' }), 400, 'VALIDATION_FAILED');
      expectError(await t.http().delete('/api/niches/nope').set(owner.auth), 400, 'VALIDATION_FAILED');

      const other = await signUp(t);
      for (const id of [niche.id, randomUUID()]) {
        for (const path of ['', '/stats', '/recommendations']) {
          expectError(await t.http().get(`/api/niches/${id}${path}`).set(other.auth), 404, 'NICHE_NOT_FOUND');
        }
        expectError(
          await t.http().put(`/api/niches/${id}`).set(other.auth).send({ name: 'x' }),
          404,
          'NICHE_NOT_FOUND',
        );
        expectError(await t.http().delete(`/api/niches/${id}`).set(other.auth), 404, 'NICHE_NOT_FOUND');
      }
      expect((await t.http().get(`/api/niches/${niche.id}`).set(owner.auth)).body.name).toBe('Mine');
    });

    it('answers 401 without a token and 403 for a viewer on writes; a viewer reads', async () => {
      const owner = await signUp(t);
      const niche = await createNiche(owner, { name: 'Read only' });
      const viewer = await addMember(t, owner, 'viewer');
      expectError(await t.http().post('/api/niches').set(viewer.auth).send({ name: 'V' }), 403);
      expectError(await t.http().put(`/api/niches/${niche.id}`).set(viewer.auth).send({ name: 'V' }), 403);
      expectError(await t.http().delete(`/api/niches/${niche.id}`).set(viewer.auth), 403);
      for (const path of ['', `/${niche.id}`, `/${niche.id}/stats`, `/${niche.id}/recommendations`]) {
        expect((await t.http().get(`/api/niches${path}`).set(viewer.auth)).status).toBe(200);
        expectError(await t.http().get(`/api/niches${path}`).set('X-Forwarded-For', randomIp()), 401);
      }
      const anon = { 'X-Forwarded-For': randomIp() };
      expectError(await t.http().post('/api/niches').set(anon).send({ name: 'A' }), 401);
      expectError(await t.http().put(`/api/niches/${niche.id}`).set(anon).send({ name: 'A' }), 401);
      expectError(await t.http().delete(`/api/niches/${niche.id}`).set(anon), 401);
    });
  });

  describe('stats and recommendations', () => {
    let owner: TestUser;
    let nicheId: string;
    const ids: Record<string, string> = {};
    // source, status, score; the 30-days-stale ones are marked.
    const rows = [
      { name: 'A1', source: 'linkedin', status: 'converted', score: 90 },
      { name: 'A2', source: 'linkedin', status: 'converted', score: 80 },
      { name: 'A3', source: 'linkedin', status: 'qualified', score: 70, stale: 45 },
      { name: 'B1', source: 'ads', status: 'converted', score: 60 },
      { name: 'B2', source: 'ads', status: 'new', score: 20, stale: 40 },
      { name: 'B3', source: 'ads', status: 'lost', score: 10, stale: 90 },
      { name: 'B4', source: 'ads', status: 'contacted', score: 40, stale: 10 },
      { name: 'C1', source: 'cold-email', status: 'new', score: 30, stale: 35 },
      { name: 'C2', source: 'cold-email', status: 'lost', score: 0 },
      { name: 'C3', source: 'cold-email', status: 'new', score: 50 },
    ];
    beforeAll(async () => {
      owner = await signUp(t);
      nicheId = (await createNiche(owner, { name: 'Analysed' })).id;
      for (const row of rows) {
        ids[row.name] = (
          await createLead(owner, { name: row.name, source: row.source, status: row.status, score: row.score, nicheId })
        ).id;
        // Last contact `stale` days ago (or just now): created 100 days ago so creation never counts as contact.
        await t.db.query(
          `UPDATE leads SET created_at = now() - interval '100 days',
                  last_contacted_at = now() - make_interval(hours => 24 * $2) WHERE id = $1`,
          [ids[row.name], row.stale ?? 1],
        );
      }
      // Excluded from the figures: a deleted lead, a lead of another niche, a lead of another workspace.
      const gone = await createLead(owner, {
        name: 'Deleted',
        source: 'ads',
        status: 'converted',
        score: 100,
        nicheId,
      });
      await t.http().delete(`/api/leads/${gone.id}`).set(owner.auth).expect(204);
      const otherNiche = await createNiche(owner, { name: 'Other' });
      await createLead(owner, {
        name: 'Elsewhere',
        source: 'ads',
        status: 'converted',
        score: 100,
        nicheId: otherNiche.id,
      });
      const stranger = await signUp(t);
      const theirs = await createNiche(stranger, { name: 'Analysed' });
      await createLead(stranger, {
        name: 'Stranger',
        source: 'ads',
        status: 'converted',
        score: 100,
        nicheId: theirs.id,
      });
    });

    it('GET /api/niches/:id/stats counts the niche’s own live leads by status, conversion rate and average score', async () => {
      const res = await t.http().get(`/api/niches/${nicheId}/stats`).set(owner.auth);
      expect(res.status).toBe(200);
      // 10 leads: 3 converted; scores sum to 450.
      expect(res.body).toEqual({
        nicheId,
        total: 10,
        byStatus: { new: 3, contacted: 1, qualified: 1, converted: 3, lost: 2 },
        conversionRate: 0.3,
        averageScore: 45,
      });
    });

    it('GET /api/niches/:id/stats of an empty niche: zeros and a null average', async () => {
      const empty = await createNiche(owner, { name: 'Empty stats' });
      const res = await t.http().get(`/api/niches/${empty.id}/stats`).set(owner.auth);
      expect(res.body).toEqual({
        nicheId: empty.id,
        total: 0,
        byStatus: { new: 0, contacted: 0, qualified: 0, converted: 0, lost: 0 },
        conversionRate: 0,
        averageScore: null,
      });
    });

    it('GET /api/niches/:id/recommendations ranks sources, lists stale open leads and cites the figures', async () => {
      const res = await t.http().get(`/api/niches/${nicheId}/recommendations`).set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ nicheId, generatedAt: iso, staleAfterDays: 30 });
      expect(res.body.stats).toMatchObject({ total: 10, conversionRate: 0.3 });
      // linkedin 2/3, ads 1/4, cold-email 0/3.
      expect(res.body.bestSources).toEqual([
        { source: 'linkedin', total: 3, converted: 2, conversionRate: 0.6667, averageScore: 80 },
        { source: 'ads', total: 4, converted: 1, conversionRate: 0.25, averageScore: 32.5 },
        { source: 'cold-email', total: 3, converted: 0, conversionRate: 0, averageScore: 26.67 },
      ]);
      // Open (new/contacted/qualified) with no contact for 30+ days: A3 (45 d), C1 (35 d), B2 (40 d); B3 is lost, B4 recent.
      expect(res.body.staleLeadCount).toBe(3);
      expect(res.body.staleLeads).toEqual([
        { id: ids.A3, name: 'A3', status: 'qualified', score: 70, lastContactedAt: iso, daysSinceContact: 45 },
        { id: ids.C1, name: 'C1', status: 'new', score: 30, lastContactedAt: iso, daysSinceContact: 35 },
        { id: ids.B2, name: 'B2', status: 'new', score: 20, lastContactedAt: iso, daysSinceContact: 40 },
      ]);
      const byType = Object.fromEntries(res.body.actions.map((a: { type: string }) => [a.type, a])) as Record<
        string,
        { priority: string; message: string; figures: Record<string, unknown> }
      >;
      expect(Object.keys(byType).sort()).toEqual(
        ['focus_source', 'follow_up_qualified', 'qualify_new', 'recontact_stale', 'review_source'].sort(),
      );
      expect(byType.recontact_stale).toEqual({
        type: 'recontact_stale',
        priority: 'high',
        message: expect.stringContaining('3 of 5 open leads'),
        figures: {
          staleLeadCount: 3,
          openLeads: 5,
          staleAfterDays: 30,
          firstLeadId: ids.A3,
          firstLeadScore: 70,
          firstLeadDaysSinceContact: 45,
        },
      });
      expect(byType.recontact_stale.message).toContain('A3 (score 70, 45 days');
      expect(byType.focus_source.figures).toEqual({
        source: 'linkedin',
        converted: 2,
        total: 3,
        conversionRate: 0.6667,
        nicheConversionRate: 0.3,
      });
      expect(byType.focus_source.message).toContain('66.7% (2 of 3) against 30% for the whole niche');
      expect(byType.review_source.figures).toEqual({
        source: 'cold-email',
        total: 3,
        converted: 0,
        nicheConversionRate: 0.3,
      });
      expect(byType.qualify_new.figures).toEqual({ newLeads: 3, total: 10 });
      expect(byType.qualify_new.message).toContain('3 of 10 leads (30%)');
      expect(byType.follow_up_qualified.figures).toEqual({
        qualifiedLeads: 1,
        converted: 3,
        total: 10,
        conversionRate: 0.3,
      });
      // Every action cites numbers.
      for (const action of res.body.actions) expect(action.message).toMatch(/\d/);
    });

    it('recommends adding leads to an empty niche, citing its zero leads', async () => {
      const empty = await createNiche(owner, { name: 'Empty recs' });
      const res = await t.http().get(`/api/niches/${empty.id}/recommendations`).set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ bestSources: [], staleLeadCount: 0, staleLeads: [] });
      expect(res.body.actions).toEqual([
        { type: 'add_leads', priority: 'high', message: expect.stringContaining('0 leads'), figures: { total: 0 } },
      ]);
    });
  });
});
