import { randomUUID } from 'node:crypto';
import { addMember, createTestApp, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe('leads', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const createLead = async (owner: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post('/api/leads').set(owner.auth).send(body);
    if (res.status !== 201) throw new Error(`create lead failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; name: string; [key: string]: unknown };
  };
  const createNiche = async (owner: TestUser, name: string) => {
    const res = await t.http().post('/api/niches').set(owner.auth).send({ name });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const names = (body: { data: { name: string }[] }) => body.data.map((l) => l.name);

  describe('POST /api/leads', () => {
    it('creates a lead with every field; the timeline starts with a created event', async () => {
      const owner = await signUp(t);
      const niche = await createNiche(owner, 'SaaS');
      const res = await t
        .http()
        .post('/api/leads')
        .set(owner.auth)
        .send({
          name: ' Grace Hopper ',
          email: ' Grace@Example.COM ',
          phone: '+33 6 00 00 00 00',
          company: 'Navy',
          jobTitle: 'Rear Admiral',
          source: 'linkedin',
          status: 'qualified',
          nicheId: niche.id,
          tags: ['VIP', 'vip', ' cobol '],
          score: 87,
          notes: 'Met at a conference',
          customFields: { budget: 5000, plan: 'pro' },
          ownerId: owner.id,
          lastContactedAt: '2026-01-02T03:04:05.000Z',
        });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Grace Hopper',
        email: 'grace@example.com',
        phone: '+33 6 00 00 00 00',
        company: 'Navy',
        jobTitle: 'Rear Admiral',
        source: 'linkedin',
        status: 'qualified',
        nicheId: niche.id,
        tags: ['vip', 'cobol'],
        score: 87,
        notes: 'Met at a conference',
        customFields: { budget: 5000, plan: 'pro' },
        ownerId: owner.id,
        lastContactedAt: '2026-01-02T03:04:05.000Z',
        createdAt: iso,
        updatedAt: iso,
        campaignIds: [],
        timeline: [
          {
            id: expect.any(String),
            type: 'created',
            data: { status: 'qualified' },
            actorUserId: owner.id,
            createdAt: iso,
          },
        ],
      });
      const [row] = await t.db.query('SELECT workspace_id FROM leads WHERE id = $1', [res.body.id]);
      expect(row.workspace_id).toBe(owner.workspaceId);
    });

    it('applies defaults with only a name', async () => {
      const owner = await signUp(t);
      const lead = await createLead(owner, { name: 'Minimal' });
      expect(lead).toMatchObject({
        email: null,
        status: 'new',
        nicheId: null,
        tags: [],
        score: 0,
        customFields: {},
        ownerId: null,
        lastContactedAt: null,
      });
    });

    it('answers 409 LEAD_EMAIL_TAKEN for an e-mail already used in the workspace (any case), not in another', async () => {
      const owner = await signUp(t);
      await createLead(owner, { name: 'A', email: 'dup@example.com' });
      expectError(
        await t.http().post('/api/leads').set(owner.auth).send({ name: 'B', email: 'DUP@example.com' }),
        409,
        'LEAD_EMAIL_TAKEN',
      );
      const other = await signUp(t);
      await createLead(other, { name: 'Elsewhere', email: 'dup@example.com' });
    });

    it('answers 400 with the fields at fault and refuses unknown fields; 404 for a foreign niche; 400 for a non-member owner', async () => {
      const owner = await signUp(t);
      const res = await t.http().post('/api/leads').set(owner.auth).send({
        name: '',
        email: 'nope',
        status: 'won',
        score: 101,
        tags: 'x',
        nicheId: 'abc',
        customFields: 'x',
        workspaceId: owner.workspaceId,
        deletedAt: null,
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'name',
          'email',
          'status',
          'score',
          'tags',
          'nicheId',
          'customFields',
          'workspaceId',
          'deletedAt',
        ]),
      );
      expectError(
        await t.http().post('/api/leads').set(owner.auth).send({ name: 'X', score: null }),
        400,
        'VALIDATION_FAILED',
      );

      const other = await signUp(t);
      const foreignNiche = await createNiche(other, 'Theirs');
      expectError(
        await t.http().post('/api/leads').set(owner.auth).send({ name: 'X', nicheId: foreignNiche.id }),
        404,
        'NICHE_NOT_FOUND',
      );
      expectError(
        await t.http().post('/api/leads').set(owner.auth).send({ name: 'X', ownerId: other.id }),
        404,
        'OWNER_NOT_MEMBER',
      );
      const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM leads WHERE workspace_id = $1', [
        owner.workspaceId,
      ]);
      expect(count).toBe(0);
    });

    it('answers 401 without a token and 403 for a viewer (who can still read)', async () => {
      const owner = await signUp(t);
      const viewer = await addMember(t, owner, 'viewer');
      expectError(await t.http().post('/api/leads').set('X-Forwarded-For', randomIp()).send({ name: 'X' }), 401);
      expectError(await t.http().post('/api/leads').set(viewer.auth).send({ name: 'X' }), 403);
      expect((await t.http().get('/api/leads').set(viewer.auth)).status).toBe(200);
      const member = await addMember(t, owner, 'member');
      expect((await t.http().post('/api/leads').set(member.auth).send({ name: 'By member' })).status).toBe(201);
    });
  });

  describe('GET /api/leads and /api/leads/status/:status', () => {
    let owner: TestUser;
    let nicheId: string;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      owner = await signUp(t);
      nicheId = (await createNiche(owner, 'Fintech')).id;
      const rows = [
        {
          name: 'Alice',
          email: 'alice@acme.io',
          company: 'Acme',
          source: 'linkedin',
          status: 'new',
          score: 10,
          tags: ['vip'],
          nicheId,
        },
        {
          name: 'Bob',
          email: 'bob@globex.io',
          company: 'Globex',
          source: 'ads',
          status: 'contacted',
          score: 50,
          tags: [],
        },
        {
          name: 'Carol',
          email: 'carol@acme.io',
          company: 'Acme',
          source: 'linkedin',
          status: 'qualified',
          score: 70,
          tags: ['vip', 'hot'],
          nicheId,
        },
        {
          name: 'Dave',
          email: 'dave@initech.io',
          company: 'Initech',
          source: 'referral',
          status: 'converted',
          score: 90,
          tags: ['hot'],
        },
        { name: 'Eve', email: null, company: 'Umbrella', source: 'ads', status: 'lost', score: 30, tags: [] },
      ];
      for (const [i, row] of rows.entries()) {
        ids[row.name] = (await createLead(owner, row)).id;
        // Distinct, known creation dates: Alice oldest (Jan 1st), Eve newest (Jan 5th).
        await t.db.query('UPDATE leads SET created_at = $2 WHERE id = $1', [
          ids[row.name],
          `2026-01-0${i + 1}T12:00:00Z`,
        ]);
      }
      // Another workspace's leads never show.
      const other = await signUp(t);
      await createLead(other, { name: 'Mallory', company: 'Acme', status: 'new' });
    });

    const list = (query: string) => t.http().get(`/api/leads${query}`).set(owner.auth);

    it('lists the workspace’s leads, newest first by default, with pagination', async () => {
      const res = await list('');
      expect(res.status).toBe(200);
      expect(names(res.body)).toEqual(['Eve', 'Dave', 'Carol', 'Bob', 'Alice']);
      expect(res.body.pagination).toEqual({
        page: 1,
        limit: 20,
        total: 5,
        pages: 1,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      });
      expect(res.body.data[0]).toMatchObject({
        id: ids.Eve,
        email: null,
        status: 'lost',
        createdAt: '2026-01-05T12:00:00.000Z',
      });
      expect(res.body.data[0]).not.toHaveProperty('timeline');

      const page2 = await list('?limit=2&page=2');
      expect(names(page2.body)).toEqual(['Carol', 'Bob']);
      expect(page2.body.pagination).toMatchObject({ page: 2, limit: 2, total: 5, pages: 3, totalIsEstimate: false });
      const beyond = await list('?limit=2&page=4');
      expect(names(beyond.body)).toEqual([]);
      expect(beyond.body.pagination).toMatchObject({ page: 4, limit: 2, total: 5, pages: 3 });
    });

    it('filters by status, niche, tag, source, score range, creation dates and text', async () => {
      expect(names((await list('?status=qualified')).body)).toEqual(['Carol']);
      expect(names((await list(`?nicheId=${nicheId}&order=asc`)).body)).toEqual(['Alice', 'Carol']);
      expect(names((await list('?tag=VIP&order=asc')).body)).toEqual(['Alice', 'Carol']);
      expect(names((await list('?tag=hot&order=asc')).body)).toEqual(['Carol', 'Dave']);
      expect(names((await list('?source=ads&order=asc')).body)).toEqual(['Bob', 'Eve']);
      expect(names((await list('?scoreMin=30&scoreMax=70&sortBy=score&order=asc')).body)).toEqual([
        'Eve',
        'Bob',
        'Carol',
      ]);
      expect(
        names((await list('?createdFrom=2026-01-02T00:00:00Z&createdTo=2026-01-04T12:00:00Z&order=asc')).body),
      ).toEqual(['Bob', 'Carol']);
      expect(names((await list('?q=ACME&order=asc')).body)).toEqual(['Alice', 'Carol']);
      expect(names((await list('?q=globex.io')).body)).toEqual(['Bob']);
      expect(names((await list('?q=car')).body)).toEqual(['Carol']);
      expect(names((await list('?q=100%25')).body)).toEqual([]);
      const combined = await list('?source=linkedin&tag=hot');
      expect(names(combined.body)).toEqual(['Carol']);
      expect(combined.body.pagination.total).toBe(1);
    });

    it('sorts by score, name and updatedAt in both directions', async () => {
      expect(names((await list('?sortBy=score&order=desc')).body)).toEqual(['Dave', 'Carol', 'Bob', 'Eve', 'Alice']);
      expect(names((await list('?sortBy=name&order=asc')).body)).toEqual(['Alice', 'Bob', 'Carol', 'Dave', 'Eve']);
      expect(names((await list('?sortBy=name&order=desc')).body)).toEqual(['Eve', 'Dave', 'Carol', 'Bob', 'Alice']);
      await t.http().put(`/api/leads/${ids.Bob}`).set(owner.auth).send({ notes: 'touched' }).expect(200);
      expect(names((await list('?sortBy=updatedAt&order=desc&limit=1')).body)).toEqual(['Bob']);
    });

    it('answers 400 for bad filters', async () => {
      for (const query of [
        '?status=won',
        '?nicheId=nope',
        '?scoreMin=-1',
        '?scoreMax=101',
        '?createdFrom=yesterday',
        '?sortBy=email',
        '?order=up',
        '?limit=101',
        '?page=0',
        '?unknown=1',
      ]) {
        expectError(await list(query), 400, 'VALIDATION_FAILED');
      }
    });

    it('GET /api/leads/status/:status lists one status with the same filters; 400 for an unknown status', async () => {
      const res = await t.http().get('/api/leads/status/converted').set(owner.auth);
      expect(res.status).toBe(200);
      expect(names(res.body)).toEqual(['Dave']);
      expect(res.body.pagination).toEqual({
        page: 1,
        limit: 20,
        total: 1,
        pages: 1,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      });
      expect(names((await t.http().get('/api/leads/status/new?q=alice').set(owner.auth)).body)).toEqual(['Alice']);
      expect(names((await t.http().get('/api/leads/status/new?q=bob').set(owner.auth)).body)).toEqual([]);
      expectError(await t.http().get('/api/leads/status/won').set(owner.auth), 400, 'VALIDATION_FAILED');
      expectError(await t.http().get('/api/leads/status/new?status=lost').set(owner.auth), 400, 'VALIDATION_FAILED');
      expectError(await t.http().get('/api/leads/status/new').set('X-Forwarded-For', randomIp()), 401);
    });

    it('answers 401 without a token', async () => {
      expectError(await t.http().get('/api/leads').set('X-Forwarded-For', randomIp()), 401);
    });
  });

  describe('GET /api/leads/:id', () => {
    it('answers the lead with its timeline; 400 for a non-UUID id; 404 for another workspace’s or an unknown id', async () => {
      const owner = await signUp(t);
      const lead = await createLead(owner, { name: 'Mine' });
      const res = await t.http().get(`/api/leads/${lead.id}`).set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(lead);

      expectError(await t.http().get('/api/leads/not-a-uuid').set(owner.auth), 400, 'VALIDATION_FAILED');
      expectError(await t.http().get(`/api/leads/${randomUUID()}`).set(owner.auth), 404, 'LEAD_NOT_FOUND');
      const other = await signUp(t);
      expectError(await t.http().get(`/api/leads/${lead.id}`).set(other.auth), 404, 'LEAD_NOT_FOUND');
      expectError(await t.http().get(`/api/leads/${lead.id}`).set('X-Forwarded-For', randomIp()), 401);
    });
  });

  describe('PUT /api/leads/:id', () => {
    it('changes only the fields sent and records updated and status_changed events, newest first', async () => {
      const owner = await signUp(t);
      const lead = await createLead(owner, { name: 'Linus', email: 'linus@example.com', score: 20, company: 'OSDL' });
      const res = await t
        .http()
        .put(`/api/leads/${lead.id}`)
        .set(owner.auth)
        .send({ score: 60, company: null, status: 'contacted' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: lead.id,
        name: 'Linus',
        email: 'linus@example.com',
        score: 60,
        company: null,
        status: 'contacted',
        lastContactedAt: iso,
      });
      expect(res.body.timeline.map((e: { type: string }) => e.type)).toEqual(['status_changed', 'updated', 'created']);
      expect(res.body.timeline[0]).toMatchObject({ data: { from: 'new', to: 'contacted' }, actorUserId: owner.id });
      expect(res.body.timeline[1].data).toEqual({
        changes: {
          score: { from: 20, to: 60 },
          company: { from: 'OSDL', to: null },
          lastContactedAt: { from: null, to: res.body.lastContactedAt },
        },
      });

      const second = await t.http().put(`/api/leads/${lead.id}`).set(owner.auth).send({ status: 'converted' });
      expect(second.body.status).toBe('converted');
      expect(second.body.timeline.map((e: { type: string }) => e.type)).toEqual([
        'status_changed',
        'status_changed',
        'updated',
        'created',
      ]);
      expect(second.body.timeline[0].data).toEqual({ from: 'contacted', to: 'converted' });
      // Sending the same values records nothing.
      const same = await t.http().put(`/api/leads/${lead.id}`).set(owner.auth).send({ status: 'converted', score: 60 });
      expect(same.body.timeline).toHaveLength(4);
      const got = await t.http().get(`/api/leads/${lead.id}`).set(owner.auth);
      expect(got.body).toEqual(same.body);
    });

    it('answers 409 LEAD_EMAIL_TAKEN, 400 for invalid input (no null name), 404 for a foreign lead, 403 for a viewer', async () => {
      const owner = await signUp(t);
      await createLead(owner, { name: 'A', email: 'a@example.com' });
      const b = await createLead(owner, { name: 'B', email: 'b@example.com' });
      expectError(
        await t.http().put(`/api/leads/${b.id}`).set(owner.auth).send({ email: 'A@example.com' }),
        409,
        'LEAD_EMAIL_TAKEN',
      );
      expect((await t.http().put(`/api/leads/${b.id}`).set(owner.auth).send({ email: 'b@example.com' })).status).toBe(
        200,
      );
      expectError(
        await t.http().put(`/api/leads/${b.id}`).set(owner.auth).send({ name: null }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t.http().put(`/api/leads/${b.id}`).set(owner.auth).send({ status: 'won' }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t.http().put(`/api/leads/${b.id}`).set(owner.auth).send({ id: randomUUID() }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(await t.http().put('/api/leads/123').set(owner.auth).send({ name: 'x' }), 400, 'VALIDATION_FAILED');
      const other = await signUp(t);
      expectError(
        await t.http().put(`/api/leads/${b.id}`).set(other.auth).send({ name: 'Hacked' }),
        404,
        'LEAD_NOT_FOUND',
      );
      const viewer = await addMember(t, owner, 'viewer');
      expectError(await t.http().put(`/api/leads/${b.id}`).set(viewer.auth).send({ name: 'Viewer' }), 403);
      expectError(
        await t.http().put(`/api/leads/${b.id}`).set('X-Forwarded-For', randomIp()).send({ name: 'Anon' }),
        401,
      );
      const [row] = await t.db.query('SELECT name FROM leads WHERE id = $1', [b.id]);
      expect(row.name).toBe('B');
    });
  });

  describe('DELETE /api/leads/:id and POST /api/leads/:id/restore', () => {
    it('soft-deletes (hidden everywhere, e-mail free again) and restores within 30 days, both on the timeline', async () => {
      const owner = await signUp(t);
      const lead = await createLead(owner, { name: 'Temp', email: 'temp@example.com' });
      const del = await t.http().delete(`/api/leads/${lead.id}`).set(owner.auth);
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      expectError(await t.http().get(`/api/leads/${lead.id}`).set(owner.auth), 404, 'LEAD_NOT_FOUND');
      expect((await t.http().get('/api/leads').set(owner.auth)).body.pagination.total).toBe(0);
      expect((await t.http().get('/api/leads/status/new').set(owner.auth)).body.data).toEqual([]);
      expectError(await t.http().delete(`/api/leads/${lead.id}`).set(owner.auth), 404, 'LEAD_NOT_FOUND');
      expectError(
        await t.http().put(`/api/leads/${lead.id}`).set(owner.auth).send({ name: 'x' }),
        404,
        'LEAD_NOT_FOUND',
      );
      const [row] = await t.db.query('SELECT deleted_at FROM leads WHERE id = $1', [lead.id]);
      expect(row.deleted_at).not.toBeNull();

      const restored = await t.http().post(`/api/leads/${lead.id}/restore`).set(owner.auth);
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ id: lead.id, name: 'Temp', email: 'temp@example.com' });
      expect(restored.body.timeline.map((e: { type: string }) => e.type)).toEqual(['restored', 'deleted', 'created']);
      expect(names((await t.http().get('/api/leads').set(owner.auth)).body)).toEqual(['Temp']);
      // Restoring a lead that is not deleted answers it unchanged.
      const again = await t.http().post(`/api/leads/${lead.id}/restore`).set(owner.auth);
      expect(again.status).toBe(200);
      expect(again.body.timeline).toHaveLength(3);
      const actions = await t.db.query(
        `SELECT action FROM audit_logs WHERE workspace_id = $1 AND action LIKE 'lead_%' ORDER BY created_at`,
        [owner.workspaceId],
      );
      expect(actions.map((a: { action: string }) => a.action)).toEqual(['lead_deleted', 'lead_restored']);
    });

    it('lets a new lead take a deleted lead’s e-mail; restoring the old one then answers 409', async () => {
      const owner = await signUp(t);
      const old = await createLead(owner, { name: 'Old', email: 'same@example.com' });
      await t.http().delete(`/api/leads/${old.id}`).set(owner.auth).expect(204);
      await createLead(owner, { name: 'New', email: 'same@example.com' });
      expectError(await t.http().post(`/api/leads/${old.id}/restore`).set(owner.auth), 409, 'LEAD_EMAIL_TAKEN');
    });

    it('answers 404 after 30 days, for a foreign or unknown lead; 403 for a viewer; 400 for a bad id', async () => {
      const owner = await signUp(t);
      const lead = await createLead(owner, { name: 'Gone' });
      const viewer = await addMember(t, owner, 'viewer');
      expectError(await t.http().delete(`/api/leads/${lead.id}`).set(viewer.auth), 403);
      expectError(await t.http().delete(`/api/leads/${lead.id}`).set('X-Forwarded-For', randomIp()), 401);
      const other = await signUp(t);
      expectError(await t.http().delete(`/api/leads/${lead.id}`).set(other.auth), 404, 'LEAD_NOT_FOUND');
      expectError(await t.http().delete('/api/leads/nope').set(owner.auth), 400, 'VALIDATION_FAILED');
      await t.http().delete(`/api/leads/${lead.id}`).set(owner.auth).expect(204);

      expectError(await t.http().post(`/api/leads/${lead.id}/restore`).set(viewer.auth), 403);
      expectError(await t.http().post(`/api/leads/${lead.id}/restore`).set('X-Forwarded-For', randomIp()), 401);
      expectError(await t.http().post(`/api/leads/${lead.id}/restore`).set(other.auth), 404, 'LEAD_NOT_FOUND');
      expectError(await t.http().post(`/api/leads/${randomUUID()}/restore`).set(owner.auth), 404, 'LEAD_NOT_FOUND');
      expectError(await t.http().post('/api/leads/nope/restore').set(owner.auth), 400, 'VALIDATION_FAILED');

      await t.db.query(`UPDATE leads SET deleted_at = now() - interval '31 days' WHERE id = $1`, [lead.id]);
      expectError(await t.http().post(`/api/leads/${lead.id}/restore`).set(owner.auth), 404, 'LEAD_NOT_FOUND');
      await t.db.query(`UPDATE leads SET deleted_at = now() - interval '29 days' WHERE id = $1`, [lead.id]);
      expect((await t.http().post(`/api/leads/${lead.id}/restore`).set(owner.auth)).status).toBe(200);
    });
  });
});
