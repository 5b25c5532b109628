import { randomUUID } from 'node:crypto';
import { addMember, createTestApp, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const base = '/api/onlyfans/subscribers';

describe('subscribers (/api/onlyfans/subscribers)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const createSubscriber = async (owner: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post(base).set(owner.auth).send(body);
    if (res.status !== 201) throw new Error(`create subscriber failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data as { id: string; handle: string; [key: string]: unknown };
  };
  const createLead = async (owner: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post('/api/leads').set(owner.auth).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const handles = (body: { data: { handle: string }[] }) => body.data.map((s) => s.handle);

  describe('POST', () => {
    it('creates a subscriber in the envelope, with every field normalised', async () => {
      const owner = await signUp(t);
      const res = await t.http().post(base).set(owner.auth).send({
        platform: 'onlyfans',
        handle: ' @Jane_Doe ',
        displayName: ' Jane D. ',
        email: ' Jane@Example.COM ',
        tier: 'VIP',
        monthlyPrice: 1499,
        currency: 'eur',
        status: 'paused',
        subscribedSince: '2026-01-02T03:04:05.000Z',
        notes: 'Big tipper',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        success: true,
        data: {
          id: expect.any(String),
          platform: 'onlyfans',
          handle: 'jane_doe',
          displayName: 'Jane D.',
          email: 'jane@example.com',
          tier: 'VIP',
          monthlyPrice: 1499,
          currency: 'EUR',
          status: 'paused',
          subscribedSince: '2026-01-02T03:04:05.000Z',
          renewals: 0,
          lifetimeSpend: 0,
          leadId: null,
          notes: 'Big tipper',
          createdAt: iso,
          updatedAt: iso,
        },
      });
      const [row] = await t.db.query('SELECT workspace_id FROM subscribers WHERE id = $1', [res.body.data.id]);
      expect(row.workspace_id).toBe(owner.workspaceId);
    });

    it('applies defaults with only platform and handle', async () => {
      const owner = await signUp(t);
      const before = Date.now();
      const s = await createSubscriber(owner, { platform: 'fansly', handle: 'min' });
      expect(s).toMatchObject({
        status: 'active',
        monthlyPrice: 0,
        currency: 'USD',
        email: null,
        tier: null,
        renewals: 0,
        lifetimeSpend: 0,
        leadId: null,
      });
      expect(new Date(s.subscribedSince as string).getTime()).toBeGreaterThanOrEqual(before - 1000);
    });

    it('links the workspace’s lead with the same e-mail (any case), never another workspace’s', async () => {
      const owner = await signUp(t);
      const lead = await createLead(owner, { name: 'Fan', email: 'fan@example.com' });
      const other = await signUp(t);
      await createLead(other, { name: 'Elsewhere', email: 'lonely@example.com' });

      const linked = await createSubscriber(owner, { platform: 'onlyfans', handle: 'fan', email: 'FAN@example.com' });
      expect(linked.leadId).toBe(lead.id);
      const unlinked = await createSubscriber(owner, {
        platform: 'onlyfans',
        handle: 'lonely',
        email: 'lonely@example.com',
      });
      expect(unlinked.leadId).toBeNull();
    });

    it('answers 409 SUBSCRIBER_HANDLE_TAKEN for a handle already used on the platform (any case, with @)', async () => {
      const owner = await signUp(t);
      await createSubscriber(owner, { platform: 'onlyfans', handle: 'dup' });
      expectError(
        await t.http().post(base).set(owner.auth).send({ platform: 'onlyfans', handle: '@DUP' }),
        409,
        'SUBSCRIBER_HANDLE_TAKEN',
      );
      // Same handle on another platform, or in another workspace, is another subscriber.
      await createSubscriber(owner, { platform: 'fansly', handle: 'dup' });
      await createSubscriber(await signUp(t), { platform: 'onlyfans', handle: 'dup' });
    });

    it('answers 400 with the fields at fault, refusing unknown and ledger-maintained fields', async () => {
      const owner = await signUp(t);
      const res = await t.http().post(base).set(owner.auth).send({
        platform: 'myspace',
        handle: 'two words',
        email: 'nope',
        monthlyPrice: -1,
        currency: 'XYZ',
        status: 'gone',
        subscribedSince: 'yesterday',
        lifetimeSpend: 100,
        renewals: 3,
        workspaceId: owner.workspaceId,
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      const fields = new Set(res.body.details.map((d: { field: string }) => d.field));
      for (const field of [
        'platform',
        'handle',
        'email',
        'monthlyPrice',
        'currency',
        'status',
        'subscribedSince',
        'lifetimeSpend',
        'renewals',
        'workspaceId',
      ])
        expect(fields).toContain(field);
      expectError(await t.http().post(base).set(owner.auth).send({ platform: 'onlyfans' }), 400);
    });

    it('answers 401 without a token and 403 for a viewer; a member may write', async () => {
      const owner = await signUp(t);
      expectError(
        await t.http().post(base).set('X-Forwarded-For', randomIp()).send({ platform: 'onlyfans', handle: 'x' }),
        401,
      );
      const viewer = await addMember(t, owner, 'viewer');
      expectError(await t.http().post(base).set(viewer.auth).send({ platform: 'onlyfans', handle: 'x' }), 403);
      const member = await addMember(t, owner, 'member');
      await createSubscriber(member, { platform: 'onlyfans', handle: 'x' });
    });
  });

  describe('GET (list)', () => {
    let owner: TestUser;
    beforeAll(async () => {
      owner = await signUp(t);
      const rows = [
        { handle: 'alice', displayName: 'Alice Liddell', email: 'alice@wonder.land', tier: 'VIP', monthlyPrice: 2000 },
        { handle: 'bob', displayName: 'Bob', tier: 'vip', monthlyPrice: 500, status: 'expired' },
        { handle: 'carol', displayName: 'Carol 100%', tier: 'Basic', monthlyPrice: 1000, platform: 'patreon' },
        { handle: 'dave', displayName: 'Dave', monthlyPrice: 0, status: 'cancelled' },
        { handle: 'erin', displayName: 'Erin', monthlyPrice: 1500, status: 'paused', platform: 'fansly' },
      ];
      for (const [i, row] of rows.entries()) {
        await createSubscriber(owner, {
          platform: 'onlyfans',
          subscribedSince: `2026-0${i + 1}-01T00:00:00.000Z`,
          ...row,
        });
      }
      // Another workspace's subscriber never shows.
      await createSubscriber(await signUp(t), { platform: 'onlyfans', handle: 'alice' });
    });

    it('answers the envelope with pagination metadata, newest subscribedSince first by default', async () => {
      const res = await t.http().get(base).set(owner.auth).query({ pageSize: 2, page: 2 });
      expect(res.status).toBe(200);
      expect(res.body.success).toBe(true);
      expect(handles(res.body)).toEqual(['carol', 'bob']);
      expect(res.body.metadata).toEqual({
        page: 2,
        pageSize: 2,
        total: 5,
        totalPages: 3,
        totalIsEstimate: false,
        nextCursor: expect.any(String),
        prevCursor: expect.any(String),
      });
      const defaults = await t.http().get(base).set(owner.auth);
      expect(defaults.body.metadata).toEqual({
        page: 1,
        pageSize: 20,
        total: 5,
        totalPages: 1,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      });
      expect(handles(defaults.body)).toEqual(['erin', 'dave', 'carol', 'bob', 'alice']);
      const beyond = await t.http().get(base).set(owner.auth).query({ page: 9 });
      expect(beyond.body).toEqual({
        success: true,
        data: [],
        metadata: {
          page: 9,
          pageSize: 20,
          total: 5,
          totalPages: 1,
          totalIsEstimate: false,
          nextCursor: null,
          prevCursor: null,
        },
      });
    });

    it('filters by status, platform, tier (case-insensitive) and searches name, handle and e-mail', async () => {
      const list = async (query: Record<string, unknown>) => {
        const res = await t.http().get(base).set(owner.auth).query(query);
        expect(res.status).toBe(200);
        return handles(res.body).sort();
      };
      expect(await list({ status: 'expired' })).toEqual(['bob']);
      expect(await list({ platform: 'onlyfans' })).toEqual(['alice', 'bob', 'dave']);
      expect(await list({ tier: 'vip' })).toEqual(['alice', 'bob']);
      expect(await list({ search: 'LIDDELL' })).toEqual(['alice']);
      expect(await list({ search: 'wonder.land' })).toEqual(['alice']);
      expect(await list({ search: 'dav' })).toEqual(['dave']);
      expect(await list({ search: '%' })).toEqual(['carol']);
      expect(await list({ status: 'active', tier: 'VIP', platform: 'onlyfans' })).toEqual(['alice']);
      const res = await t.http().get(base).set(owner.auth).query({ tier: 'vip', pageSize: 1 });
      expect(res.body.metadata).toEqual({
        page: 1,
        pageSize: 1,
        total: 2,
        totalPages: 2,
        totalIsEstimate: false,
        nextCursor: expect.any(String),
        prevCursor: null,
      });
    });

    it('sorts by monthlyPrice, subscribedSince and lifetimeSpend', async () => {
      const sorted = async (query: Record<string, unknown>) =>
        handles((await t.http().get(base).set(owner.auth).query(query)).body);
      expect(await sorted({ sortBy: 'monthlyPrice', order: 'desc' })).toEqual([
        'alice',
        'erin',
        'carol',
        'bob',
        'dave',
      ]);
      expect(await sorted({ sortBy: 'subscribedSince', order: 'asc' })).toEqual([
        'alice',
        'bob',
        'carol',
        'dave',
        'erin',
      ]);
      const list = (await t.http().get(base).set(owner.auth)).body.data as { id: string; handle: string }[];
      const id = (h: string) => list.find((s) => s.handle === h)!.id;
      for (const [handle, amount] of [
        ['dave', 700],
        ['bob', 300],
      ] as const) {
        const res = await t
          .http()
          .post('/api/onlyfans/earnings')
          .set(owner.auth)
          .send({ subscriberId: id(handle), type: 'tip', amount });
        expect(res.status).toBe(201);
      }
      expect((await sorted({ sortBy: 'lifetimeSpend', order: 'desc' })).slice(0, 2)).toEqual(['dave', 'bob']);
    });

    it('answers 400 for a bad pageSize, page, filter or sort; 401 without a token; a viewer reads', async () => {
      for (const query of [
        { pageSize: 101 },
        { pageSize: 0 },
        { pageSize: 'ten' },
        { page: 0 },
        { status: 'gone' },
        { platform: 'myspace' },
        { sortBy: 'handle' },
        { order: 'up' },
        { limit: 5 },
      ]) {
        expectError(await t.http().get(base).set(owner.auth).query(query), 400, 'VALIDATION_FAILED');
      }
      expectError(await t.http().get(base).set('X-Forwarded-For', randomIp()), 401);
      const viewer = await addMember(t, owner, 'viewer');
      const res = await t.http().get(base).set(viewer.auth);
      expect(res.status).toBe(200);
      expect(res.body.metadata.total).toBe(5);
    });
  });

  describe('GET|PUT|DELETE /:id', () => {
    it('reads one subscriber; 404 for a foreign or unknown id, 400 for a bad id, 401 without a token', async () => {
      const owner = await signUp(t);
      const s = await createSubscriber(owner, { platform: 'onlyfans', handle: 'one' });
      const res = await t.http().get(`${base}/${s.id}`).set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, data: s });
      const stranger = await signUp(t);
      expectError(await t.http().get(`${base}/${s.id}`).set(stranger.auth), 404, 'SUBSCRIBER_NOT_FOUND');
      expectError(await t.http().get(`${base}/${randomUUID()}`).set(owner.auth), 404, 'SUBSCRIBER_NOT_FOUND');
      expectError(await t.http().get(`${base}/nope`).set(owner.auth), 400);
      expectError(await t.http().get(`${base}/${s.id}`).set('X-Forwarded-For', randomIp()), 401);
    });

    it('changes only the fields sent; null clears; a new e-mail re-links the lead', async () => {
      const owner = await signUp(t);
      const lead = await createLead(owner, { name: 'Later lead', email: 'later@example.com' });
      const s = await createSubscriber(owner, {
        platform: 'onlyfans',
        handle: 'upd',
        email: 'first@example.com',
        tier: 'VIP',
        notes: 'n',
      });
      expect(s.leadId).toBeNull();
      const res = await t
        .http()
        .put(`${base}/${s.id}`)
        .set(owner.auth)
        .send({ email: 'LATER@example.com', status: 'cancelled', tier: null, monthlyPrice: 999 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        success: true,
        data: {
          ...s,
          email: 'later@example.com',
          leadId: lead.id,
          status: 'cancelled',
          tier: null,
          monthlyPrice: 999,
          updatedAt: iso,
        },
      });
      const cleared = await t.http().put(`${base}/${s.id}`).set(owner.auth).send({ email: null });
      expect(cleared.body.data).toMatchObject({ email: null, leadId: null, notes: 'n' });
      const back = await t.http().put(`${base}/${s.id}`).set(owner.auth).send({ email: 'later@example.com' });
      expect(back.body.data.leadId).toBe(lead.id);
      // Deleting the lead (soft) then changing the e-mail again finds no live lead.
      expect((await t.http().delete(`/api/leads/${lead.id}`).set(owner.auth)).status).toBe(204);
      const relinked = await t.http().put(`${base}/${s.id}`).set(owner.auth).send({ email: 'Later@Example.com ' });
      expect(relinked.body.data).toMatchObject({ email: 'later@example.com', leadId: lead.id });
      const other = await t.http().put(`${base}/${s.id}`).set(owner.auth).send({ email: 'x@example.com' });
      expect(other.body.data.leadId).toBeNull();
      const again = await t.http().put(`${base}/${s.id}`).set(owner.auth).send({ email: 'later@example.com' });
      expect(again.body.data.leadId).toBeNull();
    });

    it('answers 409 for a taken handle or a currency change after earnings; 400, 403, 404, 401', async () => {
      const owner = await signUp(t);
      const a = await createSubscriber(owner, { platform: 'onlyfans', handle: 'a' });
      const b = await createSubscriber(owner, { platform: 'onlyfans', handle: 'b', currency: 'EUR' });
      expectError(
        await t.http().put(`${base}/${b.id}`).set(owner.auth).send({ handle: 'A' }),
        409,
        'SUBSCRIBER_HANDLE_TAKEN',
      );
      // Moving to another platform frees the pair.
      expect(
        (await t.http().put(`${base}/${b.id}`).set(owner.auth).send({ handle: 'a', platform: 'fansly' })).status,
      ).toBe(200);
      expect((await t.http().put(`${base}/${b.id}`).set(owner.auth).send({ currency: 'GBP' })).status).toBe(200);
      const earning = await t
        .http()
        .post('/api/onlyfans/earnings')
        .set(owner.auth)
        .send({ subscriberId: b.id, type: 'tip', amount: 100 });
      expect(earning.body.data.currency).toBe('GBP');
      expectError(
        await t.http().put(`${base}/${b.id}`).set(owner.auth).send({ currency: 'USD' }),
        409,
        'SUBSCRIBER_CURRENCY_LOCKED',
      );
      for (const body of [
        { handle: null },
        { platform: null },
        { currency: 'EURO' },
        { monthlyPrice: 1.5 },
        { lifetimeSpend: 0 },
        { renewals: 0 },
      ]) {
        expectError(await t.http().put(`${base}/${a.id}`).set(owner.auth).send(body), 400, 'VALIDATION_FAILED');
      }
      const viewer = await addMember(t, owner, 'viewer');
      expectError(await t.http().put(`${base}/${a.id}`).set(viewer.auth).send({ notes: 'v' }), 403);
      expectError(
        await t
          .http()
          .put(`${base}/${a.id}`)
          .set((await signUp(t)).auth)
          .send({ notes: 'x' }),
        404,
      );
      expectError(await t.http().put(`${base}/${a.id}`).set('X-Forwarded-For', randomIp()).send({ notes: 'x' }), 401);
    });

    it('deletes a subscriber, keeping its earnings in the ledger; 403 viewer, 404 foreign, 401', async () => {
      const owner = await signUp(t);
      const s = await createSubscriber(owner, { platform: 'onlyfans', handle: 'gone' });
      const earning = await t
        .http()
        .post('/api/onlyfans/earnings')
        .set(owner.auth)
        .send({ subscriberId: s.id, type: 'tip', amount: 250 });
      expect(earning.status).toBe(201);
      const viewer = await addMember(t, owner, 'viewer');
      expectError(await t.http().delete(`${base}/${s.id}`).set(viewer.auth), 403);
      expectError(
        await t
          .http()
          .delete(`${base}/${s.id}`)
          .set((await signUp(t)).auth),
        404,
        'SUBSCRIBER_NOT_FOUND',
      );
      expectError(await t.http().delete(`${base}/${s.id}`).set('X-Forwarded-For', randomIp()), 401);

      const res = await t.http().delete(`${base}/${s.id}`).set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, data: expect.objectContaining({ id: s.id, lifetimeSpend: 250 }) });
      expectError(await t.http().get(`${base}/${s.id}`).set(owner.auth), 404);
      expectError(await t.http().delete(`${base}/${s.id}`).set(owner.auth), 404);
      const [row] = await t.db.query('SELECT subscriber_id, amount FROM earnings WHERE id = $1', [
        earning.body.data.id,
      ]);
      expect(row).toEqual({ subscriber_id: null, amount: '250' });
    });
  });
});
