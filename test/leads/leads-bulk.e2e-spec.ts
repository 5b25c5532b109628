import { randomUUID } from 'node:crypto';
import { QueueName, QueueRegistry } from '@crescendo/platform';
import { addMember, createTestApp, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

/** POST /api/leads/bulk: one action on many leads, all or nothing. */
describe('POST /api/leads/bulk', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const bulk = (who: { auth: Record<string, string> }, body: unknown) =>
    t
      .http()
      .post('/api/leads/bulk')
      .set(who.auth)
      .send(body as object);

  const createLead = async (owner: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post('/api/leads').set(owner.auth).send(body);
    if (res.status !== 201) throw new Error(`create lead failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; name: string; status: string; updatedAt: string };
  };
  const createLeads = async (owner: TestUser, count: number, extra: Record<string, unknown> = {}) => {
    const leads = [];
    for (let i = 0; i < count; i += 1) leads.push(await createLead(owner, { name: `Lead ${i}`, ...extra }));
    return leads;
  };

  /** What the bulk route may change on leads, to compare before and after. */
  const snapshot = async (ids: string[]) =>
    t.db.query(
      `SELECT l.id, l.status, l.last_contacted_at, l.deleted_at, l.updated_at,
              (SELECT count(*)::int FROM lead_events e WHERE e.lead_id = l.id) AS events,
              (SELECT count(*)::int FROM audit_logs a WHERE a.metadata->>'leadId' = l.id::text) AS audits
         FROM leads l WHERE l.id = ANY($1::uuid[]) ORDER BY l.id`,
      [ids],
    );

  const timelineTypes = async (leadId: string) =>
    (
      (await t.db.query(`SELECT type FROM lead_events WHERE lead_id = $1 ORDER BY created_at DESC, id DESC`, [
        leadId,
      ])) as { type: string }[]
    ).map((e) => e.type);

  /** The domain events the API enqueued for a workspace (no worker runs here: they wait in the queue). */
  const publishedEvents = async (workspaceId: string) => {
    const jobs = await t.app.get(QueueRegistry).get(QueueName.Events).getJobs(['waiting', 'delayed'], 0, -1);
    return jobs
      .map((job) => job.data as { type: string; workspaceId: string; actorUserId: string | null; data: any })
      .filter((event) => event.workspaceId === workspaceId);
  };

  describe('update (status)', () => {
    it('sets the status of every lead, with the same timeline entries and events as PUT', async () => {
      const owner = await signUp(t);
      const leads = await createLeads(owner, 3);
      const already = await createLead(owner, { name: 'Already', status: 'contacted' });
      const ids = [...leads.map((l) => l.id), already.id];
      const before = await snapshot(ids);

      const res = await bulk(owner, { ids, action: 'update', changes: { status: 'contacted' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        action: 'update',
        changed: 3,
        ids: leads.map((l) => l.id),
        unchangedIds: [already.id],
      });

      // The rows: status, lastContactedAt set (becoming contacted), updatedAt moved; the lead already contacted untouched.
      for (const lead of leads) {
        const got = await t.http().get(`/api/leads/${lead.id}`).set(owner.auth).expect(200);
        expect(got.body).toMatchObject({ status: 'contacted', lastContactedAt: iso });
        expect(got.body.updatedAt > lead.updatedAt).toBe(true);
        expect(got.body.timeline.map((e: { type: string }) => e.type)).toEqual([
          'status_changed',
          'updated',
          'created',
        ]);
        expect(got.body.timeline[0]).toMatchObject({ data: { from: 'new', to: 'contacted' }, actorUserId: owner.id });
        expect(got.body.timeline[1]).toMatchObject({
          data: { changes: { lastContactedAt: { from: null, to: got.body.lastContactedAt } } },
          actorUserId: owner.id,
        });
      }
      const after = await snapshot([already.id]);
      expect(after).toEqual(before.filter((row: { id: string }) => row.id === already.id));

      // lead.updated and lead.status_changed per changed lead, carrying the lead as it now is.
      const events = await publishedEvents(owner.workspaceId);
      for (const lead of leads) {
        const mine = events.filter((e) => e.data.leadId === lead.id && e.type !== 'lead.created');
        expect(mine.map((e) => e.type).sort()).toEqual(['lead.status_changed', 'lead.updated']);
        const updated = mine.find((e) => e.type === 'lead.updated')!;
        expect(updated.actorUserId).toBe(owner.id);
        expect(updated.data.changed).toEqual(['lastContactedAt', 'status']);
        expect(updated.data.lead).toMatchObject({ id: lead.id, status: 'contacted', campaignIds: [] });
        const changed = mine.find((e) => e.type === 'lead.status_changed')!;
        expect(changed.data).toMatchObject({ from: 'new', to: 'contacted', lead: { status: 'contacted' } });
      }
      expect(events.filter((e) => e.data.leadId === already.id && e.type !== 'lead.created')).toEqual([]);

      // Another status: no lastContactedAt change, so only status_changed.
      const again = await bulk(owner, { ids: [leads[0].id], action: 'update', changes: { status: 'qualified' } });
      expect(again.body).toMatchObject({ changed: 1, ids: [leads[0].id], unchangedIds: [] });
      expect(await timelineTypes(leads[0].id)).toEqual(['status_changed', 'status_changed', 'updated', 'created']);
    });

    it('takes 1000 leads in one request', async () => {
      const owner = await signUp(t);
      const [{ ids }] = await t.db.query(
        `WITH made AS (INSERT INTO leads (workspace_id, name) SELECT $1, 'Lead ' || g FROM generate_series(1, 1000) g
                       RETURNING id)
         SELECT array_agg(id::text) AS ids FROM made`,
        [owner.workspaceId],
      );
      const res = await bulk(owner, { ids, action: 'update', changes: { status: 'lost' } });
      expect(res.status).toBe(200);
      expect(res.body.changed).toBe(1000);
      const [{ lost, events }] = await t.db.query(
        `SELECT (SELECT count(*)::int FROM leads WHERE workspace_id = $1 AND status = 'lost') AS lost,
                (SELECT count(*)::int FROM lead_events WHERE workspace_id = $1 AND type = 'status_changed') AS events`,
        [owner.workspaceId],
      );
      expect({ lost, events }).toEqual({ lost: 1000, events: 1000 });
    });

    it('refuses another workspace’s lead (404 listing it) and changes nothing, not even the others', async () => {
      const owner = await signUp(t);
      const mine = await createLeads(owner, 3);
      const other = await signUp(t);
      const theirs = await createLead(other, { name: 'Theirs' });
      const unknown = randomUUID();
      const ids = [...mine.map((l) => l.id), theirs.id, unknown];
      const before = await snapshot(ids);
      const eventsBefore = (await publishedEvents(owner.workspaceId)).length;

      const res = await bulk(owner, { ids, action: 'update', changes: { status: 'qualified' } });
      expectError(res, 404, 'LEAD_NOT_FOUND');
      expect(res.body.details).toEqual([
        { field: 'ids', message: `lead ${theirs.id} not found` },
        { field: 'ids', message: `lead ${unknown} not found` },
      ]);
      expect(await snapshot(ids)).toEqual(before);
      expect((await publishedEvents(owner.workspaceId)).length).toBe(eventsBefore);
      expect((await publishedEvents(other.workspaceId)).filter((e) => e.type !== 'lead.created')).toEqual([]);
    });

    it('refuses a deleted lead (404) and changes nothing', async () => {
      const owner = await signUp(t);
      const [a, b] = await createLeads(owner, 2);
      await t.http().delete(`/api/leads/${b.id}`).set(owner.auth).expect(204);
      const before = await snapshot([a.id, b.id]);
      const res = await bulk(owner, { ids: [a.id, b.id], action: 'update', changes: { status: 'lost' } });
      expectError(res, 404, 'LEAD_NOT_FOUND');
      expect(res.body.details).toEqual([{ field: 'ids', message: `lead ${b.id} not found` }]);
      expect(await snapshot([a.id, b.id])).toEqual(before);
    });
  });

  describe('delete and restore', () => {
    it('soft-deletes every lead (timeline, audit, lead.deleted), then restores them all', async () => {
      const owner = await signUp(t);
      const leads = await createLeads(owner, 3);
      const keep = await createLead(owner, { name: 'Keep' });
      const ids = leads.map((l) => l.id);

      const del = await bulk(owner, { ids, action: 'delete' });
      expect(del.status).toBe(200);
      expect(del.body).toEqual({ action: 'delete', changed: 3, ids, unchangedIds: [] });
      const list = await t.http().get('/api/leads').set(owner.auth).expect(200);
      expect(list.body.data.map((l: { id: string }) => l.id)).toEqual([keep.id]);
      for (const id of ids) {
        expectError(await t.http().get(`/api/leads/${id}`).set(owner.auth), 404, 'LEAD_NOT_FOUND');
        expect(await timelineTypes(id)).toEqual(['deleted', 'created']);
      }
      const deletedRows = await t.db.query(
        'SELECT deleted_at FROM leads WHERE id = ANY($1::uuid[]) AND deleted_at IS NOT NULL',
        [ids],
      );
      expect(deletedRows).toHaveLength(3);
      const audits = await t.db.query(
        `SELECT action, message, user_id, metadata->>'leadId' AS lead_id FROM audit_logs
          WHERE workspace_id = $1 AND action LIKE 'lead_%' ORDER BY metadata->>'leadId'`,
        [owner.workspaceId],
      );
      expect(audits).toEqual(
        [...leads]
          .sort((x, y) => x.id.localeCompare(y.id))
          .map((l) => ({
            action: 'lead_deleted',
            message: `Lead ${l.name} deleted (restorable for 30 days)`,
            user_id: owner.id,
            lead_id: l.id,
          })),
      );
      const deletedEvents = (await publishedEvents(owner.workspaceId)).filter((e) => e.type === 'lead.deleted');
      expect(deletedEvents.map((e) => e.data.leadId).sort()).toEqual([...ids].sort());
      expect(deletedEvents.every((e) => e.actorUserId === owner.id)).toBe(true);

      // Deleting again: they are gone, 404 and nothing changes.
      expectError(await bulk(owner, { ids, action: 'delete' }), 404, 'LEAD_NOT_FOUND');

      // Restore (the SPA's undo): the deleted ones come back; a live one among them is left as it is.
      const restored = await bulk(owner, { ids: [...ids, keep.id], action: 'restore' });
      expect(restored.status).toBe(200);
      expect(restored.body).toEqual({ action: 'restore', changed: 3, ids, unchangedIds: [keep.id] });
      const back = await t.http().get('/api/leads').set(owner.auth).expect(200);
      expect(back.body.pagination.total).toBe(4);
      for (const id of ids) expect(await timelineTypes(id)).toEqual(['restored', 'deleted', 'created']);
      expect(await timelineTypes(keep.id)).toEqual(['created']);
      const [{ count }] = await t.db.query(
        `SELECT count(*)::int AS count FROM audit_logs WHERE workspace_id = $1 AND action = 'lead_restored'`,
        [owner.workspaceId],
      );
      expect(count).toBe(3);
    });

    it('restore: 404 for a lead deleted more than 30 days ago, 409 for a taken e-mail; nothing restored', async () => {
      const owner = await signUp(t);
      const [a, b] = await createLeads(owner, 2);
      const c = await createLead(owner, { name: 'C', email: 'c@example.com' });
      const ids = [a.id, b.id, c.id];
      await bulk(owner, { ids, action: 'delete' }).expect(200);

      await t.db.query(`UPDATE leads SET deleted_at = now() - interval '31 days' WHERE id = $1`, [b.id]);
      const old = await bulk(owner, { ids, action: 'restore' });
      expectError(old, 404, 'LEAD_NOT_FOUND');
      expect(old.body.details).toEqual([{ field: 'ids', message: `lead ${b.id} not found` }]);
      await t.db.query(`UPDATE leads SET deleted_at = now() - interval '29 days' WHERE id = $1`, [b.id]);

      await createLead(owner, { name: 'C again', email: 'c@example.com' });
      const taken = await bulk(owner, { ids, action: 'restore' });
      expectError(taken, 409, 'LEAD_EMAIL_TAKEN');
      expect(taken.body.details).toEqual([{ field: 'ids', message: `lead ${c.id}: its e-mail is taken` }]);
      const [{ live }] = await t.db.query(
        'SELECT count(*)::int AS live FROM leads WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL',
        [ids],
      );
      expect(live).toBe(0);

      expect((await bulk(owner, { ids: [a.id, b.id], action: 'restore' })).body).toMatchObject({ changed: 2 });

      // Two deleted leads of one e-mail restored together: both would be live, so both are listed.
      const x = await createLead(owner, { name: 'X', email: 'd@example.com' });
      await bulk(owner, { ids: [x.id], action: 'delete' }).expect(200);
      const y = await createLead(owner, { name: 'Y', email: 'd@example.com' });
      await bulk(owner, { ids: [y.id], action: 'delete' }).expect(200);
      const twins = await bulk(owner, { ids: [x.id, y.id], action: 'restore' });
      expectError(twins, 409, 'LEAD_EMAIL_TAKEN');
      expect(twins.body.details.map((d: { message: string }) => d.message).sort()).toEqual(
        [`lead ${x.id}: its e-mail is taken`, `lead ${y.id}: its e-mail is taken`].sort(),
      );
      expect((await bulk(owner, { ids: [y.id], action: 'restore' })).body).toMatchObject({ changed: 1 });
    });

    it('delete is all or nothing: one lead of another workspace among valid ones changes nothing', async () => {
      const owner = await signUp(t);
      const mine = await createLeads(owner, 2);
      const other = await signUp(t);
      const theirs = await createLead(other, { name: 'Theirs' });
      const ids = [mine[0].id, theirs.id, mine[1].id];
      const before = await snapshot(ids);
      const res = await bulk(owner, { ids, action: 'delete' });
      expectError(res, 404, 'LEAD_NOT_FOUND');
      expect(res.body.details).toEqual([{ field: 'ids', message: `lead ${theirs.id} not found` }]);
      expect(await snapshot(ids)).toEqual(before);
      expect((await publishedEvents(owner.workspaceId)).filter((e) => e.type === 'lead.deleted')).toEqual([]);
      // The other workspace cannot restore or change this one's leads either.
      expectError(await bulk(other, { ids: [mine[0].id], action: 'restore' }), 404, 'LEAD_NOT_FOUND');
    });
  });

  describe('validation, authentication, permissions', () => {
    let owner: TestUser;
    let leadId: string;
    beforeAll(async () => {
      owner = await signUp(t);
      leadId = (await createLead(owner, { name: 'One' })).id;
    });

    it.each([
      ['no ids', { ids: [], action: 'delete' }, 'ids'],
      ['ids not an array', { ids: 'x', action: 'delete' }, 'ids'],
      ['more than 1000 ids', { ids: Array.from({ length: 1001 }, () => randomUUID()), action: 'delete' }, 'ids'],
      ['a non-UUID id', { ids: ['not-a-uuid'], action: 'delete' }, 'ids'],
      ['a duplicate id', { ids: ['DUP', 'DUP'], action: 'delete' }, 'ids'],
      ['one id twice, in two cases', { ids: ['ONE', 'UPPER'], action: 'delete' }, 'ids'],
      ['an unknown action', { ids: ['ONE'], action: 'archive' }, 'action'],
      ['no action', { ids: ['ONE'] }, 'action'],
      ['update without changes', { ids: ['ONE'], action: 'update' }, 'changes'],
      [
        'update with an unknown status',
        { ids: ['ONE'], action: 'update', changes: { status: 'won' } },
        'changes.status',
      ],
      [
        'update with another field',
        { ids: ['ONE'], action: 'update', changes: { status: 'lost', name: 'x' } },
        'changes.name',
      ],
      ['delete with changes', { ids: ['ONE'], action: 'delete', changes: { status: 'lost' } }, 'changes'],
      ['an unknown field', { ids: ['ONE'], action: 'delete', workspaceId: randomUUID() }, 'workspaceId'],
    ])('answers 400 VALIDATION_FAILED for %s, changing nothing', async (_case, body, field) => {
      const dup = randomUUID();
      const text = JSON.stringify(body)
        .replaceAll('"ONE"', `"${leadId}"`)
        .replaceAll('"DUP"', `"${dup}"`)
        .replaceAll('"UPPER"', `"${leadId.toUpperCase()}"`);
      const before = await snapshot([leadId]);
      const res = await bulk(owner, JSON.parse(text));
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(await snapshot([leadId])).toEqual(before);
    });

    it('answers 401 without credentials and 403 for a viewer (who can read the leads)', async () => {
      const body = { ids: [leadId], action: 'update', changes: { status: 'lost' } };
      expectError(await t.http().post('/api/leads/bulk').set('X-Forwarded-For', randomIp()).send(body), 401);
      const viewer = await addMember(t, owner, 'viewer');
      expectError(await bulk(viewer, body), 403);
      expectError(await bulk(viewer, { ids: [leadId], action: 'delete' }), 403);
      expect((await t.http().get(`/api/leads/${leadId}`).set(viewer.auth)).status).toBe(200);
      const [row] = await t.db.query('SELECT status, deleted_at FROM leads WHERE id = $1', [leadId]);
      expect(row).toEqual({ status: 'new', deleted_at: null });
      // A member (leads:write) may.
      const member = await addMember(t, owner, 'member');
      expect((await bulk(member, body)).body).toMatchObject({ changed: 1 });
    });
  });
});
